/*
 * survey.c - consultation definitions and answers (format in survey.h)
 */
#include "survey.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonv.h"
#include "utf8.h"

enum qtype {
	Q_NONE = -1,
	Q_SINGLE,
	Q_MULTIPLE,
	Q_RANKING,
	Q_SCALE,
	Q_SHORT,
	Q_LONG,
	Q_NUMBER,
	Q__COUNT
};

static const char *const type_names[Q__COUNT] = {
        [Q_SINGLE] = "single_choice",
        [Q_MULTIPLE] = "multiple_choice",
        [Q_RANKING] = "ranking",
        [Q_SCALE] = "scale",
        [Q_SHORT] = "short_text",
        [Q_LONG] = "long_text",
        [Q_NUMBER] = "number",
};

/* Members every question may have. */
static const char *const common_members[] = {
        "id", "type", "title", "description", "required", "show_if", NULL};

/* Members only some types may have, NULL-terminated per type. */
static const char *const type_members[Q__COUNT][5] = {
        [Q_SINGLE] = {"options", NULL},
        [Q_MULTIPLE] = {"options", "min_selections", "max_selections", NULL},
        [Q_RANKING] = {"options", "min_ranked", "max_ranked", "rank_all", NULL},
        [Q_SCALE] = {"min", "max", "min_label", "max_label", NULL},
        [Q_SHORT] = {"min_length", "max_length", NULL},
        [Q_LONG] = {"min_length", "max_length", NULL},
        [Q_NUMBER] = {"min", "max", "integer", NULL},
};

/* Where errors go, and how many this call added. */
struct ctx {
	struct problem *p;
	size_t n;
};

