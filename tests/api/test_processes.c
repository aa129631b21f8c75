/*
 * test_processes.c - areas and participatory processes: creating areas,
 * processes with dated phases and per-action rules (every phase and rule
 * check), drafts seen by staff only, publishing (never back to draft),
 * the current phase following the dates and early closing, and the
 * process list (filters by current phase and area, keyset paging).
 *
 * One collectivity with its people is made once for the whole file (each
 * registration costs an Argon2id hash); tests add their own processes to
 * it and check lists by membership, so they do not depend on each other.
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
#include <sodium.h>

#include "client.h"
#include "contrib.h"
#include "identity.h"

#define HOUR 3600L
#define DAY (24 * HOUR)

/* ---- helpers ---- */

/* A problem of this status (and, when field is not NULL, naming it, with
 * message when not NULL); the response is freed. */
#define expect_problem(r, st, field, msg)                                      \
	expect_problem_((r), (st), (field), (msg), __FILE__, __LINE__)
static void
expect_problem_(struct http_resp *r, int status, const char *field,
        const char *msg, const char *file, int line)
{
	json_t *p = check_problem_(r, status, NULL, file, line);

	if (field != NULL)
		check_problem_field_(p, field, msg, file, line);
	json_decref(p);
	http_resp_free(r);
}

/* A JSON response of this status; returns the body and frees r. */
#define expect_json(r, st) expect_json_((r), (st), __FILE__, __LINE__)
static json_t *
expect_json_(struct http_resp *r, int status, const char *file, int line)
{
	json_t *j = id_json_(r, status, file, line);

	http_resp_free(r);
	return j;
}

/* The item of list whose "id" is id, or NULL. */
static json_t *
item_in(json_t *list, const char *id)
{
	size_t i;
	json_t *e;

	json_array_foreach(list, i, e)
	{
		if (strcmp(id_str(e, "id"), id) == 0)
			return e;
	}
	return NULL;
}

/* The phase of kind in a process body, or NULL. */
static json_t *
phase_of(json_t *process, const char *kind)
{
	size_t i;
	json_t *e;

	json_array_foreach(json_object_get(process, "phases"), i, e)
	{
		if (strcmp(id_str(e, "kind"), kind) == 0)
			return e;
	}
	return NULL;
}

/* A PATCH body {"phases": [...]} with the phases of a process body as
 * they are, but skip (NULL: none), then extra (a phase object or NULL).
 * Phases that are over can only be sent back unchanged. Free it. */
static char *
phases_body(json_t *process, const char *skip, const char *extra)
{
	json_t *keep = json_array(), *e, *req;
	size_t i;
	char *text;

	json_array_foreach(json_object_get(process, "phases"), i, e)
	{
		if (skip != NULL && strcmp(id_str(e, "kind"), skip) == 0)
			continue;
		json_array_append_new(keep,
		        json_pack("{s:O, s:O, s:O}", "kind",
		                json_object_get(e, "kind"), "starts_at",
		                json_object_get(e, "starts_at"), "ends_at",
		                json_object_get(e, "ends_at")));
	}
	if (extra != NULL)
		json_array_append_new(keep, json_loads(extra, 0, NULL));
	req = json_pack("{s:o}", "phases", keep);
	text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	return text;
}

/* The "current_phase" of a process body, "null" when null. */
static const char *
current(json_t *process)
{
	json_t *c = json_object_get(process, "current_phase");

	return json_is_null(c) ? "null" : id_str(process, "current_phase");
}

/* ---- the world: one collectivity, its people ---- */

static struct world {
	char slug[64];
	struct id_user admin, mod, res, young, nobirth, member, outsider;
} w;

static int
group_setup(void **state)
{
	char birth[16];

	(void)state;
	if (sodium_init() < 0)
		return -1;
	id_collectivity_new("proc", "commune", NULL, w.slug);
	/* residents of any age, and one without a birth date */
	id_settings(w.slug, "{\"minimum_age\":0}");
	id_member_new(&w.admin, "proc-admin", w.slug, "admin");
	id_member_new(&w.mod, "proc-mod", w.slug, "moderator");
	id_member_new(&w.res, "proc-res", w.slug, "resident");
	ct_years_ago(17, birth);
	id_user_new(&w.young, "proc-young", birth, 0);
	id_join(&w.young, w.slug);
	id_verify(w.slug, w.young.id, NULL);
	id_user_new(&w.nobirth, "proc-nobirth", NULL, 0);
	id_join(&w.nobirth, w.slug);
	id_verify(w.slug, w.nobirth.id, NULL);
	id_member_new(&w.member, "proc-member", w.slug, "member");
	id_user_new(&w.outsider, "proc-outsider", ID_ADULT, 0);
	return 0;
}

/* POST .../processes as the collectivity's admin with this body. */
static struct http_resp *
process_post(const char *body)
{
	return id_call(
	        "POST", ct_path(w.slug, "/processes"), w.admin.token, NULL, body);
}

/* Creates a process (201) and returns its body; its id into pid. */
#define process_new(body, pid) process_new_((body), (pid), __FILE__, __LINE__)
static json_t *
process_new_(const char *body, char pid[40], const char *file, int line)
{
	struct http_resp *r = process_post(body);
	json_t *j;

	if (r == NULL || r->status != 201)
		fprintf(stderr, "  POST processes %s\n", body);
	j = id_json_(r, 201, file, line);
	http_resp_free(r);
	if (strlen(id_str(j, "id")) != 36)
		check_fail_(file, line, "created process has no id");
	snprintf(pid, 40, "%s", id_str(j, "id"));
	return j;
}

static const char *
ppath(const char *pid, const char *rest)
{
	static char buf[4][400];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "/processes/%s%s", pid, rest);
	return ct_path(w.slug, "%s", buf[k]);
}

/* PATCH the process as token. */
static struct http_resp *
process_patch(const char *pid, const char *token, const char *body)
{
	return id_call("PATCH", ppath(pid, ""), token, NULL, body);
}

/* GET the process as token (NULL: anonymous). */
static struct http_resp *
process_get(const char *pid, const char *token)
{
	return id_call("GET", ppath(pid, ""), token, NULL, NULL);
}

/* Every process of the list at rest (a query string) as token. */
static json_t *
list_all(const char *query, const char *token)
{
	char rest[512];

	snprintf(rest, sizeof(rest), "/processes?limit=100%s%s",
	        query[0] != '\0' ? "&" : "", query);
	return id_list_all(ct_path(w.slug, "%s", rest), token, 100);
}

