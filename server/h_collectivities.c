/*
 * h_collectivities.c - the tenants: list, read, create
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "handlers.h"
#include "req.h"
#include "server.h"

static const struct jsonv_field create_fields[] = {
        {"slug", JV_STRING, 1, 0, 2, 63},
        {"name", JV_STRING, 1, 0, 1, 200},
        {"kind", JV_STRING, 1, 0, 1, 20},
};

const struct jsonv_spec collectivity_create_body = {
        create_fields, sizeof(create_fields) / sizeof(create_fields[0])};

/* Page sizes: default and the most a client may ask for. */
#define PAGE_DEFAULT 20
#define PAGE_MAX 100

/* The SQL functions take the session token's BLAKE2b-256 hash in hex. */
static const char *
token_hash(struct req *r)
{
	unsigned char h[32];
	char *hex = arena_alloc(r->arena, 65);

	crypto_generichash(h, sizeof(h), (const unsigned char *)r->bearer,
	        strlen(r->bearer), NULL, 0);
	return sodium_bin2hex(hex, 65, h, sizeof(h));
}

static void
list_done(struct req *r, PGresult *res)
{
	const char *next =
	        PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1);

	if (next != NULL) {
		char *link = arena_printf(r->arena,
		        "<%s?limit=%s&after=%s>; rel=\"next\"", r->path,
		        (const char *)r->ctx, next);

		req_add_header(r, "Link", link);
	}
	req_reply_json(r, 200, PQgetvalue(res, 0, 0));
}

/*
 * Reads ?limit= and ?after= (an opaque cursor). Returns 0 after answering
 * 400 or 422 when they are bad.
 */
static int
page_params(struct req *r, const char **limit, const char **after)
{
	int bad;
	const char *l = req_query(r, "limit", &bad);
	char *end;
	long n;

	if (bad) {
		req_fail(r, ERR_BAD_REQUEST, "malformed query string");
		return 0;
	}
	n = l != NULL ? strtol(l, &end, 10) : PAGE_DEFAULT;
	if (l != NULL && (*l < '0' || *l > '9' || *end != '\0' || n < 1 ||
	                         n > PAGE_MAX)) {
		problem_add_field(&r->problem, "limit",
		        "must be an integer between 1 and %d", PAGE_MAX);
		req_fail(r, ERR_INVALID, "invalid query parameter \"limit\"");
		return 0;
	}
	*limit = arena_printf(r->arena, "%ld", n);
	*after = req_query(r, "after", &bad);
	if (bad || (*after != NULL && strlen(*after) > 200)) {
		problem_add_field(
		        &r->problem, "after", "is not a valid cursor");
		req_fail(r, ERR_INVALID, "invalid query parameter \"after\"");
		return 0;
	}
	return 1;
}

void
h_collectivity_list(struct req *r)
{
	const char **p = arena_calloc(r->arena, 2, sizeof(*p));

	if (!page_params(r, &p[0], &p[1]))
		return;
	r->ctx = (void *)p[0]; /* the limit applied, for the Link header */
	db_call(r, Q_COLLECTIVITY_LIST, list_done, p);
}

static void
get_done(struct req *r, PGresult *res)
{
	if (PQgetisnull(res, 0, 0)) {
		req_fail(r, ERR_NOT_FOUND, "collectivity \"%s\" does not exist",
		        req_param(r, "cid"));
		return;
	}
	req_reply_json(r, 200, PQgetvalue(res, 0, 0));
}

void
h_collectivity_get(struct req *r)
{
	const char **p = arena_calloc(r->arena, 1, sizeof(*p));

	p[0] = req_param(r, "cid");
	db_call(r, Q_COLLECTIVITY_GET, get_done, p);
}

static void
create_done(struct req *r, PGresult *res)
{
	json_t *slug = json_object_get(r->json, "slug");

	req_add_header(r, "Location",
	        arena_printf(r->arena, "/v1/collectivities/%s",
	                json_string_value(slug)));
	req_reply_json(r, 201, PQgetvalue(res, 0, 0));
}

void
h_collectivity_create(struct req *r)
{
	const char **p = arena_calloc(r->arena, 2, sizeof(*p));

	p[0] = token_hash(r);
	p[1] = r->body;
	db_call(r, Q_COLLECTIVITY_CREATE, create_done, p);
}
