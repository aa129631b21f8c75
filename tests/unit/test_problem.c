/*
 * test_problem.c - the error table, SQLSTATE mapping, problem+json output
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "problem.h"

/* The statuses err.h documents for each code. */
static const struct {
	enum err e;
	int status;
} expected_status[] = {
        {ERR_BAD_REQUEST, 400},
        {ERR_UNAUTHORIZED, 401},
        {ERR_FORBIDDEN, 403},
        {ERR_NOT_FOUND, 404},
        {ERR_METHOD, 405},
        {ERR_CONFLICT, 409},
        {ERR_GONE, 410},
        {ERR_LENGTH_REQUIRED, 411},
        {ERR_TOO_LARGE, 413},
        {ERR_URI_TOO_LONG, 414},
        {ERR_MEDIA_TYPE, 415},
        {ERR_INVALID, 422},
        {ERR_RATE_LIMITED, 429},
        {ERR_HEADERS_TOO_LARGE, 431},
        {ERR_INTERNAL, 500},
        {ERR_NOT_IMPLEMENTED, 501},
        {ERR_UNAVAILABLE, 503},
        {ERR_TIMEOUT, 408},
        {ERR_HTTP_VERSION, 505},
};

#define NEXPECTED (sizeof(expected_status) / sizeof(expected_status[0]))

static void
test_every_error_has_documented_status(void **state)
{
	size_t i;

	(void)state;
	/* The list above covers every code but ERR_OK. */
	assert_int_equal(NEXPECTED, ERR__COUNT - 1);
	for (i = 0; i < NEXPECTED; i++) {
		const struct problem_kind *k =
		        problem_kind(expected_status[i].e);

		assert_non_null(k);
		assert_int_equal(k->status, expected_status[i].status);
	}
}

static int
is_slug(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || *s == '-'))
			return 0;
	return 1;
}

static void
test_statuses_slugs_titles_distinct(void **state)
{
	int i, j;

	(void)state;
	for (i = 1; i < ERR__COUNT; i++) {
		const struct problem_kind *a = problem_kind((enum err)i);

		assert_true(a->status >= 400 && a->status <= 599);
		assert_non_null(a->slug);
		assert_non_null(a->title);
		assert_true(is_slug(a->slug));
		assert_true(strlen(a->title) > 0);
		for (j = i + 1; j < ERR__COUNT; j++) {
			const struct problem_kind *b =
			        problem_kind((enum err)j);

			assert_int_not_equal(a->status, b->status);
			assert_string_not_equal(a->slug, b->slug);
			assert_string_not_equal(a->title, b->title);
		}
	}
}

static void
test_unknown_error_maps_to_internal(void **state)
{
	const struct problem_kind *internal = problem_kind(ERR_INTERNAL);

	(void)state;
	assert_int_equal(internal->status, 500);
	assert_ptr_equal(problem_kind(ERR__COUNT), internal);
	assert_ptr_equal(problem_kind((enum err)(ERR__COUNT + 100)), internal);
	assert_ptr_equal(problem_kind((enum err) - 1), internal);
}

static void
test_status_round_trip(void **state)
{
	int i;

	(void)state;
	for (i = 1; i < ERR__COUNT; i++)
		assert_int_equal(problem_err_from_status(
		                         problem_kind((enum err)i)->status),
		        i);
	assert_int_equal(problem_err_from_status(418), ERR_INTERNAL);
	assert_int_equal(problem_err_from_status(0), ERR_INTERNAL);
	assert_int_equal(problem_err_from_status(-404), ERR_INTERNAL);
	assert_int_equal(problem_err_from_status(999), ERR_INTERNAL);
}

static void
test_sqlstate_custom_pt_codes(void **state)
{
	(void)state;
	assert_int_equal(problem_err_from_sqlstate("PT400"), ERR_BAD_REQUEST);
	assert_int_equal(problem_err_from_sqlstate("PT401"), ERR_UNAUTHORIZED);
	assert_int_equal(problem_err_from_sqlstate("PT403"), ERR_FORBIDDEN);
	assert_int_equal(problem_err_from_sqlstate("PT404"), ERR_NOT_FOUND);
	assert_int_equal(problem_err_from_sqlstate("PT409"), ERR_CONFLICT);
	assert_int_equal(problem_err_from_sqlstate("PT410"), ERR_GONE);
	assert_int_equal(problem_err_from_sqlstate("PT422"), ERR_INVALID);
	assert_int_equal(problem_err_from_sqlstate("PT429"), ERR_RATE_LIMITED);
	assert_int_equal(problem_err_from_sqlstate("PT503"), ERR_UNAVAILABLE);
	/* No such status, or not digits: internal error. */
	assert_int_equal(problem_err_from_sqlstate("PT418"), ERR_INTERNAL);
	assert_int_equal(problem_err_from_sqlstate("PT999"), ERR_INTERNAL);
	assert_int_equal(problem_err_from_sqlstate("PTxyz"), ERR_INTERNAL);
	assert_int_equal(problem_err_from_sqlstate("PT4O4"), ERR_INTERNAL);
	/* Case matters: "pt404" is not one of ours. */
	assert_int_equal(problem_err_from_sqlstate("pt404"), ERR_INTERNAL);
}

