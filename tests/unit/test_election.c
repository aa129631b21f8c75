/*
 * test_election.c - descriptors, ballots, log entries, tree heads, results
 *
 * The fixture descriptor has one question of each rule. Known answers
 * (the fingerprint, a ballot's exact bytes and its tracker, credential
 * list hashes, the log key and the voter key) were computed independently
 * with Python's hashlib and struct and the cryptography package, from
 * docs/protocol.md alone. Every other expected byte string is assembled
 * here by hand, without lib/wire.c.
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

#include "election.h"

/* The fixture: maire (single), projets (approval 1..2 of 4), ordre
 * (ranking 2..3 of 3), budget (cumulative 10, 5 per option). */
static const char DESC[] =
        "{\"closes_at\":\"2027-01-31T18:00:00Z\",\"collectivity\":\"1111111"
        "1-2222-4333-8444-555555555555\",\"collectivity_slug\":\"bourg-en-l"
        "ys\",\"credentials\":\"authority\",\"election\":\"0b1e2d3c-4a5b-4c"
        "6d-8e7f-90a1b2c3d4e5\",\"log_key\":\"03a107bff3ce10be1d70dd18e74bc"
        "09967e4d6309ba50d5f1ddc8664125531b8\",\"opens_at\":\"2027-01-10T08"
        ":00:00Z\",\"process\":\"66666666-7777-4888-9999-aaaaaaaaaaaa\",\"q"
        "uestions\":[{\"id\":\"maire\",\"options\":[{\"id\":\"a\",\"label\""
        ":\"Alice\"},{\"id\":\"b\",\"label\":\"Bob\"},{\"id\":\"c\",\"label"
        "\":\"Chlo\xc3\xa9\"}],\"rule\":{\"kind\":\"single\"},\"text\":\"Qu"
        "i ?\"},{\"id\":\"projets\",\"options\":[{\"id\":\"parc\",\"label\""
        ":\"Parc\"},{\"id\":\"piste\",\"label\":\"Piste\"},{\"id\":\"ecole"
        "\",\"label\":\"\xc3\x89"
        "cole\"},{\"id\":\"bancs\",\"label\":\"Bancs\"}],\"rule\":{\"kind\""
        ":\"approval\",\"max\":2,\"min\":1},\"text\":\"Quels projets ?\"},{"
        "\"id\":\"ordre\",\"options\":[{\"id\":\"x\",\"label\":\"X\"},{\"id"
        "\":\"y\",\"label\":\"Y\"},{\"id\":\"z\",\"label\":\"Z\"}],\"rule\""
        ":{\"kind\":\"ranking\",\"max\":3,\"min\":2},\"text\":\"Classez\"},"
        "{\"id\":\"budget\",\"options\":[{\"id\":\"b1\",\"label\":\"B1\"},{"
        "\"id\":\"b2\",\"label\":\"B2\"},{\"id\":\"b3\",\"label\":\"B3\"}],"
        "\"rule\":{\"kind\":\"cumulative\",\"max_per_option\":5,\"total\":1"
        "0},\"text\":\"R\xc3\xa9partissez\"}],\"revote\":true,\"title\":\"B"
        "udget 2027\",\"version\":1}";

/* SHA-256(F("participe/election/v1") || F(DESC)), by Python. */
#define DESC_FP                                                                \
	"1fedb40f4168f4c1190760847ae9fc3dd534235d05d39fd529490cf6b7aa89e2"

/* The Ed25519 public keys of the seeds 00 01 .. 1f and 42 42 .. 42. */
#define LOG_PK                                                                 \
	"03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"
#define VOTER_PK                                                               \
	"2152f8d19b791d24453242e15f2eab6cb7cffa7b6a5ed30097960e069881db12"

/* The ballot of VOTER_PK, sequence 7, for KNOWN_CHOICE, by Python. */
#define KNOWN_CHOICE                                                           \
	"[\"b\",[\"bancs\",\"parc\"],[\"z\",\"x\"],{\"b3\":4,\"b1\":5}]"
static const char KNOWN_BALLOT[] =
        "000000137061727469636970652f62616c6c6f742f7631000000201fedb40f4168"
        "f4c1190760847ae9fc3dd534235d05d39fd529490cf6b7aa89e2000000202152f8"
        "d19b791d24453242e15f2eab6cb7cffa7b6a5ed30097960e069881db1200000008"
        "00000000000000070000004c000000040000000100000001000000010000000200"
        "000000000000010000000300000001000000020000000000000002000000020000"
        "000100000002000000000000000500000002000000"
        "04";
#define KNOWN_TRACKER                                                          \
	"7e2e511f8e37b58393626cb446aecb743d2b0fa4b3bde197eab3173c9f8b121c"

static struct election E;
static unsigned char vpk[32], vsk[64];

static int
setup(void **state)
{
	unsigned char seed[32];
	char why[256] = "";

	(void)state;
	if (sodium_init() < 0)
		return -1;
	memset(seed, 0x42, sizeof(seed));
	crypto_sign_seed_keypair(vpk, vsk, seed);
	if (election_parse(DESC, strlen(DESC), &E, why, sizeof(why)) != 0) {
		fprintf(stderr, "fixture refused: %s\n", why);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	election_free(&E);
	return 0;
}

static void
assert_hex(const unsigned char *b, size_t len, const char *want)
{
	char *got = malloc(2 * len + 1);

	sodium_bin2hex(got, 2 * len + 1, b, len);
	assert_string_equal(got, want);
	free(got);
}

/* Decodes hex (lowercase) into a new buffer. */
static unsigned char *
unhex(const char *hex, size_t *len)
{
	unsigned char *b = malloc(strlen(hex) / 2 + 1);

	assert_int_equal(sodium_hex2bin(b, strlen(hex) / 2, hex, strlen(hex),
	                         NULL, len, NULL),
	        0);
	return b;
}

/* --- descriptors --------------------------------------------------- */

static void
test_parse_fixture(void **state)
{
	unsigned char fp[32];

	(void)state;
	assert_string_equal(E.id, "0b1e2d3c-4a5b-4c6d-8e7f-90a1b2c3d4e5");
	assert_string_equal(
	        E.collectivity, "11111111-2222-4333-8444-555555555555");
	assert_hex(E.log_key, 32, LOG_PK);
	assert_int_equal(E.revote, 1);
	assert_int_equal(E.registered, 0);
	assert_int_equal(E.descriptor_len, strlen(DESC));
	assert_memory_equal(E.descriptor, DESC, sizeof(DESC));
	assert_hex(E.fingerprint, 32, DESC_FP);
	election_fingerprint(DESC, strlen(DESC), fp);
	assert_hex(fp, 32, DESC_FP);

	assert_int_equal(E.nquestions, 4);
	assert_string_equal(E.questions[0].id, "maire");
	assert_int_equal(E.questions[0].noptions, 3);
	assert_string_equal(E.questions[0].option_ids[2], "c");
	assert_int_equal(E.questions[0].rule.kind, RULE_SINGLE);
	assert_string_equal(E.questions[1].id, "projets");
	assert_int_equal(E.questions[1].noptions, 4);
	assert_string_equal(E.questions[1].option_ids[3], "bancs");
	assert_int_equal(E.questions[1].rule.kind, RULE_APPROVAL);
	assert_int_equal(E.questions[1].rule.min, 1);
	assert_int_equal(E.questions[1].rule.max, 2);
	assert_int_equal(E.questions[1].rule.noptions, 4);
	assert_int_equal(E.questions[2].rule.kind, RULE_RANKING);
	assert_int_equal(E.questions[2].rule.min, 2);
	assert_int_equal(E.questions[2].rule.max, 3);
	assert_string_equal(E.questions[3].id, "budget");
	assert_int_equal(E.questions[3].rule.kind, RULE_CUMULATIVE);
	assert_int_equal(E.questions[3].rule.total, 10);
	assert_int_equal(E.questions[3].rule.per_option, 5);
}

/* Another fingerprint for any other byte, even insignificant ones. */
static void
test_parse_other_forms(void **state)
{
	struct election e;
	char why[256], *s;
	size_t n = strlen(DESC);

	(void)state;
	s = malloc(n + 3);
	/* white space around: parses, other fingerprint */
	s[0] = ' ';
	memcpy(s + 1, DESC, n);
	s[n + 1] = '\n';
	assert_int_equal(election_parse(s, n + 2, &e, why, sizeof(why)), 0);
	assert_memory_not_equal(e.fingerprint, E.fingerprint, 32);
	election_free(&e);
	free(s);

	/* members in another order: parses, other fingerprint */
	{
		json_t *j = json_loads(DESC, 0, NULL);
		json_t *v = json_incref(json_object_get(j, "closes_at"));

		json_object_del(j, "closes_at");
		json_object_set_new(j, "closes_at", v);
		s = json_dumps(j, JSON_COMPACT);
		assert_int_equal(strlen(s), strlen(DESC));
		json_decref(j);
		assert_int_equal(
		        election_parse(s, strlen(s), &e, why, sizeof(why)), 0);
		assert_memory_not_equal(e.fingerprint, E.fingerprint, 32);
		election_free(&e);
		free(s);
	}

	/* registered credentials, no revoting */
	{
		json_t *j = json_loads(DESC, 0, NULL);

		json_object_set_new(
		        j, "credentials", json_string("registered"));
		json_object_set_new(j, "revote", json_false());
		s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(j);
		assert_int_equal(
		        election_parse(s, strlen(s), &e, why, sizeof(why)), 0);
		assert_int_equal(e.registered, 1);
		assert_int_equal(e.revote, 0);
		election_free(&e);
		free(s);
	}
	/* election_free is safe twice, and on a failed parse */
	election_free(&e);
	assert_int_equal(election_parse("{", 1, &e, why, sizeof(why)), -1);
	election_free(&e);
	election_free(NULL);
}

/*
 * Returns the fixture with the value at path ("questions/1/rule/max")
 * replaced by value (JSON text), or removed when value is NULL.
 */
static json_t *
patched(const char *path, const char *value)
{
	json_t *root = json_loads(DESC, 0, NULL), *cur = root;
	char buf[200], *p, *next;

	assert_non_null(root);
	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf;; p = next) {
		int last;

		next = strchr(p, '/');
		last = next == NULL;
		if (!last)
			*next++ = '\0';
		if (json_is_array(cur)) {
			size_t i = strtoul(p, NULL, 10);

			if (last) {
				if (value == NULL)
					assert_int_equal(
					        json_array_remove(cur, i), 0);
				else if (i == json_array_size(cur))
					json_array_append_new(cur,
					        json_loads(value,
					                JSON_DECODE_ANY, NULL));
				else
					assert_int_equal(
					        json_array_set_new(cur, i,
					                json_loads(value,
					                        JSON_DECODE_ANY,
					                        NULL)),
					        0);
				break;
			}
			cur = json_array_get(cur, i);
		} else {
			if (last) {
				if (value == NULL)
					assert_int_equal(
					        json_object_del(cur, p), 0);
				else
					assert_int_equal(
					        json_object_set_new(cur, p,
					                json_loads(value,
					                        JSON_DECODE_ANY,
					                        NULL)),
					        0);
				break;
			}
			cur = json_object_get(cur, p);
		}
		assert_non_null(cur);
	}
	return root;
}

