/*
 * fuzz_route.c - libFuzzer driver for route_lookup and percent-decoding.
 *
 * Input byte 0 picks the method, the rest is the path (up to the first
 * NUL). A small fixed table is searched with a fresh arena per input; the
 * result must be consistent with the table and the path: the row's method,
 * one decoded, non-empty, slash-free, control-free UTF-8 value per
 * "{param}", as many segments as the pattern, no dot segments.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "route.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",       \
			        __FILE__, __LINE__, #cond);                    \
			abort();                                               \
		}                                                              \
	} while (0)

struct row {
	struct route_key key;
	int id;
};

static const struct row table[] = {
        {{HTTP_GET, "/"}, 0},
        {{HTTP_GET, "/v1/collectivities"}, 1},
        {{HTTP_POST, "/v1/collectivities"}, 2},
        {{HTTP_GET, "/v1/collectivities/mine"}, 3},
        {{HTTP_GET, "/v1/collectivities/{cid}"}, 4},
        {{HTTP_PATCH, "/v1/collectivities/{cid}"}, 5},
        {{HTTP_DELETE, "/v1/collectivities/{cid}"}, 6},
        {{HTTP_GET, "/v1/collectivities/{cid}/consultations/{id}"}, 7},
        {{HTTP_PUT, "/v1/collectivities/{cid}/consultations/{id}"}, 8},
        {{HTTP_OPTIONS, "/v1/me"}, 9},
        {{HTTP_HEAD, "/v1/me"}, 10},
        {{HTTP_GET, "/x/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}"}, 11},
};

#define NROWS (sizeof(table) / sizeof(table[0]))

static size_t
count_char(const char *s, char ch)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == ch;
	return n;
}

static int
has_dot_segment(const char *p)
{
	const char *s;

	for (s = p; *s != '\0'; s++)
		if (*s == '/' && s[1] == '.' &&
		        (s[2] == '/' || s[2] == '\0' ||
		                (s[2] == '.' && (s[3] == '/' || s[3] == '\0'))))
			return 1;
	return 0;
}

static void
check_value(const char *v)
{
	const unsigned char *p = (const unsigned char *)v;

	CHECK(v != NULL);
	CHECK(v[0] != '\0');
	CHECK(strchr(v, '/') == NULL);
	for (; *p != '\0'; p++)
		CHECK(*p >= 0x20 && *p != 0x7f);
	CHECK(utf8_valid(v, strlen(v)));
}

static void
check_match(int r, const char *path, unsigned method,
        const struct route_params *params)
{
	const char *pat = table[r].key.pattern;
	size_t nparams = count_char(pat, '{');
	int i;

	CHECK(table[r].key.method == method ||
	        (method == HTTP_HEAD && table[r].key.method == HTTP_GET));
	CHECK(params->n == (int)nparams);
	CHECK(count_char(pat, '/') == count_char(path, '/'));
	CHECK(!has_dot_segment(path));
	CHECK(strstr(path, "//") == NULL);
	for (i = 0; i < params->n; i++) {
		char name[32];

		check_value(params->value[i]);
		CHECK(params->name_len[i] < sizeof(name));
		CHECK(params->name[i] > pat &&
		        params->name[i] + params->name_len[i] <
		                pat + strlen(pat));
		CHECK(params->name[i][-1] == '{');
		CHECK(params->name[i][params->name_len[i]] == '}');
		memcpy(name, params->name[i], params->name_len[i]);
		name[params->name_len[i]] = '\0';
		CHECK(route_param(params, name) == params->value[i]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned methods[] = {
	        HTTP_GET,
	        HTTP_HEAD,
	        HTTP_POST,
	        HTTP_PUT,
	        HTTP_PATCH,
	        HTTP_DELETE,
	        HTTP_OPTIONS,
	        0,
	};
	struct arena *a;
	struct route_params params;
	unsigned method, allowed, all = 0;
	char *path, *raw;
	char allow[128];
	size_t i;
	int r;

	if (size < 1)
		return 0;
	method = methods[data[0] % 8];
	path = strndup((const char *)data + 1, size - 1);
	CHECK(path != NULL);
	a = arena_new(0);
	memset(&params, 0xa5, sizeof(params));
	allowed = 0xdeadbeef;
	r = route_lookup(table, NROWS, sizeof(table[0]), path, method, a,
	        &params, &allowed);
	for (i = 0; i < NROWS; i++)
		all |= table[i].key.method;
	CHECK(r >= -2 && r < (int)NROWS);
	if (r >= 0) {
		check_match(r, path, method, &params);
	} else {
		CHECK(params.n == 0);
		CHECK((allowed & ~all) == 0);
		if (r == -2)
			CHECK(allowed == 0);
		route_allow_header(allowed, allow, sizeof(allow));
		CHECK((allow[0] != '\0') == (allowed != 0));
		if (allowed & HTTP_GET)
			CHECK(strstr(allow, "GET, HEAD") != NULL);
	}
	if (path[0] != '/' || has_dot_segment(path) ||
	        strstr(path, "//") != NULL)
		CHECK(r == -2);

	/* Decoding the raw bytes (NUL included, exact-size buffer). */
	raw = malloc(size);
	CHECK(raw != NULL);
	memcpy(raw, data + 1, size - 1);
	{
		char *d = route_pct_decode(a, raw, size - 1);

		if (d != NULL) {
			const unsigned char *p = (const unsigned char *)d;

			CHECK(strlen(d) <= size - 1);
			for (; *p != '\0'; p++)
				CHECK(*p >= 0x20 && *p != 0x7f);
			CHECK(utf8_valid(d, strlen(d)));
			/* Without '%', decoding is the identity. */
			if (memchr(raw, '%', size - 1) == NULL)
				CHECK(strlen(d) == size - 1 &&
				        memcmp(d, raw, size - 1) == 0);
		}
	}
	free(raw);
	arena_free(a);
	free(path);
	return 0;
}
