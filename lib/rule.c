/*
 * rule.c - single, approval, ranking, cumulative and knapsack rules
 */
#include "rule.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Most points of a cumulative rule. */
#define RULE_MAX_TOTAL 1000000

static const char *const kind_names[] = {
        [RULE_SINGLE] = "single",
        [RULE_APPROVAL] = "approval",
        [RULE_RANKING] = "ranking",
        [RULE_CUMULATIVE] = "cumulative",
        [RULE_KNAPSACK] = "knapsack",
};

const char *
rule_kind_name(enum rule_kind k)
{
	if ((unsigned)k >= sizeof(kind_names) / sizeof(kind_names[0]))
		return NULL;
	return kind_names[k];
}

int
vote_why(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why != NULL && whylen > 0) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/*
 * Reads the integer member name of o into *v, between lo and hi. Sets
 * *member to name on failure.
 */
static int
get_bounded(const json_t *o, const char *name, long long lo, long long hi,
        const char *what, uint32_t *v, const char **member, char *why,
        size_t whylen)
{
	const json_t *j = json_object_get(o, name);
	long long x;

	*member = name;
	if (j == NULL)
		return vote_why(why, whylen, "%s is required", name);
	if (!json_is_integer(j))
		return vote_why(why, whylen, "%s must be an integer", name);
	x = json_integer_value(j);
	if (x < lo || x > hi)
		return vote_why(why, whylen,
		        "%s must be between %lld and %lld%s", name, lo, hi,
		        what);
	*v = (uint32_t)x;
	*member = NULL;
	return 0;
}

/* get_bounded for a 64-bit amount: the integer member name of o. */
static int
get_cost(const json_t *o, const char *name, uint64_t lo, uint64_t hi,
        uint64_t *v, const char **member, char *why, size_t whylen)
{
	const json_t *j = json_object_get(o, name);
	json_int_t x;

	*member = name;
	if (j == NULL)
		return vote_why(why, whylen, "%s is required", name);
	if (!json_is_integer(j))
		return vote_why(why, whylen, "%s must be an integer", name);
	x = json_integer_value(j);
	if (x < 0 || (uint64_t)x < lo || (uint64_t)x > hi)
		return vote_why(why, whylen, "%s must be between %llu and %llu",
		        name, (unsigned long long)lo, (unsigned long long)hi);
	*v = (uint64_t)x;
	*member = NULL;
	return 0;
}

