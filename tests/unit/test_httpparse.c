/*
 * test_httpparse.c - strict request-head parsing and the chunked decoder
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "httpparse.h"
#include "route.h"

/*
 * Every head is parsed from an exact-size heap copy so that ASan catches a
 * read past 'len'. The copy is kept until the next parse (the head points
 * into it).
 */
static char *buf;
static size_t buflen;
static struct http_head head;
static const char *detail;

static enum err
parse_n(const char *s, size_t len)
{
	enum err e;

	free(buf);
	buf = malloc(len > 0 ? len : 1);
	assert_non_null(buf);
	memcpy(buf, s, len);
	buflen = len;
	detail = "unset";
	e = http_parse_head(buf, len, &head, &detail);
	if (e == ERR_OK)
		assert_null(detail);
	else {
		assert_non_null(detail);
		assert_true(strlen(detail) > 0);
	}
	return e;
}

static enum err
parse(const char *s)
{
	return parse_n(s, strlen(s));
}

static int
teardown(void **state)
{
	(void)state;
	free(buf);
	buf = NULL;
	return 0;
}

/* s with CR, LF and other non-printable bytes escaped, for messages. */
static const char *
esc(const char *s)
{
	static char out[512];
	size_t o = 0;

	for (; *s != '\0' && o + 6 < sizeof(out); s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '\r')
			o += (size_t)snprintf(out + o, sizeof(out) - o, "\\r");
		else if (ch == '\n')
			o += (size_t)snprintf(out + o, sizeof(out) - o, "\\n");
		else if (ch < 0x20 || ch >= 0x7f)
			o += (size_t)snprintf(
			        out + o, sizeof(out) - o, "\\x%02x", ch);
		else
			out[o++] = (char)ch;
	}
	out[o] = '\0';
	return out;
}

static int
span_eq(const char *p, size_t len, const char *want)
{
	return len == strlen(want) && memcmp(p, want, len) == 0;
}

static void
check_header(const char *name, const char *want)
{
	size_t len = 9999;
	const char *v = http_head_get(&head, name, &len);

	if (want == NULL) {
		assert_null(v);
		return;
	}
	if (v == NULL)
		fail_msg("header %s missing", name);
	if (!span_eq(v, len, want))
		fail_msg("header %s: got \"%.*s\", want \"%s\"", name, (int)len,
		        v, want);
	/* Values point into the parsed buffer. */
	assert_true(v >= buf && v + len <= buf + buflen);
}

static void
test_simple_get(void **state)
{
	(void)state;
	assert_int_equal(parse("GET /v1/things?x=1&y=%20 HTTP/1.1\r\n"
	                       "Host: example.com\r\n"
	                       "Accept: application/json\r\n"
	                       "\r\n"),
	        ERR_OK);
	assert_int_equal(head.method, HTTP_GET);
	assert_true(span_eq(head.method_str, head.method_len, "GET"));
	assert_true(
	        span_eq(head.target, head.target_len, "/v1/things?x=1&y=%20"));
	assert_ptr_equal(head.method_str, buf);
	assert_int_equal(head.minor, 1);
	assert_int_equal(head.nheaders, 2);
	assert_true(span_eq(
	        head.headers[0].name, head.headers[0].name_len, "Host"));
	assert_true(span_eq(head.headers[0].value, head.headers[0].value_len,
	        "example.com"));
	assert_true(span_eq(
	        head.headers[1].name, head.headers[1].name_len, "Accept"));
	assert_int_equal(head.content_length, -1);
	assert_int_equal(head.chunked, 0);
	assert_int_equal(head.keep_alive, 1);
	assert_int_equal(head.expect_continue, 0);
}

static void
test_post_with_body_length(void **state)
{
	(void)state;
	assert_int_equal(parse("POST /v1/things HTTP/1.1\r\n"
	                       "Host: h\r\n"
	                       "Content-Type: application/json\r\n"
	                       "Content-Length: 17\r\n"
	                       "\r\n"),
	        ERR_OK);
	assert_int_equal(head.method, HTTP_POST);
	assert_int_equal(head.content_length, 17);
	assert_int_equal(head.chunked, 0);
	check_header("content-type", "application/json");
	check_header("CONTENT-LENGTH", "17");
}

static void
test_all_known_methods_and_unknown(void **state)
{
	static const struct {
		const char *m;
		unsigned bit;
	} ms[] = {
	        {"GET", HTTP_GET},
	        {"HEAD", HTTP_HEAD},
	        {"POST", HTTP_POST},
	        {"PUT", HTTP_PUT},
	        {"PATCH", HTTP_PATCH},
	        {"DELETE", HTTP_DELETE},
	        {"OPTIONS", HTTP_OPTIONS},
	        {"BREW", 0},
	        {"get", 0},
	        {"M-SEARCH", 0},
	};
	size_t i;
	char req[128];

	(void)state;
	for (i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		snprintf(req, sizeof(req), "%s / HTTP/1.1\r\nHost: h\r\n\r\n",
		        ms[i].m);
		assert_int_equal(parse(req), ERR_OK);
		assert_int_equal(head.method, ms[i].bit);
		assert_true(span_eq(head.method_str, head.method_len, ms[i].m));
	}
}

static void
test_header_value_whitespace_trimmed(void **state)
{
	(void)state;
	assert_int_equal(parse("GET / HTTP/1.1\r\n"
	                       "Host:example.com\r\n"
	                       "X-A:   a  b \t \r\n"
	                       "X-B:\t\tb\r\n"
	                       "X-Empty:\r\n"
	                       "X-Spaces:    \r\n"
	                       "X-Obs: caf\xc3\xa9\r\n"
	                       "\r\n"),
	        ERR_OK);
	check_header("host", "example.com");
	check_header("x-a", "a  b");
	check_header("x-b", "b");
	check_header("x-empty", "");
	check_header("x-spaces", "");
	check_header("x-obs", "caf\xc3\xa9");
	check_header("x-missing", NULL);
	check_header("x-", NULL);
	check_header("x-a-longer", NULL);
}

