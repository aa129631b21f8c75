/*
 * test_jsonv.c - JSON body parsing and declared-field validation
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

#include "err.h"
#include "jsonv.h"
#include "problem.h"

static const struct jsonv_field fields[] = {
        {"name", JV_STRING, 1, 0, 1, 5},
        {"age", JV_INTEGER, 0, 0, 0, 150},
        {"score", JV_NUMBER, 0, 0, 0, 0},
        {"active", JV_BOOLEAN, 0, 0, 0, 0},
        {"tags", JV_ARRAY, 0, 1, 0, 0},
        {"meta", JV_OBJECT, 0, 0, 0, 0},
        {"note", JV_STRING, 0, 1, 0, 0},
        {"any", JV_ANY, 0, 0, 0, 0},
        {"count", JV_INTEGER, 0, 0, 0, 0},
        {"delta", JV_INTEGER, 0, 0, -10, -1},
};

static const struct jsonv_spec spec = {
        fields, sizeof(fields) / sizeof(fields[0])};

/* Per-test state: the parsed value and the problem. */
static json_t *val;
static struct problem prob;

static int
setup(void **state)
{
	(void)state;
	val = NULL;
	memset(&prob, 0, sizeof(prob));
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	json_decref(val);
	val = NULL;
	problem_clear(&prob);
	return 0;
}

/* Parses from an exact-size heap copy (ASan: no read past len). */
static enum err
parse_n(const char *s, size_t len)
{
	char *b = malloc(len > 0 ? len : 1);
	enum err e;

	assert_non_null(b);
	memcpy(b, s, len);
	json_decref(val);
	val = NULL;
	problem_clear(&prob);
	e = jsonv_parse(b, len, &val, &prob);
	free(b);
	if (e == ERR_OK)
		assert_non_null(val);
	else
		assert_null(val);
	return e;
}

static enum err
parse(const char *s)
{
	return parse_n(s, strlen(s));
}

/* Parses and checks a body that must be well-formed. */
static enum err
check(const char *body)
{
	enum err e = parse(body);

	if (e != ERR_OK)
		fail_msg("body %s did not parse: %s", body, prob.detail);
	return jsonv_check(val, &spec, &prob);
}

/* The message of the error entry for 'field', or NULL. */
static const char *
field_error(const char *field)
{
	size_t i;
	json_t *e;

	json_array_foreach(prob.errors, i, e)
	{
		const char *f = json_string_value(json_object_get(e, "field"));

		if (f != NULL && strcmp(f, field) == 0)
			return json_string_value(json_object_get(e, "message"));
	}
	return NULL;
}

static size_t
nerrors(void)
{
	return prob.errors == NULL ? 0 : json_array_size(prob.errors);
}

static void
expect_field_error(const char *field, const char *message)
{
	const char *m = field_error(field);

	if (m == NULL)
		fail_msg("no error for field \"%s\"", field);
	if (message != NULL && strcmp(m, message) != 0)
		fail_msg("field \"%s\": message \"%s\", want \"%s\"", field, m,
		        message);
}

static void
test_parse_valid(void **state)
{
	(void)state;
	assert_int_equal(
	        parse("{\"a\": 1, \"b\": [true, null, 1.5, \"x\"]}"), ERR_OK);
	assert_true(json_is_object(val));
	assert_int_equal(json_integer_value(json_object_get(val, "a")), 1);
	assert_int_equal(prob.err, ERR_OK);
	assert_int_equal(parse("  {}  \n"), ERR_OK);
	assert_int_equal(parse("[]"), ERR_OK);
	assert_true(json_is_array(val));
}

/* Only len bytes are parsed: what follows in memory is ignored. */
static void
test_parse_respects_length(void **state)
{
	(void)state;
	assert_int_equal(parse_n("{}GARBAGE", 2), ERR_OK);
	assert_int_equal(parse_n("{\"a\":1}", 6), ERR_BAD_REQUEST);
}

