/*
 * test_metricsnap.c - a period's snapshot across every grouping
 * (lib/metricsnap.c): the roll-ups and the collectivities' own figures
 * protected as one system, so that no published group minus its
 * published members, in any grouping or any combination of them, pins
 * a small figure down. Checked by an independent attacker that
 * enumerates every integer assignment of the withheld figures consistent
 * with everything published. Also the output's shape, determinism and
 * refusals.
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

#include "metricsnap.h"

#define NC 4 /* collectivities */
#define NKIND 5

static const char *const kinds[NKIND] = {
        "response", "proposal", "support", "comment", "ballot"};

/* One collectivity's figures: participants, then people and acts of
   each kind, new accounts, newly verified. */
struct coll {
	const char *slug;
	int part, people[NKIND], acts[NKIND], newa, verif;
};

/* The raw group of the sum of the collectivities members[0..n-1]. */
static json_t *
raw_group(const char *key, const struct coll *c, const int *members,
        int n, int with_members)
{
	json_t *pe = json_object(), *ac = json_object(), *ms = json_array();
	int i, k, part = 0, newa = 0, verif = 0, sum = 0;
	int people[NKIND] = {0}, acts[NKIND] = {0};
	json_t *g;

	for (i = 0; i < n; i++) {
		const struct coll *x = &c[members[i]];

		part += x->part;
		newa += x->newa;
		verif += x->verif;
		for (k = 0; k < NKIND; k++) {
			people[k] += x->people[k];
			acts[k] += x->acts[k];
		}
		json_array_append_new(ms, json_string(x->slug));
	}
	for (k = 0; k < NKIND; k++) {
		json_object_set_new(pe, kinds[k], json_integer(people[k]));
		json_object_set_new(ac, kinds[k], json_integer(acts[k]));
		sum += acts[k];
	}
	json_object_set_new(pe, "any", json_integer(part));
	json_object_set_new(ac, "any", json_integer(sum));
	g = json_pack("{s:s, s:s, s:i, s:i, s:[{s:s, s:o, s:o, s:i, s:i, "
	              "s:{s:i, s:{}}, s:{s:i, s:i, s:i, s:n}}]}",
	        "key", key, "label", key, "collectivities", n, "population",
	        1000 * n, "rows", "start", "2026-10-01", "people", pe, "acts",
	        ac, "new_accounts", newa, "verified_new", verif, "processes",
	        "all", 1, "by_phase", "proposals", "published", acts[1],
	        "answered", 0, "answers", 0, "median_answer_days");
	if (with_members)
		json_object_set_new(g, "members", ms);
	else
		json_decref(ms);
	return g;
}

/*
 * The input of four collectivities, grouped by kind {0, 1} {2, 3}, by
 * cohort {0, 2} {1, 3} and by density {0, 3} {1, 2} (three groupings
 * that cut across each other), and all together.
 */
static json_t *
input(const struct coll *c)
{
	static const int kind[2][2] = {{0, 1}, {2, 3}};
	static const int cohort[2][2] = {{0, 2}, {1, 3}};
	static const int density[2][2] = {{0, 3}, {1, 2}};
	static const int all[NC] = {0, 1, 2, 3};
	json_t *coll = json_array(), *gk = json_array(), *gc = json_array();
	json_t *gd = json_array();
	int i;

	for (i = 0; i < NC; i++)
		json_array_append_new(
		        coll, raw_group(c[i].slug, c, &all[i], 1, 0));
	for (i = 0; i < 2; i++) {
		json_array_append_new(gk, raw_group(i == 0 ? "commune" : "epci",
		                                  c, kind[i], 2, 1));
		json_array_append_new(gc, raw_group(i == 0 ? "2024" : "2025",
		                                  c, cohort[i], 2, 1));
		json_array_append_new(
		        gd, raw_group(i == 0 ? "3" : "5", c, density[i], 2, 1));
	}
	return json_pack("{s:s, s:s, s:{s:{s:o}, s:{s:o}, s:{s:o}, "
	                 "s:{s:o}, s:{s:[o]}}}",
	        "period", "month", "start", "2026-10-01", "groupings",
	        "collectivity", "groups", coll, "kind", "groups", gk, "cohort",
	        "groups", gc, "density", "groups", gd, "all", "groups",
	        raw_group("all", c, all, NC, 1));
}

/* The published row of (by, key) in out, or NULL. */
static const json_t *
row_of(const json_t *out, const char *by, const char *key)
{
	const json_t *r;
	size_t i;

	json_array_foreach(json_object_get(out, "rows"), i, r)
	{
		if (strcmp(json_string_value(json_object_get(r, "by")), by) ==
		                0 &&
		        strcmp(json_string_value(json_object_get(r, "key")),
		                key) == 0)
			return json_object_get(r, "row");
	}
	return NULL;
}

