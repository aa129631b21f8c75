/*
 * test_http.c - the HTTP/1.1 layer, black-box: framing, limits, timeouts,
 * keep-alive, pipelining, methods, request ids.
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

/* The server's limits, as tests/run.sh configured them. */
static long max_body;
static long read_timeout_ms;

/* Send raw bytes on a fresh connection and read one response. When closed
 * is not NULL, also wait up to 1.5 s for the server to close and store
 * whether it did. */
static struct http_resp *
raw_exchange(const char *bytes, size_t n, int *closed)
{
	struct http_conn *c = conn_open();
	struct http_resp *r;

	if (c == NULL)
		return NULL;
	(void)conn_send(c, bytes, n);
	r = conn_read(c);
	if (r == NULL)
		fprintf(stderr, "  raw request: %s\n", http_err_name(c->err));
	if (closed != NULL)
		*closed = r != NULL && conn_wait_closed(c, 1500) == 1;
	conn_close(c);
	return r;
}

static struct http_resp *
raw(const char *bytes, int *closed)
{
	return raw_exchange(bytes, strlen(bytes), closed);
}

/* Whether an Allow value lists exactly the methods in want (a
 * comma-separated list), OPTIONS being tolerated in addition. */
static int
allow_is(const char *allow, const char *want)
{
	char buf[256], *save = NULL, *tok;
	int n_allow = 0, n_want = 0, options = 0;

	if (allow == NULL)
		return 0;
	snprintf(buf, sizeof(buf), "%s", want);
	for (tok = strtok_r(buf, ", ", &save); tok != NULL;
	        tok = strtok_r(NULL, ", ", &save)) {
		if (!http_list_has(allow, tok))
			return 0;
		n_want++;
	}
	snprintf(buf, sizeof(buf), "%s", allow);
	save = NULL;
	for (tok = strtok_r(buf, ", ", &save); tok != NULL;
	        tok = strtok_r(NULL, ", ", &save)) {
		if (strcmp(tok, "OPTIONS") == 0)
			options = 1;
		n_allow++;
	}
	return n_allow == n_want + options;
}

static int
group_setup(void **state)
{
	(void)state;
	max_body = http_env_long("PARTICIPE_TEST_MAX_BODY", 65536);
	read_timeout_ms = http_env_long("PARTICIPE_TEST_READ_TIMEOUT_MS", 2000);
	return 0;
}

/* ---- basics ---- */

static void
test_healthz_common_headers(void **state)
{
	struct http_resp *r;

	(void)state;
	r = http_get("/healthz");
	check_status(r, 200);
	check_common_headers(r, 0);
	check(http_resp_header(r, "content-type") != NULL &&
	                strncasecmp(http_resp_header(r, "content-type"),
	                        "application/json", 16) == 0,
	        "healthz Content-Type should be application/json");
	check(strcmp(r->version, "HTTP/1.1") == 0, "status line version %s",
	        r->version);
	http_resp_free(r);
}

static void
test_request_id_echoed(void **state)
{
	static const char *ids[] = {
	        "a",
	        "abc-123",
	        "Req.1_2:3-4",
	        /* 64 characters, every allowed class */
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	        "._",
	        "0123456789012345678901234567890123456789012345678901234567890:"
	        "-",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		char extra[128];
		struct http_resp *r;

		snprintf(extra, sizeof(extra), "X-Request-Id: %s\r\n", ids[i]);
		r = http_request("GET", "/healthz", extra, NULL, 0);
		check_status(r, 200);
		check(http_resp_header(r, "x-request-id") != NULL &&
		                strcmp(http_resp_header(r, "x-request-id"),
		                        ids[i]) == 0,
		        "X-Request-Id %s should be echoed, got %s", ids[i],
		        http_resp_header(r, "x-request-id"));
		http_resp_free(r);
	}
	/* also on an error response */
	{
		struct http_resp *r = http_request("GET", "/no-such-path",
		        "X-Request-Id: err-42\r\n", NULL, 0);

		check_status(r, 404);
		check(strcmp(http_resp_header(r, "x-request-id"), "err-42") ==
		                0,
		        "X-Request-Id should be echoed on a 404 too");
		http_resp_free(r);
	}
}

static int
is_generated_id(const char *v)
{
	size_t i;

	if (v == NULL || strlen(v) != 24)
		return 0;
	for (i = 0; i < 24; i++)
		if (!((v[i] >= '0' && v[i] <= '9') ||
		            (v[i] >= 'a' && v[i] <= 'f')))
			return 0;
	return 1;
}

static void
test_request_id_generated(void **state)
{
	static const char *bad[] = {
	        "X-Request-Id: \r\n",
	        "X-Request-Id: has space\r\n",
	        "X-Request-Id: slash/no\r\n",
	        "X-Request-Id: <script>\r\n",
	        "X-Request-Id: caf\xc3\xa9\r\n",
	        /* 65 characters */
	        "X-Request-Id: "
	        "01234567890123456789012345678901234567890123456789012345678901"
	        "234"
	        "\r\n",
	};
	struct http_resp *a, *b;
	size_t i;

	(void)state;
	a = http_get("/healthz");
	b = http_get("/healthz");
	check_status(a, 200);
	check_status(b, 200);
	check(is_generated_id(http_resp_header(a, "x-request-id")),
	        "generated X-Request-Id should be 24 lowercase hex chars: %s",
	        http_resp_header(a, "x-request-id"));
	check(is_generated_id(http_resp_header(b, "x-request-id")),
	        "generated X-Request-Id should be 24 lowercase hex chars: %s",
	        http_resp_header(b, "x-request-id"));
	check(strcmp(http_resp_header(a, "x-request-id"),
	              http_resp_header(b, "x-request-id")) != 0,
	        "two requests got the same generated X-Request-Id");
	http_resp_free(a);
	http_resp_free(b);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct http_resp *r =
		        http_request("GET", "/healthz", bad[i], NULL, 0);

		check_status(r, 200);
		check(is_generated_id(http_resp_header(r, "x-request-id")),
		        "ill-formed id (%.*s) should be replaced by a "
		        "generated one, got %s",
		        (int)strlen(bad[i]) - 2, bad[i],
		        http_resp_header(r, "x-request-id"));
		http_resp_free(r);
	}
}