static void
test_duplicate_keys_rejected(void **state)
{
	(void)state;
	assert_int_equal(parse("{\"a\": 1, \"a\": 2}"), ERR_BAD_REQUEST);
	assert_int_equal(prob.err, ERR_BAD_REQUEST);
	assert_non_null(strstr(prob.detail, "duplicate"));
	/* Same value, still a duplicate. */
	assert_int_equal(
	        parse("{\"a\": 1, \"b\": 0, \"a\": 1}"), ERR_BAD_REQUEST);
	/* Nested objects too. */
	assert_int_equal(
	        parse("{\"o\": {\"k\": 1, \"k\": 1}}"), ERR_BAD_REQUEST);
	assert_int_equal(
	        parse("[{\"k\": 1}, {\"k\": 2, \"k\": 3}]"), ERR_BAD_REQUEST);
	/* Escaped spelling of the same key. */
	assert_int_equal(parse("{\"name\": \"a\", \"n\\u0061me\": \"b\"}"),
	        ERR_BAD_REQUEST);
	/* Keys differing in case are different keys. */
	assert_int_equal(parse("{\"a\": 1, \"A\": 2}"), ERR_OK);
}

static void
test_malformed_bodies(void **state)
{
	static const char *const bad[] = {
	        "",
	        "   ",
	        "{",
	        "}",
	        "{\"a\":}",
	        "{\"a\" 1}",
	        "{a: 1}",
	        "{'a': 1}",
	        "{\"a\": 1,}",
	        "[1, 2,]",
	        "{} {}",
	        "{} x",
	        "{\"a\": 01}",
	        "{\"a\": NaN}",
	        "{\"a\": Infinity}",
	        "{\"a\": tru}",
	        "{\"a\": \"unterminated}",
	        "{\"a\": \"bad \\x escape\"}",
	        "{\"a\": \"\\ud800\"}",
	        "{\"a\": \"raw\ttab\"}",
	        "{\"a\": \"\xff\"}",
	        "{\"\xc3\x28\": 1}",
	        "{\"a\": \"\xed\xa0\x80\"}",
	        "{\"a\": \"\\u0000\"}",
	        "{\"\\u0000\": 1}",
	        "/* comment */ {}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum err e = parse(bad[i]);

		if (e != ERR_BAD_REQUEST)
			fail_msg("body #%zu parsed (err %d)", i, e);
		assert_int_equal(prob.err, ERR_BAD_REQUEST);
		assert_non_null(strstr(prob.detail, "line"));
	}
	/* Embedded NUL byte in the buffer. */
	assert_int_equal(parse_n("{\"a\":\0 1}", 9), ERR_BAD_REQUEST);
}

static void
test_parse_error_detail_renders(void **state)
{
	char *s;
	json_t *o;

	(void)state;
	assert_int_equal(parse("{\"a\": }"), ERR_BAD_REQUEST);
	assert_non_null(strstr(prob.detail, "column"));
	s = problem_to_json(&prob, NULL);
	o = json_loads(s, 0, NULL);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "status")), 400);
	assert_non_null(json_object_get(o, "detail"));
	json_decref(o);
	free(s);
}

/*
 * jansson quotes the bytes "near" a syntax error, and may cut a multi-byte
 * character in half doing so; the 400 problem must still carry its detail
 * (found by tests/fuzz/fuzz_jsonv.c).
 */
static void
test_parse_error_detail_survives_rendering(void **state)
{
	static const char *const bodies[] = {
	        "[\"\\u\xc3\xa9\"]",         /* invalid escape before e-acute */
	        "{\"a\": \"\\u0\xd0\x9a\"}", /* cut inside U+041A */
	};
	size_t i;
	int nbad = 0;

	(void)state;
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		char *s;
		json_t *o;

		assert_int_equal(parse(bodies[i]), ERR_BAD_REQUEST);
		assert_true(prob.detail[0] != '\0');
		s = problem_to_json(&prob, NULL);
		o = json_loads(s, 0, NULL);
		assert_non_null(o);
		if (!json_is_string(json_object_get(o, "detail"))) {
			print_error("body #%zu: detail (%zu bytes) missing "
			            "from %s\n",
			        i, strlen(prob.detail), s);
			nbad++;
		}
		json_decref(o);
		free(s);
	}
	if (nbad > 0)
		fail_msg("%d parse error(s) rendered without their detail",
		        nbad);
}

