/*
 * test_outcome.c - the outcome rules: every Pabulib election of
 * tests/data/pabulib under every rule of its expected.json (selection
 * order, cost, and for mes-add1 the steps and final budget per voter),
 * then small instances computed by hand for each point of the rules'
 * definitions, the worked example of docs/budgets.md among them
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outcome.h"
#include "pbfile.h"

#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/data"
#endif

/* Reads a whole file (malloc'd); fails the test if it cannot. */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Options from an expected.json key: "mes-add1 --utility card". */
static void
options_of(const char *key, const struct pbfile *pb, struct outcome_options *o)
{
	char rule[32];
	const char *sp = strchr(key, ' ');
	size_t n = sp ? (size_t)(sp - key) : strlen(key);

	outcome_options_init(o);
	snprintf(rule, sizeof(rule), "%.*s", (int)n, key);
	assert_int_equal(outcome_rule_parse(rule, &o->rule), 0);
	if (sp != NULL) {
		assert_string_equal(sp, " --utility card");
		o->utility = OUTCOME_UTIL_CARD;
	}
	assert_int_equal(pbfile_threshold(pb, &o->min_votes), 0);
}

static void
test_expected(void **state)
{
	json_error_t jerr;
	json_t *all = json_load_file(
	               TEST_DATA_DIR "/pabulib/expected.json", 0, &jerr),
	       *file, *outs, *want;
	const char *name, *key;
	size_t nchecked = 0;

	(void)state;
	if (all == NULL)
		fail_msg("expected.json: %s", jerr.text);
	json_object_foreach(all, name, file)
	{
		char path[512], *buf;
		size_t len, i;
		struct pbfile pb;
		struct pbfile_error e;
		struct outcome_instance in;

		snprintf(path, sizeof(path), "%s/pabulib/%s", TEST_DATA_DIR,
		        name);
		buf = slurp(path, &len);
		if (pbfile_parse(buf, len, &pb, &e) != ERR_OK)
			fail_msg("%s:%zu: %s", name, e.line, e.reason);
		free(buf);
		pbfile_instance(&pb, &in);
		assert_int_equal(in.nballots,
		        json_integer_value(json_object_get(file, "voters")));
		assert_int_equal(in.nprojects,
		        json_integer_value(json_object_get(file, "projects")));
		outs = json_object_get(file, "outcomes");
		json_object_foreach(outs, key, want)
		{
			struct outcome_options o;
			struct outcome out;
			json_t *order = json_object_get(want, "order");
			json_t *steps = json_object_get(want, "steps");

			options_of(key, &pb, &o);
			assert_int_equal(
			        outcome_compute(&in, &o, &out, NULL), ERR_OK);
			if (out.nselected != json_array_size(order))
				fail_msg("%s %s: %zu selected, expected %zu",
				        name, key, out.nselected,
				        json_array_size(order));
			for (i = 0; i < out.nselected; i++)
				if (strcmp(in.projects[out.selected[i]].id,
				            json_string_value(json_array_get(
				                    order, i))) != 0)
					fail_msg("%s %s: #%zu is %s, expected "
					         "%s",
					        name, key, i,
					        in.projects[out.selected[i]].id,
					        json_string_value(
					                json_array_get(
					                        order, i)));
			assert_int_equal(out.cost,
			        json_integer_value(
			                json_object_get(want, "cost")));
			if (steps != NULL) {
				assert_int_equal(
				        out.steps, json_integer_value(steps));
				assert_string_equal(out.per_voter_budget,
				        json_string_value(json_object_get(want,
				                "final_per_voter_budget")));
			}
			outcome_release(&out);
			nchecked++;
		}
		pbfile_release(&pb);
	}
	assert_int_equal(nchecked, 50);
	json_decref(all);
}

/* --- small instances ---------------------------------------------------- */

#define T_MAX 16

/* An instance built from text (see build()). */
struct t {
	char ids[T_MAX][24];
	struct outcome_project p[T_MAX];
	struct outcome_ballot b[T_MAX * 4];
	size_t idx[T_MAX * 4][T_MAX];
	uint64_t pts[T_MAX * 4][T_MAX];
	struct outcome_instance in;
	struct outcome_options o;
	struct outcome out;
};