/* The patched descriptor must be refused with exactly want. */
static void
desc_bad_json(json_t *j, const char *want)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	struct election e;
	char why[256] = "";

	if (election_parse(s, strlen(s), &e, why, sizeof(why)) == 0)
		fail_msg("accepted: %s (want \"%s\")", s, want);
	if (strcmp(why, want) != 0)
		fail_msg("got \"%s\", want \"%s\"", why, want);
	/* left empty */
	assert_null(e.descriptor);
	assert_int_equal(e.nquestions, 0);
	election_free(&e);
	free(s);
	json_decref(j);
}

static void
desc_bad(const char *path, const char *value, const char *want)
{
	desc_bad_json(patched(path, value), want);
}

/* The patched descriptor must still be accepted. */
static void
desc_ok(const char *path, const char *value)
{
	json_t *j = patched(path, value);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	struct election e;
	char why[256] = "";

	if (election_parse(s, strlen(s), &e, why, sizeof(why)) != 0)
		fail_msg("%s = %s refused: %s", path, value, why);
	election_free(&e);
	free(s);
	json_decref(j);
}

/* --- budget questions ----------------------------------------------- */

/* Two districts: knapsack within 1000 (at least 400) of three projects,
   and approval of 1..2 of two. */
#define BUDGET_QS                                                              \
	"[{\"budget\":{\"amount\":1000,\"compare\":\"greedy\","                \
	"\"min_votes\":0,\"outcome\":\"mes-add1\",\"tie\":\"id\","             \
	"\"utility\":\"cost\"},\"id\":\"d1\",\"options\":[{\"cost\":600,"      \
	"\"id\":\"p000001\",\"label\":\"Parc\"},{\"cost\":500,\"id\":"         \
	"\"p000002\",\"label\":\"Piste\"},{\"cost\":300,\"id\":\"p000003\","   \
	"\"label\":\"Bancs\"}],\"rule\":{\"kind\":\"knapsack\","               \
	"\"max_cost\":1000,\"min_cost\":400},\"text\":\"Centre\"},"            \
	"{\"budget\":{\"amount\":800,\"compare\":\"mes\",\"min_votes\":5,"     \
	"\"outcome\":\"greedy-no-skip\",\"tie\":\"cost,votes,id\","            \
	"\"utility\":\"card\"},\"id\":\"d2\",\"options\":[{\"cost\":700,"      \
	"\"id\":\"p000004\",\"label\":\"Jardin\"},{\"cost\":100,\"id\":"       \
	"\"p000005\",\"label\":\"Fontaine\"}],\"rule\":{\"kind\":"             \
	"\"approval\",\"max\":2,\"min\":1},\"text\":\"Nord\"}]"

/* Question q of descriptor j, and its option o. */
static json_t *
bq(json_t *j, size_t q)
{
	return json_array_get(json_object_get(j, "questions"), q);
}

static json_t *
bopt(json_t *j, size_t q, size_t o)
{
	return json_array_get(json_object_get(bq(j, q), "options"), o);
}

/* The fixture with the budget questions and districts_per_voter = dpv. */
static json_t *
budget_json(int dpv)
{
	json_t *j = patched("questions", BUDGET_QS);

	if (dpv > 0)
		json_object_set_new(
		        j, "districts_per_voter", json_integer(dpv));
	return j;
}

/* Parses budget_json(dpv) into e. */
static void
budget_parse(int dpv, struct election *e)
{
	json_t *j = budget_json(dpv);
	char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS), why[256];

	if (election_parse(s, strlen(s), e, why, sizeof(why)) != 0)
		fail_msg("budget descriptor refused: %s", why);
	free(s);
	json_decref(j);
}

/* The JSON choice text must be refused by e with exactly want. */
static void
bchoice_bad(const struct election *e, const char *choice, const char *want)
{
	json_t *c = json_loads(choice, JSON_DECODE_ANY, NULL);
	struct ballot b;
	char why[256] = "";

	memset(&b, 0, sizeof(b));
	assert_non_null(c);
	if (ballot_choice_from_json(e, c, &b, why, sizeof(why)) == 0)
		fail_msg("choice %s accepted", choice);
	if (strcmp(why, want) != 0)
		fail_msg("choice %s: \"%s\", want \"%s\"", choice, why, want);
	ballot_free(&b);
	json_decref(c);
}

/* The JSON choice text is accepted by e, and its encoding decodes. */
static void
bchoice_good(const struct election *e, const char *choice)
{
	json_t *c = json_loads(choice, JSON_DECODE_ANY, NULL);
	struct ballot b, d;
	unsigned char *bytes;
	size_t len;
	char why[256] = "";

	memset(&b, 0, sizeof(b));
	assert_non_null(c);
	if (ballot_choice_from_json(e, c, &b, why, sizeof(why)) != 0)
		fail_msg("choice %s refused: %s", choice, why);
	memcpy(b.fingerprint, e->fingerprint, 32);
	memcpy(b.key, vpk, 32);
	b.seq = 1;
	assert_int_equal(ballot_encode(&b, &bytes, &len), 0);
	if (ballot_decode(e, bytes, len, &d, why, sizeof(why)) != BALLOT_OK)
		fail_msg("choice %s: encoding refused: %s", choice, why);
	ballot_free(&d);
	ballot_free(&b);
	free(bytes);
	json_decref(c);
}

