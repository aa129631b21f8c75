/*
 * test_token.c - bearer tokens, identification codes and their hashes
 *
 * Known answers: BLAKE2b-256 of "" and "abc" (RFC 7693's algorithm with a
 * 32-byte digest, as Python's hashlib.blake2b(digest_size=32) gives).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "token.h"

static int
setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

static int
b64url_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static void
test_token_new(void **state)
{
	char a[TOKEN_TEXT_LEN + 1], b[TOKEN_TEXT_LEN + 1];
	unsigned char bin[TOKEN_BYTES + 1];
	size_t i, got = 0;
	int k;

	(void)state;
	assert_int_equal(TOKEN_TEXT_LEN,
	        sodium_base64_ENCODED_LEN(
	                TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING) -
	                1);
	for (k = 0; k < 100; k++) {
		memset(a, '#', sizeof(a));
		token_new(a);
		assert_int_equal(strlen(a), TOKEN_TEXT_LEN);
		for (i = 0; i < TOKEN_TEXT_LEN; i++)
			assert_true(b64url_char(a[i]));
		assert_int_equal(token_well_formed(a), 1);
		/* decodes back to 32 bytes */
		assert_int_equal(
		        sodium_base642bin(bin, sizeof(bin), a, strlen(a), NULL,
		                &got, NULL,
		                sodium_base64_VARIANT_URLSAFE_NO_PADDING),
		        0);
		assert_int_equal(got, TOKEN_BYTES);
		token_new(b);
		assert_string_not_equal(a, b);
	}
}

static void
test_token_well_formed(void **state)
{
	char s[64];

	(void)state;
	assert_int_equal(token_well_formed(
	                         "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"),
	        1);
	memset(s, 'A', 43);
	s[43] = '\0';
	assert_int_equal(token_well_formed(s), 1);
	s[0] = '-';
	s[42] = '_';
	assert_int_equal(token_well_formed(s), 1);
	s[10] = '+'; /* standard base64, not url-safe */
	assert_int_equal(token_well_formed(s), 0);
	s[10] = '/';
	assert_int_equal(token_well_formed(s), 0);
	s[10] = '=';
	assert_int_equal(token_well_formed(s), 0);
	s[10] = ' ';
	assert_int_equal(token_well_formed(s), 0);
	s[10] = '\xc3';
	assert_int_equal(token_well_formed(s), 0);
	s[10] = 'A';
	s[42] = '\0'; /* 42 characters */
	assert_int_equal(token_well_formed(s), 0);
	s[42] = 'A';
	s[43] = 'A'; /* 44 */
	s[44] = '\0';
	assert_int_equal(token_well_formed(s), 0);
	s[43] = '=';
	assert_int_equal(token_well_formed(s), 0); /* padded */
	assert_int_equal(token_well_formed(""), 0);
	assert_int_equal(token_well_formed(NULL), 0);
}

static void
test_token_hash_hex(void **state)
{
	char out[65];
	const char *tok = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
	unsigned char h[32];
	char want[65];

	(void)state;
	token_hash_hex("", 0, out);
	assert_string_equal(out, "0e5751c026e543b2e8ab2eb06099daa1"
	                         "d1e5df47778f7787faab45cdf12fe3a8");
	token_hash_hex("abc", 3, out);
	assert_string_equal(out, "bddd813c634239723171ef3fee98579b"
	                         "94964e3bb1cb3e427262c8c068d52319");
	token_hash_hex(tok, strlen(tok), out);
	assert_string_equal(out, "ba285d7e0208bffd223ed32a2051a84f"
	                         "463d139b7e0d100a9b30efab23fbf04b");
	/* exactly what server/h_collectivities.c and cmd_admin.c compute */
	crypto_generichash(
	        h, sizeof(h), (const unsigned char *)tok, strlen(tok), NULL, 0);
	sodium_bin2hex(want, sizeof(want), h, sizeof(h));
	assert_string_equal(out, want);
	/* len bounds the input */
	token_hash_hex("abcdef", 3, out);
	assert_string_equal(out, "bddd813c634239723171ef3fee98579b"
	                         "94964e3bb1cb3e427262c8c068d52319");
}

