/*
 * test_password.c - password policy, Argon2id hashing and verification
 *
 * Most tests use the smallest parameters libsodium allows so that they
 * stay fast; one test hashes with the defaults.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "password.h"

static const struct password_params fast = {
        crypto_pwhash_OPSLIMIT_MIN, 8192 * 1024};
static const struct password_params fast2 = {
        crypto_pwhash_OPSLIMIT_MIN + 1, 8192 * 1024};

static int
setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

/* The check's message for s[0..len) from an exact-size heap copy. */
static const char *
why_n(const char *s, size_t len)
{
	char *b = malloc(len > 0 ? len : 1);
	const char *why = "unset";
	enum err e;

	assert_non_null(b);
	if (s != NULL)
		memcpy(b, s, len);
	e = password_check(s != NULL ? b : NULL, len, &why);
	free(b);
	if (e == ERR_OK)
		assert_null(why);
	else
		assert_int_equal(e, ERR_INVALID);
	return why;
}

static const char *
why(const char *s)
{
	return why_n(s, strlen(s));
}

/* n copies of the UTF-8 character c (static buffer). */
static const char *
rep(const char *c, size_t n)
{
	static char buf[2048];
	size_t i, l = strlen(c);

	assert_true(n * l < sizeof(buf));
	for (i = 0; i < n; i++)
		memcpy(buf + i * l, c, l);
	buf[n * l] = '\0';
	return buf;
}

#define SHORT "must be at least 12 characters"
#define LONG "must be at most 128 characters"
#define UTF8 "must be valid UTF-8"
#define CTRL "must not contain control characters"

static void
check_equal(const char *got, const char *want)
{
	if (want == NULL && got != NULL)
		fail_msg("refused: %s", got);
	if (want != NULL && (got == NULL || strcmp(got, want) != 0))
		fail_msg("got \"%s\", want \"%s\"", got ? got : "(ok)", want);
}

static void
test_check_length(void **state)
{
	(void)state;
	check_equal(why("correct horse"), NULL);
	check_equal(why("123456789012"), NULL);
	check_equal(why("12345678901"), SHORT);
	check_equal(why(""), SHORT);
	check_equal(why_n(NULL, 0), SHORT);
	check_equal(why("            "), NULL); /* no composition rules */
	check_equal(why(rep("a", 128)), NULL);
	check_equal(why(rep("a", 129)), LONG);
	/* lengths count code points, not bytes */
	check_equal(why(rep("é", 12)), NULL);
	check_equal(why(rep("é", 11)), SHORT); /* 22 bytes */
	check_equal(why(rep("€", 11)), SHORT); /* 33 bytes */
	check_equal(why(rep("😀", 11)), SHORT); /* 44 bytes */
	check_equal(why(rep("😀", 12)), NULL);
	check_equal(why(rep("😀", 128)), NULL); /* 512 bytes */
	check_equal(why(rep("😀", 129)), LONG);
	check_equal(why(rep("é", 128)), NULL);
	check_equal(why(rep("é", 129)), LONG);
	/* over 512 bytes is too long before anything else is looked at */
	check_equal(why_n(rep("\xff", 513), 513), LONG);
	assert_int_equal(password_check("short", 5, NULL), ERR_INVALID);
	assert_int_equal(password_check("long enough!", 12, NULL), ERR_OK);
}

static void
test_check_encoding(void **state)
{
	(void)state;
	check_equal(why("correct horse \xff"), UTF8);
	check_equal(why("correct horse \xc3"), UTF8);         /* cut short */
	check_equal(why("correct horse \xc0\xaf"), UTF8);     /* overlong */
	check_equal(why("correct horse \xed\xa0\x80"), UTF8); /* surrogate */
	check_equal(why("correct horse \x80"), UTF8);
	check_equal(why("correct horse \xf4\x90\x80\x80"), UTF8);
	check_equal(why_n("correct\0horse battery", 21), CTRL);
	check_equal(why_n("correct horse battery\0", 22), CTRL);
	check_equal(why("correct\thorse battery"), CTRL);
	check_equal(why("correct horse battery\n"), CTRL);
	check_equal(why("correct horse battery\r"), CTRL);
	check_equal(why("correct horse \x1b[0m"), CTRL);
	check_equal(why("correct horse \x7f"), CTRL);
	check_equal(why("correct horse \xc2\x85"), CTRL); /* U+0085 NEL */
	check_equal(why("correct horse \xc2\x9f"), CTRL); /* U+009F */
	check_equal(why("correct horse \xc2\xa0"), NULL); /* U+00A0 is ok */
	check_equal(why("mot de passe très sûr"), NULL);
	check_equal(why("пароль пароль"), NULL);
}