/* Errors found before a request head is complete or parsed still carry a
 * generated X-Request-Id (and the other common headers). */
static void
test_request_id_on_early_errors(void **state)
{
	static const struct {
		int status;
		const char *bytes;
	} cases[] = {
	        {400, "GET /healthz\r\nHost: x\r\n\r\n"},
	        {400, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: b\r\n c\r\n"
	              "\r\n"},
	        {400, "GET /healthz HTTP/1.1\r\n\r\n"},
	        {505, "GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n"},
	        {501, "POST /v1/collectivities HTTP/1.1\r\nHost: x\r\n"
	              "Transfer-Encoding: gzip\r\n\r\n"},
	        {400, "POST /v1/collectivities HTTP/1.1\r\nHost: x\r\n"
	              "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{} "},
	};
	struct http_resp *r[sizeof(cases) / sizeof(cases[0])];
	size_t i;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r[i] = raw(cases[i].bytes, NULL);
		check_status(r[i], cases[i].status);
		if (!is_generated_id(http_resp_header(r[i], "x-request-id"))) {
			fprintf(stderr,
			        "  %d for \"%.*s...\": X-Request-Id is "
			        "\"%s\"\n",
			        r[i]->status,
			        (int)strcspn(cases[i].bytes, "\r\n"),
			        cases[i].bytes,
			        http_resp_header(r[i], "x-request-id") != NULL
			                ? http_resp_header(r[i], "x-request-id")
			                : "(none)");
			bad++;
		}
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		http_resp_free(r[i]);
	check(bad == 0,
	        "%d of %zu early error responses lack a generated "
	        "X-Request-Id (24 hex chars)",
	        bad, sizeof(cases) / sizeof(cases[0]));
}

/* ---- routing and methods ---- */

static void
test_unknown_path_404(void **state)
{
	static const char *paths[] = {"/nope", "/v1", "/v1/collectivitiesx",
	        "/v1/collectivities/bourg-en-lys/extra", "/healthz/x"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct http_resp *r = http_get(paths[i]);
		json_t *p = check_problem(r, 404, "not-found");

		json_decref(p);
		http_resp_free(r);
	}
}

static void
test_wrong_method_405(void **state)
{
	static const struct {
		const char *method, *path, *allow;
	} cases[] = {
	        {"POST", "/healthz", "GET, HEAD"},
	        {"DELETE", "/readyz", "GET, HEAD"},
	        {"PUT", "/metrics", "GET, HEAD"},
	        {"DELETE", "/v1/collectivities", "GET, HEAD, POST"},
	        {"PUT", "/v1/collectivities", "GET, HEAD, POST"},
	        {"PUT", "/v1/collectivities/bourg-en-lys", "GET, HEAD, PATCH"},
	        {"POST", "/v1/collectivities/bourg-en-lys", "GET, HEAD, PATCH"},
	        {"DELETE", "/v1/collectivities/bourg-en-lys/audit",
	                "GET, HEAD"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct http_resp *r = http_request(
		        cases[i].method, cases[i].path, NULL, "", 0);
		json_t *p = check_problem(r, 405, "method-not-allowed");

		check(allow_is(http_resp_header(r, "allow"), cases[i].allow),
		        "%s %s: Allow should be \"%s\", got \"%s\"",
		        cases[i].method, cases[i].path, cases[i].allow,
		        http_resp_header(r, "allow"));
		json_decref(p);
		http_resp_free(r);
	}
}

static void
test_options_204(void **state)
{
	struct http_conn *c;
	struct http_resp *r;

	(void)state;
	/* OPTIONS then GET on one connection: the 204 must have no body */
	c = conn_open();
	assert_non_null(c);
	assert_int_equal(
	        conn_send_str(c, "OPTIONS /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
	                         "GET /healthz HTTP/1.1\r\nHost: x\r\n"
	                         "X-Request-Id: after-options\r\n\r\n"),
	        0);
	r = conn_read(c);
	check_status(r, 204);
	check_common_headers(r, 0);
	check(allow_is(http_resp_header(r, "allow"), "GET, HEAD"),
	        "OPTIONS /healthz: Allow should be GET, HEAD, got %s",
	        http_resp_header(r, "allow"));
	check(http_resp_header(r, "content-length") == NULL ||
	                strcmp(http_resp_header(r, "content-length"), "0") == 0,
	        "a 204 has no content");
	http_resp_free(r);
	r = conn_read(c);
	check_status(r, 200);
	check(strcmp(r->body, "{\"status\":\"ok\"}") == 0 &&
	                strcmp(http_resp_header(r, "x-request-id"),
	                        "after-options") == 0,
	        "the response after a 204 is misframed");
	http_resp_free(r);
	conn_close(c);

	r = http_request("OPTIONS", "/v1/collectivities", NULL, NULL, 0);
	check_status(r, 204);
	check(allow_is(http_resp_header(r, "allow"), "GET, HEAD, POST"),
	        "OPTIONS /v1/collectivities: Allow should be GET, HEAD, POST, "
	        "got %s",
	        http_resp_header(r, "allow"));
	http_resp_free(r);

	r = http_request(
	        "OPTIONS", "/v1/collectivities/bourg-en-lys", NULL, NULL, 0);
	check_status(r, 204);
	check(allow_is(http_resp_header(r, "allow"), "GET, HEAD, PATCH"),
	        "OPTIONS /v1/collectivities/{cid}: Allow should be GET, HEAD, "
	        "PATCH, got %s",
	        http_resp_header(r, "allow"));
	http_resp_free(r);

	r = http_request("OPTIONS", "/nope", NULL, NULL, 0);
	json_decref(check_problem(r, 404, "not-found"));
	http_resp_free(r);
}

/* HEAD of path answers GET's status and headers, without the body. */
static void
check_head_like_get(const char *path)
{
	static const char *same[] = {"content-length", "content-type", "link",
	        "allow", "x-content-type-options"};
	char req[512];
	struct http_conn *c = conn_open();
	struct http_resp *h, *g;
	size_t i;

	assert_non_null(c);
	/* HEAD then GET on one connection: any HEAD body would misframe */
	snprintf(req, sizeof(req),
	        "HEAD %s HTTP/1.1\r\nHost: x\r\n\r\n"
	        "GET %s HTTP/1.1\r\nHost: x\r\nX-Request-Id: get-after-head"
	        "\r\n\r\n",
	        path, path);
	assert_int_equal(conn_send_str(c, req), 0);
	h = conn_read_ex(c, HTTP_READ_NO_BODY);
	check(h != NULL, "HEAD %s: %s", path, http_err_name(c->err));
	g = conn_read(c);
	check(g != NULL, "GET after HEAD %s: %s", path, http_err_name(c->err));
	check(strcmp(http_resp_header(g, "x-request-id"), "get-after-head") ==
	                0,
	        "HEAD %s sent a body: the next response is misframed", path);
	check(h->status == g->status, "HEAD %s: %d, GET: %d", path, h->status,
	        g->status);
	check_common_headers(h, 1);
	check_common_headers(g, 0);
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		const char *hv = http_resp_header(h, same[i]);
		const char *gv = http_resp_header(g, same[i]);

		check((hv == NULL && gv == NULL) ||
		                (hv != NULL && gv != NULL &&
		                        strcmp(hv, gv) == 0),
		        "HEAD %s: %s is \"%s\", GET has \"%s\"", path, same[i],
		        hv != NULL ? hv : "(none)", gv != NULL ? gv : "(none)");
	}
	conn_wait_readable(c, 200);
	check(conn_pending(c) == 0, "HEAD %s: %zu stray bytes after GET", path,
	        conn_pending(c));
	http_resp_free(h);
	http_resp_free(g);
	conn_close(c);
}

