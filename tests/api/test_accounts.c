/*
 * test_accounts.c - accounts and sessions: registration (no address
 * enumeration), e-mail confirmation, login and its rate limits,
 * registration rate limits, password reset, logout (here and everywhere),
 * bad input, and the caller's own data: read, edit (no mass assignment),
 * export, erase.
 *
 * Every person is new (unique address, own client IP), so tests neither
 * depend on each other nor on earlier runs against the same database.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "client.h"
#include "identity.h"

/* ---- helpers ---- */

/* GET /v1/me as token: its status. */
static int
me_status(const char *token)
{
	struct http_resp *r = id_call("GET", "/v1/me", token, NULL, NULL);
	int st = r != NULL ? r->status : 0;

	if (st == 401)
		json_decref(check_problem(r, 401, "unauthorized"));
	http_resp_free(r);
	return st;
}

/* GET /v1/me as token (200); the body. */
static json_t *
me_get(const char *token)
{
	struct http_resp *r = id_call("GET", "/v1/me", token, NULL, NULL);
	json_t *j = id_json(r, 200);

	http_resp_free(r);
	return j;
}

/* A 422 naming field; the response is freed. */
#define expect_422(r, field) expect_422_((r), (field), __FILE__, __LINE__)
static void
expect_422_(struct http_resp *r, const char *field, const char *file, int line)
{
	json_t *p = check_problem_(r, 422, "validation-failed", file, line);

	check_problem_field_(p, field, NULL, file, line);
	json_decref(p);
	http_resp_free(r);
}

/* A 401 problem; the response is freed. */
#define expect_401(r) expect_401_((r), __FILE__, __LINE__)
static void
expect_401_(struct http_resp *r, const char *file, int line)
{
	json_decref(check_problem_(r, 401, "unauthorized", file, line));
	http_resp_free(r);
}

/* A 429 with an integer Retry-After of at most max_s; freed. */
#define expect_429(r, max_s) expect_429_((r), (max_s), __FILE__, __LINE__)
static void
expect_429_(struct http_resp *r, int max_s, const char *file, int line)
{
	json_decref(check_problem_(r, 429, "too-many-requests", file, line));
	id_check_retry_after_(r, max_s, file, line);
	http_resp_free(r);
}

/* One request of a batch. */
struct breq {
	const char *method;
	const char *path;
	char ip[48];
	char *json; /* owned */
};

/*
 * Sends n requests over nconn connections at once (request i on
 * connection i % nconn, pipelined), then reads every answer: the Argon2id
 * work of the server then runs on all its CPU threads. Returns the
 * responses in request order (each may be NULL); frees the bodies.
 */
static struct http_resp **
batch(struct breq *q, size_t n, int nconn)
{
	struct http_resp **out = calloc(n, sizeof(*out));
	struct http_conn *c[8];
	size_t i;
	int k;

	assert_non_null(out);
	if (nconn > 8)
		nconn = 8;
	for (k = 0; k < nconn; k++) {
		c[k] = conn_open();
		assert_non_null(c[k]);
	}
	for (i = 0; i < n; i++) {
		char extra[256];

		snprintf(extra, sizeof(extra),
		        "Content-Type: application/json\r\n"
		        "X-Forwarded-For: %s\r\n",
		        q[i].ip);
		assert_int_equal(
		        conn_send_request(c[i % (size_t)nconn], q[i].method,
		                q[i].path, extra, q[i].json, strlen(q[i].json)),
		        0);
	}
	for (i = 0; i < n; i++)
		out[i] = conn_read(c[i % (size_t)nconn]);
	for (k = 0; k < nconn; k++)
		conn_close(c[k]);
	for (i = 0; i < n; i++)
		free(q[i].json);
	return out;
}

static char *
login_json(const char *email, const char *password)
{
	json_t *b =
	        json_pack("{s:s, s:s}", "email", email, "password", password);
	char *s = json_dumps(b, JSON_COMPACT);

	json_decref(b);
	return s;
}

static char *
register_json(const char *email)
{
	json_t *b = json_pack("{s:s, s:s, s:s}", "email", email, "password",
	        ID_PASSWORD, "display_name", "Batch");
	char *s = json_dumps(b, JSON_COMPACT);

	json_decref(b);
	return s;
}

/* Registers u (202) without confirming or logging in. */
static void
register_only(struct id_user *u, const char *prefix, const char *birth)
{
	struct http_resp *r;

	memset(u, 0, sizeof(*u));
	id_unique_email(prefix, u->email, sizeof(u->email));
	snprintf(u->password, sizeof(u->password), "%s", ID_PASSWORD);
	snprintf(u->name, sizeof(u->name), "%s", prefix);
	id_random_ip(u->ip, sizeof(u->ip));
	r = id_register_req(u->email, u->password, u->name, birth, u->ip);
	check_status(r, 202);
	http_resp_free(r);
}

/* ---- registration and confirmation ---- */

