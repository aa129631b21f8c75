/*
 * identity.c - shared helpers of the API tests for accounts, membership,
 * roles and verification
 */
#include "identity.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

void
id_random_bytes(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		ssize_t k = getrandom(p, n, 0);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			abort();
		}
		p += k;
		n -= (size_t)k;
	}
}

unsigned
id_random(unsigned n)
{
	uint32_t v;

	id_random_bytes(&v, sizeof(v));
	return n > 0 ? v % n : 0;
}

void
id_random_ip(char *out, size_t outsz)
{
	unsigned char b[3];

	id_random_bytes(b, sizeof(b));
	snprintf(out, outsz, "10.%u.%u.%u", b[0], b[1], 1 + b[2] % 254);
}

void
id_unique_email(const char *prefix, char *out, size_t outsz)
{
	char slug[128];

	http_unique_slug(prefix, slug, sizeof(slug));
	snprintf(out, outsz, "%s@example.org", slug);
}

void
id_random_siren(char out[10])
{
	int i, sum = 0;

	for (i = 0; i < 8; i++)
		out[i] = (char)('0' + id_random(10));
	out[8] = '0';
	out[9] = '\0';
	/* Luhn: from the right, double every second digit */
	for (i = 0; i < 9; i++) {
		int d = out[8 - i] - '0';

		if (i % 2 == 1) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	out[8] = (char)('0' + (10 - sum % 10) % 10);
}

void
id_xff_line(const char *ip, char *out, size_t outsz)
{
	snprintf(out, outsz, "X-Forwarded-For: %s\r\n", ip);
}

struct http_resp *
id_call(const char *method, const char *path, const char *token, const char *ip,
        const char *json)
{
	char extra[512];
	size_t n = 0;

	extra[0] = '\0';
	if (json != NULL)
		n += (size_t)snprintf(extra + n, sizeof(extra) - n,
		        "Content-Type: application/json\r\n");
	if (token != NULL)
		n += (size_t)snprintf(extra + n, sizeof(extra) - n,
		        "Authorization: Bearer %s\r\n", token);
	if (ip != NULL)
		n += (size_t)snprintf(extra + n, sizeof(extra) - n,
		        "X-Forwarded-For: %s\r\n", ip);
	return http_request(
	        method, path, extra, json, json != NULL ? strlen(json) : 0);
}

json_t *
id_json_(const struct http_resp *r, int status, const char *file, int line)
{
	const char *ct;
	json_t *j;

	check_status_(r, status, file, line);
	check_common_headers_(r, 0, file, line);
	ct = http_resp_header(r, "content-type");
	if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0) {
		http_resp_dump(r);
		check_fail_(file, line,
		        "Content-Type %s, want application/json",
		        ct != NULL ? ct : "(none)");
	}
	j = http_resp_json(r);
	if (j == NULL) {
		http_resp_dump(r);
		check_fail_(file, line, "the body is not JSON");
	}
	return j;
}

const char *
id_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

int
id_link_next(const struct http_resp *r, char *out, size_t outsz)
{
	const char *link = http_resp_header(r, "link");
	const char *tail = ">; rel=\"next\"";
	size_t ll, tl = strlen(tail);

	if (link == NULL)
		return 0;
	ll = strlen(link);
	if (ll <= tl + 1 || link[0] != '<' ||
	        strcmp(link + ll - tl, tail) != 0 || ll - tl - 1 >= outsz)
		return 0;
	snprintf(out, outsz, "%.*s", (int)(ll - tl - 1), link + 1);
	return 1;
}

json_t *
id_list_all_(const char *path, const char *token, int limit, const char *file,
        int line)
{
	json_t *all = json_array();
	char cur[2048];
	int pages = 0;

	snprintf(cur, sizeof(cur), "%s", path);
	for (;;) {
		struct http_resp *r = id_call("GET", cur, token, NULL, NULL);
		json_t *page = id_json_(r, 200, file, line), *it;
		char next[2048];
		size_t i;
		int more;

		if (!json_is_array(page))
			check_fail_(file, line, "GET %s: not an array: %s", cur,
			        r->body);
		if (limit > 0 && json_array_size(page) > (size_t)limit)
			check_fail_(file, line,
			        "GET %s: %zu items for limit %d", cur,
			        json_array_size(page), limit);
		more = id_link_next(r, next, sizeof(next));
		if (http_resp_header(r, "link") != NULL && !more)
			check_fail_(file, line, "GET %s: malformed Link: %s",
			        cur, http_resp_header(r, "link"));
		if (more && limit > 0 && json_array_size(page) != (size_t)limit)
			check_fail_(file, line,
			        "GET %s: Link on a page of %zu items (limit "
			        "%d)",
			        cur, json_array_size(page), limit);
		json_array_foreach(page, i, it) json_array_append(all, it);
		json_decref(page);
		http_resp_free(r);
		if (!more)
			return all;
		if (++pages > 1000)
			check_fail_(file, line,
			        "more than 1000 pages: Link loops?");
		snprintf(cur, sizeof(cur), "%s", next);
	}
}

/* ---- the mailbox ---- */