static void
test_head_like_get(void **state)
{
	(void)state;
	check_head_like_get("/healthz");
	check_head_like_get("/readyz");
	check_head_like_get("/v1/collectivities?limit=2");
	check_head_like_get("/v1/collectivities/bourg-en-lys");
	check_head_like_get("/v1/collectivities/no-such-collectivity");
	check_head_like_get("/nope");
}

static void
test_unknown_method_501(void **state)
{
	struct http_resp *r;

	(void)state;
	r = http_request("BREW", "/healthz", NULL, NULL, 0);
	json_decref(check_problem(r, 501, "not-implemented"));
	http_resp_free(r);
	r = http_request("BREW", "/v1/collectivities", NULL, NULL, 0);
	json_decref(check_problem(r, 501, "not-implemented"));
	http_resp_free(r);
}

/* ---- malformed requests ---- */

static void
test_malformed_request_line_400(void **state)
{
	static const char *bad[] = {
	        "GET /healthz\r\nHost: x\r\n\r\n",
	        "GET  /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
	        "GET /healthz  HTTP/1.1\r\nHost: x\r\n\r\n",
	        "GET /healthz HTTP/1.1 extra\r\nHost: x\r\n\r\n",
	        "GET /healthz HTTP/1.1\nHost: x\r\n\r\n",
	        " GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
	        "GET healthz HTTP/1.1\r\nHost: x\r\n\r\n",
	        "GET /healthz FTP/1.1\r\nHost: x\r\n\r\n",
	        "GET /healthz HTTP/x.y\r\nHost: x\r\n\r\n",
	        "\x01\x02\x03 / HTTP/1.1\r\nHost: x\r\n\r\n",
	        "GET /hea\x7fz HTTP/1.1\r\nHost: x\r\n\r\n",
	};
	struct http_resp *r[sizeof(bad) / sizeof(bad[0])];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int closed = 0;

		r[i] = raw(bad[i], &closed);
		if (r[i] == NULL || r[i]->status != 400)
			fprintf(stderr, "  request #%zu: %.*s\n", i,
			        (int)strcspn(bad[i], "\r\n"), bad[i]);
		json_decref(check_problem_body(r[i], 400, "bad-request"));
		check(closed,
		        "request line #%zu: connection should close "
		        "after a 400 on an unparseable request",
		        i);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		check_common_headers(r[i], 0);
		http_resp_free(r[i]);
	}
}

static void
test_malformed_headers_400(void **state)
{
	static const char *bad[] = {
	        /* obs-fold */
	        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: b\r\n c\r\n\r\n",
	        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: b\r\n\tc\r\n\r\n",
	        /* whitespace before the colon */
	        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A : b\r\n\r\n",
	        /* no colon */
	        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A\r\n\r\n",
	        /* empty name */
	        "GET /healthz HTTP/1.1\r\nHost: x\r\n: b\r\n\r\n",
	        /* bad name character */
	        "GET /healthz HTTP/1.1\r\nHost: x\r\nX(A): b\r\n\r\n",
	        /* HTTP/1.1 without Host */
	        "GET /healthz HTTP/1.1\r\n\r\n",
	        "GET /healthz HTTP/1.1\r\nX-A: b\r\n\r\n",
	        /* two Hosts */
	        "GET /healthz HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
	};
	struct http_resp *r[sizeof(bad) / sizeof(bad[0])];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r[i] = raw(bad[i], NULL);
		if (r[i] == NULL || r[i]->status != 400)
			fprintf(stderr, "  case #%zu: %s\n", i, bad[i]);
		json_decref(check_problem_body(r[i], 400, "bad-request"));
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		check_common_headers(r[i], 0);
		http_resp_free(r[i]);
	}
}

static void
test_http10_without_host_ok(void **state)
{
	int closed = 0;
	struct http_resp *r;

	(void)state;
	r = raw("GET /healthz HTTP/1.0\r\n\r\n", &closed);
	check_status(r, 200);
	check_common_headers(r, 0);
	check(strcmp(r->body, "{\"status\":\"ok\"}") == 0, "body %s", r->body);
	check(closed, "HTTP/1.0 without keep-alive: the server should close");
	http_resp_free(r);
}

static void
test_http2_version_505(void **state)
{
	struct http_resp *r2, *r3;

	(void)state;
	r2 = raw("GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n", NULL);
	json_decref(check_problem_body(r2, 505, "http-version-not-supported"));
	r3 = raw("GET /healthz HTTP/3.0\r\nHost: x\r\n\r\n", NULL);
	json_decref(check_problem_body(r3, 505, "http-version-not-supported"));
	check_common_headers(r2, 0);
	check_common_headers(r3, 0);
	http_resp_free(r2);
	http_resp_free(r3);
}

