/*
 * test_rule.c - parsing, checking and counting the ballot rules
 *
 * Every kind, each of its bounds on both sides, and every message.
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

#include "rule.h"

/* Parses text as the rule of a question with n options; must succeed. */
static struct rule
parse_ok(const char *text, uint32_t n)
{
	json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
	struct rule r;
	char why[200] = "";

	assert_non_null(j);
	if (rule_from_json(j, n, &r, why, sizeof(why)) != 0)
		fail_msg("%s refused: %s", text, why);
	json_decref(j);
	return r;
}

/*
 * Parses text (n options), which must be refused naming member (NULL:
 * the rule itself) with the message why.
 */
static void
parse_bad(const char *text, uint32_t n, const char *member, const char *want)
{
	json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
	struct rule r;
	const char *m = "unset";
	char why[200] = "";

	assert_non_null(j);
	if (rule_parse(j, n, &r, &m, why, sizeof(why)) == 0)
		fail_msg("%s accepted", text);
	if (member == NULL ? m != NULL : m == NULL || strcmp(m, member) != 0)
		fail_msg("%s: member %s, want %s", text, m ? m : "NULL",
		        member ? member : "NULL");
	if (strcmp(why, want) != 0)
		fail_msg("%s: \"%s\", want \"%s\"", text, why, want);
	/* rule_from_json says the same, and leaves out zeroed */
	memset(&r, 0xff, sizeof(r));
	why[0] = '\0';
	assert_int_equal(rule_from_json(j, n, &r, why, sizeof(why)), -1);
	assert_string_equal(why, want);
	assert_int_equal(r.kind, 0);
	assert_int_equal(r.max, 0);
	json_decref(j);
}

static void
test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(rule_kind_name(RULE_SINGLE), "single");
	assert_string_equal(rule_kind_name(RULE_APPROVAL), "approval");
	assert_string_equal(rule_kind_name(RULE_RANKING), "ranking");
	assert_string_equal(rule_kind_name(RULE_CUMULATIVE), "cumulative");
	assert_string_equal(rule_kind_name(RULE_KNAPSACK), "knapsack");
	assert_null(rule_kind_name((enum rule_kind)5));
	assert_null(rule_kind_name((enum rule_kind) - 1));
}

/* Parses text, and its canonical form must be want. */
static void
round_trip(const char *text, uint32_t n, const char *want)
{
	struct rule r = parse_ok(text, n);
	json_t *j = rule_to_json(&r);
	char *s;

	assert_non_null(j);
	s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(s, want);
	free(s);
	json_decref(j);
}

static void
test_parse_ok(void **state)
{
	struct rule r;

	(void)state;
	r = parse_ok("{\"kind\":\"single\"}", 3);
	assert_int_equal(r.kind, RULE_SINGLE);
	assert_int_equal(r.noptions, 3);
	assert_int_equal(r.min + r.max + r.total + r.per_option, 0);

	r = parse_ok("{\"max\":3,\"kind\":\"approval\",\"min\":0}", 3);
	assert_int_equal(r.kind, RULE_APPROVAL);
	assert_int_equal(r.min, 0);
	assert_int_equal(r.max, 3);
	r = parse_ok("{\"kind\":\"approval\",\"min\":2,\"max\":2}", 2);
	assert_int_equal(r.min, 2);

	r = parse_ok("{\"kind\":\"ranking\",\"min\":1,\"max\":200}", 200);
	assert_int_equal(r.kind, RULE_RANKING);
	assert_int_equal(r.min, 1);
	assert_int_equal(r.max, 200);

	r = parse_ok("{\"kind\":\"cumulative\",\"total\":10,"
	             "\"max_per_option\":4}",
	        5);
	assert_int_equal(r.kind, RULE_CUMULATIVE);
	assert_int_equal(r.total, 10);
	assert_int_equal(r.per_option, 4);
	assert_int_equal(r.min + r.max, 0);
	r = parse_ok("{\"kind\":\"cumulative\",\"total\":1000000,"
	             "\"max_per_option\":1000000}",
	        2);
	assert_int_equal(r.total, 1000000);
	r = parse_ok("{\"kind\":\"cumulative\",\"total\":1,"
	             "\"max_per_option\":1}",
	        2);
	assert_int_equal(r.per_option, 1);

	round_trip("{\"kind\":\"single\"}", 2, "{\"kind\":\"single\"}");
	round_trip("{\"min\":1,\"max\":3,\"kind\":\"approval\"}", 4,
	        "{\"kind\":\"approval\",\"max\":3,\"min\":1}");
	round_trip("{\"kind\":\"ranking\",\"max\":2,\"min\":2}", 4,
	        "{\"kind\":\"ranking\",\"max\":2,\"min\":2}");
	round_trip("{\"total\":9,\"kind\":\"cumulative\",\"max_per_option\":3}",
	        4,
	        "{\"kind\":\"cumulative\",\"max_per_option\":3,\"total\":9}");
}