/*
 * The body is "one JSON value" (jsonv.h): a well-formed scalar parses, and
 * the object requirement is jsonv_check's job (422, not 400).
 */
static void
test_scalar_body_is_invalid_not_malformed(void **state)
{
	static const char *const scalars[] = {
	        "42",
	        "\"text\"",
	        "null",
	        "true",
	        "1.5",
	};
	size_t i;
	int nbad = 0;

	(void)state;
	for (i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++) {
		enum err e = parse(scalars[i]);

		if (e != ERR_OK) {
			print_error("well-formed body %s: jsonv_parse gave %d "
			            "(%s), want ERR_OK\n",
			        scalars[i], e, prob.detail);
			nbad++;
			continue;
		}
		assert_int_equal(jsonv_check(val, &spec, &prob), ERR_INVALID);
	}
	if (nbad > 0)
		fail_msg("%d well-formed scalar bodies rejected as malformed",
		        nbad);
}

static void
test_non_object_is_invalid(void **state)
{
	(void)state;
	assert_int_equal(parse("[{\"name\": \"x\"}]"), ERR_OK);
	assert_int_equal(jsonv_check(val, &spec, &prob), ERR_INVALID);
	assert_int_equal(prob.err, ERR_INVALID);
	assert_string_equal(prob.detail, "request body must be a json object");
	assert_int_equal(nerrors(), 1);
	expect_field_error("", "must be an object");
	teardown(NULL);

	/* Values built in code, not parsed. */
	{
		json_t *v[] = {json_integer(1), json_string("s"), json_null(),
		        json_true(), json_real(0.5)};
		size_t i;

		for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
			memset(&prob, 0, sizeof(prob));
			assert_int_equal(
			        jsonv_check(v[i], &spec, &prob), ERR_INVALID);
			expect_field_error("", "must be an object");
			problem_clear(&prob);
			json_decref(v[i]);
		}
	}
}

static void
test_valid_full_body(void **state)
{
	(void)state;
	assert_int_equal(check("{\"name\": \"Alice\", \"age\": 30, "
	                       "\"score\": 1.5, \"active\": true, "
	                       "\"tags\": [\"a\"], \"meta\": {\"k\": [1]}, "
	                       "\"note\": \"n\", \"any\": [1, \"x\"], "
	                       "\"count\": -99999999999, \"delta\": -10}"),
	        ERR_OK);
	assert_null(prob.errors);
	assert_int_equal(prob.err, ERR_OK);
	assert_string_equal(prob.detail, "");
}

static void
test_minimal_body(void **state)
{
	(void)state;
	assert_int_equal(check("{\"name\": \"A\"}"), ERR_OK);
	assert_null(prob.errors);
}

static void
test_required_missing(void **state)
{
	(void)state;
	assert_int_equal(check("{}"), ERR_INVALID);
	assert_int_equal(prob.err, ERR_INVALID);
	assert_int_equal(nerrors(), 1);
	expect_field_error("name", "is required");
	assert_string_equal(prob.detail, "request body has 1 invalid field");
}

static void
test_unknown_fields_named(void **state)
{
	(void)state;
	assert_int_equal(check("{\"name\": \"A\", \"admin\": true, "
	                       "\"is_admin\": 1}"),
	        ERR_INVALID);
	assert_int_equal(nerrors(), 2);
	expect_field_error("admin", "unknown field");
	expect_field_error("is_admin", "unknown field");
	assert_string_equal(prob.detail, "request body has 2 invalid fields");
	/* Name matching is exact: case and prefixes differ. */
	assert_int_equal(check("{\"name\": \"A\", \"Name\": \"B\", "
	                       "\"nam\": 1, \"names\": 2}"),
	        ERR_INVALID);
	assert_int_equal(nerrors(), 3);
	expect_field_error("Name", "unknown field");
	expect_field_error("nam", "unknown field");
	expect_field_error("names", "unknown field");
	/* Unknown and null is still unknown. */
	assert_int_equal(check("{\"name\": \"A\", \"x\": null}"), ERR_INVALID);
	expect_field_error("x", "unknown field");
}

