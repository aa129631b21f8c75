/*
 * test_verify.c - universal verification of an exported election
 *
 * Each test builds a whole export as the server would: a descriptor with
 * a test log key, voter keys from cred_keypair(), signed ballots, log
 * entries, tree heads over their Merkle roots signed by the log key, and
 * the result of the tally. The untouched export verifies; then one thing
 * at a time is changed and verification must fail, saying why.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cred.h"
#include "election.h"
#include "merkle.h"
#include "verify.h"
#include "wire.h"

#define EID "0b1e2d3c-4a5b-4c6d-8e7f-90a1b2c3d4e5"
#define NVOTERS 8

static unsigned char lpk[32], lsk[64];
static unsigned char vpk[NVOTERS][32], vsk[NVOTERS][64];

static int
setup(void **state)
{
	unsigned char seed[32];
	char code[CRED_CODE_TEXT];
	size_t i;

	(void)state;
	if (sodium_init() < 0)
		return -1;
	for (i = 0; i < 32; i++)
		seed[i] = (unsigned char)i;
	crypto_sign_seed_keypair(lpk, lsk, seed);
	for (i = 0; i < NVOTERS; i++) {
		cred_code_random(code);
		if (cred_keypair(code, EID, vpk[i], vsk[i]) != 0)
			return -1;
	}
	return 0;
}

/* An election being built, as the server would. */
struct b {
	char *desc;
	struct election e;
	json_t *log, *heads;
	unsigned char (*leaves)[32];
	size_t n, cap;
	unsigned char creds[NVOTERS][32];
	size_t ncreds;
	uint64_t time;
	struct tally *t;
	size_t nballots;
	int closed;
};

/*
 * A descriptor with a single question (a, b, c) and a ranking of 1..3 of
 * (x, y, z).
 */
static void
b_init(struct b *b, int registered, int revote)
{
	char hex[65], why[256];

	memset(b, 0, sizeof(*b));
	hex_encode(lpk, 32, hex);
	b->desc = malloc(2048);
	snprintf(b->desc, 2048,
	        "{\"closes_at\":\"2027-01-31T18:00:00Z\","
	        "\"collectivity\":\"11111111-2222-4333-8444-555555555555\","
	        "\"collectivity_slug\":\"bourg-en-lys\","
	        "\"credentials\":\"%s\",\"election\":\"" EID "\","
	        "\"log_key\":\"%s\",\"opens_at\":\"2027-01-10T08:00:00Z\","
	        "\"process\":\"66666666-7777-4888-9999-aaaaaaaaaaaa\","
	        "\"questions\":[{\"id\":\"maire\",\"options\":["
	        "{\"id\":\"a\",\"label\":\"A\"},{\"id\":\"b\",\"label\":\"B\"},"
	        "{\"id\":\"c\",\"label\":\"C\"}],\"rule\":{\"kind\":\"single\"}"
	        ","
	        "\"text\":\"Qui ?\"},{\"id\":\"ordre\",\"options\":["
	        "{\"id\":\"x\",\"label\":\"X\"},{\"id\":\"y\",\"label\":\"Y\"},"
	        "{\"id\":\"z\",\"label\":\"Z\"}],\"rule\":{\"kind\":"
	        "\"ranking\","
	        "\"max\":3,\"min\":1},\"text\":\"Classez\"}],"
	        "\"revote\":%s,\"title\":\"Test\",\"version\":1}",
	        registered ? "registered" : "authority", hex,
	        revote ? "true" : "false");
	if (election_parse(b->desc, strlen(b->desc), &b->e, why, sizeof(why)) !=
	        0)
		fail_msg("descriptor: %s", why);
	b->log = json_array();
	b->heads = json_array();
	b->t = tally_new(&b->e);
	b->time = 1800000000000ULL;
}

static void
b_free(struct b *b)
{
	tally_free(b->t);
	election_free(&b->e);
	json_decref(b->log);
	json_decref(b->heads);
	free(b->leaves);
	free(b->desc);
}

/* Appends the bytes of an entry to the log. */
static void
b_raw(struct b *b, const unsigned char *bytes, size_t len)
{
	char *hex = hex_dup(bytes, len);

	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 64;
		b->leaves = realloc(b->leaves, b->cap * sizeof(*b->leaves));
	}
	merkle_leaf_hash(bytes, len, b->leaves[b->n]);
	json_array_append_new(b->log,
	        json_pack("{sIss}", "index", (json_int_t)b->n, "entry", hex));
	free(hex);
	b->n++;
	b->time += 10;
}

static void
b_entry(struct b *b, struct log_entry *le)
{
	unsigned char *bytes;
	size_t len;

	le->time_ms = b->time;
	assert_int_equal(log_entry_encode(le, &bytes, &len), 0);
	b_raw(b, bytes, len);
	free(bytes);
}