static void
test_bad_paths_400(void **state)
{
	static const char *paths[] = {
	        "/v1/../healthz",
	        "/v1/collectivities/..",
	        "/v1/collectivities/../collectivities",
	        "/./healthz",
	        "//healthz",
	        "/v1//collectivities",
	        "/v1/collectivities/%zz",
	        "/v1/collectivities/%2",
	        "/v1/collectivities/%",
	        "/v1/collectivities/%ff",
	        "/v1/collectivities/%00",
	        "/v1/collectivities?limit=%zz",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct http_resp *r = http_get(paths[i]);

		if (r == NULL || r->status != 400)
			fprintf(stderr, "  path: %s\n", paths[i]);
		json_decref(check_problem(r, 400, "bad-request"));
		http_resp_free(r);
	}
}

/* ---- request bodies ---- */

static void
test_content_length_framing_400(void **state)
{
	static const char *bad[] = {
	        /* Content-Length with Transfer-Encoding */
	        "POST /v1/collectivities HTTP/1.1\r\nHost: x\r\n"
	        "Content-Type: application/json\r\nContent-Length: 5\r\n"
	        "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
	        "POST /v1/collectivities HTTP/1.1\r\nHost: x\r\n"
	        "Content-Type: application/json\r\n"
	        "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
	        "0\r\n\r\n",
	        /* conflicting Content-Length */
	        "POST /v1/collectivities HTTP/1.1\r\nHost: x\r\n"
	        "Content-Type: application/json\r\nContent-Length: 2\r\n"
	        "Content-Length: 3\r\n\r\n{} ",
	        "POST /v1/collectivities HTTP/1.1\r\nHost: x\r\n"
	        "Content-Type: application/json\r\nContent-Length: 2, 3\r\n"
	        "\r\n{} ",
	        /* not a number */
	        "POST /v1/collectivities HTTP/1.1\r\nHost: x\r\n"
	        "Content-Type: application/json\r\nContent-Length: abc\r\n"
	        "\r\n{}",
	        "POST /v1/collectivities HTTP/1.1\r\nHost: x\r\n"
	        "Content-Type: application/json\r\nContent-Length: -2\r\n"
	        "\r\n{}",
	        "POST /v1/collectivities HTTP/1.1\r\nHost: x\r\n"
	        "Content-Type: application/json\r\nContent-Length: +2\r\n"
	        "\r\n{}",
	        /* bad chunked coding */
	        "POST /v1/collectivities HTTP/1.1\r\nHost: x\r\n"
	        "Content-Type: application/json\r\n"
	        "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
	        "POST /v1/collectivities HTTP/1.1\r\nHost: x\r\n"
	        "Content-Type: application/json\r\n"
	        "Transfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n",
	};
	struct http_resp *r[sizeof(bad) / sizeof(bad[0])];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int closed = 0;

		r[i] = raw(bad[i], &closed);
		if (r[i] == NULL || r[i]->status != 400)
			fprintf(stderr, "  case #%zu:\n%s\n", i, bad[i]);
		json_decref(check_problem_body(r[i], 400, "bad-request"));
		check(closed,
		        "case #%zu: the framing is unknown, the "
		        "connection must close after the 400",
		        i);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		check_common_headers(r[i], 0);
		http_resp_free(r[i]);
	}
}

static void
test_transfer_encoding_gzip_501(void **state)
{
	int closed = 0;
	struct http_resp *r;

	(void)state;
	r = raw("POST /v1/collectivities HTTP/1.1\r\nHost: x\r\n"
	        "Content-Type: application/json\r\n"
	        "Transfer-Encoding: gzip\r\n\r\n",
	        &closed);
	json_decref(check_problem_body(r, 501, "not-implemented"));
	check(closed, "unknown transfer coding: framing unknown, the "
	              "connection must close");
	check_common_headers(r, 0);
	http_resp_free(r);
}

static void
test_body_too_large_by_length_413(void **state)
{
	char head[512];
	long long t0;
	struct http_conn *c;
	struct http_resp *r;

	(void)state;
	c = conn_open();
	assert_non_null(c);
	snprintf(head, sizeof(head),
	        "POST /v1/collectivities HTTP/1.1\r\nHost: x\r\n"
	        "Content-Type: application/json\r\n"
	        "Authorization: Bearer %s\r\nContent-Length: %ld\r\n\r\n",
	        http_admin_token(), max_body + 1);
	t0 = http_now_ms();
	assert_int_equal(conn_send_str(c, head), 0);
	/* no body byte is sent: the answer must not wait for it */
	r = conn_read(c);
	check(r != NULL, "no answer to a too-long Content-Length: %s",
	        http_err_name(c->err));
	json_decref(check_problem(r, 413, "content-too-large"));
	check(http_now_ms() - t0 < read_timeout_ms / 2,
	        "413 took %lld ms: it should come before the body is read",
	        http_now_ms() - t0);
	check(conn_wait_closed(c, 1500) == 1,
	        "the connection should close after a 413");
	http_resp_free(r);
	conn_close(c);

	/* a huge Content-Length too */
	r = raw("POST /v1/collectivities HTTP/1.1\r\nHost: x\r\n"
	        "Content-Type: application/json\r\n"
	        "Content-Length: 99999999999999999999999\r\n\r\n",
	        NULL);
	check(r != NULL && (r->status == 413 || r->status == 400),
	        "Content-Length beyond 64 bits: want 413 or 400, got %d",
	        r != NULL ? r->status : 0);
	json_decref(check_problem_body(r, r->status, NULL));
	check_common_headers(r, 0);
	http_resp_free(r);
}

static void
test_body_too_large_chunked_413(void **state)
{
	static const char head[] =
	        "POST /v1/collectivities HTTP/1.1\r\nHost: x\r\n"
	        "Content-Type: application/json\r\n"
	        "Transfer-Encoding: chunked\r\n\r\n";
	size_t chunk = 8192, nchunks = (size_t)max_body / chunk + 3, i;
	size_t cap = sizeof(head) + nchunks * (chunk + 16) + 16, n = 0;
	char *buf = malloc(cap);
	struct http_conn *c;
	struct http_resp *r;

	(void)state;
	assert_non_null(buf);
	n += (size_t)snprintf(buf + n, cap - n, "%s", head);
	for (i = 0; i < nchunks; i++) {
		n += (size_t)snprintf(buf + n, cap - n, "%zx\r\n", chunk);
		memset(buf + n, ' ', chunk);
		n += chunk;
		memcpy(buf + n, "\r\n", 2);
		n += 2;
	}
	n += (size_t)snprintf(buf + n, cap - n, "0\r\n\r\n");
	c = conn_open();
	assert_non_null(c);
	(void)conn_send(c, buf, n); /* the server may stop reading early */
	free(buf);
	r = conn_read(c);
	check(r != NULL, "no answer to a too-long chunked body: %s",
	        http_err_name(c->err));
	json_decref(check_problem(r, 413, "content-too-large"));
	check(conn_wait_closed(c, 2500) == 1,
	        "the connection should close after a 413");
	http_resp_free(r);
	conn_close(c);
}

