/*
 * identity.h - shared helpers of the API tests for accounts, membership,
 * roles and verification (linked into every API test, like client.c)
 *
 * People are made through the public API only: register, read the
 * confirmation mail from PARTICIPE_TEST_MAILBOX, confirm, log in. Rate
 * limits count per client IP and per e-mail address, so every person gets
 * a unique address and a random client IP of its own (sent as
 * X-Forwarded-For, which the server trusts from 127.0.0.1): tests do not
 * trip each other's limits, and the suite can run again and again against
 * the same database.
 *
 * Every helper that expects a given outcome fails the current cmocka test
 * (printing the response) when it does not get it; include <cmocka.h>.
 */
#ifndef PARTICIPE_TEST_IDENTITY_H
#define PARTICIPE_TEST_IDENTITY_H

#include <jansson.h>
#include <stddef.h>

#include "client.h"

/* The password the helpers give everyone (>= 12 characters). */
#define ID_PASSWORD "correct horse battery staple"

/* A birth date old enough for any minimum age. */
#define ID_ADULT "1980-05-17"

/* A person with an account, as id_user_new() leaves them. */
struct id_user {
	char id[40];       /* account id (uuid) */
	char token[64];    /* bearer token of a session ("" if none) */
	char email[160];   /* unique address */
	char password[64]; /* ID_PASSWORD unless changed */
	char ip[48];       /* the client IP (X-Forwarded-For) it uses */
	char name[96];     /* display name */
};

/* Flags of id_user_new(). */
#define ID_UNCONFIRMED 1 /* do not confirm the e-mail address */

/* Random bytes from the kernel (never fails in practice). */
void id_random_bytes(void *buf, size_t n);

/* A random number in [0, n). */
unsigned id_random(unsigned n);

/* A random private IPv4 address "10.x.y.z" for X-Forwarded-For. */
void id_random_ip(char *out, size_t outsz);

/* A unique address "<prefix>-<pid>-<ms>-<n>@example.org". */
void id_unique_email(const char *prefix, char *out, size_t outsz);

/* A random SIREN: 8 random digits and its Luhn check digit. */
void id_random_siren(char out[10]);

/* Adds to ip the X-Forwarded-For header line, for extra headers. */
void id_xff_line(const char *ip, char *out, size_t outsz);

/*
 * One request on a fresh connection: a JSON body (with its Content-Type)
 * when json is not NULL, "Authorization: Bearer <token>" when token is
 * not NULL, "X-Forwarded-For: <ip>" when ip is not NULL. NULL (with a
 * message) when the server did not answer.
 */
struct http_resp *id_call(const char *method, const char *path,
        const char *token, const char *ip, const char *json);

/* The response has this status and an application/json body (and the
 * common headers); returns the parsed body (new reference). */
#define id_json(r, st) id_json_((r), (st), __FILE__, __LINE__)
json_t *id_json_(
        const struct http_resp *r, int status, const char *file, int line);

/* A string member of a JSON object, or "" when absent or not a string. */
const char *id_str(json_t *o, const char *key);

/* The path of the Link: <...>; rel="next" header into out; 0 if none. */
int id_link_next(const struct http_resp *r, char *out, size_t outsz);

/*
 * GET path (which may already have a query string) as token, following
 * Link rel="next" until the last page; checks that each page is an array
 * of at most limit items (limit 0: do not check) and that pages before
 * the last are full. Returns every item in order (new reference).
 */
#define id_list_all(path, token, limit)                                        \
	id_list_all_((path), (token), (limit), __FILE__, __LINE__)
json_t *id_list_all_(const char *path, const char *token, int limit,
        const char *file, int line);

/* ---- the mailbox ---- */

/* Newest mail to 'to' (case-insensitive) of this template (NULL: any) in
 * PARTICIPE_TEST_MAILBOX, or NULL (new reference). */
json_t *id_mail_last(const char *to, const char *template_);

/* How many mails to 'to' of this template (NULL: any). */
size_t id_mail_count(const char *to, const char *template_);

/* The token=... of the link of the newest such mail into out (at least
 * 64 bytes); fails the test when there is none. */