static int
cmp32(const void *x, const void *y)
{
	return memcmp(x, y, 32);
}

/* The opening: authority mode lists voters 0..nvoters-1. */
static void
b_open(struct b *b, size_t nvoters)
{
	struct log_entry le;
	size_t i;

	memset(&le, 0, sizeof(le));
	le.kind = ENTRY_OPEN;
	memcpy(le.fingerprint, b->e.fingerprint, 32);
	for (i = 0; i < nvoters && !b->e.registered; i++)
		memcpy(b->creds[b->ncreds++], vpk[i], 32);
	qsort(b->creds, b->ncreds, 32, cmp32);
	credentials_hash(
	        (const unsigned char(*)[32])b->creds, b->ncreds, le.list_hash);
	le.count = b->ncreds;
	b_entry(b, &le);
}

/* Registered mode: voter v registers a key. */
static void
b_cred(struct b *b, size_t v)
{
	struct log_entry le;

	memset(&le, 0, sizeof(le));
	le.kind = ENTRY_CREDENTIAL;
	memcpy(le.fingerprint, b->e.fingerprint, 32);
	memcpy(le.key, vpk[v], 32);
	b_entry(b, &le);
	memcpy(b->creds[b->ncreds++], vpk[v], 32);
}

/* Voter v's signed ballot, added to the tally as the server would. */
static void
b_ballot(struct b *b, size_t v, uint64_t seq, const char *choice)
{
	json_t *j = json_loads(choice, 0, NULL);
	struct ballot bl;
	struct log_entry le;
	unsigned char *bytes;
	size_t len;
	char why[256];

	memset(&bl, 0, sizeof(bl));
	if (ballot_choice_from_json(&b->e, j, &bl, why, sizeof(why)) != 0)
		fail_msg("%s: %s", choice, why);
	json_decref(j);
	memcpy(bl.fingerprint, b->e.fingerprint, 32);
	memcpy(bl.key, vpk[v], 32);
	bl.seq = seq;
	assert_int_equal(ballot_encode(&bl, &bytes, &len), 0);
	memset(&le, 0, sizeof(le));
	le.kind = ENTRY_BALLOT;
	le.ballot = bytes;
	le.ballot_len = len;
	crypto_sign_detached(le.sig, NULL, bytes, len, vsk[v]);
	b_entry(b, &le);
	free(bytes);
	assert_int_equal(tally_add(b->t, &bl), 0);
	ballot_free(&bl);
	b->nballots++;
}

static void
b_close(struct b *b)
{
	struct log_entry le;

	memset(&le, 0, sizeof(le));
	le.kind = ENTRY_CLOSE;
	memcpy(le.fingerprint, b->e.fingerprint, 32);
	le.count = b->nballots;
	b_entry(b, &le);
	b->closed = 1;
}

/* A tree head of size entries with this root, signed. */
static void
b_head_root(
        struct b *b, size_t size, const unsigned char root[32], uint64_t time)
{
	unsigned char *msg, sig[64];
	char rhex[65], shex[129];
	size_t len;

	assert_int_equal(tree_head_message(b->e.fingerprint, size, root, time,
	                         &msg, &len),
	        0);
	crypto_sign_detached(sig, NULL, msg, len, lsk);
	free(msg);
	hex_encode(root, 32, rhex);
	hex_encode(sig, 64, shex);
	json_array_append_new(
	        b->heads, json_pack("{sIsssIss}", "tree_size", (json_int_t)size,
	                          "root", rhex, "timestamp", (json_int_t)time,
	                          "signature", shex));
}

static void
b_head_at(struct b *b, size_t size, uint64_t time)
{
	unsigned char root[32];

	merkle_root((const unsigned char(*)[32])b->leaves, size, root);
	b_head_root(b, size, root, time);
}

/* A head of the whole log now. */
static void
b_head(struct b *b)
{
	b_head_at(b, b->n, b->time);
	b->time += 5;
}

/* The export (new reference). */
static json_t *
b_export(struct b *b)
{
	json_t *x, *creds = json_array(), *result = json_null();
	char fp[65], hex[65];
	size_t i;

	qsort(b->creds, b->ncreds, 32, cmp32);
	for (i = 0; i < b->ncreds; i++) {
		hex_encode(b->creds[i], 32, hex);
		json_array_append_new(creds, json_string(hex));
	}
	if (b->closed) {
		char *r = tally_result(b->t);

		json_decref(result);
		result = json_loads(r, 0, NULL);
		free(r);
	}
	hex_encode(b->e.fingerprint, 32, fp);
	x = json_pack("{sssssosOsOso}", "descriptor", b->desc, "fingerprint",
	        fp, "credentials", creds, "log", b->log, "tree_heads", b->heads,
	        "result", result);
	assert_non_null(x);
	/* an independent copy, to tamper with */
	{
		json_t *copy = json_deep_copy(x);

		json_decref(x);
		return copy;
	}
}

