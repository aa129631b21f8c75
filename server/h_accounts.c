/*
 * h_accounts.c - registration, e-mail confirmation, password reset, login
 * and logout
 *
 * Password hashing and checking run on the CPU task pool (req_task), never
 * on an event loop. Answers never tell whether an address has an account:
 * registration and reset requests answer 202 either way, and login checks
 * a password against a dummy hash when the account does not exist, so
 * that it takes as long as a wrong password.
 */
#include <sodium.h>
#include <string.h>

#include "db.h"
#include "email.h"
#include "handlers.h"
#include "mail.h"
#include "password.h"
#include "reply.h"
#include "req.h"
#include "server.h"
#include "task.h"
#include "token.h"

static const struct jsonv_field register_fields[] = {
        {"email", JV_STRING, 1, 0, 3, 254},
        {"password", JV_STRING, 1, 0, 1, 512},
        {"display_name", JV_STRING, 1, 0, 1, 100},
        {"birth_date", JV_STRING, 0, 1, 0, 10},
};
const struct jsonv_spec account_register_body = {
        register_fields, sizeof(register_fields) / sizeof(register_fields[0])};

static const struct jsonv_field token_fields[] = {
        {"token", JV_STRING, 1, 0, 1, 100},
};
const struct jsonv_spec account_confirm_body = {
        token_fields, sizeof(token_fields) / sizeof(token_fields[0])};

static const struct jsonv_field email_fields[] = {
        {"email", JV_STRING, 1, 0, 3, 254},
};
const struct jsonv_spec password_reset_request_body = {
        email_fields, sizeof(email_fields) / sizeof(email_fields[0])};

static const struct jsonv_field reset_fields[] = {
        {"token", JV_STRING, 1, 0, 1, 100},
        {"password", JV_STRING, 1, 0, 1, 512},
};
const struct jsonv_spec password_reset_body = {
        reset_fields, sizeof(reset_fields) / sizeof(reset_fields[0])};

static const struct jsonv_field login_fields[] = {
        {"email", JV_STRING, 1, 0, 3, 254},
        {"password", JV_STRING, 1, 0, 1, 512},
};
const struct jsonv_spec session_create_body = {
        login_fields, sizeof(login_fields) / sizeof(login_fields[0])};

/* What a password request carries between its steps. */
struct pw {
	const char *password;
	size_t len;
	char hash[crypto_pwhash_STRBYTES]; /* new or stored hash */
	char token[TOKEN_TEXT_LEN + 1];    /* the clear single-use token */
	char token_hash[65];
	char account_id[40];
	int found; /* login: the account exists */
	int ok;    /* login: the password matched */
	int rehash;
	enum err e;
};

static const char *
body_str(struct req *r, const char *field)
{
	return json_string_value(json_object_get(r->json, field));
}

static struct pw *
pw_new(struct req *r)
{
	struct pw *c = arena_calloc(r->arena, 1, sizeof(*c));
	json_t *p = json_object_get(r->json, "password");

	c->password = json_string_value(p);
	c->len = json_string_length(p);
	return c;
}

static struct password_params
server_params(void)
{
	struct password_params pp = {
	        g_server.cfg.pwhash_opslimit, g_server.cfg.pwhash_memlimit};

	return pp;
}

/* On a pool thread. */
static void
hash_work(struct req *r, void *arg)
{
	struct pw *c = arg;
	struct password_params pp = server_params();

	(void)r;
	c->e = password_hash(c->hash, c->password, c->len, &pp);
}

/* 422 naming each bad field; returns 0 when one was found. */
static int
check_email_password(struct req *r, const char *email, struct pw *c)
{
	const char *why = NULL;

	if (email != NULL && !email_valid(email, strlen(email)))
		problem_add_field(&r->problem, "email",
		        "must be an e-mail address such as name@example.fr");
	if (c != NULL && password_check(c->password, c->len, &why) != ERR_OK)
		problem_add_field(&r->problem, "password", "%s", why);
	if (r->problem.errors != NULL) {
		req_fail(r, ERR_INVALID, "request body has invalid fields");
		return 0;
	}
	return 1;
}

static void
new_token(struct pw *c)
{
	token_new(c->token);
	token_hash_hex(c->token, TOKEN_TEXT_LEN, c->token_hash);
}

/* (body, mail): send the mail with the token, answer 'status'. */
static void
mail_and_reply(struct req *r, PGresult *res, int status)
{
	struct pw *c = r->ctx;

	mail_send(r, PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1),
	        c != NULL && c->token[0] != '\0' ? c->token : NULL);
	req_reply_json(r, status, PQgetvalue(res, 0, 0));
}

static void
mailed_202(struct req *r, PGresult *res)
{
	mail_and_reply(r, res, 202);
}

static void
mailed_200(struct req *r, PGresult *res)
{
	mail_and_reply(r, res, 200);
}

static const char *
ms(struct req *r, int v)
{
	return arena_printf(r->arena, "%d", v);
}

/* POST /v1/accounts --------------------------------------------------- */

static void
register_hashed(struct req *r, void *arg)
{
	struct pw *c = arg;
	const char **p = arena_calloc(r->arena, 5, sizeof(*p));

	if (c->e != ERR_OK) {
		req_fail(r, ERR_INTERNAL, "could not hash the password");
		return;
	}
	new_token(c);
	p[0] = req_client_ip(r);
	p[1] = r->body;
	p[2] = c->hash;
	p[3] = c->token_hash;
	p[4] = ms(r, g_server.cfg.confirm_ttl_ms);
	db_call(r, Q_ACCOUNT_REGISTER, mailed_202, p);
}

