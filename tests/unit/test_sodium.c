/*
 * test_sodium.c - the crypto library the project relies on, checked
 * against published vectors: Ed25519 from RFC 8032 section 7.1 (TEST 1,
 * TEST 2, TEST 3) and SHA-256 from FIPS 180-2 / RFC 6234 ("abc", "",
 * the two-block message).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <string.h>

struct ed25519_vector {
	const char *name;
	const char *seed; /* RFC 8032 "SECRET KEY" (the 32-byte seed) */
	const char *pk;   /* "PUBLIC KEY" */
	const char *msg;  /* "MESSAGE", hex, may be empty */
	const char *sig;  /* "SIGNATURE" */
};

static const struct ed25519_vector vectors[] = {
        {
                "RFC 8032 7.1 TEST 1",
                "9d61b19deffd5a60ba844af492ec2cc4"
                "4449c5697b326919703bac031cae7f60",
                "d75a980182b10ab7d54bfed3c964073a"
                "0ee172f3daa62325af021a68f707511a",
                "",
                "e5564300c360ac729086e2cc806e828a"
                "84877f1eb8e5d974d873e06522490155"
                "5fb8821590a33bacc61e39701cf9b46b"
                "d25bf5f0595bbe24655141438e7a100b",
        },
        {
                "RFC 8032 7.1 TEST 2",
                "4ccd089b28ff96da9db6c346ec114e0f"
                "5b8a319f35aba624da8cf6ed4fb8a6fb",
                "3d4017c3e843895a92b70aa74d1b7ebc"
                "9c982ccf2ec4968cc0cd55f12af4660c",
                "72",
                "92a009a9f0d4cab8720e820b5f642540"
                "a2b27b5416503f8fb3762223ebdb69da"
                "085ac1e43e15996e458f3613d0f11d8c"
                "387b2eaeb4302aeeb00d291612bb0c00",
        },
        {
                "RFC 8032 7.1 TEST 3",
                "c5aa8df43f9f837bedb7442f31dcb7b1"
                "66d38535076f094b85ce3a2e0b4458f7",
                "fc51cd8e6218a1a38da47ed00230f058"
                "0816ed13ba3303ac5deb911548908025",
                "af82",
                "6291d657deec24024827e69c3abe01a3"
                "0ce548a284743a445e3680d7db5ac3ac"
                "18ff9b538d16f290ae67f760984dc659"
                "4a7c15e9716ed28dc027beceea1ec40a",
        },
};

static int
setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

/* Decodes exactly 'len' bytes of hex; fails the test otherwise. */
static void
unhex(const char *hex, unsigned char *out, size_t len)
{
	size_t got = 0;
	const char *end = NULL;

	if (strlen(hex) != 2 * len)
		fail_msg("hex string of %zu digits, want %zu", strlen(hex),
		        2 * len);
	if (sodium_hex2bin(out, len, hex, strlen(hex), NULL, &got, &end) != 0 ||
	        got != len || *end != '\0')
		fail_msg("bad hex \"%s\"", hex);
}

static void
test_ed25519_keypair_from_seed(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const struct ed25519_vector *v = &vectors[i];
		unsigned char seed[crypto_sign_SEEDBYTES];
		unsigned char want_pk[crypto_sign_PUBLICKEYBYTES];
		unsigned char pk[crypto_sign_PUBLICKEYBYTES];
		unsigned char sk[crypto_sign_SECRETKEYBYTES];
		unsigned char pk2[crypto_sign_PUBLICKEYBYTES];
		unsigned char seed2[crypto_sign_SEEDBYTES];

		unhex(v->seed, seed, sizeof(seed));
		unhex(v->pk, want_pk, sizeof(want_pk));
		assert_int_equal(crypto_sign_seed_keypair(pk, sk, seed), 0);
		if (memcmp(pk, want_pk, sizeof(pk)) != 0)
			fail_msg("%s: public key differs", v->name);
		/* libsodium's secret key is seed || public key. */
		assert_memory_equal(sk, seed, sizeof(seed));
		assert_memory_equal(sk + 32, want_pk, sizeof(want_pk));
		assert_int_equal(crypto_sign_ed25519_sk_to_pk(pk2, sk), 0);
		assert_memory_equal(pk2, want_pk, sizeof(want_pk));
		assert_int_equal(crypto_sign_ed25519_sk_to_seed(seed2, sk), 0);
		assert_memory_equal(seed2, seed, sizeof(seed));
	}
}

static void
test_ed25519_detached_sign_and_verify(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const struct ed25519_vector *v = &vectors[i];
		unsigned char seed[crypto_sign_SEEDBYTES];
		unsigned char pk[crypto_sign_PUBLICKEYBYTES];
		unsigned char sk[crypto_sign_SECRETKEYBYTES];
		unsigned char want_sig[crypto_sign_BYTES];
		unsigned char sig[crypto_sign_BYTES];
		unsigned char msg[16];
		size_t mlen = strlen(v->msg) / 2;
		unsigned long long siglen = 0;

		unhex(v->seed, seed, sizeof(seed));
		unhex(v->sig, want_sig, sizeof(want_sig));
		unhex(v->msg, msg, mlen);
		assert_int_equal(crypto_sign_seed_keypair(pk, sk, seed), 0);

		/* The published signature verifies. */
		if (crypto_sign_verify_detached(want_sig, msg, mlen, pk) != 0)
			fail_msg("%s: RFC signature does not verify", v->name);

		/* Ed25519 is deterministic: signing reproduces it exactly. */
		memset(sig, 0, sizeof(sig));
		assert_int_equal(
		        crypto_sign_detached(sig, &siglen, msg, mlen, sk), 0);
		assert_int_equal(siglen, crypto_sign_BYTES);
		if (memcmp(sig, want_sig, sizeof(sig)) != 0)
			fail_msg("%s: signature differs from the RFC", v->name);
	}
}