/* ---- areas ---- */

static void
test_areas(void **state)
{
	json_t *j, *list;
	struct http_resp *r;

	(void)state;
	r = id_call("POST", ct_path(w.slug, "/areas"), w.admin.token, NULL,
	        "{\"slug\":\"north\",\"name\":\"Quartier Nord\"}");
	j = id_json(r, 201);
	check(strcmp(id_str(j, "slug"), "north") == 0 &&
	                strcmp(id_str(j, "name"), "Quartier Nord") == 0 &&
	                strlen(id_str(j, "id")) == 36 &&
	                strlen(id_str(j, "created_at")) > 0,
	        "created area: %s", r->body);
	json_decref(j);
	http_resp_free(r);
	json_decref(expect_json(
	        id_call("POST", ct_path(w.slug, "/areas"), http_admin_token(),
	                NULL, "{\"slug\":\"south-east\",\"name\":\"Sud-Est\"}"),
	        201));
	/* the same slug again */
	expect_problem(id_call("POST", ct_path(w.slug, "/areas"), w.admin.token,
	                       NULL, "{\"slug\":\"north\",\"name\":\"Again\"}"),
	        409, NULL, NULL);
	/* bad slugs */
	{
		static const char *bad[] = {"North", "no_underscore", "-lead",
		        "trail-", "double--hyphen", "with space", "é"};
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			json_t *b = json_pack(
			        "{s:s, s:s}", "slug", bad[i], "name", "Bad");
			char *s = json_dumps(b, JSON_COMPACT);

			expect_problem(id_call("POST", ct_path(w.slug, "/areas"),
			                       w.admin.token, NULL, s),
			        422, "slug", NULL);
			free(s);
			json_decref(b);
		}
	}
	expect_problem(id_call("POST", ct_path(w.slug, "/areas"), w.admin.token,
	                       NULL, "{\"slug\":\"west\"}"),
	        422, "name", NULL);
	/* only admins create areas */
	expect_problem(id_call("POST", ct_path(w.slug, "/areas"), w.mod.token,
	                       NULL, "{\"slug\":\"west\",\"name\":\"W\"}"),
	        403, NULL, NULL);
	expect_problem(id_call("POST", ct_path(w.slug, "/areas"), w.res.token,
	                       NULL, "{\"slug\":\"west\",\"name\":\"W\"}"),
	        403, NULL, NULL);
	expect_problem(
	        id_call("POST", ct_path(w.slug, "/areas"), w.outsider.token, NULL,
	                "{\"slug\":\"west\",\"name\":\"W\"}"),
	        404, NULL, NULL);
	expect_problem(id_call("POST", ct_path(w.slug, "/areas"), NULL, NULL,
	                       "{\"slug\":\"west\",\"name\":\"W\"}"),
	        401, NULL, NULL);
	/* the list is public, by slug */
	list = expect_json(http_get(ct_path(w.slug, "/areas")), 200);
	check(json_array_size(list) == 2 &&
	                strcmp(id_str(json_array_get(list, 0), "slug"),
	                        "north") == 0 &&
	                strcmp(id_str(json_array_get(list, 1), "slug"),
	                        "south-east") == 0 &&
	                strcmp(id_str(json_array_get(list, 1), "name"),
	                        "Sud-Est") == 0,
	        "area list is wrong");
	json_decref(list);
	list = expect_json(id_call("GET", ct_path(w.slug, "/areas"),
	                           w.outsider.token, NULL, NULL),
	        200);
	check(json_array_size(list) == 2, "an outsider sees another list");
	json_decref(list);
	expect_problem(http_get("/v1/collectivities/no-such-place-x/areas"),
	        404, NULL, NULL);
}

/* ---- creating processes ---- */