static void
test_body_at_limit_accepted(void **state)
{
	static const char obj[] =
	        "{\"slug\":\"at-the-limit\",\"name\":\"At the limit\","
	        "\"kind\":\"commune\"}";
	size_t n = (size_t)max_body;
	char *body = malloc(n);
	struct http_resp *r;

	(void)state;
	assert_non_null(body);
	/* a valid object padded with JSON whitespace to exactly the limit;
	 * no credentials, so a body that passes every check gets 401 */
	memset(body, ' ', n);
	memcpy(body, obj, sizeof(obj) - 1);
	r = http_request("POST", "/v1/collectivities",
	        "Content-Type: application/json\r\n", body, n);
	free(body);
	json_decref(check_problem(r, 401, "unauthorized"));
	http_resp_free(r);
}

static void
test_chunked_body_accepted(void **state)
{
	char slug[64], req[1024], path[128];
	struct http_conn *c;
	struct http_resp *r;
	json_t *j;
	int n;

	(void)state;
	http_unique_slug("chunked", slug, sizeof(slug));
	/* three chunks, upper-case hex, a chunk extension and a trailer */
	{
		static const char p1[] = "{\"slug\":\"";
		static const char p3[] = "\",\"name\":\"Chunked body\","
		                         "\"kind\":\"other\"}";

		n = snprintf(req, sizeof(req),
		        "POST /v1/collectivities HTTP/1.1\r\nHost: x\r\n"
		        "Content-Type: application/json\r\n"
		        "Authorization: Bearer %s\r\n"
		        "Transfer-Encoding: chunked\r\n\r\n"
		        "%zX\r\n%s\r\n"
		        "%zX;ext=1\r\n%s\r\n"
		        "%zX\r\n%s\r\n"
		        "0\r\nX-Trailer: yes\r\n\r\n",
		        http_admin_token(), strlen(p1), p1, strlen(slug), slug,
		        strlen(p3), p3);
	}
	assert_true(n > 0 && (size_t)n < sizeof(req));
	c = conn_open();
	assert_non_null(c);
	assert_int_equal(conn_send_str(c, req), 0);
	r = conn_read(c);
	check(r != NULL, "chunked create: %s", http_err_name(c->err));
	check_status(r, 201);
	j = http_resp_json(r);
	check(json_is_object(j) &&
	                strcmp(json_string_value(json_object_get(j, "slug")),
	                        slug) == 0,
	        "chunked create: body does not echo the slug");
	json_decref(j);
	http_resp_free(r);
	/* the connection is still usable: the chunked body was fully read */
	snprintf(path, sizeof(path), "/v1/collectivities/%s", slug);
	assert_int_equal(conn_send_request(c, "GET", path, NULL, NULL, 0), 0);
	r = conn_read(c);
	check_status(r, 200);
	http_resp_free(r);
	conn_close(c);
}

static void
test_expect_100_continue(void **state)
{
	static const char body[] = "{\"slug\":\"expect-continue\","
	                           "\"name\":\"E\",\"kind\":\"other\"}";
	char head[512];
	struct http_conn *c;
	struct http_resp *r;

	(void)state;
	c = conn_open();
	assert_non_null(c);
	conn_set_timeout(c, 2000);
	snprintf(head, sizeof(head),
	        "POST /v1/collectivities HTTP/1.1\r\nHost: x\r\n"
	        "Content-Type: application/json\r\nExpect: 100-continue\r\n"
	        "Content-Length: %zu\r\n\r\n",
	        sizeof(body) - 1);
	assert_int_equal(conn_send_str(c, head), 0);
	/* the interim response must come before any body byte is sent */
	r = conn_read_ex(c, HTTP_READ_INTERIM);
	check(r != NULL, "no 100 Continue: %s", http_err_name(c->err));
	check_status(r, 100);
	check(strcmp(r->version, "HTTP/1.1") == 0 && r->body_len == 0,
	        "bad interim response");
	http_resp_free(r);
	assert_int_equal(conn_send_str(c, body), 0);
	r = conn_read_ex(c, HTTP_READ_INTERIM);
	check(r != NULL, "no final response: %s", http_err_name(c->err));
	/* no credentials: the well-formed body gets 401 */
	json_decref(check_problem(r, 401, "unauthorized"));
	http_resp_free(r);
	/* and the connection goes on */
	assert_int_equal(
	        conn_send_request(c, "GET", "/healthz", NULL, NULL, 0), 0);
	r = conn_read(c);
	check_status(r, 200);
	http_resp_free(r);
	conn_close(c);

	/* a client that does not wait for the 100: head, body and the next
	 * request at once; at most one 100, then the two final answers */
	c = conn_open();
	assert_non_null(c);
	assert_int_equal(conn_send_str(c, head), 0);
	assert_int_equal(conn_send_str(c, body), 0);
	assert_int_equal(conn_send_request(c, "GET", "/healthz",
	                         "X-Request-Id: after-expect\r\n", NULL, 0),
	        0);
	r = conn_read(c);
	check(r != NULL, "no final response: %s", http_err_name(c->err));
	check(r->interim <= 1, "%d interim responses", r->interim);
	json_decref(check_problem(r, 401, "unauthorized"));
	http_resp_free(r);
	r = conn_read(c);
	check_status(r, 200);
	check(strcmp(http_resp_header(r, "x-request-id"), "after-expect") == 0,
	        "the request after an Expect body is misframed");
	http_resp_free(r);
	conn_close(c);
}

/* ---- connections ---- */