int
rule_parse(const json_t *rule, uint32_t noptions, struct rule *out,
        const char **member, char *why, size_t whylen)
{
	static const char *const allowed[][3] = {
	        [RULE_SINGLE] = {NULL, NULL, NULL},
	        [RULE_APPROVAL] = {"min", "max", NULL},
	        [RULE_RANKING] = {"min", "max", NULL},
	        [RULE_CUMULATIVE] = {"total", "max_per_option", NULL},
	        [RULE_KNAPSACK] = {"min_cost", "max_cost", NULL},
	};
	const char *key, *kname;
	const json_t *val;
	struct rule r;
	int k;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	*member = NULL;
	if (!json_is_object(rule))
		return vote_why(why, whylen, "rule must be an object");
	if (noptions < 2 || noptions > RULE_MAX_OPTIONS)
		return vote_why(why, whylen,
		        "a question must have between 2 and %d options",
		        RULE_MAX_OPTIONS);
	*member = "kind";
	val = json_object_get(rule, "kind");
	if (val == NULL)
		return vote_why(why, whylen, "kind is required");
	kname = json_string_value(val);
	if (kname == NULL)
		return vote_why(why, whylen, "kind must be a string");
	for (k = 0; k <= RULE_KNAPSACK; k++)
		if (strcmp(kname, kind_names[k]) == 0)
			break;
	if (k > RULE_KNAPSACK)
		return vote_why(why, whylen,
		        "kind \"%s\" is not one of single, approval, ranking, "
		        "cumulative, knapsack",
		        kname);
	r.kind = (enum rule_kind)k;
	r.noptions = noptions;
	json_object_foreach((json_t *)rule, key, val)
	{
		const char *const *a = allowed[k];

		if (strcmp(key, "kind") == 0 ||
		        (a[0] != NULL && strcmp(key, a[0]) == 0) ||
		        (a[1] != NULL && strcmp(key, a[1]) == 0))
			continue;
		*member = key;
		return vote_why(why, whylen,
		        "unknown member \"%s\" for kind %s", key, kname);
	}
	*member = NULL;
	switch (r.kind) {
	case RULE_SINGLE:
		break;
	case RULE_APPROVAL:
	case RULE_RANKING: {
		long long lo = r.kind == RULE_APPROVAL ? 0 : 1;

		if (get_bounded(rule, "min", lo, noptions,
		            ", the number of options", &r.min, member, why,
		            whylen) != 0 ||
		        get_bounded(rule, "max", 1, noptions,
		                ", the number of options", &r.max, member, why,
		                whylen) != 0)
			return -1;
		if (r.min > r.max) {
			*member = "min";
			return vote_why(why, whylen,
			        "min %u is greater than max %u", r.min, r.max);
		}
		break;
	}
	case RULE_CUMULATIVE:
		if (get_bounded(rule, "total", 1, RULE_MAX_TOTAL, "", &r.total,
		            member, why, whylen) != 0)
			return -1;
		if (get_bounded(rule, "max_per_option", 1, r.total,
		            ", the total", &r.per_option, member, why,
		            whylen) != 0)
			return -1;
		break;
	case RULE_KNAPSACK:
		if (get_cost(rule, "max_cost", 1, RULE_MAX_COST, &r.max_cost,
		            member, why, whylen) != 0 ||
		        get_cost(rule, "min_cost", 0, r.max_cost, &r.min_cost,
		                member, why, whylen) != 0)
			return -1;
		break;
	}
	*out = r;
	return 0;
}

int
rule_from_json(const json_t *rule, uint32_t noptions, struct rule *out,
        char *why, size_t whylen)
{
	const char *member;

	return rule_parse(rule, noptions, out, &member, why, whylen);
}

json_t *
rule_to_json(const struct rule *r)
{
	switch (r->kind) {
	case RULE_SINGLE:
		return json_pack("{ss}", "kind", "single");
	case RULE_APPROVAL:
	case RULE_RANKING:
		return json_pack("{sssIsI}", "kind", rule_kind_name(r->kind),
		        "max", (json_int_t)r->max, "min", (json_int_t)r->min);
	case RULE_CUMULATIVE:
		return json_pack("{sssIsI}", "kind", "cumulative",
		        "max_per_option", (json_int_t)r->per_option, "total",
		        (json_int_t)r->total);
	case RULE_KNAPSACK:
		return json_pack("{sssIsI}", "kind", "knapsack", "max_cost",
		        (json_int_t)r->max_cost, "min_cost",
		        (json_int_t)r->min_cost);
	}
	return NULL;
}

/* "no option", "1 option", "3 options". */
static const char *
options_text(size_t k, char *buf, size_t len)
{
	if (k == 0)
		return "no option";
	snprintf(buf, len, "%zu option%s", k, k == 1 ? "" : "s");
	return buf;
}