static void
test_ed25519_combined_sign_open(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const struct ed25519_vector *v = &vectors[i];
		unsigned char seed[crypto_sign_SEEDBYTES];
		unsigned char pk[crypto_sign_PUBLICKEYBYTES];
		unsigned char sk[crypto_sign_SECRETKEYBYTES];
		unsigned char want_sig[crypto_sign_BYTES];
		unsigned char msg[16], sm[crypto_sign_BYTES + 16], m2[16];
		size_t mlen = strlen(v->msg) / 2;
		unsigned long long smlen = 0, m2len = 99;

		unhex(v->seed, seed, sizeof(seed));
		unhex(v->sig, want_sig, sizeof(want_sig));
		unhex(v->msg, msg, mlen);
		assert_int_equal(crypto_sign_seed_keypair(pk, sk, seed), 0);
		assert_int_equal(crypto_sign(sm, &smlen, msg, mlen, sk), 0);
		assert_int_equal(smlen, crypto_sign_BYTES + mlen);
		assert_memory_equal(sm, want_sig, crypto_sign_BYTES);
		if (mlen > 0)
			assert_memory_equal(sm + crypto_sign_BYTES, msg, mlen);
		assert_int_equal(
		        crypto_sign_open(m2, &m2len, sm, smlen, pk), 0);
		assert_int_equal(m2len, mlen);
		if (mlen > 0)
			assert_memory_equal(m2, msg, mlen);
	}
}

/* Any flipped bit in signature, message or key fails verification. */
static void
test_ed25519_tampering_rejected(void **state)
{
	size_t i, bit;

	(void)state;
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const struct ed25519_vector *v = &vectors[i];
		unsigned char pk[crypto_sign_PUBLICKEYBYTES];
		unsigned char sig[crypto_sign_BYTES];
		unsigned char msg[16];
		size_t mlen = strlen(v->msg) / 2;

		unhex(v->pk, pk, sizeof(pk));
		unhex(v->sig, sig, sizeof(sig));
		unhex(v->msg, msg, mlen);
		for (bit = 0; bit < 8 * sizeof(sig); bit++) {
			sig[bit / 8] ^= (unsigned char)(1u << (bit % 8));
			if (crypto_sign_verify_detached(sig, msg, mlen, pk) ==
			        0)
				fail_msg("%s: signature with bit %zu flipped "
				         "verifies",
				        v->name, bit);
			sig[bit / 8] ^= (unsigned char)(1u << (bit % 8));
		}
		for (bit = 0; bit < 8 * mlen; bit++) {
			msg[bit / 8] ^= (unsigned char)(1u << (bit % 8));
			assert_int_not_equal(
			        crypto_sign_verify_detached(sig, msg, mlen, pk),
			        0);
			msg[bit / 8] ^= (unsigned char)(1u << (bit % 8));
		}
		/* One more byte of message. */
		msg[mlen] = 0;
		assert_int_not_equal(
		        crypto_sign_verify_detached(sig, msg, mlen + 1, pk), 0);
		/* Another vector's key. */
		unhex(vectors[(i + 1) % 3].pk, pk, sizeof(pk));
		assert_int_not_equal(
		        crypto_sign_verify_detached(sig, msg, mlen, pk), 0);
		unhex(v->pk, pk, sizeof(pk));
		assert_int_equal(
		        crypto_sign_verify_detached(sig, msg, mlen, pk), 0);
	}
}

static void
check_sha256(const char *msg, const char *want_hex)
{
	unsigned char want[crypto_hash_sha256_BYTES];
	unsigned char got[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state st;
	size_t len = strlen(msg), i;

	unhex(want_hex, want, sizeof(want));
	assert_int_equal(
	        crypto_hash_sha256(got, (const unsigned char *)msg, len), 0);
	if (memcmp(got, want, sizeof(got)) != 0)
		fail_msg("SHA-256(\"%s\") differs", msg);
	/* Streaming, one byte at a time, gives the same digest. */
	assert_int_equal(crypto_hash_sha256_init(&st), 0);
	for (i = 0; i < len; i++)
		assert_int_equal(crypto_hash_sha256_update(&st,
		                         (const unsigned char *)msg + i, 1),
		        0);
	memset(got, 0, sizeof(got));
	assert_int_equal(crypto_hash_sha256_final(&st, got), 0);
	assert_memory_equal(got, want, sizeof(want));
}

static void
test_sha256_vectors(void **state)
{
	(void)state;
	check_sha256("abc", "ba7816bf8f01cfea414140de5dae2223"
	                    "b00361a396177a9cb410ff61f20015ad");
	check_sha256("", "e3b0c44298fc1c149afbf4c8996fb924"
	                 "27ae41e4649b934ca495991b7852b855");
	check_sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	        "248d6a61d20638b8e5c026930c3e6039"
	        "a33ce45964ff2167f6ecedd419db06c1");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_ed25519_keypair_from_seed),
	        cmocka_unit_test(test_ed25519_detached_sign_and_verify),
	        cmocka_unit_test(test_ed25519_combined_sign_open),
	        cmocka_unit_test(test_ed25519_tampering_rejected),
	        cmocka_unit_test(test_sha256_vectors),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
