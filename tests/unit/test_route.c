/*
 * test_route.c - path patterns, parameters, 404 vs 405, percent-decoding
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "route.h"
#include "utf8.h"

/* A route-table row as the server declares it: the key comes first. */
struct row {
	struct route_key key;
	int id;
	const char *extra;
};

static const struct row table[] = {
        {{HTTP_GET, "/"}, 100, "root"},
        {{HTTP_GET, "/v1/things"}, 101, NULL},
        {{HTTP_POST, "/v1/things"}, 102, NULL},
        {{HTTP_GET, "/v1/things/special"}, 103, NULL},
        {{HTTP_GET, "/v1/things/{id}"}, 104, NULL},
        {{HTTP_PUT, "/v1/things/{id}"}, 105, NULL},
        {{HTTP_DELETE, "/v1/things/{id}"}, 106, NULL},
        {{HTTP_GET, "/v1/things/{id}/parts/{part}"}, 107, NULL},
        {{HTTP_HEAD, "/v1/ping"}, 108, NULL},
        {{HTTP_OPTIONS, "/v1/ping"}, 109, NULL},
        {{HTTP_GET, "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}"}, 110, NULL},
        {{HTTP_GET, "/nine/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}"}, 111, NULL},
};

#define NROWS (sizeof(table) / sizeof(table[0]))

struct ctx {
	struct arena *a;
	struct route_params params;
	unsigned allowed;
};

static int
setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return -1;
	c->a = arena_new(0);
	*state = c;
	return 0;
}

static int
teardown(void **state)
{
	struct ctx *c = *state;

	arena_free(c->a);
	free(c);
	return 0;
}

/* Looks path up and returns the row id, -1 or -2. */
static int
look(struct ctx *c, unsigned method, const char *path)
{
	int r;

	memset(&c->params, 0x5a, sizeof(c->params));
	c->allowed = 0xdead;
	r = route_lookup(table, NROWS, sizeof(struct row), path, method, c->a,
	        &c->params, &c->allowed);
	assert_true(r >= -2 && r < (int)NROWS);
	if (r < 0) {
		assert_int_equal(c->params.n, 0);
		return r;
	}
	assert_true(c->params.n >= 0 && c->params.n <= ROUTE_MAX_PARAMS);
	return table[r].id;
}

/* The path with non-printable bytes shown as \\xNN, for messages. */
static const char *
esc(const char *s)
{
	static char buf[256];
	size_t o = 0;

	for (; *s != '\0' && o + 5 < sizeof(buf); s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch >= 0x7f)
			o += (size_t)snprintf(
			        buf + o, sizeof(buf) - o, "\\x%02x", ch);
		else
			buf[o++] = (char)ch;
	}
	buf[o] = '\0';
	return buf;
}

static void
test_exact_match(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(look(c, HTTP_GET, "/v1/things"), 101);
	assert_int_equal(c->params.n, 0);
	assert_int_equal(look(c, HTTP_POST, "/v1/things"), 102);
	assert_int_equal(look(c, HTTP_GET, "/"), 100);
	assert_int_equal(c->params.n, 0);
}

static void
test_first_row_wins(void **state)
{
	struct ctx *c = *state;

	/* "special" is declared before "{id}", so it wins. */
	assert_int_equal(look(c, HTTP_GET, "/v1/things/special"), 103);
	assert_int_equal(c->params.n, 0);
	/* Other methods fall through to the {id} rows. */
	assert_int_equal(look(c, HTTP_PUT, "/v1/things/special"), 105);
	assert_string_equal(route_param(&c->params, "id"), "special");
}