static void
test_parse_errors(void **state)
{
	(void)state;
	parse_bad("[]", 3, NULL, "rule must be an object");
	parse_bad("\"single\"", 3, NULL, "rule must be an object");
	parse_bad("{\"kind\":\"single\"}", 1, NULL,
	        "a question must have between 2 and 200 options");
	parse_bad("{\"kind\":\"single\"}", 201, NULL,
	        "a question must have between 2 and 200 options");
	parse_bad("{}", 3, "kind", "kind is required");
	parse_bad("{\"kind\":1}", 3, "kind", "kind must be a string");
	parse_bad("{\"kind\":\"borda\"}", 3, "kind",
	        "kind \"borda\" is not one of single, approval, ranking, "
	        "cumulative, knapsack");
	parse_bad("{\"kind\":\"Single\"}", 3, "kind",
	        "kind \"Single\" is not one of single, approval, ranking, "
	        "cumulative, knapsack");
	/* unknown members, for each kind */
	parse_bad("{\"kind\":\"single\",\"min\":1}", 3, "min",
	        "unknown member \"min\" for kind single");
	parse_bad("{\"kind\":\"approval\",\"min\":1,\"max\":2,\"total\":3}", 3,
	        "total", "unknown member \"total\" for kind approval");
	parse_bad("{\"kind\":\"ranking\",\"min\":1,\"max\":2,\"x\":3}", 3, "x",
	        "unknown member \"x\" for kind ranking");
	parse_bad("{\"kind\":\"cumulative\",\"total\":3,\"max_per_option\":2,"
	          "\"max\":1}",
	        3, "max", "unknown member \"max\" for kind cumulative");

	/* approval: 0 <= min <= max <= options, max >= 1 */
	parse_bad("{\"kind\":\"approval\",\"max\":2}", 3, "min",
	        "min is required");
	parse_bad("{\"kind\":\"approval\",\"min\":1}", 3, "max",
	        "max is required");
	parse_bad("{\"kind\":\"approval\",\"min\":1.0,\"max\":2}", 3, "min",
	        "min must be an integer");
	parse_bad("{\"kind\":\"approval\",\"min\":\"1\",\"max\":2}", 3, "min",
	        "min must be an integer");
	parse_bad("{\"kind\":\"approval\",\"min\":1,\"max\":true}", 3, "max",
	        "max must be an integer");
	parse_bad("{\"kind\":\"approval\",\"min\":null,\"max\":2}", 3, "min",
	        "min must be an integer");
	parse_bad("{\"kind\":\"approval\",\"min\":-1,\"max\":2}", 3, "min",
	        "min must be between 0 and 3, the number of options");
	parse_bad("{\"kind\":\"approval\",\"min\":4,\"max\":3}", 3, "min",
	        "min must be between 0 and 3, the number of options");
	parse_bad("{\"kind\":\"approval\",\"min\":0,\"max\":0}", 3, "max",
	        "max must be between 1 and 3, the number of options");
	parse_bad("{\"kind\":\"approval\",\"min\":0,\"max\":4}", 3, "max",
	        "max must be between 1 and 3, the number of options");
	parse_bad("{\"kind\":\"approval\",\"min\":0,"
	          "\"max\":99999999999999999}",
	        3, "max", "max must be between 1 and 3, the number of options");
	parse_bad("{\"kind\":\"approval\",\"min\":3,\"max\":2}", 3, "min",
	        "min 3 is greater than max 2");

	/* ranking: 1 <= min <= max <= options */
	parse_bad("{\"kind\":\"ranking\",\"min\":0,\"max\":2}", 3, "min",
	        "min must be between 1 and 3, the number of options");
	parse_bad("{\"kind\":\"ranking\",\"min\":4,\"max\":3}", 3, "min",
	        "min must be between 1 and 3, the number of options");
	parse_bad("{\"kind\":\"ranking\",\"min\":1,\"max\":0}", 3, "max",
	        "max must be between 1 and 3, the number of options");
	parse_bad("{\"kind\":\"ranking\",\"min\":1,\"max\":4}", 3, "max",
	        "max must be between 1 and 3, the number of options");
	parse_bad("{\"kind\":\"ranking\",\"min\":3,\"max\":1}", 3, "min",
	        "min 3 is greater than max 1");
	parse_bad("{\"kind\":\"ranking\",\"max\":1}", 3, "min",
	        "min is required");

	/* cumulative: 1 <= max_per_option <= total <= 1000000 */
	parse_bad("{\"kind\":\"cumulative\",\"max_per_option\":2}", 3, "total",
	        "total is required");
	parse_bad("{\"kind\":\"cumulative\",\"total\":2}", 3, "max_per_option",
	        "max_per_option is required");
	parse_bad("{\"kind\":\"cumulative\",\"total\":0,\"max_per_option\":0}",
	        3, "total", "total must be between 1 and 1000000");
	parse_bad("{\"kind\":\"cumulative\",\"total\":1000001,"
	          "\"max_per_option\":1}",
	        3, "total", "total must be between 1 and 1000000");
	parse_bad("{\"kind\":\"cumulative\",\"total\":5,\"max_per_option\":0}",
	        3, "max_per_option",
	        "max_per_option must be between 1 and 5, the total");
	parse_bad("{\"kind\":\"cumulative\",\"total\":5,\"max_per_option\":6}",
	        3, "max_per_option",
	        "max_per_option must be between 1 and 5, the total");
	parse_bad("{\"kind\":\"cumulative\",\"total\":5,"
	          "\"max_per_option\":2.5}",
	        3, "max_per_option", "max_per_option must be an integer");
}