#define id_mail_token(to, tpl, out)                                            \
	id_mail_token_((to), (tpl), (out), __FILE__, __LINE__)
void id_mail_token_(const char *to, const char *template_, char *out,
        const char *file, int line);

/* ---- accounts ---- */

/* POST /v1/accounts. birth_date NULL: none sent. */
struct http_resp *id_register_req(const char *email, const char *password,
        const char *display_name, const char *birth_date, const char *ip);

/* POST /v1/accounts/confirm {"token": token}. */
struct http_resp *id_confirm_req(const char *token, const char *ip);

/* POST /v1/sessions {"email", "password"}. */
struct http_resp *id_login_req(
        const char *email, const char *password, const char *ip);

/* Logs u in (201) with u->email, u->password, u->ip: sets u->token and
 * u->id. */
#define id_login(u) id_login_((u), __FILE__, __LINE__)
void id_login_(struct id_user *u, const char *file, int line);

/* A new person: registered (202) with birth_date (NULL: none), confirmed
 * through the mailed link unless ID_UNCONFIRMED, and logged in. */
#define id_user_new(u, prefix, birth, flags)                                   \
	id_user_new_((u), (prefix), (birth), (flags), __FILE__, __LINE__)
void id_user_new_(struct id_user *u, const char *prefix, const char *birth_date,
        int flags, const char *file, int line);

/* ---- collectivities, membership, roles ---- */

/*
 * Creates a collectivity as the platform admin (201): a unique slug from
 * prefix into slug (at least 64 bytes), the given kind, and extra JSON
 * members (e.g. "\"siren\":\"...\"", without braces) or NULL.
 */
#define id_collectivity_new(prefix, kind, extra, slug)                         \
	id_collectivity_new_(                                                  \
	        (prefix), (kind), (extra), (slug), __FILE__, __LINE__)
void id_collectivity_new_(const char *prefix, const char *kind,
        const char *extra, char *slug, const char *file, int line);

/* PATCH /v1/collectivities/{slug}/verification with this body, as the
 * platform admin (200). */
#define id_settings(slug, json) id_settings_((slug), (json), __FILE__, __LINE__)
void id_settings_(
        const char *slug, const char *json, const char *file, int line);

/* u joins the collectivity (201, or 200 when already a member). */
#define id_join(u, slug) id_join_((u), (slug), __FILE__, __LINE__)
void id_join_(
        const struct id_user *u, const char *slug, const char *file, int line);

/* Grants role to the member account_id as the platform admin (201 or
 * 200). */
#define id_grant(slug, aid, role)                                              \
	id_grant_((slug), (aid), (role), __FILE__, __LINE__)
void id_grant_(const char *slug, const char *account_id, const char *role,
        const char *file, int line);

/* Verifies the member account_id manually as token (NULL: the platform
 * admin), with a reason (200). */
#define id_verify(slug, aid, token)                                            \
	id_verify_((slug), (aid), (token), __FILE__, __LINE__)
void id_verify_(const char *slug, const char *account_id, const char *token,
        const char *file, int line);

/* id_user_new() then id_join(); role "resident" also verifies them (as
 * the platform admin), "moderator" and "admin" grant that role; NULL or
 * "member": nothing more. */
#define id_member_new(u, prefix, slug, role)                                   \
	id_member_new_((u), (prefix), (slug), (role), __FILE__, __LINE__)
void id_member_new_(struct id_user *u, const char *prefix, const char *slug,
        const char *role, const char *file, int line);

/* ---- rate limit windows ---- */

/*
 * The number of the current rate-limit window of window_s seconds: limits
 * count in fixed windows aligned on the epoch (api.rate_hit), so hits made
 * while this stays the same all count together.
 */
long long id_window(int window_s);

/* Retry-After is a positive integer of seconds, at most max_s. */
#define id_check_retry_after(r, max_s)                                         \
	id_check_retry_after_((r), (max_s), __FILE__, __LINE__)
void id_check_retry_after_(
        const struct http_resp *r, int max_s, const char *file, int line);

#endif