/* The standard election: 5 voters, one revote, heads along the way. */
static void
standard(struct b *b, int close)
{
	b_init(b, 0, 1);
	b_open(b, 5);
	b_head(b);
	b_ballot(b, 0, 1, "[\"a\",[\"x\",\"y\",\"z\"]]");
	b_ballot(b, 1, 1, "[\"b\",[\"y\"]]");
	b_head(b);
	b_ballot(b, 2, 1, "[\"b\",[\"z\",\"x\"]]");
	b_ballot(b, 0, 2, "[\"c\",[\"x\"]]");
	b_head(b);
	b_head(b); /* the same size again, later */
	b_ballot(b, 3, 1, "[\"b\",[\"y\",\"z\",\"x\"]]");
	b_ballot(b, 4, 5, "[\"a\",[\"x\",\"z\"]]");
	b_head(b);
	if (close) {
		b_close(b);
		b_head(b);
	}
}

/* verify_export must succeed; fills rep (free rep->result). */
static void
expect_ok(const json_t *x, struct verify_report *rep)
{
	char why[512] = "";

	if (verify_export(x, rep, why, sizeof(why)) != 0)
		fail_msg("refused: %s", why);
}

/* verify_export must fail with a reason containing want. */
static void
expect_fail(json_t *x, const char *want)
{
	struct verify_report rep;
	char why[512] = "";

	if (verify_export(x, &rep, why, sizeof(why)) == 0) {
		free(rep.result);
		fail_msg("accepted (want \"%s\")", want);
	}
	if (strstr(why, want) == NULL)
		fail_msg("\"%s\", want \"%s\"", why, want);
	assert_null(rep.result);
	json_decref(x);
}

/* The string member key of element i of array name of x. */
static json_t *
member(json_t *x, const char *name, size_t i, const char *key)
{
	json_t *v = json_object_get(
	        json_array_get(json_object_get(x, name), i), key);

	assert_non_null(v);
	return v;
}

/* Changes hex digit pos of a JSON string holding hex. */
static void
flip_hex(json_t *s, size_t pos)
{
	static const char digits[] = "0123456789abcdef";
	char *t = strdup(json_string_value(s));
	const char *d;

	assert_true(pos < strlen(t));
	d = strchr(digits, t[pos]);
	t[pos] = digits[(d - digits) ^ 1];
	json_string_set(s, t);
	free(t);
}

static void
test_verify_ok(void **state)
{
	struct verify_report rep;
	struct b b;
	json_t *x;
	char *want;

	(void)state;
	standard(&b, 1);
	x = b_export(&b);
	expect_ok(x, &rep);
	assert_int_equal(rep.entries, 8);
	assert_int_equal(rep.ballots, 6);
	assert_int_equal(rep.counted, 5);
	assert_int_equal(rep.credentials, 5);
	assert_int_equal(rep.tree_heads, 6);
	assert_int_equal(rep.closed, 1);
	want = tally_result(b.t);
	assert_string_equal(rep.result, want);
	/* voter 0's second ballot counts: c; b for 1, 2, 3; a for 4 */
	assert_non_null(strstr(rep.result,
	        "{\"id\":\"maire\",\"kind\":\"single\",\"totals\":[1,3,1],"
	        "\"winners\":[\"b\"]}"));
	assert_non_null(strstr(rep.result, "\"ballots\":5,\"cast\":6"));
	free(want);
	free(rep.result);
	json_decref(x);
	b_free(&b);

	/* not closed yet: no result */
	standard(&b, 0);
	x = b_export(&b);
	expect_ok(x, &rep);
	assert_int_equal(rep.entries, 7);
	assert_int_equal(rep.closed, 0);
	assert_null(rep.result);
	assert_int_equal(rep.counted, 5);
	/* a missing result is no result */
	json_object_del(x, "result");
	expect_ok(x, &rep);
	json_decref(x);
	b_free(&b);

	/* a log with no head yet, and no ballot */
	b_init(&b, 0, 1);
	b_open(&b, 3);
	x = b_export(&b);
	expect_ok(x, &rep);
	assert_int_equal(rep.entries, 1);
	assert_int_equal(rep.tree_heads, 0);
	json_decref(x);
	b_free(&b);
}

