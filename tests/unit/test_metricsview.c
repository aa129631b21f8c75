/*
 * test_metricsview.c - the published figures: small cells withheld in
 * every table a figure belongs to, across periods and across groups, and
 * the CSV form
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

#include "metricsview.h"

/* A raw row: people and acts of each kind (response, proposal, support,
   comment, ballot), participants, new accounts, verified. */
static json_t *
raw_row(const char *start, const int *people, const int *acts, int any,
        int newa, int verif)
{
	static const char *const k[5] = {
	        "response", "proposal", "support", "comment", "ballot"};
	json_t *pe = json_object(), *ac = json_object();
	int i, sum = 0;

	for (i = 0; i < 5; i++) {
		json_object_set_new(pe, k[i], json_integer(people[i]));
		json_object_set_new(ac, k[i], json_integer(acts[i]));
		sum += acts[i];
	}
	json_object_set_new(pe, "any", json_integer(any));
	json_object_set_new(ac, "any", json_integer(sum));
	return json_pack("{s:s, s:o, s:o, s:i, s:i, s:{s:i, s:{}}, "
	                 "s:{s:i, s:i, s:i, s:n}}",
	        "start", start, "people", pe, "acts", ac, "new_accounts", newa,
	        "verified_new", verif, "processes", "all", 1, "by_phase",
	        "proposals", "published", acts[1], "answered",
	        acts[1] > 0 ? 1 : 0, "answers", 1, "median_answer_days");
}

static json_t *
raw_group(const char *key, int population, int stock, json_t *rows)
{
	return json_pack("{s:s, s:s, s:i, s:i, s:i, s:o}", "key", key, "label",
	        key, "collectivities", 1, "population", population,
	        "verified_total", stock, "rows", rows);
}

/* The figure at path ("groups/0/rows/1/contributions/comment"). */
static const json_t *
at(const json_t *j, const char *path)
{
	char buf[200], *p, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = strtok_r(buf, "/", &save); p != NULL && j != NULL;
	        p = strtok_r(NULL, "/", &save))
		j = json_is_array(j) ? json_array_get(j, strtoul(p, NULL, 10))
		                     : json_object_get(j, p);
	assert_non_null(j);
	return j;
}

static int
withheld(const json_t *pub, const char *path)
{
	const json_t *f = at(pub, path);

	if (json_is_true(json_object_get(f, "suppressed"))) {
		assert_true(json_is_null(json_object_get(f, "value")));
		return 1;
	}
	assert_true(json_is_integer(json_object_get(f, "value")) ||
	            json_is_real(json_object_get(f, "value")) ||
	            json_is_null(json_object_get(f, "value")));
	return 0;
}

static long long
value(const json_t *pub, const char *path)
{
	return json_integer_value(json_object_get(at(pub, path), "value"));
}