static void
test_head_get_first_and_null_len(void **state)
{
	const char *v;

	(void)state;
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\r\nX-Dup: one\r\n"
	                       "x-dup: two\r\n\r\n"),
	        ERR_OK);
	check_header("X-DUP", "one");
	v = http_head_get(&head, "host", NULL); /* len may be NULL */
	assert_non_null(v);
	assert_int_equal(v[0], 'h');
}

static void
test_token_eq(void **state)
{
	(void)state;
	assert_true(http_token_eq("Content-Length", 14, "content-length"));
	assert_true(http_token_eq("CHUNKED", 7, "chunked"));
	assert_true(http_token_eq("", 0, ""));
	assert_false(http_token_eq("chunke", 6, "chunked"));
	assert_false(http_token_eq("chunkedx", 8, "chunked"));
	assert_false(http_token_eq("chunkedx", 7, "chunke"));
	assert_true(http_token_eq("chunkedx", 7, "chunked"));
	/* Only ASCII letters fold: '@' (0x40) is not '`' (0x60). */
	assert_false(http_token_eq("@", 1, "`"));
	assert_false(http_token_eq("[", 1, "{"));
}

static void
test_keep_alive_defaults(void **state)
{
	(void)state;
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n"), ERR_OK);
	assert_int_equal(head.keep_alive, 1);
	assert_int_equal(parse("GET / HTTP/1.0\r\n\r\n"), ERR_OK);
	assert_int_equal(head.minor, 0);
	assert_int_equal(head.keep_alive, 0);
	assert_int_equal(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n"
	                       "\r\n"),
	        ERR_OK);
	assert_int_equal(head.keep_alive, 1);
	assert_int_equal(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n"
	                       "\r\n"),
	        ERR_OK);
	assert_int_equal(head.keep_alive, 1);
	assert_int_equal(parse("GET / HTTP/1.0\r\n"
	                       "Connection: keep-alive, close\r\n\r\n"),
	        ERR_OK);
	assert_int_equal(head.keep_alive, 0);
	/* HTTP/1.0 may have a Host header, but just one. */
	assert_int_equal(parse("GET / HTTP/1.0\r\nHost: h\r\n\r\n"), ERR_OK);
}

static void
test_connection_close(void **state)
{
	(void)state;
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\r\n"
	                       "Connection: close\r\n\r\n"),
	        ERR_OK);
	assert_int_equal(head.keep_alive, 0);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\r\n"
	                       "Connection: CLOSE\r\n\r\n"),
	        ERR_OK);
	assert_int_equal(head.keep_alive, 0);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\r\n"
	                       "Connection: upgrade ,\t close \r\n\r\n"),
	        ERR_OK);
	assert_int_equal(head.keep_alive, 0);
	/* Two Connection fields combine. */
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\r\n"
	                       "Connection: te\r\nConnection: close\r\n\r\n"),
	        ERR_OK);
	assert_int_equal(head.keep_alive, 0);
	/* Tokens, not substrings. */
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\r\n"
	                       "Connection: closed, xclose, close-ish\r\n\r\n"),
	        ERR_OK);
	assert_int_equal(head.keep_alive, 1);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\r\n"
	                       "Connection: keep-alive\r\n\r\n"),
	        ERR_OK);
	assert_int_equal(head.keep_alive, 1);
}

static void
test_host_rules(void **state)
{
	(void)state;
	assert_int_equal(parse("GET / HTTP/1.1\r\n\r\n"), ERR_BAD_REQUEST);
	assert_int_equal(parse("GET / HTTP/1.1\r\nAccept: */*\r\n\r\n"),
	        ERR_BAD_REQUEST);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n"),
	        ERR_BAD_REQUEST);
	assert_int_equal(parse("GET / HTTP/1.1\r\nhost: a\r\nHOST: b\r\n\r\n"),
	        ERR_BAD_REQUEST);
	assert_int_equal(parse("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n"),
	        ERR_BAD_REQUEST);
	/* Case-insensitive name. */
	assert_int_equal(parse("GET / HTTP/1.1\r\nhOsT: a\r\n\r\n"), ERR_OK);
}

static void
test_space_before_colon_rejected(void **state)
{
	(void)state;
	assert_int_equal(
	        parse("GET / HTTP/1.1\r\nHost : h\r\n\r\n"), ERR_BAD_REQUEST);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\r\n"
	                       "Content-Length\t: 0\r\n\r\n"),
	        ERR_BAD_REQUEST);
	assert_int_equal(parse("POST / HTTP/1.1\r\nHost: h\r\n"
	                       "Transfer-Encoding : chunked\r\n\r\n"),
	        ERR_BAD_REQUEST);
}

static void
test_obs_fold_rejected(void **state)
{
	(void)state;
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\r\n"
	                       " continued\r\n\r\n"),
	        ERR_BAD_REQUEST);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\r\n"
	                       "\tcontinued\r\n\r\n"),
	        ERR_BAD_REQUEST);
	/* A folded first header line. */
	assert_int_equal(
	        parse("GET / HTTP/1.1\r\n Host: h\r\n\r\n"), ERR_BAD_REQUEST);
}

