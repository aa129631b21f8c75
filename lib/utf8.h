/*
 * utf8.h - UTF-8 validation and repair
 *
 * Text reaching JSON or PostgreSQL must be valid UTF-8: jansson refuses
 * anything else, PostgreSQL raises an error. Decoded URL parts are
 * validated; messages that may have been cut mid-character or that quote
 * client bytes are repaired.
 */
#ifndef PARTICIPE_UTF8_H
#define PARTICIPE_UTF8_H

#include <stddef.h>

/* Length of the valid sequence at s[0..len), or 0 if it is not one. */
size_t utf8_seq_len(const unsigned char *s, size_t len);

/* Whether s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
int utf8_valid(const char *s, size_t len);

/*
 * Repairs s in place: a character cut short at the very end is dropped,
 * any other byte that starts no valid sequence becomes '?'.
 */
void utf8_sanitize(char *s);

#endif