static void
test_register_same_answer(void **state)
{
	struct id_user u;
	struct http_resp *r1, *r2, *r3;
	json_t *b, *m;
	char upper[160], tok[64];
	size_t i;

	(void)state;
	memset(&u, 0, sizeof(u));
	id_unique_email("reg", u.email, sizeof(u.email));
	id_random_ip(u.ip, sizeof(u.ip));
	snprintf(u.password, sizeof(u.password), "%s", ID_PASSWORD);
	r1 = id_register_req(u.email, u.password, "First", NULL, u.ip);
	b = id_json(r1, 202);
	check(strcmp(id_str(b, "status"), "accepted") == 0, "registration: %s",
	        r1->body);
	json_decref(b);
	check(id_mail_count(u.email, NULL) == 1, "one mail expected, got %zu",
	        id_mail_count(u.email, NULL));
	m = id_mail_last(u.email, NULL);
	check(strcmp(id_str(m, "template"), "confirm_email") == 0 &&
	                strlen(id_str(m, "subject")) > 0 &&
	                strstr(id_str(m, "link"), "/confirm-email?token=") !=
	                        NULL,
	        "first mail should be confirm_email with a link: %s",
	        id_str(m, "template"));
	json_decref(m);
	id_mail_token(u.email, "confirm_email", tok);
	check(strlen(tok) == 43, "confirmation token \"%s\" is not 43 chars",
	        tok);

	/* the same address again, another password: the very same answer */
	r2 = id_register_req(
	        u.email, "another password entirely", "Second", NULL, u.ip);
	json_decref(id_json(r2, 202));
	check(r1->body_len == r2->body_len && strcmp(r1->body, r2->body) == 0 &&
	                strcmp(http_resp_header(r1, "content-type"),
	                        http_resp_header(r2, "content-type")) == 0,
	        "new and existing address must get the same answer:\n%s\n%s",
	        r1->body, r2->body);
	m = id_mail_last(u.email, NULL);
	check(strcmp(id_str(m, "template"), "already_registered") == 0,
	        "second mail should be already_registered, is %s",
	        id_str(m, "template"));
	check(strstr(id_str(m, "link"), "token=") == NULL,
	        "already_registered must not carry a token: %s",
	        id_str(m, "link"));
	json_decref(m);

	/* addresses compare case-insensitively */
	snprintf(upper, sizeof(upper), "%s", u.email);
	for (i = 0; upper[i] != '\0' && upper[i] != '@'; i++)
		if (upper[i] >= 'a' && upper[i] <= 'z')
			upper[i] = (char)(upper[i] - 32);
	r3 = id_register_req(
	        upper, "yet another password", "Third", NULL, u.ip);
	json_decref(id_json(r3, 202));
	check(strcmp(r1->body, r3->body) == 0, "upper-case address: %s",
	        r3->body);
	check(id_mail_count(u.email, "already_registered") == 2 &&
	                id_mail_count(u.email, "confirm_email") == 1,
	        "upper-case address: want a second already_registered mail");
	http_resp_free(r1);
	http_resp_free(r2);
	http_resp_free(r3);

	/* the first password is the one that counts */
	id_login(&u);
	r1 = id_login_req(u.email, "another password entirely", u.ip);
	expect_401(r1);
	m = me_get(u.token);
	check(strcmp(id_str(m, "display_name"), "First") == 0,
	        "a second registration changed the account: %s",
	        id_str(m, "display_name"));
	json_decref(m);
}

static void
test_confirm_once(void **state)
{
	static const char *malformed[] = {"abc", "",
	        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+",
	        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "' OR '1'='1"};
	struct id_user u;
	struct http_resp *r;
	json_t *j;
	char tok[64], body[256];
	size_t i;

	(void)state;
	id_user_new(&u, "confirm", NULL, ID_UNCONFIRMED);
	j = me_get(u.token);
	check(json_is_false(json_object_get(j, "email_verified")),
	        "unconfirmed account shows email_verified true");
	json_decref(j);
	id_mail_token(u.email, "confirm_email", tok);
	r = id_confirm_req(tok, u.ip);
	j = id_json(r, 200);
	check(strcmp(id_str(j, "status"), "confirmed") == 0, "confirm: %s",
	        r->body);
	json_decref(j);
	http_resp_free(r);
	j = me_get(u.token);
	check(json_is_true(json_object_get(j, "email_verified")),
	        "confirmed account shows email_verified false");
	json_decref(j);
	/* once only */
	expect_422(id_confirm_req(tok, u.ip), "token");
	/* unknown but well-formed */
	expect_422(id_confirm_req(
	                   "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", u.ip),
	        "token");
	/* malformed: 422 naming token (the empty one fails the length) */
	for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		r = id_confirm_req(malformed[i], u.ip);
		if (r == NULL || r->status != 422)
			fprintf(stderr, "  token \"%s\"\n", malformed[i]);
		expect_422(r, "token");
	}
	/* a token of another purpose does not confirm */
	snprintf(body, sizeof(body), "{\"email\":\"%s\"}", u.email);
	r = id_call("POST", "/v1/password-resets", NULL, u.ip, body);
	check_status(r, 202);
	http_resp_free(r);
	id_mail_token(u.email, "reset_password", tok);
	expect_422(id_confirm_req(tok, u.ip), "token");
}

/* ---- login ---- */

