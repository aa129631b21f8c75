/*
 * contrib.c - shared helpers of the API tests of issue 6
 */
#include "contrib.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#define NBUF 16

const char *
ct_path(const char *slug, const char *fmt, ...)
{
	static char buf[NBUF][2048];
	static int k;
	va_list ap;
	int n;

	k = (k + 1) % NBUF;
	n = snprintf(buf[k], sizeof(buf[k]), "/v1/collectivities/%s", slug);
	va_start(ap, fmt);
	vsnprintf(buf[k] + n, sizeof(buf[k]) - (size_t)n, fmt, ap);
	va_end(ap);
	return buf[k];
}

const char *
ct_fmt(const char *fmt, ...)
{
	static char buf[NBUF][4096];
	static int k;
	va_list ap;

	k = (k + 1) % NBUF;
	va_start(ap, fmt);
	vsnprintf(buf[k], sizeof(buf[k]), fmt, ap);
	va_end(ap);
	return buf[k];
}

void
ct_time(long offset_s, char *out, size_t outsz)
{
	time_t t = time(NULL) + offset_s;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *
ct_at(long offset_s)
{
	static char buf[NBUF][32];
	static int k;

	k = (k + 1) % NBUF;
	ct_time(offset_s, buf[k], sizeof(buf[k]));
	return buf[k];
}

const char *
ct_phase(const char *kind, long from_s, long to_s)
{
	static char buf[NBUF][160];
	static int k;

	k = (k + 1) % NBUF;
	snprintf(buf[k], sizeof(buf[k]),
	        "{\"kind\":\"%s\",\"starts_at\":\"%s\",\"ends_at\":\"%s\"}",
	        kind, ct_at(from_s), ct_at(to_s));
	return buf[k];
}

void
ct_years_ago(int years, char out[16])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	if (tm.tm_mon == 1 && tm.tm_mday == 29)
		tm.tm_mday = 28;
	snprintf(out, 16, "%04u-%02u-%02u",
	        (unsigned)(tm.tm_year + 1900 - years) % 10000u,
	        (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
}

json_t *
ct_json_(struct http_resp *r, int status, const char *file, int line)
{
	json_t *j = id_json_(r, status, file, line);

	http_resp_free(r);
	return j;
}

void
ct_problem_(struct http_resp *r, int status, const char *field,
        const char *file, int line)
{
	json_t *p = check_problem_(r, status, NULL, file, line);

	if (field != NULL)
		check_problem_field_(p, field, NULL, file, line);
	json_decref(p);
	http_resp_free(r);
}

void
ct_empty_(struct http_resp *r, int status, const char *file, int line)
{
	check_status_(r, status, file, line);
	check_common_headers_(r, 0, file, line);
	if (r->body_len != 0) {
		http_resp_dump(r);
		check_fail_(file, line, "a %d with a body", status);
	}
	http_resp_free(r);
}

json_t *
ct_find(json_t *arr, const char *key, const char *value)
{
	size_t i;
	json_t *e;

	json_array_foreach(arr, i, e)
	{
		if (strcmp(id_str(e, key), value) == 0)
			return e;
	}
	return NULL;
}

size_t
ct_count(json_t *arr, const char *key, const char *value)
{
	size_t i, n = 0;
	json_t *e;

	json_array_foreach(arr, i, e)
	{
		if (strcmp(id_str(e, key), value) == 0)
			n++;
	}
	return n;
}

long long
ct_int(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

void
ct_process_new_(const char *slug, const char *phases_json, const char *extra,
        char *pid, const char *file, int line)
{
	char from[32], to[32], phases[512], body[4096];
	struct http_resp *r;
	json_t *j;

	ct_time(-86400, from, sizeof(from));
	ct_time(30 * 86400, to, sizeof(to));
	snprintf(phases, sizeof(phases),
	        "[{\"kind\":\"proposals\",\"starts_at\":\"%s\","
	        "\"ends_at\":\"%s\"}]",
	        from, to);
	snprintf(body, sizeof(body),
	        "{\"title\":\"Budget participatif\",\"description\":\"Test\","
	        "\"status\":\"published\",\"categories\":%s,\"phases\":%s%s%s}",
	        CT_CATEGORIES, phases_json != NULL ? phases_json : phases,
	        extra != NULL ? "," : "", extra != NULL ? extra : "");
	r = id_call("POST", ct_path(slug, "/processes"), http_admin_token(),
	        NULL, body);
	if (r == NULL || r->status != 201)
		fprintf(stderr, "  POST processes %s\n", body);
	j = id_json_(r, 201, file, line);
	if (strlen(id_str(j, "id")) != 36)
		check_fail_(file, line, "the process has no id: %s", r->body);
	snprintf(pid, 40, "%s", id_str(j, "id"));
	json_decref(j);
	http_resp_free(r);
}

void
ct_phase_close_(const char *slug, const char *pid, const char *phase,
        const char *file, int line)
{
	struct http_resp *r = id_call("POST",
	        ct_path(slug, "/processes/%s/phases/%s/close", pid, phase),
	        http_admin_token(), NULL, "{\"reason\":\"test\"}");
	json_t *j = id_json_(r, 200, file, line);

	if (json_is_string(json_object_get(j, "current_phase")) &&
	        strcmp(id_str(j, "current_phase"), phase) == 0)
		check_fail_(file, line, "phase %s still current: %s", phase,
		        r->body);
	json_decref(j);
	http_resp_free(r);
}

void
ct_area_new_(const char *slug, const char *area, const char *file, int line)
{
	char body[256];
	struct http_resp *r;

	snprintf(body, sizeof(body),
	        "{\"slug\":\"%s\",\"name\":\"Quartier %s\"}", area, area);
	r = id_call("POST", ct_path(slug, "/areas"), http_admin_token(), NULL,
	        body);
	json_decref(id_json_(r, 201, file, line));
	http_resp_free(r);
}

struct http_resp *
ct_proposal_post(
        const char *slug, const char *pid, const char *token, const char *json)
{
	return id_call("POST", ct_path(slug, "/processes/%s/proposals", pid),
	        token, NULL, json);
}

json_t *
ct_proposal_new_(const char *slug, const char *pid, const struct id_user *u,
        const char *title, const char *text, const char *extra, char *id,
        const char *file, int line)
{
	json_t *b = json_pack("{s:s, s:s}", "title", title, "body", text);
	char *s, *body;
	struct http_resp *r;
	json_t *j;
	size_t n;

	if (extra == NULL || strstr(extra, "\"status\"") == NULL)
		json_object_set_new(b, "status", json_string("published"));
	s = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	n = strlen(s);
	if (extra != NULL) {
		/* splice the extra members in before the closing brace */
		body = malloc(n + strlen(extra) + 2);
		memcpy(body, s, n - 1);
		body[n - 1] = ',';
		strcpy(body + n, extra);
		strcat(body, "}");
	} else {
		body = strdup(s);
	}
	free(s);
	r = ct_proposal_post(slug, pid, u->token, body);
	if (r == NULL || r->status != 201)
		fprintf(stderr, "  POST proposals %s\n", body);
	free(body);
	j = id_json_(r, 201, file, line);
	if (strlen(id_str(j, "id")) != 36)
		check_fail_(file, line, "the proposal has no id: %s", r->body);
	if (id != NULL)
		snprintf(id, 40, "%s", id_str(j, "id"));
	http_resp_free(r);
	return j;
}

struct http_resp *
ct_comment_post(const char *slug, const char *thread, const char *token,
        const char *text, const char *parent, const char *stance)
{
	json_t *b = json_pack("{s:s}", "body", text);
	char *s;
	struct http_resp *r;

	if (parent != NULL)
		json_object_set_new(b, "parent_id", json_string(parent));
	if (stance != NULL)
		json_object_set_new(b, "stance", json_string(stance));
	s = json_dumps(b, JSON_COMPACT);
	json_decref(b);
	r = id_call(
	        "POST", ct_path(slug, "/%s/comments", thread), token, NULL, s);
	free(s);
	return r;
}

json_t *
ct_comment_new_(const char *slug, const char *thread, const char *token,
        const char *text, const char *parent, char *id, const char *file,
        int line)
{
	struct http_resp *r =
	        ct_comment_post(slug, thread, token, text, parent, NULL);
	json_t *j = id_json_(r, 201, file, line);

	if (strlen(id_str(j, "id")) != 36)
		check_fail_(file, line, "the comment has no id: %s", r->body);
	if (id != NULL)
		snprintf(id, 40, "%s", id_str(j, "id"));
	http_resp_free(r);
	return j;
}

json_t *
ct_report_(const char *slug, const char *token, const char *type,
        const char *id, const char *reason, int want, const char *file,
        int line)
{
	char body[512];
	struct http_resp *r;

	snprintf(body, sizeof(body),
	        "{\"target_type\":\"%s\",\"target_id\":\"%s\",\"reason\":\"%"
	        "s\"}",
	        type, id, reason);
	r = id_call("POST", ct_path(slug, "/reports"), token, NULL, body);
	if (want == 201)
		return ct_json_(r, 201, file, line);
	ct_problem_(r, want, NULL, file, line);
	return NULL;
}

void
ct_block_(const char *slug, const char *token, const char *account_id,
        const char *file, int line)
{
	char body[256];
	struct http_resp *r;
	json_t *j;

	snprintf(body, sizeof(body),
	        "{\"account_id\":\"%s\",\"reason\":\"test block\"}",
	        account_id);
	r = id_call("POST", ct_path(slug, "/blocks"), token, NULL, body);
	j = id_json_(r, r != NULL && r->status == 200 ? 200 : 201, file, line);
	json_decref(j);
	http_resp_free(r);
}
