/*
 * fuzz_httpparse.c - libFuzzer driver for the request-head parser and the
 * chunked body decoder.
 *
 * Head: the input with CRLF CRLF appended is parsed from an exact-size
 * heap buffer; a success must describe a head that obeys every rule the
 * parser promises (origin-form target, tokens, trimmed values, framing).
 *
 * Chunked: input byte 0 picks the size cap, byte 1 seeds the split
 * points, the rest is the body. It is decoded in one piece, byte by byte
 * and in random pieces (empty ones included); all three must agree on the
 * status, the output and the bytes consumed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "httpparse.h"
#include "route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",       \
			        __FILE__, __LINE__, #cond);                    \
			abort();                                               \
		}                                                              \
	} while (0)

static int
is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int
within(const char *p, size_t len, const char *buf, size_t buflen)
{
	return p >= buf && p <= buf + buflen &&
	       len <= (size_t)(buf + buflen - p);
}

static void
check_head(const char *buf, size_t len, const struct http_head *h)
{
	size_t i;
	int k, nhost = 0, ncl = 0, nte = 0;

	CHECK(h->method_str == buf);
	CHECK(h->method_len > 0);
	for (i = 0; i < h->method_len; i++)
		CHECK(is_tchar((unsigned char)h->method_str[i]));
	CHECK(h->method == route_method_parse(h->method_str, h->method_len));
	CHECK(within(h->target, h->target_len, buf, len));
	CHECK(h->target_len > 0 && h->target[0] == '/');
	for (i = 0; i < h->target_len; i++)
		CHECK((unsigned char)h->target[i] > 0x20 &&
		        (unsigned char)h->target[i] < 0x7f);
	CHECK(h->minor >= 0 && h->minor <= 9);
	CHECK(h->nheaders >= 0 && h->nheaders <= HTTP_MAX_HEADERS);
	for (k = 0; k < h->nheaders; k++) {
		const struct http_header *f = &h->headers[k];
		size_t vlen = 0;

		CHECK(within(f->name, f->name_len, buf, len));
		CHECK(within(f->value, f->value_len, buf, len));
		CHECK(f->name_len > 0);
		for (i = 0; i < f->name_len; i++)
			CHECK(is_tchar((unsigned char)f->name[i]));
		if (f->value_len > 0) {
			CHECK(f->value[0] != ' ' && f->value[0] != '\t');
			CHECK(f->value[f->value_len - 1] != ' ' &&
			        f->value[f->value_len - 1] != '\t');
		}
		for (i = 0; i < f->value_len; i++) {
			unsigned char c = (unsigned char)f->value[i];

			CHECK(c == '\t' || c >= 0x20);
			CHECK(c != 0x7f);
		}
		/* Lookup by the same name finds this or an earlier field. */
		{
			char name[256];
			const char *v;

			if (f->name_len < sizeof(name)) {
				memcpy(name, f->name, f->name_len);
				name[f->name_len] = '\0';
				v = http_head_get(h, name, &vlen);
				CHECK(v != NULL);
				CHECK(v <= f->value);
			}
		}
		if (http_token_eq(f->name, f->name_len, "host"))
			nhost++;
		if (http_token_eq(f->name, f->name_len, "content-length"))
			ncl++;
		if (http_token_eq(f->name, f->name_len, "transfer-encoding"))
			nte++;
	}
	CHECK(h->content_length >= -1);
	CHECK((h->content_length >= 0) == (ncl > 0));
	CHECK(!(h->chunked && h->content_length >= 0));
	CHECK(h->chunked == (nte > 0));
	CHECK(nte <= 1);
	CHECK(!h->chunked || h->minor >= 1);
	CHECK(h->minor == 0 ? nhost <= 1 : nhost == 1);
	CHECK(h->keep_alive == 0 || h->keep_alive == 1);
	CHECK(h->minor >= 1 || h->keep_alive == 0 ||
	        http_head_get(h, "connection", NULL) != NULL);
	CHECK(h->expect_continue == 0 || h->expect_continue == 1);
}