static void
test_login(void **state)
{
	struct id_user u, v;
	struct http_resp *r, *wrong, *unknown;
	json_t *j;
	const char *cc;
	char email[160], upper[160];
	size_t i;

	(void)state;
	id_user_new(&u, "login", ID_ADULT, 0);
	r = id_login_req(u.email, u.password, u.ip);
	j = id_json(r, 201);
	cc = http_resp_header(r, "cache-control");
	check(cc != NULL && http_list_has(cc, "no-store"),
	        "login: Cache-Control should be no-store, is %s",
	        cc != NULL ? cc : "(none)");
	check(strlen(id_str(j, "token")) == 43 &&
	                strcmp(id_str(j, "account_id"), u.id) == 0 &&
	                strlen(id_str(j, "expires_at")) > 0,
	        "login body: %s", r->body);
	check(strcmp(id_str(j, "token"), u.token) != 0,
	        "two logins gave the same token");
	check(me_status(id_str(j, "token")) == 200, "new token does not work");
	check(me_status(u.token) == 200, "a new login ended the first session");
	json_decref(j);
	http_resp_free(r);

	/* wrong password and unknown address: the very same 401 */
	wrong = id_login_req(u.email, "not the right password", u.ip);
	json_decref(check_problem(wrong, 401, "unauthorized"));
	id_unique_email("nobody", email, sizeof(email));
	unknown = id_login_req(email, "not the right password", u.ip);
	json_decref(check_problem(unknown, 401, "unauthorized"));
	check(strcmp(wrong->body, unknown->body) == 0,
	        "wrong password and unknown address must look alike:\n%s\n%s",
	        wrong->body, unknown->body);
	check((http_resp_header(wrong, "www-authenticate") == NULL) ==
	                (http_resp_header(unknown, "www-authenticate") == NULL),
	        "WWW-Authenticate differs between wrong password and unknown "
	        "address");
	http_resp_free(wrong);
	http_resp_free(unknown);
	/* an empty password is refused by the body's shape */
	expect_422(id_login_req(u.email, "", u.ip), "password");

	/* the address is case-insensitive */
	snprintf(upper, sizeof(upper), "%s", u.email);
	for (i = 0; upper[i] != '\0'; i++)
		if (upper[i] >= 'a' && upper[i] <= 'z')
			upper[i] = (char)(upper[i] - 32);
	r = id_login_req(upper, u.password, u.ip);
	check_status(r, 201);
	http_resp_free(r);

	/* an unconfirmed account can log in */
	id_user_new(&v, "login-unconfirmed", NULL, ID_UNCONFIRMED);
	j = me_get(v.token);
	check(json_is_false(json_object_get(j, "email_verified")) &&
	                strcmp(id_str(j, "id"), v.id) == 0,
	        "unconfirmed account's /v1/me is wrong");
	json_decref(j);
}

/*
 * Rate limits count in fixed windows (api.rate_hit). A burst that expects
 * a 429 at its end runs again, with fresh people and IPs, when a window
 * ended while it ran (and so reset the count): at most once, since a
 * burst is much shorter than a window.
 */
#define RETRY_IF_WINDOW_ENDED(r, w0, window_s, attempt)                        \
	if ((r) != NULL && (r)->status != 429 &&                               \
	        id_window(window_s) != (w0) && (attempt) == 1) {               \
		printf("  (a %d s rate-limit window ended during the burst: "  \
		       "once more)\n",                                         \
		        (window_s));                                           \
		http_resp_free(r);                                             \
		continue;                                                      \
	}

static void
test_login_rate_limit_ip(void **state)
{
	enum { N = 100 }; /* api.login_begin: 100 per IP per 15 minutes */
	struct breq q[N];
	struct http_resp **res, *r;
	struct id_user u;
	char ip[48], email[160];
	size_t i;
	int attempt;

	(void)state;
	id_user_new(&u, "login-ip", ID_ADULT, 0);
	for (attempt = 1;; attempt++) {
		long long w0 = id_window(900);

		id_random_ip(ip, sizeof(ip));
		for (i = 0; i < N; i++) {
			id_unique_email("login-ip-x", email, sizeof(email));
			q[i].method = "POST";
			q[i].path = "/v1/sessions";
			snprintf(q[i].ip, sizeof(q[i].ip), "%s", ip);
			q[i].json = login_json(email, "not the right password");
		}
		res = batch(q, N, 8);
		for (i = 0; i < N; i++) {
			if (res[i] == NULL || res[i]->status != 401)
				fprintf(stderr, "  attempt %zu of %d:\n", i + 1,
				        N);
			json_decref(check_problem(res[i], 401, "unauthorized"));
			http_resp_free(res[i]);
		}
		free(res);
		/* the next one from that IP, even with the right password */
		r = id_login_req(u.email, u.password, ip);
		RETRY_IF_WINDOW_ENDED(r, w0, 900, attempt);
		expect_429(r, 900);
		break;
	}
	/* another IP is not limited */
	r = id_login_req(u.email, u.password, u.ip);
	check_status(r, 201);
	http_resp_free(r);
}

/*
 * N - 1 wrong passwords then 'last' (NULL: wrong again) for email, each
 * from a fresh IP, all answered 401 (201 for the right password); then
 * one more with the right password (or a wrong one), returned.
 */
static struct http_resp *
login_burst(const char *email, const char *last, int n)
{
	struct http_resp *r;
	char ip[48];
	int i;

	for (i = 0; i < n; i++) {
		const char *pw = i == n - 1 && last != NULL
		                         ? last
		                         : "not the right password";

		id_random_ip(ip, sizeof(ip));
		r = id_login_req(email, pw, ip);
		if (r == NULL || r->status != (pw == last ? 201 : 401))
			fprintf(stderr, "  attempt %d of %d\n", i + 1, n);
		check_status(r, pw == last ? 201 : 401);
		http_resp_free(r);
	}
	id_random_ip(ip, sizeof(ip));
	return id_login_req(
	        email, last != NULL ? last : "not the right password", ip);
}