static struct t t;

static size_t
project_index(const char *id)
{
	size_t i;

	for (i = 0; i < t.in.nprojects; i++)
		if (strcmp(t.ids[i], id) == 0)
			return i;
	fail_msg("no project %s", id);
	return 0;
}

/*
 * Sets t up: projects "A:300 B:200", then one string per ballot, "A B"
 * or with points "A=1 B=9"; a count prefix "3*A B" repeats a ballot.
 */
static void
build(uint64_t budget, const char *projects, ...)
{
	char buf[256], *tok, *save = NULL;
	const char *bal;
	va_list ap;

	outcome_release(&t.out);
	memset(&t, 0, sizeof(t));
	snprintf(buf, sizeof(buf), "%s", projects);
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	        tok = strtok_r(NULL, " ", &save)) {
		size_t i = t.in.nprojects++;
		char *colon = strchr(tok, ':');

		*colon = '\0';
		snprintf(t.ids[i], sizeof(t.ids[i]), "%s", tok);
		t.p[i].id = t.ids[i];
		t.p[i].cost = strtoull(colon + 1, NULL, 10);
	}
	va_start(ap, projects);
	while ((bal = va_arg(ap, const char *)) != NULL) {
		unsigned long times = 1, k;
		const char *star = strchr(bal, '*');
		size_t first = t.in.nballots;

		if (star != NULL) {
			times = strtoul(bal, NULL, 10);
			bal = star + 1;
		}
		for (k = 0; k < times; k++) {
			struct outcome_ballot *b = &t.b[t.in.nballots];
			size_t *idx = t.idx[t.in.nballots];
			uint64_t *pts = t.pts[t.in.nballots];

			snprintf(buf, sizeof(buf), "%s", bal);
			for (tok = strtok_r(buf, " ", &save); tok != NULL;
			        tok = strtok_r(NULL, " ", &save)) {
				char *eq = strchr(tok, '=');

				if (eq != NULL) {
					*eq = '\0';
					pts[b->n] = strtoull(eq + 1, NULL, 10);
					b->points = pts;
				}
				idx[b->n++] = project_index(tok);
			}
			b->projects = idx;
			t.in.nballots++;
		}
		assert_true(t.in.nballots - first == times);
	}
	va_end(ap);
	t.in.projects = t.p;
	t.in.ballots = t.b;
	t.in.budget = budget;
	outcome_options_init(&t.o);
}

/* Runs rule (with t.o's other options) and checks the selected ids. */
static void
expect(enum outcome_rule rule, const char *ids, uint64_t cost)
{
	char got[256] = "";
	size_t i;

	outcome_release(&t.out);
	t.o.rule = rule;
	assert_int_equal(outcome_compute(&t.in, &t.o, &t.out, NULL), ERR_OK);
	for (i = 0; i < t.out.nselected; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s",
		        i ? " " : "", t.ids[t.out.selected[i]]);
	if (strcmp(got, ids) != 0)
		fail_msg("%s: selected \"%s\", expected \"%s\"",
		        outcome_rule_name(rule), got, ids);
	assert_int_equal(t.out.cost, cost);
}

static int
teardown(void **state)
{
	(void)state;
	outcome_release(&t.out);
	return 0;
}

/*
 * docs/budgets.md's example: 6 voters, 600 (100 each). A 300 by voters
 * 1-4, B 200 by 1-2, C 200 by 5-6, D 60 by 6.
 */
static void
test_worked_example(void **state)
{
	(void)state;
	build(600, "A:300 B:200 C:200 D:60", "2*A B", "2*A", "C", "C D", NULL);
	expect(OUTCOME_GREEDY, "A B D", 560);
	expect(OUTCOME_GREEDY_NO_SKIP, "A B", 500);
	expect(OUTCOME_GREEDY_SCORE, "A B D", 560);
	expect(OUTCOME_MES, "A C", 500);
	assert_int_equal(t.out.steps, 0);
	assert_string_equal(t.out.per_voter_budget, "100");
	/* k = 60: 160 each, D affordable; k = 75: B too, 860 > 600 */
	expect(OUTCOME_MES_ADD1, "A C D", 560);
	assert_int_equal(t.out.steps, 74);
	assert_string_equal(t.out.per_voter_budget, "174");
	t.o.utility = OUTCOME_UTIL_CARD;
	expect(OUTCOME_MES, "D A", 360);
}