/* Heads at every size: each root and each consistency proof. */
static void
test_verify_every_size(void **state)
{
	struct verify_report rep;
	struct b b;
	json_t *x;
	size_t i;

	(void)state;
	b_init(&b, 0, 1);
	b_open(&b, NVOTERS);
	b_head(&b);
	for (i = 0; i < 40; i++) {
		b_ballot(&b, i % NVOTERS, 1 + i / NVOTERS,
		        i % 2 ? "[\"a\",[\"x\"]]" : "[\"c\",[\"z\",\"y\"]]");
		b_head(&b);
	}
	b_close(&b);
	b_head(&b);
	x = b_export(&b);
	expect_ok(x, &rep);
	assert_int_equal(rep.entries, 42);
	assert_int_equal(rep.tree_heads, 42);
	assert_int_equal(rep.counted, NVOTERS);
	free(rep.result);
	/* each root changed (and re-signed) is caught */
	for (i = 0; i < 42; i++) {
		json_t *y = json_deep_copy(x);
		json_t *h = json_array_get(json_object_get(y, "tree_heads"), i);
		unsigned char root[32];
		char want[80];

		hex_decode_fixed(json_string_value(json_object_get(h, "root")),
		        root, 32);
		root[i % 32] ^= 4;
		json_array_clear(b.heads);
		b_head_root(&b, i + 1, root,
		        (uint64_t)json_integer_value(
		                json_object_get(h, "timestamp")));
		json_array_set(json_object_get(y, "tree_heads"), i,
		        json_array_get(b.heads, 0));
		snprintf(want, sizeof(want),
		        "tree head %zu: root is not the Merkle root of the "
		        "first "
		        "%zu entries",
		        i, i + 1);
		expect_fail(y, want);
	}
	json_decref(x);

	/*
	 * Consistency proofs across any gap: 150 chains of 8 heads at
	 * random non-decreasing sizes (a fixed generator), about 1000 pairs
	 * (m, n) of the 42-entry log, each proof checked by merkle.c's RFC
	 * 9162 verifier.
	 */
	{
		uint32_t r = 12345;
		size_t chain;

		for (chain = 0; chain < 150; chain++) {
			size_t sizes[8], k, j;

			for (k = 0; k < 8; k++) {
				r = r * 1103515245u + 12345u;
				sizes[k] = 1 + (r >> 8) % 42;
			}
			for (k = 1; k < 8; k++) /* insertion sort */
				for (j = k; j > 0 && sizes[j - 1] > sizes[j];
				        j--) {
					size_t t = sizes[j];

					sizes[j] = sizes[j - 1];
					sizes[j - 1] = t;
				}
			json_array_clear(b.heads);
			for (k = 0; k < 8; k++)
				b_head_at(&b, sizes[k], b.time + k);
			b_head_at(&b, 42, b.time + 8);
			x = b_export(&b);
			expect_ok(x, &rep);
			free(rep.result);
			json_decref(x);
		}
	}
	b_free(&b);
}