static void
test_budget_questions(void **state)
{
	struct election e;
	json_t *j;

	(void)state;
	budget_parse(1, &e);
	assert_int_equal(e.districts_per_voter, 1);
	assert_int_equal(e.nquestions, 2);
	assert_int_equal(e.questions[0].rule.kind, RULE_KNAPSACK);
	assert_int_equal(e.questions[0].rule.max_cost, 1000);
	assert_int_equal(e.questions[0].rule.min_cost, 400);
	assert_int_equal(e.questions[0].costs[1], 500);
	assert_ptr_equal(e.questions[0].rule.costs, e.questions[0].costs);
	assert_int_equal(e.questions[0].budget.amount, 1000);
	assert_string_equal(e.questions[0].budget.outcome, "mes-add1");
	assert_string_equal(e.questions[0].budget.compare, "greedy");
	assert_string_equal(e.questions[0].budget.utility, "cost");
	assert_string_equal(e.questions[0].budget.tie, "id");
	assert_string_equal(e.questions[1].budget.tie, "cost,votes,id");
	assert_string_equal(e.questions[1].budget.utility, "card");
	assert_int_equal(e.questions[1].budget.min_votes, 5);
	/* one district; an empty choice is a district not voted in */
	bchoice_good(&e, "[[\"p000001\"],[]]");
	bchoice_good(&e, "[[\"p000002\",\"p000003\"],[]]");
	bchoice_good(&e, "[[],[\"p000004\",\"p000005\"]]");
	bchoice_bad(
	        &e, "[[],[]]", "the ballot chooses no project in any district");
	bchoice_bad(&e, "[[\"p000001\"],[\"p000005\"]]",
	        "the ballot votes in 2 districts, at most 1 allowed");
	bchoice_bad(&e, "[[\"p000001\",\"p000002\"],[]]",
	        "question d1: the chosen projects cost 1100, over the budget "
	        "of 1000");
	bchoice_bad(&e, "[[\"p000003\"],[]]",
	        "question d1: the chosen projects cost 300, under the minimum "
	        "of 400");
	bchoice_bad(&e, "[[\"p000004\"],[]]",
	        "question d1: unknown option \"p000004\"");
	election_free(&e);
	budget_parse(2, &e);
	bchoice_good(&e, "[[\"p000001\"],[\"p000005\"]]");
	election_free(&e);

	/* the descriptor's rules for budgets */
	desc_bad_json(budget_json(0),
	        "descriptor: districts_per_voter is required with budget "
	        "questions");
	desc_bad_json(budget_json(3),
	        "descriptor: districts_per_voter must be an integer from 1 "
	        "to the number of questions");
	j = patched("districts_per_voter", "1");
	desc_bad_json(j, "descriptor: districts_per_voter is only for budget "
	                 "questions");
	j = budget_json(1);
	json_object_del(bopt(j, 0, 0), "cost");
	desc_bad_json(j, "descriptor: questions/0/options/0/cost: is required");
	j = budget_json(1);
	json_object_set_new(bopt(j, 1, 1), "cost", json_integer(0));
	desc_bad_json(j,
	        "descriptor: questions/1/options/1/cost: must be an integer "
	        "from 1 to 1000000000000000");
	j = budget_json(1);
	json_object_set_new(json_object_get(bq(j, 0), "budget"), "outcome",
	        json_string("borda"));
	desc_bad_json(j,
	        "descriptor: questions/0/budget/outcome: must be one of "
	        "\"greedy\", \"greedy-no-skip\", \"greedy-score\", \"mes\", "
	        "\"mes-add1\"");
	j = budget_json(1);
	json_object_set_new(
	        json_object_get(bq(j, 1), "budget"), "extra", json_true());
	desc_bad_json(
	        j, "descriptor: questions/1/budget/extra: unknown member");
	j = budget_json(1);
	json_object_del(json_object_get(bq(j, 1), "budget"), "tie");
	desc_bad_json(j, "descriptor: questions/1/budget/tie: is required");
	j = budget_json(1);
	json_object_set_new(json_object_get(bq(j, 1), "budget"), "compare",
	        json_string("greedy-score"));
	desc_bad_json(j,
	        "descriptor: questions/1/rule/kind: greedy-score orders "
	        "projects by points: it needs a cumulative rule");
	j = budget_json(1);
	json_object_set_new(
	        bq(j, 1), "rule", json_pack("{ss}", "kind", "single"));
	desc_bad_json(j,
	        "descriptor: questions/1/rule/kind: a budget question's rule "
	        "is approval, knapsack, cumulative or ranking");
	j = budget_json(1);
	json_object_del(bq(j, 1), "budget");
	desc_bad_json(j,
	        "descriptor: questions/1/budget: budget questions and other "
	        "questions cannot be mixed");
	/* budget and other questions do not mix; knapsack needs costs */
	j = budget_json(1);
	json_object_del(
	        json_array_get(json_object_get(j, "questions"), 1), "budget");
	desc_bad_json(j,
	        "descriptor: questions/1/budget: budget questions and other "
	        "questions cannot be mixed");
	desc_bad("questions/1/rule",
	        "{\"kind\":\"knapsack\",\"max_cost\":10,\"min_cost\":0}",
	        "descriptor: questions/1/rule/kind: knapsack needs the "
	        "options' costs: only a budget question has them");
	desc_bad("questions/1/options/0/cost", "10",
	        "descriptor: questions/1/options/0/cost: unknown member");
}

static void
test_parse_bad_top(void **state)
{
	static const char *const members[] = {"closes_at", "collectivity",
	        "collectivity_slug", "credentials", "election", "log_key",
	        "opens_at", "process", "questions", "revote", "title",
	        "version"};
	struct election e;
	char why[256], want[128];
	size_t i;

	(void)state;
	assert_int_equal(election_parse("", 0, &e, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "descriptor is not valid JSON"));
	assert_int_equal(election_parse("[1]", 3, &e, why, sizeof(why)), -1);
	assert_string_equal(why, "descriptor is not a JSON object");
	assert_int_equal(
	        election_parse(DESC, strlen(DESC) - 1, &e, why, sizeof(why)),
	        -1);
	assert_int_equal(
	        election_parse("{\"a\":1,\"a\":2}", 13, &e, why, sizeof(why)),
	        -1);
	assert_non_null(strstr(why, "duplicate"));
	{
		/* a NUL byte inside */
		char buf[sizeof(DESC)];

		memcpy(buf, DESC, sizeof(DESC));
		buf[10] = '\0';
		assert_int_equal(
		        election_parse(buf, strlen(DESC), &e, why, sizeof(why)),
		        -1);
	}
	for (i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		snprintf(want, sizeof(want), "descriptor: %s is required",
		        members[i]);
		desc_bad(members[i], NULL, want);
	}
	desc_bad("extra", "1", "descriptor: unknown member \"extra\"");
	desc_bad("Version", "1", "descriptor: unknown member \"Version\"");
	desc_bad("version", "2", "descriptor: version must be 1");
	desc_bad("version", "\"1\"", "descriptor: version must be 1");
	desc_bad("version", "1.0", "descriptor: version must be 1");
	desc_bad("title", "\"\"", "descriptor: title must not be empty");
	desc_bad("title", "5", "descriptor: title must be a string");
	desc_bad("closes_at", "null", "descriptor: closes_at must be a string");
	desc_bad("opens_at", "\"\"", "descriptor: opens_at must not be empty");
	desc_bad("collectivity_slug", "[]",
	        "descriptor: collectivity_slug must be a string");
	desc_bad("election", "\"0B1E2D3C-4A5B-4C6D-8E7F-90A1B2C3D4E5\"",
	        "descriptor: election must be a lowercase canonical UUID");
	desc_bad("election", "\"0b1e2d3c4a5b4c6d8e7f90a1b2c3d4e5\"",
	        "descriptor: election must be a lowercase canonical UUID");
	desc_bad("collectivity", "\"x\"",
	        "descriptor: collectivity must be a lowercase canonical UUID");
	desc_bad("process", "5",
	        "descriptor: process must be a lowercase canonical UUID");
	desc_bad("credentials", "\"both\"",
	        "descriptor: credentials must be \"authority\" or "
	        "\"registered\"");
	desc_bad("credentials", "1",
	        "descriptor: credentials must be \"authority\" or "
	        "\"registered\"");
	desc_bad("log_key", "\"" LOG_PK "00\"",
	        "descriptor: log_key must be 64 lowercase hexadecimal digits");
	desc_bad("log_key",
	        "\"03A107BFF3CE10BE1D70DD18E74BC09967E4D6309BA50D5F1DDC866412"
	        "5531B8\"",
	        "descriptor: log_key must be 64 lowercase hexadecimal digits");
	desc_bad("log_key", "1",
	        "descriptor: log_key must be 64 lowercase hexadecimal digits");
	desc_bad("log_key",
	        "\"0000000000000000000000000000000000000000000000000000000000"
	        "000000\"",
	        "descriptor: log_key is not a valid Ed25519 public key");
	desc_bad("log_key",
	        "\"edffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
	        "ffff7f\"",
	        "descriptor: log_key is not a valid Ed25519 public key");
	desc_bad("revote", "\"true\"",
	        "descriptor: revote must be true or false");
	desc_bad("revote", "1", "descriptor: revote must be true or false");
}

