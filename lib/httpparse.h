/*
 * httpparse.h - strict HTTP/1.1 request-head parser and chunked decoder
 *
 * Pure functions over bytes: the server's connection code buffers a whole
 * head (up to the header-size limit), hands it here, and gets back either a
 * parsed head that points into the buffer, or the error to answer with.
 * The rules are RFC 9112's, applied strictly where leniency would allow
 * request smuggling: no whitespace before ':', no obs-fold, no conflicting
 * Content-Length, no Content-Length together with Transfer-Encoding.
 */
#ifndef PARTICIPE_HTTPPARSE_H
#define PARTICIPE_HTTPPARSE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define HTTP_MAX_HEADERS 64

/* One header field; name and value point into the parsed buffer. */
struct http_header {
	const char *name;
	size_t name_len;
	const char *value; /* without leading/trailing whitespace */
	size_t value_len;
};

/* A parsed request head. */
struct http_head {
	unsigned method; /* enum http_method bit; 0 = not one we know */
	const char *method_str;
	size_t method_len;
	const char *target; /* request target as sent */
	size_t target_len;
	int minor; /* HTTP/1.<minor> */
	struct http_header headers[HTTP_MAX_HEADERS];
	int nheaders;
	int64_t content_length; /* -1 when absent */
	int chunked;            /* Transfer-Encoding: chunked */
	int keep_alive;         /* persistent connection after this request */
	int expect_continue;    /* Expect: 100-continue */
};

/*
 * Parses buf[0..len), a request head ending with CRLF CRLF. On error returns
 * the error to answer with (400, 431, 501, 505) and points *detail at a
 * static message.
 */
enum err http_parse_head(
        const char *buf, size_t len, struct http_head *h, const char **detail);

/* Value of header 'name' (case-insensitive), its length in *len; or NULL. */
const char *http_head_get(
        const struct http_head *h, const char *name, size_t *len);

/* Case-insensitive comparison of s[0..len) with NUL-terminated 'lit'. */
int http_token_eq(const char *s, size_t len, const char *lit);

/* Incremental decoder for a chunked request body. Zero-initialise. */
struct http_chunked {
	int state;
	uint64_t remaining; /* bytes left in the current chunk */
	int ndigits;
	size_t total; /* decoded bytes so far */
	size_t line;  /* length of the current trailer/extension line */
};

enum http_chunked_status {
	HTTP_CHUNKED_MORE,     /* feed more bytes */
	HTTP_CHUNKED_DONE,     /* body complete; *consumed bytes used */
	HTTP_CHUNKED_BAD,      /* malformed encoding: 400 */
	HTTP_CHUNKED_TOO_LARGE /* decoded size would exceed max: 413 */
};

/*
 * Decodes in[0..len) into out (which has room for len bytes), appending
 * *outlen bytes; *consumed tells how much input was used (all of it unless
 * the body ended). Total decoded size is capped at 'max'.
 */
enum http_chunked_status http_chunked_feed(struct http_chunked *c,
        const char *in, size_t len, size_t max, char *out, size_t *outlen,
        size_t *consumed);

#endif