static void
test_login_rate_limit_account(void **state)
{
	enum { N = 10 }; /* api.login_begin: 10 per address per 15 minutes */
	struct id_user u, other;
	struct http_resp *r;
	char ip[48], tok[64], email[160];
	int attempt;

	(void)state;
	id_user_new(&other, "login-acct-other", ID_ADULT, 0);
	for (attempt = 1;; attempt++) {
		long long w0 = id_window(900);

		/* an account that never logged in: no hit counted yet */
		register_only(&u, "login-acct", ID_ADULT);
		id_mail_token(u.email, "confirm_email", tok);
		r = id_confirm_req(tok, u.ip);
		check_status(r, 200);
		http_resp_free(r);
		/* nine wrong passwords, the tenth right (still allowed),
		   each from another IP; the eleventh, right, refused */
		r = login_burst(u.email, u.password, N);
		RETRY_IF_WINDOW_ENDED(r, w0, 900, attempt);
		expect_429(r, 900);
		break;
	}
	id_random_ip(ip, sizeof(ip));
	expect_429(id_login_req(u.email, "not the right password", ip), 900);
	/* other accounts are not limited */
	r = id_login_req(other.email, other.password, other.ip);
	check_status(r, 201);
	http_resp_free(r);
	/* an unknown address is limited the same way (no enumeration) */
	for (attempt = 1;; attempt++) {
		long long w0 = id_window(900);

		id_unique_email("login-acct-nobody", email, sizeof(email));
		r = login_burst(email, NULL, N);
		RETRY_IF_WINDOW_ENDED(r, w0, 900, attempt);
		expect_429(r, 900);
		break;
	}
}

/* ---- registration rate limits ---- */

static void
test_register_rate_limit_ip(void **state)
{
	enum { N = 20 }; /* api.account_register: 20 per IP per hour */
	struct breq q[N];
	struct http_resp **res, *r;
	char ip[48], ip2[48], email[160];
	size_t i;
	int attempt;

	(void)state;
	for (attempt = 1;; attempt++) {
		long long w0 = id_window(3600);

		id_random_ip(ip, sizeof(ip));
		for (i = 0; i < N; i++) {
			id_unique_email("reg-ip", email, sizeof(email));
			q[i].method = "POST";
			q[i].path = "/v1/accounts";
			snprintf(q[i].ip, sizeof(q[i].ip), "%s", ip);
			q[i].json = register_json(email);
		}
		res = batch(q, N, 8);
		for (i = 0; i < N; i++) {
			if (res[i] == NULL || res[i]->status != 202)
				fprintf(stderr, "  registration %zu of %d:\n",
				        i + 1, N);
			check_status(res[i], 202);
			http_resp_free(res[i]);
		}
		free(res);
		id_unique_email("reg-ip-over", email, sizeof(email));
		r = id_register_req(email, ID_PASSWORD, "Over", NULL, ip);
		RETRY_IF_WINDOW_ENDED(r, w0, 3600, attempt);
		expect_429(r, 3600);
		break;
	}
	check(id_mail_count(email, NULL) == 0,
	        "a refused registration sent mail");
	/* another IP may still register that address */
	id_random_ip(ip2, sizeof(ip2));
	r = id_register_req(email, ID_PASSWORD, "Over", NULL, ip2);
	check_status(r, 202);
	http_resp_free(r);
	check(id_mail_count(email, "confirm_email") == 1,
	        "the registration from another IP sent no confirmation");
}

static void
test_register_rate_limit_address(void **state)
{
	enum { N = 5 }; /* api.account_register: 5 per address per hour */
	struct http_resp *r;
	char email[160], ip[48];
	int i, attempt;

	(void)state;
	for (attempt = 1;; attempt++) {
		long long w0 = id_window(3600);

		id_unique_email("reg-addr", email, sizeof(email));
		for (i = 0; i < N; i++) {
			id_random_ip(ip, sizeof(ip));
			r = id_register_req(
			        email, ID_PASSWORD, "Again", NULL, ip);
			check_status(r, 202);
			http_resp_free(r);
		}
		id_random_ip(ip, sizeof(ip));
		r = id_register_req(email, ID_PASSWORD, "Again", NULL, ip);
		RETRY_IF_WINDOW_ENDED(r, w0, 3600, attempt);
		expect_429(r, 3600);
		break;
	}
	check(id_mail_count(email, NULL) == N,
	        "%d registrations should send %d mails, sent %zu", N, N,
	        id_mail_count(email, NULL));
}

/* ---- password reset ---- */

static struct http_resp *
reset_request(const char *email, const char *ip)
{
	json_t *b = json_pack("{s:s}", "email", email);
	char *s = json_dumps(b, JSON_COMPACT);
	struct http_resp *r =
	        id_call("POST", "/v1/password-resets", NULL, ip, s);

	free(s);
	json_decref(b);
	return r;
}

static struct http_resp *
reset_confirm(const char *token, const char *password, const char *ip)
{
	json_t *b =
	        json_pack("{s:s, s:s}", "token", token, "password", password);
	char *s = json_dumps(b, JSON_COMPACT);
	struct http_resp *r =
	        id_call("POST", "/v1/password-resets/confirm", NULL, ip, s);

	free(s);
	json_decref(b);
	return r;
}