static void
test_keep_alive_default(void **state)
{
	static const char *paths[] = {"/healthz", "/nope",
	        "/v1/collectivities/bourg-en-lys", "/healthz"};
	static const int want[] = {200, 404, 200, 200};
	struct http_conn *c;
	size_t i;

	(void)state;
	c = conn_open();
	assert_non_null(c);
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct http_resp *r;

		assert_int_equal(
		        conn_send_request(c, "GET", paths[i], NULL, NULL, 0),
		        0);
		r = conn_read(c);
		check(r != NULL, "request #%zu on a kept-alive connection: %s",
		        i, http_err_name(c->err));
		check_status(r, want[i]);
		check(!http_list_has(
		              http_resp_header(r, "connection"), "close"),
		        "request #%zu: unexpected Connection: close", i);
		check(!r->closed, "request #%zu: connection closed", i);
		http_resp_free(r);
	}
	conn_close(c);
}

static void
test_http10(void **state)
{
	struct http_conn *c;
	struct http_resp *r;

	(void)state;
	/* 1.0 closes by default */
	c = conn_open();
	assert_non_null(c);
	assert_int_equal(
	        conn_send_str(c, "GET /healthz HTTP/1.0\r\nHost: x\r\n\r\n"),
	        0);
	r = conn_read(c);
	check_status(r, 200);
	check(conn_wait_closed(c, 1500) == 1,
	        "HTTP/1.0 without keep-alive: connection not closed");
	http_resp_free(r);
	conn_close(c);

	/* 1.0 with Connection: keep-alive stays open */
	c = conn_open();
	assert_non_null(c);
	assert_int_equal(conn_send_str(c, "GET /healthz HTTP/1.0\r\nHost: x\r\n"
	                                  "Connection: keep-alive\r\n\r\n"),
	        0);
	r = conn_read(c);
	check_status(r, 200);
	check(http_list_has(http_resp_header(r, "connection"), "keep-alive"),
	        "HTTP/1.0 keep-alive: response should say Connection: "
	        "keep-alive, got %s",
	        http_resp_header(r, "connection"));
	http_resp_free(r);
	check(conn_wait_closed(c, 300) == 0,
	        "HTTP/1.0 keep-alive: connection closed");
	assert_int_equal(conn_send_str(c, "GET /healthz HTTP/1.0\r\nHost: x\r\n"
	                                  "Connection: keep-alive\r\n\r\n"),
	        0);
	r = conn_read(c);
	check(r != NULL, "second HTTP/1.0 keep-alive request: %s",
	        http_err_name(c->err));
	check_status(r, 200);
	http_resp_free(r);
	conn_close(c);
}

static void
test_connection_close(void **state)
{
	struct http_conn *c;
	struct http_resp *r;

	(void)state;
	c = conn_open();
	assert_non_null(c);
	assert_int_equal(conn_send_request(c, "GET", "/healthz",
	                         "Connection: close\r\n", NULL, 0),
	        0);
	r = conn_read(c);
	check_status(r, 200);
	check(http_list_has(http_resp_header(r, "connection"), "close"),
	        "response should say Connection: close, got %s",
	        http_resp_header(r, "connection"));
	check(conn_wait_closed(c, 1500) == 1,
	        "Connection: close: the socket should close");
	http_resp_free(r);
	conn_close(c);
}

static void
test_pipelining(void **state)
{
	char req[2048];
	struct http_conn *c;
	struct http_resp *r;
	int i;

	(void)state;
	/* a database request first, then fast ones: order must be kept */
	snprintf(req, sizeof(req),
	        "GET /v1/collectivities?limit=100 HTTP/1.1\r\nHost: x\r\n"
	        "X-Request-Id: p1\r\n\r\n"
	        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: p2\r\n\r\n"
	        "GET /nope HTTP/1.1\r\nHost: x\r\nX-Request-Id: p3\r\n\r\n"
	        "GET /v1/collectivities/bourg-en-lys HTTP/1.1\r\nHost: x\r\n"
	        "X-Request-Id: p4\r\n\r\n"
	        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: p5\r\n"
	        "Connection: close\r\n\r\n");
	c = conn_open();
	assert_non_null(c);
	assert_int_equal(conn_send_str(c, req), 0);
	for (i = 1; i <= 5; i++) {
		static const int want[] = {0, 200, 200, 404, 200, 200};
		char id[8];

		snprintf(id, sizeof(id), "p%d", i);
		r = conn_read(c);
		check(r != NULL, "pipelined response %d: %s", i,
		        http_err_name(c->err));
		check_status(r, want[i]);
		check(strcmp(http_resp_header(r, "x-request-id"), id) == 0,
		        "pipelined response %d has X-Request-Id %s", i,
		        http_resp_header(r, "x-request-id"));
		if (i == 1)
			check(r->body[0] == '[', "response 1 is not the list");
		if (i == 4)
			check(strstr(r->body, "\"bourg-en-lys\"") != NULL,
			        "response 4 is not bourg-en-lys");
		http_resp_free(r);
	}
	check(conn_wait_closed(c, 1500) == 1,
	        "the last request said Connection: close");
	conn_close(c);

	/* a request with a body, then one without: the body is not taken
	 * for the next request, nor the next request for the body */
	c = conn_open();
	assert_non_null(c);
	assert_int_equal(
	        conn_send_str(c,
	                "POST /v1/collectivities HTTP/1.1\r\nHost: x\r\n"
	                "Content-Type: application/json\r\n"
	                "X-Request-Id: b1\r\nContent-Length: 2\r\n\r\n"
	                "{}"
	                "GET /healthz HTTP/1.1\r\nHost: x\r\n"
	                "X-Request-Id: b2\r\n\r\n"
	                "POST /v1/collectivities HTTP/1.1\r\nHost: x\r\n"
	                "Content-Type: application/json\r\n"
	                "X-Request-Id: b3\r\n"
	                "Transfer-Encoding: chunked\r\n\r\n"
	                "2\r\n{}\r\n0\r\n\r\n"
	                "GET /healthz HTTP/1.1\r\nHost: x\r\n"
	                "X-Request-Id: b4\r\n\r\n"),
	        0);
	for (i = 1; i <= 4; i++) {
		static const int want[] = {0, 422, 200, 422, 200};
		char id[8];

		snprintf(id, sizeof(id), "b%d", i);
		r = conn_read(c);
		check(r != NULL, "pipelined response %s: %s", id,
		        http_err_name(c->err));
		check_status(r, want[i]);
		check(strcmp(http_resp_header(r, "x-request-id"), id) == 0,
		        "pipelined response %s has X-Request-Id %s", id,
		        http_resp_header(r, "x-request-id"));
		http_resp_free(r);
	}
	conn_close(c);
}

