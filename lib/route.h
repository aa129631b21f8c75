/*
 * route.h - matching request paths against "/v1/things/{id}" patterns
 *
 * The server keeps one route table; each of its rows starts with a struct
 * route_key so that this module can scan the table without knowing the rest
 * of the row. Matching is by path segments: a "{name}" segment matches any
 * one non-empty segment and is returned, percent-decoded, as a parameter.
 */
#ifndef PARTICIPE_ROUTE_H
#define PARTICIPE_ROUTE_H

#include <stddef.h>

#include "arena.h"
#include "err.h"

/* HTTP methods as bits, so a set of methods is one unsigned. */
enum http_method {
	HTTP_GET = 1u << 0,
	HTTP_HEAD = 1u << 1,
	HTTP_POST = 1u << 2,
	HTTP_PUT = 1u << 3,
	HTTP_PATCH = 1u << 4,
	HTTP_DELETE = 1u << 5,
	HTTP_OPTIONS = 1u << 6,
};

#define ROUTE_MAX_PARAMS 8

/* The part of a route-table row this module reads. */
struct route_key {
	unsigned method;     /* one enum http_method bit */
	const char *pattern; /* "/v1/collectivities/{cid}" */
};

/* Parameters captured by a match, in pattern order. */
struct route_params {
	int n;
	const char *name[ROUTE_MAX_PARAMS]; /* points into the pattern */
	size_t name_len[ROUTE_MAX_PARAMS];
	const char *value[ROUTE_MAX_PARAMS]; /* decoded, in the arena */
};

/* Parses a method token ("GET"); returns 0 when unknown. */
unsigned route_method_parse(const char *s, size_t len);

/* The method's name ("GET") for a single bit. */
const char *route_method_name(unsigned m);

/*
 * Writes "GET, HEAD, POST" for a set of methods into buf; returns buf.
 * HEAD is listed whenever GET is.
 */
char *route_allow_header(unsigned methods, char *buf, size_t size);

/*
 * Looks 'path' (no query string) up in 'table' of 'n' rows of 'stride'
 * bytes, each starting with a struct route_key. A HEAD request matches GET
 * rows. Returns the matching row's index with 'params' filled, or -1; on -1
 * '*allowed' is the set of methods that match the path (0: unknown path,
 * the caller answers 404; otherwise 405). Returns -2 when the path cannot
 * be decoded (bad percent-encoding, NUL or control bytes, "." or ".."
 * segments): the caller answers 400.
 */
int route_lookup(const void *table, size_t n, size_t stride, const char *path,
        unsigned method, struct arena *a, struct route_params *params,
        unsigned *allowed);

/* The value of parameter 'name', or NULL. */
const char *route_param(const struct route_params *p, const char *name);

/*
 * Percent-decodes s[0..len) into the arena; NULL on bad encoding, control
 * characters or a result that is not valid UTF-8.
 */
char *route_pct_decode(struct arena *a, const char *s, size_t len);

#endif
