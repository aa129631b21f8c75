/*
 * req.c - request lifetime, response framing, access log
 */
#include "req.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "log.h"
#include "metrics.h"
#include "router.h"
#include "server.h"
#include "token.h"

static const char *
reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 202:
		return "Accepted";
	case 204:
		return "No Content";
	case 304:
		return "Not Modified";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 409:
		return "Conflict";
	case 410:
		return "Gone";
	case 411:
		return "Length Required";
	case 413:
		return "Content Too Large";
	case 414:
		return "URI Too Long";
	case 415:
		return "Unsupported Media Type";
	case 422:
		return "Unprocessable Content";
	case 429:
		return "Too Many Requests";
	case 431:
		return "Request Header Fields Too Large";
	case 500:
		return "Internal Server Error";
	case 501:
		return "Not Implemented";
	case 503:
		return "Service Unavailable";
	case 505:
		return "HTTP Version Not Supported";
	default:
		return "Unknown";
	}
}

/* A fresh random id; a well-formed client id replaces it later. */
static void
req_new_id(struct req *r)
{
	unsigned char rnd[12];

	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(r->id, sizeof(r->id), rnd, sizeof(rnd));
}

struct req *
req_new(struct worker *w, struct conn *c)
{
	struct arena *a = arena_new(8192);
	struct req *r = arena_calloc(a, 1, sizeof(*r));

	r->arena = a;
	r->w = w;
	r->conn = c;
	snprintf(r->peer, sizeof(r->peer), "%s", conn_peer(c));
	r->route_index = -1;
	r->start_ns = now_ns();
	r->head.content_length = -1;
	req_new_id(r);
	return r;
}

struct req *
req_new_internal(
        struct worker *w, const char *what, void (*on_answer)(struct req *r))
{
	struct arena *a = arena_new(8192);
	struct req *r = arena_calloc(a, 1, sizeof(*r));

	r->arena = a;
	r->w = w;
	r->internal = 1;
	r->on_answer = on_answer;
	snprintf(r->peer, sizeof(r->peer), "-");
	r->route_index = -1;
	r->start_ns = now_ns();
	r->head.content_length = -1;
	r->path = what;
	req_new_id(r);
	return r;
}

int
req_wanted(const struct req *r)
{
	return !r->replied && (r->conn != NULL || r->internal);
}

static int
id_char_ok(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
	       ch == '.' || ch == ':';
}

void
req_take_id(struct req *r)
{
	size_t len, i;
	const char *v = http_head_get(&r->head, "x-request-id", &len);

	if (v == NULL || len < 1 || len > 64)
		return; /* keep the id made by req_new() */
	for (i = 0; i < len; i++)
		if (!id_char_ok((unsigned char)v[i]))
			return;
	memcpy(r->id, v, len);
	r->id[len] = '\0';
}

void
req_add_header(struct req *r, const char *name, const char *value)
{
	if (r->nheaders >= REQ_MAX_HEADERS)
		abort(); /* a programming error, not an input error */
	r->hname[r->nheaders] = arena_strdup(r->arena, name);
	r->hvalue[r->nheaders] = arena_strdup(r->arena, value);
	r->nheaders++;
}

static void
access_log(struct req *r)
{
	double ms = (double)(now_ns() - r->start_ns) / 1e6;
	const char *route = router_pattern(r->route_index);

	metrics_observe(
	        r->route_index, r->method, r->status, now_ns() - r->start_ns);
	if (!g_server.cfg.access_log)
		return;
	log_json("info", "request",
	        json_pack("{s:s, s:s, s:s, s:s?, s:i, s:f, s:I, s:i}", "req_id",
	                r->id, "method",
	                r->method != 0 ? route_method_name(r->method) : "-",
	                "path", r->path != NULL ? r->path : "-", "route", route,
	                "status", r->status, "ms", ms, "bytes",
	                (json_int_t)r->resp_len, "worker", r->w->id));
}

void
req_reply(struct req *r, int status, const char *ctype, const char *body,
        size_t len)
{
	struct arena *a = r->arena;
	char *head;
	size_t hl, cap = 512;
	int i;

	if (r->replied)
		return;
	r->replied = 1;
	r->status = status;
	r->resp_len = len;
	if (r->conn != NULL) {
		int close = conn_will_close(r->conn, r);

		for (i = 0; i < r->nheaders; i++)
			cap += strlen(r->hname[i]) + strlen(r->hvalue[i]) + 4;
		head = arena_alloc(a, cap);
		hl = (size_t)snprintf(head, cap,
		        "HTTP/1.1 %d %s\r\nDate: %s\r\nX-Request-Id: %s\r\n"
		        "X-Content-Type-Options: nosniff\r\n",
		        status, reason(status), worker_date(r->w), r->id);
		if (status != 204) /* RFC 9110 section 8.6 */
			hl += (size_t)snprintf(head + hl, cap - hl,
			        "Content-Length: %zu\r\n", len);
		if (ctype != NULL)
			hl += (size_t)snprintf(head + hl, cap - hl,
			        "Content-Type: %s\r\n", ctype);
		for (i = 0; i < r->nheaders; i++)
			hl += (size_t)snprintf(head + hl, cap - hl,
			        "%s: %s\r\n", r->hname[i], r->hvalue[i]);
		if (close)
			hl += (size_t)snprintf(
			        head + hl, cap - hl, "Connection: close\r\n");
		else if (r->head.minor == 0)
			hl += (size_t)snprintf(head + hl, cap - hl,
			        "Connection: keep-alive\r\n");
		hl += (size_t)snprintf(head + hl, cap - hl, "\r\n");
		if (r->method == HTTP_HEAD || status == 204 || status == 304)
			len = 0;
		conn_respond(r->conn, r, head, hl, body, len);
		r->conn = NULL;
	}
	if (r->internal) {
		if (r->on_answer != NULL)
			r->on_answer(r);
	} else
		access_log(r);
	req_release(r);
}