/* A rule of kind k with n options and the other fields. */
static struct rule
mk(enum rule_kind k, uint32_t n, uint32_t a, uint32_t b)
{
	struct rule r;

	memset(&r, 0, sizeof(r));
	r.kind = k;
	r.noptions = n;
	if (k == RULE_CUMULATIVE) {
		r.total = a;
		r.per_option = b;
	} else if (k != RULE_SINGLE) {
		r.min = a;
		r.max = b;
	}
	return r;
}

/* Checks k pairs (option, value, option, value, ...). */
static int
check(const struct rule *r, char *why, size_t k, ...)
{
	struct choice c[RULE_MAX_OPTIONS + 2];
	va_list ap;
	size_t i;

	va_start(ap, k);
	for (i = 0; i < k; i++) {
		c[i].option = va_arg(ap, uint32_t);
		c[i].value = va_arg(ap, uint32_t);
	}
	va_end(ap);
	why[0] = '\0';
	return rule_check(r, c, k, why, 200);
}

#define OK(r, ...)                                                             \
	do {                                                                   \
		char why_[200];                                                \
		if (check(r, why_, __VA_ARGS__) != 0)                          \
			fail_msg("line %d refused: %s", __LINE__, why_);       \
	} while (0)

#define BAD(r, want, ...)                                                      \
	do {                                                                   \
		char why_[200];                                                \
		if (check(r, why_, __VA_ARGS__) == 0)                          \
			fail_msg("line %d accepted", __LINE__);                \
		if (strcmp(why_, want) != 0)                                   \
			fail_msg("line %d: \"%s\", want \"%s\"", __LINE__,     \
			        why_, want);                                   \
	} while (0)