static void
test_unknown_field_with_odd_name(void **state)
{
	(void)state;
	assert_int_equal(check("{\"name\": \"A\", \"\": 1, "
	                       "\"caf\\u00e9\": 2, \"a\\\"b\": 3}"),
	        ERR_INVALID);
	assert_int_equal(nerrors(), 3);
	expect_field_error("", "unknown field");
	expect_field_error("caf\xc3\xa9", "unknown field");
	expect_field_error("a\"b", "unknown field");
}

static void
test_type_errors(void **state)
{
	(void)state;
	assert_int_equal(check("{\"name\": 5, \"age\": \"30\", \"score\": "
	                       "\"1\", \"active\": 1, \"tags\": {}, "
	                       "\"meta\": [], \"note\": false}"),
	        ERR_INVALID);
	assert_int_equal(nerrors(), 7);
	expect_field_error("name", "must be a string");
	expect_field_error("age", "must be an integer");
	expect_field_error("score", "must be a number");
	expect_field_error("active", "must be a boolean");
	expect_field_error("tags", "must be an array");
	expect_field_error("meta", "must be an object");
	expect_field_error("note", "must be a string");
	assert_string_equal(prob.detail, "request body has 7 invalid fields");
}

static void
test_integer_is_not_real(void **state)
{
	(void)state;
	assert_int_equal(check("{\"name\": \"A\", \"age\": 1.0}"), ERR_INVALID);
	expect_field_error("age", "must be an integer");
	assert_int_equal(check("{\"name\": \"A\", \"age\": 1e2}"), ERR_INVALID);
	expect_field_error("age", "must be an integer");
	/* An integer is a number. */
	assert_int_equal(check("{\"name\": \"A\", \"score\": 7}"), ERR_OK);
	assert_int_equal(
	        check("{\"name\": \"A\", \"score\": -7.25e-3}"), ERR_OK);
}

static void
test_null_handling(void **state)
{
	(void)state;
	/* Not nullable: null is refused, even for a required field. */
	assert_int_equal(check("{\"name\": null}"), ERR_INVALID);
	assert_int_equal(nerrors(), 1);
	expect_field_error("name", "must not be null");
	assert_int_equal(check("{\"name\": \"A\", \"age\": null, "
	                       "\"any\": null}"),
	        ERR_INVALID);
	expect_field_error("age", "must not be null");
	expect_field_error("any", "must not be null");
	/* Nullable fields accept null. */
	assert_int_equal(check("{\"name\": \"A\", \"tags\": null, "
	                       "\"note\": null}"),
	        ERR_OK);
}

static void
test_any_accepts_every_type(void **state)
{
	static const char *const vals[] = {
	        "1",
	        "1.5",
	        "\"s\"",
	        "true",
	        "false",
	        "[]",
	        "{}",
	};
	char body[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		snprintf(body, sizeof(body), "{\"name\": \"A\", \"any\": %s}",
		        vals[i]);
		assert_int_equal(check(body), ERR_OK);
	}
}

static void
test_string_length_in_code_points(void **state)
{
	(void)state;
	/* name: 1..5 characters. 5 x U+00E9 is 10 bytes but 5 chars. */
	assert_int_equal(check("{\"name\": \"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	                       "\xc3\xa9\"}"),
	        ERR_OK);
	/* 5 x U+1F600 (4 bytes each). */
	assert_int_equal(check("{\"name\": \"\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
	                       "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98"
	                       "\x80\"}"),
	        ERR_OK);
	/* Same via escapes: surrogate pairs count as one character. */
	assert_int_equal(check("{\"name\": \"\\ud83d\\ude00\\ud83d\\ude00"
	                       "\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00\"}"),
	        ERR_OK);
	/* 3 x U+20AC, 2 ASCII. */
	assert_int_equal(check("{\"name\": \"\xe2\x82\xac\xe2\x82\xac\xe2\x82"
	                       "\xac"
	                       "ab\"}"),
	        ERR_OK);
	/* 6 characters is one too many. */
	assert_int_equal(check("{\"name\": \"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	                       "\xc3\xa9\xc3\xa9\"}"),
	        ERR_INVALID);
	expect_field_error("name", "must be at most 5 characters long");
	assert_int_equal(check("{\"name\": \"abcdef\"}"), ERR_INVALID);
	expect_field_error("name", "must be at most 5 characters long");
	/* Too short. */
	assert_int_equal(check("{\"name\": \"\"}"), ERR_INVALID);
	expect_field_error("name", "must be at least 1 characters long");
	/* Escaped ASCII counts once. */
	assert_int_equal(
	        check("{\"name\": \"\\u0041\\n\\t\\\"\\\\\"}"), ERR_OK);
}