void
req_reply_json(struct req *r, int status, const char *json)
{
	req_reply(r, status, "application/json", json, strlen(json));
}

void
req_reply_problem(struct req *r)
{
	const struct problem_kind *k = problem_kind(r->problem.err);
	char *s = problem_to_json(&r->problem, r->path);
	char ra[16];

	arena_defer(r->arena, free, s);
	if (r->problem.retry_after > 0 ||
	        (k->status == 503 && r->problem.retry_after == 0)) {
		snprintf(ra, sizeof(ra), "%d",
		        r->problem.retry_after > 0 ? r->problem.retry_after
		                                   : 1);
		req_add_header(r, "Retry-After", ra);
	}
	if (k->status == 401)
		req_add_header(r, "WWW-Authenticate", "Bearer");
	req_reply(r, k->status, "application/problem+json", s, strlen(s));
}

void
req_fail(struct req *r, enum err e, const char *fmt, ...)
{
	va_list ap;

	r->problem.err = e;
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(
		        r->problem.detail, sizeof(r->problem.detail), fmt, ap);
		va_end(ap);
	}
	req_reply_problem(r);
}

const char *
req_param(const struct req *r, const char *name)
{
	return route_param(&r->params, name);
}

const char *
req_query(struct req *r, const char *name, int *bad)
{
	const char *q = r->query;
	size_t nl = strlen(name);

	*bad = 0;
	while (q != NULL && *q != '\0') {
		const char *amp = strchr(q, '&');
		const char *end = amp != NULL ? amp : q + strlen(q);
		const char *eq = memchr(q, '=', (size_t)(end - q));
		const char *kend = eq != NULL ? eq : end;

		if ((size_t)(kend - q) == nl && memcmp(q, name, nl) == 0) {
			const char *v = eq != NULL ? eq + 1 : end;
			char *d = route_pct_decode(
			        r->arena, v, (size_t)(end - v));

			if (d == NULL) {
				*bad = 1;
				return NULL;
			}
			return d;
		}
		q = amp != NULL ? amp + 1 : NULL;
	}
	return NULL;
}

const char *
req_header(struct req *r, const char *name)
{
	size_t len;
	const char *v = http_head_get(&r->head, name, &len);

	return v != NULL ? arena_strndup(r->arena, v, len) : NULL;
}

const char *
req_client_ip(struct req *r)
{
	const struct config *cfg = &g_server.cfg;
	const char *xff, *last;
	unsigned char buf[16];
	char addr[46];
	size_t n;
	int i;

	for (i = 0; i < cfg->ntrusted_proxies; i++)
		if (strcmp(cfg->trusted_proxies[i], r->peer) == 0)
			break;
	if (i == cfg->ntrusted_proxies ||
	        (xff = req_header(r, "x-forwarded-for")) == NULL)
		return r->peer;
	last = strrchr(xff, ',');
	last = last != NULL ? last + 1 : xff;
	while (*last == ' ' || *last == '\t')
		last++;
	n = strcspn(last, " \t");
	if (n == 0 || n >= sizeof(addr))
		return r->peer;
	memcpy(addr, last, n);
	addr[n] = '\0';
	if (inet_pton(AF_INET, addr, buf) != 1 &&
	        inet_pton(AF_INET6, addr, buf) != 1)
		return r->peer;
	return arena_strndup(r->arena, addr, n);
}

const char *
req_token_hash(struct req *r)
{
	char *hex;

	if (r->bearer == NULL)
		return NULL;
	hex = arena_alloc(r->arena, 65);
	token_hash_hex(r->bearer, strlen(r->bearer), hex);
	return hex;
}

void
req_release(struct req *r)
{
	if ((!r->replied && (r->conn != NULL || r->internal)) || r->pending > 0)
		return;
	if (!r->replied) {
		r->replied = 1;
		r->status = 499; /* client closed before the answer */
		access_log(r);
	}
	problem_clear(&r->problem);
	arena_free(r->arena);
}