static void
test_malformed_header_lines(void **state)
{
	(void)state;
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n"),
	        ERR_BAD_REQUEST);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n"),
	        ERR_BAD_REQUEST);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\r\nX(A): v\r\n\r\n"),
	        ERR_BAD_REQUEST);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\r\nX\"A: v\r\n\r\n"),
	        ERR_BAD_REQUEST);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\r\nX\x01: v\r\n\r\n"),
	        ERR_BAD_REQUEST);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\r\n\xc3\xa9: v\r\n"
	                       "\r\n"),
	        ERR_BAD_REQUEST);
	/* Bare LF and bare CR inside the header block. */
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\nX-A: v\r\n\r\n"),
	        ERR_BAD_REQUEST);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\rX-A: v\r\n\r\n"),
	        ERR_BAD_REQUEST);
	assert_int_equal(
	        parse("GET / HTTP/1.1\nHost: h\r\n\r\n"), ERR_BAD_REQUEST);
	/* tchar punctuation is valid in names. */
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\r\n"
	                       "X!#$%&'*+-.^_`|~9: v\r\n\r\n"),
	        ERR_OK);
	check_header("x!#$%&'*+-.^_`|~9", "v");
}

static void
test_control_characters_in_values(void **state)
{
	static const char *const bad[] = {
	        "\x01",
	        "\x08",
	        "\x0b",
	        "\x0c",
	        "\x1b",
	        "\x1f",
	        "\x7f",
	};
	char req[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(req, sizeof(req),
		        "GET / HTTP/1.1\r\nHost: h\r\nX-A: a%sb\r\n\r\n",
		        bad[i]);
		if (parse(req) != ERR_BAD_REQUEST)
			fail_msg("control byte 0x%02x accepted in a value",
			        (unsigned char)bad[i][0]);
	}
	/* NUL in a value (explicit length). */
	{
		static const char req0[] =
		        "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\0b\r\n\r\n";

		assert_int_equal(
		        parse_n(req0, sizeof(req0) - 1), ERR_BAD_REQUEST);
	}
	/* Control byte in the Host value itself. */
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\x01\r\n\r\n"),
	        ERR_BAD_REQUEST);
	/* Tab inside and obs-text are fine. */
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\tb\x80\xff"
	                       "\r\n\r\n"),
	        ERR_OK);
	check_header("x-a", "a\tb\x80\xff");
}

static void
test_content_length_rules(void **state)
{
	(void)state;
	/* Identical duplicates are fine. */
	assert_int_equal(
	        parse("POST / HTTP/1.1\r\nHost: h\r\n"
	              "Content-Length: 5\r\ncontent-length: 5\r\n\r\n"),
	        ERR_OK);
	assert_int_equal(head.content_length, 5);
	/* Conflicting ones are not. */
	assert_int_equal(
	        parse("POST / HTTP/1.1\r\nHost: h\r\n"
	              "Content-Length: 5\r\nContent-Length: 6\r\n\r\n"),
	        ERR_BAD_REQUEST);
	assert_int_equal(
	        parse("POST / HTTP/1.1\r\nHost: h\r\n"
	              "Content-Length: 0\r\nContent-Length: 1\r\n\r\n"),
	        ERR_BAD_REQUEST);
	/* Zero. */
	assert_int_equal(parse("POST / HTTP/1.1\r\nHost: h\r\n"
	                       "Content-Length: 0\r\n\r\n"),
	        ERR_OK);
	assert_int_equal(head.content_length, 0);
	/* 18 digits is the longest accepted. */
	assert_int_equal(parse("POST / HTTP/1.1\r\nHost: h\r\n"
	                       "Content-Length: 999999999999999999\r\n\r\n"),
	        ERR_OK);
	assert_int_equal(head.content_length, 999999999999999999LL);
}

static void
test_content_length_invalid_values(void **state)
{
	static const char *const bad[] = {
	        "", "-1", "+5", "0x10", "5 5", "5,5", "5, 5", "1e3", "five",
	        "1234567890123456789", "99999999999999999999999", "5\x01",
	        "\xef\xbc\x95", /* fullwidth digit five */
	};
	char req[160];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(req, sizeof(req),
		        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: %s\r\n"
		        "\r\n",
		        bad[i]);
		if (parse(req) != ERR_BAD_REQUEST)
			fail_msg("Content-Length \"%s\" accepted", esc(bad[i]));
	}
}

static void
test_transfer_encoding(void **state)
{
	(void)state;
	assert_int_equal(parse("POST / HTTP/1.1\r\nHost: h\r\n"
	                       "Transfer-Encoding: chunked\r\n\r\n"),
	        ERR_OK);
	assert_int_equal(head.chunked, 1);
	assert_int_equal(head.content_length, -1);
	assert_int_equal(parse("POST / HTTP/1.1\r\nHost: h\r\n"
	                       "transfer-encoding:  Chunked \r\n\r\n"),
	        ERR_OK);
	assert_int_equal(head.chunked, 1);
	/* Chunked needs HTTP/1.1. */
	assert_int_equal(parse("POST / HTTP/1.0\r\n"
	                       "Transfer-Encoding: chunked\r\n\r\n"),
	        ERR_BAD_REQUEST);
}

static void
test_transfer_encoding_not_chunked(void **state)
{
	static const char *const te[] = {
	        "gzip",
	        "identity",
	        "gzip, chunked",
	        "chunked, gzip",
	        "chunked;q=1",
	        "chunk",
	        "",
	        "xchunked",
	};
	char req[160];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(te) / sizeof(te[0]); i++) {
		enum err e;

		snprintf(req, sizeof(req),
		        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: "
		        "%s\r\n"
		        "\r\n",
		        te[i]);
		e = parse(req);
		if (e != ERR_NOT_IMPLEMENTED)
			fail_msg("Transfer-Encoding \"%s\": got %d, want %d",
			        te[i], e, ERR_NOT_IMPLEMENTED);
	}
	/* A second Transfer-Encoding field is refused as well. */
	assert_int_equal(parse("POST / HTTP/1.1\r\nHost: h\r\n"
	                       "Transfer-Encoding: chunked\r\n"
	                       "Transfer-Encoding: chunked\r\n\r\n"),
	        ERR_NOT_IMPLEMENTED);
}