static void
test_default_string_cap(void **state)
{
	size_t n = JSONV_DEFAULT_MAX_STRING;
	char *body = malloc(n * 2 + 64);
	size_t off;

	(void)state;
	assert_non_null(body);
	/* note: no max declared, so the default cap applies. */
	off = (size_t)sprintf(body, "{\"name\": \"A\", \"note\": \"");
	memset(body + off, 'x', n);
	strcpy(body + off + n, "\"}");
	assert_int_equal(check(body), ERR_OK);
	off = (size_t)sprintf(body, "{\"name\": \"A\", \"note\": \"");
	memset(body + off, 'x', n + 1);
	strcpy(body + off + n + 1, "\"}");
	assert_int_equal(check(body), ERR_INVALID);
	expect_field_error("note", "must be at most 10000 characters long");
	/* In characters: 10000 two-byte characters are fine. */
	off = (size_t)sprintf(body, "{\"name\": \"A\", \"note\": \"");
	{
		size_t i;

		for (i = 0; i < n; i++)
			memcpy(body + off + 2 * i, "\xc3\xa9", 2);
		strcpy(body + off + 2 * n, "\"}");
	}
	assert_int_equal(check(body), ERR_OK);
	free(body);
}

static void
test_integer_ranges(void **state)
{
	(void)state;
	assert_int_equal(check("{\"name\": \"A\", \"age\": 0}"), ERR_OK);
	assert_int_equal(check("{\"name\": \"A\", \"age\": 150}"), ERR_OK);
	assert_int_equal(check("{\"name\": \"A\", \"age\": -1}"), ERR_INVALID);
	expect_field_error("age", "must be between 0 and 150");
	assert_int_equal(check("{\"name\": \"A\", \"age\": 151}"), ERR_INVALID);
	expect_field_error("age", "must be between 0 and 150");
	assert_int_equal(check("{\"name\": \"A\", \"age\": "
	                       "9223372036854775807}"),
	        ERR_INVALID);
	assert_int_equal(check("{\"name\": \"A\", \"age\": "
	                       "-9223372036854775808}"),
	        ERR_INVALID);
	/* Negative ranges. */
	assert_int_equal(check("{\"name\": \"A\", \"delta\": -10}"), ERR_OK);
	assert_int_equal(check("{\"name\": \"A\", \"delta\": -1}"), ERR_OK);
	assert_int_equal(check("{\"name\": \"A\", \"delta\": 0}"), ERR_INVALID);
	expect_field_error("delta", "must be between -10 and -1");
	assert_int_equal(
	        check("{\"name\": \"A\", \"delta\": -11}"), ERR_INVALID);
	/* min = max = 0: unbounded. */
	assert_int_equal(check("{\"name\": \"A\", \"count\": "
	                       "9223372036854775807}"),
	        ERR_OK);
	assert_int_equal(check("{\"name\": \"A\", \"count\": "
	                       "-9223372036854775808}"),
	        ERR_OK);
}

static void
test_integer_overflow_is_malformed(void **state)
{
	(void)state;
	/* Out of json_int_t range: jansson refuses at parse time. */
	assert_int_equal(
	        parse("{\"count\": 9223372036854775808}"), ERR_BAD_REQUEST);
}

static void
test_many_errors_at_once(void **state)
{
	(void)state;
	assert_int_equal(check("{\"age\": 1000, \"bogus\": 1, \"active\": "
	                       "\"no\"}"),
	        ERR_INVALID);
	assert_int_equal(nerrors(), 4);
	expect_field_error("bogus", "unknown field");
	expect_field_error("name", "is required");
	expect_field_error("age", NULL);
	expect_field_error("active", NULL);
	assert_string_equal(prob.detail, "request body has 4 invalid fields");
}