/* Calls fn for each mail to 'to' of template (NULL: any), oldest first. */
static void
each_mail(const char *to, const char *template_,
        void (*fn)(json_t *mail, void *arg), void *arg)
{
	const char *path = getenv("PARTICIPE_TEST_MAILBOX");
	FILE *f;
	char *line = NULL;
	size_t cap = 0;

	if (path == NULL || *path == '\0')
		return;
	f = fopen(path, "r");
	if (f == NULL)
		return;
	while (getline(&line, &cap, f) > 0) {
		json_t *m = json_loads(line, 0, NULL);

		if (json_is_object(m) && strcasecmp(id_str(m, "to"), to) == 0 &&
		        (template_ == NULL ||
		                strcmp(id_str(m, "template"), template_) == 0))
			fn(m, arg);
		json_decref(m);
	}
	free(line);
	fclose(f);
}

static void
keep_last(json_t *m, void *arg)
{
	json_t **last = arg;

	json_decref(*last);
	*last = json_incref(m);
}

static void
count_one(json_t *m, void *arg)
{
	(void)m;
	(*(size_t *)arg)++;
}

json_t *
id_mail_last(const char *to, const char *template_)
{
	json_t *last = NULL;

	each_mail(to, template_, keep_last, &last);
	return last;
}

size_t
id_mail_count(const char *to, const char *template_)
{
	size_t n = 0;

	each_mail(to, template_, count_one, &n);
	return n;
}

void
id_mail_token_(const char *to, const char *template_, char *out,
        const char *file, int line)
{
	json_t *m = id_mail_last(to, template_);
	const char *link, *t;
	size_t n;

	if (m == NULL)
		check_fail_(file, line, "no mail \"%s\" to %s in %s",
		        template_ != NULL ? template_ : "(any)", to,
		        getenv("PARTICIPE_TEST_MAILBOX") != NULL
		                ? getenv("PARTICIPE_TEST_MAILBOX")
		                : "(PARTICIPE_TEST_MAILBOX unset)");
	link = id_str(m, "link");
	t = strstr(link, "?token=");
	if (t == NULL) {
		char *d = json_dumps(m, JSON_COMPACT);

		print_error("mail: %s\n", d != NULL ? d : "?");
		free(d);
		json_decref(m);
		check_fail_(file, line, "the mail's link has no token");
	}
	t += strlen("?token=");
	n = strcspn(t, "&#");
	if (n >= 64)
		n = 63;
	memcpy(out, t, n);
	out[n] = '\0';
	json_decref(m);
}

/* ---- accounts ---- */

struct http_resp *
id_register_req(const char *email, const char *password,
        const char *display_name, const char *birth_date, const char *ip)
{
	json_t *b = json_pack("{s:s, s:s, s:s}", "email", email, "password",
	        password, "display_name", display_name);
	char *body;
	struct http_resp *r;

	if (birth_date != NULL)
		json_object_set_new(b, "birth_date", json_string(birth_date));
	body = json_dumps(b, JSON_COMPACT);
	r = id_call("POST", "/v1/accounts", NULL, ip, body);
	free(body);
	json_decref(b);
	return r;
}

struct http_resp *
id_confirm_req(const char *token, const char *ip)
{
	json_t *b = json_pack("{s:s}", "token", token);
	char *body = json_dumps(b, JSON_COMPACT);
	struct http_resp *r =
	        id_call("POST", "/v1/accounts/confirm", NULL, ip, body);

	free(body);
	json_decref(b);
	return r;
}

struct http_resp *
id_login_req(const char *email, const char *password, const char *ip)
{
	json_t *b =
	        json_pack("{s:s, s:s}", "email", email, "password", password);
	char *body = json_dumps(b, JSON_COMPACT);
	struct http_resp *r = id_call("POST", "/v1/sessions", NULL, ip, body);

	free(body);
	json_decref(b);
	return r;
}

void
id_login_(struct id_user *u, const char *file, int line)
{
	struct http_resp *r = id_login_req(u->email, u->password, u->ip);
	json_t *j = id_json_(r, 201, file, line);

	if (strlen(id_str(j, "token")) != 43 ||
	        strlen(id_str(j, "account_id")) != 36) {
		http_resp_dump(r);
		check_fail_(file, line, "login: no token or account_id");
	}
	snprintf(u->token, sizeof(u->token), "%s", id_str(j, "token"));
	snprintf(u->id, sizeof(u->id), "%s", id_str(j, "account_id"));
	json_decref(j);
	http_resp_free(r);
}

void
id_user_new_(struct id_user *u, const char *prefix, const char *birth_date,
        int flags, const char *file, int line)
{
	struct http_resp *r;
	char tok[64];

	memset(u, 0, sizeof(*u));
	id_unique_email(prefix, u->email, sizeof(u->email));
	snprintf(u->password, sizeof(u->password), "%s", ID_PASSWORD);
	id_random_ip(u->ip, sizeof(u->ip));
	snprintf(u->name, sizeof(u->name), "%.40s %u", prefix,
	        id_random(100000));
	r = id_register_req(u->email, u->password, u->name, birth_date, u->ip);
	check_status_(r, 202, file, line);
	http_resp_free(r);
	if (!(flags & ID_UNCONFIRMED)) {
		id_mail_token_(u->email, "confirm_email", tok, file, line);
		r = id_confirm_req(tok, u->ip);
		check_status_(r, 200, file, line);
		http_resp_free(r);
	}
	id_login_(u, file, line);
}