/* A figure of a row: its value, or -1 when withheld. */
static long
fig(const json_t *row, const char *k1, const char *k2)
{
	const json_t *f = json_object_get(row, k1);

	if (k2 != NULL)
		f = json_object_get(f, k2);
	assert_non_null(f);
	if (json_is_true(json_object_get(f, "suppressed"))) {
		assert_true(json_is_null(json_object_get(f, "value")));
		return -1;
	}
	assert_true(json_is_integer(json_object_get(f, "value")));
	return (long)json_integer_value(json_object_get(f, "value"));
}

/* The units of the system: the collectivities, then the groups, each a
   set of collectivities (bits). */
static const struct {
	const char *by, *key;
	unsigned members;
} units[] = {
        {"collectivity", "c0", 1}, {"collectivity", "c1", 2},
        {"collectivity", "c2", 4}, {"collectivity", "c3", 8},
        {"kind", "commune", 3}, {"kind", "epci", 12}, {"cohort", "2024", 5},
        {"cohort", "2025", 10}, {"density", "3", 9}, {"density", "5", 6},
        {"all", "all", 15}};
#define NU (sizeof(units) / sizeof(units[0]))

/*
 * The attacker, for one figure (k1, k2) of every unit: every assignment
 * of the withheld collectivities' values in [0, bound] such that every
 * published unit's figure is the sum of its members'; returns, for
 * collectivity i, the smallest and largest value it takes (lo[i], hi[i]).
 * A withheld group adds no relation. Values of published collectivities
 * are known.
 */
static void
attack(const json_t *out, const char *k1, const char *k2, long bound,
        long *lo, long *hi)
{
	long pub[NU], v[NC];
	int withheld[NC], nw = 0, idx[NC], i;
	size_t u;
	long n, total = 1;

	for (u = 0; u < NU; u++)
		pub[u] = fig(row_of(out, units[u].by, units[u].key), k1, k2);
	for (i = 0; i < NC; i++) {
		withheld[i] = pub[i] < 0;
		if (withheld[i])
			idx[nw++] = i;
		v[i] = pub[i];
		lo[i] = withheld[i] ? bound + 1 : pub[i];
		hi[i] = withheld[i] ? -1 : pub[i];
	}
	for (i = 0; i < nw; i++)
		total *= bound + 1;
	for (n = 0; n < total; n++) {
		long rest = n;
		int ok = 1;

		for (i = 0; i < nw; i++) {
			v[idx[i]] = rest % (bound + 1);
			rest /= bound + 1;
		}
		for (u = NC; ok && u < NU; u++) {
			long s = 0;

			if (pub[u] < 0)
				continue;
			for (i = 0; i < NC; i++)
				if (units[u].members & (1u << i))
					s += v[i];
			ok = s == pub[u];
		}
		if (!ok)
			continue;
		for (i = 0; i < nw; i++) {
			if (v[idx[i]] < lo[idx[i]])
				lo[idx[i]] = v[idx[i]];
			if (v[idx[i]] > hi[idx[i]])
				hi[idx[i]] = v[idx[i]];
		}
	}
}

/* Four collectivities, c0 with 3 participants (and 3 proposals by 3
   people): everything else describes 11 people or more. */
static const struct coll four[NC] = {
        {"c0", 3, {3, 3, 0, 0, 0}, {3, 3, 0, 0, 0}, 12, 12},
        {"c1", 12, {12, 12, 0, 0, 0}, {14, 12, 0, 0, 0}, 12, 12},
        {"c2", 14, {14, 12, 0, 0, 0}, {15, 13, 0, 0, 0}, 13, 13},
        {"c3", 15, {15, 13, 0, 0, 0}, {16, 13, 0, 0, 0}, 14, 14},
};

static void
check_protected(const json_t *out, const char *k1, const char *k2,
        long bound)
{
	long lo[NC], hi[NC];
	int i;

	attack(out, k1, k2, bound, lo, hi);
	for (i = 0; i < NC; i++) {
		if (fig(row_of(out, "collectivity", units[i].key), k1, k2) >= 0)
			continue;
		/* c0's figures describe 3 people: it needs 11 values of room;
		   a secondary one, two at least */
		if (i == 0)
			assert_true(hi[i] - lo[i] >= 11);
		else
			assert_true(hi[i] > lo[i]);
	}
}