static void
test_ties_by_id_string(void **state)
{
	(void)state;
	build(1, "9:1 10:1", "9", "10", NULL);
	expect(OUTCOME_GREEDY, "10", 1);
	build(1, "9:1 10:1", "2*9 10", NULL);
	expect(OUTCOME_MES, "10", 1);
	build(2, "9:1 10:1", "9", "10", NULL);
	expect(OUTCOME_MES, "10 9", 2);
	t.o.utility = OUTCOME_UTIL_CARD;
	expect(OUTCOME_MES, "10 9", 2);
}

static void
test_tie_orders(void **state)
{
	(void)state;
	/* equal approvals: the id, or the lower cost first */
	build(2, "a:2 b:1", "a b", NULL);
	expect(OUTCOME_GREEDY, "a", 2);
	assert_int_equal(outcome_tie_parse("cost,votes,id", t.o.tie), 0);
	expect(OUTCOME_GREEDY, "b", 1);
	/* card: rho 1 for both; more votes, or lower cost, first */
	build(3, "x:2 y:1", "2*x", "y", NULL);
	t.o.utility = OUTCOME_UTIL_CARD;
	expect(OUTCOME_MES, "x y", 3);
	assert_int_equal(outcome_tie_parse("cost,votes,id", t.o.tie), 0);
	expect(OUTCOME_MES, "y x", 3);
	assert_int_equal(outcome_tie_parse("votes", t.o.tie), 0);
	expect(OUTCOME_MES, "x y", 3);
	/* parsing */
	assert_int_equal(outcome_tie_parse("id", t.o.tie), 0);
	assert_int_equal(t.o.tie[0], OUTCOME_TIE_ID);
	assert_int_equal(t.o.tie[1], OUTCOME_TIE_END);
	assert_int_equal(outcome_tie_parse("cost,cost", t.o.tie), -1);
	assert_int_equal(outcome_tie_parse("price", t.o.tie), -1);
	assert_int_equal(outcome_tie_parse("", t.o.tie), -1);
	assert_int_equal(outcome_tie_parse("cost,", t.o.tie), -1);
}

static void
test_mes_cost_zero_first(void **state)
{
	(void)state;
	/* z costs nothing and has an approver; n has none */
	build(10, "a:10 z:0 n:0", "a", "a z", NULL);
	expect(OUTCOME_MES, "z a", 10);
	expect(OUTCOME_MES_ADD1, "z a", 10);
	expect(OUTCOME_GREEDY, "a z n", 10);
}

static void
test_mes_dropped_for_good(void **state)
{
	(void)state;
	/* 5 each; a needs 6 from its one approver, b 4 from both */
	build(10, "a:6 b:4", "a b", "b", NULL);
	expect(OUTCOME_MES, "b", 4);
	expect(OUTCOME_GREEDY, "b a", 10);
	/* nothing approved: nothing bought, whatever k */
	build(10, "a:6", "", "", NULL);
	expect(OUTCOME_MES_ADD1, "", 0);
	assert_int_equal(t.out.steps, 0);
	/* everything bought within the budget: mes-add1 stops there */
	build(100, "a:6 b:4", "a b", "b", NULL);
	expect(OUTCOME_MES_ADD1, "b a", 10);
	assert_int_equal(t.out.steps, 0);
	assert_string_equal(t.out.per_voter_budget, "50");
	/* no ballot at all */
	build(10, "a:6", NULL);
	expect(OUTCOME_MES, "", 0);
	assert_null(t.out.per_voter_budget);
}

static void
test_greedy_skip_threshold(void **state)
{
	(void)state;
	build(10, "p1:8 p2:5 p3:2", "3*p1", "2*p2", "p3", NULL);
	expect(OUTCOME_GREEDY, "p1 p3", 10);
	expect(OUTCOME_GREEDY_NO_SKIP, "p1", 8);
	build(10, "p1:3 p2:3", "3*p1", "p2", NULL);
	expect(OUTCOME_GREEDY_NO_SKIP, "p1 p2", 6);
	t.o.min_votes = 2;
	expect(OUTCOME_GREEDY_NO_SKIP, "p1", 3);
	expect(OUTCOME_GREEDY, "p1 p2", 6); /* only no-skip has it */
}