static void
test_sqlstate_integrity_and_data(void **state)
{
	(void)state;
	assert_int_equal(problem_err_from_sqlstate("23505"), ERR_CONFLICT);
	assert_int_equal(problem_err_from_sqlstate("23503"), ERR_INVALID);
	assert_int_equal(problem_err_from_sqlstate("23514"), ERR_INVALID);
	assert_int_equal(problem_err_from_sqlstate("23502"), ERR_INVALID);
	assert_int_equal(problem_err_from_sqlstate("22001"), ERR_INVALID);
	assert_int_equal(problem_err_from_sqlstate("22003"), ERR_INVALID);
	assert_int_equal(problem_err_from_sqlstate("22P02"), ERR_INVALID);
	assert_int_equal(problem_err_from_sqlstate("22007"), ERR_INVALID);
}

static void
test_sqlstate_unavailable(void **state)
{
	(void)state;
	assert_int_equal(problem_err_from_sqlstate("08000"), ERR_UNAVAILABLE);
	assert_int_equal(problem_err_from_sqlstate("08003"), ERR_UNAVAILABLE);
	assert_int_equal(problem_err_from_sqlstate("08006"), ERR_UNAVAILABLE);
	assert_int_equal(problem_err_from_sqlstate("08P01"), ERR_UNAVAILABLE);
	assert_int_equal(problem_err_from_sqlstate("57P01"), ERR_UNAVAILABLE);
	assert_int_equal(problem_err_from_sqlstate("57P03"), ERR_UNAVAILABLE);
	assert_int_equal(problem_err_from_sqlstate("57014"), ERR_UNAVAILABLE);
}

static void
test_sqlstate_other_and_malformed(void **state)
{
	(void)state;
	assert_int_equal(problem_err_from_sqlstate("42501"), ERR_FORBIDDEN);
	assert_int_equal(problem_err_from_sqlstate("42P01"), ERR_INTERNAL);
	assert_int_equal(problem_err_from_sqlstate("42601"), ERR_INTERNAL);
	assert_int_equal(problem_err_from_sqlstate("XX000"), ERR_INTERNAL);
	assert_int_equal(problem_err_from_sqlstate("00000"), ERR_INTERNAL);
	assert_int_equal(problem_err_from_sqlstate(NULL), ERR_INTERNAL);
	assert_int_equal(problem_err_from_sqlstate(""), ERR_INTERNAL);
	assert_int_equal(problem_err_from_sqlstate("2350"), ERR_INTERNAL);
	assert_int_equal(problem_err_from_sqlstate("235050"), ERR_INTERNAL);
	assert_int_equal(problem_err_from_sqlstate("PT4040"), ERR_INTERNAL);
	assert_int_equal(problem_err_from_sqlstate("08"), ERR_INTERNAL);
	/* Prefix classes are whole five-character codes only. */
	assert_int_equal(problem_err_from_sqlstate("2350 "), ERR_INTERNAL);
}

/* Parses the rendered body; fails the test when it is not an object. */
static json_t *
render(const struct problem *p, const char *instance)
{
	char *s = problem_to_json(p, instance);
	json_error_t je;
	json_t *o;

	assert_non_null(s);
	o = json_loads(s, 0, &je);
	if (o == NULL)
		fail_msg("problem_to_json gave invalid JSON: %s (%s)", s,
		        je.text);
	free(s);
	assert_true(json_is_object(o));
	return o;
}

static const char *
get_str(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	if (v == NULL)
		return NULL;
	assert_true(json_is_string(v));
	return json_string_value(v);
}

static void
test_to_json_exact_compact_output(void **state)
{
	struct problem p;
	char *s;

	(void)state;
	memset(&p, 0, sizeof(p));
	problem_set(&p, ERR_NOT_FOUND, "no collectivity %d", 42);
	s = problem_to_json(&p, "/v1/collectivities/42");
	assert_string_equal(s, "{\"type\":\"urn:participe:problem:not-found\","
	                       "\"title\":\"Not found\",\"status\":404,"
	                       "\"detail\":\"no collectivity 42\","
	                       "\"instance\":\"/v1/collectivities/42\"}");
	free(s);
	problem_clear(&p);
}

