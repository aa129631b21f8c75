/*
 * h_collectivities.c - the tenants: list, read, create
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "handlers.h"
#include "insee.h"
#include "reply.h"
#include "req.h"
#include "server.h"

static const struct jsonv_field create_fields[] = {
        {"slug", JV_STRING, 1, 0, 2, 63},
        {"name", JV_STRING, 1, 0, 1, 200},
        {"kind", JV_STRING, 1, 0, 1, 20},
        {"insee_code", JV_STRING, 0, 1, 2, 5},
        {"cog_year", JV_INTEGER, 0, 1, 1943, 2100},
        {"siren", JV_STRING, 0, 1, 9, 9},
        {"population", JV_INTEGER, 0, 1, 0, 100000000},
        {"density_class", JV_INTEGER, 0, 1, 1, 7},
        {"has_qpv", JV_BOOLEAN, 0, 0, 0, 0},
        {"joined_on", JV_STRING, 0, 1, 0, 10},
        {"epci", JV_STRING, 0, 1, 2, 63},
        {"departement", JV_STRING, 0, 1, 2, 63},
};
const struct jsonv_spec collectivity_create_body = {
        create_fields, sizeof(create_fields) / sizeof(create_fields[0])};

/* PATCH: the same fields but the slug (it is in URLs), none required. */
static const struct jsonv_field update_fields[] = {
        {"name", JV_STRING, 0, 0, 1, 200},
        {"kind", JV_STRING, 0, 0, 1, 20},
        {"insee_code", JV_STRING, 0, 1, 2, 5},
        {"cog_year", JV_INTEGER, 0, 1, 1943, 2100},
        {"siren", JV_STRING, 0, 1, 9, 9},
        {"population", JV_INTEGER, 0, 1, 0, 100000000},
        {"density_class", JV_INTEGER, 0, 1, 1, 7},
        {"has_qpv", JV_BOOLEAN, 0, 0, 0, 0},
        {"joined_on", JV_STRING, 0, 1, 0, 10},
        {"epci", JV_STRING, 0, 1, 2, 63},
        {"departement", JV_STRING, 0, 1, 2, 63},
};
const struct jsonv_spec collectivity_update_body = {
        update_fields, sizeof(update_fields) / sizeof(update_fields[0])};

static const struct jsonv_field verification_fields[] = {
        {"methods", JV_ARRAY, 0, 0, 1, 3},
        {"minimum_age", JV_INTEGER, 0, 0, 0, 120},
};
const struct jsonv_spec verification_settings_body = {verification_fields,
        sizeof(verification_fields) / sizeof(verification_fields[0])};

/*
 * The identifiers SQL cannot check well: the SIREN's Luhn key and the COG
 * code's shape for the collectivity's kind (lib/insee.c). On a PATCH that
 * changes the code but not the kind, the kind is checked in SQL only.
 */
static int
check_identifiers(struct req *r)
{
	const char *siren =
	        json_string_value(json_object_get(r->json, "siren"));
	const char *cog =
	        json_string_value(json_object_get(r->json, "insee_code"));
	const char *kind = json_string_value(json_object_get(r->json, "kind"));

	if (siren != NULL && !insee_siren_valid(siren))
		problem_add_field(&r->problem, "siren",
		        "must be 9 digits with a valid Luhn check digit");
	if (cog != NULL && kind != NULL && !insee_cog_valid(kind, cog))
		problem_add_field(&r->problem, "insee_code",
		        "is not an INSEE COG code of a %s (communes: 5 "
		        "characters such as 01053, 2A004 or 97411)",
		        kind);
	if (r->problem.errors != NULL) {
		req_fail(r, ERR_INVALID, "request body has invalid fields");
		return 0;
	}
	return 1;
}

void
h_collectivity_list(struct req *r)
{
	const char **p = arena_calloc(r->arena, 2, sizeof(*p));

	if (!page_params(r, &p[0], &p[1], ""))
		return;
	db_call(r, Q_COLLECTIVITY_LIST, reply_page, p);
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

	if (!check_identifiers(r))
		return;
	p[0] = req_token_hash(r);
	p[1] = r->body;
	db_call(r, Q_COLLECTIVITY_CREATE, create_done, p);
}

void
h_collectivity_update(struct req *r)
{
	const char **p = arena_calloc(r->arena, 3, sizeof(*p));

	if (!check_identifiers(r))
		return;
	p[0] = req_token_hash(r);
	p[1] = req_param(r, "cid");
	p[2] = r->body;
	db_call(r, Q_COLLECTIVITY_UPDATE, reply_200, p);
}

void
h_verification_settings_update(struct req *r)
{
	const char **p = arena_calloc(r->arena, 3, sizeof(*p));

	p[0] = req_token_hash(r);
	p[1] = req_param(r, "cid");
	p[2] = r->body;
	db_call(r, Q_VERIFICATION_SETTINGS, reply_200, p);
}