static void
test_tamper_entries(void **state)
{
	struct b b;
	json_t *x, *log;

	(void)state;
	standard(&b, 1);
	x = b_export(&b);

	/* a byte of a ballot's choices (entry 2: voter 1) */
	{
		json_t *y = json_deep_copy(x);
		json_t *e = member(y, "log", 2, "entry");

		/* the last digit of the ranking's value, before the sig */
		flip_hex(e, json_string_length(e) - 24 - 128 - 8 - 1);
		expect_fail(y, "entry 2: question ordre: option index 1 has "
		               "value 0");
	}
	/* every byte of the ballot entry, one at a time */
	{
		size_t len = json_string_length(member(x, "log", 3, "entry"));
		size_t i;

		for (i = 0; i < len; i += 2) {
			json_t *y = json_deep_copy(x);

			flip_hex(member(y, "log", 3, "entry"), i);
			expect_fail(y, "");
		}
	}
	/* a byte of a ballot's signature */
	{
		json_t *y = json_deep_copy(x);
		json_t *e = member(y, "log", 4, "entry");

		flip_hex(e, json_string_length(e) - 16 - 24 - 10);
		expect_fail(y, "entry 4: ballot signature does not verify");
	}
	/* the opening's list hash, count or fingerprint */
	{
		json_t *y = json_deep_copy(x);

		flip_hex(member(y, "log", 0, "entry"), 8 + 44 + 8 + 64 + 8 + 3);
		expect_fail(y, "the credential list's hash is not the opening "
		               "entry's");
		y = json_deep_copy(x);
		flip_hex(member(y, "log", 0, "entry"), 8 + 44 + 8 + 10);
		expect_fail(
		        y, "entry 0 has the fingerprint of another election");
	}
	/* the closing's fingerprint */
	{
		json_t *y = json_deep_copy(x);

		flip_hex(member(y, "log", 7, "entry"), 8 + 46 + 8 + 1);
		expect_fail(
		        y, "entry 7 has the fingerprint of another election");
	}
	/* two ballots of different voters swapped (indices kept in order) */
	{
		json_t *y = json_deep_copy(x);
		json_t *e2 = json_incref(member(y, "log", 2, "entry"));
		json_t *e3 = json_incref(member(y, "log", 3, "entry"));

		log = json_object_get(y, "log");
		json_object_set_new(json_array_get(log, 2), "entry", e3);
		json_object_set_new(json_array_get(log, 3), "entry", e2);
		expect_fail(y,
		        "tree head 1: root is not the Merkle root of the "
		        "first 3 entries");
	}
	/* voter 0's two ballots swapped: the sequence goes down */
	{
		json_t *y = json_deep_copy(x);
		json_t *e1 = json_incref(member(y, "log", 1, "entry"));
		json_t *e4 = json_incref(member(y, "log", 4, "entry"));

		log = json_object_get(y, "log");
		json_object_set_new(json_array_get(log, 1), "entry", e4);
		json_object_set_new(json_array_get(log, 4), "entry", e1);
		expect_fail(y,
		        "entry 4: sequence number 1 is not higher than 2 "
		        "of the same key's entry 1");
	}
	/* an entry removed (renumbered): the closing's count is off */
	{
		json_t *y = json_deep_copy(x);
		size_t i;

		log = json_object_get(y, "log");
		json_array_remove(log, 3);
		for (i = 0; i < json_array_size(log); i++)
			json_object_set_new(json_array_get(log, i), "index",
			        json_integer((json_int_t)i));
		expect_fail(y, "entry 6 closes with 6 ballot entries, the log "
		               "has 5");
	}
	/* an entry removed, not renumbered */
	{
		json_t *y = json_deep_copy(x);

		json_array_remove(json_object_get(y, "log"), 3);
		expect_fail(y, "log element 3 does not have index 3");
	}
	/* upper-case hex, odd length, not a string */
	{
		json_t *y = json_deep_copy(x);
		json_t *e = member(y, "log", 2, "entry");
		char *t = strdup(json_string_value(e));
		size_t i;

		for (i = 0; t[i] != '\0'; i++)
			if (t[i] >= 'a' && t[i] <= 'f')
				t[i] = (char)(t[i] - 'a' + 'A');
		json_string_set(e, t);
		expect_fail(y, "entry 2 is not lowercase hexadecimal");
		y = json_deep_copy(x);
		t[strlen(t) - 1] = '\0';
		json_string_set(member(y, "log", 2, "entry"), t);
		expect_fail(y, "entry 2 is not lowercase hexadecimal");
		free(t);
		y = json_deep_copy(x);
		json_object_set_new(
		        json_array_get(json_object_get(y, "log"), 2), "entry",
		        json_integer(1));
		expect_fail(y, "entry 2 is not lowercase hexadecimal");
	}
	/* an entry cut short */
	{
		json_t *y = json_deep_copy(x);
		json_t *e = member(y, "log", 5, "entry");
		char *t = strdup(json_string_value(e));

		t[strlen(t) - 2] = '\0';
		json_string_set(e, t);
		free(t);
		expect_fail(y, "entry 5 does not parse");
	}
	json_decref(x);
	b_free(&b);
}

