/*
 * password.c - the policy check and libsodium's Argon2id
 */
#include "password.h"

#include <pthread.h>
#include <string.h>

#include "utf8.h"

const struct password_params password_default = {
        crypto_pwhash_OPSLIMIT_INTERACTIVE,
        crypto_pwhash_MEMLIMIT_INTERACTIVE,
};

/* The prefix of the only algorithm we produce. */
#define ARGON2ID_PREFIX "$argon2id$"

enum err
password_check(const char *pw, size_t len, const char **why)
{
	const unsigned char *p = (const unsigned char *)pw;
	const char *msg = NULL;
	size_t i, n = 0;

	if (len > PASSWORD_MAX_BYTES) {
		/* 512 bytes is more than 128 characters of up to 4 bytes */
		msg = "must be at most 128 characters";
	} else if (len > 0 && (pw == NULL || !utf8_valid(pw, len))) {
		msg = "must be valid UTF-8";
	} else {
		for (i = 0; i < len; i++) {
			/* C0 and DEL; C1 controls are U+0080..U+009F, which
			 * UTF-8 writes as C2 80..C2 9F */
			if (p[i] < 0x20 || p[i] == 0x7F ||
			        (p[i] == 0xC2 && i + 1 < len &&
			                p[i + 1] >= 0x80 && p[i + 1] <= 0x9F)) {
				msg = "must not contain control characters";
				break;
			}
			if ((p[i] & 0xC0) != 0x80)
				n++;
		}
		if (msg == NULL && n < PASSWORD_MIN_CHARS)
			msg = "must be at least 12 characters";
		else if (msg == NULL && n > PASSWORD_MAX_CHARS)
			msg = "must be at most 128 characters";
	}
	if (why != NULL)
		*why = msg;
	return msg == NULL ? ERR_OK : ERR_INVALID;
}

static const struct password_params *
params_or_default(const struct password_params *pp)
{
	return pp != NULL ? pp : &password_default;
}

enum err
password_hash(char out[crypto_pwhash_STRBYTES], const char *pw, size_t len,
        const struct password_params *pp)
{
	pp = params_or_default(pp);
	if (pw == NULL)
		pw = "";
	if (crypto_pwhash_str_alg(out, pw, len, pp->opslimit, pp->memlimit,
	            crypto_pwhash_ALG_ARGON2ID13) != 0) {
		out[0] = '\0';
		return ERR_INTERNAL;
	}
	return ERR_OK;
}

int
password_verify(const char *hash, const char *pw, size_t len)
{
	if (hash == NULL || memchr(hash, '\0', crypto_pwhash_STRBYTES) == NULL)
		return 0;
	if (pw == NULL)
		pw = "";
	return crypto_pwhash_str_verify(hash, pw, len) == 0;
}

int
password_needs_rehash(const char *hash, const struct password_params *pp)
{
	pp = params_or_default(pp);
	if (hash == NULL ||
	        memchr(hash, '\0', crypto_pwhash_STRBYTES) == NULL ||
	        strncmp(hash, ARGON2ID_PREFIX, strlen(ARGON2ID_PREFIX)) != 0)
		return 1;
	return crypto_pwhash_str_needs_rehash(
	               hash, pp->opslimit, pp->memlimit) != 0;
}

/* Hashes a random password that is then forgotten. */
static int
dummy_compute(
        char out[crypto_pwhash_STRBYTES], const struct password_params *pp)
{
	unsigned char pw[32];
	int ok;

	randombytes_buf(pw, sizeof(pw));
	ok = crypto_pwhash_str_alg(out, (const char *)pw, sizeof(pw),
	             pp->opslimit, pp->memlimit,
	             crypto_pwhash_ALG_ARGON2ID13) == 0;
	sodium_memzero(pw, sizeof(pw));
	return ok;
}

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_default[crypto_pwhash_STRBYTES];
static int dummy_default_ok;

static void
dummy_init(void)
{
	dummy_default_ok = dummy_compute(dummy_default, &password_default);
}

const char *
password_dummy_hash(const struct password_params *pp)
{
	static _Thread_local char other[crypto_pwhash_STRBYTES];

	pp = params_or_default(pp);
	if (pp->opslimit == password_default.opslimit &&
	        pp->memlimit == password_default.memlimit) {
		pthread_once(&dummy_once, dummy_init);
		return dummy_default_ok ? dummy_default : NULL;
	}
	return dummy_compute(other, pp) ? other : NULL;
}