static void
test_password_reset(void **state)
{
	const char *newpw = "a brand new passphrase";
	struct id_user u, second;
	struct http_resp *r, *r2;
	json_t *j;
	char tok[64], email[160];

	(void)state;
	id_user_new(&u, "reset", ID_ADULT, 0);
	second = u;
	id_login(&second); /* a second session of the same account */
	check(me_status(u.token) == 200 && me_status(second.token) == 200,
	        "sessions do not work");

	/* the same answer for an existing and an unknown address */
	r = reset_request(u.email, u.ip);
	json_decref(id_json(r, 202));
	id_unique_email("reset-nobody", email, sizeof(email));
	r2 = reset_request(email, u.ip);
	json_decref(id_json(r2, 202));
	check(strcmp(r->body, r2->body) == 0,
	        "reset: existing and unknown address must look alike:\n%s\n%s",
	        r->body, r2->body);
	http_resp_free(r);
	http_resp_free(r2);
	check(id_mail_count(email, NULL) == 0,
	        "mail sent to an unknown address");
	check(id_mail_count(u.email, "reset_password") == 1,
	        "no reset_password mail");
	j = id_mail_last(u.email, "reset_password");
	check(strstr(id_str(j, "link"), "/reset-password?token=") != NULL,
	        "reset link: %s", id_str(j, "link"));
	json_decref(j);
	id_mail_token(u.email, "reset_password", tok);

	/* a bad new password is refused before the token is used */
	expect_422(reset_confirm(tok, "short", u.ip), "password");
	/* the link works once */
	r = reset_confirm(tok, newpw, u.ip);
	j = id_json(r, 200);
	check(strcmp(id_str(j, "status"), "password_changed") == 0, "reset: %s",
	        r->body);
	json_decref(j);
	http_resp_free(r);
	check(id_mail_count(u.email, "password_changed") == 1,
	        "no password_changed mail");
	expect_422(reset_confirm(tok, "yet another passphrase", u.ip), "token");
	/* every session was closed */
	check(me_status(u.token) == 401 && me_status(second.token) == 401,
	        "sessions survived a password reset");
	/* the old password fails, the new one works */
	expect_401(id_login_req(u.email, u.password, u.ip));
	r = id_login_req(u.email, newpw, u.ip);
	check_status(r, 201);
	http_resp_free(r);
	/* malformed and unknown tokens */
	expect_422(reset_confirm("nope", newpw, u.ip), "token");
	expect_422(reset_confirm("BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
	                   newpw, u.ip),
	        "token");
	/* a confirmation token is not a reset token */
	id_mail_token(u.email, "confirm_email", tok);
	expect_422(reset_confirm(tok, newpw, u.ip), "token");
}

static void
test_password_reset_expired(void **state)
{
	long ttl = http_env_long("PARTICIPE_TEST_RESET_TTL_MS", 3000);
	struct id_user u;
	struct http_resp *r;
	char tok[64];

	(void)state;
	id_user_new(&u, "reset-exp", ID_ADULT, 0);
	r = reset_request(u.email, u.ip);
	check_status(r, 202);
	http_resp_free(r);
	id_mail_token(u.email, "reset_password", tok);
	http_sleep_ms((int)ttl + 500);
	expect_422(reset_confirm(tok, "a brand new passphrase", u.ip), "token");
	/* nothing changed: the old password and the session still work */
	check(me_status(u.token) == 200, "an expired reset ended the session");
	r = id_login_req(u.email, u.password, u.ip);
	check_status(r, 201);
	http_resp_free(r);
}

/* ---- logout ---- */

static void
test_logout(void **state)
{
	struct id_user u, other;
	struct http_resp *r;

	(void)state;
	id_user_new(&u, "logout", ID_ADULT, 0);
	other = u;
	id_login(&other);
	r = id_call("DELETE", "/v1/sessions/current", u.token, NULL, NULL);
	check_status(r, 204);
	check_common_headers(r, 0);
	check(r->body_len == 0, "204 with a body");
	http_resp_free(r);
	check(me_status(u.token) == 401, "the token works after logout");
	expect_401(
	        id_call("DELETE", "/v1/sessions/current", u.token, NULL, NULL));
	check(me_status(other.token) == 200,
	        "logout ended another session of the account");
	expect_401(id_call("DELETE", "/v1/sessions/current", NULL, NULL, NULL));
}

static void
test_logout_everywhere(void **state)
{
	struct id_user u, second, other;
	struct http_resp *r;

	(void)state;
	id_user_new(&u, "logout-all", ID_ADULT, 0);
	id_user_new(&other, "logout-all-other", ID_ADULT, 0);
	second = u;
	id_login(&second);
	check(me_status(u.token) == 200 && me_status(second.token) == 200,
	        "sessions do not work");
	r = id_call("DELETE", "/v1/sessions", second.token, NULL, NULL);
	check_status(r, 204);
	http_resp_free(r);
	check(me_status(u.token) == 401 && me_status(second.token) == 401,
	        "a session survived logout everywhere");
	check(me_status(other.token) == 200,
	        "logout everywhere ended another person's session");
	expect_401(id_call("DELETE", "/v1/sessions", u.token, NULL, NULL));
	/* a new login works again */
	id_login(&u);
	check(me_status(u.token) == 200, "login after logout everywhere");
}

/* ---- bad input ---- */