static void
test_parse_bad_questions(void **state)
{
	json_t *j, *qs;
	size_t i;

	(void)state;
	desc_bad("questions", "{}", "descriptor: questions: must be an array");
	desc_bad("questions", "[]",
	        "descriptor: questions: must have between 1 and 20 questions, "
	        "not 0");
	/* 20 questions are fine, 21 are not */
	j = patched("version", "1");
	qs = json_object_get(j, "questions");
	for (i = 4; i < 20; i++) {
		json_t *q = json_deep_copy(json_array_get(qs, 0));
		char id[16];

		snprintf(id, sizeof(id), "q%zu", i);
		json_object_set_new(q, "id", json_string(id));
		json_array_append_new(qs, q);
	}
	{
		char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS),
		     why[256];
		struct election e;

		assert_int_equal(
		        election_parse(s, strlen(s), &e, why, sizeof(why)), 0);
		assert_int_equal(e.nquestions, 20);
		election_free(&e);
		free(s);
	}
	json_array_append_new(qs, json_deep_copy(json_array_get(qs, 0)));
	json_object_set_new(json_array_get(qs, 20), "id", json_string("q20"));
	desc_bad_json(j,
	        "descriptor: questions: must have between 1 and 20 questions, "
	        "not 21");

	desc_bad("questions/0", "5",
	        "descriptor: questions/0: must be an object");
	desc_bad("questions/1/extra", "1",
	        "descriptor: questions/1/extra: unknown member");
	desc_bad("questions/0/id", NULL,
	        "descriptor: questions/0/id: is required");
	desc_bad("questions/0/id", "\"Maire\"",
	        "descriptor: questions/0/id: must match [a-z0-9_-]{1,40}");
	desc_bad("questions/0/id", "\"\"",
	        "descriptor: questions/0/id: must match [a-z0-9_-]{1,40}");
	desc_bad("questions/0/id", "\"a b\"",
	        "descriptor: questions/0/id: must match [a-z0-9_-]{1,40}");
	desc_bad("questions/0/id", "\"\xc3\xa9t\xc3\xa9\"",
	        "descriptor: questions/0/id: must match [a-z0-9_-]{1,40}");
	desc_bad("questions/0/id", "5",
	        "descriptor: questions/0/id: must match [a-z0-9_-]{1,40}");
	desc_bad("questions/0/id",
	        "\"abcdefghij-abcdefghij_abcdefghij0123456789\"",
	        "descriptor: questions/0/id: must match [a-z0-9_-]{1,40}");
	desc_ok("questions/0/id",
	        "\"abcdefghij-abcdefghij_abcdefghij01234567\"");
	desc_bad("questions/2/id", "\"projets\"",
	        "descriptor: questions/2/id: \"projets\" is also the id of "
	        "question 1");
	desc_bad("questions/0/options", NULL,
	        "descriptor: questions/0/options: is required");
	desc_bad("questions/0/options", "\"a\"",
	        "descriptor: questions/0/options: must be an array");
	desc_bad("questions/0/options", "[{\"id\":\"a\",\"label\":\"A\"}]",
	        "descriptor: questions/0/options: must have between 2 and 200 "
	        "options, not 1");
	desc_bad("questions/0/options/2", "1",
	        "descriptor: questions/0/options/2: must be an object");
	desc_bad("questions/0/options/1/x", "1",
	        "descriptor: questions/0/options/1/x: unknown member");
	desc_bad("questions/0/options/1/id", NULL,
	        "descriptor: questions/0/options/1/id: is required");
	desc_bad("questions/0/options/1/id", "\"B\"",
	        "descriptor: questions/0/options/1/id: must match "
	        "[a-z0-9_-]{1,40}");
	desc_bad("questions/0/options/2/id", "\"a\"",
	        "descriptor: questions/0/options/2/id: \"a\" is also the id "
	        "of option 0");
	desc_ok("questions/0/options/2/id", "\"maire\""); /* per question */
	desc_bad("questions/0/options/1/label", NULL,
	        "descriptor: questions/0/options/1/label: is required");
	desc_bad("questions/0/options/1/label", "\"\"",
	        "descriptor: questions/0/options/1/label: must not be empty");
	desc_bad("questions/0/options/1/label", "3",
	        "descriptor: questions/0/options/1/label: must be a string");
	desc_bad("questions/0/rule", NULL,
	        "descriptor: questions/0/rule: is required");
	desc_bad("questions/0/rule", "[]",
	        "descriptor: questions/0/rule: rule must be an object");
	desc_bad("questions/0/rule/extra", "1",
	        "descriptor: questions/0/rule/extra: unknown member \"extra\" "
	        "for kind single");
	desc_bad("questions/1/rule/max", "5",
	        "descriptor: questions/1/rule/max: max must be between 1 and "
	        "4, "
	        "the number of options");
	desc_ok("questions/1/rule/max", "4");
	desc_bad("questions/1/rule/kind", "\"x\"",
	        "descriptor: questions/1/rule/kind: kind \"x\" is not one of "
	        "single, approval, ranking, cumulative, knapsack");
	desc_bad("questions/2/rule/min", "0",
	        "descriptor: questions/2/rule/min: min must be between 1 and "
	        "3, "
	        "the number of options");
	desc_bad("questions/3/rule/total", "4",
	        "descriptor: questions/3/rule/max_per_option: max_per_option "
	        "must be between 1 and 4, the total");
	desc_bad("questions/0/text", NULL,
	        "descriptor: questions/0/text: is required");
	desc_bad("questions/0/text", "\"\"",
	        "descriptor: questions/0/text: must not be empty");
	desc_bad("questions/0/text", "false",
	        "descriptor: questions/0/text: must be a string");

	/* 200 options are fine, 201 are not */
	j = patched("version", "1");
	qs = json_object_get(
	        json_array_get(json_object_get(j, "questions"), 0), "options");
	for (i = 3; i < 200; i++) {
		char id[16];

		snprintf(id, sizeof(id), "o%zu", i);
		json_array_append_new(
		        qs, json_pack("{ssss}", "id", id, "label", "L"));
	}
	{
		char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS),
		     why[256];
		struct election e;

		assert_int_equal(
		        election_parse(s, strlen(s), &e, why, sizeof(why)), 0);
		assert_int_equal(e.questions[0].noptions, 200);
		assert_string_equal(e.questions[0].option_ids[199], "o199");
		election_free(&e);
		free(s);
	}
	json_array_append_new(
	        qs, json_pack("{ssss}", "id", "o200", "label", "L"));
	desc_bad_json(j,
	        "descriptor: questions/0/options: must have between 2 and 200 "
	        "options, not 201");
}

static void
test_questions_check(void **state)
{
	json_t *j = json_loads(DESC, 0, NULL);
	json_t *qs = json_object_get(j, "questions");
	char field[96], why[200];

	(void)state;
	assert_int_equal(election_questions_check(
	                         qs, field, sizeof(field), why, sizeof(why)),
	        0);
	assert_int_equal(election_questions_check(
	                         NULL, field, sizeof(field), why, sizeof(why)),
	        -1);
	assert_string_equal(field, "questions");
	assert_string_equal(why, "is required");
	json_object_set_new(json_object_get(json_array_get(qs, 1), "rule"),
	        "max", json_integer(7));
	assert_int_equal(election_questions_check(
	                         qs, field, sizeof(field), why, sizeof(why)),
	        -1);
	assert_string_equal(field, "questions/1/rule/max");
	assert_string_equal(
	        why, "max must be between 1 and 4, the number of options");
	json_object_set_new(json_object_get(json_array_get(qs, 1), "rule"),
	        "max", json_integer(2));
	json_object_set_new(
	        json_array_get(
	                json_object_get(json_array_get(qs, 3), "options"), 1),
	        "id", json_string("b1"));
	assert_int_equal(election_questions_check(
	                         qs, field, sizeof(field), why, sizeof(why)),
	        -1);
	assert_string_equal(field, "questions/3/options/1/id");
	assert_string_equal(why, "\"b1\" is also the id of option 0");
	json_decref(j);
}

static void
test_hashes(void **state)
{
	unsigned char keys[2][32], h[32];

	(void)state;
	memset(keys[0], 1, 32);
	memset(keys[1], 2, 32);
	credentials_hash((const unsigned char(*)[32])keys, 2, h);
	assert_hex(h, 32,
	        "49d98757675163f0f8f09af17b97dd6ff917e8dbff497567624e7146fc9a26"
	        "51");
	credentials_hash(NULL, 0, h);
	assert_hex(h, 32,
	        "318e99345b9394031c930f4d43ed549b5b9eed57dda8633f53d6b2f063231d"
	        "b0");
	ballot_tracker((const unsigned char *)"abc", 3, h);
	assert_hex(h, 32,
	        "e38d6b5212bb1461b814ca081b2c5ff8a923887153a122d8027161436f20c2"
	        "6d");
	assert_hex(vpk, 32, VOTER_PK);
}

/* --- ballots ------------------------------------------------------- */

/* Builds the ballot of choice (JSON text) with key vpk, sequence seq. */
static unsigned char *
make_ballot(const char *choice, uint64_t seq, size_t *len)
{
	json_t *j = json_loads(choice, JSON_DECODE_ANY, NULL);
	struct ballot b;
	unsigned char *out;
	char why[256] = "";

	assert_non_null(j);
	memset(&b, 0, sizeof(b));
	if (ballot_choice_from_json(&E, j, &b, why, sizeof(why)) != 0)
		fail_msg("%s refused: %s", choice, why);
	json_decref(j);
	memcpy(b.fingerprint, E.fingerprint, 32);
	memcpy(b.key, vpk, 32);
	b.seq = seq;
	assert_int_equal(ballot_encode(&b, &out, len), 0);
	ballot_free(&b);
	return out;
}

static void
sign(const unsigned char *b, size_t len, unsigned char sig[64])
{
	crypto_sign_detached(sig, NULL, b, len, vsk);
}