static void add(struct ctx *c, const char *field, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void
add(struct ctx *c, const char *field, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	problem_add_field(c->p, field, "%s", msg);
	c->n++;
}

/* Adds an error on "questions[i].<member>" ("questions[i]" if member ""). */
static void qadd(struct ctx *c, size_t i, const char *member, const char *fmt,
        ...) __attribute__((format(printf, 4, 5)));

static void
qadd(struct ctx *c, size_t i, const char *member, const char *fmt, ...)
{
	char field[320], msg[256];
	va_list ap;

	snprintf(field, sizeof(field), "questions[%zu]%s%s", i,
	        member[0] != '\0' ? "." : "", member);
	utf8_sanitize(field); /* may quote a client's member name */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	add(c, field, "%s", msg);
}

static enum err
finish(struct ctx *c, const char *what, const char *verb)
{
	if (c->n == 0)
		return ERR_OK;
	if (c->p->detail[0] == '\0')
		problem_set(c->p, ERR_INVALID, "%s %s %zu error%s", what, verb,
		        c->n, c->n > 1 ? "s" : "");
	return ERR_INVALID;
}

static int
in_list(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

static enum qtype
qtype_of(const json_t *q)
{
	const char *s = json_string_value(json_object_get(q, "type"));
	int t;

	if (s == NULL)
		return Q_NONE;
	for (t = 0; t < Q__COUNT; t++)
		if (strcmp(type_names[t], s) == 0)
			return (enum qtype)t;
	return Q_NONE;
}

static int
is_choice(enum qtype t)
{
	return t == Q_SINGLE || t == Q_MULTIPLE || t == Q_RANKING;
}

static const char *
qid(const json_t *q)
{
	return json_string_value(json_object_get(q, "id"));
}

/* Index of the first question whose id is 'id', or -1. */
static long
find_question(const json_t *qs, const char *id)
{
	size_t i;

	if (id == NULL)
		return -1;
	for (i = 0; i < json_array_size(qs); i++) {
		const char *s = qid(json_array_get(qs, i));

		if (s != NULL && strcmp(s, id) == 0)
			return (long)i;
	}
	return -1;
}

/* Index of the option whose id is 'id' in q's options, or -1. */
static long
find_option(const json_t *q, const char *id)
{
	const json_t *opts = json_object_get(q, "options");
	size_t i;

	for (i = 0; i < json_array_size(opts); i++) {
		const char *s = qid(json_array_get(opts, i));

		if (s != NULL && strcmp(s, id) == 0)
			return (long)i;
	}
	return -1;
}

static json_int_t
int_or(const json_t *q, const char *key, json_int_t def)
{
	const json_t *v = json_object_get(q, key);

	return json_is_integer(v) ? json_integer_value(v) : def;
}

static int
bool_or(const json_t *q, const char *key, int def)
{
	const json_t *v = json_object_get(q, key);

	return json_is_boolean(v) ? json_is_true(v) : def;
}

/* Effective [min, max] count of a multiple_choice or ranking answer. */
static void
choice_limits(const json_t *q, enum qtype t, json_int_t *min, json_int_t *max)
{
	json_int_t n =
	        (json_int_t)json_array_size(json_object_get(q, "options"));

	if (t == Q_MULTIPLE) {
		*min = int_or(q, "min_selections", bool_or(q, "required", 0));
		*max = int_or(q, "max_selections", n);
	} else {
		*min = int_or(
		        q, "min_ranked", bool_or(q, "rank_all", 1) ? n : 1);
		*max = int_or(q, "max_ranked", n);
	}
}

static json_int_t
text_default_max(enum qtype t)
{
	return t == Q_SHORT ? SURVEY_SHORT_TEXT_DEFAULT
	                    : SURVEY_LONG_TEXT_DEFAULT;
}

static int
valid_id(const json_t *v)
{
	const char *s = json_string_value(v);
	size_t i, len = json_string_length(v);

	if (len < 1 || len > SURVEY_ID_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		            (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

static size_t
str_chars(const json_t *v)
{
	return jsonv_utf8_len(json_string_value(v), json_string_length(v));
}

static const char *
plural(json_int_t n)
{
	return n == 1 ? "" : "s";
}

/* Compares two JSON numbers exactly enough for any int64 or double. */
static int
num_cmp(const json_t *a, const json_t *b)
{
	long double x, y;

	if (json_is_integer(a) && json_is_integer(b)) {
		json_int_t i = json_integer_value(a), j = json_integer_value(b);

		return (i > j) - (i < j);
	}
	x = json_is_integer(a) ? (long double)json_integer_value(a)
	                       : (long double)json_real_value(a);
	y = json_is_integer(b) ? (long double)json_integer_value(b)
	                       : (long double)json_real_value(b);
	return (x > y) - (x < y);
}

/* The shortest text that reads back as the number 'v'. */
static void
num_text(const json_t *v, char *buf, size_t sz)
{
	double d;
	int prec;

	if (json_is_integer(v)) {
		snprintf(buf, sz, "%lld", (long long)json_integer_value(v));
		return;
	}
	d = json_real_value(v);
	for (prec = 1; prec < 17; prec++) {
		snprintf(buf, sz, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
	snprintf(buf, sz, "%.17g", d);
}

/*
 * Definition checks. The get_* helpers return 1 when the member is present
 * and of the right type, 0 when absent, -1 (error added) otherwise.
 */

static int
get_string(struct ctx *c, size_t i, const json_t *obj, const char *path,
        const char *key, size_t minlen, size_t maxlen, int required)
{
	const json_t *v = json_object_get(obj, key);
	size_t n;

	if (v == NULL) {
		if (required)
			qadd(c, i, path, "is required");
		return 0;
	}
	if (!json_is_string(v)) {
		qadd(c, i, path, "must be a string");
		return -1;
	}
	n = str_chars(v);
	if (n < minlen || n > maxlen) {
		if (minlen == 0)
			qadd(c, i, path, "must be at most %zu characters long",
			        maxlen);
		else
			qadd(c, i, path,
			        "must be between %zu and %zu characters long",
			        minlen, maxlen);
		return -1;
	}
	return 1;
}

static int
get_int(struct ctx *c, size_t i, const json_t *q, const char *key,
        json_int_t *out)
{
	const json_t *v = json_object_get(q, key);

	if (v == NULL)
		return 0;
	if (!json_is_integer(v)) {
		qadd(c, i, key, "must be an integer");
		return -1;
	}
	*out = json_integer_value(v);
	return 1;
}

static int
get_bool(struct ctx *c, size_t i, const json_t *q, const char *key, int *out)
{
	const json_t *v = json_object_get(q, key);

	if (v == NULL)
		return 0;
	if (!json_is_boolean(v)) {
		qadd(c, i, key, "must be a boolean");
		return -1;
	}
	*out = json_is_true(v);
	return 1;
}

/* Checks q's id: its format, and that no earlier question has it. */
static void
check_id(struct ctx *c, const json_t *qs, size_t i, const json_t *q)
{
	const json_t *v = json_object_get(q, "id");
	size_t j;

	if (v == NULL) {
		qadd(c, i, "id", "is required");
		return;
	}
	if (!json_is_string(v)) {
		qadd(c, i, "id", "must be a string");
		return;
	}
	if (!valid_id(v)) {
		qadd(c, i, "id",
		        "must be 1 to 32 characters among a-z, 0-9 and '_'");
		return;
	}
	for (j = 0; j < i; j++) {
		const char *s = qid(json_array_get(qs, j));

		if (s != NULL && strcmp(s, json_string_value(v)) == 0) {
			qadd(c, i, "id",
			        "'%s' is already the id of questions[%zu]", s,
			        j);
			return;
		}
	}
}

static void
check_option(struct ctx *c, size_t i, const json_t *opts, size_t j)
{
	const json_t *o = json_array_get(opts, j), *id;
	char path[320];
	const char *key;
	json_t *val;
	size_t k;

	snprintf(path, sizeof(path), "options[%zu]", j);
	if (!json_is_object(o)) {
		qadd(c, i, path, "must be an object");
		return;
	}
	json_object_foreach((json_t *)o, key, val)
	{
		if (strcmp(key, "id") != 0 && strcmp(key, "label") != 0) {
			snprintf(path, sizeof(path), "options[%zu].%s", j, key);
			qadd(c, i, path, "unknown member");
		}
	}
	snprintf(path, sizeof(path), "options[%zu].id", j);
	id = json_object_get(o, "id");
	if (id == NULL) {
		qadd(c, i, path, "is required");
	} else if (!json_is_string(id)) {
		qadd(c, i, path, "must be a string");
	} else if (!valid_id(id)) {
		qadd(c, i, path,
		        "must be 1 to 32 characters among a-z, 0-9 and '_'");
	} else {
		for (k = 0; k < j; k++) {
			const char *s = qid(json_array_get(opts, k));

			if (s != NULL &&
			        strcmp(s, json_string_value(id)) == 0) {
				qadd(c, i, path,
				        "'%s' is already the id of "
				        "options[%zu]",
				        s, k);
				break;
			}
		}
	}
	snprintf(path, sizeof(path), "options[%zu].label", j);
	get_string(c, i, o, path, "label", 1, SURVEY_LABEL_MAX, 1);
}

/* Checks q's options; returns their number if it is valid, else -1. */
static json_int_t
check_options(struct ctx *c, size_t i, const json_t *q)
{
	const json_t *opts = json_object_get(q, "options");
	size_t n, j;

	if (opts == NULL) {
		qadd(c, i, "options", "is required");
		return -1;
	}
	if (!json_is_array(opts)) {
		qadd(c, i, "options", "must be an array");
		return -1;
	}
	n = json_array_size(opts);
	if (n > SURVEY_MAX_OPTIONS) {
		/* Not worth checking each of thousands. */
		qadd(c, i, "options", "must have between %d and %d options",
		        SURVEY_MIN_OPTIONS, SURVEY_MAX_OPTIONS);
		return -1;
	}
	for (j = 0; j < n; j++)
		check_option(c, i, opts, j);
	if (n < SURVEY_MIN_OPTIONS) {
		qadd(c, i, "options", "must have between %d and %d options",
		        SURVEY_MIN_OPTIONS, SURVEY_MAX_OPTIONS);
		return -1;
	}
	return (json_int_t)n;
}

static void
check_multiple(struct ctx *c, size_t i, const json_t *q, json_int_t n)
{
	json_int_t min = 0, max = 0;
	int rmin = get_int(c, i, q, "min_selections", &min);
	int rmax = get_int(c, i, q, "max_selections", &max);
	int required = bool_or(q, "required", 0);

	if (rmax == 1) {
		if (max < 1) {
			qadd(c, i, "max_selections", "must be at least 1");
			rmax = -1;
		} else if (n >= 0 && max > n) {
			qadd(c, i, "max_selections",
			        "must be at most the number of options (%lld)",
			        (long long)n);
			rmax = -1;
		}
	}
	if (rmin == 1) {
		if (min < 0)
			qadd(c, i, "min_selections", "must be at least 0");
		else if (required && min == 0)
			qadd(c, i, "min_selections",
			        "must be at least 1 for a required question");
		else if (n >= 0 && min > n)
			qadd(c, i, "min_selections",
			        "must be at most the number of options (%lld)",
			        (long long)n);
		else if (rmax == 1 && min > max)
			qadd(c, i, "min_selections",
			        "must not be greater than 'max_selections' "
			        "(%lld)",
			        (long long)max);
	}
}

static void
check_ranking(struct ctx *c, size_t i, const json_t *q, json_int_t n)
{
	json_int_t min = 0, max = 0;
	int all = 1, rall = get_bool(c, i, q, "rank_all", &all);
	int rmin = get_int(c, i, q, "min_ranked", &min);
	int rmax = get_int(c, i, q, "max_ranked", &max);

	if (rall < 0)
		all = -1; /* unknown: skip what depends on it */
	if (rmax == 1) {
		if (max < 1) {
			qadd(c, i, "max_ranked", "must be at least 1");
			rmax = -1;
		} else if (n >= 0 && max > n) {
			qadd(c, i, "max_ranked",
			        "must be at most the number of options (%lld)",
			        (long long)n);
			rmax = -1;
		} else if (n >= 0 && all == 1 && max != n) {
			qadd(c, i, "max_ranked",
			        "must be %lld (the number of options) unless "
			        "'rank_all' is false",
			        (long long)n);
			rmax = -1;
		}
	}
	if (rmin == 1) {
		if (min < 1)
			qadd(c, i, "min_ranked", "must be at least 1");
		else if (n >= 0 && min > n)
			qadd(c, i, "min_ranked",
			        "must be at most the number of options (%lld)",
			        (long long)n);
		else if (n >= 0 && all == 1 && min != n)
			qadd(c, i, "min_ranked",
			        "must be %lld (the number of options) unless "
			        "'rank_all' is false",
			        (long long)n);
		else if (rmax == 1 && min > max)
			qadd(c, i, "min_ranked",
			        "must not be greater than 'max_ranked' (%lld)",
			        (long long)max);
	}
}

static void
check_scale(struct ctx *c, size_t i, const json_t *q)
{
	json_int_t min = 0, max = 0;
	int rmin = get_int(c, i, q, "min", &min);
	int rmax = get_int(c, i, q, "max", &max);

	if (rmin == 0)
		qadd(c, i, "min", "is required");
	else if (rmin == 1 && min != 0 && min != 1) {
		qadd(c, i, "min", "must be 0 or 1");
		rmin = -1;
	}
	if (rmax == 0)
		qadd(c, i, "max", "is required");
	else if (rmax == 1 && max > SURVEY_SCALE_MAX)
		qadd(c, i, "max", "must be at most %d", SURVEY_SCALE_MAX);
	else if (rmax == 1 && rmin == 1 && max <= min)
		qadd(c, i, "max", "must be greater than 'min' (%lld)",
		        (long long)min);
	else if (rmax == 1 && rmin != 1 && max < 1)
		qadd(c, i, "max", "must be at least 1");
	get_string(c, i, q, "min_label", "min_label", 0, SURVEY_SCALE_LABEL_MAX,
	        0);
	get_string(c, i, q, "max_label", "max_label", 0, SURVEY_SCALE_LABEL_MAX,
	        0);
}

static void
check_text(struct ctx *c, size_t i, const json_t *q, enum qtype t)
{
	json_int_t cap =
	        t == Q_SHORT ? SURVEY_SHORT_TEXT_MAX : SURVEY_LONG_TEXT_MAX;
	json_int_t min = 0, max = text_default_max(t);
	int rmin = get_int(c, i, q, "min_length", &min);
	int rmax = get_int(c, i, q, "max_length", &max);

	if (rmax == 1 && (max < 1 || max > cap)) {
		qadd(c, i, "max_length", "must be between 1 and %lld",
		        (long long)cap);
		rmax = -1;
	}
	if (rmin == 1) {
		if (min < 0)
			qadd(c, i, "min_length", "must be at least 0");
		else if (rmax >= 0 && min > max)
			qadd(c, i, "min_length",
			        "must not be greater than 'max_length' (%lld)",
			        (long long)max);
	}
}

static void
check_number(struct ctx *c, size_t i, const json_t *q)
{
	const json_t *min = json_object_get(q, "min");
	const json_t *max = json_object_get(q, "max");
	int integer;

	if (min != NULL && !json_is_number(min)) {
		qadd(c, i, "min", "must be a number");
		min = NULL;
	}
	if (max != NULL && !json_is_number(max)) {
		qadd(c, i, "max", "must be a number");
		max = NULL;
	}
	if (min != NULL && max != NULL && num_cmp(min, max) > 0) {
		char t[32];

		num_text(max, t, sizeof(t));
		qadd(c, i, "min", "must not be greater than 'max' (%s)", t);
	}
	get_bool(c, i, q, "integer", &integer);
}

static void
check_show_if(struct ctx *c, const json_t *qs, size_t i, const json_t *q)
{
	const json_t *si = json_object_get(q, "show_if"), *ref, *eq, *target;
	char path[320];
	const char *key;
	json_t *val;
	enum qtype tt;
	long j;

	if (si == NULL)
		return;
	if (!json_is_object(si)) {
		qadd(c, i, "show_if", "must be an object");
		return;
	}
	json_object_foreach((json_t *)si, key, val)
	{
		if (strcmp(key, "question") != 0 &&
		        strcmp(key, "equals") != 0) {
			snprintf(path, sizeof(path), "show_if.%s", key);
			qadd(c, i, path, "unknown member");
		}
	}
	ref = json_object_get(si, "question");
	eq = json_object_get(si, "equals");
	if (eq == NULL)
		qadd(c, i, "show_if.equals", "is required");
	else if (!json_is_string(eq)) {
		qadd(c, i, "show_if.equals", "must be a string");
		eq = NULL;
	}
	if (ref == NULL) {
		qadd(c, i, "show_if.question", "is required");
		return;
	}
	if (!json_is_string(ref)) {
		qadd(c, i, "show_if.question", "must be a string");
		return;
	}
	j = find_question(qs, json_string_value(ref));
	if (j < 0) {
		qadd(c, i, "show_if.question", "no question has the id '%s'",
		        json_string_value(ref));
		return;
	}
	if ((size_t)j == i) {
		qadd(c, i, "show_if.question",
		        "must not refer to the question itself");
		return;
	}
	if ((size_t)j > i) {
		qadd(c, i, "show_if.question",
		        "must refer to an earlier question ('%s' is "
		        "questions[%ld])",
		        json_string_value(ref), j);
		return;
	}
	target = json_array_get(qs, (size_t)j);
	tt = qtype_of(target);
	if (tt == Q_NONE)
		return; /* reported on that question */
	if (tt != Q_SINGLE && tt != Q_MULTIPLE) {
		qadd(c, i, "show_if.question",
		        "must refer to a single_choice or multiple_choice "
		        "question ('%s' is a %s question)",
		        json_string_value(ref), type_names[tt]);
		return;
	}
	if (eq != NULL && json_is_array(json_object_get(target, "options")) &&
	        find_option(target, json_string_value(eq)) < 0)
		qadd(c, i, "show_if.equals",
		        "is not an option of question '%s'",
		        json_string_value(ref));
}

static void
check_question(struct ctx *c, const json_t *qs, size_t i)
{
	const json_t *q = json_array_get(qs, i), *tv;
	const char *key;
	json_t *val;
	enum qtype t;
	json_int_t n = -1;
	int dummy;

	if (!json_is_object(q)) {
		qadd(c, i, "", "must be an object");
		return;
	}
	tv = json_object_get(q, "type");
	t = qtype_of(q);
	if (tv == NULL)
		qadd(c, i, "type", "is required");
	else if (!json_is_string(tv))
		qadd(c, i, "type", "must be a string");
	else if (t == Q_NONE)
		qadd(c, i, "type",
		        "must be one of 'single_choice', 'multiple_choice', "
		        "'ranking', 'scale', 'short_text', 'long_text', "
		        "'number'");
	json_object_foreach((json_t *)q, key, val)
	{
		int u, known = 0;

		if (in_list(common_members, key))
			continue;
		for (u = 0; u < Q__COUNT && !known; u++)
			known = in_list(type_members[u], key);
		if (!known)
			qadd(c, i, key, "unknown member");
		else if (t != Q_NONE && !in_list(type_members[t], key))
			qadd(c, i, key, "is not allowed for '%s' questions",
			        type_names[t]);
	}
	check_id(c, qs, i, q);
	get_string(c, i, q, "title", "title", 1, SURVEY_TITLE_MAX, 1);
	get_string(c, i, q, "description", "description", 0,
	        SURVEY_DESCRIPTION_MAX, 0);
	get_bool(c, i, q, "required", &dummy);
	if (is_choice(t))
		n = check_options(c, i, q);
	switch (t) {
	case Q_MULTIPLE:
		check_multiple(c, i, q, n);
		break;
	case Q_RANKING:
		check_ranking(c, i, q, n);
		break;
	case Q_SCALE:
		check_scale(c, i, q);
		break;
	case Q_SHORT:
	case Q_LONG:
		check_text(c, i, q, t);
		break;
	case Q_NUMBER:
		check_number(c, i, q);
		break;
	case Q_SINGLE:
	case Q_NONE:
	case Q__COUNT:
		break;
	}
	check_show_if(c, qs, i, q);
}

enum err
survey_check_definition(const json_t *questions, struct problem *p)
{
	struct ctx c = {p, 0};
	size_t i, n;

	if (!json_is_array(questions)) {
		add(&c, "questions", "must be an array");
		return finish(&c, "survey definition", "has");
	}
	n = json_array_size(questions);
	if (n < 1 || n > SURVEY_MAX_QUESTIONS)
		add(&c, "questions", "must have between 1 and %d questions",
		        SURVEY_MAX_QUESTIONS);
	if (n <= SURVEY_MAX_QUESTIONS)
		for (i = 0; i < n; i++)
			check_question(&c, questions, i);
	return finish(&c, "survey definition", "has");
}

size_t
survey_question_count(const json_t *questions)
{
	return json_array_size(questions);
}

/* Whether answer 'a' to choice question q selects option 'opt'. */
static int
selects(const json_t *q, const json_t *a, const char *opt)
{
	size_t k;
	json_t *e;

	if (opt == NULL)
		return 0;
	switch (qtype_of(q)) {
	case Q_SINGLE:
		return json_is_string(a) &&
		       strcmp(json_string_value(a), opt) == 0;
	case Q_MULTIPLE:
		json_array_foreach(a, k, e)
		{
			if (json_is_string(e) &&
			        strcmp(json_string_value(e), opt) == 0)
				return 1;
		}
		return 0;
	default:
		return 0;
	}
}

int
survey_is_shown(const json_t *questions, size_t index, const json_t *answers)
{
	const json_t *q = json_array_get(questions, index);
	const json_t *si = json_object_get(q, "show_if");
	const char *ref;
	long j;

	if (q == NULL)
		return 0;
	if (si == NULL)
		return 1;
	ref = json_string_value(json_object_get(si, "question"));
	j = find_question(questions, ref);
	/* Strictly earlier, so the recursion ends even on a bad definition. */
	if (j < 0 || (size_t)j >= index)
		return 0;
	if (!survey_is_shown(questions, (size_t)j, answers))
		return 0;
	return selects(json_array_get(questions, (size_t)j),
	        json_object_get(answers, ref),
	        json_string_value(json_object_get(si, "equals")));
}

/* Decodes the code point at s (valid UTF-8 assumed), its length in *n. */
static uint32_t
decode(const unsigned char *s, size_t len, size_t *n)
{
	size_t k;
	uint32_t cp;

	*n = utf8_seq_len(s, len);
	if (*n <= 1) {
		*n = 1;
		return s[0];
	}
	cp = s[0] & (0xFF >> (*n + 1));
	for (k = 1; k < *n; k++)
		cp = (cp << 6) | (s[k] & 0x3F);
	return cp;
}

/* Unicode White_Space, plus U+FEFF (which JavaScript's trim() drops). */
static int
is_space(uint32_t cp)
{
	return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 ||
	       cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
	       cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
	       cp == 0x3000 || cp == 0xFEFF;
}

/* The string value of v without leading and trailing white space. */
static const char *
trimmed(const json_t *v, size_t *len)
{
	const unsigned char *s = (const unsigned char *)json_string_value(v);
	size_t b = 0, e = json_string_length(v), n;

	while (b < e && is_space(decode(s + b, e - b, &n)))
		b += n;
	while (e > b) {
		size_t start = e - 1;

		while (start > b && (s[start] & 0xC0) == 0x80 && e - start < 4)
			start--;
		if (!is_space(decode(s + start, e - start, &n)) ||
		        start + n != e)
			break;
		e = start;
	}
	*len = e - b;
	return (const char *)s + b;
}

static void
choice_count_error(struct ctx *c, const char *field, enum qtype t,
        json_int_t min, json_int_t max, json_int_t n)
{
	const char *verb = t == Q_RANKING ? "rank" : "choose";

	if (t == Q_RANKING && min == n && max == n)
		add(c, field, "must rank all %lld options", (long long)n);
	else if (min == max)
		add(c, field, "must %s exactly %lld option%s", verb,
		        (long long)min, plural(min));
	else if (min == 0)
		add(c, field, "must %s at most %lld option%s", verb,
		        (long long)max, plural(max));
	else if (max == n)
		add(c, field, "must %s at least %lld option%s", verb,
		        (long long)min, plural(min));
	else
		add(c, field, "must %s between %lld and %lld options", verb,
		        (long long)min, (long long)max);
}

static void
check_choices(struct ctx *c, const char *field, const json_t *q, enum qtype t,
        const json_t *a)
{
	unsigned char seen[SURVEY_MAX_OPTIONS] = {0};
	json_int_t min, max, n;
	size_t k;
	json_t *e;

	if (!json_is_array(a)) {
		add(c, field, "must be an array of option ids");
		return;
	}
	json_array_foreach(a, k, e)
	{
		if (!json_is_string(e)) {
			add(c, field, "must be an array of option ids");
			return;
		}
	}
	/* Stops at the first bad item: at most options + 1 are looked at. */
	json_array_foreach(a, k, e)
	{
		long o = find_option(q, json_string_value(e));

		if (o < 0) {
			add(c, field,
			        "'%s' is not one of the question's options",
			        json_string_value(e));
			return;
		}
		if (o < SURVEY_MAX_OPTIONS && seen[o]) {
			add(c, field, "must not repeat an option ('%s')",
			        json_string_value(e));
			return;
		}
		if (o < SURVEY_MAX_OPTIONS)
			seen[o] = 1;
	}
	choice_limits(q, t, &min, &max);
	n = (json_int_t)json_array_size(json_object_get(q, "options"));
	if ((json_int_t)json_array_size(a) < min ||
	        (json_int_t)json_array_size(a) > max)
		choice_count_error(c, field, t, min, max, n);
}

static void
check_text_answer(struct ctx *c, const char *field, const json_t *q,
        enum qtype t, const json_t *a)
{
	json_int_t min, max, n;
	const char *s;
	size_t len;

	if (!json_is_string(a)) {
		add(c, field, "must be a string");
		return;
	}
	s = trimmed(a, &len);
	n = (json_int_t)jsonv_utf8_len(s, len);
	if (n == 0) {
		if (bool_or(q, "required", 0))
			add(c, field, "must not be blank");
		return; /* an optional blank answer is no answer */
	}
	min = int_or(q, "min_length", 0);
	max = int_or(q, "max_length", text_default_max(t));
	if (n < min)
		add(c, field, "must be at least %lld character%s long",
		        (long long)min, plural(min));
	else if (n > max)
		add(c, field, "must be at most %lld character%s long",
		        (long long)max, plural(max));
}

static void
check_number_answer(
        struct ctx *c, const char *field, const json_t *q, const json_t *a)
{
	const json_t *min = json_object_get(q, "min");
	const json_t *max = json_object_get(q, "max");
	char lo[32], hi[32];

	if (!json_is_number(min))
		min = NULL;
	if (!json_is_number(max))
		max = NULL;
	if (!json_is_number(a)) {
		add(c, field, "must be a number");
		return;
	}
	if (bool_or(q, "integer", 0) && json_is_real(a) &&
	        json_real_value(a) != floor(json_real_value(a))) {
		add(c, field, "must be a whole number");
		return;
	}
	if ((min != NULL && num_cmp(a, min) < 0) ||
	        (max != NULL && num_cmp(a, max) > 0)) {
		if (min != NULL)
			num_text(min, lo, sizeof(lo));
		if (max != NULL)
			num_text(max, hi, sizeof(hi));
		if (min != NULL && max != NULL)
			add(c, field, "must be between %s and %s", lo, hi);
		else if (min != NULL)
			add(c, field, "must be at least %s", lo);
		else
			add(c, field, "must be at most %s", hi);
	}
}

static void
check_answer(struct ctx *c, const json_t *qs, size_t i, const json_t *answers)
{
	const json_t *q = json_array_get(qs, i), *a;
	const char *id = qid(q);
	enum qtype t = qtype_of(q);
	char field[320];

	if (id == NULL)
		return;
	snprintf(field, sizeof(field), "answers.%s", id);
	a = json_object_get(answers, id);
	if (json_is_null(a))
		a = NULL;
	if (!survey_is_shown(qs, i, answers)) {
		if (a != NULL)
			add(c, field, "is not shown for these answers");
		return;
	}
	if (a == NULL) {
		if (bool_or(q, "required", 0))
			add(c, field, "is required");
		return;
	}
	switch (t) {
	case Q_SINGLE:
		if (!json_is_string(a))
			add(c, field, "must be a string");
		else if (find_option(q, json_string_value(a)) < 0)
			add(c, field, "must be one of the question's options");
		break;
	case Q_MULTIPLE:
	case Q_RANKING:
		check_choices(c, field, q, t, a);
		break;
	case Q_SCALE: {
		json_int_t min = int_or(q, "min", 0), max = int_or(q, "max", 0);

		if (!json_is_integer(a))
			add(c, field, "must be an integer");
		else if (json_integer_value(a) < min ||
		         json_integer_value(a) > max)
			add(c, field, "must be between %lld and %lld",
			        (long long)min, (long long)max);
		break;
	}
	case Q_SHORT:
	case Q_LONG:
		check_text_answer(c, field, q, t, a);
		break;
	case Q_NUMBER:
		check_number_answer(c, field, q, a);
		break;
	case Q_NONE:
	case Q__COUNT:
		break;
	}
}

enum err
survey_check_answers(
        const json_t *questions, const json_t *answers, struct problem *p)
{
	struct ctx c = {p, 0};
	const char *key;
	json_t *val;
	size_t i;

	if (!json_is_object(answers)) {
		add(&c, "answers", "must be an object");
		return finish(&c, "answers", "have");
	}
	json_object_foreach((json_t *)answers, key, val)
	{
		if (find_question(questions, key) < 0) {
			char field[320];

			snprintf(field, sizeof(field), "answers.%s", key);
			utf8_sanitize(field);
			add(&c, field, "no such question");
		}
	}
	for (i = 0; i < json_array_size(questions); i++)
		check_answer(&c, questions, i, answers);
	return finish(&c, "answers", "have");
}

json_t *
survey_normalize_answers(const json_t *questions, const json_t *answers)
{
	json_t *out = json_object();
	size_t i;

	if (out == NULL)
		abort();
	for (i = 0; i < json_array_size(questions); i++) {
		const json_t *q = json_array_get(questions, i);
		const char *id = qid(q);
		const json_t *a =
		        json_object_get(answers, id == NULL ? "" : id);
		enum qtype t = qtype_of(q);
		json_t *v;

		if (id == NULL || a == NULL || json_is_null(a) ||
		        !survey_is_shown(questions, i, answers))
			continue;
		if ((t == Q_SHORT || t == Q_LONG) && json_is_string(a)) {
			size_t len;
			const char *s = trimmed(a, &len);

			if (len == 0)
				continue;
			v = json_stringn(s, len);
		} else {
			v = json_deep_copy(a);
		}
		if (v == NULL || json_object_set_new(out, id, v) != 0)
			abort();
	}
	return out;
}