static void
test_bad_inputs(void **state)
{
	static const char *bad_emails[] = {"not-an-email", "a@b",
	        "@example.org", "a b@example.org", "a@@example.org",
	        "a@example.", "a..b@example.org", "a@-example.org",
	        "jos\xc3\xa9@example.org"};
	struct id_user u;
	struct http_resp *r;
	json_t *p;
	char ip[48], email[160], pw[600], body[1024], tok[64];
	size_t i;

	(void)state;
	id_random_ip(ip, sizeof(ip));
	id_unique_email("bad", email, sizeof(email));
	for (i = 0; i < sizeof(bad_emails) / sizeof(bad_emails[0]); i++) {
		r = id_register_req(
		        bad_emails[i], ID_PASSWORD, "Bad", NULL, ip);
		if (r == NULL || r->status != 422)
			fprintf(stderr, "  e-mail \"%s\"\n", bad_emails[i]);
		expect_422(r, "email");
		expect_422(
		        id_login_req(bad_emails[i], ID_PASSWORD, ip), "email");
		expect_422(reset_request(bad_emails[i], ip), "email");
	}
	/* passwords: 11 characters, 129 characters, over 512 bytes */
	expect_422(id_register_req(email, "elevenchars", "Bad", NULL, ip),
	        "password");
	memset(pw, 'p', 129);
	pw[129] = '\0';
	expect_422(id_register_req(email, pw, "Bad", NULL, ip), "password");
	memset(pw, 'p', 513);
	pw[513] = '\0';
	expect_422(id_register_req(email, pw, "Bad", NULL, ip), "password");
	/* characters count, not bytes: eleven "é" are too short, twelve
	   are enough (only the e-mail is then wrong) */
	r = id_register_req("bad",
	        "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	        "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
	        "Bad", NULL, ip);
	p = check_problem(r, 422, "validation-failed");
	check_problem_field(p, "email", NULL);
	check_problem_field(p, "password", NULL);
	json_decref(p);
	http_resp_free(r);
	r = id_register_req("bad",
	        "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	        "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
	        "Bad", NULL, ip);
	p = check_problem(r, 422, "validation-failed");
	check_problem_field(p, "email", NULL);
	check(json_array_size(json_object_get(p, "errors")) == 1,
	        "twelve two-byte characters are a long enough password: %s",
	        r->body);
	json_decref(p);
	http_resp_free(r);
	/* no display name; a bad birth date */
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}",
	        email, ID_PASSWORD);
	expect_422(id_call("POST", "/v1/accounts", NULL, ip, body),
	        "display_name");
	expect_422(id_register_req(email, ID_PASSWORD, "Bad", "1990-02-30", ip),
	        "birth_date");
	expect_422(id_register_req(email, ID_PASSWORD, "Bad", "2999-01-01", ip),
	        "birth_date");
	check(id_mail_count(email, NULL) == 0,
	        "a refused registration sent mail");
	/* a reset confirmation with a bad password names it */
	expect_422(
	        id_call("POST", "/v1/password-resets/confirm", NULL, ip,
	                "{\"token\":\"CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"
	                "CCCC\",\"password\":\"short\"}"),
	        "password");

	/* bearer tokens */
	id_user_new(&u, "bad-token", ID_ADULT, 0);
	/* forged: 43 valid characters, unknown */
	snprintf(tok, sizeof(tok), "%s", u.token);
	tok[0] = tok[0] == 'A' ? 'B' : 'A';
	r = id_call("GET", "/v1/me", tok, NULL, NULL);
	p = check_problem(r, 401, "unauthorized");
	check(http_resp_header(r, "www-authenticate") != NULL &&
	                strncasecmp(http_resp_header(r, "www-authenticate"),
	                        "Bearer", 6) == 0,
	        "401 without WWW-Authenticate: Bearer");
	json_decref(p);
	http_resp_free(r);
	/* truncated: malformed */
	snprintf(tok, sizeof(tok), "%.42s", u.token);
	r = id_call("GET", "/v1/me", tok, NULL, NULL);
	p = check_problem(r, 401, "unauthorized");
	check(strstr(id_str(p, "detail"), "malformed") != NULL,
	        "a truncated token should be called malformed: %s", r->body);
	json_decref(p);
	http_resp_free(r);
	/* one character too many */
	snprintf(tok, sizeof(tok), "%.43sA", u.token);
	expect_401(id_call("GET", "/v1/me", tok, NULL, NULL));
	/* none, and another scheme */
	expect_401(id_call("GET", "/v1/me", NULL, NULL, NULL));
	r = http_request(
	        "GET", "/v1/me", "Authorization: Basic dTpw\r\n", NULL, 0);
	expect_401(r);
	/* the real one still works */
	check(me_status(u.token) == 200, "the real token stopped working");
}

/* ---- the caller's own data ---- */

static void
test_me_get(void **state)
{
	struct id_user u;
	json_t *j, *ms, *m;
	char slug[64];

	(void)state;
	id_user_new(&u, "me", "1990-03-04", 0);
	j = me_get(u.token);
	check(strcmp(id_str(j, "id"), u.id) == 0 &&
	                strcmp(id_str(j, "email"), u.email) == 0 &&
	                strcmp(id_str(j, "display_name"), u.name) == 0 &&
	                strcmp(id_str(j, "birth_date"), "1990-03-04") == 0 &&
	                json_is_true(json_object_get(j, "email_verified")) &&
	                json_is_false(
	                        json_object_get(j, "is_platform_admin")) &&
	                strlen(id_str(j, "created_at")) > 0 &&
	                json_is_array(json_object_get(j, "memberships")) &&
	                json_array_size(json_object_get(j, "memberships")) == 0,
	        "GET /v1/me of a new account is wrong");
	check(json_object_get(j, "password_hash") == NULL &&
	                json_object_get(j, "password") == NULL,
	        "GET /v1/me shows the password hash");
	json_decref(j);
	/* memberships appear */
	id_collectivity_new("me", "commune", NULL, slug);
	id_join(&u, slug);
	j = me_get(u.token);
	ms = json_object_get(j, "memberships");
	m = json_array_get(ms, 0);
	check(json_array_size(ms) == 1 &&
	                strcmp(id_str(m, "collectivity"), slug) == 0 &&
	                json_is_false(json_object_get(m, "verified")),
	        "memberships after joining: wrong");
	json_decref(j);
}