static void
test_ballot_known(void **state)
{
	unsigned char *b, sig[64], h[32];
	struct ballot d;
	size_t len, wlen;
	unsigned char *want = unhex(KNOWN_BALLOT, &wlen);
	char why[256];

	(void)state;
	b = make_ballot(KNOWN_CHOICE, 7, &len);
	assert_int_equal(len, wlen);
	assert_memory_equal(b, want, len);
	ballot_tracker(b, len, h);
	assert_hex(h, 32, KNOWN_TRACKER);
	sign(b, len, sig);
	assert_int_equal(
	        ballot_check(&E, b, len, sig, &d, why, sizeof(why)), BALLOT_OK);
	assert_int_equal(d.seq, 7);
	assert_memory_equal(d.key, vpk, 32);
	assert_memory_equal(d.fingerprint, E.fingerprint, 32);
	assert_int_equal(d.nquestions, 4);
	assert_int_equal(d.nchoices[0], 1);
	assert_int_equal(d.choices[0][0].option, 1);
	assert_int_equal(d.nchoices[1], 2);
	assert_int_equal(d.choices[1][1].option, 3);
	/* ranking ["z","x"]: x (0) rank 2, z (2) rank 1 */
	assert_int_equal(d.nchoices[2], 2);
	assert_int_equal(d.choices[2][0].option, 0);
	assert_int_equal(d.choices[2][0].value, 2);
	assert_int_equal(d.choices[2][1].option, 2);
	assert_int_equal(d.choices[2][1].value, 1);
	assert_int_equal(d.choices[3][0].value, 5);
	assert_int_equal(d.choices[3][1].option, 2);
	assert_int_equal(d.choices[3][1].value, 4);
	ballot_free(&d);
	ballot_free(&d); /* safe twice */
	free(b);
	free(want);
}

/* Same choices in a and b. */
static void
assert_same_choices(const struct ballot *a, const struct ballot *b)
{
	size_t q;

	assert_int_equal(a->nquestions, b->nquestions);
	for (q = 0; q < a->nquestions; q++) {
		assert_int_equal(a->nchoices[q], b->nchoices[q]);
		if (a->nchoices[q] > 0)
			assert_memory_equal(a->choices[q], b->choices[q],
			        a->nchoices[q] * sizeof(struct choice));
	}
}

static void
test_ballot_round_trip(void **state)
{
	static const char *const choices[] = {
	        KNOWN_CHOICE,
	        "[\"a\",[\"ecole\"],[\"y\",\"z\",\"x\"],{\"b2\":5}]",
	        "[[\"c\"],[\"bancs\",\"piste\"],[\"x\",\"y\"],"
	        "{\"b1\":1,\"b2\":1,\"b3\":1}]",
	        "[\"b\",[\"parc\"],[\"z\",\"y\",\"x\"],{\"b3\":5,\"b2\":5}]",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(choices) / sizeof(choices[0]); i++) {
		json_t *j = json_loads(choices[i], 0, NULL);
		struct ballot want, got;
		unsigned char *bytes, *again, sig[64];
		size_t len, len2;
		char why[256] = "";

		memset(&want, 0, sizeof(want));
		assert_int_equal(
		        ballot_choice_from_json(&E, j, &want, why, sizeof(why)),
		        0);
		json_decref(j);
		memcpy(want.fingerprint, E.fingerprint, 32);
		memcpy(want.key, vpk, 32);
		want.seq = 1000 + i;
		assert_int_equal(ballot_encode(&want, &bytes, &len), 0);
		sign(bytes, len, sig);
		if (ballot_check(&E, bytes, len, sig, &got, why, sizeof(why)) !=
		        BALLOT_OK)
			fail_msg("%s: %s", choices[i], why);
		assert_same_choices(&want, &got);
		assert_int_equal(got.seq, 1000 + i);
		/* one choice, one encoding */
		assert_int_equal(ballot_encode(&got, &again, &len2), 0);
		assert_int_equal(len2, len);
		assert_memory_equal(again, bytes, len);
		free(again);
		free(bytes);
		ballot_free(&want);
		ballot_free(&got);
	}
}

/* Decodes and checks b (signed by vsk unless sig is given). */
static enum ballot_err
check_bytes(
        const unsigned char *b, size_t len, const unsigned char *sig, char *why)
{
	unsigned char s[64];
	struct ballot d;
	enum ballot_err err;

	if (sig == NULL) {
		sign(b, len, s);
		sig = s;
	}
	why[0] = '\0';
	memset(&d, 0x5a, sizeof(d));
	err = ballot_check(&E, b, len, sig, &d, why, 256);
	if (err != BALLOT_OK) {
		/* the output is left empty */
		assert_null(d.all);
		assert_int_equal(d.nquestions, 0);
	}
	ballot_free(&d);
	return err;
}

static void
test_ballot_mutations(void **state)
{
	unsigned char *b, *c, sig[64];
	size_t len, i, m;
	char why[256];
	static const unsigned char masks[] = {0x01, 0x80, 0xff};

	(void)state;
	b = make_ballot(KNOWN_CHOICE, 7, &len);
	sign(b, len, sig);
	c = malloc(len + 1);
	/* every truncation */
	for (i = 0; i < len; i++) {
		struct ballot d;

		assert_int_equal(ballot_decode(&E, b, i, &d, why, sizeof(why)),
		        BALLOT_MALFORMED);
		assert_int_equal(check_bytes(b, i, sig, why), BALLOT_MALFORMED);
	}
	/* a byte more */
	memcpy(c, b, len);
	c[len] = 0;
	assert_int_equal(check_bytes(c, len + 1, NULL, why), BALLOT_MALFORMED);
	assert_string_equal(why, "ballot has 1 bytes after its last field");
	/* every single-byte change, with the original signature */
	for (i = 0; i < len; i++)
		for (m = 0; m < sizeof(masks); m++) {
			enum ballot_err err;

			memcpy(c, b, len);
			c[i] ^= masks[m];
			err = check_bytes(c, len, sig, why);
			if (err == BALLOT_OK)
				fail_msg("byte %zu ^ %02x accepted", i,
				        masks[m]);
			assert_true(err == BALLOT_MALFORMED ||
			            err == BALLOT_WRONG_ELECTION ||
			            err == BALLOT_RULE ||
			            err == BALLOT_BAD_SIGNATURE);
			/* in the fingerprint, it is another election */
			if (i >= 27 && i < 59)
				assert_int_equal(err, BALLOT_WRONG_ELECTION);
		}
	/* the original still verifies; a changed signature does not */
	assert_int_equal(check_bytes(b, len, sig, why), BALLOT_OK);
	sig[10] ^= 1;
	assert_int_equal(check_bytes(b, len, sig, why), BALLOT_BAD_SIGNATURE);
	assert_string_equal(why, "ballot signature does not verify");
	/* signed by another key */
	{
		unsigned char pk2[32], sk2[64];

		crypto_sign_keypair(pk2, sk2);
		crypto_sign_detached(sig, NULL, b, len, sk2);
		assert_int_equal(
		        check_bytes(b, len, sig, why), BALLOT_BAD_SIGNATURE);
	}
	free(c);
	free(b);
}

/* A ballot of E with the choices given as (q, option, value) triples. */
static unsigned char *
raw_ballot(const unsigned char fp[32], uint64_t seq, size_t nq,
        const char *spec, size_t *len)
{
	struct choice all[64];
	struct ballot b;
	size_t used = 0, q;
	unsigned char *out;
	const char *p = spec;

	memset(&b, 0, sizeof(b));
	memcpy(b.fingerprint, fp, 32);
	memcpy(b.key, vpk, 32);
	b.seq = seq;
	b.nquestions = nq;
	/* spec: per question, "o:v,o:v;" */
	for (q = 0; q < nq; q++) {
		b.choices[q] = all + used;
		while (*p != '\0' && *p != ';') {
			unsigned o, v;
			int n;

			assert_int_equal(sscanf(p, "%u:%u%n", &o, &v, &n), 2);
			all[used].option = o;
			all[used].value = v;
			used++;
			b.nchoices[q]++;
			p += n;
			if (*p == ',')
				p++;
		}
		if (*p == ';')
			p++;
	}
	assert_int_equal(ballot_encode(&b, &out, len), 0);
	return out;
}

/* Expects the raw ballot to be refused with err and exactly want. */
static void
raw_bad(const unsigned char *fp, uint64_t seq, size_t nq, const char *spec,
        enum ballot_err err, const char *want)
{
	size_t len;
	unsigned char *b = raw_ballot(fp, seq, nq, spec, &len);
	char why[256];
	enum ballot_err got = check_bytes(b, len, NULL, why);

	if (got != err || strcmp(why, want) != 0)
		fail_msg("%s: got %d \"%s\", want %d \"%s\"", spec, got, why,
		        err, want);
	free(b);
}

