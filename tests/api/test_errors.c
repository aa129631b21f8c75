/*
 * test_errors.c - every error is RFC 9457 problem+json: one request per
 * error class the server can be made to produce, each checked for the
 * same shape (Content-Type, type URI, title, status == HTTP status,
 * detail, instance, errors) and for consistent titles per type.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "client.h"

/* check() reporting the caller's file and line. */
#define check_at(file, line, cond, ...)                                        \
	do {                                                                   \
		if (!(cond))                                                   \
			check_fail_(file, line, __VA_ARGS__);                  \
	} while (0)

/* Titles seen so far, by problem type: a type has one title. */
static json_t *titles;

/* Check the problem of r in depth and return its parsed body. path is the
 * request's path (with its query string, if any). */
#define deep_problem(r, st, slug, path)                                        \
	deep_problem_((r), (st), (slug), (path), __FILE__, __LINE__)
static json_t *
deep_problem_(struct http_resp *r, int status, const char *slug,
        const char *path, const char *file, int line)
{
	json_t *p = check_problem_(r, status, slug, file, line);
	const char *type = json_string_value(json_object_get(p, "type"));
	const char *title = json_string_value(json_object_get(p, "title"));
	json_t *detail = json_object_get(p, "detail");
	json_t *instance = json_object_get(p, "instance");
	json_t *seen = json_object_get(titles, type);

	check_at(file, line,
	        json_is_string(detail) && json_string_length(detail) > 0,
	        "%d problem for %s: detail should be a non-empty string",
	        status, path);
	if (instance != NULL) {
		const char *q = strchr(path, '?');
		size_t plen = q != NULL ? (size_t)(q - path) : strlen(path);

		check_at(file, line,
		        json_string_length(instance) == plen &&
		                strncmp(json_string_value(instance), path,
		                        plen) == 0,
		        "%d problem: instance \"%s\" should be the request "
		        "path "
		        "%.*s, without the query string",
		        status, json_string_value(instance), (int)plen, path);
	}
	if (status != 422)
		check_at(file, line, json_object_get(p, "errors") == NULL,
		        "%d problem: unexpected errors member", status);
	if (seen != NULL)
		check_at(file, line,
		        strcmp(json_string_value(seen), title) == 0,
		        "problem type %s has two titles: \"%s\" and \"%s\"",
		        type, json_string_value(seen), title);
	else
		json_object_set_new(titles, type, json_string(title));
	return p;
}

static int
group_setup(void **state)
{
	(void)state;
	titles = json_object();
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	json_decref(titles);
	return 0;
}

static void
test_400_bad_request(void **state)
{
	struct http_resp *r;

	(void)state;
	r = http_get("/v1/collectivities/%zz");
	json_decref(
	        deep_problem(r, 400, "bad-request", "/v1/collectivities/%zz"));
	http_resp_free(r);
	r = http_post_json("/v1/collectivities", NULL, "{\"slug\":");
	json_decref(deep_problem(r, 400, "bad-request", "/v1/collectivities"));
	http_resp_free(r);
	r = http_post_json("/v1/collectivities", NULL,
	        "{\"slug\":\"a-b\",\"slug\":\"c-d\"}");
	json_decref(deep_problem(r, 400, "bad-request", "/v1/collectivities"));
	http_resp_free(r);
}