static void
test_me_patch(void **state)
{
	static const char *mass[][2] = {
	        {"role", "{\"display_name\":\"Mallory\",\"role\":\"admin\"}"},
	        {"is_platform_admin",
	                "{\"display_name\":\"Mallory\",\"is_platform_admin\":"
	                "true}"},
	        {"email", "{\"display_name\":\"Mallory\",\"email\":"
	                  "\"mallory@example.org\"}"},
	        {"email_verified", "{\"email_verified\":true}"},
	        {"id", "{\"id\":\"00000000-0000-0000-0000-000000000000\"}"},
	        {"password", "{\"password\":\"a new password here\"}"},
	        {"is_anct", "{\"is_anct\":true}"},
	};
	struct id_user u;
	struct http_resp *r;
	json_t *j, *before, *after;
	size_t i;

	(void)state;
	id_user_new(&u, "patch", NULL, 0);
	r = id_call("PATCH", "/v1/me", u.token, NULL,
	        "{\"display_name\":\"Renamed\",\"birth_date\":\"1991-12-31\"}");
	j = id_json(r, 200);
	check(strcmp(id_str(j, "display_name"), "Renamed") == 0 &&
	                strcmp(id_str(j, "birth_date"), "1991-12-31") == 0,
	        "PATCH /v1/me: %s", r->body);
	json_decref(j);
	http_resp_free(r);
	j = me_get(u.token);
	check(strcmp(id_str(j, "display_name"), "Renamed") == 0 &&
	                strcmp(id_str(j, "birth_date"), "1991-12-31") == 0,
	        "PATCH /v1/me did not last");
	json_decref(j);
	/* one field at a time leaves the other */
	r = id_call("PATCH", "/v1/me", u.token, NULL,
	        "{\"birth_date\":\"1970-01-01\"}");
	j = id_json(r, 200);
	check(strcmp(id_str(j, "display_name"), "Renamed") == 0 &&
	                strcmp(id_str(j, "birth_date"), "1970-01-01") == 0,
	        "PATCH birth_date only: %s", r->body);
	json_decref(j);
	http_resp_free(r);
	/* bad values */
	expect_422(id_call("PATCH", "/v1/me", u.token, NULL,
	                   "{\"birth_date\":\"1991-13-01\"}"),
	        "birth_date");
	expect_422(id_call("PATCH", "/v1/me", u.token, NULL,
	                   "{\"birth_date\":\"2999-01-01\"}"),
	        "birth_date");
	expect_422(id_call("PATCH", "/v1/me", u.token, NULL,
	                   "{\"display_name\":\"\"}"),
	        "display_name");
	expect_422(id_call("PATCH", "/v1/me", u.token, NULL,
	                   "{\"display_name\":null}"),
	        "display_name");

	/* mass assignment: 422 naming the field, nothing changed */
	before = me_get(u.token);
	for (i = 0; i < sizeof(mass) / sizeof(mass[0]); i++) {
		r = id_call("PATCH", "/v1/me", u.token, NULL, mass[i][1]);
		if (r == NULL || r->status != 422)
			fprintf(stderr, "  PATCH /v1/me %s\n", mass[i][1]);
		expect_422(r, mass[i][0]);
	}
	after = me_get(u.token);
	check(json_equal(before, after), "a refused PATCH changed the account");
	check(strcmp(id_str(after, "display_name"), "Renamed") == 0 &&
	                json_is_false(
	                        json_object_get(after, "is_platform_admin")) &&
	                strcmp(id_str(after, "email"), u.email) == 0,
	        "mass assignment changed something");
	json_decref(before);
	json_decref(after);
	/* clearing the birth date */
	r = id_call("PATCH", "/v1/me", u.token, NULL, "{\"birth_date\":null}");
	j = id_json(r, 200);
	check(json_is_null(json_object_get(j, "birth_date")),
	        "birth_date null: %s", r->body);
	json_decref(j);
	http_resp_free(r);
	/* no token */
	expect_401(id_call("PATCH", "/v1/me", NULL, NULL,
	        "{\"display_name\":\"Anonymous\"}"));
}

static void
test_me_export(void **state)
{
	struct id_user u;
	struct http_resp *r;
	json_t *j, *acc, *ms, *ss, *mail;
	const char *cd, *cc;
	char slug[64];
	size_t i;
	int confirm = 0;

	(void)state;
	id_user_new(&u, "export", ID_ADULT, 0);
	id_collectivity_new("export", "commune", NULL, slug);
	id_join(&u, slug);
	r = id_call("GET", "/v1/me/export", u.token, NULL, NULL);
	j = id_json(r, 200);
	cd = http_resp_header(r, "content-disposition");
	check(cd != NULL && strncasecmp(cd, "attachment", 10) == 0,
	        "export: Content-Disposition should be an attachment, is %s",
	        cd != NULL ? cd : "(none)");
	cc = http_resp_header(r, "cache-control");
	check(cc != NULL && http_list_has(cc, "no-store"),
	        "export: Cache-Control should be no-store");
	acc = json_object_get(j, "account");
	ms = json_object_get(j, "memberships");
	ss = json_object_get(j, "sessions");
	mail = json_object_get(j, "mail_sent");
	check(json_is_object(acc) && strcmp(id_str(acc, "id"), u.id) == 0 &&
	                strcmp(id_str(acc, "email"), u.email) == 0,
	        "export: account: %s", r->body);
	check(json_is_array(ms) && json_array_size(ms) == 1 &&
	                strcmp(id_str(json_array_get(ms, 0), "collectivity"),
	                        slug) == 0,
	        "export: memberships: %s", r->body);
	check(json_is_array(ss) && json_array_size(ss) >= 1,
	        "export: sessions: %s", r->body);
	check(json_is_array(mail), "export: mail_sent: %s", r->body);
	for (i = 0; i < json_array_size(mail); i++)
		confirm += strcmp(id_str(json_array_get(mail, i), "template"),
		                   "confirm_email") == 0;
	check(confirm == 1, "export: mail_sent should list the confirmation");
	/* no secrets */
	check(strstr(r->body, "argon2") == NULL &&
	                strstr(r->body, "password_hash") == NULL &&
	                strstr(r->body, "token_hash") == NULL &&
	                strstr(r->body, "roll_key") == NULL &&
	                strstr(r->body, u.token) == NULL,
	        "export shows secrets: %s", r->body);
	json_decref(j);
	http_resp_free(r);
	expect_401(id_call("GET", "/v1/me/export", NULL, NULL, NULL));
}