static void
test_process_create(void **state)
{
	char body[2048], pid[40];
	json_t *j, *rules, *ph;
	struct http_resp *r;

	(void)state;
	snprintf(body, sizeof(body),
	        "{\"title\":\"Rénover le parc\",\"description\":\"Le parc "
	        "des Tilleuls\",\"image_url\":\"https://example.org/p.jpg\","
	        "\"area\":\"north\",\"phases\":[%s,%s,%s],"
	        "\"rules\":{\"answer\":{\"who\":\"any\"},\"vote\":"
	        "{\"min_age\":16}}}",
	        ct_phase("information", -3 * DAY, -2 * DAY),
	        ct_phase("proposals", -DAY, DAY), ct_phase("vote", 2 * DAY, 3 * DAY));
	j = process_new(body, pid);
	check(strcmp(id_str(j, "title"), "Rénover le parc") == 0 &&
	                strcmp(id_str(j, "description"), "Le parc des "
	                                                 "Tilleuls") == 0 &&
	                strcmp(id_str(j, "image_url"),
	                        "https://example.org/p.jpg") == 0 &&
	                strcmp(id_str(j, "area"), "north") == 0 &&
	                strcmp(id_str(j, "collectivity"), w.slug) == 0 &&
	                strcmp(id_str(j, "status"), "draft") == 0 &&
	                json_is_null(json_object_get(j, "published_at")) &&
	                strcmp(current(j), "proposals") == 0 &&
	                json_array_size(json_object_get(j, "phases")) == 3 &&
	                json_array_size(json_object_get(j, "consultations")) ==
	                        0,
	        "created process: %s", json_dumps(j, JSON_COMPACT));
	ph = json_object_get(j, "phases");
	check(strcmp(id_str(json_array_get(ph, 0), "kind"), "information") ==
	                        0 &&
	                strcmp(id_str(json_array_get(ph, 0), "state"),
	                        "over") == 0 &&
	                strcmp(id_str(json_array_get(ph, 1), "state"),
	                        "current") == 0 &&
	                strcmp(id_str(json_array_get(ph, 2), "kind"), "vote") ==
	                        0 &&
	                strcmp(id_str(json_array_get(ph, 2), "state"),
	                        "upcoming") == 0 &&
	                json_is_null(json_object_get(
	                        json_array_get(ph, 1), "closed_at")),
	        "phases of the created process are wrong");
	/* every action has its rule, defaults filled in */
	rules = json_object_get(j, "rules");
	check(json_object_size(rules) == 5, "five rules expected");
	check(strcmp(id_str(json_object_get(rules, "answer"), "who"), "any") ==
	                        0 &&
	                json_integer_value(json_object_get(
	                        json_object_get(rules, "answer"), "min_age")) ==
	                        0 &&
	                strcmp(id_str(json_object_get(rules, "vote"), "who"),
	                        "verified") == 0 &&
	                json_integer_value(json_object_get(
	                        json_object_get(rules, "vote"), "min_age")) ==
	                        16 &&
	                strcmp(id_str(json_object_get(rules, "propose"), "who"),
	                        "verified") == 0 &&
	                strcmp(id_str(json_object_get(rules, "support"), "who"),
	                        "verified") == 0 &&
	                strcmp(id_str(json_object_get(rules, "comment"), "who"),
	                        "verified") == 0,
	        "rules: %s", json_dumps(rules, JSON_COMPACT));
	json_decref(j);
	/* GET gives the same */
	j = expect_json(process_get(pid, w.admin.token), 200);
	check(strcmp(id_str(j, "id"), pid) == 0 &&
	                strcmp(current(j), "proposals") == 0,
	        "GET after create");
	json_decref(j);
	/* the smallest process: a title; published at once */
	j = process_new(
	        "{\"title\":\"Minimal\",\"status\":\"published\"}", pid);
	check(strcmp(id_str(j, "status"), "published") == 0 &&
	                strlen(id_str(j, "published_at")) > 0 &&
	                json_is_null(json_object_get(j, "area")) &&
	                json_is_null(json_object_get(j, "image_url")) &&
	                strcmp(id_str(j, "description"), "") == 0 &&
	                strcmp(current(j), "null") == 0 &&
	                json_array_size(json_object_get(j, "phases")) == 0,
	        "minimal process is wrong");
	json_decref(j);
	/* who may create */
	expect_problem(id_call("POST", ct_path(w.slug, "/processes"), w.mod.token,
	                       NULL, "{\"title\":\"x\"}"),
	        403, NULL, NULL);
	expect_problem(id_call("POST", ct_path(w.slug, "/processes"), w.res.token,
	                       NULL, "{\"title\":\"x\"}"),
	        403, NULL, NULL);
	expect_problem(id_call("POST", ct_path(w.slug, "/processes"),
	                       w.outsider.token, NULL, "{\"title\":\"x\"}"),
	        404, NULL, NULL);
	expect_problem(id_call("POST", ct_path(w.slug, "/processes"), NULL, NULL,
	                       "{\"title\":\"x\"}"),
	        401, NULL, NULL);
	/* body fields */
	expect_problem(process_post("{}"), 422, "title", NULL);
	expect_problem(process_post("{\"title\":\"\"}"), 422, "title", NULL);
	expect_problem(process_post("{\"title\":\"x\",\"owner\":\"me\"}"), 422,
	        "owner", NULL);
	expect_problem(
	        process_post("{\"title\":\"x\",\"status\":\"archived\"}"), 422,
	        "status", NULL);
	expect_problem(process_post("{\"title\":\"x\",\"phases\":{}}"), 422,
	        "phases", NULL);
	/* the platform admin may create too */
	r = id_call("POST", ct_path(w.slug, "/processes"), http_admin_token(),
	        NULL, "{\"title\":\"By the platform\"}");
	json_decref(id_json(r, 201));
	http_resp_free(r);
}

/* A process body with these phases (a JSON array's inside). */
static struct http_resp *
post_phases(const char *phases)
{
	char body[4096];

	snprintf(body, sizeof(body), "{\"title\":\"Phases\",\"phases\":[%s]}",
	        phases);
	return process_post(body);
}

static void
test_phase_rules(void **state)
{
	char buf[2048];
	json_t *before, *after;

	(void)state;
	before = list_all("", w.admin.token);
	/* unknown kind */
	expect_problem(post_phases(ct_phase("consultation", DAY, 2 * DAY)), 422,
	        "phases[0].kind",
	        "must be one of information, proposals, review, vote, "
	        "results");
	/* twice */
	snprintf(buf, sizeof(buf), "%s,%s", ct_phase("information", DAY, 2 * DAY),
	        ct_phase("information", 3 * DAY, 4 * DAY));
	expect_problem(post_phases(buf), 422, "phases[1].kind", NULL);
	/* out of order */
	snprintf(buf, sizeof(buf), "%s,%s", ct_phase("vote", DAY, 2 * DAY),
	        ct_phase("proposals", 3 * DAY, 4 * DAY));
	expect_problem(post_phases(buf), 422, "phases[1].kind", NULL);
	/* overlapping the one before */
	snprintf(buf, sizeof(buf), "%s,%s", ct_phase("information", DAY, 3 * DAY),
	        ct_phase("proposals", 2 * DAY, 4 * DAY));
	expect_problem(post_phases(buf), 422, "phases[1].starts_at", NULL);
	/* ends before it starts, or when it starts */
	expect_problem(post_phases(ct_phase("review", 2 * DAY, DAY)), 422,
	        "phases[0].ends_at", "must be after starts_at");
	expect_problem(post_phases(ct_phase("review", DAY, DAY)), 422,
	        "phases[0].ends_at", "must be after starts_at");
	/* bad timestamps */
	snprintf(buf, sizeof(buf),
	        "{\"kind\":\"vote\",\"starts_at\":\"tomorrow\","
	        "\"ends_at\":\"%s\"}",
	        ct_at(DAY));
	expect_problem(post_phases(buf), 422, "phases[0].starts_at",
	        "must be an RFC 3339 date-time with a time zone");
	snprintf(buf, sizeof(buf),
	        "{\"kind\":\"vote\",\"starts_at\":\"%s\","
	        "\"ends_at\":\"2030-02-30T10:00:00Z\"}",
	        ct_at(DAY));
	expect_problem(post_phases(buf), 422, "phases[0].ends_at", NULL);
	expect_problem(post_phases("{\"kind\":\"vote\",\"starts_at\":"
	                           "\"2030-01-01T10:00:00\",\"ends_at\":"
	                           "\"2030-01-02T10:00:00Z\"}"),
	        422, "phases[0].starts_at", NULL);
	expect_problem(post_phases("{\"kind\":\"vote\",\"starts_at\":"
	                           "1893456000,\"ends_at\":"
	                           "\"2030-01-02T10:00:00Z\"}"),
	        422, "phases[0].starts_at", NULL);
	expect_problem(post_phases("{\"kind\":\"vote\",\"starts_at\":"
	                           "\"2030-01-01T10:00:00Z\"}"),
	        422, "phases[0].ends_at", NULL);
	/* not an object with kind, starts_at, ends_at */
	snprintf(buf, sizeof(buf),
	        "{\"kind\":\"vote\",\"starts_at\":\"%s\",\"ends_at\":\"%s\","
	        "\"closed_at\":\"%s\"}",
	        ct_at(DAY), ct_at(2 * DAY), ct_at(DAY));
	expect_problem(post_phases(buf), 422, "phases[0]", NULL);
	expect_problem(post_phases("\"vote\""), 422, "phases[0]", NULL);
	/* the error names the right index */
	snprintf(buf, sizeof(buf), "%s,%s,%s",
	        ct_phase("information", DAY, 2 * DAY),
	        ct_phase("proposals", 2 * DAY, 3 * DAY),
	        ct_phase("vote", 5 * DAY, 4 * DAY));
	expect_problem(post_phases(buf), 422, "phases[2].ends_at", NULL);
	/* more than five */
	snprintf(buf, sizeof(buf), "%s,%s,%s,%s,%s,%s",
	        ct_phase("information", 1 * DAY, 2 * DAY),
	        ct_phase("proposals", 2 * DAY, 3 * DAY),
	        ct_phase("review", 3 * DAY, 4 * DAY),
	        ct_phase("vote", 4 * DAY, 5 * DAY),
	        ct_phase("results", 5 * DAY, 6 * DAY),
	        ct_phase("results", 6 * DAY, 7 * DAY));
	expect_problem(post_phases(buf), 422, "phases", NULL);
	/* back to back and with gaps is fine; all five in order */
	snprintf(buf, sizeof(buf), "%s,%s,%s,%s,%s",
	        ct_phase("information", 1 * DAY, 2 * DAY),
	        ct_phase("proposals", 2 * DAY, 3 * DAY),
	        ct_phase("review", 4 * DAY, 5 * DAY),
	        ct_phase("vote", 5 * DAY, 6 * DAY),
	        ct_phase("results", 8 * DAY, 9 * DAY));
	{
		struct http_resp *r = post_phases(buf);
		json_t *j = id_json(r, 201);

		check(json_array_size(json_object_get(j, "phases")) == 5 &&
		                strcmp(current(j), "null") == 0,
		        "five phases: %s", r->body);
		json_decref(j);
		http_resp_free(r);
	}
	/* a refused create left nothing (the good one above is the only
	   new process) */
	after = list_all("", w.admin.token);
	check(json_array_size(after) == json_array_size(before) + 1,
	        "refused creates left processes: %zu before, %zu after",
	        json_array_size(before), json_array_size(after));
	json_decref(before);
	json_decref(after);
}