static void
test_tamper_heads(void **state)
{
	struct b b;
	json_t *x;

	(void)state;
	standard(&b, 1);
	x = b_export(&b);
	{
		json_t *y = json_deep_copy(x);

		flip_hex(member(y, "tree_heads", 1, "root"), 7);
		expect_fail(y, "tree head 1: signature does not verify");
	}
	{
		json_t *y = json_deep_copy(x);

		flip_hex(member(y, "tree_heads", 0, "signature"), 100);
		expect_fail(y, "tree head 0: signature does not verify");
	}
	{
		json_t *y = json_deep_copy(x);
		json_t *s = member(y, "tree_heads", 2, "tree_size");

		json_integer_set(s, json_integer_value(s) - 1);
		expect_fail(y, "tree head 2: signature does not verify");
	}
	{
		json_t *y = json_deep_copy(x);
		json_t *s = member(y, "tree_heads", 2, "timestamp");

		json_integer_set(s, json_integer_value(s) + 1);
		expect_fail(y, "tree head 2: signature does not verify");
	}
	{
		json_t *y = json_deep_copy(x);

		json_object_set_new(
		        json_array_get(json_object_get(y, "tree_heads"), 1),
		        "root", json_string("00"));
		expect_fail(y, "tree head 1: root is not 64 lowercase");
	}
	{
		json_t *y = json_deep_copy(x);

		json_object_set_new(
		        json_array_get(json_object_get(y, "tree_heads"), 1),
		        "tree_size", json_integer(-1));
		expect_fail(y, "tree head 1: tree_size is not a non-negative "
		               "integer");
	}
	/* heads swapped: sizes go down */
	{
		json_t *y = json_deep_copy(x);
		json_t *h = json_object_get(y, "tree_heads");
		json_t *h1 = json_incref(json_array_get(h, 1));

		json_array_set(h, 1, json_array_get(h, 2));
		json_array_set_new(h, 2, h1);
		expect_fail(y,
		        "tree head 2: size 3 is smaller than the previous "
		        "head's 5");
	}
	/* the final head dropped: the closed log is not covered */
	{
		json_t *y = json_deep_copy(x);
		json_t *h = json_object_get(y, "tree_heads");

		json_array_remove(h, json_array_size(h) - 1);
		expect_fail(y, "the election is closed but the last tree head "
		               "covers 7 of the 8 entries");
		y = json_deep_copy(x);
		json_array_clear(json_object_get(y, "tree_heads"));
		expect_fail(y, "the election is closed but has no tree head");
	}
	json_decref(x);
	b_free(&b);

	/* signed heads, but out of order in time or beyond the log */
	standard(&b, 0);
	b_head_at(&b, 7, b.time - 1000);
	expect_fail(
	        b_export(&b), "tree head 5: time is before the last head's");
	json_array_remove(b.heads, 5);
	{
		unsigned char root[32];

		memset(root, 0, 32);
		b_head_root(&b, 8, root, b.time + 1000);
	}
	expect_fail(b_export(&b),
	        "tree head 5: size 8 is over the 7 entries of the log");
	json_array_remove(b.heads, 5);
	/* a head signed by another key */
	{
		unsigned char keep[64];

		memcpy(keep, lsk, 64);
		memcpy(lsk, vsk[0], 64);
		b_head(&b);
		memcpy(lsk, keep, 64);
		expect_fail(
		        b_export(&b), "tree head 5: signature does not verify");
	}
	b_free(&b);
}

static void
test_tamper_ballots(void **state)
{
	struct b b;

	(void)state;
	/* a ballot by a key not on the list */
	standard(&b, 0);
	b_ballot(&b, 6, 1, "[\"a\",[\"x\"]]");
	expect_fail(b_export(&b),
	        "entry 7: the ballot's key is not on the credential list");
	b_free(&b);

	/* the same ballot twice (same tracker) */
	standard(&b, 0);
	b_ballot(&b, 3, 1, "[\"b\",[\"y\",\"z\",\"x\"]]");
	expect_fail(b_export(&b), "entry 7: sequence number 1 is not higher "
	                          "than 1 of the same key's entry 5");
	b_free(&b);

	/* a lower sequence number */
	standard(&b, 0);
	b_ballot(&b, 4, 4, "[\"b\",[\"y\"]]");
	expect_fail(b_export(&b), "entry 7: sequence number 4 is not higher "
	                          "than 5 of the same key's entry 6");
	b_free(&b);

	/* a revote when revoting is not allowed */
	b_init(&b, 0, 0);
	b_open(&b, 3);
	b_ballot(&b, 0, 1, "[\"a\",[\"x\"]]");
	b_ballot(&b, 1, 1, "[\"a\",[\"x\"]]");
	b_head(&b);
	{
		struct verify_report rep;
		json_t *x = b_export(&b);

		expect_ok(x, &rep);
		json_decref(x);
	}
	b_ballot(&b, 0, 2, "[\"b\",[\"x\"]]");
	expect_fail(b_export(&b), "entry 3: a second ballot of the key of "
	                          "entry 1, and revoting is not allowed");
	b_free(&b);

	/* a ballot the rule refuses, correctly signed */
	standard(&b, 0);
	{
		struct ballot bl;
		struct log_entry le;
		struct choice c[2] = {{0, 1}, {1, 1}};
		unsigned char *bytes;
		size_t len;

		memset(&bl, 0, sizeof(bl));
		memcpy(bl.fingerprint, b.e.fingerprint, 32);
		memcpy(bl.key, vpk[1], 32);
		bl.seq = 9;
		bl.nquestions = 2;
		bl.choices[0] = c;
		bl.nchoices[0] = 2;
		bl.choices[1] = c;
		bl.nchoices[1] = 1;
		assert_int_equal(ballot_encode(&bl, &bytes, &len), 0);
		memset(&le, 0, sizeof(le));
		le.kind = ENTRY_BALLOT;
		le.ballot = bytes;
		le.ballot_len = len;
		crypto_sign_detached(le.sig, NULL, bytes, len, vsk[1]);
		b_entry(&b, &le);
		free(bytes);
	}
	expect_fail(b_export(&b), "entry 7: question maire: 2 options chosen, "
	                          "exactly 1 allowed");
	b_free(&b);

	/* a ballot of another election, signed by a listed key */
	standard(&b, 0);
	{
		struct b o;

		b_init(&o, 0, 0); /* revote false: another fingerprint */
		b_ballot(&o, 2, 7, "[\"a\",[\"x\"]]");
		json_array_append(b.log, json_array_get(o.log, 0));
		json_object_set_new(
		        json_array_get(b.log, 7), "index", json_integer(7));
		b_free(&o);
	}
	expect_fail(b_export(&b), "entry 7: ballot is for another election");
	b_free(&b);
}

