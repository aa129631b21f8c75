/*
 * cred.c - credential codes and the key pairs derived from them
 */
#include "cred.h"

#include <sodium.h>
#include <string.h>

#include "wire.h"

/* The BLAKE2b key's prefix; the election id follows it. */
#define CRED_KEY_TAG "participe/credential/v1:"
#define CRED_KEY_LEN (sizeof(CRED_KEY_TAG) - 1 + 36)

void
cred_code_random(char out[CRED_CODE_TEXT])
{
	size_t i, o = 0;

	for (i = 0; i < CRED_CODE_CHARS; i++) {
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = CRED_ALPHABET[randombytes_uniform(
		        sizeof(CRED_ALPHABET) - 1)];
	}
	out[o] = '\0';
}

/* The white space readers ignore (C locale isspace()). */
static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	       c == '\r';
}

int
cred_code_normalize(const char *in, char out[CRED_CODE_CHARS + 1])
{
	size_t n = 0;

	out[0] = '\0';
	if (in == NULL)
		return -1;
	for (; *in != '\0'; in++) {
		if (*in == '-' || is_space(*in))
			continue;
		if (strchr(CRED_ALPHABET, *in) == NULL ||
		        n == CRED_CODE_CHARS) {
			sodium_memzero(out, CRED_CODE_CHARS + 1);
			return -1;
		}
		out[n++] = *in;
	}
	if (n != CRED_CODE_CHARS) {
		sodium_memzero(out, CRED_CODE_CHARS + 1);
		return -1;
	}
	out[n] = '\0';
	return 0;
}

int
cred_keypair(const char *code, const char *election_id, unsigned char pk[32],
        unsigned char sk[64])
{
	char norm[CRED_CODE_CHARS + 1];
	unsigned char key[CRED_KEY_LEN], seed[crypto_sign_SEEDBYTES];
	int rc;

	if (!uuid_canonical(election_id) ||
	        cred_code_normalize(code, norm) != 0)
		return -1;
	memcpy(key, CRED_KEY_TAG, sizeof(CRED_KEY_TAG) - 1);
	memcpy(key + sizeof(CRED_KEY_TAG) - 1, election_id, 36);
	crypto_generichash(seed, sizeof(seed), (const unsigned char *)norm,
	        CRED_CODE_CHARS, key, sizeof(key));
	rc = crypto_sign_seed_keypair(pk, sk, seed) == 0 ? 0 : -1;
	sodium_memzero(norm, sizeof(norm));
	sodium_memzero(seed, sizeof(seed));
	return rc;
}