static void
test_check_common(void **state)
{
	struct rule a = mk(RULE_APPROVAL, 4, 0, 4);

	(void)state;
	OK(&a, 0);
	OK(&a, 2, 0, 1, 3, 1);
	BAD(&a, "option index 4 does not exist", 1, 4, 1);
	BAD(&a, "option index 7 does not exist", 2, 0, 1, 7, 1);
	BAD(&a, "option index 4294967295 does not exist", 1, 0xffffffffU, 1);
	BAD(&a, "option indices are not strictly increasing", 2, 2, 1, 1, 1);
	BAD(&a, "option indices are not strictly increasing", 2, 1, 1, 1, 1);
	BAD(&a, "option index 1 has value 0, values start at 1", 2, 0, 1, 1, 0);
	/* the same for every kind */
	{
		struct rule s = mk(RULE_SINGLE, 3, 0, 0);
		struct rule k = mk(RULE_RANKING, 3, 1, 3);
		struct rule c = mk(RULE_CUMULATIVE, 3, 10, 5);

		BAD(&s, "option index 3 does not exist", 1, 3, 1);
		BAD(&k, "option index 3 does not exist", 1, 3, 1);
		BAD(&c, "option index 3 does not exist", 1, 3, 1);
		BAD(&s, "option index 0 has value 0, values start at 1", 1, 0,
		        0);
		BAD(&k, "option indices are not strictly increasing", 2, 1, 1,
		        0, 2);
		BAD(&c, "option indices are not strictly increasing", 2, 1, 1,
		        1, 2);
	}
}

static void
test_check_single(void **state)
{
	struct rule s = mk(RULE_SINGLE, 3, 0, 0);

	(void)state;
	OK(&s, 1, 0, 1);
	OK(&s, 1, 2, 1);
	BAD(&s, "no option chosen, exactly 1 required", 0);
	BAD(&s, "2 options chosen, exactly 1 allowed", 2, 0, 1, 1, 1);
	BAD(&s, "3 options chosen, exactly 1 allowed", 3, 0, 1, 1, 1, 2, 1);
	BAD(&s, "option index 1 has value 2, must be 1", 1, 1, 2);
}

static void
test_check_approval(void **state)
{
	struct rule a = mk(RULE_APPROVAL, 5, 2, 3);
	struct rule z = mk(RULE_APPROVAL, 2, 0, 1);

	(void)state;
	BAD(&a, "no option chosen, at least 2 required", 0);
	BAD(&a, "1 option chosen, at least 2 required", 1, 0, 1);
	OK(&a, 2, 0, 1, 4, 1);
	OK(&a, 3, 0, 1, 2, 1, 4, 1);
	BAD(&a, "4 options chosen, at most 3 allowed", 4, 0, 1, 1, 1, 2, 1, 3,
	        1);
	BAD(&a, "option index 2 has value 3, must be 1", 2, 0, 1, 2, 3);
	OK(&z, 0);
	OK(&z, 1, 1, 1);
	BAD(&z, "2 options chosen, at most 1 allowed", 2, 0, 1, 1, 1);
	{
		struct rule m = mk(RULE_APPROVAL, 3, 0, 2);

		BAD(&m, "3 options chosen, at most 2 allowed", 3, 0, 1, 1, 1, 2,
		        1);
	}
}

static void
test_check_ranking(void **state)
{
	struct rule k = mk(RULE_RANKING, 4, 2, 3);
	struct rule all = mk(RULE_RANKING, 3, 3, 3);

	(void)state;
	BAD(&k, "no option chosen, at least 2 required", 0);
	BAD(&k, "1 option chosen, at least 2 required", 1, 0, 1);
	OK(&k, 2, 0, 2, 3, 1);
	OK(&k, 3, 0, 3, 1, 1, 2, 2);
	BAD(&k, "4 options chosen, at most 3 allowed", 4, 0, 1, 1, 2, 2, 3, 3,
	        4);
	BAD(&k, "rank 1 is given twice", 2, 0, 1, 1, 1);
	BAD(&k, "rank 2 is given twice", 3, 0, 2, 1, 1, 2, 2);
	BAD(&k, "option index 1 has rank 3, ranks go from 1 to 2", 2, 0, 1, 1,
	        3);
	BAD(&k, "option index 0 has rank 4, ranks go from 1 to 3", 3, 0, 4, 1,
	        2, 2, 1);
	/* every permutation of 1..3 */
	OK(&all, 3, 0, 1, 1, 2, 2, 3);
	OK(&all, 3, 0, 1, 1, 3, 2, 2);
	OK(&all, 3, 0, 2, 1, 1, 2, 3);
	OK(&all, 3, 0, 2, 1, 3, 2, 1);
	OK(&all, 3, 0, 3, 1, 1, 2, 2);
	OK(&all, 3, 0, 3, 1, 2, 2, 1);
	BAD(&all, "2 options chosen, at least 3 required", 2, 0, 1, 1, 2);
}