static void
test_ballot_refusals(void **state)
{
	const unsigned char *fp = E.fingerprint;
	unsigned char other[32];
	size_t len;
	unsigned char *b;
	char why[256];
	static const char *const good = "1:1;0:1,3:1;0:2,2:1;0:5,2:4";

	(void)state;
	/* the raw spec of KNOWN_CHOICE is accepted */
	b = raw_ballot(fp, 7, 4, good, &len);
	assert_int_equal(check_bytes(b, len, NULL, why), BALLOT_OK);
	free(b);

	memcpy(other, fp, 32);
	other[31] ^= 1;
	raw_bad(other, 7, 4, good, BALLOT_WRONG_ELECTION,
	        "ballot is for another election (its fingerprint is not this "
	        "election's)");
	/* another election's ballot may have other questions */
	raw_bad(other, 7, 2, "1:1;0:1", BALLOT_WRONG_ELECTION,
	        "ballot is for another election (its fingerprint is not this "
	        "election's)");
	raw_bad(fp, 0, 4, good, BALLOT_MALFORMED,
	        "ballot sequence number is 0, it starts at 1");
	raw_bad(fp, 7, 3, "1:1;0:1,3:1;0:2,2:1", BALLOT_MALFORMED,
	        "ballot has 3 questions, the election 4");
	raw_bad(fp, 7, 5, "1:1;0:1,3:1;0:2,2:1;0:5,2:4;", BALLOT_MALFORMED,
	        "ballot has 5 questions, the election 4");
	raw_bad(fp, 7, 4, "1:1;3:1,0:1;0:2,2:1;0:5,2:4", BALLOT_MALFORMED,
	        "question projets: option indices are not strictly "
	        "increasing");
	raw_bad(fp, 7, 4, "1:1;1:1,1:1;0:2,2:1;0:5,2:4", BALLOT_MALFORMED,
	        "question projets: option indices are not strictly "
	        "increasing");
	raw_bad(fp, 7, 4, "1:0;0:1,3:1;0:2,2:1;0:5,2:4", BALLOT_MALFORMED,
	        "question maire: option index 1 has value 0");
	raw_bad(fp, 7, 4, "1:1;0:1,3:1;0:2,2:1;0:5,2:0", BALLOT_MALFORMED,
	        "question budget: option index 2 has value 0");
	/* structure first: a zero value beats an index out of range */
	raw_bad(fp, 7, 4, "9:0;0:1,3:1;0:2,2:1;0:5,2:4", BALLOT_MALFORMED,
	        "question maire: option index 9 has value 0");
	/* then the rules */
	raw_bad(fp, 7, 4, "3:1;0:1,3:1;0:2,2:1;0:5,2:4", BALLOT_RULE,
	        "question maire: option index 3 does not exist");
	raw_bad(fp, 7, 4, "1:1;0:1,4:1;0:2,2:1;0:5,2:4", BALLOT_RULE,
	        "question projets: option index 4 does not exist");
	raw_bad(fp, 7, 4, "0:1,1:1;0:1,3:1;0:2,2:1;0:5,2:4", BALLOT_RULE,
	        "question maire: 2 options chosen, exactly 1 allowed");
	raw_bad(fp, 7, 4, ";0:1,3:1;0:2,2:1;0:5,2:4", BALLOT_RULE,
	        "question maire: no option chosen, exactly 1 required");
	raw_bad(fp, 7, 4, "1:2;0:1,3:1;0:2,2:1;0:5,2:4", BALLOT_RULE,
	        "question maire: option index 1 has value 2, must be 1");
	raw_bad(fp, 7, 4, "1:1;0:1,1:1,3:1;0:2,2:1;0:5,2:4", BALLOT_RULE,
	        "question projets: 3 options chosen, at most 2 allowed");
	raw_bad(fp, 7, 4, "1:1;;0:2,2:1;0:5,2:4", BALLOT_RULE,
	        "question projets: no option chosen, at least 1 required");
	raw_bad(fp, 7, 4, "1:1;0:1;0:1;0:5,2:4", BALLOT_RULE,
	        "question ordre: 1 option chosen, at least 2 required");
	raw_bad(fp, 7, 4, "1:1;0:1;0:1,2:1;0:5,2:4", BALLOT_RULE,
	        "question ordre: rank 1 is given twice");
	raw_bad(fp, 7, 4, "1:1;0:1;0:1,2:3;0:5,2:4", BALLOT_RULE,
	        "question ordre: option index 2 has rank 3, ranks go from 1 "
	        "to 2");
	raw_bad(fp, 7, 4, "1:1;0:1;0:2,2:1;0:5,1:5,2:1", BALLOT_RULE,
	        "question budget: points total 11 is over 10");
	raw_bad(fp, 7, 4, "1:1;0:1;0:2,2:1;0:6", BALLOT_RULE,
	        "question budget: option index 0 has 6 points, at most 5 "
	        "allowed on one option");
	raw_bad(fp, 7, 4, "1:1;0:1;0:2,2:1;", BALLOT_RULE,
	        "question budget: no points given, at least 1 required");

	/* too large, before anything else */
	b = calloc(BALLOT_MAX_BYTES + 1, 1);
	assert_int_equal(check_bytes(b, BALLOT_MAX_BYTES + 1, NULL, why),
	        BALLOT_TOO_LARGE);
	assert_string_equal(
	        why, "ballot is 16385 bytes, at most 16384 allowed");
	assert_int_equal(
	        check_bytes(b, BALLOT_MAX_BYTES, NULL, why), BALLOT_MALFORMED);
	free(b);

	/* hand-made field errors */
	{
		/* F(tag) F(fp) F(key) F(u64) F(choices) with one change */
		static const unsigned char tag2[] = "participe/ballot/v2";
		unsigned char buf[512];
		size_t n;
		enum ballot_err err;

		b = raw_ballot(fp, 7, 4, good, &len);
		/* another tag version */
		memcpy(buf, b, len);
		memcpy(buf + 4, tag2, 19);
		assert_int_equal(
		        check_bytes(buf, len, NULL, why), BALLOT_MALFORMED);
		assert_string_equal(why, "ballot does not start with the field "
		                         "\"participe/ballot/v1\"");
		/* a 31-byte fingerprint field (the rest shifted) */
		memcpy(buf, b, 27);
		buf[26] = 31;
		memcpy(buf + 27, b + 27, 31);
		memcpy(buf + 58, b + 59, len - 59);
		n = len - 1;
		assert_int_equal(
		        check_bytes(buf, n, NULL, why), BALLOT_MALFORMED);
		assert_string_equal(
		        why, "ballot fingerprint is not a 32-byte field");
		/* a 7-byte sequence field */
		memcpy(buf, b, len);
		buf[98] = 7;
		memmove(buf + 99, buf + 100, len - 100);
		assert_int_equal(
		        check_bytes(buf, len - 1, NULL, why), BALLOT_MALFORMED);
		assert_string_equal(
		        why, "ballot sequence number is not an 8-byte field");
		/* the choices field one byte too long, then short */
		memcpy(buf, b, len);
		buf[110]++;
		buf[len] = 0;
		err = check_bytes(buf, len + 1, NULL, why);
		assert_int_equal(err, BALLOT_MALFORMED);
		assert_string_equal(why,
		        "ballot choices have 1 bytes after the last question");
		memcpy(buf, b, len);
		buf[110] -= 8;
		assert_int_equal(
		        check_bytes(buf, len - 8, NULL, why), BALLOT_MALFORMED);
		assert_string_equal(
		        why, "question budget: choices are truncated");
		/* a count of pairs far over the bytes */
		memcpy(buf, b, len);
		buf[115] = 0xff;
		assert_int_equal(
		        check_bytes(buf, len, NULL, why), BALLOT_MALFORMED);
		assert_string_equal(
		        why, "question maire: choices are truncated");
		/* 21 questions announced */
		memcpy(buf, b, len);
		buf[114] = 21;
		assert_int_equal(
		        check_bytes(buf, len, NULL, why), BALLOT_MALFORMED);
		assert_string_equal(
		        why, "ballot has 21 questions, at most 20 allowed");
		free(b);
	}
}

/* ballot_choice_from_json must refuse choice with exactly want. */
static void
choice_bad(const char *choice, const char *want)
{
	json_t *j = json_loads(choice, JSON_DECODE_ANY, NULL);
	struct ballot b;
	char why[256] = "";

	assert_non_null(j);
	memset(&b, 0, sizeof(b));
	if (ballot_choice_from_json(&E, j, &b, why, sizeof(why)) == 0)
		fail_msg("%s accepted", choice);
	if (strcmp(why, want) != 0)
		fail_msg("%s: \"%s\", want \"%s\"", choice, why, want);
	assert_null(b.all);
	json_decref(j);
}