static void
test_params_captured_and_decoded(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(look(c, HTTP_GET, "/v1/things/42"), 104);
	assert_int_equal(c->params.n, 1);
	assert_int_equal(c->params.name_len[0], 2);
	assert_memory_equal(c->params.name[0], "id", 2);
	assert_string_equal(c->params.value[0], "42");
	assert_string_equal(route_param(&c->params, "id"), "42");
	assert_null(route_param(&c->params, "i"));
	assert_null(route_param(&c->params, "idx"));
	assert_null(route_param(&c->params, ""));

	assert_int_equal(
	        look(c, HTTP_GET, "/v1/things/a%20b/parts/caf%C3%a9"), 107);
	assert_int_equal(c->params.n, 2);
	assert_string_equal(route_param(&c->params, "id"), "a b");
	assert_string_equal(route_param(&c->params, "part"), "caf\xc3\xa9");
	assert_string_equal(c->params.value[0], "a b");
	assert_string_equal(c->params.value[1], "caf\xc3\xa9");

	/* '+' is not a space in a path; reserved chars survive decoding. */
	assert_int_equal(look(c, HTTP_DELETE, "/v1/things/a+b%3F%23%25"), 106);
	assert_string_equal(route_param(&c->params, "id"), "a+b?#%");
	/* Raw UTF-8 in a parameter is kept as is. */
	assert_int_equal(
	        look(c, HTTP_GET, "/v1/things/\xc3\xa9t\xc3\xa9"), 104);
	assert_string_equal(route_param(&c->params, "id"), "\xc3\xa9t\xc3\xa9");
	/* Dots inside a segment are fine. */
	assert_int_equal(look(c, HTTP_GET, "/v1/things/.hidden"), 104);
	assert_string_equal(route_param(&c->params, "id"), ".hidden");
	assert_int_equal(look(c, HTTP_GET, "/v1/things/..."), 104);
	assert_string_equal(route_param(&c->params, "id"), "...");
}

static void
test_eight_params_and_more(void **state)
{
	struct ctx *c = *state;
	int i;

	assert_int_equal(look(c, HTTP_GET, "/1/2/3/4/5/6/7/8"), 110);
	assert_int_equal(c->params.n, 8);
	for (i = 0; i < 8; i++) {
		char want[2] = {(char)('1' + i), '\0'};
		char name[2] = {(char)('a' + i), '\0'};

		assert_string_equal(c->params.value[i], want);
		assert_string_equal(route_param(&c->params, name), want);
	}
	/* A pattern with more than ROUTE_MAX_PARAMS never matches. */
	assert_int_equal(look(c, HTTP_GET, "/nine/1/2/3/4/5/6/7/8/9"), -1);
	assert_int_equal(c->allowed, 0);
}

static void
test_head_matches_get(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(look(c, HTTP_HEAD, "/v1/things"), 101);
	assert_int_equal(look(c, HTTP_HEAD, "/v1/things/7"), 104);
	assert_string_equal(route_param(&c->params, "id"), "7");
	/* An explicit HEAD row is matched as such. */
	assert_int_equal(look(c, HTTP_HEAD, "/v1/ping"), 108);
	/* But GET does not match a HEAD-only row. */
	assert_int_equal(look(c, HTTP_GET, "/v1/ping"), -1);
	assert_int_equal(c->allowed, HTTP_HEAD | HTTP_OPTIONS);
}

static void
test_405_allowed_set(void **state)
{
	struct ctx *c = *state;
	char buf[128];

	assert_int_equal(look(c, HTTP_PATCH, "/v1/things"), -1);
	assert_int_equal(c->allowed, HTTP_GET | HTTP_POST);
	assert_string_equal(route_allow_header(c->allowed, buf, sizeof(buf)),
	        "GET, HEAD, POST");

	assert_int_equal(look(c, HTTP_POST, "/v1/things/9"), -1);
	assert_int_equal(c->allowed, HTTP_GET | HTTP_PUT | HTTP_DELETE);
	assert_string_equal(route_allow_header(c->allowed, buf, sizeof(buf)),
	        "GET, HEAD, PUT, DELETE");

	/* Both the literal and the {id} rows contribute. */
	assert_int_equal(look(c, HTTP_POST, "/v1/things/special"), -1);
	assert_int_equal(c->allowed, HTTP_GET | HTTP_PUT | HTTP_DELETE);

	/* An unknown method (0) on a known path is a 405 too. */
	assert_int_equal(look(c, 0, "/v1/things"), -1);
	assert_int_equal(c->allowed, HTTP_GET | HTTP_POST);
	assert_int_equal(look(c, HTTP_DELETE, "/"), -1);
	assert_int_equal(c->allowed, HTTP_GET);
}

static void
test_404_unknown_paths(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(look(c, HTTP_GET, "/v2/things"), -1);
	assert_int_equal(c->allowed, 0);
	assert_int_equal(look(c, HTTP_GET, "/v1"), -1);
	assert_int_equal(c->allowed, 0);
	assert_int_equal(look(c, HTTP_GET, "/v1/thing"), -1);
	assert_int_equal(c->allowed, 0);
	assert_int_equal(look(c, HTTP_GET, "/v1/thingsx"), -1);
	assert_int_equal(c->allowed, 0);
	assert_int_equal(look(c, HTTP_GET, "/V1/THINGS"), -1);
	assert_int_equal(c->allowed, 0);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/1/parts"), -1);
	assert_int_equal(c->allowed, 0);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/1/parts/2/3"), -1);
	assert_int_equal(c->allowed, 0);
	/* Literal segments are compared as sent, not decoded. */
	assert_int_equal(look(c, HTTP_GET, "/v1/th%69ngs"), -1);
	assert_int_equal(c->allowed, 0);
}