static void
test_content_length_with_transfer_encoding(void **state)
{
	(void)state;
	assert_int_equal(parse("POST / HTTP/1.1\r\nHost: h\r\n"
	                       "Content-Length: 5\r\n"
	                       "Transfer-Encoding: chunked\r\n\r\n"),
	        ERR_BAD_REQUEST);
	assert_int_equal(parse("POST / HTTP/1.1\r\nHost: h\r\n"
	                       "Transfer-Encoding: chunked\r\n"
	                       "Content-Length: 5\r\n\r\n"),
	        ERR_BAD_REQUEST);
	assert_int_equal(parse("POST / HTTP/1.1\r\nHost: h\r\n"
	                       "Transfer-Encoding: chunked\r\n"
	                       "Content-Length: 0\r\n\r\n"),
	        ERR_BAD_REQUEST);
}

static void
test_http_versions(void **state)
{
	static const struct {
		const char *v;
		enum err e;
	} vs[] = {
	        {"HTTP/1.1", ERR_OK},
	        {"HTTP/1.0", ERR_OK},
	        {"HTTP/2.0", ERR_HTTP_VERSION},
	        {"HTTP/3.0", ERR_HTTP_VERSION},
	        {"HTTP/0.9", ERR_HTTP_VERSION},
	        {"HTTP/9.9", ERR_HTTP_VERSION},
	        {"http/1.1", ERR_BAD_REQUEST},
	        {"HTTP/1", ERR_BAD_REQUEST},
	        {"HTTP/1.", ERR_BAD_REQUEST},
	        {"HTTP/1.1.1", ERR_BAD_REQUEST},
	        {"HTTP/11.1", ERR_BAD_REQUEST},
	        {"HTTP/1.a", ERR_BAD_REQUEST},
	        {"HTTP/a.1", ERR_BAD_REQUEST},
	        {"HTTP/1,1", ERR_BAD_REQUEST},
	        {"HTTP/1.1 ", ERR_BAD_REQUEST},
	        {"HTTP/2", ERR_BAD_REQUEST},
	        {"HTTPS/1.1", ERR_BAD_REQUEST},
	        {"", ERR_BAD_REQUEST},
	};
	char req[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(vs) / sizeof(vs[0]); i++) {
		enum err e;

		snprintf(req, sizeof(req), "GET / %s\r\nHost: h\r\n\r\n",
		        vs[i].v);
		e = parse(req);
		if (e != vs[i].e)
			fail_msg("version \"%s\": got %d, want %d", vs[i].v, e,
			        vs[i].e);
	}
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n"), ERR_OK);
	assert_int_equal(head.minor, 1);
}

static void
test_request_line_shape(void **state)
{
	static const char *const bad[] = {
	        "GET  / HTTP/1.1",
	        "GET /  HTTP/1.1",
	        " GET / HTTP/1.1",
	        "GET\t/ HTTP/1.1",
	        "GET /\tHTTP/1.1",
	        "GET / HTTP/1.1 extra",
	        "GET /",
	        "GET / ",
	        "GET",
	        "/ HTTP/1.1",
	        "G(T / HTTP/1.1",
	        "GET /a b HTTP/1.1",
	        "GET /a\x01 HTTP/1.1",
	        "GET /a\x7f HTTP/1.1",
	        "GET /caf\xc3\xa9 HTTP/1.1",
	        "",
	};
	char req[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(req, sizeof(req), "%s\r\nHost: h\r\n\r\n", bad[i]);
		if (parse(req) != ERR_BAD_REQUEST)
			fail_msg("request line \"%s\" accepted", esc(bad[i]));
	}
}

/* Absolute form is accepted (RFC 9112 section 3.2.2) and reduced to its
 * path and query; authority and asterisk forms are refused. */
static void
test_request_target_forms(void **state)
{
	struct http_head h;
	const char *d;
	const char *req = "GET http://example.com/v1/x?a=1 HTTP/1.1\r\n"
	                  "Host: example.com\r\n\r\n";

	(void)state;
	assert_int_equal(http_parse_head(req, strlen(req), &h, &d), ERR_OK);
	assert_int_equal(h.target_len, strlen("/v1/x?a=1"));
	assert_memory_equal(h.target, "/v1/x?a=1", h.target_len);
	req = "GET HTTPS://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n";
	assert_int_equal(http_parse_head(req, strlen(req), &h, &d), ERR_OK);
	assert_int_equal(h.target_len, 1);
	assert_memory_equal(h.target, "/", 1);
	assert_int_equal(parse("GET http:///x HTTP/1.1\r\n"
	                       "Host: example.com\r\n\r\n"),
	        ERR_BAD_REQUEST);
	assert_int_equal(parse("GET ftp://example.com/ HTTP/1.1\r\n"
	                       "Host: example.com\r\n\r\n"),
	        ERR_BAD_REQUEST);
	assert_int_equal(parse("CONNECT example.com:443 HTTP/1.1\r\n"
	                       "Host: example.com\r\n\r\n"),
	        ERR_BAD_REQUEST);
	assert_int_equal(parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"),
	        ERR_BAD_REQUEST);
	assert_int_equal(
	        parse("GET ?x HTTP/1.1\r\nHost: h\r\n\r\n"), ERR_BAD_REQUEST);
}