static void
test_code_from_bytes(void **state)
{
	static const unsigned char zero[CODE_BYTES] = {0};
	static const unsigned char ones[CODE_BYTES] = {
	        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static const unsigned char seq[CODE_BYTES] = {
	        0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
	static const unsigned char mix[CODE_BYTES] = {
	        0x08, 0x42, 0x10, 0x84, 0x21, 0x08, 0x42, 0x10, 0x84, 0x2a};
	char out[CODE_TEXT_LEN + 1];

	(void)state;
	code_from_bytes(zero, out);
	assert_string_equal(out, "0000-0000-0000-0000");
	code_from_bytes(ones, out);
	assert_string_equal(out, "ZZZZ-ZZZZ-ZZZZ-ZZZZ");
	code_from_bytes(seq, out);
	assert_string_equal(out, "000G-40R4-0M30-E209");
	code_from_bytes(mix, out);
	assert_string_equal(out, "1111-1111-1111-111A");
}

static void
test_code_new(void **state)
{
	char a[CODE_TEXT_LEN + 1], b[CODE_TEXT_LEN + 1], n[CODE_SYMBOLS + 1];
	int seen[256] = {0};
	size_t i;
	int k;

	(void)state;
	for (k = 0; k < 200; k++) {
		memset(a, '#', sizeof(a));
		code_new(a);
		assert_int_equal(strlen(a), CODE_TEXT_LEN);
		for (i = 0; i < CODE_TEXT_LEN; i++) {
			if (i % 5 == 4) {
				assert_int_equal(a[i], '-');
				continue;
			}
			assert_non_null(strchr(
			        "0123456789ABCDEFGHJKMNPQRSTVWXYZ", a[i]));
			seen[(unsigned char)a[i]] = 1;
		}
		/* a new code normalizes to its own symbols */
		assert_int_equal(code_normalize(a, n), 1);
		assert_int_equal(strlen(n), CODE_SYMBOLS);
		code_new(b);
		assert_string_not_equal(a, b);
	}
	/* 3200 symbols: all 32 turn up */
	for (i = 0; i < 32; i++)
		assert_true(seen[(
		        unsigned char)"0123456789ABCDEFGHJKMNPQRSTVWXYZ"[i]]);
}

static void
norm_ok(const char *in, const char *want)
{
	char out[CODE_SYMBOLS + 1];

	if (code_normalize(in, out) != 1)
		fail_msg("\"%s\" should normalize", in);
	assert_string_equal(out, want);
}

static void
norm_bad(const char *in)
{
	char out[CODE_SYMBOLS + 1];

	memset(out, '#', sizeof(out));
	if (code_normalize(in, out) != 0)
		fail_msg("\"%s\" should not normalize", in);
	assert_string_equal(out, "");
}

static void
test_code_normalize(void **state)
{
	(void)state;
	norm_ok("ABCD-EFGH-JKMN-PQRS", "ABCDEFGHJKMNPQRS");
	norm_ok("abcd-efgh-jkmn-pqrs", "ABCDEFGHJKMNPQRS");
	norm_ok("ABCDEFGHJKMNPQRS", "ABCDEFGHJKMNPQRS");
	norm_ok("  abcd efgh  jkmn pqrs ", "ABCDEFGHJKMNPQRS");
	norm_ok("ab-cd-ef-gh-jk-mn-pq-rs", "ABCDEFGHJKMNPQRS");
	norm_ok("--ABCD--EFGH--JKMN--PQRS--", "ABCDEFGHJKMNPQRS");
	/* Crockford's aliases */
	norm_ok("OOOO-oooo-IIII-iiii", "0000000011111111");
	norm_ok("LLLL-llll-0000-1111", "1111111100001111");
	norm_ok("0123-4567-89ab-cdef", "0123456789ABCDEF");
	norm_ok("vwxy-zVWX-YZ00-0000", "VWXYZVWXYZ000000");
	norm_bad("ABCD-EFGH-JKMN-PQR");       /* 15 symbols */
	norm_bad("ABCD-EFGH-JKMN-PQRST");     /* 17 */
	norm_bad("ABCD-EFGH-JKMN-PQRS-0000"); /* 20 */
	norm_bad("ABCD-EFGH-JKMN-PQRU");      /* U is not Crockford */
	norm_bad("ABCD-EFGH-JKMN-PQR*");      /* nor the check symbols */
	norm_bad("ABCD_EFGH_JKMN_PQRS");
	norm_bad("ABCD.EFGH.JKMN.PQRS");
	norm_bad("ABCD\tEFGH-JKMN-PQRS");
	norm_bad("ABCD-EFGH-JKMN-PQRÉ");
	norm_bad("");
	norm_bad("----");
	norm_bad(NULL);
}

static void
test_code_hash_hex(void **state)
{
	char out[65], want[65];

	(void)state;
	token_hash_hex("ABCDEFGHJKMNPQRS", 16, want);
	assert_string_equal(want, "f010fdc5345130c5fea43d38ce917290"
	                          "ad1a87bb3c0fd2e526375bbfb81c9915");
	assert_int_equal(code_hash_hex("abcd-efgh-jkmn-pqrs", out), 1);
	assert_string_equal(out, want);
	assert_int_equal(code_hash_hex(" ABCD EFGH JKMN PQRS", out), 1);
	assert_string_equal(out, want);
	assert_int_equal(code_hash_hex("oi1l-0000-0000-0000", out), 1);
	token_hash_hex("0111000000000000", 16, want);
	assert_string_equal(out, want);
	memset(out, '#', sizeof(out));
	assert_int_equal(code_hash_hex("ABCD-EFGH-JKMN-PQRU", out), 0);
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_token_new),
	        cmocka_unit_test(test_token_well_formed),
	        cmocka_unit_test(test_token_hash_hex),
	        cmocka_unit_test(test_code_from_bytes),
	        cmocka_unit_test(test_code_new),
	        cmocka_unit_test(test_code_normalize),
	        cmocka_unit_test(test_code_hash_hex),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
