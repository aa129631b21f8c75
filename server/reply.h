/*
 * reply.h - what most handlers do after their one database call
 *
 * The SQL functions return the response body as JSON text in column 0;
 * list functions return (body, next) where next is the cursor of the
 * following page. These callbacks relay them; handlers with more to do
 * write their own.
 */
#ifndef PARTICIPE_REPLY_H
#define PARTICIPE_REPLY_H

#include <libpq-fe.h>
#include <stddef.h>

#include "db.h"

struct req;

/* Column 0 as a 200 JSON body; 404 when it is NULL. */
void reply_200(struct req *r, PGresult *res);

/* Column 0 as a 201 JSON body. */
void reply_201(struct req *r, PGresult *res);

/* Column 0 as a 202 JSON body. */
void reply_202(struct req *r, PGresult *res);

/* 204, no body. */
void reply_204(struct req *r, PGresult *res);

/* (body, created): 201 when created is true, else 200. */
void reply_created_or_200(struct req *r, PGresult *res);

/* (body, next): 200 with a Link rel="next" header when next is set. */
void reply_page(struct req *r, PGresult *res);

/*
 * Reads ?limit= (1..100, default 20) and ?after= (an opaque cursor of at
 * most 200 characters) for reply_page(); 'keep' is the other query
 * parameters to repeat in the next link ("status=pending&" or "").
 * Returns 0 after answering 400 or 422.
 */
int page_params(struct req *r, const char **limit, const char **after,
        const char *keep);

/* page_params() with another largest limit (long public lists). */
int page_params_max(struct req *r, const char **limit, const char **after,
        const char *keep, int max);

/*
 * The parameters most calls start with: the bearer token's hash and the
 * {cid} path parameter, then n more left NULL for the caller to fill.
 */
const char **call_params(struct req *r, int n);

/*
 * One database call whose parameters are named: "token"
 * (the bearer token's hash), "body" (the request body), ":name" (that path
 * parameter), "=text" (that text). Most handlers are one of these.
 */
void reply_call_(struct req *r, enum query q, db_done_fn done, ...);
#define reply_call(r, q, done, ...)                                            \
	reply_call_((r), (q), (done), __VA_ARGS__, (const char *)NULL)

/*
 * Reads query parameter 'name' into *out (NULL when absent). When words
 * is not NULL ("a, b, c") the value must be one of them. Returns 0 after
 * answering 400 (bad encoding) or 422 (naming the parameter).
 */
int query_word(
        struct req *r, const char *name, const char *words, const char **out);

/* Percent-encodes all but RFC 3986 unreserved characters into out (cut
 * short, never mid-escape, when out is too small). */
void reply_pct_encode(const char *s, char *out, size_t size);

/* The content type of a CSV download. */
#define REPLY_CSV "text/csv; charset=utf-8"

/*
 * Sends body (len bytes) as a download named filename (Content-
 * Disposition: attachment), of content_type, or JSON when it is NULL.
 */
void reply_file(struct req *r, const char *filename, const char *content_type,
        const char *body, size_t len);

#endif
