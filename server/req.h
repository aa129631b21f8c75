/*
 * req.h - one HTTP request while it is being handled
 *
 * A request owns an arena; everything it allocates (the body, parsed JSON,
 * database results, the response) is released with it. It is freed only
 * when it has been answered (or its client has gone) and no database job
 * or CPU task still refers to it.
 */
#ifndef PARTICIPE_REQ_H
#define PARTICIPE_REQ_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"
#include "httpparse.h"
#include "problem.h"
#include "route.h"

struct worker;
struct conn;
struct route;

#define REQ_MAX_HEADERS 12

struct req {
	struct arena *arena;
	struct worker *w;
	struct conn *conn; /* NULL once the client has gone */
	struct http_head head;
	unsigned method;
	const char *path;  /* target without the query, as sent */
	const char *query; /* after '?', or NULL */
	const char *body;  /* NUL-terminated copy, or NULL */
	size_t body_len;
	json_t *json; /* parsed and checked body when the route declares one */
	const struct route *route;
	int route_index; /* -1 when no route matched */
	struct route_params params;
	const char *bearer; /* raw bearer token, or NULL */
	void *ctx;          /* the handler's own state between callbacks */
	char id[72];        /* request id, echoed as X-Request-Id */
	char peer[46];      /* the TCP peer's address */
	struct problem problem;
	uint64_t start_ns;
	int status;
	size_t resp_len;
	int replied;
	int pending; /* database jobs and CPU tasks in flight */
	/* An internal request (req_new_internal) has no client: the server
	   runs database calls and tasks on it for its own work (batched
	   ballot appends, tree heads, counting). Its results are delivered
	   though conn is NULL, and answering it calls on_answer instead of
	   writing a response. */
	int internal;
	void (*on_answer)(struct req *r);
	int nheaders;
	const char *hname[REQ_MAX_HEADERS];
	const char *hvalue[REQ_MAX_HEADERS];
};

/* Adds a response header (both strings are copied). */
void req_add_header(struct req *r, const char *name, const char *value);

/* Sends the response; 'body' is copied. Later replies are ignored. */
void req_reply(struct req *r, int status, const char *content_type,
        const char *body, size_t len);

/* Sends a JSON text body (already encoded). */
void req_reply_json(struct req *r, int status, const char *json);

/* Sends r->problem as application/problem+json. */
void req_reply_problem(struct req *r);

/* Sets r->problem to (e, detail...) and sends it. */
void req_fail(struct req *r, enum err e, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* The decoded path parameter 'name' of the matched route. */
const char *req_param(const struct req *r, const char *name);

/*
 * The decoded value of query parameter 'name', or NULL when absent. Sets
 * r->problem and returns NULL with *bad = 1 when it is badly encoded.
 */
const char *req_query(struct req *r, const char *name, int *bad);

/* A request header's value as a new string, or NULL. */
const char *req_header(struct req *r, const char *name);

/*
 * The client's IP address: the TCP peer, or, when the peer is one of
 * PARTICIPE_TRUSTED_PROXIES, the last address of X-Forwarded-For (the one
 * that proxy saw). Used for rate limits only; never logged.
 */
const char *req_client_ip(struct req *r);

/*
 * The hex BLAKE2b-256 hash of the bearer token (what the SQL functions
 * take), or NULL when the request carries none.
 */
const char *req_token_hash(struct req *r);

/* Frees the request if it is answered (or orphaned) and nothing is pending. */
void req_release(struct req *r);

/* Takes the client's X-Request-Id when well-formed, else makes one. */
void req_take_id(struct req *r);

/* Creates a request bound to a connection. */
struct req *req_new(struct worker *w, struct conn *c);

/*
 * Creates an internal request of worker w (no client). Answering it with
 * req_reply/req_fail calls on_answer(r) (r->status, r->problem are set),
 * then frees it once nothing is pending. 'what' names it in request ids.
 */
struct req *req_new_internal(
        struct worker *w, const char *what, void (*on_answer)(struct req *r));

/* 1 when r's results are still wanted: it has a client or is internal. */
int req_wanted(const struct req *r);

#endif