static void
test_trailing_slash_is_404(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(look(c, HTTP_GET, "/v1/things/"), -1);
	assert_int_equal(c->allowed, 0);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/42/"), -1);
	assert_int_equal(c->allowed, 0);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/42/parts/"), -1);
	assert_int_equal(c->allowed, 0);
}

static void
test_decoded_slash_in_param_rejected(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(look(c, HTTP_GET, "/v1/things/a%2Fb"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/a%2fb"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/%2F"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/x/parts/%2F"), -2);
}

static void
test_bad_encoding_in_param_rejected(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(look(c, HTTP_GET, "/v1/things/%"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/%4"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/a%4"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/%zz"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/%G1"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/%1G"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/%%41"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/x/parts/%"), -2);
}

static void
test_controls_in_param_rejected(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(look(c, HTTP_GET, "/v1/things/%00"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/a%00b"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/%01"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/%0A"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/%0d%0a"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/%1f"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/%7F"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/a\tb"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/a\x7f"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/\x1b[0m"), -2);
	/* Not controls: space (encoded), UTF-8 sequences. */
	assert_int_equal(look(c, HTTP_GET, "/v1/things/%20"), 104);
	assert_string_equal(route_param(&c->params, "id"), " ");
	assert_int_equal(look(c, HTTP_GET, "/v1/things/%C2%80"), 104);
	assert_string_equal(route_param(&c->params, "id"), "\xc2\x80");
}

/* A parameter must decode to well-formed UTF-8. */
static void
test_non_utf8_param_rejected(void **state)
{
	struct ctx *c = *state;

	assert_int_equal(look(c, HTTP_GET, "/v1/things/%80%ff"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/%ff"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/caf%E9"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/%C3"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/%C0%AF"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/%ED%A0%80"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/\xff"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/\xc3"), -2);
	assert_int_equal(look(c, HTTP_GET, "/v1/things/ok/parts/\xc3("), -2);
	/* Mixed raw and encoded halves of one character are fine. */
	assert_int_equal(look(c, HTTP_GET, "/v1/things/\xc3%A9"), 104);
	assert_string_equal(route_param(&c->params, "id"), "\xc3\xa9");
}

static void
test_utf8_valid(void **state)
{
	static const struct {
		const char *s;
		size_t len;
		int ok;
	} v[] = {
	        {"", 0, 1}, {"abc", 3, 1}, {"a\0b", 3, 1},
	        {"\xc3\xa9", 2, 1},                 /* U+00E9 */
	        {"\xc2\x80", 2, 1},                 /* U+0080 */
	        {"\xdf\xbf", 2, 1},                 /* U+07FF */
	        {"\xe0\xa0\x80", 3, 1},             /* U+0800 */
	        {"\xe2\x82\xac", 3, 1},             /* U+20AC */
	        {"\xed\x9f\xbf", 3, 1},             /* U+D7FF */
	        {"\xee\x80\x80", 3, 1},             /* U+E000 */
	        {"\xef\xbf\xbf", 3, 1},             /* U+FFFF */
	        {"\xf0\x90\x80\x80", 4, 1},         /* U+10000 */
	        {"\xf0\x9f\x98\x80", 4, 1},         /* U+1F600 */
	        {"\xf4\x8f\xbf\xbf", 4, 1},         /* U+10FFFF */
	        {"\x80", 1, 0},                     /* lone continuation */
	        {"\xbf", 1, 0}, {"\xc0\x80", 2, 0}, /* overlong NUL */
	        {"\xc1\xbf", 2, 0},                 /* overlong U+007F */
	        {"\xe0\x80\x80", 3, 0},             /* overlong */
	        {"\xe0\x9f\xbf", 3, 0},             /* overlong U+07FF */
	        {"\xed\xa0\x80", 3, 0},             /* surrogate U+D800 */
	        {"\xed\xbf\xbf", 3, 0},             /* surrogate U+DFFF */
	        {"\xf0\x8f\xbf\xbf", 4, 0},         /* overlong U+FFFF */
	        {"\xf4\x90\x80\x80", 4, 0},         /* U+110000 */
	        {"\xf5\x80\x80\x80", 4, 0},
	        {"\xf8\x88\x80\x80\x80", 5, 0}, /* 5-byte form */
	        {"\xfe", 1, 0}, {"\xff", 1, 0}, {"\xc3", 1, 0}, /* truncated */
	        {"\xe2\x82", 2, 0}, {"\xf0\x9f\x98", 3, 0},
	        {"\xc3\x28", 2, 0}, /* bad continuation */
	        {"\xe2\x28\xa1", 3, 0}, {"\xe2\x82\x28", 3, 0}, {"a\xc3", 2, 0},
	        {"\xc3\xa9\xc3", 3, 0},
	        {"\xc3\xa9", 1, 0}, /* len cuts the character */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		/* Exact-size copy: no read past len. */
		char *b = malloc(v[i].len > 0 ? v[i].len : 1);

		assert_non_null(b);
		memcpy(b, v[i].s, v[i].len);
		if (utf8_valid(b, v[i].len) != v[i].ok)
			fail_msg("utf8 case #%zu (\"%s\"): got %d, want %d", i,
			        esc(v[i].s), !v[i].ok, v[i].ok);
		free(b);
	}
}

static void
test_dot_segments_and_empty_segments_rejected(void **state)
{
	struct ctx *c = *state;
	static const char *const bad[] = {
	        "/.",
	        "/..",
	        "/./v1/things",
	        "/../v1/things",
	        "/v1/./things",
	        "/v1/../v1/things",
	        "/v1/things/.",
	        "/v1/things/..",
	        "/v1/things/../things",
	        "/v1/things/./parts/1",
	        "//v1/things",
	        "/v1//things",
	        "/v1/things//",
	        "//",
	        "",
	        "v1/things",
	        "*",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = look(c, HTTP_GET, bad[i]);

		if (r != -2)
			fail_msg("path \"%s\": got %d, want -2", bad[i], r);
	}
}

/*
 * route.h: -2 "when the path cannot be decoded (bad percent-encoding, NUL
 * or control bytes ...)". That holds for a path whatever row it might
 * match: a bad escape or a control byte in a literal segment is a 400, not
 * a 404.
 */
static void
test_undecodable_literal_segment_rejected(void **state)
{
	struct ctx *c = *state;
	static const char *const bad[] = {
	        "/v1/%zz",
	        "/v1/things%",
	        "/%",
	        "/v1/\x01",
	        "/v1/things\x7f",
	        "/v1/th%00ings",
	};

	/* No row starts with a parameter that would swallow the segment. */
	static const struct row t[] = {
	        {{HTTP_GET, "/v1/things"}, 1, NULL},
	        {{HTTP_GET, "/v1/things/{id}"}, 2, NULL},
	};
	size_t i;
	int nbad = 0;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r;

		memset(&c->params, 0, sizeof(c->params));
		r = route_lookup(t, 2, sizeof(t[0]), bad[i], HTTP_GET, c->a,
		        &c->params, &c->allowed);
		if (r != -2) {
			print_error(
			        "path \"%s\": got %d (allowed %#x), want -2\n",
			        esc(bad[i]), r, c->allowed);
			nbad++;
		}
	}
	if (nbad > 0)
		fail_msg("%d undecodable path(s) not rejected with -2", nbad);
}

/*
 * A parameter whose decoded value is "." or ".." is a dot segment in
 * disguise (RFC 3986 6.2.2.2: %2E is '.'), and route.h promises -2 for
 * "." and ".." segments.
 */
static void
test_encoded_dot_segment_param_rejected(void **state)
{
	struct ctx *c = *state;
	static const char *const bad[] = {
	        "/v1/things/%2e%2e",
	        "/v1/things/%2E%2E",
	        "/v1/things/.%2e",
	        "/v1/things/%2e",
	        "/v1/things/x/parts/%2e%2e",
	};
	size_t i;

	int nbad = 0;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = look(c, HTTP_GET, bad[i]);

		if (r != -2) {
			print_error("path \"%s\": got row %d, want -2\n",
			        bad[i], r);
			nbad++;
		}
	}
	if (nbad > 0)
		fail_msg("%d encoded dot segment(s) accepted", nbad);
}

static void
test_empty_table(void **state)
{
	struct ctx *c = *state;
	int r;

	r = route_lookup(table, 0, sizeof(struct row), "/v1/things", HTTP_GET,
	        c->a, &c->params, &c->allowed);
	assert_int_equal(r, -1);
	assert_int_equal(c->allowed, 0);
	assert_int_equal(c->params.n, 0);
}

/* Params point into the arena, not into the path buffer. */
static void
test_params_outlive_path_buffer(void **state)
{
	struct ctx *c = *state;
	char *path = strdup("/v1/things/abc/parts/def");

	assert_non_null(path);
	assert_int_equal(look(c, HTTP_GET, path), 107);
	memset(path, 'Z', strlen(path));
	free(path);
	assert_string_equal(route_param(&c->params, "id"), "abc");
	assert_string_equal(route_param(&c->params, "part"), "def");
}

static void
test_method_parse_and_name(void **state)
{
	static const struct {
		const char *name;
		unsigned bit;
	} m[] = {
	        {"GET", HTTP_GET},
	        {"HEAD", HTTP_HEAD},
	        {"POST", HTTP_POST},
	        {"PUT", HTTP_PUT},
	        {"PATCH", HTTP_PATCH},
	        {"DELETE", HTTP_DELETE},
	        {"OPTIONS", HTTP_OPTIONS},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		assert_int_equal(
		        route_method_parse(m[i].name, strlen(m[i].name)),
		        m[i].bit);
		assert_string_equal(route_method_name(m[i].bit), m[i].name);
	}
	/* Methods are case-sensitive (RFC 9110 9.1). */
	assert_int_equal(route_method_parse("get", 3), 0);
	assert_int_equal(route_method_parse("Get", 3), 0);
	assert_int_equal(route_method_parse("GETS", 4), 0);
	assert_int_equal(route_method_parse("GE", 2), 0);
	assert_int_equal(route_method_parse("", 0), 0);
	assert_int_equal(route_method_parse("TRACE", 5), 0);
	assert_int_equal(route_method_parse("CONNECT", 7), 0);
	/* Only len bytes are read. */
	assert_int_equal(route_method_parse("GETTING", 3), HTTP_GET);
	assert_int_equal(route_method_parse("POSTAGE", 4), HTTP_POST);
	assert_string_equal(route_method_name(0), "?");
	assert_string_equal(route_method_name(HTTP_GET | HTTP_POST), "?");
	assert_string_equal(route_method_name(1u << 20), "?");
}

static void
test_allow_header(void **state)
{
	char buf[128];

	(void)state;
	assert_string_equal(
	        route_allow_header(HTTP_GET, buf, sizeof(buf)), "GET, HEAD");
	assert_string_equal(
	        route_allow_header(HTTP_GET | HTTP_HEAD, buf, sizeof(buf)),
	        "GET, HEAD");
	assert_string_equal(
	        route_allow_header(HTTP_HEAD, buf, sizeof(buf)), "HEAD");
	assert_string_equal(
	        route_allow_header(HTTP_POST | HTTP_DELETE, buf, sizeof(buf)),
	        "POST, DELETE");
	assert_string_equal(
	        route_allow_header(HTTP_OPTIONS | HTTP_GET, buf, sizeof(buf)),
	        "GET, HEAD, OPTIONS");
	assert_string_equal(route_allow_header(0, buf, sizeof(buf)), "");
	assert_string_equal(route_allow_header(0x7f, buf, sizeof(buf)),
	        "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
	assert_ptr_equal(route_allow_header(HTTP_GET, buf, sizeof(buf)), buf);
}

/* A small buffer is never overrun and keeps whole method names. */
static void
test_allow_header_small_buffers(void **state)
{
	const char *full = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
	char buf[64];
	size_t size, k;

	(void)state;
	for (size = 1; size < sizeof(buf); size++) {
		size_t len;

		memset(buf, '#', sizeof(buf));
		route_allow_header(0x7f, buf, size);
		len = strnlen(buf, size);
		assert_true(len < size); /* terminated inside the buffer */
		for (k = size; k < sizeof(buf); k++)
			assert_int_equal(buf[k], '#');
		/* A prefix of the full list ending at a method boundary. */
		assert_memory_equal(buf, full, len);
		assert_true(len == 0 || full[len] == '\0' || full[len] == ',');
		if (size > strlen(full))
			assert_string_equal(buf, full);
	}
}

static void
test_pct_decode(void **state)
{
	struct ctx *c = *state;
	char *s;

	assert_string_equal(route_pct_decode(c->a, "abc", 3), "abc");
	assert_string_equal(route_pct_decode(c->a, "", 0), "");
	assert_string_equal(route_pct_decode(c->a, "%41%62%7e", 9), "Ab~");
	assert_string_equal(route_pct_decode(c->a, "%2F", 3), "/");
	assert_string_equal(route_pct_decode(c->a, "%25", 3), "%");
	assert_string_equal(route_pct_decode(c->a, "%2525", 5), "%25");
	s = route_pct_decode(c->a, "%C3%A9", 6);
	assert_string_equal(s, "\xc3\xa9");
	/* The decoded bytes must be UTF-8. */
	assert_null(route_pct_decode(c->a, "%C3", 3));
	assert_null(route_pct_decode(c->a, "%E9", 3));
	assert_null(route_pct_decode(c->a, "%ED%A0%80", 9));
	assert_null(route_pct_decode(c->a, "\xff", 1));
	assert_null(route_pct_decode(c->a, "%", 1));
	assert_null(route_pct_decode(c->a, "%4", 2));
	assert_null(route_pct_decode(c->a, "%4g", 3));
	assert_null(route_pct_decode(c->a, "%g4", 3));
	assert_null(route_pct_decode(c->a, "% 4", 3));
	assert_null(route_pct_decode(c->a, "%-1", 3));
	assert_null(route_pct_decode(c->a, "%00", 3));
	assert_null(route_pct_decode(c->a, "%7f", 3));
	assert_null(route_pct_decode(c->a, "\x01", 1));
	assert_null(route_pct_decode(c->a, "a\nb", 3));
	/* len bounds the input: the escape is cut short. */
	assert_null(route_pct_decode(c->a, "ab%41", 3));
	assert_null(route_pct_decode(c->a, "ab%41", 4));
	assert_string_equal(route_pct_decode(c->a, "ab%41", 2), "ab");
	assert_string_equal(route_pct_decode(c->a, "ab%41", 5), "abA");
}

/* Decoding reads no byte past len (ASan checks the exact-size buffer). */
static void
test_pct_decode_exact_buffer(void **state)
{
	struct ctx *c = *state;
	static const char *const in[] = {"%", "%4", "a%", "%41", "xyz%2"};
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		size_t n = strlen(in[i]);
		char *b = malloc(n);

		assert_non_null(b);
		memcpy(b, in[i], n);
		(void)route_pct_decode(c->a, b, n);
		free(b);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(
	                test_exact_match, setup, teardown),
	        cmocka_unit_test_setup_teardown(
	                test_first_row_wins, setup, teardown),
	        cmocka_unit_test_setup_teardown(
	                test_params_captured_and_decoded, setup, teardown),
	        cmocka_unit_test_setup_teardown(
	                test_eight_params_and_more, setup, teardown),
	        cmocka_unit_test_setup_teardown(
	                test_head_matches_get, setup, teardown),
	        cmocka_unit_test_setup_teardown(
	                test_405_allowed_set, setup, teardown),
	        cmocka_unit_test_setup_teardown(
	                test_404_unknown_paths, setup, teardown),
	        cmocka_unit_test_setup_teardown(
	                test_trailing_slash_is_404, setup, teardown),
	        cmocka_unit_test_setup_teardown(
	                test_decoded_slash_in_param_rejected, setup, teardown),
	        cmocka_unit_test_setup_teardown(
	                test_bad_encoding_in_param_rejected, setup, teardown),
	        cmocka_unit_test_setup_teardown(
	                test_controls_in_param_rejected, setup, teardown),
	        cmocka_unit_test_setup_teardown(
	                test_non_utf8_param_rejected, setup, teardown),
	        cmocka_unit_test(test_utf8_valid),
	        cmocka_unit_test_setup_teardown(
	                test_dot_segments_and_empty_segments_rejected, setup,
	                teardown),
	        cmocka_unit_test_setup_teardown(
	                test_undecodable_literal_segment_rejected, setup,
	                teardown),
	        cmocka_unit_test_setup_teardown(
	                test_encoded_dot_segment_param_rejected, setup,
	                teardown),
	        cmocka_unit_test_setup_teardown(
	                test_empty_table, setup, teardown),
	        cmocka_unit_test_setup_teardown(
	                test_params_outlive_path_buffer, setup, teardown),
	        cmocka_unit_test(test_method_parse_and_name),
	        cmocka_unit_test(test_allow_header),
	        cmocka_unit_test(test_allow_header_small_buffers),
	        cmocka_unit_test_setup_teardown(
	                test_pct_decode, setup, teardown),
	        cmocka_unit_test_setup_teardown(
	                test_pct_decode_exact_buffer, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
