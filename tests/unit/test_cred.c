/*
 * test_cred.c - credential codes and the key pairs derived from them
 *
 * The known answers were computed independently with Python: hashlib's
 * blake2b(code, key="participe/credential/v1:" + id, digest_size=32) for
 * the seed, and the cryptography package (OpenSSL) for the Ed25519 public
 * key of that seed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

#include "cred.h"

#define EID "0b1e2d3c-4a5b-4c6d-8e7f-90a1b2c3d4e5"
#define EID2 "0b1e2d3c-4a5b-4c6d-8e7f-90a1b2c3d4e6"
#define CODE "2345-6789-ABCD-EFGH-JKLM-NPQR"

static int
setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

static void
assert_hex(const unsigned char *b, size_t len, const char *want)
{
	char got[129];

	sodium_bin2hex(got, sizeof(got), b, len);
	assert_string_equal(got, want);
}

static void
test_known_answer(void **state)
{
	unsigned char pk[32], sk[64], seed[32];

	(void)state;
	assert_int_equal(cred_keypair(CODE, EID, pk, sk), 0);
	crypto_sign_ed25519_sk_to_seed(seed, sk);
	assert_hex(seed, 32,
	        "d9c46fd67c6ebcb0bde3dea02d8c4177697aa355e4243cc472803d4ff137b4"
	        "b"
	        "0");
	assert_hex(pk, 32,
	        "4cc3b3601e9ddcdebd025af3b61c5fa7d34154944570b370af9642152ee1e3"
	        "4"
	        "5");
	assert_memory_equal(sk + 32, pk, 32);
	assert_int_equal(cred_keypair(CODE, EID2, pk, sk), 0);
	assert_hex(pk, 32,
	        "c56ae70755db7c95b0c62bf59a07a9f6512d84348589a806da06d8064432d9"
	        "e"
	        "f");
}

static void
test_deterministic(void **state)
{
	unsigned char pk1[32], sk1[64], pk2[32], sk2[64];

	(void)state;
	assert_int_equal(cred_keypair(CODE, EID, pk1, sk1), 0);
	/* every accepted typing of the code gives the same keys */
	assert_int_equal(
	        cred_keypair("23456789ABCDEFGHJKLMNPQR", EID, pk2, sk2), 0);
	assert_memory_equal(pk1, pk2, 32);
	assert_memory_equal(sk1, sk2, 64);
	assert_int_equal(cred_keypair(" 2345 6789\tABCD-EFGH\n-JKLM--NPQR\r\n",
	                         EID, pk2, sk2),
	        0);
	assert_memory_equal(pk1, pk2, 32);
	/* another election, another key */
	assert_int_equal(cred_keypair(CODE, EID2, pk2, sk2), 0);
	assert_memory_not_equal(pk1, pk2, 32);
	/* another code, another key */
	assert_int_equal(
	        cred_keypair("2345-6789-ABCD-EFGH-JKLM-NPQS", EID, pk2, sk2),
	        0);
	assert_memory_not_equal(pk1, pk2, 32);
	/* the key pair signs */
	{
		unsigned char sig[64];

		crypto_sign_detached(
		        sig, NULL, (const unsigned char *)"m", 1, sk1);
		assert_int_equal(crypto_sign_verify_detached(sig,
		                         (const unsigned char *)"m", 1, pk1),
		        0);
	}
}

static void
test_bad_input(void **state)
{
	unsigned char pk[32], sk[64];

	(void)state;
	/* the election id must be a canonical lowercase UUID */
	assert_int_equal(
	        cred_keypair(
	                CODE, "0B1E2D3C-4A5B-4C6D-8E7F-90A1B2C3D4E5", pk, sk),
	        -1);
	assert_int_equal(
	        cred_keypair(CODE, "0b1e2d3c4a5b4c6d8e7f90a1b2c3d4e5", pk, sk),
	        -1);
	assert_int_equal(cred_keypair(CODE, "", pk, sk), -1);
	assert_int_equal(cred_keypair(CODE, NULL, pk, sk), -1);
	assert_int_equal(cred_keypair(NULL, EID, pk, sk), -1);
	assert_int_equal(cred_keypair("2345-6789", EID, pk, sk), -1);
}

