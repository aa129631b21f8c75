/*
 * token.h - opaque secrets: bearer tokens and identification codes
 *
 * Secrets are given out once and only their BLAKE2b-256 hash is stored;
 * a presented secret is hashed and looked up. Bearer tokens are 32 random
 * bytes in unpadded base64url. Identification codes are shorter, for
 * residents to type from a letter: 80 random bits in Crockford base32,
 * "XXXX-XXXX-XXXX-XXXX"; their stored form is token_hash_hex() of the 16
 * symbols as code_normalize() gives them. sodium_init() must have been
 * called before token_new() and code_new().
 */
#ifndef PARTICIPE_TOKEN_H
#define PARTICIPE_TOKEN_H

#include <stddef.h>

/* Random bytes in a bearer token, and its text length (base64url). */
#define TOKEN_BYTES 32
#define TOKEN_TEXT_LEN 43

/* Length of a hash in hex, without the NUL. */
#define TOKEN_HASH_HEX_LEN 64

/* Writes a new bearer token: 32 random bytes, unpadded base64url. */
void token_new(char out[TOKEN_TEXT_LEN + 1]);

/* 1 when s is exactly 43 characters of A-Z a-z 0-9 '-' '_', else 0. */
int token_well_formed(const char *s);

/*
 * Writes the lowercase hex of the unkeyed BLAKE2b-256 of s[0..len): how
 * tokens and codes are stored (and what the SQL functions take).
 */
void token_hash_hex(const char *s, size_t len, char out[65]);

/* Random bytes in a code, symbols, and its text length with hyphens. */
#define CODE_BYTES 10
#define CODE_SYMBOLS 16
#define CODE_TEXT_LEN 19

/* Writes a new identification code, "XXXX-XXXX-XXXX-XXXX". */
void code_new(char out[CODE_TEXT_LEN + 1]);

/*
 * Writes the code of the given 80 bits, most significant first, as
 * code_new() does (exposed for tests).
 */
void code_from_bytes(
        const unsigned char b[CODE_BYTES], char out[CODE_TEXT_LEN + 1]);

/*
 * Normalizes a code as a resident typed it: drops spaces and hyphens,
 * uppercases, reads O as 0 and I, L as 1 (Crockford). Returns 1 and writes
 * the 16 symbols (NUL-terminated) when exactly 16 valid symbols remain;
 * else returns 0 and writes "".
 */
int code_normalize(const char *in, char out[CODE_SYMBOLS + 1]);

/*
 * code_normalize() then token_hash_hex() of the 16 symbols: the stored
 * form of a code. Returns 0 (and writes "") when the code is malformed.
 */
int code_hash_hex(const char *in, char out[65]);

#endif