static void
test_bad_rules(void **state)
{
	char pid[40];
	json_t *j;

	(void)state;
	/* unknown action */
	expect_problem(process_post("{\"title\":\"r\",\"rules\":{\"vote\":{},"
	                            "\"delete\":{\"who\":\"any\"}}}"),
	        422, "rules.delete", NULL);
	/* bad who */
	expect_problem(process_post("{\"title\":\"r\",\"rules\":{\"answer\":"
	                            "{\"who\":\"everyone\"}}}"),
	        422, "rules.answer.who", "must be any or verified");
	expect_problem(process_post("{\"title\":\"r\",\"rules\":{\"answer\":"
	                            "{\"who\":null}}}"),
	        422, "rules.answer.who", NULL);
	expect_problem(process_post("{\"title\":\"r\",\"rules\":{\"propose\":"
	                            "{\"who\":[\"any\"]}}}"),
	        422, "rules.propose.who", NULL);
	/* bad min_age */
	expect_problem(process_post("{\"title\":\"r\",\"rules\":{\"vote\":"
	                            "{\"min_age\":-1}}}"),
	        422, "rules.vote.min_age",
	        "must be an integer between 0 and 120");
	expect_problem(process_post("{\"title\":\"r\",\"rules\":{\"vote\":"
	                            "{\"min_age\":121}}}"),
	        422, "rules.vote.min_age", NULL);
	expect_problem(process_post("{\"title\":\"r\",\"rules\":{\"vote\":"
	                            "{\"min_age\":16.5}}}"),
	        422, "rules.vote.min_age", NULL);
	expect_problem(process_post("{\"title\":\"r\",\"rules\":{\"vote\":"
	                            "{\"min_age\":\"18\"}}}"),
	        422, "rules.vote.min_age", NULL);
	/* a rule with another member, or not an object */
	expect_problem(process_post("{\"title\":\"r\",\"rules\":{\"comment\":"
	                            "{\"who\":\"any\",\"max_age\":99}}}"),
	        422, "rules.comment", NULL);
	expect_problem(process_post("{\"title\":\"r\",\"rules\":{\"comment\":"
	                            "\"any\"}}"),
	        422, "rules.comment", NULL);
	expect_problem(process_post("{\"title\":\"r\",\"rules\":[]}"), 422,
	        "rules", NULL);
	/* bad image URLs */
	expect_problem(process_post("{\"title\":\"i\",\"image_url\":"
	                            "\"ftp://example.org/a.png\"}"),
	        422, "image_url", "must be an http or https URL");
	expect_problem(process_post("{\"title\":\"i\",\"image_url\":"
	                            "\"javascript:alert(1)\"}"),
	        422, "image_url", NULL);
	expect_problem(process_post("{\"title\":\"i\",\"image_url\":"
	                            "\"https://exa mple.org/\"}"),
	        422, "image_url", NULL);
	expect_problem(process_post("{\"title\":\"i\",\"image_url\":"
	                            "\"example.org/a.png\"}"),
	        422, "image_url", NULL);
	/* unknown area */
	expect_problem(process_post("{\"title\":\"a\",\"area\":\"atlantis\"}"),
	        422, "area", NULL);
	/* every error at once */
	{
		struct http_resp *r = process_post(
		        "{\"title\":\"all\",\"area\":\"atlantis\",\"image_"
		        "url\":"
		        "\"file:///etc/passwd\",\"rules\":{\"x\":{}},"
		        "\"phases\":[{\"kind\":\"x\",\"starts_at\":\"a\","
		        "\"ends_at\":\"b\"}]}");
		json_t *p = check_problem(r, 422, "validation-failed");

		check_problem_field(p, "area", NULL);
		check_problem_field(p, "image_url", NULL);
		check_problem_field(p, "rules.x", NULL);
		check_problem_field(p, "phases[0].kind", NULL);
		json_decref(p);
		http_resp_free(r);
	}
	/* the same checks on PATCH */
	j = process_new("{\"title\":\"to patch\"}", pid);
	json_decref(j);
	expect_problem(process_patch(pid, w.admin.token,
	                       "{\"rules\":{\"answer\":{\"who\":\"nobody\"}}}"),
	        422, "rules.answer.who", NULL);
	expect_problem(process_patch(pid, w.admin.token,
	                       "{\"image_url\":\"gopher://x\"}"),
	        422, "image_url", NULL);
	expect_problem(
	        process_patch(pid, w.admin.token, "{\"area\":\"atlantis\"}"),
	        422, "area", NULL);
	{
		char body[512];

		snprintf(body, sizeof(body), "{\"phases\":[%s]}",
		        ct_phase("vote", DAY, -DAY));
		expect_problem(process_patch(pid, w.admin.token, body), 422,
		        "phases[0].ends_at", NULL);
	}
	j = expect_json(process_get(pid, w.admin.token), 200);
	check(strcmp(id_str(json_object_get(
	                            json_object_get(j, "rules"), "answer"),
	                     "who"),
	              "verified") == 0 &&
	                json_is_null(json_object_get(j, "image_url")) &&
	                json_is_null(json_object_get(j, "area")) &&
	                json_array_size(json_object_get(j, "phases")) == 0,
	        "a refused PATCH changed the process");
	json_decref(j);
	/* a good PATCH: area, image, rules, title */
	j = expect_json(
	        process_patch(pid, w.admin.token,
	                "{\"title\":\"patched\",\"area\":\"south-east\","
	                "\"image_url\":\"http://example.org/i.png\","
	                "\"rules\":{\"answer\":{\"who\":\"any\","
	                "\"min_age\":18}}}"),
	        200);
	check(strcmp(id_str(j, "title"), "patched") == 0 &&
	                strcmp(id_str(j, "area"), "south-east") == 0 &&
	                strcmp(id_str(j, "image_url"),
	                        "http://example.org/i.png") == 0 &&
	                json_integer_value(json_object_get(
	                        json_object_get(
	                                json_object_get(j, "rules"), "answer"),
	                        "min_age")) == 18,
	        "PATCH: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* and back: no area, no image */
	j = expect_json(process_patch(pid, w.admin.token,
	                        "{\"area\":null,\"image_url\":null}"),
	        200);
	check(json_is_null(json_object_get(j, "area")) &&
	                json_is_null(json_object_get(j, "image_url")) &&
	                strcmp(id_str(j, "title"), "patched") == 0,
	        "PATCH to null: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
}

/* ---- drafts, publishing ---- */

static void
test_drafts(void **state)
{
	const struct id_user *others[] = {
	        &w.res, &w.young, &w.nobirth, &w.member, &w.outsider};
	char pid[40], body[1024];
	json_t *j, *list;
	size_t i;

	(void)state;
	snprintf(body, sizeof(body),
	        "{\"title\":\"Secret draft\",\"area\":\"north\","
	        "\"phases\":[%s]}",
	        ct_phase("proposals", -DAY, DAY));
	json_decref(process_new(body, pid));
	/* staff see it */
	json_decref(expect_json(process_get(pid, w.admin.token), 200));
	json_decref(expect_json(process_get(pid, w.mod.token), 200));
	json_decref(expect_json(process_get(pid, http_admin_token()), 200));
	list = list_all("", w.mod.token);
	check(item_in(list, pid) != NULL, "a moderator's list lacks the draft");
	json_decref(list);
	list = list_all("phase=proposals&area=north", w.admin.token);
	check(item_in(list, pid) != NULL, "the admin's filtered list lacks it");
	json_decref(list);
	/* to anyone else it does not exist */
	expect_problem(process_get(pid, NULL), 404, NULL, NULL);
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		expect_problem(
		        process_get(pid, others[i]->token), 404, NULL, NULL);
		list = list_all("", others[i]->token);
		check(item_in(list, pid) == NULL, "%s sees the draft listed",
		        others[i]->email);
		json_decref(list);
		list = list_all("phase=proposals", others[i]->token);
		check(item_in(list, pid) == NULL,
		        "%s sees the draft in a filtered list",
		        others[i]->email);
		json_decref(list);
		/* nor can they edit it: not found, before any role check */
		expect_problem(process_patch(pid, others[i]->token,
		                       "{\"title\":\"mine\"}"),
		        404, NULL, NULL);
	}
	list = list_all("area=north", NULL);
	check(item_in(list, pid) == NULL, "the public sees the draft listed");
	json_decref(list);
	list = list_all("phase=proposals", NULL);
	check(item_in(list, pid) == NULL, "the public sees the draft listed");
	json_decref(list);
	/* a moderator sees drafts but does not edit */
	expect_problem(
	        process_patch(pid, w.mod.token, "{\"status\":\"published\"}"),
	        403, NULL, NULL);
	/* publish via PATCH */
	j = expect_json(
	        process_patch(pid, w.admin.token, "{\"status\":\"published\"}"),
	        200);
	check(strcmp(id_str(j, "status"), "published") == 0 &&
	                strlen(id_str(j, "published_at")) > 0 &&
	                strcmp(id_str(j, "title"), "Secret draft") == 0,
	        "published: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		j = expect_json(process_get(pid, others[i]->token), 200);
		check(strcmp(id_str(j, "status"), "published") == 0,
		        "published, not seen");
		json_decref(j);
		expect_problem(process_patch(pid, others[i]->token,
		                       "{\"title\":\"mine\"}"),
		        others[i] == &w.outsider ? 404 : 403, NULL, NULL);
	}
	j = expect_json(process_get(pid, NULL), 200);
	json_decref(j);
	list = list_all("area=north", NULL);
	check(item_in(list, pid) != NULL, "published but not listed");
	json_decref(list);
	/* never back to draft */
	expect_problem(
	        process_patch(pid, w.admin.token, "{\"status\":\"draft\"}"),
	        409, NULL, NULL);
	expect_problem(process_patch(pid, http_admin_token(),
	                       "{\"status\":\"draft\",\"title\":\"x\"}"),
	        409, NULL, NULL);
	j = expect_json(process_get(pid, NULL), 200);
	check(strcmp(id_str(j, "status"), "published") == 0 &&
	                strcmp(id_str(j, "title"), "Secret draft") == 0,
	        "a refused PATCH changed the process");
	json_decref(j);
	/* publishing again is harmless, published_at stays */
	{
		json_t *a = expect_json(process_get(pid, NULL), 200);

		j = expect_json(process_patch(pid, w.admin.token,
		                        "{\"status\":\"published\"}"),
		        200);
		check(strcmp(id_str(j, "published_at"),
		              id_str(a, "published_at")) == 0,
		        "published_at moved");
		json_decref(j);
		json_decref(a);
	}
	/* unknown processes */
	expect_problem(
	        process_get("00000000-0000-4000-8000-000000000000", NULL), 404,
	        NULL, NULL);
	expect_problem(
	        process_get("not-a-uuid", w.admin.token), 404, NULL, NULL);
	expect_problem(process_patch("00000000-0000-4000-8000-000000000000",
	                       w.admin.token, "{\"title\":\"x\"}"),
	        404, NULL, NULL);
}

/* ---- the current phase, closing early ---- */

static void
test_current_phase(void **state)
{
	char body[2048], pa[40], pb[40], pc[40], pd[40];
	json_t *j, *ph;

	(void)state;
	snprintf(body, sizeof(body),
	        "{\"title\":\"Dated\",\"status\":\"published\","
	        "\"phases\":[%s,%s,%s]}",
	        ct_phase("information", -3 * DAY, -2 * DAY),
	        ct_phase("proposals", -DAY, DAY), ct_phase("vote", 2 * DAY, 3 * DAY));
	j = process_new(body, pa);
	check(strcmp(current(j), "proposals") == 0, "current is proposals");
	json_decref(j);
	/* not started yet, over, between two phases */
	snprintf(body, sizeof(body), "{\"title\":\"Later\",\"phases\":[%s]}",
	        ct_phase("information", DAY, 2 * DAY));
	j = process_new(body, pb);
	check(strcmp(current(j), "null") == 0 &&
	                strcmp(id_str(phase_of(j, "information"), "state"),
	                        "upcoming") == 0,
	        "future phase: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	snprintf(body, sizeof(body), "{\"title\":\"Over\",\"phases\":[%s]}",
	        ct_phase("results", -2 * DAY, -DAY));
	j = process_new(body, pc);
	check(strcmp(current(j), "null") == 0 &&
	                strcmp(id_str(phase_of(j, "results"), "state"),
	                        "over") == 0,
	        "past phase");
	json_decref(j);
	snprintf(body, sizeof(body), "{\"title\":\"Gap\",\"phases\":[%s,%s]}",
	        ct_phase("review", -2 * DAY, -DAY), ct_phase("vote", DAY, 2 * DAY));
	j = process_new(body, pd);
	check(strcmp(current(j), "null") == 0, "between phases: none");
	json_decref(j);

	/* who may close */
	expect_problem(id_call("POST", ppath(pa, "/phases/proposals/close"),
	                       w.mod.token, NULL, "{}"),
	        403, NULL, NULL);
	expect_problem(id_call("POST", ppath(pa, "/phases/proposals/close"),
	                       w.res.token, NULL, "{}"),
	        403, NULL, NULL);
	expect_problem(id_call("POST", ppath(pa, "/phases/proposals/close"),
	                       w.outsider.token, NULL, "{}"),
	        404, NULL, NULL);
	/* only the current phase closes */
	expect_problem(id_call("POST", ppath(pa, "/phases/vote/close"),
	                       w.admin.token, NULL, "{}"),
	        409, NULL, NULL);
	expect_problem(id_call("POST", ppath(pa, "/phases/information/close"),
	                       w.admin.token, NULL, "{}"),
	        409, NULL, NULL);
	expect_problem(id_call("POST", ppath(pa, "/phases/review/close"),
	                       w.admin.token, NULL, "{}"),
	        404, NULL, NULL);
	expect_problem(id_call("POST", ppath(pa, "/phases/bogus/close"),
	                       w.admin.token, NULL, "{}"),
	        404, NULL, NULL);
	expect_problem(id_call("POST",
	                       ct_path(w.slug, "%s", "/processes/00000000-0000-4000-"
	                                     "8000-000000000000/phases/"
	                                     "proposals/close"),
	                       w.admin.token, NULL, "{}"),
	        404, NULL, NULL);
	expect_problem(id_call("POST", ppath(pa, "/phases/proposals/close"),
	                       w.admin.token, NULL, "{\"reason\":7}"),
	        422, "reason", NULL);
	j = expect_json(process_get(pa, NULL), 200);
	check(strcmp(current(j), "proposals") == 0,
	        "a refused close changed the process");
	json_decref(j);
	/* closing the current phase early */
	j = expect_json(
	        id_call("POST", ppath(pa, "/phases/proposals/close"),
	                w.admin.token, NULL, "{\"reason\":\"enough answers\"}"),
	        200);
	ph = phase_of(j, "proposals");
	check(strcmp(current(j), "null") == 0 &&
	                strlen(id_str(ph, "closed_at")) > 0 &&
	                strcmp(id_str(ph, "state"), "over") == 0 &&
	                strcmp(id_str(phase_of(j, "vote"), "state"),
	                        "upcoming") == 0,
	        "after closing: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	j = expect_json(process_get(pa, NULL), 200);
	check(strcmp(current(j), "null") == 0,
	        "GET: still current after close");
	json_decref(j);
	/* once closed it is not current: closing again is refused */
	expect_problem(id_call("POST", ppath(pa, "/phases/proposals/close"),
	                       w.admin.token, NULL, "{}"),
	        409, NULL, NULL);
	/* the audit log has it, with the reason */
	{
		json_t *log = id_list_all(ct_path(w.slug, "/audit?limit=100"),
		               w.admin.token, 100),
		       *e;
		size_t i;
		int found = 0;

		json_array_foreach(log, i, e)
		{
			if (strcmp(id_str(e, "action"), "phase.close") == 0 &&
			        strcmp(id_str(e, "object_id"), pa) == 0 &&
			        strcmp(id_str(e, "reason"), "enough answers") ==
			                0 &&
			        strcmp(id_str(json_object_get(e, "details"),
			                       "phase"),
			                "proposals") == 0)
				found = 1;
		}
		check(found, "no phase.close entry in the audit log");
		json_decref(log);
	}
	/* phases that are over keep their dates and their early closing:
	   removing or moving one is refused, adding a later one works */
	snprintf(body, sizeof(body), "{\"phases\":[%s,%s]}",
	        ct_phase("proposals", -2 * DAY, -HOUR), ct_phase("vote", -HOUR, DAY));
	expect_problem(process_patch(pa, w.admin.token, body), 409, NULL, NULL);
	j = expect_json(process_get(pa, w.admin.token), 200);
	{
		char *text = phases_body(j, NULL, NULL);

		json_decref(j);
		j = expect_json(process_patch(pa, w.admin.token, text), 200);
		free(text);
	}
	check(json_array_size(json_object_get(j, "phases")) == 3 &&
	                !json_is_null(json_object_get(
	                        phase_of(j, "proposals"), "closed_at")) &&
	                strcmp(id_str(phase_of(j, "vote"), "state"),
	                        "upcoming") == 0,
	        "the same phases again keep the closing: %s",
	        json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* an upcoming phase may move (not before the closed one's end) */
	j = expect_json(process_get(pa, w.admin.token), 200);
	{
		char *text = phases_body(
		        j, "vote", ct_phase("vote", DAY + HOUR, 4 * DAY));

		json_decref(j);
		j = expect_json(process_patch(pa, w.admin.token, text), 200);
		free(text);
	}
	check(strcmp(current(j), "null") == 0 &&
	                strcmp(id_str(phase_of(j, "vote"), "state"),
	                        "upcoming") == 0,
	        "vote moved: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* an upcoming phase cannot be closed */
	expect_problem(id_call("POST", ppath(pa, "/phases/vote/close"),
	                       w.admin.token, NULL, "{}"),
	        409, NULL, NULL);
	/* the platform admin may close a phase too */
	snprintf(body, sizeof(body), "{\"phases\":[%s]}",
	        ct_phase("review", -HOUR, HOUR));
	json_decref(expect_json(process_patch(pb, w.admin.token, body), 200));
	j = expect_json(id_call("POST", ppath(pb, "/phases/review/close"),
	                        http_admin_token(), NULL, "{}"),
	        200);
	check(strcmp(current(j), "null") == 0, "closed by the platform admin");
	json_decref(j);
	/* an empty list cannot remove a phase that is over; leaving it out
	   removes an upcoming one */
	expect_problem(process_patch(pd, w.admin.token, "{\"phases\":[]}"), 409,
	        NULL, NULL);
	j = expect_json(process_get(pd, w.admin.token), 200);
	{
		char *text = phases_body(j, "vote", NULL);

		json_decref(j);
		j = expect_json(process_patch(pd, w.admin.token, text), 200);
		free(text);
	}
	check(json_array_size(json_object_get(j, "phases")) == 1 &&
	                phase_of(j, "vote") == NULL,
	        "the upcoming vote was removed: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	(void)pc;
}

/* ---- the list: filters and paging ---- */

/* Every item of list has current_phase (or none) equal to want. */
static void
check_all_phase(json_t *list, const char *want)
{
	size_t i;
	json_t *e;

	json_array_foreach(list, i, e)
	{
		const char *c = current(e);

		check(strcmp(c, strcmp(want, "none") == 0 ? "null" : want) == 0,
		        "?phase=%s listed a process in phase %s", want, c);
	}
}

static void
test_list_filters(void **state)
{
	char body[2048], p_info[40], p_prop[40], p_none[40], p_north[40];
	json_t *list;
	size_t i;
	json_t *e;

	(void)state;
	snprintf(body, sizeof(body),
	        "{\"title\":\"F info\",\"status\":\"published\","
	        "\"area\":\"south-east\",\"phases\":[%s,%s]}",
	        ct_phase("information", -DAY, DAY), ct_phase("vote", DAY, 2 * DAY));
	json_decref(process_new(body, p_info));
	snprintf(body, sizeof(body),
	        "{\"title\":\"F proposals\",\"status\":\"published\","
	        "\"area\":\"north\",\"phases\":[%s]}",
	        ct_phase("proposals", -DAY, DAY));
	json_decref(process_new(body, p_prop));
	snprintf(body, sizeof(body),
	        "{\"title\":\"F none\",\"status\":\"published\","
	        "\"phases\":[%s]}",
	        ct_phase("results", DAY, 2 * DAY));
	json_decref(process_new(body, p_none));
	json_decref(process_new("{\"title\":\"F north, no phase\","
	                        "\"status\":\"published\",\"area\":\"north\"}",
	        p_north));

	list = list_all("phase=information", NULL);
	check_all_phase(list, "information");
	check(item_in(list, p_info) != NULL && item_in(list, p_prop) == NULL,
	        "?phase=information is wrong");
	json_decref(list);
	list = list_all("phase=proposals", w.res.token);
	check_all_phase(list, "proposals");
	check(item_in(list, p_prop) != NULL && item_in(list, p_info) == NULL,
	        "?phase=proposals is wrong");
	json_decref(list);
	list = list_all("phase=none", NULL);
	check_all_phase(list, "none");
	check(item_in(list, p_none) != NULL && item_in(list, p_north) != NULL &&
	                item_in(list, p_prop) == NULL,
	        "?phase=none is wrong");
	json_decref(list);
	list = list_all("phase=vote", NULL);
	check_all_phase(list, "vote");
	check(item_in(list, p_info) == NULL, "?phase=vote is wrong");
	json_decref(list);
	list = list_all("area=north", NULL);
	json_array_foreach(list, i, e)
	{
		check(strcmp(id_str(e, "area"), "north") == 0,
		        "?area=north listed area %s", id_str(e, "area"));
	}
	check(item_in(list, p_prop) != NULL && item_in(list, p_north) != NULL &&
	                item_in(list, p_info) == NULL &&
	                item_in(list, p_none) == NULL,
	        "?area=north is wrong");
	json_decref(list);
	list = list_all("area=north&phase=none", NULL);
	check(item_in(list, p_north) != NULL && item_in(list, p_prop) == NULL,
	        "?area=north&phase=none is wrong");
	json_decref(list);
	list = list_all("phase=information&area=north", NULL);
	check(json_array_size(list) == 0 || item_in(list, p_info) == NULL,
	        "?phase=information&area=north is wrong");
	json_decref(list);
	/* bad filters */
	expect_problem(http_get(ct_path(w.slug, "/processes?phase=bogus")), 422,
	        "phase", NULL);
	expect_problem(http_get(ct_path(w.slug, "/processes?phase=")), 422,
	        "phase", NULL);
	expect_problem(http_get(ct_path(w.slug, "/processes?phase=Vote")), 422,
	        "phase", NULL);
	expect_problem(http_get(ct_path(w.slug, "/processes?area=atlantis")), 422,
	        "area", NULL);
	expect_problem(
	        http_get(ct_path(w.slug, "/processes?area=")), 422, "area", NULL);
	expect_problem(http_get("/v1/collectivities/no-such-place-x/processes"),
	        404, NULL, NULL);
}

/* The list is newest first (created_at, then id, descending). */
static void
check_order(json_t *list)
{
	size_t i;

	for (i = 1; i < json_array_size(list); i++) {
		json_t *a = json_array_get(list, i - 1),
		       *b = json_array_get(list, i);
		int c = strcmp(
		        id_str(a, "created_at"), id_str(b, "created_at"));

		check(c > 0 || (c == 0 && strcmp(id_str(a, "id"),
		                                  id_str(b, "id")) > 0),
		        "list not newest first at %zu: %s then %s", i,
		        id_str(a, "created_at"), id_str(b, "created_at"));
	}
}

/* Same ids in the same order. */
static int
same_ids(json_t *a, json_t *b)
{
	size_t i;

	if (json_array_size(a) != json_array_size(b))
		return 0;
	for (i = 0; i < json_array_size(a); i++)
		if (strcmp(id_str(json_array_get(a, i), "id"),
		            id_str(json_array_get(b, i), "id")) != 0)
			return 0;
	return 1;
}

static void
test_list_paging(void **state)
{
	char next[2048], pid[40];
	json_t *all, *paged, *page;
	struct http_resp *r;
	size_t i, k;
	int n;

	(void)state;
	/* enough processes for a few pages, drafts among them */
	for (n = 0; n < 3; n++)
		json_decref(process_new(n == 1 ? "{\"title\":\"Page draft\"}"
		                               : "{\"title\":\"Page\","
		                                 "\"status\":\"published\"}",
		        pid));
	all = list_all("", w.admin.token);
	check(json_array_size(all) >= 8, "only %zu processes",
	        json_array_size(all));
	check_order(all);
	/* no duplicates */
	for (i = 0; i < json_array_size(all); i++)
		for (k = i + 1; k < json_array_size(all); k++)
			check(strcmp(id_str(json_array_get(all, i), "id"),
			              id_str(json_array_get(all, k), "id")) !=
			                0,
			        "process listed twice");
	/* the first page has a working Link */
	r = id_call("GET", ct_path(w.slug, "/processes?limit=1"), w.admin.token,
	        NULL, NULL);
	page = id_json(r, 200);
	check(json_array_size(page) == 1 && id_link_next(r, next, sizeof(next)),
	        "limit=1: one item and a Link rel=\"next\" expected");
	check(strncmp(next, ct_path(w.slug, "/processes?"),
	              strlen(ct_path(w.slug, "/processes?"))) == 0,
	        "Link points elsewhere: %s", next);
	check(strcmp(id_str(json_array_get(page, 0), "id"),
	              id_str(json_array_get(all, 0), "id")) == 0,
	        "the first page is not the newest process");
	json_decref(page);
	http_resp_free(r);
	r = id_call("GET", next, w.admin.token, NULL, NULL);
	page = id_json(r, 200);
	check(json_array_size(page) == 1 &&
	                strcmp(id_str(json_array_get(page, 0), "id"),
	                        id_str(json_array_get(all, 1), "id")) == 0,
	        "the next page is not the second process: %s", r->body);
	json_decref(page);
	http_resp_free(r);
	/* walking every page gives the whole list, in the same order */
	paged = id_list_all(
	        ct_path(w.slug, "/processes?limit=1"), w.admin.token, 1);
	check(same_ids(paged, all), "paging with limit=1 gives another list");
	json_decref(paged);
	paged = id_list_all(
	        ct_path(w.slug, "/processes?limit=3"), w.admin.token, 3);
	check(same_ids(paged, all), "paging with limit=3 gives another list");
	json_decref(paged);
	json_decref(all);
	/* the public walk skips drafts */
	all = list_all("", NULL);
	paged = id_list_all(ct_path(w.slug, "/processes?limit=1"), NULL, 1);
	check(same_ids(paged, all), "public paging gives another list");
	json_array_foreach(paged, i, page)
	{
		check(strcmp(id_str(page, "status"), "published") == 0,
		        "a draft in the public walk");
	}
	json_decref(paged);
	json_decref(all);
	/* filters are kept across pages */
	all = list_all("phase=none", NULL);
	check(json_array_size(all) >= 2, "few processes in no phase");
	paged = id_list_all(
	        ct_path(w.slug, "/processes?phase=none&limit=1"), NULL, 1);
	check(same_ids(paged, all), "?phase=none paged: another list");
	json_decref(paged);
	json_decref(all);
	all = list_all("area=north", w.admin.token);
	paged = id_list_all(ct_path(w.slug, "/processes?area=north&limit=1"),
	        w.admin.token, 1);
	check(same_ids(paged, all), "?area=north paged: another list");
	json_decref(paged);
	json_decref(all);
	/* bad paging parameters */
	expect_problem(http_get(ct_path(w.slug, "/processes?after=garbage")), 422,
	        "after", NULL);
	expect_problem(http_get(ct_path(w.slug, "%s", "/processes?after="
	                                      "2030-01-01T00:00:00Z_nope")),
	        422, "after", NULL);
	expect_problem(http_get(ct_path(w.slug, "/processes?after=_")), 422,
	        "after", NULL);
	expect_problem(http_get(ct_path(w.slug, "/processes?limit=0")), 422,
	        "limit", NULL);
	expect_problem(http_get(ct_path(w.slug, "/processes?limit=101")), 422,
	        "limit", NULL);
	/* a cursor far in the past: an empty page */
	page = expect_json(
	        http_get(ct_path(w.slug, "%s", "/processes?after=2000-01-01T00%3A00%3A"
	                               "00Z_00000000-0000-4000-8000-"
	                               "000000000000")),
	        200);
	check(json_array_size(page) == 0, "nothing is older than 2000");
	json_decref(page);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_areas),
	        cmocka_unit_test(test_process_create),
	        cmocka_unit_test(test_phase_rules),
	        cmocka_unit_test(test_bad_rules),
	        cmocka_unit_test(test_drafts),
	        cmocka_unit_test(test_current_phase),
	        cmocka_unit_test(test_list_filters),
	        cmocka_unit_test(test_list_paging),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