int
rule_check(const struct rule *r, const struct choice *c, size_t k, char *why,
        size_t whylen)
{
	unsigned char seen[RULE_MAX_OPTIONS + 1];
	char nb[32];
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < k; i++) {
		if (c[i].option >= r->noptions)
			return vote_why(why, whylen,
			        "option index %u does not exist", c[i].option);
		if (i > 0 && c[i].option <= c[i - 1].option)
			return vote_why(why, whylen,
			        "option indices are not strictly increasing");
		if (c[i].value == 0)
			return vote_why(why, whylen,
			        "option index %u has value 0, values start at "
			        "1",
			        c[i].option);
	}
	switch (r->kind) {
	case RULE_SINGLE:
		if (k != 1)
			return vote_why(why, whylen, "%s chosen, exactly 1 %s",
			        options_text(k, nb, sizeof(nb)),
			        k == 0 ? "required" : "allowed");
		/* fall through */
	case RULE_APPROVAL:
		for (i = 0; i < k; i++)
			if (c[i].value != 1)
				return vote_why(why, whylen,
				        "option index %u has value %u, must be "
				        "1",
				        c[i].option, c[i].value);
		if (r->kind == RULE_SINGLE)
			return 0;
		/* fall through */
	case RULE_RANKING:
		if (k < r->min)
			return vote_why(why, whylen,
			        "%s chosen, at least %u required",
			        options_text(k, nb, sizeof(nb)), r->min);
		if (k > r->max)
			return vote_why(why, whylen,
			        "%s chosen, at most %u allowed",
			        options_text(k, nb, sizeof(nb)), r->max);
		if (r->kind == RULE_APPROVAL)
			return 0;
		if (k > RULE_MAX_OPTIONS)
			return vote_why(why, whylen, "too many options ranked");
		memset(seen, 0, sizeof(seen));
		for (i = 0; i < k; i++) {
			if (c[i].value > k)
				return vote_why(why, whylen,
				        "option index %u has rank %u, ranks go "
				        "from 1 to %zu",
				        c[i].option, c[i].value, k);
			if (seen[c[i].value])
				return vote_why(why, whylen,
				        "rank %u is given twice", c[i].value);
			seen[c[i].value] = 1;
		}
		return 0;
	case RULE_CUMULATIVE:
		if (k == 0)
			return vote_why(why, whylen,
			        "no points given, at least 1 required");
		for (i = 0; i < k; i++) {
			if (c[i].value > r->per_option)
				return vote_why(why, whylen,
				        "option index %u has %u points, at "
				        "most %u allowed on one option",
				        c[i].option, c[i].value, r->per_option);
			sum += c[i].value;
		}
		if (sum > r->total)
			return vote_why(why, whylen,
			        "points total %llu is over %u",
			        (unsigned long long)sum, r->total);
		return 0;
	case RULE_KNAPSACK:
		if (k == 0)
			return vote_why(why, whylen,
			        "no project chosen, at least 1 required");
		for (i = 0; i < k; i++) {
			if (c[i].value != 1)
				return vote_why(why, whylen,
				        "option index %u has value %u, must be "
				        "1",
				        c[i].option, c[i].value);
			sum += r->costs != NULL ? r->costs[c[i].option] : 0;
		}
		if (sum > r->max_cost)
			return vote_why(why, whylen,
			        "the chosen projects cost %llu, over the "
			        "budget of %llu",
			        (unsigned long long)sum,
			        (unsigned long long)r->max_cost);
		if (sum < r->min_cost)
			return vote_why(why, whylen,
			        "the chosen projects cost %llu, under the "
			        "minimum of %llu",
			        (unsigned long long)sum,
			        (unsigned long long)r->min_cost);
		return 0;
	}
	return vote_why(why, whylen, "unknown rule");
}

void
rule_count(const struct rule *r, const struct choice *c, size_t k,
        uint64_t *totals, uint64_t *first)
{
	size_t i;

	for (i = 0; i < k; i++) {
		if (c[i].option >= r->noptions)
			continue;
		switch (r->kind) {
		case RULE_SINGLE:
		case RULE_APPROVAL:
		case RULE_KNAPSACK:
			totals[c[i].option] += 1;
			break;
		case RULE_CUMULATIVE:
			totals[c[i].option] += c[i].value;
			break;
		case RULE_RANKING:
			if (c[i].value >= 1 && c[i].value <= r->noptions)
				totals[c[i].option] += r->noptions - c[i].value;
			if (c[i].value == 1 && first != NULL)
				first[c[i].option] += 1;
			break;
		}
	}
}
