/*
 * roll.h - matching a resident against a roll the server never sees
 *
 * A collectivity uploads, instead of its electoral-style roll, one keyed
 * hash per person: roll_hash_hex() with the collectivity's own key of the
 * canonical form of (family name, given name, birth date, postcode). A
 * resident later types their own identity; the server computes the same
 * hash and looks it up. Both sides must normalize identically, hence one
 * function for both: roll_canonical().
 *
 * Normalization:
 *   - names (family_name, given_name): valid UTF-8; letters with
 *     diacritics of Latin-1 Supplement and Latin Extended-A (and Romanian
 *     Ș Ț) fold to ASCII: é -> E, ç -> C, œ -> OE, æ -> AE, ß -> SS,
 *     Ø -> O, Þ -> TH, Ł -> L ...; combining accents (decomposed input),
 *     soft hyphens and zero-width characters are dropped; letters are
 *     uppercased; apostrophes (' ’ ‘ ʼ), hyphens and dashes (- ‐ ‑ ‒ – —
 *     −) and runs of white space (Unicode spaces included) become one
 *     space, none at either end. Anything else (digits, '.', other
 *     scripts) is an error. 1..100 characters after normalization.
 *     "  Le Floc’h-Éléonore " -> "LE FLOC H ELEONORE".
 *   - birth_date: "YYYY-MM-DD", a real date (leap years), year 1900..2100.
 *   - postcode: exactly 5 ASCII digits.
 *
 * Canonical form (version 1), what is hashed:
 *   the 17 bytes "participe/roll/v1" (no terminator), then for each of
 *   family_name, given_name, birth_date, postcode in that order: its length
 *   as 4 bytes, big-endian, then its normalized bytes (ASCII, no
 *   terminator). Lengths make it unambiguous; the tag keeps these hashes
 *   apart from any other use of the key and lets the format change.
 *   Example: ("Dupont", "Jean", "1980-02-29", "75011") is
 *   "participe/roll/v1" 00 00 00 06 "DUPONT" 00 00 00 04 "JEAN"
 *   00 00 00 0a "1980-02-29" 00 00 00 05 "75011".
 */
#ifndef PARTICIPE_ROLL_H
#define PARTICIPE_ROLL_H

#include <stddef.h>

#include "err.h"
#include "problem.h"

/* Bytes of a collectivity's roll key. */
#define ROLL_KEY_BYTES 32

/* The domain tag that starts every canonical form. */
#define ROLL_TAG "participe/roll/v1"

/* Longest normalized name. */
#define ROLL_NAME_MAX 100

/* Longest canonical form: tag, 4 lengths, 2 names, date, postcode. */
#define ROLL_CANON_MAX (sizeof(ROLL_TAG) - 1 + 16 + 2 * ROLL_NAME_MAX + 15)

/*
 * Validates and normalizes one identity and writes its canonical form to
 * out[0..outsz), its length to *outlen. ERR_INVALID when an input is bad:
 * one problem field per bad input ("family_name", "given_name",
 * "birth_date", "postcode"; NULL counts as missing) and a detail if p had
 * none. ERR_INTERNAL when outsz is below the form's length
 * (ROLL_CANON_MAX always suffices).
 */
enum err roll_canonical(const char *family_name, const char *given_name,
        const char *birth_date, const char *postcode, char *out, size_t outsz,
        size_t *outlen, struct problem *p);

/*
 * Normalizes one name as roll_canonical() does into out (at least
 * ROLL_NAME_MAX + 1 bytes, NUL-terminated). NULL on success, else the
 * problem, a static message meant to follow the field name.
 */
const char *roll_normalize_name(const char *in, char *out, size_t *outlen);

/* Writes the lowercase hex of BLAKE2b-256 keyed with 'key' of canon. */
void roll_hash_hex(const unsigned char key[ROLL_KEY_BYTES], const char *canon,
        size_t len, char out[65]);

/* Makes a new random key (sodium_init() first). */
void roll_key_new(unsigned char key[ROLL_KEY_BYTES]);

/* 1 when hex is exactly 64 hex digits, decoded into key; else 0. */
int roll_key_from_hex(const char *hex, unsigned char key[ROLL_KEY_BYTES]);

#endif