/* ---- limits on the head ---- */

static void
test_header_too_large_431(void **state)
{
	size_t big = 17 * 1024, ok = 15 * 1024, n;
	char *req = malloc(big + 256);
	struct http_conn *c;
	struct http_resp *r, *r431;

	(void)state;
	assert_non_null(req);
	/* a head a little under 16 KiB is fine */
	n = (size_t)sprintf(req, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ");
	memset(req + n, 'a', ok - n - 4);
	n = ok - 4;
	memcpy(req + n, "\r\n\r\n", 5);
	r = raw_exchange(req, ok, NULL);
	check_status(r, 200);
	http_resp_free(r);

	/* one over 16 KiB: 431, then close */
	n = (size_t)sprintf(req, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ");
	memset(req + n, 'a', big - n - 4);
	n = big - 4;
	memcpy(req + n, "\r\n\r\n", 5);
	c = conn_open();
	assert_non_null(c);
	(void)conn_send(c, req, big);
	free(req);
	r = conn_read(c);
	check(r != NULL, "no answer to a 17 KiB head: %s",
	        http_err_name(c->err));
	json_decref(check_problem_body(r, 431, "header-fields-too-large"));
	check(conn_wait_closed(c, 2500) == 1,
	        "the connection should close after a 431");
	conn_close(c);
	r431 = r;

	/* many small header lines adding up to more than 16 KiB */
	{
		size_t cap = 20 * 1024, i;
		char *many = malloc(cap);

		assert_non_null(many);
		n = (size_t)sprintf(
		        many, "GET /healthz HTTP/1.1\r\nHost: x\r\n");
		for (i = 0; n + 64 < cap - 64 && n < 17 * 1024; i++)
			n += (size_t)sprintf(many + n, "X-H%zu: %s\r\n", i,
			        "0123456789012345678901234567890123456789");
		n += (size_t)sprintf(many + n, "\r\n");
		r = raw_exchange(many, n, NULL);
		free(many);
		check(r != NULL && (r->status == 431 || r->status == 400),
		        "a head of many lines over 16 KiB: want 431 (or 400 "
		        "for too many fields), got %d",
		        r != NULL ? r->status : 0);
		json_decref(check_problem_body(r, r->status, NULL));
		check_common_headers(r, 0);
		http_resp_free(r);
	}
	check_common_headers(r431, 0);
	http_resp_free(r431);
}

/* ---- timeouts ---- */

static void
test_slowloris_408(void **state)
{
	static const char trickle[] = "X-Slow: abcdefghijklmnopqrstuvwxyz\r\n";
	long long t0, elapsed;
	struct http_conn *c;
	struct http_resp *r;
	size_t i = 0;

	(void)state;
	c = conn_open();
	assert_non_null(c);
	t0 = http_now_ms();
	assert_int_equal(
	        conn_send_str(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n"), 0);
	/* one header byte every 500 ms until the server answers, at most
	 * for twice the read timeout */
	while (http_now_ms() - t0 < 2 * read_timeout_ms) {
		if (conn_wait_readable(c, 500))
			break;
		if (conn_send(c, trickle + i % (sizeof(trickle) - 1), 1) != 0)
			break;
		i++;
	}
	conn_set_timeout(c, 1000);
	r = conn_read(c);
	elapsed = http_now_ms() - t0;
	check(r != NULL, "slowloris: no response after %lld ms (%s)", elapsed,
	        http_err_name(c->err));
	json_decref(check_problem_body(r, 408, "request-timeout"));
	check(elapsed >= read_timeout_ms * 3 / 4 &&
	                elapsed <= read_timeout_ms * 2,
	        "slowloris: 408 after %lld ms, want about %ld ms", elapsed,
	        read_timeout_ms);
	check(conn_wait_closed(c, 1500) == 1,
	        "slowloris: the connection should close after the 408");
	check_common_headers(r, 0);
	http_resp_free(r);
	conn_close(c);
}

static void
test_body_timeout_408(void **state)
{
	long long t0, elapsed;
	struct http_conn *c;
	struct http_resp *r;

	(void)state;
	c = conn_open();
	assert_non_null(c);
	t0 = http_now_ms();
	assert_int_equal(conn_send_str(c, "POST /v1/collectivities HTTP/1.1\r\n"
	                                  "Host: x\r\n"
	                                  "Content-Type: application/json\r\n"
	                                  "Content-Length: 400\r\n\r\n"
	                                  "{\"slug\":"),
	        0);
	/* then one body byte (JSON whitespace) every 500 ms */
	while (http_now_ms() - t0 < 2 * read_timeout_ms) {
		if (conn_wait_readable(c, 500))
			break;
		if (conn_send(c, " ", 1) != 0)
			break;
	}
	conn_set_timeout(c, 1000);
	r = conn_read(c);
	elapsed = http_now_ms() - t0;
	check(r != NULL, "incomplete body: no response after %lld ms (%s)",
	        elapsed, http_err_name(c->err));
	json_decref(check_problem(r, 408, "request-timeout"));
	check(elapsed >= read_timeout_ms * 3 / 4 &&
	                elapsed <= read_timeout_ms * 2,
	        "incomplete body: 408 after %lld ms, want about %ld ms",
	        elapsed, read_timeout_ms);
	check(conn_wait_closed(c, 1500) == 1,
	        "incomplete body: the connection should close after the 408");
	http_resp_free(r);
	conn_close(c);
}

/* On a kept-alive connection the read timeout counts from the first byte
 * of each request, not from the end of the previous one. */
static void
test_read_timeout_per_request(void **state)
{
	long long t0, elapsed;
	struct http_conn *c;
	struct http_resp *r;

	(void)state;
	c = conn_open();
	assert_non_null(c);
	assert_int_equal(
	        conn_send_request(c, "GET", "/healthz", NULL, NULL, 0), 0);
	r = conn_read(c);
	check_status(r, 200);
	http_resp_free(r);
	/* idle for most of a read timeout, then an incomplete request */
	http_sleep_ms((int)(read_timeout_ms * 3 / 4));
	t0 = http_now_ms();
	assert_int_equal(conn_send_str(c, "GET /healthz HTTP/1.1\r\n"), 0);
	conn_set_timeout(c, (int)(2 * read_timeout_ms));
	r = conn_read(c);
	elapsed = http_now_ms() - t0;
	check(r != NULL, "incomplete second request: no answer (%s)",
	        http_err_name(c->err));
	json_decref(check_problem_body(r, 408, "request-timeout"));
	check(elapsed >= read_timeout_ms * 3 / 4,
	        "408 came %lld ms after the request's first byte: the timeout "
	        "(%ld ms) counted the idle time before it",
	        elapsed, read_timeout_ms);
	check(elapsed <= read_timeout_ms * 2, "408 after %lld ms", elapsed);
	http_resp_free(r);
	conn_close(c);
}

/* Many connections at once, more than the database pool: every request
 * waits its turn and is answered. */
static void
test_many_connections(void **state)
{
	enum { N = 64 };
	struct http_conn *c[N];
	char ids[N][32];
	int i;

	(void)state;
	for (i = 0; i < N; i++) {
		c[i] = conn_open();
		assert_non_null(c[i]);
	}
	for (i = 0; i < N; i++) {
		char extra[64];

		snprintf(ids[i], sizeof(ids[i]), "many-%d", i);
		snprintf(extra, sizeof(extra), "X-Request-Id: many-%d\r\n", i);
		assert_int_equal(
		        conn_send_request(c[i], "GET",
		                i % 2 ? "/v1/collectivities/bourg-en-lys"
		                      : "/v1/collectivities?limit=3",
		                extra, NULL, 0),
		        0);
	}
	for (i = 0; i < N; i++) {
		struct http_resp *r = conn_read(c[i]);

		check(r != NULL, "connection %d: %s", i,
		        http_err_name(c[i]->err));
		check_status(r, 200);
		check(strcmp(http_resp_header(r, "x-request-id"), ids[i]) == 0,
		        "connection %d got the answer for %s", i,
		        http_resp_header(r, "x-request-id"));
		http_resp_free(r);
		conn_close(c[i]);
	}
}

/* Header names are case-insensitive, framing ones included. */
static void
test_header_names_case_insensitive(void **state)
{
	struct http_resp *r;

	(void)state;
	r = raw("POST /v1/collectivities HTTP/1.1\r\nhOST: x\r\n"
	        "CONTENT-TYPE: application/json\r\nCONTENT-LENGTH: 2\r\n"
	        "\r\n{}",
	        NULL);
	/* the body was read (an empty object): 422 for missing fields */
	json_decref(check_problem(r, 422, "validation-failed"));
	http_resp_free(r);
	r = raw("POST /v1/collectivities HTTP/1.1\r\nHost: x\r\n"
	        "content-type: application/json\r\n"
	        "transfer-encoding: Chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
	        NULL);
	json_decref(check_problem(r, 422, "validation-failed"));
	http_resp_free(r);
}

static void
test_idle_timeout(void **state)
{
	long idle_ms = http_env_long("PARTICIPE_TEST_IDLE_TIMEOUT_MS", 5000);
	long long t0, t_used, t_fresh;
	struct http_conn *used, *fresh;
	struct http_resp *r;
	int rc;

	(void)state;
	/* one connection after a request, one that never sends a byte */
	fresh = conn_open();
	used = conn_open();
	assert_non_null(fresh);
	assert_non_null(used);
	assert_int_equal(
	        conn_send_request(used, "GET", "/healthz", NULL, NULL, 0), 0);
	r = conn_read(used);
	check_status(r, 200);
	http_resp_free(r);
	t0 = http_now_ms();
	rc = conn_wait_closed(used, (int)idle_ms + 3000);
	t_used = http_now_ms() - t0;
	check(rc != -1,
	        "idle keep-alive connection: got %zu unexpected bytes: "
	        "%.200s",
	        conn_pending(used), used->buf);
	check(rc == 1, "idle keep-alive connection still open after %lld ms",
	        t_used);
	check(t_used >= idle_ms - 1000,
	        "idle keep-alive connection closed after %lld ms, before the "
	        "idle timeout (%ld ms)",
	        t_used, idle_ms);
	rc = conn_wait_closed(fresh, 500);
	t_fresh = http_now_ms() - t0;
	check(rc != -1,
	        "never-used connection: got %zu unexpected bytes: "
	        "%.200s",
	        conn_pending(fresh), fresh->buf);
	check(rc == 1, "never-used connection still open after %lld ms",
	        t_fresh);
	conn_close(used);
	conn_close(fresh);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_healthz_common_headers),
	        cmocka_unit_test(test_request_id_echoed),
	        cmocka_unit_test(test_request_id_generated),
	        cmocka_unit_test(test_request_id_on_early_errors),
	        cmocka_unit_test(test_unknown_path_404),
	        cmocka_unit_test(test_wrong_method_405),
	        cmocka_unit_test(test_options_204),
	        cmocka_unit_test(test_head_like_get),
	        cmocka_unit_test(test_unknown_method_501),
	        cmocka_unit_test(test_malformed_request_line_400),
	        cmocka_unit_test(test_malformed_headers_400),
	        cmocka_unit_test(test_http10_without_host_ok),
	        cmocka_unit_test(test_http2_version_505),
	        cmocka_unit_test(test_bad_paths_400),
	        cmocka_unit_test(test_content_length_framing_400),
	        cmocka_unit_test(test_transfer_encoding_gzip_501),
	        cmocka_unit_test(test_body_too_large_by_length_413),
	        cmocka_unit_test(test_body_too_large_chunked_413),
	        cmocka_unit_test(test_body_at_limit_accepted),
	        cmocka_unit_test(test_chunked_body_accepted),
	        cmocka_unit_test(test_expect_100_continue),
	        cmocka_unit_test(test_keep_alive_default),
	        cmocka_unit_test(test_http10),
	        cmocka_unit_test(test_connection_close),
	        cmocka_unit_test(test_pipelining),
	        cmocka_unit_test(test_header_too_large_431),
	        cmocka_unit_test(test_slowloris_408),
	        cmocka_unit_test(test_body_timeout_408),
	        cmocka_unit_test(test_read_timeout_per_request),
	        cmocka_unit_test(test_many_connections),
	        cmocka_unit_test(test_header_names_case_insensitive),
	        cmocka_unit_test(test_idle_timeout),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