static void
test_incomplete_heads(void **state)
{
	(void)state;
	assert_int_equal(parse_n("", 0), ERR_BAD_REQUEST);
	assert_int_equal(parse("\r\n\r"), ERR_BAD_REQUEST);
	assert_int_equal(parse("\r\n\r\n"), ERR_BAD_REQUEST);
	assert_int_equal(
	        parse("GET / HTTP/1.1\r\nHost: h\r\n"), ERR_BAD_REQUEST);
	assert_int_equal(
	        parse("GET / HTTP/1.1\r\nHost: h\n\n"), ERR_BAD_REQUEST);
	assert_int_equal(parse("GET / HTTP/1.1\n\n\r\n\r\n"), ERR_BAD_REQUEST);
	/* No empty lines before the request line. */
	assert_int_equal(parse("\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"),
	        ERR_BAD_REQUEST);
}

/* Every prefix of a valid head but the whole is incomplete or bad. */
static void
test_every_truncation_rejected(void **state)
{
	const char *req = "POST /v1/x HTTP/1.1\r\nHost: h\r\n"
	                  "Content-Length: 3\r\nConnection: close\r\n\r\n";
	size_t n = strlen(req), i;

	(void)state;
	for (i = 0; i < n; i++)
		assert_int_not_equal(parse_n(req, i), ERR_OK);
	assert_int_equal(parse_n(req, n), ERR_OK);
}

static void
test_header_count_limit(void **state)
{
	char req[8192];
	size_t off;
	int i;

	(void)state;
	/* Exactly HTTP_MAX_HEADERS fields are accepted. */
	off = (size_t)snprintf(
	        req, sizeof(req), "GET / HTTP/1.1\r\nHost: h\r\n");
	for (i = 1; i < HTTP_MAX_HEADERS; i++)
		off += (size_t)snprintf(
		        req + off, sizeof(req) - off, "X-H%d: %d\r\n", i, i);
	snprintf(req + off, sizeof(req) - off, "\r\n");
	assert_int_equal(parse(req), ERR_OK);
	assert_int_equal(head.nheaders, HTTP_MAX_HEADERS);
	check_header("x-h63", "63");
	/* One more is a 431. */
	off += (size_t)snprintf(req + off, sizeof(req) - off, "X-Last: z\r\n");
	snprintf(req + off, sizeof(req) - off, "\r\n");
	assert_int_equal(parse(req), ERR_HEADERS_TOO_LARGE);
	/* Far more as well, without overrunning the array. */
	for (i = 0; i < 100; i++)
		off += (size_t)snprintf(
		        req + off, sizeof(req) - off, "Y%d: y\r\n", i);
	snprintf(req + off, sizeof(req) - off, "\r\n");
	assert_int_equal(parse(req), ERR_HEADERS_TOO_LARGE);
}

static void
test_expect_continue(void **state)
{
	(void)state;
	assert_int_equal(parse("POST / HTTP/1.1\r\nHost: h\r\n"
	                       "Content-Length: 3\r\nExpect: 100-continue\r\n"
	                       "\r\n"),
	        ERR_OK);
	assert_int_equal(head.expect_continue, 1);
	assert_int_equal(parse("POST / HTTP/1.1\r\nHost: h\r\n"
	                       "Content-Length: 3\r\nexpect: 100-Continue\r\n"
	                       "\r\n"),
	        ERR_OK);
	assert_int_equal(head.expect_continue, 1);
	assert_int_equal(parse("POST / HTTP/1.1\r\nHost: h\r\n"
	                       "Content-Length: 3\r\nExpect: 200-ok\r\n\r\n"),
	        ERR_OK);
	assert_int_equal(head.expect_continue, 0);
}

/* Parsing a second head resets everything from the first. */
static void
test_head_is_reset_between_parses(void **state)
{
	(void)state;
	assert_int_equal(parse("POST / HTTP/1.1\r\nHost: h\r\n"
	                       "Transfer-Encoding: chunked\r\n"
	                       "Expect: 100-continue\r\nConnection: close\r\n"
	                       "\r\n"),
	        ERR_OK);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n"), ERR_OK);
	assert_int_equal(head.chunked, 0);
	assert_int_equal(head.expect_continue, 0);
	assert_int_equal(head.keep_alive, 1);
	assert_int_equal(head.content_length, -1);
	assert_int_equal(head.nheaders, 1);
}

/* ---- chunked decoder ---- */

struct decoded {
	enum http_chunked_status st;
	char out[16384];
	size_t outlen;
	size_t consumed; /* total input consumed (meaningful unless BAD) */
};

/*
 * Feeds in[0..len) in pieces ending at ends[0], ends[1], ... (the last one
 * is len; empty pieces are allowed). Each piece is an exact-size heap
 * copy, and so is its output buffer, so ASan sees any overrun.
 */
static void
decode_pieces(const char *in, size_t len, size_t max, const size_t *ends,
        size_t nends, struct decoded *d)
{
	struct http_chunked c;
	size_t off = 0, i;

	memset(&c, 0, sizeof(c));
	d->st = HTTP_CHUNKED_MORE;
	d->outlen = 0;
	d->consumed = 0;
	for (i = 0; i < nends; i++) {
		size_t n = ends[i] - off;
		char *piece = malloc(n > 0 ? n : 1);
		char *out = malloc(n > 0 ? n : 1);
		size_t outlen = 12345, consumed = 12345;

		assert_true(ends[i] >= off && ends[i] <= len);
		assert_non_null(piece);
		assert_non_null(out);
		memcpy(piece, in + off, n);
		d->st = http_chunked_feed(
		        &c, piece, n, max, out, &outlen, &consumed);
		assert_true(outlen <= n);
		assert_true(d->outlen + outlen <= sizeof(d->out));
		memcpy(d->out + d->outlen, out, outlen);
		d->outlen += outlen;
		free(piece);
		free(out);
		if (d->st == HTTP_CHUNKED_DONE) {
			assert_true(consumed <= n);
			d->consumed = off + consumed;
			return;
		}
		if (d->st != HTTP_CHUNKED_MORE)
			return;
		assert_int_equal(consumed, n); /* MORE: all input used */
		off += n;
		d->consumed = off;
	}
}