static void
test_across_groupings(void **state)
{
	json_t *in = input(four), *out;
	long lo[NC], hi[NC];
	char *s;

	(void)state;
	out = metricsnap_publish(in, 11);
	assert_non_null(out);
	/* c0's participants and proposals are withheld */
	assert_int_equal(fig(row_of(out, "collectivity", "c0"), "participants",
	                         NULL),
	        -1);
	assert_int_equal(fig(row_of(out, "collectivity", "c0"),
	                         "contributions", "proposal"),
	        -1);
	/* and cannot be worked out from any combination of the roll-ups and
	   the other collectivities */
	check_protected(out, "participants", NULL, 44);
	check_protected(out, "contributions", "proposal", 44);
	check_protected(out, "contributors", "proposal", 44);
	check_protected(out, "contributions", "total", 89);
	/* the programme's total is what ANCT reads: still published */
	assert_int_equal(fig(row_of(out, "all", "all"), "participants", NULL),
	        44);
	/* a naive per-grouping protection is not enough here: every pair
	   of collectivities is a group of some grouping, so withholding
	   c0 and one other leaves a published pair that gives it away */
	attack(out, "participants", NULL, 44, lo, hi);
	assert_true(hi[0] - lo[0] >= 11);
	/* nothing about people counts leaves: no "people" member */
	s = json_dumps(out, JSON_COMPACT);
	assert_null(strstr(s, "people"));
	free(s);
	/* every unit has its row, the threshold and a count */
	assert_int_equal(json_array_size(json_object_get(out, "rows")), NU);
	assert_int_equal(json_integer_value(json_object_get(out, "threshold")),
	        11);
	assert_true(json_integer_value(json_object_get(out, "withheld")) > 0);
	assert_string_equal(
	        json_string_value(json_object_get(out, "start")), "2026-10-01");
	/* and no verified_total: it is not in a snapshot */
	assert_null(json_object_get(row_of(out, "all", "all"),
	        "verified_total"));
	json_decref(out);
	json_decref(in);
}

static void
test_nothing_small(void **state)
{
	static const struct coll big[NC] = {
	        {"c0", 20, {20, 11, 0, 0, 0}, {20, 11, 0, 0, 0}, 12, 12},
	        {"c1", 12, {12, 12, 0, 0, 0}, {14, 12, 0, 0, 0}, 12, 12},
	        {"c2", 14, {14, 12, 0, 0, 0}, {15, 13, 0, 0, 0}, 13, 13},
	        {"c3", 15, {15, 13, 0, 0, 0}, {16, 13, 0, 0, 0}, 14, 14},
	};
	json_t *in = input(big), *out;

	(void)state;
	out = metricsnap_publish(in, 11);
	assert_non_null(out);
	assert_int_equal(json_integer_value(json_object_get(out, "withheld")),
	        0);
	assert_int_equal(fig(row_of(out, "cohort", "2024"), "participants",
	                         NULL),
	        34);
	assert_int_equal(fig(row_of(out, "collectivity", "c2"),
	                         "contributions", "total"),
	        28);
	json_decref(out);
	json_decref(in);
}

static void
test_deterministic(void **state)
{
	json_t *in = input(four), *a, *b;
	char *sa, *sb;

	(void)state;
	a = metricsnap_publish(in, 11);
	b = metricsnap_publish(in, 11);
	sa = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS);
	sb = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(sa, sb);
	free(sa);
	free(sb);
	json_decref(a);
	json_decref(b);
	json_decref(in);
}

static void
test_refusals(void **state)
{
	json_t *in = input(four), *g;

	(void)state;
	assert_null(metricsnap_publish(json_null(), 11));
	/* a group that is not the sum of its members */
	g = json_array_get(
	        json_object_get(json_object_get(json_object_get(in,
	                                                "groupings"),
	                                "kind"),
	                "groups"),
	        0);
	json_object_set_new(json_object_get(json_array_get(json_object_get(g,
	                                                             "rows"),
	                                             0),
	                            "people"),
	        "any", json_integer(999));
	assert_null(metricsnap_publish(in, 11));
	json_decref(in);
	/* a member that is not a collectivity */
	in = input(four);
	g = json_array_get(
	        json_object_get(json_object_get(json_object_get(in,
	                                                "groupings"),
	                                "cohort"),
	                "groups"),
	        1);
	json_array_set_new(
	        json_object_get(g, "members"), 0, json_string("nowhere"));
	assert_null(metricsnap_publish(in, 11));
	json_decref(in);
	/* no collectivity grouping */
	in = input(four);
	json_object_del(json_object_get(in, "groupings"), "collectivity");
	assert_null(metricsnap_publish(in, 11));
	json_decref(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_across_groupings),
	        cmocka_unit_test(test_nothing_small),
	        cmocka_unit_test(test_deterministic),
	        cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
