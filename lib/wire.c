/*
 * wire.c - length-prefixed fields, big-endian integers, lowercase hex
 *
 * A reader that fails leaves its offset where it was, so a caller can
 * report where the bad field starts.
 */
#include "wire.h"

#include <sodium.h>

#include <stdlib.h>
#include <string.h>

/* Makes room for n more bytes; 0, or -1 (and b->oom) on failure. */
static int
wbuf_grow(struct wbuf *b, size_t n)
{
	size_t cap;
	unsigned char *np;

	if (b->oom)
		return -1;
	if (n <= b->cap - b->len)
		return 0;
	if (n > SIZE_MAX - b->len) {
		b->oom = 1;
		return -1;
	}
	cap = b->cap ? b->cap : 64;
	while (cap < b->len + n) {
		if (cap > SIZE_MAX / 2) {
			cap = b->len + n;
			break;
		}
		cap *= 2;
	}
	np = realloc(b->p, cap);
	if (np == NULL) {
		b->oom = 1;
		return -1;
	}
	b->p = np;
	b->cap = cap;
	return 0;
}

void
wbuf_raw(struct wbuf *b, const void *data, size_t len)
{
	if (len == 0 || wbuf_grow(b, len) != 0)
		return;
	memcpy(b->p + b->len, data, len);
	b->len += len;
}

void
wbuf_u32(struct wbuf *b, uint32_t v)
{
	unsigned char be[4];

	be[0] = (unsigned char)(v >> 24);
	be[1] = (unsigned char)(v >> 16);
	be[2] = (unsigned char)(v >> 8);
	be[3] = (unsigned char)v;
	wbuf_raw(b, be, 4);
}

void
wbuf_field(struct wbuf *b, const void *data, size_t len)
{
	if (len > UINT32_MAX) {
		b->oom = 1;
		return;
	}
	wbuf_u32(b, (uint32_t)len);
	wbuf_raw(b, data, len);
}

void
wbuf_field_str(struct wbuf *b, const char *s)
{
	wbuf_field(b, s, strlen(s));
}

void
wbuf_field_u64(struct wbuf *b, uint64_t v)
{
	unsigned char be[8];
	int i;

	for (i = 7; i >= 0; i--) {
		be[i] = (unsigned char)v;
		v >>= 8;
	}
	wbuf_field(b, be, 8);
}

void
wread_init(struct wread *r, const void *data, size_t len)
{
	r->p = data;
	r->len = len;
	r->off = 0;
}

/* The big-endian u32 at p. */
static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

int
wread_u32(struct wread *r, uint32_t *v)
{
	if (r->len - r->off < 4)
		return -1;
	*v = be32(r->p + r->off);
	r->off += 4;
	return 0;
}

int
wread_field(struct wread *r, const unsigned char **out, size_t *len)
{
	uint32_t n;

	if (r->len - r->off < 4)
		return -1;
	n = be32(r->p + r->off);
	if (r->len - r->off - 4 < n)
		return -1;
	*out = r->p + r->off + 4;
	*len = n;
	r->off += 4 + (size_t)n;
	return 0;
}

int
wread_field_fixed(struct wread *r, void *out, size_t len)
{
	size_t off = r->off, n;
	const unsigned char *p;

	if (wread_field(r, &p, &n) != 0)
		return -1;
	if (n != len) {
		r->off = off;
		return -1;
	}
	if (len > 0)
		memcpy(out, p, len);
	return 0;
}

int
wread_field_tag(struct wread *r, const char *s)
{
	size_t off = r->off, n, slen = strlen(s);
	const unsigned char *p;

	if (wread_field(r, &p, &n) != 0)
		return -1;
	if (n != slen || memcmp(p, s, slen) != 0) {
		r->off = off;
		return -1;
	}
	return 0;
}

int
wread_field_u64(struct wread *r, uint64_t *v)
{
	unsigned char be[8];
	uint64_t x = 0;
	int i;

	if (wread_field_fixed(r, be, 8) != 0)
		return -1;
	for (i = 0; i < 8; i++)
		x = x << 8 | be[i];
	*v = x;
	return 0;
}

int
wread_done(const struct wread *r)
{
	return r->off == r->len;
}

/* The value of a lowercase hex digit, or -1. */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
hex_decode(const char *hex, unsigned char *out, size_t max, size_t *len)
{
	size_t n, i;

	if (hex == NULL)
		return -1;
	n = strlen(hex);
	if (n % 2 != 0 || n / 2 > max)
		return -1;
	for (i = 0; i < n; i++)
		if (hexval(hex[i]) < 0)
			return -1;
	for (i = 0; i < n / 2; i++)
		out[i] = (unsigned char)(hexval(hex[2 * i]) << 4 |
		                         hexval(hex[2 * i + 1]));
	*len = n / 2;
	return 0;
}

int
hex_decode_fixed(const char *hex, unsigned char *out, size_t len)
{
	size_t got;

	if (hex == NULL || strlen(hex) != 2 * len)
		return -1;
	return hex_decode(hex, out, len, &got);
}

void
hex_encode(const unsigned char *data, size_t len, char *out)
{
	sodium_bin2hex(out, 2 * len + 1, data, len); /* lowercase */
}

char *
hex_dup(const unsigned char *data, size_t len)
{
	char *s;

	if (len > (SIZE_MAX - 1) / 2)
		return NULL;
	s = malloc(2 * len + 1);
	if (s != NULL)
		hex_encode(data, len, s);
	return s;
}

int
uuid_canonical(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (hexval(s[i]) < 0) {
			return 0;
		}
	}
	return 1;
}