static void
test_tamper_structure(void **state)
{
	struct b b;
	json_t *x;

	(void)state;
	/* the closing count is wrong */
	standard(&b, 0);
	{
		struct log_entry le;

		memset(&le, 0, sizeof(le));
		le.kind = ENTRY_CLOSE;
		memcpy(le.fingerprint, b.e.fingerprint, 32);
		le.count = 5;
		b_entry(&b, &le);
		b.closed = 1;
		b_head(&b);
	}
	expect_fail(b_export(&b), "entry 7 closes with 5 ballot entries, the "
	                          "log has 6");
	b_free(&b);

	/* something after the closing */
	standard(&b, 1);
	b_ballot(&b, 4, 6, "[\"a\",[\"x\"]]");
	expect_fail(b_export(&b),
	        "entry 7 is a closing entry but not the last one");
	b_free(&b);

	/* no opening, or two */
	b_init(&b, 0, 1);
	b_ballot(&b, 0, 1, "[\"a\",[\"x\"]]");
	expect_fail(b_export(&b), "entry 0 is not the opening entry");
	b_free(&b);
	b_init(&b, 0, 1);
	b_open(&b, 2);
	b_open(&b, 0);
	expect_fail(b_export(&b), "entry 1 is a second opening entry");
	b_free(&b);
	b_init(&b, 0, 1);
	expect_fail(b_export(&b), "the log is empty");
	b_free(&b);

	/* a credential entry in authority mode */
	standard(&b, 0);
	b_cred(&b, 6);
	b.ncreds--; /* not in the list either */
	expect_fail(b_export(&b), "entry 7 registers a key, but the "
	                          "election's credentials are from the "
	                          "authority");
	b_free(&b);

	/* the result */
	standard(&b, 1);
	x = b_export(&b);
	{
		json_t *y = json_deep_copy(x);
		json_t *r = json_object_get(y, "result");
		json_t *q = json_array_get(json_object_get(r, "questions"), 0);
		json_t *t = json_array_get(json_object_get(q, "totals"), 1);

		json_integer_set(t, json_integer_value(t) + 1);
		expect_fail(
		        y, "the published result is not the recomputed one");
	}
	{
		json_t *y = json_deep_copy(x);

		json_object_set_new(
		        json_object_get(y, "result"), "cast", json_integer(7));
		expect_fail(
		        y, "the published result is not the recomputed one");
		y = json_deep_copy(x);
		json_object_set_new(json_object_get(y, "result"), "ballots",
		        json_real(5.0));
		expect_fail(
		        y, "the published result is not the recomputed one");
		y = json_deep_copy(x);
		json_object_set_new(
		        json_object_get(y, "result"), "extra", json_true());
		expect_fail(
		        y, "the published result is not the recomputed one");
		y = json_deep_copy(x);
		json_object_set_new(y, "result", json_null());
		expect_fail(y, "the election is closed but the result is not a "
		               "JSON object");
	}
	json_decref(x);
	b_free(&b);
	standard(&b, 0);
	x = b_export(&b);
	json_object_set_new(x, "result", json_object());
	expect_fail(x, "the election is not closed, yet a result is "
	               "published");
	b_free(&b);

	/* the descriptor and fingerprint */
	standard(&b, 1);
	x = b_export(&b);
	{
		json_t *y = json_deep_copy(x);

		flip_hex(json_object_get(y, "fingerprint"), 5);
		expect_fail(y, "the fingerprint is not the hash of the "
		               "descriptor");
		y = json_deep_copy(x);
		json_object_set_new(y, "fingerprint", json_string("ab"));
		expect_fail(y, "the export's fingerprint is not 64 lowercase "
		               "hexadecimal digits");
		y = json_deep_copy(x);
		json_object_set_new(y, "descriptor", json_string("{}"));
		expect_fail(y, "descriptor: ");
		y = json_deep_copy(x);
		json_object_del(y, "descriptor");
		expect_fail(y, "the export has no descriptor");
		y = json_deep_copy(x);
		json_object_del(y, "log");
		expect_fail(y, "the export has no log");
		y = json_deep_copy(x);
		json_object_del(y, "tree_heads");
		expect_fail(y, "the export has no tree_heads");
		y = json_deep_copy(x);
		json_object_del(y, "credentials");
		expect_fail(y, "the export has no credentials");
		expect_fail(json_array(), "the export is not a JSON object");
	}
	/* the credential list */
	{
		json_t *y = json_deep_copy(x);
		json_t *c = json_object_get(y, "credentials");
		json_t *c0 = json_incref(json_array_get(c, 0));

		json_array_set(c, 0, json_array_get(c, 1));
		json_array_set_new(c, 1, c0);
		expect_fail(y, "the credential list is not sorted (credential "
		               "1)");
		y = json_deep_copy(x);
		c = json_object_get(y, "credentials");
		json_array_set(c, 1, json_array_get(c, 0));
		expect_fail(y, "credential 1 is a duplicate of credential 0");
		y = json_deep_copy(x);
		json_array_remove(json_object_get(y, "credentials"), 2);
		expect_fail(y, "the credential list has 4 keys, the opening "
		               "entry 5");
		y = json_deep_copy(x);
		json_array_set_new(json_object_get(y, "credentials"), 0,
		        json_string(
		                "0000000000000000000000000000000000000000000"
		                "000000000000000000000"));
		expect_fail(
		        y, "credential 0 is not a valid Ed25519 public key");
		y = json_deep_copy(x);
		json_array_set_new(json_object_get(y, "credentials"), 4,
		        json_string("ab"));
		expect_fail(y, "credential 4 is not 64 lowercase hexadecimal "
		               "digits");
	}
	json_decref(x);
	b_free(&b);
}