static void
test_401_unauthorized(void **state)
{
	static const char body[] = "{\"slug\":\"errors-401\",\"name\":\"E\","
	                           "\"kind\":\"other\"}";
	struct http_resp *r;
	const char *www;

	(void)state;
	r = http_post_json("/v1/collectivities", NULL, body);
	json_decref(deep_problem(r, 401, "unauthorized", "/v1/collectivities"));
	www = http_resp_header(r, "www-authenticate");
	check(www != NULL && strncasecmp(www, "Bearer", 6) == 0 &&
	                (www[6] == '\0' || www[6] == ' '),
	        "401 must carry WWW-Authenticate: Bearer, got %s",
	        www != NULL ? www : "(none)");
	http_resp_free(r);
	/* a well-formed token that is not known: decided in SQL */
	r = http_post_json("/v1/collectivities",
	        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", body);
	json_decref(deep_problem(r, 401, "unauthorized", "/v1/collectivities"));
	check(http_resp_header(r, "www-authenticate") != NULL,
	        "401 for an unknown token must carry WWW-Authenticate");
	http_resp_free(r);
}

static void
test_404_not_found(void **state)
{
	struct http_resp *r;

	(void)state;
	/* from the router */
	r = http_get("/no/such/path?x=1");
	json_decref(deep_problem(r, 404, "not-found", "/no/such/path?x=1"));
	http_resp_free(r);
	/* from the database */
	r = http_get("/v1/collectivities/no-such-collectivity");
	json_decref(deep_problem(r, 404, "not-found",
	        "/v1/collectivities/no-such-collectivity"));
	http_resp_free(r);
}

static void
test_405_method_not_allowed(void **state)
{
	struct http_resp *r;

	(void)state;
	r = http_request(
	        "DELETE", "/v1/collectivities/bourg-en-lys", NULL, NULL, 0);
	json_decref(deep_problem(r, 405, "method-not-allowed",
	        "/v1/collectivities/bourg-en-lys"));
	check(http_resp_header(r, "allow") != NULL, "405 without Allow");
	http_resp_free(r);
}

static void
test_409_conflict(void **state)
{
	struct http_resp *r;

	(void)state;
	r = http_post_json("/v1/collectivities", http_admin_token(),
	        "{\"slug\":\"bourg-en-lys\",\"name\":\"Again\","
	        "\"kind\":\"commune\"}");
	json_decref(deep_problem(r, 409, "conflict", "/v1/collectivities"));
	http_resp_free(r);
}

static void
test_413_content_too_large(void **state)
{
	long max = http_env_long("PARTICIPE_TEST_MAX_BODY", 65536);
	char *body = malloc((size_t)max + 2);
	struct http_resp *r;

	(void)state;
	assert_non_null(body);
	memset(body, ' ', (size_t)max + 1);
	body[0] = '{';
	body[max] = '}';
	r = http_request("POST", "/v1/collectivities",
	        "Content-Type: application/json\r\n", body, (size_t)max + 1);
	free(body);
	json_decref(deep_problem(
	        r, 413, "content-too-large", "/v1/collectivities"));
	http_resp_free(r);
}

static void
test_415_unsupported_media_type(void **state)
{
	struct http_resp *r;

	(void)state;
	r = http_request("POST", "/v1/collectivities",
	        "Content-Type: text/plain\r\n", "{}", 2);
	json_decref(deep_problem(
	        r, 415, "unsupported-media-type", "/v1/collectivities"));
	http_resp_free(r);
}

static void
test_422_validation_failed(void **state)
{
	struct http_resp *r;
	json_t *p;

	(void)state;
	/* from the JSON body checks */
	r = http_post_json("/v1/collectivities", NULL,
	        "{\"slug\":\"errors-422\",\"name\":\"E\",\"kind\":\"other\","
	        "\"evil\":1}");
	p = deep_problem(r, 422, "validation-failed", "/v1/collectivities");
	check(json_array_size(json_object_get(p, "errors")) == 1,
	        "one unknown field: exactly one error");
	check_problem_field(p, "evil", "unknown field");
	json_decref(p);
	http_resp_free(r);
	/* from the query string */
	r = http_get("/v1/collectivities?limit=0");
	p = deep_problem(
	        r, 422, "validation-failed", "/v1/collectivities?limit=0");
	check_problem_field(p, "limit", NULL);
	json_decref(p);
	http_resp_free(r);
	/* from the database (slug pattern, kind enum) */
	r = http_post_json("/v1/collectivities", http_admin_token(),
	        "{\"slug\":\"Not A Slug\",\"name\":\"E\",\"kind\":\"city\"}");
	p = deep_problem(r, 422, "validation-failed", "/v1/collectivities");
	check_problem_field(p, "slug", NULL);
	check_problem_field(p, "kind", NULL);
	json_decref(p);
	http_resp_free(r);
}

static void
test_431_header_fields_too_large(void **state)
{
	size_t n = 20 * 1024, h;
	char *req = malloc(n + 1);
	struct http_resp *r;
	struct http_conn *c;
	json_t *p;

	(void)state;
	assert_non_null(req);
	h = (size_t)sprintf(req, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ");
	memset(req + h, 'p', n - h - 4);
	memcpy(req + n - 4, "\r\n\r\n", 4);
	c = conn_open();
	assert_non_null(c);
	(void)conn_send(c, req, n);
	free(req);
	r = conn_read(c);
	conn_close(c);
	p = deep_problem(r, 431, "header-fields-too-large", "/healthz");
	json_decref(p);
	http_resp_free(r);
}

static void
test_501_not_implemented(void **state)
{
	struct http_resp *r;

	(void)state;
	r = http_request("BREW", "/healthz", NULL, NULL, 0);
	json_decref(deep_problem(r, 501, "not-implemented", "/healthz"));
	http_resp_free(r);
}

static void
test_505_http_version(void **state)
{
	struct http_conn *c;
	struct http_resp *r;

	(void)state;
	c = conn_open();
	assert_non_null(c);
	assert_int_equal(conn_send_str(c, "GET /healthz HTTP/2.0\r\nHost: x\r\n"
	                                  "\r\n"),
	        0);
	r = conn_read(c);
	conn_close(c);
	json_decref(
	        deep_problem(r, 505, "http-version-not-supported", "/healthz"));
	http_resp_free(r);
}

/* Two different occurrences of one type share its title; different types
 * have different titles. */
static void
test_titles_consistent(void **state)
{
	const char *type, *other_type;
	json_t *title, *other;
	size_t n = 0;

	(void)state;
	json_object_foreach(titles, type, title)
	{
		n++;
		json_object_foreach(titles, other_type, other)
		{
			if (strcmp(type, other_type) != 0)
				check(strcmp(json_string_value(title),
				              json_string_value(other)) != 0,
				        "types %s and %s share the title "
				        "\"%s\"",
				        type, other_type,
				        json_string_value(title));
		}
	}
	check(n >= 8, "only %zu problem types were seen", n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_400_bad_request),
	        cmocka_unit_test(test_401_unauthorized),
	        cmocka_unit_test(test_404_not_found),
	        cmocka_unit_test(test_405_method_not_allowed),
	        cmocka_unit_test(test_409_conflict),
	        cmocka_unit_test(test_413_content_too_large),
	        cmocka_unit_test(test_415_unsupported_media_type),
	        cmocka_unit_test(test_422_validation_failed),
	        cmocka_unit_test(test_431_header_fields_too_large),
	        cmocka_unit_test(test_501_not_implemented),
	        cmocka_unit_test(test_505_http_version),
	        cmocka_unit_test(test_titles_consistent),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