static void
test_check_cumulative(void **state)
{
	struct rule c = mk(RULE_CUMULATIVE, 4, 10, 5);

	(void)state;
	BAD(&c, "no points given, at least 1 required", 0);
	OK(&c, 1, 2, 1);
	OK(&c, 1, 3, 5);
	OK(&c, 2, 0, 5, 3, 5);
	OK(&c, 4, 0, 1, 1, 2, 2, 3, 3, 4);
	BAD(&c, "option index 3 has 6 points, at most 5 allowed on one option",
	        1, 3, 6);
	BAD(&c, "points total 11 is over 10", 3, 0, 5, 1, 5, 2, 1);
	BAD(&c, "points total 12 is over 10", 4, 0, 3, 1, 3, 2, 3, 3, 3);
	{
		struct rule big = mk(RULE_CUMULATIVE, 2, 1000000, 1000000);

		OK(&big, 2, 0, 999999, 1, 1);
		BAD(&big, "points total 1000001 is over 1000000", 2, 0, 999999,
		        1, 2);
	}
}

static void
test_knapsack(void **state)
{
	static const uint64_t costs[4] = {500, 300, 200, 1000000000000000ULL};
	struct rule k;

	(void)state;
	k = parse_ok("{\"kind\":\"knapsack\",\"max_cost\":1000,"
	             "\"min_cost\":400}",
	        4);
	assert_int_equal(k.kind, RULE_KNAPSACK);
	assert_int_equal(k.max_cost, 1000);
	assert_int_equal(k.min_cost, 400);
	round_trip("{\"min_cost\":0,\"kind\":\"knapsack\",\"max_cost\":1}", 2,
	        "{\"kind\":\"knapsack\",\"max_cost\":1,\"min_cost\":0}");
	parse_bad("{\"kind\":\"knapsack\",\"min_cost\":0}", 3, "max_cost",
	        "max_cost is required");
	parse_bad("{\"kind\":\"knapsack\",\"max_cost\":0,\"min_cost\":0}", 3,
	        "max_cost", "max_cost must be between 1 and 1000000000000000");
	parse_bad("{\"kind\":\"knapsack\",\"max_cost\":1000000000000001,"
	          "\"min_cost\":0}",
	        3, "max_cost",
	        "max_cost must be between 1 and 1000000000000000");
	parse_bad("{\"kind\":\"knapsack\",\"max_cost\":10,\"min_cost\":11}", 3,
	        "min_cost", "min_cost must be between 0 and 10");
	parse_bad("{\"kind\":\"knapsack\",\"max_cost\":10,\"min_cost\":-1}", 3,
	        "min_cost", "min_cost must be between 0 and 10");
	parse_bad("{\"kind\":\"knapsack\",\"max_cost\":10,\"min_cost\":1.5}", 3,
	        "min_cost", "min_cost must be an integer");
	parse_bad("{\"kind\":\"knapsack\",\"max_cost\":10,\"min_cost\":0,"
	          "\"max\":1}",
	        3, "max", "unknown member \"max\" for kind knapsack");
	k.costs = costs;
	OK(&k, 1, 0, 1);             /* 500 */
	OK(&k, 2, 0, 1, 1, 1);       /* 800 */
	OK(&k, 3, 0, 1, 1, 1, 2, 1); /* exactly 1000 */
	OK(&k, 2, 1, 1, 2, 1);       /* 500: the minimum is 400 */
	BAD(&k, "no project chosen, at least 1 required", 0);
	BAD(&k, "the chosen projects cost 300, under the minimum of 400", 1, 1,
	        1);
	BAD(&k,
	        "the chosen projects cost 1000000000000500, over the budget "
	        "of 1000",
	        2, 0, 1, 3, 1);
	BAD(&k, "option index 0 has value 2, must be 1", 1, 0, 2);
	BAD(&k, "option index 4 does not exist", 1, 4, 1);
	{
		uint64_t t[4] = {0};

		rule_count(&k, (struct choice[]){{0, 1}, {2, 1}}, 2, t, NULL);
		assert_int_equal(t[0], 1);
		assert_int_equal(t[1], 0);
		assert_int_equal(t[2], 1);
	}
}

