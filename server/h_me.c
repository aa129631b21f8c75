/*
 * h_me.c - the caller's own account: read, edit, export, erase
 */
#include "db.h"
#include "handlers.h"
#include "reply.h"
#include "req.h"

/* PATCH /v1/me: role, e-mail and the like are unknown fields (422). */
static const struct jsonv_field me_fields[] = {
        {"display_name", JV_STRING, 0, 0, 1, 100},
        {"birth_date", JV_STRING, 0, 1, 0, 10},
};
const struct jsonv_spec me_update_body = {
        me_fields, sizeof(me_fields) / sizeof(me_fields[0])};

static void
call(struct req *r, enum query q, db_done_fn done, int with_body)
{
	const char **p = arena_calloc(r->arena, 2, sizeof(*p));

	p[0] = req_token_hash(r);
	p[1] = with_body ? r->body : NULL;
	db_call(r, q, done, p);
}

void
h_me_get(struct req *r)
{
	call(r, Q_ME_GET, reply_200, 0);
}

void
h_me_update(struct req *r)
{
	call(r, Q_ME_UPDATE, reply_200, 1);
}

static void
export_done(struct req *r, PGresult *res)
{
	req_add_header(r, "Content-Disposition",
	        "attachment; filename=\"participe-export.json\"");
	req_add_header(r, "Cache-Control", "no-store");
	reply_200(r, res);
}

void
h_me_export(struct req *r)
{
	call(r, Q_ME_EXPORT, export_done, 0);
}

void
h_me_delete(struct req *r)
{
	call(r, Q_ME_DELETE, reply_204, 0);
}