static void
test_greedy_score(void **state)
{
	(void)state;
	build(10, "p1:10 p2:10", "p1=1 p2=9", "p1=1", NULL);
	expect(OUTCOME_GREEDY, "p1", 10);
	expect(OUTCOME_GREEDY_SCORE, "p2", 10);
}

static void
test_card_utility(void **state)
{
	(void)state;
	build(10, "a:10 b:2 c:2", "a b", "a c", NULL);
	expect(OUTCOME_MES, "a", 10);
	t.o.utility = OUTCOME_UTIL_CARD;
	expect(OUTCOME_MES, "b c", 4);
}

/*
 * Prices a double cannot tell apart: rho of a is 2^60 + 1, of b 2^60
 * (card utility), equal once rounded to 53 bits, where the tie would
 * put a first.
 */
static void
test_beyond_doubles(void **state)
{
	(void)state;
	build(2 * ((UINT64_C(1) << 60) + 1),
	        "a:1152921504606846977 "
	        "b:1152921504606846976",
	        "a", "b", NULL);
	t.o.utility = OUTCOME_UTIL_CARD;
	expect(OUTCOME_MES, "b a", UINT64_C(2305843009213693953));
	/*
	 * Per-voter budgets of 1/3: after c (cost 1, 3 approvers) each
	 * holds exactly 0 and d (cost 1) is out of reach, but 3 * (1/3 in
	 * binary) rounds to 1 + 2^-52 or 1 - 2^-52, either way wrong.
	 */
	build(1, "c:1 d:1", "c", "c", "c d", NULL);
	expect(OUTCOME_MES, "c", 1);
	assert_string_equal(t.out.per_voter_budget, "1/3");
	expect(OUTCOME_MES_ADD1, "c", 1);
	assert_int_equal(t.out.steps, 0);
}

static void
test_invalid(void **state)
{
	size_t bad[2] = {0, 0};
	struct outcome_ballot b = {bad, NULL, 2};
	struct outcome_project p = {"a", 1};
	struct outcome_instance in = {&p, 1, &b, 1, 1};
	struct outcome_options o;
	struct outcome out;
	const char *why = NULL;

	(void)state;
	outcome_options_init(&o);
	assert_int_equal(outcome_compute(&in, &o, &out, &why), ERR_INVALID);
	assert_string_equal(why, "a ballot names a project twice");
	bad[1] = 1;
	assert_int_equal(outcome_compute(&in, &o, &out, &why), ERR_INVALID);
	assert_string_equal(why, "a ballot names a project out of range");
	assert_null(out.selected);
	outcome_release(&out);
	assert_int_equal(outcome_rule_parse("mes-add1", &o.rule), 0);
	assert_int_equal(o.rule, OUTCOME_MES_ADD1);
	assert_int_equal(outcome_rule_parse("mes-add2", &o.rule), -1);
	assert_string_equal(
	        outcome_rule_name(OUTCOME_GREEDY_NO_SKIP), "greedy-no-skip");
	assert_int_equal(outcome_utility_parse("card", &o.utility), 0);
	assert_int_equal(outcome_utility_parse("cards", &o.utility), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_expected),
	        cmocka_unit_test_teardown(test_worked_example, teardown),
	        cmocka_unit_test_teardown(test_ties_by_id_string, teardown),
	        cmocka_unit_test_teardown(test_tie_orders, teardown),
	        cmocka_unit_test_teardown(test_mes_cost_zero_first, teardown),
	        cmocka_unit_test_teardown(test_mes_dropped_for_good, teardown),
	        cmocka_unit_test_teardown(test_greedy_skip_threshold, teardown),
	        cmocka_unit_test_teardown(test_greedy_score, teardown),
	        cmocka_unit_test_teardown(test_card_utility, teardown),
	        cmocka_unit_test_teardown(test_beyond_doubles, teardown),
	        cmocka_unit_test(test_invalid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