static void
fuzz_head(const uint8_t *data, size_t size)
{
	size_t len = size + 4;
	char *buf = malloc(len);
	struct http_head *h = malloc(sizeof(*h));
	struct http_head *h2 = malloc(sizeof(*h2));
	const char *detail = (const char *)1, *detail2 = NULL;
	enum err e, e2;

	CHECK(buf != NULL && h != NULL && h2 != NULL);
	if (size > 0)
		memcpy(buf, data, size);
	memcpy(buf + size, "\r\n\r\n", 4);
	e = http_parse_head(buf, len, h, &detail);
	if (e == ERR_OK) {
		CHECK(detail == NULL);
		check_head(buf, len, h);
	} else {
		CHECK(detail != NULL && detail[0] != '\0');
		CHECK(e == ERR_BAD_REQUEST || e == ERR_HEADERS_TOO_LARGE ||
		        e == ERR_NOT_IMPLEMENTED || e == ERR_HTTP_VERSION);
	}
	/* Deterministic, and independent of what was in *h before. */
	memset(h2, 0xa5, sizeof(*h2));
	e2 = http_parse_head(buf, len, h2, &detail2);
	CHECK(e2 == e);
	if (e == ERR_OK)
		CHECK(h2->nheaders == h->nheaders &&
		        h2->content_length == h->content_length &&
		        h2->keep_alive == h->keep_alive);
	free(h2);
	free(h);
	free(buf);
}

struct result {
	enum http_chunked_status st;
	char *out;
	size_t outlen;
	size_t consumed;
};

/* Feeds body[0..len): mode 0 in one piece, 1 byte by byte, 2 randomly. */
static void
decode(const char *body, size_t len, size_t max, unsigned mode, unsigned seed,
        struct result *r)
{
	struct http_chunked c;
	size_t off = 0;

	memset(&c, 0, sizeof(c));
	r->st = HTTP_CHUNKED_MORE;
	r->outlen = 0;
	r->consumed = 0;
	for (;;) {
		size_t n, outlen = 0, consumed = (size_t)-1;
		char *piece, *out;

		if (mode == 0) {
			n = len - off;
		} else if (mode == 1) {
			n = len - off < 1 ? len - off : 1;
		} else {
			seed = seed * 1103515245u + 12345u;
			n = (seed >> 16) % 17; /* 0..16, empty pieces too */
			if (n > len - off)
				n = len - off;
		}
		piece = malloc(n > 0 ? n : 1);
		out = malloc(n > 0 ? n : 1);
		CHECK(piece != NULL && out != NULL);
		memcpy(piece, body + off, n);
		r->st = http_chunked_feed(
		        &c, piece, n, max, out, &outlen, &consumed);
		CHECK(outlen <= n);
		memcpy(r->out + r->outlen, out, outlen);
		r->outlen += outlen;
		free(piece);
		free(out);
		if (r->st == HTTP_CHUNKED_DONE) {
			CHECK(consumed <= n);
			r->consumed = off + consumed;
			return;
		}
		if (r->st != HTTP_CHUNKED_MORE)
			return;
		CHECK(consumed == n);
		off += n;
		r->consumed = off;
		if (off == len)
			return;
	}
}

static void
fuzz_chunked(const uint8_t *data, size_t size)
{
	struct result r[3];
	size_t max, len, i;
	const char *body;
	unsigned seed;

	if (size < 2)
		return;
	max = data[0] == 0xff ? SIZE_MAX : (size_t)data[0] * 8;
	seed = data[1];
	body = (const char *)data + 2;
	len = size - 2;
	for (i = 0; i < 3; i++) {
		r[i].out = malloc(len + 1);
		CHECK(r[i].out != NULL);
		decode(body, len, max, (unsigned)i, seed, &r[i]);
		CHECK(r[i].outlen <= max);
		if (r[i].st == HTTP_CHUNKED_DONE ||
		        r[i].st == HTTP_CHUNKED_MORE)
			CHECK(r[i].outlen < r[i].consumed || len == 0);
	}
	for (i = 1; i < 3; i++) {
		CHECK(r[i].st == r[0].st);
		CHECK(r[i].outlen == r[0].outlen);
		CHECK(memcmp(r[i].out, r[0].out, r[0].outlen) == 0);
		if (r[0].st == HTTP_CHUNKED_DONE ||
		        r[0].st == HTTP_CHUNKED_MORE)
			CHECK(r[i].consumed == r[0].consumed);
	}
	if (r[0].st == HTTP_CHUNKED_DONE) {
		/* A body always ends with the empty line. */
		CHECK(r[0].consumed >= 5);
		CHECK(memcmp(body + r[0].consumed - 2, "\r\n", 2) == 0);
	}
	for (i = 0; i < 3; i++)
		free(r[i].out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_head(data, size);
	fuzz_chunked(data, size);
	return 0;
}