static void
test_choice_from_json(void **state)
{
	json_t *j;
	struct ballot b;
	char why[256];

	(void)state;
	memset(&b, 0, sizeof(b));
	/* single as a string or a one-element array; ranking to ranks */
	j = json_loads("[[\"c\"],[\"bancs\",\"piste\"],[\"y\",\"z\",\"x\"],"
	               "{\"b3\":1,\"b1\":2}]",
	        0, NULL);
	assert_int_equal(
	        ballot_choice_from_json(&E, j, &b, why, sizeof(why)), 0);
	json_decref(j);
	assert_int_equal(b.nquestions, 4);
	assert_int_equal(b.nchoices[0], 1);
	assert_int_equal(b.choices[0][0].option, 2);
	assert_int_equal(b.choices[0][0].value, 1);
	assert_int_equal(b.nchoices[1], 2);
	assert_int_equal(b.choices[1][0].option, 1); /* sorted */
	assert_int_equal(b.choices[1][1].option, 3);
	assert_int_equal(b.nchoices[2], 3);
	assert_int_equal(b.choices[2][0].value, 3); /* x third */
	assert_int_equal(b.choices[2][1].value, 1); /* y first */
	assert_int_equal(b.choices[2][2].value, 2); /* z second */
	assert_int_equal(b.choices[3][0].option, 0);
	assert_int_equal(b.choices[3][0].value, 2);
	assert_int_equal(b.choices[3][1].option, 2);
	assert_int_equal(b.choices[3][1].value, 1);
	/* a second call replaces the first (no leak) */
	j = json_loads("[\"a\",[\"parc\"],[\"x\",\"y\"],{\"b2\":5}]", 0, NULL);
	assert_int_equal(
	        ballot_choice_from_json(&E, j, &b, why, sizeof(why)), 0);
	json_decref(j);
	assert_int_equal(b.choices[0][0].option, 0);
	assert_int_equal(b.nchoices[3], 1);
	assert_int_equal(b.choices[3][0].option, 1);
	assert_int_equal(b.choices[3][0].value, 5);
	ballot_free(&b);

	choice_bad("{}",
	        "the choice must be a JSON array, one element per question");
	choice_bad("[\"a\",[\"parc\"],[\"x\",\"y\"]]",
	        "the choice has 3 elements, the election 4 questions");
	choice_bad("[\"d\",[\"parc\"],[\"x\",\"y\"],{\"b2\":5}]",
	        "question maire: unknown option \"d\"");
	choice_bad("[\"A\",[\"parc\"],[\"x\",\"y\"],{\"b2\":5}]",
	        "question maire: unknown option \"A\"");
	choice_bad("[1,[\"parc\"],[\"x\",\"y\"],{\"b2\":5}]",
	        "question maire: must be an array of option ids or one option "
	        "id");
	choice_bad("[[1],[\"parc\"],[\"x\",\"y\"],{\"b2\":5}]",
	        "question maire: options are given by their id");
	choice_bad("[[\"a\",\"b\"],[\"parc\"],[\"x\",\"y\"],{\"b2\":5}]",
	        "question maire: 2 options chosen, exactly 1 allowed");
	choice_bad("[[],[\"parc\"],[\"x\",\"y\"],{\"b2\":5}]",
	        "question maire: no option chosen, exactly 1 required");
	choice_bad("[\"a\",\"parc\",[\"x\",\"y\"],{\"b2\":5}]",
	        "question projets: must be an array of option ids");
	choice_bad("[\"a\",[\"parc\",\"parc\"],[\"x\",\"y\"],{\"b2\":5}]",
	        "question projets: option \"parc\" is given twice");
	choice_bad("[\"a\",[\"parc\",\"piste\",\"ecole\"],[\"x\",\"y\"],"
	           "{\"b2\":5}]",
	        "question projets: 3 options chosen, at most 2 allowed");
	choice_bad("[\"a\",[],[\"x\",\"y\"],{\"b2\":5}]",
	        "question projets: no option chosen, at least 1 required");
	choice_bad("[\"a\",[\"parc\"],[\"x\"],{\"b2\":5}]",
	        "question ordre: 1 option chosen, at least 2 required");
	choice_bad("[\"a\",[\"parc\"],[\"x\",\"x\"],{\"b2\":5}]",
	        "question ordre: option \"x\" is given twice");
	choice_bad("[\"a\",[\"parc\"],{\"x\":1},{\"b2\":5}]",
	        "question ordre: must be an array of option ids");
	choice_bad("[\"a\",[\"parc\"],[\"x\",\"y\"],[\"b2\"]]",
	        "question budget: must be an object of option ids and points");
	choice_bad("[\"a\",[\"parc\"],[\"x\",\"y\"],{\"b4\":1}]",
	        "question budget: unknown option \"b4\"");
	choice_bad("[\"a\",[\"parc\"],[\"x\",\"y\"],{\"b2\":0}]",
	        "question budget: the points of option \"b2\" must be an "
	        "integer of at least 1");
	choice_bad("[\"a\",[\"parc\"],[\"x\",\"y\"],{\"b2\":1.5}]",
	        "question budget: the points of option \"b2\" must be an "
	        "integer of at least 1");
	choice_bad("[\"a\",[\"parc\"],[\"x\",\"y\"],{\"b2\":\"1\"}]",
	        "question budget: the points of option \"b2\" must be an "
	        "integer of at least 1");
	choice_bad("[\"a\",[\"parc\"],[\"x\",\"y\"],{\"b2\":6}]",
	        "question budget: option \"b2\" has 6 points, at most 5 "
	        "allowed on one option");
	choice_bad("[\"a\",[\"parc\"],[\"x\",\"y\"],{\"b2\":5,\"b1\":5,"
	           "\"b3\":1}]",
	        "question budget: points total 11 is over 10");
	choice_bad("[\"a\",[\"parc\"],[\"x\",\"y\"],{}]",
	        "question budget: no points given, at least 1 required");
}

/* --- log entries, tree heads, receipts ----------------------------- */

/* Appends F(data) by hand. */
static size_t
put_field(unsigned char *out, size_t o, const void *data, size_t len)
{
	out[o++] = (unsigned char)(len >> 24);
	out[o++] = (unsigned char)(len >> 16);
	out[o++] = (unsigned char)(len >> 8);
	out[o++] = (unsigned char)len;
	memcpy(out + o, data, len);
	return o + len;
}

/* Appends F(u64(v)) by hand. */
static size_t
put_u64(unsigned char *out, size_t o, uint64_t v)
{
	unsigned char be[8];
	int i;

	for (i = 0; i < 8; i++)
		be[i] = (unsigned char)(v >> (56 - 8 * i));
	return put_field(out, o, be, 8);
}

/* Encodes e; must be want[0..n); parses back to e. */
static void
entry_round_trip(const struct log_entry *e, const unsigned char *want, size_t n)
{
	unsigned char *bytes, *big;
	struct log_entry back;
	size_t len, i;

	assert_int_equal(log_entry_encode(e, &bytes, &len), 0);
	assert_int_equal(len, n);
	assert_memory_equal(bytes, want, n);
	assert_int_equal(log_entry_parse(bytes, len, &back), 0);
	assert_int_equal(back.kind, e->kind);
	assert_memory_equal(back.fingerprint, e->fingerprint, 32);
	assert_memory_equal(back.list_hash, e->list_hash, 32);
	assert_true(back.count == e->count);
	assert_memory_equal(back.key, e->key, 32);
	assert_int_equal(back.ballot_len, e->ballot_len);
	if (e->ballot_len > 0) {
		assert_memory_equal(back.ballot, e->ballot, e->ballot_len);
		/* points into the entry */
		assert_true(back.ballot > bytes && back.ballot < bytes + len);
	}
	assert_memory_equal(back.sig, e->sig, 64);
	assert_true(back.time_ms == e->time_ms);
	/* every truncation and an extra byte are refused */
	for (i = 0; i < len; i++)
		assert_int_equal(log_entry_parse(bytes, i, &back), -1);
	big = malloc(len + 1);
	memcpy(big, bytes, len);
	big[len] = 0;
	assert_int_equal(log_entry_parse(big, len + 1, &back), -1);
	free(big);
	free(bytes);
}

static void
test_log_entries(void **state)
{
	static const char *const tag_open = TAG_LOG_OPEN;
	unsigned char want[512], *ballot;
	struct log_entry e;
	size_t o, blen;
	const uint64_t t = 1800000000123ULL;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.kind = ENTRY_OPEN;
	memcpy(e.fingerprint, E.fingerprint, 32);
	memset(e.list_hash, 0xab, 32);
	e.count = 5;
	e.time_ms = t;
	o = put_field(want, 0, tag_open, strlen(tag_open));
	o = put_field(want, o, e.fingerprint, 32);
	o = put_field(want, o, e.list_hash, 32);
	o = put_u64(want, o, 5);
	o = put_u64(want, o, t);
	entry_round_trip(&e, want, o);
	/* the exact start: u32(21) "participe/log/open/v1" */
	assert_int_equal(want[3], 21);

	memset(&e, 0, sizeof(e));
	e.kind = ENTRY_CREDENTIAL;
	memcpy(e.fingerprint, E.fingerprint, 32);
	memcpy(e.key, vpk, 32);
	e.time_ms = t + 1;
	o = put_field(want, 0, TAG_LOG_CREDENTIAL, strlen(TAG_LOG_CREDENTIAL));
	o = put_field(want, o, e.fingerprint, 32);
	o = put_field(want, o, vpk, 32);
	o = put_u64(want, o, t + 1);
	entry_round_trip(&e, want, o);

	ballot = make_ballot(KNOWN_CHOICE, 7, &blen);
	memset(&e, 0, sizeof(e));
	e.kind = ENTRY_BALLOT;
	e.ballot = ballot;
	e.ballot_len = blen;
	sign(ballot, blen, e.sig);
	e.time_ms = t + 2;
	o = put_field(want, 0, TAG_LOG_BALLOT, strlen(TAG_LOG_BALLOT));
	o = put_field(want, o, ballot, blen);
	o = put_field(want, o, e.sig, 64);
	o = put_u64(want, o, t + 2);
	entry_round_trip(&e, want, o);
	free(ballot);

	memset(&e, 0, sizeof(e));
	e.kind = ENTRY_CLOSE;
	memcpy(e.fingerprint, E.fingerprint, 32);
	e.count = 123456;
	e.time_ms = t + 3;
	o = put_field(want, 0, TAG_LOG_CLOSE, strlen(TAG_LOG_CLOSE));
	o = put_field(want, o, e.fingerprint, 32);
	o = put_u64(want, o, 123456);
	o = put_u64(want, o, t + 3);
	entry_round_trip(&e, want, o);

	/* an unknown tag, a field of the wrong length */
	{
		static const unsigned char zero[64];
		struct log_entry back;

		o = put_field(want, 0, "participe/log/close/v2", 22);
		o = put_field(want, o, E.fingerprint, 32);
		o = put_u64(want, o, 1);
		o = put_u64(want, o, t);
		assert_int_equal(log_entry_parse(want, o, &back), -1);
		o = put_field(want, 0, TAG_LOG_CLOSE, strlen(TAG_LOG_CLOSE));
		o = put_field(want, o, E.fingerprint, 31);
		o = put_u64(want, o, 1);
		o = put_u64(want, o, t);
		assert_int_equal(log_entry_parse(want, o, &back), -1);
		o = put_field(want, 0, TAG_LOG_BALLOT, strlen(TAG_LOG_BALLOT));
		o = put_field(want, o, "x", 1);
		o = put_field(want, o, zero, 63); /* a 63-byte signature */
		o = put_u64(want, o, t);
		assert_int_equal(log_entry_parse(want, o, &back), -1);
		assert_int_equal(log_entry_parse(want, 0, &back), -1);
	}
}