static void
test_to_json_every_kind(void **state)
{
	int i;

	(void)state;
	for (i = 1; i < ERR__COUNT; i++) {
		struct problem p;
		const struct problem_kind *k = problem_kind((enum err)i);
		char want_type[128];
		json_t *o;

		memset(&p, 0, sizeof(p));
		p.err = (enum err)i;
		o = render(&p, NULL);
		snprintf(want_type, sizeof(want_type), "%s%s",
		        PROBLEM_TYPE_PREFIX, k->slug);
		assert_string_equal(get_str(o, "type"), want_type);
		assert_string_equal(get_str(o, "title"), k->title);
		assert_true(json_is_integer(json_object_get(o, "status")));
		assert_int_equal(
		        json_integer_value(json_object_get(o, "status")),
		        k->status);
		/* No detail, instance or errors when not set. */
		assert_null(json_object_get(o, "detail"));
		assert_null(json_object_get(o, "instance"));
		assert_null(json_object_get(o, "errors"));
		assert_int_equal(json_object_size(o), 3);
		json_decref(o);
	}
}

static void
test_to_json_unknown_err_renders_internal(void **state)
{
	struct problem p;
	json_t *o;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.err = (enum err)(ERR__COUNT + 3);
	o = render(&p, NULL);
	assert_string_equal(
	        get_str(o, "type"), "urn:participe:problem:internal-error");
	assert_int_equal(json_integer_value(json_object_get(o, "status")), 500);
	json_decref(o);
}

static void
test_field_errors(void **state)
{
	struct problem p;
	json_t *o, *errs, *e;

	(void)state;
	memset(&p, 0, sizeof(p));
	problem_add_field(&p, "name", "must be at most %d characters", 80);
	/* Adding a field error turns an OK problem into a validation one. */
	assert_int_equal(p.err, ERR_INVALID);
	problem_add_field(&p, "age", "must be an integer");
	problem_set(&p, ERR_INVALID, "request body has %d invalid fields", 2);
	o = render(&p, NULL);
	assert_int_equal(json_integer_value(json_object_get(o, "status")), 422);
	assert_string_equal(
	        get_str(o, "detail"), "request body has 2 invalid fields");
	errs = json_object_get(o, "errors");
	assert_true(json_is_array(errs));
	assert_int_equal(json_array_size(errs), 2);
	e = json_array_get(errs, 0);
	assert_string_equal(get_str(e, "field"), "name");
	assert_string_equal(
	        get_str(e, "message"), "must be at most 80 characters");
	assert_int_equal(json_object_size(e), 2);
	e = json_array_get(errs, 1);
	assert_string_equal(get_str(e, "field"), "age");
	assert_string_equal(get_str(e, "message"), "must be an integer");
	json_decref(o);

	/* Rendering does not consume the errors: a second render agrees. */
	o = render(&p, "/x");
	assert_int_equal(json_array_size(json_object_get(o, "errors")), 2);
	assert_string_equal(get_str(o, "instance"), "/x");
	json_decref(o);
	problem_clear(&p);
	assert_null(p.errors);
	assert_int_equal(p.err, ERR_OK);
	assert_string_equal(p.detail, "");
}

static void
test_field_error_keeps_existing_err(void **state)
{
	struct problem p;

	(void)state;
	memset(&p, 0, sizeof(p));
	problem_set(&p, ERR_CONFLICT, "already taken");
	problem_add_field(&p, "email", "is already registered");
	assert_int_equal(p.err, ERR_CONFLICT);
	problem_clear(&p);
}

static void
test_empty_errors_array_is_omitted(void **state)
{
	struct problem p;
	json_t *o;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.err = ERR_INVALID;
	p.errors = json_array();
	o = render(&p, NULL);
	assert_null(json_object_get(o, "errors"));
	json_decref(o);
	problem_clear(&p);
}

static void
test_detail_escaping_round_trips(void **state)
{
	struct problem p;
	const char *nasty = "quote \" backslash \\ newline \n tab \t "
	                    "ctl \x01 slash / utf8 \xc3\xa9\xe2\x82\xac";
	json_t *o;

	(void)state;
	memset(&p, 0, sizeof(p));
	problem_set(&p, ERR_BAD_REQUEST, "%s", nasty);
	problem_add_field(&p, "a\"b", "%s", nasty);
	o = render(&p, "/path?\"x\"");
	assert_string_equal(get_str(o, "detail"), nasty);
	assert_string_equal(get_str(o, "instance"), "/path?\"x\"");
	assert_string_equal(
	        get_str(json_array_get(json_object_get(o, "errors"), 0),
	                "field"),
	        "a\"b");
	json_decref(o);
	problem_clear(&p);
}

