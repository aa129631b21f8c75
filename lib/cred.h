/*
 * cred.h - voter credentials of the credential-authority mode
 *
 * docs/protocol.md, "Voter credentials": a code is 24 base58 characters
 * (about 140 bits) shown as six groups of four joined by '-'; the voter's
 * Ed25519 key pair is derived from the code and the election id with a
 * keyed BLAKE2b-256 and crypto_sign_seed_keypair(). The same derivation
 * runs in `participe cred generate`, `participe cred keypair` and in any
 * frontend.
 */
#ifndef PARTICIPE_CRED_H
#define PARTICIPE_CRED_H

#include <stddef.h>

/* Characters of a code, without separators. */
#define CRED_CODE_CHARS 24

/* Buffer for a display code: 6 groups of 4, 5 dashes, NUL. */
#define CRED_CODE_TEXT 30

/* The base58 alphabet (Bitcoin's). */
#define CRED_ALPHABET                                                          \
	"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

/* Writes a fresh random code in display form ("abcd-efgh-..."). */
void cred_code_random(char out[CRED_CODE_TEXT]);

/*
 * Normalizes a typed code: drops '-' and white space, then requires
 * exactly CRED_CODE_CHARS base58 characters. Writes them plus a NUL.
 * 0 on success, -1 otherwise.
 */
int cred_code_normalize(const char *in, char out[CRED_CODE_CHARS + 1]);

/*
 * Derives the key pair of code (any accepted typed form) for the election
 * whose id is election_id (canonical lowercase UUID, 36 characters).
 * 0 on success, -1 when the code or the id is malformed.
 */
int cred_keypair(const char *code, const char *election_id,
        unsigned char pk[32], unsigned char sk[64]);

#endif
