/*
 * h_members.c - membership, resident verification, roles and the audit log
 * of one collectivity ({cid} in the path)
 *
 * Who may do what is decided in SQL (api.require_role): someone with no tie
 * to the collectivity gets 404, a member without the role 403.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "handlers.h"
#include "reply.h"
#include "req.h"
#include "roll.h"
#include "task.h"
#include "token.h"

static const struct jsonv_field verify_fields[] = {
        {"reason", JV_STRING, 0, 1, 0, 1000},
};
const struct jsonv_spec member_verify_body = {
        verify_fields, sizeof(verify_fields) / sizeof(verify_fields[0])};

static const struct jsonv_field code_fields[] = {
        {"code", JV_STRING, 1, 0, 1, 40},
};
const struct jsonv_spec verify_code_body = {
        code_fields, sizeof(code_fields) / sizeof(code_fields[0])};

static const struct jsonv_field roll_fields[] = {
        {"family_name", JV_STRING, 1, 0, 1, 200},
        {"given_name", JV_STRING, 1, 0, 1, 200},
        {"birth_date", JV_STRING, 1, 0, 1, 10},
        {"postcode", JV_STRING, 1, 0, 1, 10},
};
const struct jsonv_spec verify_roll_body = {
        roll_fields, sizeof(roll_fields) / sizeof(roll_fields[0])};

static const struct jsonv_field manual_fields[] = {
        {"note", JV_STRING, 0, 1, 0, 500},
};
const struct jsonv_spec verify_manual_body = {
        manual_fields, sizeof(manual_fields) / sizeof(manual_fields[0])};

/* Most codes one request makes: a commune of 10,000 households. */
#define CODES_MAX 10000

static const struct jsonv_field codes_fields[] = {
        {"count", JV_INTEGER, 1, 0, 1, CODES_MAX},
};
const struct jsonv_spec codes_create_body = {
        codes_fields, sizeof(codes_fields) / sizeof(codes_fields[0])};

static const struct jsonv_field roll_upload_fields[] = {
        {"entries", JV_ARRAY, 1, 0, 1, 20000},
        {"replace", JV_BOOLEAN, 0, 0, 0, 0},
};
const struct jsonv_spec roll_upload_body = {roll_upload_fields,
        sizeof(roll_upload_fields) / sizeof(roll_upload_fields[0])};

static const struct jsonv_field grant_fields[] = {
        {"account_id", JV_STRING, 1, 0, 1, 64},
        {"role", JV_STRING, 1, 0, 1, 20},
        {"reason", JV_STRING, 0, 1, 0, 1000},
};
const struct jsonv_spec role_grant_body = {
        grant_fields, sizeof(grant_fields) / sizeof(grant_fields[0])};

static const char *
body_str(struct req *r, const char *field)
{
	return json_string_value(json_object_get(r->json, field));
}

void
h_member_join(struct req *r)
{
	reply_call(r, Q_MEMBER_JOIN, reply_created_or_200, "token", ":cid");
}

void
h_member_list(struct req *r)
{
	const char **p = call_params(r, 3);
	const char *status;

	if (!query_word(
	            r, "status", "all, verified, unverified, pending", &status))
		return;
	if (status == NULL)
		status = "all";
	p[2] = status;
	if (!page_params(r, &p[3], &p[4],
	            arena_printf(r->arena, "status=%s&", status)))
		return;
	db_call(r, Q_MEMBER_LIST, reply_page, p);
}

void
h_member_verify(struct req *r)
{
	reply_call(
	        r, Q_MEMBER_VERIFY, reply_200, "token", ":cid", ":aid", "body");
}

void
h_verify_code(struct req *r)
{
	const char **p = call_params(r, 1);
	char *hex = arena_alloc(r->arena, 65);

	if (!code_hash_hex(body_str(r, "code"), hex)) {
		problem_add_field(&r->problem, "code",
		        "must be 16 letters and digits, as printed on the "
		        "letter (XXXX-XXXX-XXXX-XXXX)");
		req_fail(r, ERR_INVALID, "request body has invalid fields");
		return;
	}
	p[2] = hex;
	db_call(r, Q_VERIFY_CODE, reply_200, p);
}

/* Roll matching: normalize here, fetch the key, hash, then match. */
struct roll_ctx {
	char canon[ROLL_CANON_MAX];
	size_t len;
	char entry[65];
};

static void
roll_keyed(struct req *r, PGresult *res)
{
	struct roll_ctx *c = r->ctx;
	unsigned char key[ROLL_KEY_BYTES];
	const char **p = call_params(r, 2);

	if (!roll_key_from_hex(PQgetvalue(res, 0, 0), key)) {
		req_fail(r, ERR_INTERNAL, "the roll key is damaged");
		return;
	}
	roll_hash_hex(key, c->canon, c->len, c->entry);
	sodium_memzero(key, sizeof(key));
	p[2] = c->entry;
	p[3] = body_str(r, "birth_date");
	db_call(r, Q_VERIFY_ROLL, reply_200, p);
}