static void
test_set_null_format_clears_detail(void **state)
{
	struct problem p;
	json_t *o;

	(void)state;
	memset(&p, 0, sizeof(p));
	problem_set(&p, ERR_GONE, "was %s", "here");
	problem_set(&p, ERR_FORBIDDEN, NULL);
	assert_int_equal(p.err, ERR_FORBIDDEN);
	assert_string_equal(p.detail, "");
	o = render(&p, NULL);
	assert_null(json_object_get(o, "detail"));
	json_decref(o);
}

static void
test_long_ascii_detail_truncated(void **state)
{
	struct problem p;
	char big[1000];
	json_t *o;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memset(&p, 0, sizeof(p));
	problem_set(&p, ERR_BAD_REQUEST, "%s", big);
	assert_int_equal(strlen(p.detail), sizeof(p.detail) - 1);
	o = render(&p, NULL);
	assert_int_equal(strlen(get_str(o, "detail")), sizeof(p.detail) - 1);
	json_decref(o);
}

/*
 * A detail longer than the 256-byte buffer that holds multi-byte UTF-8 is
 * cut by vsnprintf in the middle of a character; the rendered problem
 * must still carry a (valid UTF-8) detail rather than silently lose it.
 */
static void
test_long_utf8_detail_not_lost(void **state)
{
	struct problem p;
	char big[2 * 200 + 1];
	char got[512] = "";
	int has_detail, prefix_ok = 0;
	json_t *o;
	int i;

	(void)state;
	for (i = 0; i < 200; i++)
		memcpy(big + 2 * i, "\xc3\xa9", 2); /* 200 x U+00E9 */
	big[400] = '\0';
	memset(&p, 0, sizeof(p));
	problem_set(&p, ERR_INVALID, "%s", big);
	o = render(&p, NULL);
	has_detail = json_is_string(json_object_get(o, "detail"));
	if (has_detail) {
		snprintf(got, sizeof(got), "%s", get_str(o, "detail"));
		prefix_ok =
		        strlen(got) > 200 && memcmp(got, big, strlen(got)) == 0;
	}
	json_decref(o);
	if (!has_detail)
		fail_msg("detail of 400 bytes of U+00E9 was dropped from the "
		         "problem (cut to %zu bytes, mid-character)",
		        strlen(p.detail));
	assert_true(prefix_ok);
}

/* Same for a field message over 255 bytes: the entry must not vanish. */
static void
test_long_utf8_field_message_not_lost(void **state)
{
	struct problem p;
	char big[2 * 200 + 1];
	size_t nerr;
	json_t *o;
	int i;

	(void)state;
	for (i = 0; i < 200; i++)
		memcpy(big + 2 * i, "\xc3\xa9", 2);
	big[400] = '\0';
	memset(&p, 0, sizeof(p));
	problem_add_field(&p, "name", "%s", big);
	o = render(&p, NULL);
	nerr = json_array_size(json_object_get(o, "errors"));
	json_decref(o);
	problem_clear(&p);
	if (nerr != 1)
		fail_msg("field error with a 400-byte UTF-8 message: %zu "
		         "entries rendered, want 1",
		        nerr);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_every_error_has_documented_status),
	        cmocka_unit_test(test_statuses_slugs_titles_distinct),
	        cmocka_unit_test(test_unknown_error_maps_to_internal),
	        cmocka_unit_test(test_status_round_trip),
	        cmocka_unit_test(test_sqlstate_custom_pt_codes),
	        cmocka_unit_test(test_sqlstate_integrity_and_data),
	        cmocka_unit_test(test_sqlstate_unavailable),
	        cmocka_unit_test(test_sqlstate_other_and_malformed),
	        cmocka_unit_test(test_to_json_exact_compact_output),
	        cmocka_unit_test(test_to_json_every_kind),
	        cmocka_unit_test(test_to_json_unknown_err_renders_internal),
	        cmocka_unit_test(test_field_errors),
	        cmocka_unit_test(test_field_error_keeps_existing_err),
	        cmocka_unit_test(test_empty_errors_array_is_omitted),
	        cmocka_unit_test(test_detail_escaping_round_trips),
	        cmocka_unit_test(test_set_null_format_clears_detail),
	        cmocka_unit_test(test_long_ascii_detail_truncated),
	        cmocka_unit_test(test_long_utf8_detail_not_lost),
	        cmocka_unit_test(test_long_utf8_field_message_not_lost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