/* ---- collectivities, membership, roles ---- */

void
id_collectivity_new_(const char *prefix, const char *kind, const char *extra,
        char *slug, const char *file, int line)
{
	char body[2048], path[128];
	struct http_resp *r;
	json_t *j;

	http_unique_slug(prefix, slug, 64);
	snprintf(body, sizeof(body),
	        "{\"slug\":\"%s\",\"name\":\"Test %s\",\"kind\":\"%s\"%s%s}",
	        slug, slug, kind, extra != NULL ? "," : "",
	        extra != NULL ? extra : "");
	r = id_call(
	        "POST", "/v1/collectivities", http_admin_token(), NULL, body);
	if (r == NULL || r->status != 201)
		fprintf(stderr, "  POST /v1/collectivities %s\n", body);
	j = id_json_(r, 201, file, line);
	snprintf(path, sizeof(path), "/v1/collectivities/%s", slug);
	if (strcmp(id_str(j, "slug"), slug) != 0 ||
	        http_resp_header(r, "location") == NULL ||
	        strcmp(http_resp_header(r, "location"), path) != 0) {
		http_resp_dump(r);
		check_fail_(file, line,
		        "created collectivity: wrong slug or "
		        "Location");
	}
	json_decref(j);
	http_resp_free(r);
}

void
id_settings_(const char *slug, const char *json, const char *file, int line)
{
	char path[160];
	struct http_resp *r;

	snprintf(
	        path, sizeof(path), "/v1/collectivities/%s/verification", slug);
	r = id_call("PATCH", path, http_admin_token(), NULL, json);
	if (r == NULL || r->status != 200)
		fprintf(stderr, "  PATCH %s %s\n", path, json);
	json_decref(id_json_(r, 200, file, line));
	http_resp_free(r);
}

void
id_join_(const struct id_user *u, const char *slug, const char *file, int line)
{
	char path[160];
	struct http_resp *r;

	snprintf(path, sizeof(path), "/v1/collectivities/%s/members", slug);
	r = id_call("POST", path, u->token, NULL, NULL);
	if (r != NULL && r->status == 200) {
		json_decref(id_json_(r, 200, file, line));
	} else {
		json_decref(id_json_(r, 201, file, line));
	}
	http_resp_free(r);
}

void
id_grant_(const char *slug, const char *account_id, const char *role,
        const char *file, int line)
{
	char path[160], body[256];
	struct http_resp *r;

	snprintf(path, sizeof(path), "/v1/collectivities/%s/roles", slug);
	snprintf(body, sizeof(body),
	        "{\"account_id\":\"%s\",\"role\":\"%s\",\"reason\":\"test "
	        "setup\"}",
	        account_id, role);
	r = id_call("POST", path, http_admin_token(), NULL, body);
	if (r != NULL && r->status == 200)
		json_decref(id_json_(r, 200, file, line));
	else
		json_decref(id_json_(r, 201, file, line));
	http_resp_free(r);
}

void
id_verify_(const char *slug, const char *account_id, const char *token,
        const char *file, int line)
{
	char path[200];
	struct http_resp *r;
	json_t *j;

	snprintf(path, sizeof(path), "/v1/collectivities/%s/members/%s/verify",
	        slug, account_id);
	r = id_call("POST", path, token != NULL ? token : http_admin_token(),
	        NULL, "{\"reason\":\"test setup\"}");
	j = id_json_(r, 200, file, line);
	if (!json_is_true(json_object_get(j, "verified"))) {
		http_resp_dump(r);
		check_fail_(file, line, "verify: the member is not verified");
	}
	json_decref(j);
	http_resp_free(r);
}

void
id_member_new_(struct id_user *u, const char *prefix, const char *slug,
        const char *role, const char *file, int line)
{
	id_user_new_(u, prefix, ID_ADULT, 0, file, line);
	id_join_(u, slug, file, line);
	if (role == NULL || strcmp(role, "member") == 0)
		return;
	if (strcmp(role, "resident") == 0)
		id_verify_(slug, u->id, NULL, file, line);
	else
		id_grant_(slug, u->id, role, file, line);
}

/* ---- rate limit windows ---- */

long long
id_window(int window_s)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec / window_s;
}

void
id_check_retry_after_(
        const struct http_resp *r, int max_s, const char *file, int line)
{
	const char *ra = http_resp_header(r, "retry-after");
	char *end;
	long s;

	if (ra == NULL || *ra < '0' || *ra > '9') {
		http_resp_dump(r);
		check_fail_(file, line, "429 without an integer Retry-After");
	}
	s = strtol(ra, &end, 10);
	if (*end != '\0' || s < 1 || s > max_s) {
		http_resp_dump(r);
		check_fail_(file, line,
		        "Retry-After \"%s\" is not an integer of seconds in "
		        "1..%d",
		        ra, max_s);
	}
}