static void
test_hash_and_verify(void **state)
{
	char h1[crypto_pwhash_STRBYTES], h2[crypto_pwhash_STRBYTES];
	const char *pw = "correct horse battery staple";

	(void)state;
	assert_int_equal(password_hash(h1, pw, strlen(pw), &fast), ERR_OK);
	assert_int_equal(strncmp(h1, "$argon2id$v=19$m=8192,t=1,p=1$", 30), 0);
	assert_int_equal(password_verify(h1, pw, strlen(pw)), 1);
	assert_int_equal(password_verify(h1, pw, strlen(pw) - 1), 0);
	assert_int_equal(
	        password_verify(h1, "correct horse battery stapl3", strlen(pw)),
	        0);
	assert_int_equal(password_verify(h1, "", 0), 0);
	/* a new salt each time */
	assert_int_equal(password_hash(h2, pw, strlen(pw), &fast), ERR_OK);
	assert_string_not_equal(h1, h2);
	assert_int_equal(password_verify(h2, pw, strlen(pw)), 1);
	/* the length, not a NUL, delimits the password */
	assert_int_equal(
	        password_hash(h1, "correct\0horse battery", 21, &fast), ERR_OK);
	assert_int_equal(password_verify(h1, "correct\0horse battery", 21), 1);
	assert_int_equal(password_verify(h1, "correct", 7), 0);
	/* an empty password hashes and verifies (the policy is separate) */
	assert_int_equal(password_hash(h1, NULL, 0, &fast), ERR_OK);
	assert_int_equal(password_verify(h1, "", 0), 1);
	assert_int_equal(password_verify(h1, NULL, 0), 1);
	assert_int_equal(password_verify(h1, "x", 1), 0);
}

static void
test_verify_malformed(void **state)
{
	char h[crypto_pwhash_STRBYTES], t[crypto_pwhash_STRBYTES];
	char big[2 * crypto_pwhash_STRBYTES];
	const char *pw = "correct horse battery staple";

	(void)state;
	assert_int_equal(password_hash(h, pw, strlen(pw), &fast), ERR_OK);
	assert_int_equal(password_verify(NULL, pw, strlen(pw)), 0);
	assert_int_equal(password_verify("", pw, strlen(pw)), 0);
	assert_int_equal(password_verify("$argon2id$", pw, strlen(pw)), 0);
	assert_int_equal(password_verify("plaintext", pw, strlen(pw)), 0);
	assert_int_equal(password_verify(pw, pw, strlen(pw)), 0);
	/* truncated */
	strcpy(t, h);
	t[strlen(t) - 1] = '\0';
	assert_int_equal(password_verify(t, pw, strlen(pw)), 0);
	strcpy(t, h);
	t[strlen(t) / 2] = '\0';
	assert_int_equal(password_verify(t, pw, strlen(pw)), 0);
	/* one character of the digest changed */
	strcpy(t, h);
	t[strlen(t) - 2] = t[strlen(t) - 2] == 'A' ? 'B' : 'A';
	assert_int_equal(password_verify(t, pw, strlen(pw)), 0);
	/* parameters changed: a different hash */
	strcpy(t, h);
	t[strlen("$argon2id$v=19$m=8192,t=")] = '2';
	assert_int_equal(password_verify(t, pw, strlen(pw)), 0);
	/* longer than any hash, no NUL within STRBYTES */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(password_verify(big, pw, strlen(pw)), 0);
}