static size_t ends[40000];

static void
decode_step(
        const char *in, size_t len, size_t max, size_t step, struct decoded *d)
{
	size_t n = 0, off = 0;

	while (off < len) {
		off = off + step < len ? off + step : len;
		ends[n++] = off;
	}
	if (n == 0)
		ends[n++] = 0;
	decode_pieces(in, len, max, ends, n, d);
}

static void
same_result(const struct decoded *a, const struct decoded *b, const char *how,
        size_t k)
{
	if (a->st != b->st)
		fail_msg("%s %zu: status %d, in one piece %d", how, k, a->st,
		        b->st);
	if (a->outlen != b->outlen || memcmp(a->out, b->out, a->outlen) != 0)
		fail_msg("%s %zu: output differs from one piece", how, k);
	if (b->st == HTTP_CHUNKED_DONE || b->st == HTTP_CHUNKED_MORE)
		if (a->consumed != b->consumed)
			fail_msg("%s %zu: consumed %zu, in one piece %zu", how,
			        k, a->consumed, b->consumed);
}

/*
 * Decodes in one piece, then byte by byte and in steps, split once at
 * every point, and in random pieces (empty ones included): all agree.
 */
static void
decode_all_ways(const char *in, size_t len, size_t max, struct decoded *d)
{
	static struct decoded other;
	static const size_t big_steps[] = {100, 257, 1000, 4097};
	unsigned seed = (unsigned)len * 2654435761u + 1u;
	size_t k;

	ends[0] = len;
	decode_pieces(in, len, max, ends, 1, d);
	for (k = 1; k <= 64 && k <= len + 1; k++) {
		decode_step(in, len, max, k, &other);
		same_result(&other, d, "step", k);
	}
	for (k = 0; k < sizeof(big_steps) / sizeof(big_steps[0]); k++)
		if (big_steps[k] < len) {
			decode_step(in, len, max, big_steps[k], &other);
			same_result(&other, d, "step", big_steps[k]);
		}
	if (len <= 2048)
		for (k = 0; k <= len; k++) {
			ends[0] = k;
			ends[1] = len;
			decode_pieces(in, len, max, ends, 2, &other);
			same_result(&other, d, "cut at", k);
		}
	for (k = 0; k < 20; k++) {
		size_t n = 0, off = 0;

		while (off < len) {
			seed = seed * 1103515245u + 12345u;
			off += (seed >> 16) % 8; /* 0..7: empty pieces too */
			if (off > len)
				off = len;
			ends[n++] = off;
		}
		ends[n++] = len;
		decode_pieces(in, len, max, ends, n, &other);
		same_result(&other, d, "random split", k);
	}
}

static void
expect_body(const char *in, const char *body)
{
	static struct decoded d;
	size_t len = strlen(in);

	decode_all_ways(in, len, 1 << 20, &d);
	if (d.st != HTTP_CHUNKED_DONE)
		fail_msg("status %d for \"%s\"", d.st, esc(in));
	assert_int_equal(d.consumed, len);
	assert_int_equal(d.outlen, strlen(body));
	assert_memory_equal(d.out, body, d.outlen);
}

static void
expect_status(const char *in, size_t max, enum http_chunked_status st)
{
	static struct decoded d;

	decode_all_ways(in, strlen(in), max, &d);
	if (d.st != st)
		fail_msg("status %d for \"%s\", want %d", d.st, esc(in), st);
}

static void
test_chunked_simple(void **state)
{
	(void)state;
	expect_body("5\r\nhello\r\n0\r\n\r\n", "hello");
	expect_body("5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world");
	expect_body("0\r\n\r\n", "");
	expect_body("1\r\n\r\r\n1\r\n\n\r\n0\r\n\r\n", "\r\n");
	expect_body("a\r\n0123456789\r\nA\r\nabcdefghij\r\n0\r\n\r\n",
	        "0123456789abcdefghij");
	expect_body("0005\r\nhello\r\n000\r\n\r\n", "hello");
	expect_body("F\r\n0123456789abcde\r\n0\r\n\r\n", "0123456789abcde");
}

static void
test_chunked_binary_data(void **state)
{
	static const char in[] = "4\r\n\0\xff\r\n\r\n0\r\n\r\n";
	static struct decoded d;

	(void)state;
	decode_all_ways(in, sizeof(in) - 1, 100, &d);
	assert_int_equal(d.st, HTTP_CHUNKED_DONE);
	assert_int_equal(d.outlen, 4);
	assert_memory_equal(d.out, "\0\xff\r\n", 4);
}

static void
test_chunked_extensions(void **state)
{
	(void)state;
	expect_body("5;name=value\r\nhello\r\n0\r\n\r\n", "hello");
	expect_body("5;a;b=\"quoted;\"\r\nhello\r\n0;last\r\n\r\n", "hello");
	expect_body("5 ;x\r\nhello\r\n0\r\n\r\n", "hello");
	expect_body("5\t;x\r\nhello\r\n0\r\n\r\n", "hello");
	/* A bare LF inside an extension is not accepted. */
	expect_status("5;a\nb\r\nhello\r\n0\r\n\r\n", 100, HTTP_CHUNKED_BAD);
}

