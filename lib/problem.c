/*
 * problem.c - the error table (enum err -> HTTP) and problem+json rendering
 */
#include "problem.h"

#include "utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct problem_kind kinds[ERR__COUNT] = {
        [ERR_OK] = {200, "ok", "OK"},
        [ERR_BAD_REQUEST] = {400, "bad-request", "Bad request"},
        [ERR_UNAUTHORIZED] = {401, "unauthorized", "Authentication required"},
        [ERR_FORBIDDEN] = {403, "forbidden", "Forbidden"},
        [ERR_NOT_FOUND] = {404, "not-found", "Not found"},
        [ERR_METHOD] = {405, "method-not-allowed", "Method not allowed"},
        [ERR_TIMEOUT] = {408, "request-timeout", "Request timeout"},
        [ERR_CONFLICT] = {409, "conflict", "Conflict"},
        [ERR_GONE] = {410, "gone", "Gone"},
        [ERR_LENGTH_REQUIRED] = {411, "length-required", "Length required"},
        [ERR_TOO_LARGE] = {413, "content-too-large", "Content too large"},
        [ERR_URI_TOO_LONG] = {414, "uri-too-long", "URI too long"},
        [ERR_MEDIA_TYPE] = {415, "unsupported-media-type",
                "Unsupported media type"},
        [ERR_INVALID] = {422, "validation-failed", "Validation failed"},
        [ERR_RATE_LIMITED] = {429, "too-many-requests", "Too many requests"},
        [ERR_HEADERS_TOO_LARGE] = {431, "header-fields-too-large",
                "Request header fields too large"},
        [ERR_INTERNAL] = {500, "internal-error", "Internal server error"},
        [ERR_NOT_IMPLEMENTED] = {501, "not-implemented", "Not implemented"},
        [ERR_UNAVAILABLE] = {503, "service-unavailable", "Service unavailable"},
        [ERR_HTTP_VERSION] = {505, "http-version-not-supported",
                "HTTP version not supported"},
};

const struct problem_kind *
problem_kind(enum err e)
{
	if ((int)e < 0 || e >= ERR__COUNT || kinds[e].status == 0)
		return &kinds[ERR_INTERNAL];
	return &kinds[e];
}

enum err
problem_err_from_status(int status)
{
	int i;

	for (i = 1; i < ERR__COUNT; i++)
		if (kinds[i].status == status)
			return (enum err)i;
	return ERR_INTERNAL;
}

void
problem_set(struct problem *p, enum err e, const char *fmt, ...)
{
	va_list ap;

	p->err = e;
	if (fmt == NULL) {
		p->detail[0] = '\0';
		return;
	}
	va_start(ap, fmt);
	vsnprintf(p->detail, sizeof(p->detail), fmt, ap);
	va_end(ap);
	utf8_sanitize(p->detail); /* cut mid-character, or quoting input */
}

void
problem_add_field(struct problem *p, const char *field, const char *fmt, ...)
{
	va_list ap;
	char msg[256];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	utf8_sanitize(msg);
	if (p->errors == NULL)
		p->errors = json_array();
	json_array_append_new(p->errors,
	        json_pack("{s:s, s:s}", "field", field, "message", msg));
	if (p->err == ERR_OK)
		p->err = ERR_INVALID;
}

void
problem_clear(struct problem *p)
{
	json_decref(p->errors);
	memset(p, 0, sizeof(*p));
}

char *
problem_to_json(const struct problem *p, const char *instance)
{
	const struct problem_kind *k = problem_kind(p->err);
	char type[96];
	json_t *o;
	char *s;

	snprintf(type, sizeof(type), PROBLEM_TYPE_PREFIX "%s", k->slug);
	o = json_pack("{s:s, s:s, s:i}", "type", type, "title", k->title,
	        "status", k->status);
	if (p->detail[0] != '\0') {
		char d[sizeof(p->detail)];

		memcpy(d, p->detail, sizeof(d));
		d[sizeof(d) - 1] = '\0';
		utf8_sanitize(d);
		json_object_set_new(o, "detail", json_string(d));
	}
	if (instance != NULL)
		json_object_set_new(o, "instance", json_string(instance));
	if (p->errors != NULL && json_array_size(p->errors) > 0)
		json_object_set(o, "errors", p->errors);
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (s == NULL)
		abort();
	return s;
}

enum err
problem_err_from_sqlstate(const char *st)
{
	if (st == NULL || strlen(st) != 5)
		return ERR_INTERNAL;
	if (st[0] == 'P' && st[1] == 'T')
		return problem_err_from_status(atoi(st + 2));
	if (strcmp(st, "23505") == 0) /* unique_violation */
		return ERR_CONFLICT;
	if (strcmp(st, "23503") == 0 || strcmp(st, "23514") == 0 ||
	        strcmp(st, "23502") == 0)
		return ERR_INVALID;
	if (strncmp(st, "22", 2) == 0) /* data exception */
		return ERR_INVALID;
	if (strcmp(st, "42501") == 0) /* insufficient_privilege */
		return ERR_FORBIDDEN;
	if (strncmp(st, "08", 2) == 0 || strncmp(st, "57", 2) == 0 ||
	        strcmp(st, "53300") == 0 || strcmp(st, "40001") == 0 ||
	        strcmp(st, "40P01") == 0)
		return ERR_UNAVAILABLE; /* connection, shutdown, overload */
	return ERR_INTERNAL;
}