static void
test_needs_rehash(void **state)
{
	char h[crypto_pwhash_STRBYTES], hi[crypto_pwhash_STRBYTES];
	const struct password_params other_mem = {
	        crypto_pwhash_OPSLIMIT_MIN, 16384 * 1024};
	const char *pw = "correct horse battery staple";

	(void)state;
	assert_int_equal(password_hash(h, pw, strlen(pw), &fast), ERR_OK);
	assert_int_equal(password_needs_rehash(h, &fast), 0);
	assert_int_equal(password_needs_rehash(h, &fast2), 1);
	assert_int_equal(password_needs_rehash(h, &other_mem), 1);
	assert_int_equal(password_needs_rehash(h, NULL), 1);
	assert_int_equal(password_needs_rehash(h, &password_default), 1);
	/* Argon2i with the same parameters: another algorithm */
	assert_int_equal(crypto_pwhash_str_alg(hi, pw, strlen(pw), 3,
	                         8192 * 1024, crypto_pwhash_ALG_ARGON2I13),
	        0);
	assert_int_equal(strncmp(hi, "$argon2i$", 9), 0);
	assert_int_equal(password_verify(hi, pw, strlen(pw)), 1);
	{
		const struct password_params p3 = {3, 8192 * 1024};

		assert_int_equal(password_needs_rehash(hi, &p3), 1);
		assert_int_equal(password_hash(h, pw, strlen(pw), &p3), ERR_OK);
		assert_int_equal(password_needs_rehash(h, &p3), 0);
	}
	assert_int_equal(password_needs_rehash(NULL, &fast), 1);
	assert_int_equal(password_needs_rehash("", &fast), 1);
	assert_int_equal(password_needs_rehash("$argon2id$garbage", &fast), 1);
	assert_int_equal(
	        password_needs_rehash("$2y$10$abcdefghijklmnopqrstuv", &fast),
	        1);
}

static void
test_dummy_hash_other_params(void **state)
{
	const char *d;
	char first[crypto_pwhash_STRBYTES];

	(void)state;
	d = password_dummy_hash(&fast);
	assert_non_null(d);
	assert_int_equal(password_needs_rehash(d, &fast), 0);
	assert_int_equal(password_verify(d, "", 0), 0);
	assert_int_equal(password_verify(d, "correct horse battery", 21), 0);
	strcpy(first, d);
	/* recomputed on each call: a new random password and salt */
	d = password_dummy_hash(&fast);
	assert_non_null(d);
	assert_string_not_equal(first, d);
	d = password_dummy_hash(&fast2);
	assert_non_null(d);
	assert_int_equal(password_needs_rehash(d, &fast2), 0);
}

static void *
dummy_thread(void *arg)
{
	(void)arg;
	return (void *)password_dummy_hash(&password_default);
}

/* The one test with the default (interactive) parameters. */
static void
test_defaults(void **state)
{
	char h[crypto_pwhash_STRBYTES];
	const char *pw = "correct horse battery staple";
	pthread_t t[4];
	void *got[4];
	const char *d;
	char want[64];
	int i;

	(void)state;
	assert_int_equal(
	        password_default.opslimit, crypto_pwhash_OPSLIMIT_INTERACTIVE);
	assert_int_equal(
	        password_default.memlimit, crypto_pwhash_MEMLIMIT_INTERACTIVE);
	assert_int_equal(password_hash(h, pw, strlen(pw), NULL), ERR_OK);
	snprintf(want, sizeof(want), "$argon2id$v=19$m=%zu,t=%llu,p=1$",
	        (size_t)crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024,
	        (unsigned long long)crypto_pwhash_OPSLIMIT_INTERACTIVE);
	assert_int_equal(strncmp(h, want, strlen(want)), 0);
	assert_int_equal(password_needs_rehash(h, NULL), 0);
	assert_int_equal(password_needs_rehash(h, &password_default), 0);
	assert_int_equal(password_needs_rehash(h, &fast), 1);
	assert_int_equal(password_verify(h, pw, strlen(pw)), 1);

	/* the dummy hash: computed once, whichever thread asks first */
	for (i = 0; i < 4; i++)
		assert_int_equal(
		        pthread_create(&t[i], NULL, dummy_thread, NULL), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_join(t[i], &got[i]), 0);
	d = password_dummy_hash(NULL);
	assert_non_null(d);
	for (i = 0; i < 4; i++)
		assert_ptr_equal(got[i], d);
	assert_ptr_equal(password_dummy_hash(&password_default), d);
	assert_int_equal(strncmp(d, want, strlen(want)), 0);
	assert_int_equal(password_needs_rehash(d, NULL), 0);
	assert_int_equal(password_verify(d, pw, strlen(pw)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_check_length),
	        cmocka_unit_test(test_check_encoding),
	        cmocka_unit_test(test_hash_and_verify),
	        cmocka_unit_test(test_verify_malformed),
	        cmocka_unit_test(test_needs_rehash),
	        cmocka_unit_test(test_dummy_hash_other_params),
	        cmocka_unit_test(test_defaults),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