static void
test_chunked_trailers(void **state)
{
	(void)state;
	expect_body("5\r\nhello\r\n0\r\nX-Trailer: a\r\n\r\n", "hello");
	expect_body("5\r\nhello\r\n0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", "hello");
	/* Bare LF inside a trailer line; CR not followed by LF. */
	expect_status("0\r\nA: 1\n\r\n", 100, HTTP_CHUNKED_BAD);
	expect_status("0\r\nA: 1\rB\r\n\r\n", 100, HTTP_CHUNKED_BAD);
	expect_status("0\r\n\rX", 100, HTTP_CHUNKED_BAD);
}

/*
 * A bare LF where a trailer line or the final CRLF should start is bad,
 * like every other bare LF in the framing. Accepting it as the first byte
 * of a trailer line lets "0\r\n\n" (the end of the body for a peer that
 * takes LF as a line end) swallow the next request as trailers: a request
 * smuggling desync.
 */
static void
test_chunked_bare_lf_in_trailer_section(void **state)
{
	static struct decoded d;
	const char *smuggle = "0\r\n\nGET /admin HTTP/1.1\r\nHost: x\r\n\r\n";

	(void)state;
	decode_all_ways(smuggle, strlen(smuggle), 100, &d);
	if (d.st == HTTP_CHUNKED_DONE)
		fail_msg("\"%s\" decoded as one body (%zu of %zu bytes)",
		        esc(smuggle), d.consumed, strlen(smuggle));
	assert_int_equal(d.st, HTTP_CHUNKED_BAD);
	expect_status("0\r\n\n", 100, HTTP_CHUNKED_BAD);
	expect_status("0\r\nA: 1\r\n\n", 100, HTTP_CHUNKED_BAD);
	expect_status(
	        "5\r\nhello\r\n0\r\n\nX: y\r\n\r\n", 100, HTTP_CHUNKED_BAD);
}