static void
test_registered(void **state)
{
	struct verify_report rep;
	struct b b;
	json_t *x;

	(void)state;
	b_init(&b, 1, 1);
	b_open(&b, 0);
	b_cred(&b, 3);
	b_cred(&b, 1);
	b_ballot(&b, 3, 1, "[\"a\",[\"x\"]]");
	b_head(&b);
	b_cred(&b, 5);
	b_ballot(&b, 5, 1, "[\"b\",[\"y\",\"x\"]]");
	b_ballot(&b, 3, 2, "[\"c\",[\"z\"]]");
	b_close(&b);
	b_head(&b);
	x = b_export(&b);
	expect_ok(x, &rep);
	assert_int_equal(rep.entries, 8);
	assert_int_equal(rep.credentials, 3);
	assert_int_equal(rep.ballots, 3);
	assert_int_equal(rep.counted, 2);
	free(rep.result);
	{
		/* the list must be the registered keys */
		json_t *y = json_deep_copy(x);

		json_array_remove(json_object_get(y, "credentials"), 0);
		expect_fail(y, "the credential list has 2 keys, the log "
		               "registers 3");
	}
	json_decref(x);
	b_free(&b);

	/* a ballot before its key's registration */
	b_init(&b, 1, 1);
	b_open(&b, 0);
	b_ballot(&b, 2, 1, "[\"a\",[\"x\"]]");
	b_cred(&b, 2);
	expect_fail(b_export(&b), "entry 1: the ballot's key is registered "
	                          "only later, by entry 2");
	b_free(&b);

	/* a ballot of a key never registered */
	b_init(&b, 1, 1);
	b_open(&b, 0);
	b_cred(&b, 1);
	b_ballot(&b, 2, 1, "[\"a\",[\"x\"]]");
	expect_fail(
	        b_export(&b), "entry 2: the ballot's key is not registered");
	b_free(&b);

	/* a key registered twice */
	b_init(&b, 1, 1);
	b_open(&b, 0);
	b_cred(&b, 1);
	b_cred(&b, 2);
	b_cred(&b, 1);
	b.ncreds--;
	expect_fail(b_export(&b), "entry 3 registers the key entry 1 already "
	                          "registered");
	b_free(&b);

	/* a listed key the log does not register */
	b_init(&b, 1, 1);
	b_open(&b, 0);
	b_cred(&b, 1);
	b_cred(&b, 2);
	memcpy(b.creds[1], vpk[4], 32); /* the list says 4, the log 2 */
	expect_fail(b_export(&b), "is not a key the log registers");
	b_free(&b);

	/* the opening of a registered election lists nothing */
	b_init(&b, 1, 1);
	{
		struct log_entry le;

		memset(&le, 0, sizeof(le));
		le.kind = ENTRY_OPEN;
		memcpy(le.fingerprint, b.e.fingerprint, 32);
		credentials_hash(NULL, 0, le.list_hash);
		le.count = 1;
		b_entry(&b, &le);
	}
	expect_fail(b_export(&b), "the opening entry of a "
	                          "registered-credentials election does not "
	                          "have the empty list");
	b_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_verify_ok),
	        cmocka_unit_test(test_verify_every_size),
	        cmocka_unit_test(test_tamper_entries),
	        cmocka_unit_test(test_tamper_heads),
	        cmocka_unit_test(test_tamper_ballots),
	        cmocka_unit_test(test_tamper_structure),
	        cmocka_unit_test(test_registered),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