static void
test_one_group(void **state)
{
	/* period 1: comments by 3 people (withheld), so one more kind of
	   that row is withheld with it, the total being published */
	static const int p1[5] = {40, 12, 30, 3, 0}, a1[5] = {40, 15, 90, 4, 0};
	static const int p2[5] = {0, 0, 0, 0, 0}, a2[5] = {0, 0, 0, 0, 0};
	json_t *raw, *pub;
	int n = 0;
	const char *const kinds[5] = {
	        "response", "proposal", "support", "comment", "ballot"};
	char path[100];
	int i;

	(void)state;
	raw = json_pack("{s:s, s:s, s:[o]}", "period", "month", "collectivity",
	        "bourg", "groups",
	        raw_group("bourg", 8000, 30,
	                json_pack("[o, o]",
	                        raw_row("2027-01-01", p1, a1, 60, 25, 5),
	                        raw_row("2027-02-01", p2, a2, 0, 0, 0))));
	pub = metricsview_publish(raw, 11);
	assert_non_null(pub);
	assert_string_equal(
	        json_string_value(at(pub, "collectivity")), "bourg");
	assert_int_equal(
	        json_integer_value(at(pub, "suppression/threshold")), 11);
	assert_true(withheld(pub, "groups/0/rows/0/contributions/comment"));
	for (i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "groups/0/rows/0/contributions/%s",
		        kinds[i]);
		n += withheld(pub, path);
	}
	/* the total is published: the comment is not alone withheld, and
	   the withheld ones together leave a range of 11 at least */
	assert_false(withheld(pub, "groups/0/rows/0/contributions/total"));
	assert_true(n >= 2);
	assert_int_equal(
	        value(pub, "groups/0/rows/0/contributions/total"), 149);
	assert_false(withheld(pub, "groups/0/rows/0/participants"));
	assert_int_equal(value(pub, "groups/0/rows/0/participants"), 60);
	assert_true(withheld(pub, "groups/0/rows/0/contributors/comment"));
	/* the people behind a withheld count of acts are withheld with it */
	for (i = 0; i < 5; i++) {
		char cpath[100];

		snprintf(path, sizeof(path), "groups/0/rows/0/contributions/%s",
		        kinds[i]);
		snprintf(cpath, sizeof(cpath),
		        "groups/0/rows/0/contributors/%s", kinds[i]);
		if (withheld(pub, path))
			assert_true(withheld(pub, cpath));
	}
	assert_false(withheld(pub, "groups/0/rows/0/contributors/response"));
	assert_false(withheld(pub, "groups/0/rows/0/new_accounts"));
	assert_true(withheld(pub, "groups/0/rows/0/verified_new"));
	assert_false(withheld(pub, "groups/0/verified_total"));
	/* zeros are published */
	assert_false(withheld(pub, "groups/0/rows/1/participants"));
	assert_false(withheld(pub, "groups/0/rows/1/contributions/total"));
	/* the rate: 60 / 8000 */
	assert_true(json_real_value(json_object_get(
	                    at(pub, "groups/0/rows/0/participation_rate"),
	                    "value")) == 0.0075);
	/* proposals: published is the contribution of that kind */
	assert_int_equal(withheld(pub, "groups/0/rows/0/proposals/published"),
	        withheld(pub, "groups/0/rows/0/contributions/proposal"));
	json_decref(pub);
	json_decref(raw);
}

static void
test_groups(void **state)
{
	/* three groups: b has 4 participants; the national total (by=all)
	   is published, so another group's participants are withheld too */
	static const int big[5] = {20, 20, 20, 20, 20},
	                 bigacts[5] = {30, 30, 30, 30, 30};
	static const int small[5] = {4, 0, 0, 0, 0},
	                 smallacts[5] = {4, 0, 0, 0, 0};
	json_t *raw, *pub;
	char *csv;

	(void)state;
	raw = json_pack("{s:s, s:s, s:[o, o, o]}", "period", "month", "by",
	        "kind", "groups",
	        raw_group("a", 1000, 20,
	                json_pack("[o]", raw_row("2027-01-01", big, bigacts, 50,
	                                         20, 20))),
	        raw_group("b", 900, 12,
	                json_pack("[o]", raw_row("2027-01-01", small, smallacts,
	                                         4, 12, 12))),
	        raw_group("c", 800, 30,
	                json_pack("[o]", raw_row("2027-01-01", big, bigacts, 40,
	                                         30, 30))));
	pub = metricsview_publish(raw, 11);
	assert_non_null(pub);
	assert_true(withheld(pub, "groups/1/rows/0/participants"));
	assert_true(withheld(pub, "groups/0/rows/0/participants") ||
	            withheld(pub, "groups/2/rows/0/participants"));
	assert_true(withheld(pub, "groups/1/rows/0/participation_rate"));
	/* b's responses (4 people) withheld, and protected across groups:
	   another group's responses too (the national column total) */
	assert_true(withheld(pub, "groups/1/rows/0/contributions/response"));
	assert_true(withheld(pub, "groups/0/rows/0/contributions/response") ||
	            withheld(pub, "groups/2/rows/0/contributions/response"));
	/* b's total of acts (4 people) withheld */
	assert_true(withheld(pub, "groups/1/rows/0/contributions/total"));
	csv = metricsview_csv(pub);
	assert_non_null(csv);
	assert_true(strncmp(csv,
	                    "group,label,collectivities,population,start,"
	                    "participants,",
	                    56) == 0);
	assert_non_null(strstr(csv, "\r\nb,b,1,900,2027-01-01,,,"));
	assert_non_null(strstr(csv, "participants participation_rate"));
	free(csv);
	json_decref(pub);
	json_decref(raw);
}

static void
test_bad_shape(void **state)
{
	json_t *j = json_pack("{s:s}", "period", "month");

	(void)state;
	assert_null(metricsview_publish(j, 11));
	json_decref(j);
	j = json_pack("[]");
	assert_null(metricsview_publish(j, 11));
	json_decref(j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_one_group),
	        cmocka_unit_test(test_groups),
	        cmocka_unit_test(test_bad_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
