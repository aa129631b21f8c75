/*
 * reply.c - the usual ends of a request
 */
#include "reply.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "req.h"

/* Page sizes: default and the most a client may ask for. */
#define PAGE_DEFAULT 20
#define PAGE_MAX 100

struct page {
	const char *limit;
	const char *keep;
};

void
reply_pct_encode(const char *s, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *s != '\0' && o + 4 < size; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		        (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		        c == '_' || c == '~') {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
}

static void
reply_col0(struct req *r, PGresult *res, int status)
{
	if (PQntuples(res) < 1 || PQgetisnull(res, 0, 0)) {
		req_fail(r, ERR_NOT_FOUND, "no resource at this path");
		return;
	}
	req_reply_json(r, status, PQgetvalue(res, 0, 0));
}

void
reply_200(struct req *r, PGresult *res)
{
	reply_col0(r, res, 200);
}

void
reply_201(struct req *r, PGresult *res)
{
	reply_col0(r, res, 201);
}

void
reply_202(struct req *r, PGresult *res)
{
	reply_col0(r, res, 202);
}

void
reply_204(struct req *r, PGresult *res)
{
	(void)res;
	req_reply(r, 204, NULL, NULL, 0);
}

void
reply_created_or_200(struct req *r, PGresult *res)
{
	reply_col0(r, res, strcmp(PQgetvalue(res, 0, 1), "t") == 0 ? 201 : 200);
}

void
reply_page(struct req *r, PGresult *res)
{
	const struct page *pg = r->ctx;
	const char *next =
	        PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1);

	if (next != NULL) {
		char enc[640];

		reply_pct_encode(next, enc, sizeof(enc));
		req_add_header(r, "Link",
		        arena_printf(r->arena,
		                "<%s?%slimit=%s&after=%s>; rel=\"next\"",
		                r->path, pg->keep, pg->limit, enc));
	}
	req_reply_json(r, 200, PQgetvalue(res, 0, 0));
}

int
page_params(
        struct req *r, const char **limit, const char **after, const char *keep)
{
	return page_params_max(r, limit, after, keep, PAGE_MAX);
}

int
page_params_max(struct req *r, const char **limit, const char **after,
        const char *keep, int max)
{
	int bad;
	const char *l = req_query(r, "limit", &bad);
	struct page *pg;
	char *end;
	long n;

	if (bad) {
		req_fail(r, ERR_BAD_REQUEST, "malformed query string");
		return 0;
	}
	n = l != NULL ? strtol(l, &end, 10) : PAGE_DEFAULT;
	if (l != NULL &&
	        (*l < '0' || *l > '9' || *end != '\0' || n < 1 || n > max)) {
		problem_add_field(&r->problem, "limit",
		        "must be an integer between 1 and %d", max);
		req_fail(r, ERR_INVALID, "invalid query parameter \"limit\"");
		return 0;
	}
	*limit = arena_printf(r->arena, "%ld", n);
	*after = req_query(r, "after", &bad);
	if (bad ||
	        (*after != NULL && (strlen(*after) > 200 || **after == '\0'))) {
		problem_add_field(
		        &r->problem, "after", "is not a valid cursor");
		req_fail(r, ERR_INVALID, "invalid query parameter \"after\"");
		return 0;
	}
	pg = arena_alloc(r->arena, sizeof(*pg));
	pg->limit = *limit;
	pg->keep = keep;
	r->ctx = pg;
	return 1;
}

const char **
call_params(struct req *r, int n)
{
	const char **p = arena_calloc(r->arena, (size_t)(2 + n), sizeof(*p));

	p[0] = req_token_hash(r);
	p[1] = req_param(r, "cid");
	return p;
}

/* Most parameters a query takes (queries.h). */
#define CALL_MAX_ARGS 8

void
reply_call_(struct req *r, enum query q, db_done_fn done, ...)
{
	const char **p = arena_calloc(r->arena, CALL_MAX_ARGS, sizeof(*p));
	const char *a;
	va_list ap;
	int n = 0;

	va_start(ap, done);
	while ((a = va_arg(ap, const char *)) != NULL && n < CALL_MAX_ARGS) {
		if (strcmp(a, "token") == 0)
			p[n] = req_token_hash(r);
		else if (strcmp(a, "body") == 0)
			p[n] = r->body;
		else if (a[0] == ':')
			p[n] = req_param(r, a + 1);
		else if (a[0] == '=')
			p[n] = a + 1;
		else
			abort(); /* a programming error: caught by every test */
		n++;
	}
	va_end(ap);
	db_call(r, q, done, p);
}

int
query_word(struct req *r, const char *name, const char *words, const char **out)
{
	const char *w = words;
	size_t n;
	int bad;

	*out = req_query(r, name, &bad);
	if (bad) {
		req_fail(r, ERR_BAD_REQUEST, "malformed query string");
		return 0;
	}
	if (*out == NULL || words == NULL)
		return 1;
	n = strlen(*out);
	while (*w != '\0') {
		size_t l = strcspn(w, ",");

		if (l == n && strncmp(w, *out, n) == 0)
			return 1;
		w += l;
		while (*w == ',' || *w == ' ')
			w++;
	}
	problem_add_field(&r->problem, name, "must be one of %s", words);
	req_fail(r, ERR_INVALID, "invalid query parameter \"%s\"", name);
	return 0;
}

void
reply_file(struct req *r, const char *filename, const char *content_type,
        const char *body, size_t len)
{
	req_add_header(r, "Content-Disposition",
	        arena_printf(
	                r->arena, "attachment; filename=\"%s\"", filename));
	if (content_type != NULL)
		req_reply(r, 200, content_type, body, len);
	else
		req_reply_json(r, 200, body);
}