static void
test_tree_head_receipt(void **state)
{
	unsigned char want[256], root[32], tracker[32], *m;
	size_t o, len;

	(void)state;
	memset(root, 0x11, 32);
	memset(tracker, 0x22, 32);
	o = put_field(want, 0, "participe/tree-head/v1", 22);
	o = put_field(want, o, E.fingerprint, 32);
	o = put_u64(want, o, 42);
	o = put_field(want, o, root, 32);
	o = put_u64(want, o, 1800000000000ULL);
	assert_int_equal(tree_head_message(E.fingerprint, 42, root,
	                         1800000000000ULL, &m, &len),
	        0);
	assert_int_equal(len, o);
	assert_memory_equal(m, want, o);
	free(m);

	o = put_field(want, 0, "participe/receipt/v1", 20);
	o = put_field(want, o, E.fingerprint, 32);
	o = put_field(want, o, tracker, 32);
	o = put_u64(want, o, 17);
	o = put_u64(want, o, 1800000000001ULL);
	assert_int_equal(receipt_message(E.fingerprint, tracker, 17,
	                         1800000000001ULL, &m, &len),
	        0);
	assert_int_equal(len, o);
	assert_memory_equal(m, want, o);
	free(m);
}

/* --- counting ------------------------------------------------------ */

/* A decoded ballot of E for key k. */
static void
tally_ballot(struct ballot *b, unsigned char k, uint64_t seq, const char *c)
{
	json_t *j = json_loads(c, 0, NULL);
	char why[256];

	memset(b, 0, sizeof(*b));
	if (ballot_choice_from_json(&E, j, b, why, sizeof(why)) != 0)
		fail_msg("%s: %s", c, why);
	json_decref(j);
	memcpy(b->fingerprint, E.fingerprint, 32);
	memset(b->key, k, 32);
	b->seq = seq;
}

static const char RESULT[] =
        "{\"ballots\":3,\"cast\":5,\"questions\":["
        "{\"id\":\"maire\",\"kind\":\"single\",\"totals\":[0,2,1],"
        "\"winners\":[\"b\"]},"
        "{\"id\":\"projets\",\"kind\":\"approval\",\"totals\":[1,2,1,1],"
        "\"winners\":[\"piste\"]},"
        "{\"first\":[1,1,1],\"id\":\"ordre\",\"kind\":\"ranking\","
        "\"totals\":[3,3,3],\"winners\":[\"x\",\"y\",\"z\"]},"
        "{\"id\":\"budget\",\"kind\":\"cumulative\",\"totals\":[3,4,9],"
        "\"winners\":[\"b3\"]}]}";

static void
test_tally(void **state)
{
	/* A votes twice (2 counts), C twice (3 counts), B once */
	struct ballot b[5];
	static const size_t orders[3][5] = {
	        {0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}, {2, 4, 0, 3, 1}};
	size_t i, k;
	struct tally *t;
	char *s;

	(void)state;
	tally_ballot(&b[0], 'A', 2,
	        "[\"b\",[\"parc\",\"piste\"],[\"z\",\"y\"],{\"b3\":5}]");
	tally_ballot(&b[1], 'B', 1,
	        "[\"b\",[\"piste\"],[\"y\",\"x\",\"z\"],"
	        "{\"b1\":3,\"b2\":3,\"b3\":4}]");
	tally_ballot(&b[2], 'C', 3,
	        "[\"c\",[\"ecole\",\"bancs\"],[\"x\",\"z\"],{\"b2\":1}]");
	tally_ballot(&b[3], 'A', 1,
	        "[\"a\",[\"parc\"],[\"x\",\"y\",\"z\"],{\"b1\":5,\"b2\":5}]");
	tally_ballot(
	        &b[4], 'C', 1, "[\"a\",[\"parc\"],[\"y\",\"z\"],{\"b1\":1}]");
	for (k = 0; k < 3; k++) {
		t = tally_new(&E);
		assert_non_null(t);
		for (i = 0; i < 5; i++)
			assert_int_equal(tally_add(t, &b[orders[k][i]]), 0);
		s = tally_result(t);
		assert_non_null(s);
		assert_string_equal(s, RESULT);
		free(s);
		/* twice the same */
		s = tally_result(t);
		assert_string_equal(s, RESULT);
		free(s);
		tally_free(t);
	}
	/* the copies are the tally's own */
	t = tally_new(&E);
	for (i = 0; i < 5; i++)
		assert_int_equal(tally_add(t, &b[i]), 0);
	for (i = 0; i < 5; i++)
		ballot_free(&b[i]);
	s = tally_result(t);
	assert_string_equal(s, RESULT);
	free(s);
	tally_free(t);
	tally_free(NULL);

	/* nothing counted: zero totals, no winners */
	t = tally_new(&E);
	s = tally_result(t);
	assert_string_equal(s,
	        "{\"ballots\":0,\"cast\":0,\"questions\":["
	        "{\"id\":\"maire\",\"kind\":\"single\",\"totals\":[0,0,0],"
	        "\"winners\":[]},"
	        "{\"id\":\"projets\",\"kind\":\"approval\",\"totals\":[0,0,0,"
	        "0],\"winners\":[]},"
	        "{\"first\":[0,0,0],\"id\":\"ordre\",\"kind\":\"ranking\","
	        "\"totals\":[0,0,0],\"winners\":[]},"
	        "{\"id\":\"budget\",\"kind\":\"cumulative\",\"totals\":[0,0,0],"
	        "\"winners\":[]}]}");
	free(s);
	/* one ballot */
	tally_ballot(&b[0], 'D', 9,
	        "[\"a\",[\"bancs\"],[\"y\",\"x\",\"z\"],{\"b1\":5,\"b3\":5}]");
	assert_int_equal(tally_add(t, &b[0]), 0);
	ballot_free(&b[0]);
	s = tally_result(t);
	assert_string_equal(s,
	        "{\"ballots\":1,\"cast\":1,\"questions\":["
	        "{\"id\":\"maire\",\"kind\":\"single\",\"totals\":[1,0,0],"
	        "\"winners\":[\"a\"]},"
	        "{\"id\":\"projets\",\"kind\":\"approval\",\"totals\":[0,0,0,"
	        "1],\"winners\":[\"bancs\"]},"
	        "{\"first\":[0,1,0],\"id\":\"ordre\",\"kind\":\"ranking\","
	        "\"totals\":[1,2,0],\"winners\":[\"y\"]},"
	        "{\"id\":\"budget\",\"kind\":\"cumulative\",\"totals\":[5,0,5],"
	        "\"winners\":[\"b1\",\"b3\"]}]}");
	free(s);
	tally_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_parse_fixture),
	        cmocka_unit_test(test_parse_other_forms),
	        cmocka_unit_test(test_parse_bad_top),
	        cmocka_unit_test(test_parse_bad_questions),
	        cmocka_unit_test(test_budget_questions),
	        cmocka_unit_test(test_questions_check),
	        cmocka_unit_test(test_hashes),
	        cmocka_unit_test(test_ballot_known),
	        cmocka_unit_test(test_ballot_round_trip),
	        cmocka_unit_test(test_ballot_mutations),
	        cmocka_unit_test(test_ballot_refusals),
	        cmocka_unit_test(test_choice_from_json),
	        cmocka_unit_test(test_log_entries),
	        cmocka_unit_test(test_tree_head_receipt),
	        cmocka_unit_test(test_tally),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