void
h_verify_roll(struct req *r)
{
	struct roll_ctx *c = arena_calloc(r->arena, 1, sizeof(*c));

	if (roll_canonical(body_str(r, "family_name"),
	            body_str(r, "given_name"), body_str(r, "birth_date"),
	            body_str(r, "postcode"), c->canon, sizeof(c->canon),
	            &c->len, &r->problem) != ERR_OK) {
		req_fail(r, ERR_INVALID, "request body has invalid fields");
		return;
	}
	r->ctx = c;
	db_call(r, Q_ROLL_KEY_FOR, roll_keyed, call_params(r, 0));
}

void
h_verify_manual(struct req *r)
{
	reply_call(r, Q_VERIFY_MANUAL, reply_200, "token", ":cid", "body");
}

/* Verification codes: made here, only their hashes stored, shown once. */
struct codes_ctx {
	int n;
	char (*codes)[CODE_TEXT_LEN + 1];
	char *arr; /* their hashes, as a text[] literal */
};

static void
codes_done(struct req *r, PGresult *res)
{
	struct codes_ctx *c = r->ctx;
	json_t *body = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	json_t *arr = json_array();
	char *text;
	int i;

	for (i = 0; i < c->n; i++)
		json_array_append_new(arr, json_string(c->codes[i]));
	json_object_set_new(body, "codes", arr);
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	arena_defer(r->arena, free, text);
	req_add_header(r, "Cache-Control", "no-store");
	req_reply_json(r, 201, text);
}

/* On a pool thread: up to 10,000 codes and hashes are CPU work that
 * stays off the event loop. The buffers were allocated on the loop. */
static void
codes_work(struct req *r, void *arg)
{
	struct codes_ctx *c = arg;
	char *o = c->arr;
	int i;

	(void)r;
	*o++ = '{'; /* a PostgreSQL text[] literal: {hex,hex,...} */
	for (i = 0; i < c->n; i++) {
		char hex[65];

		code_new(c->codes[i]);
		code_hash_hex(c->codes[i], hex);
		if (i > 0)
			*o++ = ',';
		memcpy(o, hex, 64);
		o += 64;
	}
	*o++ = '}';
	*o = '\0';
}

static void
codes_made(struct req *r, void *arg)
{
	struct codes_ctx *c = arg;
	const char **p = call_params(r, 1);

	p[2] = c->arr;
	db_call(r, Q_CODES_CREATE, codes_done, p);
}

void
h_codes_create(struct req *r)
{
	struct codes_ctx *c = arena_calloc(r->arena, 1, sizeof(*c));

	c->n = (int)json_integer_value(json_object_get(r->json, "count"));
	c->codes = arena_alloc(r->arena, (size_t)c->n * sizeof(*c->codes));
	c->arr = arena_alloc(r->arena, (size_t)c->n * 65 + 3);
	r->ctx = c;
	req_task(r, codes_work, codes_made, c);
}

void
h_roll_key_get(struct req *r)
{
	req_add_header(r, "Cache-Control", "no-store");
	db_call(r, Q_ROLL_KEY_GET, reply_200, call_params(r, 0));
}

void
h_roll_upload(struct req *r)
{
	reply_call(r, Q_ROLL_UPLOAD, reply_200, "token", ":cid", "body");
}

void
h_role_list(struct req *r)
{
	reply_call(r, Q_ROLE_LIST, reply_200, "token", ":cid");
}

void
h_role_grant(struct req *r)
{
	reply_call(
	        r, Q_ROLE_GRANT, reply_created_or_200, "token", ":cid", "body");
}

void
h_role_revoke(struct req *r)
{
	const char **p = call_params(r, 3);
	int bad;

	p[2] = req_param(r, "aid");
	p[3] = req_param(r, "role");
	p[4] = req_query(r, "reason", &bad);
	if (bad || (p[4] != NULL && strlen(p[4]) > 1000)) {
		problem_add_field(&r->problem, "reason",
		        "must be at most 1000 characters, percent-encoded");
		req_fail(r, ERR_INVALID, "invalid query parameter \"reason\"");
		return;
	}
	db_call(r, Q_ROLE_REVOKE, reply_204, p);
}

void
h_audit_list(struct req *r)
{
	const char **p = call_params(r, 2);

	if (!page_params(r, &p[2], &p[3], ""))
		return;
	db_call(r, Q_AUDIT_LIST, reply_page, p);
}