void
h_account_register(struct req *r)
{
	struct pw *c = pw_new(r);

	if (!check_email_password(r, body_str(r, "email"), c))
		return;
	r->ctx = c;
	req_task(r, hash_work, register_hashed, c);
}

/* POST /v1/accounts/confirm ------------------------------------------- */

/* The token's hash, or NULL after answering 422 for a malformed one. */
static const char *
body_token_hash(struct req *r)
{
	const char *t = body_str(r, "token");
	char *hex;

	if (!token_well_formed(t)) {
		problem_add_field(&r->problem, "token",
		        "is invalid, expired or already used");
		req_fail(r, ERR_INVALID,
		        "the token is invalid, expired or already used");
		return NULL;
	}
	hex = arena_alloc(r->arena, 65);
	token_hash_hex(t, strlen(t), hex);
	return hex;
}

void
h_account_confirm(struct req *r)
{
	const char **p;
	const char *th = body_token_hash(r);

	/* On NULL the request has been answered and freed, its arena with
	   it: nothing of it may be touched any more. */
	if (th == NULL)
		return;
	p = arena_calloc(r->arena, 2, sizeof(*p));
	p[0] = req_client_ip(r);
	p[1] = th;
	db_call(r, Q_ACCOUNT_CONFIRM, reply_200, p);
}

/* POST /v1/password-resets -------------------------------------------- */

void
h_password_reset_request(struct req *r)
{
	struct pw *c = arena_calloc(r->arena, 1, sizeof(*c));
	const char **p = arena_calloc(r->arena, 4, sizeof(*p));

	if (!check_email_password(r, body_str(r, "email"), NULL))
		return;
	new_token(c);
	r->ctx = c;
	p[0] = req_client_ip(r);
	p[1] = body_str(r, "email");
	p[2] = c->token_hash;
	p[3] = ms(r, g_server.cfg.reset_ttl_ms);
	db_call(r, Q_PASSWORD_RESET_REQUEST, mailed_202, p);
}

/* POST /v1/password-resets/confirm ------------------------------------ */

static void
reset_hashed(struct req *r, void *arg)
{
	struct pw *c = arg;
	const char **p = arena_calloc(r->arena, 3, sizeof(*p));

	if (c->e != ERR_OK) {
		req_fail(r, ERR_INTERNAL, "could not hash the password");
		return;
	}
	p[0] = req_client_ip(r);
	p[1] = c->token_hash;
	p[2] = c->hash;
	db_call(r, Q_PASSWORD_RESET, mailed_200, p);
}

void
h_password_reset(struct req *r)
{
	struct pw *c = pw_new(r);
	const char *th;

	if (!check_email_password(r, NULL, c))
		return;
	if ((th = body_token_hash(r)) == NULL)
		return;
	memcpy(c->token_hash, th, 65);
	r->ctx = NULL; /* the mail carries no link */
	req_task(r, hash_work, reset_hashed, c);
}

/* POST /v1/sessions --------------------------------------------------- */

/* On a pool thread: check, and rehash when the parameters changed. */
static void
verify_work(struct req *r, void *arg)
{
	struct pw *c = arg;
	struct password_params pp = server_params();

	(void)r;
	c->ok = password_verify(c->found ? c->hash : g_server.dummy_hash,
	                c->password, c->len) &&
	        c->found;
	if (c->ok && password_needs_rehash(c->hash, &pp))
		c->rehash = password_hash(c->hash, c->password, c->len, &pp) ==
		            ERR_OK;
}

static void
login_done(struct req *r, PGresult *res)
{
	struct pw *c = r->ctx;
	json_t *body = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	char *text;

	json_object_set_new(body, "token", json_string(c->token));
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	arena_defer(r->arena, free, text);
	req_add_header(r, "Cache-Control", "no-store");
	req_reply_json(r, 201, text);
}

static void
login_checked(struct req *r, void *arg)
{
	struct pw *c = arg;
	const char **p = arena_calloc(r->arena, 3, sizeof(*p));

	if (!c->ok) {
		req_fail(r, ERR_UNAUTHORIZED, "invalid e-mail or password");
		return;
	}
	new_token(c);
	p[0] = c->account_id;
	p[1] = c->rehash ? c->hash : NULL;
	p[2] = c->token_hash;
	db_call(r, Q_LOGIN_FINISH, login_done, p);
}

static void
login_begun(struct req *r, PGresult *res)
{
	struct pw *c = r->ctx;

	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 1) &&
	        strlen(PQgetvalue(res, 0, 1)) < sizeof(c->hash)) {
		c->found = 1;
		snprintf(c->account_id, sizeof(c->account_id), "%s",
		        PQgetvalue(res, 0, 0));
		snprintf(c->hash, sizeof(c->hash), "%s", PQgetvalue(res, 0, 1));
	}
	req_task(r, verify_work, login_checked, c);
}

void
h_session_create(struct req *r)
{
	struct pw *c = pw_new(r);
	const char **p = arena_calloc(r->arena, 2, sizeof(*p));

	if (!check_email_password(r, body_str(r, "email"), NULL))
		return;
	r->ctx = c;
	p[0] = req_client_ip(r);
	p[1] = body_str(r, "email");
	db_call(r, Q_LOGIN_BEGIN, login_begun, p);
}

/* DELETE /v1/sessions/current, DELETE /v1/sessions -------------------- */

static void
logout(struct req *r, const char *everywhere)
{
	const char **p = arena_calloc(r->arena, 2, sizeof(*p));

	p[0] = req_token_hash(r);
	p[1] = everywhere;
	db_call(r, Q_SESSION_LOGOUT, reply_204, p);
}

void
h_session_delete(struct req *r)
{
	logout(r, "false");
}

void
h_session_delete_all(struct req *r)
{
	logout(r, "true");
}