static void
test_chunked_bad_size_line(void **state)
{
	static const char *const bad[] = {
	        "g\r\n",
	        "\r\n",
	        ";ext\r\n",
	        " 5\r\nhello\r\n0\r\n\r\n",
	        "-5\r\n",
	        "0x5\r\nhello\r\n0\r\n\r\n",
	        "5x\r\nhello\r\n0\r\n\r\n",
	        "5\nhello\r\n0\r\n\r\n",
	        "5\r\rhello\r\n0\r\n\r\n",
	        "5\r\nhello\r\n0\n\r\n",
	        "+5\r\nhello\r\n0\r\n\r\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_status(bad[i], 100, HTTP_CHUNKED_BAD);
}

static void
test_chunked_bad_data_framing(void **state)
{
	(void)state;
	/* Data longer than declared: no CRLF where it must be. */
	expect_status("5\r\nhelloX\r\n0\r\n\r\n", 100, HTTP_CHUNKED_BAD);
	/* Data shorter than declared eats the CRLF, then fails. */
	expect_status("5\r\nhell\r\n0\r\n\r\n", 100, HTTP_CHUNKED_BAD);
	/* LF only, CR only after the data. */
	expect_status("5\r\nhello\n0\r\n\r\n", 100, HTTP_CHUNKED_BAD);
	expect_status("5\r\nhello\r0\r\n\r\n", 100, HTTP_CHUNKED_BAD);
	expect_status("5\r\nhello0\r\n\r\n", 100, HTTP_CHUNKED_BAD);
}

static void
test_chunked_incomplete_is_more(void **state)
{
	static const char *const partial[] = {
	        "",
	        "5",
	        "5\r",
	        "5\r\n",
	        "5\r\nhel",
	        "5\r\nhello",
	        "5\r\nhello\r",
	        "5\r\nhello\r\n",
	        "5\r\nhello\r\n0",
	        "5\r\nhello\r\n0\r\n",
	        "5\r\nhello\r\n0\r\n\r",
	        "5\r\nhello\r\n0\r\nX: y",
	        "5\r\nhello\r\n0\r\nX: y\r\n",
	        "5;ext",
	        "5;ext\r",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(partial) / sizeof(partial[0]); i++)
		expect_status(partial[i], 100, HTTP_CHUNKED_MORE);
}

/* Bytes after the body belong to the next request: not consumed. */
static void
test_chunked_stops_at_end_of_body(void **state)
{
	const char *in = "5\r\nhello\r\n0\r\n\r\nGET / HTTP/1.1\r\n";
	static struct decoded d;

	(void)state;
	decode_all_ways(in, strlen(in), 100, &d);
	assert_int_equal(d.st, HTTP_CHUNKED_DONE);
	assert_int_equal(d.consumed, strlen("5\r\nhello\r\n0\r\n\r\n"));
	assert_int_equal(d.outlen, 5);
}

static void
test_chunked_after_done(void **state)
{
	struct http_chunked c;
	const char *in = "0\r\n\r\n";
	char out[16];
	size_t outlen, consumed;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(
	        http_chunked_feed(&c, in, 5, 10, out, &outlen, &consumed),
	        HTTP_CHUNKED_DONE);
	assert_int_equal(consumed, 5);
	assert_int_equal(http_chunked_feed(&c, "5\r\nhello", 8, 10, out,
	                         &outlen, &consumed),
	        HTTP_CHUNKED_DONE);
	assert_int_equal(consumed, 0);
	assert_int_equal(outlen, 0);
}

static void
test_chunked_size_limit(void **state)
{
	(void)state;
	expect_status("5\r\nhello\r\n0\r\n\r\n", 4, HTTP_CHUNKED_TOO_LARGE);
	expect_status("5\r\nhello\r\n0\r\n\r\n", 5, HTTP_CHUNKED_DONE);
	expect_status("5\r\nhello\r\n0\r\n\r\n", 0, HTTP_CHUNKED_TOO_LARGE);
	expect_status("0\r\n\r\n", 0, HTTP_CHUNKED_DONE);
	/* The cap is on the total, across chunks. */
	expect_status("5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", 9,
	        HTTP_CHUNKED_TOO_LARGE);
	expect_status(
	        "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", 10, HTTP_CHUNKED_DONE);
	/* Refused from the size line alone, before any data arrives. */
	expect_status("100000\r\n", 1000, HTTP_CHUNKED_TOO_LARGE);
	/* Huge sizes never overflow. */
	expect_status(
	        "fffffffffffffff\r\n", (size_t)1 << 40, HTTP_CHUNKED_TOO_LARGE);
	expect_status("ffffffffffffffff\r\n", SIZE_MAX, HTTP_CHUNKED_TOO_LARGE);
	expect_status("10000000000000000000000000001\r\n", SIZE_MAX,
	        HTTP_CHUNKED_TOO_LARGE);
}

static void
test_chunked_line_length_limits(void **state)
{
	char *in = malloc(20000);
	size_t off;

	(void)state;
	assert_non_null(in);
	/* A long but bounded extension is fine. */
	off = (size_t)sprintf(in, "1;");
	memset(in + off, 'e', 4000);
	off += 4000;
	strcpy(in + off, "\r\nx\r\n0\r\n\r\n");
	expect_body(in, "x");
	/* An endless one is refused. */
	off = (size_t)sprintf(in, "1;");
	memset(in + off, 'e', 10000);
	off += 10000;
	strcpy(in + off, "\r\nx\r\n0\r\n\r\n");
	expect_status(in, 100, HTTP_CHUNKED_BAD);
	/* Same for a trailer line. */
	off = (size_t)sprintf(in, "0\r\nX: ");
	memset(in + off, 't', 10000);
	off += 10000;
	strcpy(in + off, "\r\n\r\n");
	expect_status(in, 100, HTTP_CHUNKED_BAD);
	free(in);
}

/* A larger body, split every way, agrees with one piece. */
static void
test_chunked_random_splits(void **state)
{
	static char in[4096];
	static char want[4096];
	static struct decoded d;
	size_t off = 0, wlen = 0;
	unsigned seed = 12345;
	int i;

	(void)state;
	for (i = 0; i < 20; i++) {
		size_t n = (size_t)(i * 7 % 23) + 1, k;

		off += (size_t)sprintf(
		        in + off, "%zx%s\r\n", n, i % 3 == 0 ? ";e=1" : "");
		for (k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			in[off + k] = (char)(seed >> 16);
			want[wlen++] = in[off + k];
		}
		off += n;
		memcpy(in + off, "\r\n", 2);
		off += 2;
	}
	off += (size_t)sprintf(in + off, "0\r\nT: v\r\n\r\n");
	decode_all_ways(in, off, 100000, &d);
	assert_int_equal(d.st, HTTP_CHUNKED_DONE);
	assert_int_equal(d.consumed, off);
	assert_int_equal(d.outlen, wlen);
	assert_memory_equal(d.out, want, wlen);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_simple_get),
	        cmocka_unit_test(test_post_with_body_length),
	        cmocka_unit_test(test_all_known_methods_and_unknown),
	        cmocka_unit_test(test_header_value_whitespace_trimmed),
	        cmocka_unit_test(test_head_get_first_and_null_len),
	        cmocka_unit_test(test_token_eq),
	        cmocka_unit_test(test_keep_alive_defaults),
	        cmocka_unit_test(test_connection_close),
	        cmocka_unit_test(test_host_rules),
	        cmocka_unit_test(test_space_before_colon_rejected),
	        cmocka_unit_test(test_obs_fold_rejected),
	        cmocka_unit_test(test_malformed_header_lines),
	        cmocka_unit_test(test_control_characters_in_values),
	        cmocka_unit_test(test_content_length_rules),
	        cmocka_unit_test(test_content_length_invalid_values),
	        cmocka_unit_test(test_transfer_encoding),
	        cmocka_unit_test(test_transfer_encoding_not_chunked),
	        cmocka_unit_test(test_content_length_with_transfer_encoding),
	        cmocka_unit_test(test_http_versions),
	        cmocka_unit_test(test_request_line_shape),
	        cmocka_unit_test(test_request_target_forms),
	        cmocka_unit_test(test_incomplete_heads),
	        cmocka_unit_test(test_every_truncation_rejected),
	        cmocka_unit_test(test_header_count_limit),
	        cmocka_unit_test(test_expect_continue),
	        cmocka_unit_test(test_head_is_reset_between_parses),
	        cmocka_unit_test(test_chunked_simple),
	        cmocka_unit_test(test_chunked_binary_data),
	        cmocka_unit_test(test_chunked_extensions),
	        cmocka_unit_test(test_chunked_trailers),
	        cmocka_unit_test(test_chunked_bare_lf_in_trailer_section),
	        cmocka_unit_test(test_chunked_bad_size_line),
	        cmocka_unit_test(test_chunked_bad_data_framing),
	        cmocka_unit_test(test_chunked_incomplete_is_more),
	        cmocka_unit_test(test_chunked_stops_at_end_of_body),
	        cmocka_unit_test(test_chunked_after_done),
	        cmocka_unit_test(test_chunked_size_limit),
	        cmocka_unit_test(test_chunked_line_length_limits),
	        cmocka_unit_test(test_chunked_random_splits),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