static void
test_count(void **state)
{
	uint64_t t[4], f[4];
	struct choice c[4];

	(void)state;
	memset(t, 0, sizeof(t));
	{
		struct rule s = mk(RULE_SINGLE, 4, 0, 0);

		c[0] = (struct choice){2, 1};
		rule_count(&s, c, 1, t, NULL);
		rule_count(&s, c, 1, t, NULL);
		c[0] = (struct choice){0, 1};
		rule_count(&s, c, 1, t, NULL);
		assert_true(t[0] == 1 && t[1] == 0 && t[2] == 2 && t[3] == 0);
	}
	memset(t, 0, sizeof(t));
	{
		struct rule a = mk(RULE_APPROVAL, 4, 0, 4);

		c[0] = (struct choice){0, 1};
		c[1] = (struct choice){3, 1};
		rule_count(&a, c, 2, t, NULL);
		rule_count(&a, c, 0, t, NULL);
		c[0] = (struct choice){1, 1};
		rule_count(&a, c, 2, t, NULL);
		assert_true(t[0] == 1 && t[1] == 1 && t[2] == 0 && t[3] == 2);
	}
	memset(t, 0, sizeof(t));
	{
		struct rule cu = mk(RULE_CUMULATIVE, 4, 10, 5);

		c[0] = (struct choice){1, 5};
		c[1] = (struct choice){2, 3};
		rule_count(&cu, c, 2, t, NULL);
		c[0] = (struct choice){0, 4};
		rule_count(&cu, c, 2, t, NULL);
		assert_true(t[0] == 4 && t[1] == 5 && t[2] == 6 && t[3] == 0);
	}
	memset(t, 0, sizeof(t));
	memset(f, 0, sizeof(f));
	{
		/* Borda among 4 options: rank r scores 4 - r */
		struct rule k = mk(RULE_RANKING, 4, 1, 4);

		c[0] = (struct choice){0, 2};
		c[1] = (struct choice){1, 1};
		c[2] = (struct choice){3, 3};
		rule_count(&k, c, 3, t, f); /* b > a > d */
		assert_true(t[0] == 2 && t[1] == 3 && t[2] == 0 && t[3] == 1);
		assert_true(f[0] == 0 && f[1] == 1 && f[2] == 0 && f[3] == 0);
		c[0] = (struct choice){2, 1};
		rule_count(&k, c, 1, t, f); /* c alone */
		c[0] = (struct choice){0, 1};
		c[1] = (struct choice){1, 4};
		c[2] = (struct choice){2, 2};
		c[3] = (struct choice){3, 3};
		rule_count(&k, c, 4, t, f); /* a > c > d > b */
		assert_true(t[0] == 5 && t[1] == 3 && t[2] == 5 && t[3] == 2);
		assert_true(f[0] == 1 && f[1] == 1 && f[2] == 1 && f[3] == 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_kind_names),
	        cmocka_unit_test(test_parse_ok),
	        cmocka_unit_test(test_parse_errors),
	        cmocka_unit_test(test_check_common),
	        cmocka_unit_test(test_check_single),
	        cmocka_unit_test(test_check_approval),
	        cmocka_unit_test(test_check_ranking),
	        cmocka_unit_test(test_check_cumulative),
	        cmocka_unit_test(test_knapsack),
	        cmocka_unit_test(test_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