/* Every audit entry of slug, newest first, as its admin. */
static json_t *
audit_all(const char *slug, const char *token)
{
	char path[200];

	snprintf(path, sizeof(path), "/v1/collectivities/%s/audit?limit=100",
	        slug);
	return id_list_all(path, token, 100);
}

static void
test_me_delete(void **state)
{
	struct id_user admin, mod, res;
	struct http_resp *r;
	json_t *log, *e, *list;
	char slug[64], path[200];
	size_t i;
	int by_mod = 0, erased = 0;

	(void)state;
	id_collectivity_new("erase", "commune", NULL, slug);
	id_member_new(&admin, "erase-admin", slug, "admin");
	id_member_new(&mod, "erase-mod", slug, "moderator");
	id_member_new(&res, "erase-res", slug, "member");
	/* the moderator verifies a resident: an audit entry of theirs */
	id_verify(slug, res.id, mod.token);

	r = id_call("DELETE", "/v1/me", mod.token, NULL, NULL);
	check_status(r, 204);
	check(r->body_len == 0, "204 with a body");
	http_resp_free(r);
	check(me_status(mod.token) == 401, "the token works after erasure");
	r = id_login_req(mod.email, mod.password, mod.ip);
	expect_401(r);

	/* the audit log keeps the moderator's acts, by a pseudonymous id */
	log = audit_all(slug, admin.token);
	json_array_foreach(log, i, e)
	{
		if (strcmp(id_str(e, "action"), "member.verify") == 0 &&
		        strcmp(id_str(e, "object_id"), res.id) == 0 &&
		        strcmp(id_str(e, "actor_id"), mod.id) == 0)
			by_mod++;
		if (strcmp(id_str(e, "action"), "account.erase") == 0 &&
		        strcmp(id_str(e, "object_id"), mod.id) == 0)
			erased++;
	}
	check(by_mod == 1, "the erased moderator's verification is not in "
	                   "the audit log any more");
	check(erased == 1, "the erasure is not in the audit log");
	json_decref(log);
	/* ... and that id now points to nobody */
	snprintf(path, sizeof(path), "/v1/collectivities/%s/members?limit=100",
	        slug);
	list = id_list_all(path, admin.token, 100);
	json_array_foreach(list, i, e)
	{
		check(strcmp(id_str(e, "account_id"), mod.id) != 0,
		        "the erased moderator is still a member");
		if (strcmp(id_str(e, "account_id"), res.id) == 0)
			check(json_is_true(json_object_get(e, "verified")),
			        "the resident lost their verification");
	}
	json_decref(list);
	snprintf(path, sizeof(path), "/v1/collectivities/%s/roles", slug);
	r = id_call("GET", path, admin.token, NULL, NULL);
	list = id_json(r, 200);
	json_array_foreach(list, i, e)
	{
		check(strcmp(id_str(e, "account_id"), mod.id) != 0,
		        "the erased moderator still has a role");
	}
	json_decref(list);
	http_resp_free(r);
	/* the address is free again: a new registration is a new account */
	r = id_register_req(mod.email, ID_PASSWORD, "Reborn", NULL, mod.ip);
	check_status(r, 202);
	http_resp_free(r);
	e = id_mail_last(mod.email, NULL);
	check(strcmp(id_str(e, "template"), "confirm_email") == 0,
	        "registering an erased address: %s mail",
	        id_str(e, "template"));
	json_decref(e);
	/* and erasing needs a session */
	expect_401(id_call("DELETE", "/v1/me", NULL, NULL, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_register_same_answer),
	        cmocka_unit_test(test_confirm_once),
	        cmocka_unit_test(test_login),
	        cmocka_unit_test(test_login_rate_limit_ip),
	        cmocka_unit_test(test_login_rate_limit_account),
	        cmocka_unit_test(test_register_rate_limit_ip),
	        cmocka_unit_test(test_register_rate_limit_address),
	        cmocka_unit_test(test_password_reset),
	        cmocka_unit_test(test_password_reset_expired),
	        cmocka_unit_test(test_logout),
	        cmocka_unit_test(test_logout_everywhere),
	        cmocka_unit_test(test_bad_inputs),
	        cmocka_unit_test(test_me_get),
	        cmocka_unit_test(test_me_patch),
	        cmocka_unit_test(test_me_export),
	        cmocka_unit_test(test_me_delete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
