/*
 * email.h - e-mail addresses as people type them
 *
 * A practical subset of RFC 5321/5322: what sign-up forms should accept.
 * Quoted local parts, comments, IP-literal domains and single-label
 * domains are refused; so is anything outside printable ASCII (no
 * internationalised addresses yet, but punycode "xn--" domains are fine).
 */
#ifndef PARTICIPE_EMAIL_H
#define PARTICIPE_EMAIL_H

#include <stddef.h>

/* Longest address accepted (RFC 5321 path limit less the brackets). */
#define EMAIL_MAX_LEN 254

/*
 * 1 when s[0..len) is an address we accept, else 0:
 *   - 3..254 bytes of printable ASCII, exactly one '@';
 *   - local part 1..64 bytes, an RFC 5322 dot-atom: atext
 *     (A-Z a-z 0-9 and !#$%&'*+-/=?^_`{|}~) and dots, no dot first, last
 *     or next to another;
 *   - domain 1..253 bytes, two labels or more, each 1..63 of A-Z a-z 0-9
 *     and '-', not beginning or ending with '-'; the last (the TLD) is
 *     2..63 letters, or a punycode label beginning "xn--".
 */
int email_valid(const char *s, size_t len);

/*
 * Lowercases the domain part (after the '@') of the NUL-terminated s in
 * place. The local part is kept as typed: the database compares addresses
 * case-insensitively.
 */
void email_normalize(char *s);

#endif