/* An existing detail is kept; the field errors are still listed. */
static void
test_existing_detail_kept(void **state)
{
	(void)state;
	assert_int_equal(parse("{}"), ERR_OK);
	problem_set(&prob, ERR_INVALID, "custom detail");
	assert_int_equal(jsonv_check(val, &spec, &prob), ERR_INVALID);
	assert_string_equal(prob.detail, "custom detail");
	expect_field_error("name", "is required");
}

/* End to end: the problem renders as a 422 listing every field. */
static void
test_check_renders_problem(void **state)
{
	char *s;
	json_t *o, *errs;

	(void)state;
	assert_int_equal(check("{\"nope\": 1}"), ERR_INVALID);
	s = problem_to_json(&prob, "/v1/x");
	o = json_loads(s, 0, NULL);
	free(s);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "status")), 422);
	assert_string_equal(json_string_value(json_object_get(o, "type")),
	        "urn:participe:problem:validation-failed");
	errs = json_object_get(o, "errors");
	assert_int_equal(json_array_size(errs), 2);
	json_decref(o);
}

static void
test_empty_spec(void **state)
{
	static const struct jsonv_spec none = {NULL, 0};

	(void)state;
	assert_int_equal(parse("{}"), ERR_OK);
	assert_int_equal(jsonv_check(val, &none, &prob), ERR_OK);
	assert_int_equal(parse("{\"a\": 1}"), ERR_OK);
	assert_int_equal(jsonv_check(val, &none, &prob), ERR_INVALID);
	expect_field_error("a", "unknown field");
}

static void
test_utf8_len(void **state)
{
	(void)state;
	assert_int_equal(jsonv_utf8_len("", 0), 0);
	assert_int_equal(jsonv_utf8_len("abc", 3), 3);
	assert_int_equal(jsonv_utf8_len("abc", 2), 2);
	assert_int_equal(jsonv_utf8_len("\xc3\xa9", 2), 1);
	assert_int_equal(jsonv_utf8_len("\xe2\x82\xac", 3), 1);
	assert_int_equal(jsonv_utf8_len("\xf0\x9f\x98\x80", 4), 1);
	assert_int_equal(jsonv_utf8_len("a\xc3\xa9"
	                                "b\xe2\x82\xac"
	                                "c\xf0\x9f\x98\x80",
	                         3 + 4 + 5),
	        6);
	/* Embedded NUL is a character (len, not strlen). */
	assert_int_equal(jsonv_utf8_len("a\0b", 3), 3);
}

static void
test_type_names(void **state)
{
	(void)state;
	assert_string_equal(jsonv_type_name(JV_STRING), "string");
	assert_string_equal(jsonv_type_name(JV_INTEGER), "integer");
	assert_string_equal(jsonv_type_name(JV_NUMBER), "number");
	assert_string_equal(jsonv_type_name(JV_BOOLEAN), "boolean");
	assert_string_equal(jsonv_type_name(JV_OBJECT), "object");
	assert_string_equal(jsonv_type_name(JV_ARRAY), "array");
	assert_string_equal(jsonv_type_name(JV_ANY), "value");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_parse_valid),
	        T(test_parse_respects_length),
	        T(test_duplicate_keys_rejected),
	        T(test_malformed_bodies),
	        T(test_parse_error_detail_renders),
	        T(test_parse_error_detail_survives_rendering),
	        T(test_scalar_body_is_invalid_not_malformed),
	        T(test_non_object_is_invalid),
	        T(test_valid_full_body),
	        T(test_minimal_body),
	        T(test_required_missing),
	        T(test_unknown_fields_named),
	        T(test_unknown_field_with_odd_name),
	        T(test_type_errors),
	        T(test_integer_is_not_real),
	        T(test_null_handling),
	        T(test_any_accepts_every_type),
	        T(test_string_length_in_code_points),
	        T(test_default_string_cap),
	        T(test_integer_ranges),
	        T(test_integer_overflow_is_malformed),
	        T(test_many_errors_at_once),
	        T(test_existing_detail_kept),
	        T(test_check_renders_problem),
	        T(test_empty_spec),
	        T(test_utf8_len),
	        T(test_type_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