static void
test_normalize(void **state)
{
	char out[CRED_CODE_CHARS + 1];

	(void)state;
	assert_int_equal(cred_code_normalize(CODE, out), 0);
	assert_string_equal(out, "23456789ABCDEFGHJKLMNPQR");
	assert_int_equal(
	        cred_code_normalize("\t2345 6789 abcd efgh jkmn pqrs\n", out),
	        0);
	assert_string_equal(out, "23456789abcdefghjkmnpqrs");
	assert_int_equal(
	        cred_code_normalize("----23456789ABCDEFGHJKLMNPQR--", out), 0);
	/* the characters base58 leaves out: 0 O I l */
	assert_int_equal(
	        cred_code_normalize("0345-6789-ABCD-EFGH-JKLM-NPQR", out), -1);
	assert_string_equal(out, "");
	assert_int_equal(
	        cred_code_normalize("O345-6789-ABCD-EFGH-JKLM-NPQR", out), -1);
	assert_int_equal(
	        cred_code_normalize("I345-6789-ABCD-EFGH-JKLM-NPQR", out), -1);
	assert_int_equal(
	        cred_code_normalize("l345-6789-ABCD-EFGH-JKLM-NPQR", out), -1);
	/* other separators and characters */
	assert_int_equal(
	        cred_code_normalize("2345_6789_ABCD_EFGH_JKLM_NPQR", out), -1);
	assert_int_equal(
	        cred_code_normalize("2345.6789.ABCD.EFGH.JKLM.NPQR", out), -1);
	assert_int_equal(cred_code_normalize(
	                         "2345-6789-ABCD-EFGH-JKLM-NPQ\xc3\xa9", out),
	        -1);
	/* lengths: 23, 25, empty */
	assert_int_equal(
	        cred_code_normalize("2345-6789-ABCD-EFGH-JKLM-NPQ", out), -1);
	assert_int_equal(
	        cred_code_normalize("2345-6789-ABCD-EFGH-JKLM-NPQRS", out), -1);
	assert_int_equal(cred_code_normalize("", out), -1);
	assert_int_equal(cred_code_normalize(" - ", out), -1);
	assert_int_equal(cred_code_normalize(NULL, out), -1);
}

static void
test_random(void **state)
{
	char a[CRED_CODE_TEXT], b[CRED_CODE_TEXT], n[CRED_CODE_CHARS + 1];
	int counts[58];
	size_t i, j;

	(void)state;
	memset(counts, 0, sizeof(counts));
	cred_code_random(a);
	cred_code_random(b);
	assert_string_not_equal(a, b);
	for (i = 0; i < 2000; i++) {
		cred_code_random(a);
		assert_int_equal(strlen(a), CRED_CODE_TEXT - 1);
		for (j = 0; j < CRED_CODE_TEXT - 1; j++) {
			if (j % 5 == 4) {
				assert_int_equal(a[j], '-');
				continue;
			}
			assert_non_null(strchr(CRED_ALPHABET, a[j]));
			counts[strchr(CRED_ALPHABET, a[j]) - CRED_ALPHABET]++;
		}
		assert_int_equal(cred_code_normalize(a, n), 0);
	}
	/*
	 * 48000 draws: each character about 828 times. Far outside of
	 * chance: below 600 or above 1050 (about 8 standard deviations).
	 */
	for (i = 0; i < 58; i++) {
		assert_true(counts[i] > 600);
		assert_true(counts[i] < 1050);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_known_answer),
	        cmocka_unit_test(test_deterministic),
	        cmocka_unit_test(test_bad_input),
	        cmocka_unit_test(test_normalize),
	        cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
