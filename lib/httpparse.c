/*
 * httpparse.c - request line, header fields, body framing (RFC 9112)
 */
#include "httpparse.h"

#include <string.h>

#include "route.h"

/* tchar from RFC 9110 section 5.6.2 */
static int
is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	        (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int
is_vchar_or_obs(unsigned char c)
{
	return (c >= 0x21 && c <= 0x7e) || c >= 0x80;
}

static unsigned char
lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

int
http_token_eq(const char *s, size_t len, const char *lit)
{
	size_t i;

	if (strlen(lit) != len)
		return 0;
	for (i = 0; i < len; i++)
		if (lower((unsigned char)s[i]) != lower((unsigned char)lit[i]))
			return 0;
	return 1;
}

const char *
http_head_get(const struct http_head *h, const char *name, size_t *len)
{
	int i;

	for (i = 0; i < h->nheaders; i++)
		if (http_token_eq(
		            h->headers[i].name, h->headers[i].name_len, name)) {
			if (len != NULL)
				*len = h->headers[i].value_len;
			return h->headers[i].value;
		}
	return NULL;
}

/* Does the comma-separated list v[0..len) contain token 'tok'? */
static int
list_has(const char *v, size_t len, const char *tok)
{
	size_t i = 0;

	while (i < len) {
		size_t s, e;

		while (i < len && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < len && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (e > s && http_token_eq(v + s, e - s, tok))
			return 1;
	}
	return 0;
}

#define FAIL(e, msg)                                                           \
	do {                                                                   \
		*detail = (msg);                                               \
		return (e);                                                    \
	} while (0)

static enum err
parse_request_line(const char *p, const char *end, struct http_head *h,
        const char **detail)
{
	const char *s = p;

	while (p < end && is_tchar((unsigned char)*p))
		p++;
	if (p == s || p >= end || *p != ' ')
		FAIL(ERR_BAD_REQUEST, "malformed request line");
	h->method_str = s;
	h->method_len = (size_t)(p - s);
	h->method = route_method_parse(s, h->method_len);
	s = ++p;
	while (p < end && (unsigned char)*p > 0x20 && (unsigned char)*p < 0x7f)
		p++;
	if (p == s || p >= end || *p != ' ')
		FAIL(ERR_BAD_REQUEST, "malformed request target");
	h->target = s;
	h->target_len = (size_t)(p - s);
	if (*s != '/') {
		/* absolute form (RFC 9112 section 3.2.2): keep path and query */
		size_t skip =
		        h->target_len >= 7 && http_token_eq(s, 7, "http://") ? 7
		        : h->target_len >= 8 && http_token_eq(s, 8, "https://")
		                ? 8
		                : 0;
		const char *t;

		if (skip == 0)
			FAIL(ERR_BAD_REQUEST,
			        "request target must be in origin or absolute "
			        "form");
		t = memchr(s + skip, '/', h->target_len - skip);
		if (t == NULL)
			t = memchr(s + skip, '?', h->target_len - skip);
		if (t == s + skip)
			FAIL(ERR_BAD_REQUEST, "absolute request target without "
			                      "a host");
		if (t == NULL) {
			h->target = "/";
			h->target_len = 1;
		} else if (*t == '?') {
			FAIL(ERR_BAD_REQUEST, "absolute request target without "
			                      "a path");
		} else {
			h->target_len -= (size_t)(t - s);
			h->target = t;
		}
	}
	s = ++p;
	if (end - s != 8 || memcmp(s, "HTTP/", 5) != 0 || s[6] != '.' ||
	        s[5] < '0' || s[5] > '9' || s[7] < '0' || s[7] > '9')
		FAIL(ERR_BAD_REQUEST, "malformed http version");
	if (s[5] != '1')
		FAIL(ERR_HTTP_VERSION, "only http/1.0 and http/1.1 are served");
	h->minor = s[7] - '0';
	return ERR_OK;
}

static enum err
parse_content_length(
        const char *v, size_t len, struct http_head *h, const char **detail)
{
	int64_t n = 0;
	size_t i;

	if (len == 0 || len > 18)
		FAIL(ERR_BAD_REQUEST, "invalid content-length");
	for (i = 0; i < len; i++) {
		if (v[i] < '0' || v[i] > '9')
			FAIL(ERR_BAD_REQUEST, "invalid content-length");
		n = n * 10 + (v[i] - '0');
	}
	if (h->content_length >= 0 && h->content_length != n)
		FAIL(ERR_BAD_REQUEST, "conflicting content-length");
	h->content_length = n;
	return ERR_OK;
}

enum err
http_parse_head(
        const char *buf, size_t len, struct http_head *h, const char **detail)
{
	const char *p = buf, *end = buf + len, *eol;
	enum err e;
	int conn_close = 0, conn_keep = 0, nhost = 0, has_te = 0;

	memset(h, 0, sizeof(*h));
	h->content_length = -1;
	*detail = NULL;
	if (len < 4 || memcmp(end - 4, "\r\n\r\n", 4) != 0)
		FAIL(ERR_BAD_REQUEST, "incomplete request head");
	eol = memchr(p, '\r', len);
	if (eol == NULL || eol[1] != '\n')
		FAIL(ERR_BAD_REQUEST, "malformed request line");
	if ((e = parse_request_line(p, eol, h, detail)) != ERR_OK)
		return e;
	p = eol + 2;
	while (p < end - 2) {
		struct http_header *f;
		const char *n = p, *v, *ve;

		eol = memchr(p, '\r', (size_t)(end - p));
		if (eol == NULL || eol[1] != '\n')
			FAIL(ERR_BAD_REQUEST, "malformed header line");
		if (*p == ' ' || *p == '\t')
			FAIL(ERR_BAD_REQUEST, "obsolete line folding is not "
			                      "accepted");
		while (p < eol && is_tchar((unsigned char)*p))
			p++;
		if (p == n || p >= eol || *p != ':')
			FAIL(ERR_BAD_REQUEST, "malformed header field name");
		if (h->nheaders >= HTTP_MAX_HEADERS)
			FAIL(ERR_HEADERS_TOO_LARGE, "too many header fields");
		f = &h->headers[h->nheaders++];
		f->name = n;
		f->name_len = (size_t)(p - n);
		v = p + 1;
		while (v < eol && (*v == ' ' || *v == '\t'))
			v++;
		ve = eol;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		for (p = v; p < ve; p++)
			if (!is_vchar_or_obs((unsigned char)*p) && *p != ' ' &&
			        *p != '\t')
				FAIL(ERR_BAD_REQUEST, "invalid character in "
				                      "header value");
		f->value = v;
		f->value_len = (size_t)(ve - v);
		if (http_token_eq(n, f->name_len, "content-length")) {
			if ((e = parse_content_length(
			             v, f->value_len, h, detail)) != ERR_OK)
				return e;
		} else if (http_token_eq(n, f->name_len, "transfer-encoding")) {
			if (has_te++ ||
			        !http_token_eq(v, f->value_len, "chunked"))
				FAIL(ERR_NOT_IMPLEMENTED,
				        "only the chunked transfer coding is "
				        "accepted");
			h->chunked = 1;
		} else if (http_token_eq(n, f->name_len, "connection")) {
			conn_close |= list_has(v, f->value_len, "close");
			conn_keep |= list_has(v, f->value_len, "keep-alive");
		} else if (http_token_eq(n, f->name_len, "host")) {
			nhost++;
		} else if (http_token_eq(n, f->name_len, "expect")) {
			h->expect_continue =
			        http_token_eq(v, f->value_len, "100-continue");
		}
		p = eol + 2;
	}
	if (h->chunked && h->content_length >= 0)
		FAIL(ERR_BAD_REQUEST,
		        "content-length and transfer-encoding together");
	if (h->chunked && h->minor == 0)
		FAIL(ERR_BAD_REQUEST, "chunked coding requires http/1.1");
	if (nhost > 1 || (h->minor >= 1 && nhost == 0))
		FAIL(ERR_BAD_REQUEST, "exactly one host header is required");
	h->keep_alive =
	        h->minor >= 1 ? !conn_close : (conn_keep && !conn_close);
	return ERR_OK;
}

enum {
	C_SIZE,
	C_EXT,
	C_SIZE_LF,
	C_DATA,
	C_DATA_CR,
	C_DATA_LF,
	C_TRAILER_START,
	C_TRAILER,
	C_TRAILER_LF,
	C_END_LF,
	C_DONE
};

#define MAX_LINE 4096

enum http_chunked_status
http_chunked_feed(struct http_chunked *c, const char *in, size_t len,
        size_t max, char *out, size_t *outlen, size_t *consumed)
{
	size_t i = 0;

	*outlen = 0;
	while (i < len && c->state != C_DONE) {
		unsigned char ch = (unsigned char)in[i];
		int hv;

		switch (c->state) {
		case C_SIZE:
			hv = (ch >= '0' && ch <= '9')   ? ch - '0'
			     : (ch >= 'a' && ch <= 'f') ? ch - 'a' + 10
			     : (ch >= 'A' && ch <= 'F') ? ch - 'A' + 10
			                                : -1;
			if (hv >= 0) {
				if (++c->ndigits > 15)
					return HTTP_CHUNKED_TOO_LARGE;
				c->remaining = c->remaining * 16 + (uint64_t)hv;
			} else if (c->ndigits == 0) {
				return HTTP_CHUNKED_BAD;
			} else if (ch == ';' || ch == ' ' || ch == '\t') {
				c->state = C_EXT;
				c->line = 0;
			} else if (ch == '\r') {
				c->state = C_SIZE_LF;
			} else {
				return HTTP_CHUNKED_BAD;
			}
			i++;
			break;
		case C_EXT:
			if (ch == '\r')
				c->state = C_SIZE_LF;
			else if (ch == '\n' || ++c->line > MAX_LINE)
				return HTTP_CHUNKED_BAD;
			i++;
			break;
		case C_SIZE_LF:
			if (ch != '\n')
				return HTTP_CHUNKED_BAD;
			i++;
			if (c->remaining > max - c->total)
				return HTTP_CHUNKED_TOO_LARGE;
			c->ndigits = 0;
			c->state = c->remaining == 0 ? C_TRAILER_START : C_DATA;
			break;
		case C_DATA: {
			size_t n = len - i;

			if (n > c->remaining)
				n = (size_t)c->remaining;
			memcpy(out + *outlen, in + i, n);
			*outlen += n;
			c->total += n;
			c->remaining -= n;
			i += n;
			if (c->remaining == 0)
				c->state = C_DATA_CR;
			break;
		}
		case C_DATA_CR:
			if (ch != '\r')
				return HTTP_CHUNKED_BAD;
			c->state = C_DATA_LF;
			i++;
			break;
		case C_DATA_LF:
			if (ch != '\n')
				return HTTP_CHUNKED_BAD;
			c->state = C_SIZE;
			i++;
			break;
		case C_TRAILER_START:
			if (ch == '\r') {
				c->state = C_END_LF;
			} else if (ch == '\n') {
				return HTTP_CHUNKED_BAD; /* bare LF: smuggling */
			} else {
				c->state = C_TRAILER;
				c->line = 1;
			}
			i++;
			break;
		case C_TRAILER:
			if (ch == '\r')
				c->state = C_TRAILER_LF;
			else if (ch == '\n' || ++c->line > MAX_LINE)
				return HTTP_CHUNKED_BAD;
			i++;
			break;
		case C_TRAILER_LF:
			if (ch != '\n')
				return HTTP_CHUNKED_BAD;
			c->state = C_TRAILER_START;
			i++;
			break;
		case C_END_LF:
			if (ch != '\n')
				return HTTP_CHUNKED_BAD;
			c->state = C_DONE;
			i++;
			break;
		default:
			return HTTP_CHUNKED_BAD;
		}
	}
	*consumed = i;
	return c->state == C_DONE ? HTTP_CHUNKED_DONE : HTTP_CHUNKED_MORE;
}
