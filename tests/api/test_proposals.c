/*
 * test_proposals.c - proposals and supports (docs/proposals.md): create
 * (drafts and published, every refused field, the phase and the rules),
 * drafts seen by their author only, edits, withdrawal, official answers,
 * supports (idempotent, per-process limit, threshold, phase, state,
 * blocks), and the list: filters, sorts with keyset paging through
 * Link rel="next", French full-text search, refused query parameters.
 *
 * One fresh collectivity and its people are shared by every test (each
 * registration costs an Argon2id hash); each test makes its own processes
 * and proposals, so tests do not depend on each other's data.
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

static struct world {
	char c[64];
	/* verified residents; r4 is blocked now and then */
	struct id_user r1, r2, r3, r4;
	struct id_user member; /* joined, not verified */
	struct id_user mod;    /* the collectivity's moderator */
	char p_main[40];       /* support_threshold 2 */
} w;

static int
group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	id_collectivity_new("props", "commune", NULL, w.c);
	ct_area_new(w.c, "centre");
	ct_area_new(w.c, "nord");
	id_member_new(&w.r1, "props-r1", w.c, "resident");
	id_member_new(&w.r2, "props-r2", w.c, "resident");
	id_member_new(&w.r3, "props-r3", w.c, "resident");
	id_member_new(&w.r4, "props-r4", w.c, "resident");
	id_member_new(&w.member, "props-member", w.c, "member");
	id_member_new(&w.mod, "props-mod", w.c, "moderator");
	ct_process_new(w.c, NULL, "\"support_threshold\":2", w.p_main);
	return 0;
}

/* ---- helpers ---- */

static const char *
list_path(const char *pid, const char *query)
{
	return ct_path(w.c, "/processes/%s/proposals%s%s", pid,
	        query != NULL && *query != '\0' ? "?" : "",
	        query != NULL ? query : "");
}

/* Every proposal of the list (following Link with limit 2). */
static json_t *
list_all(const char *pid, const char *query, const char *token)
{
	char q[1024];

	snprintf(q, sizeof(q), "%s%slimit=2", query != NULL ? query : "",
	        query != NULL && *query != '\0' ? "&" : "");
	return id_list_all(list_path(pid, q), token, 2);
}

/*
 * The list has exactly the proposals whose ids follow (NULL-terminated),
 * in any order.
 */
#define expect_set(pid, query, token, ...)                                     \
	expect_set_((pid), (query), (token), __FILE__, __LINE__, __VA_ARGS__)
static void
expect_set_(const char *pid, const char *query, const char *token,
        const char *file, int line, ...)
{
	json_t *all = list_all(pid, query, token);
	va_list ap;
	const char *id;
	size_t n = 0;

	va_start(ap, line);
	while ((id = va_arg(ap, const char *)) != NULL) {
		n++;
		size_t k = ct_count(all, "id", id);

		if (k != 1) {
			char *d = json_dumps(all, JSON_COMPACT);

			print_error("list: %.2000s\n", d != NULL ? d : "?");
			free(d);
			va_end(ap);
			json_decref(all);
			check_fail_(file, line,
			        "?%s: proposal %s listed %zu times",
			        query != NULL ? query : "", id, k);
		}
	}
	va_end(ap);
	if (json_array_size(all) != n) {
		char *d = json_dumps(all, JSON_COMPACT);

		print_error("list: %.2000s\n", d != NULL ? d : "?");
		free(d);
		json_decref(all);
		check_fail_(file, line, "?%s: %zu proposals listed, want %zu",
		        query != NULL ? query : "", json_array_size(all), n);
	}
	json_decref(all);
}

/* POST .../proposals/{id}/answer as token. */
static struct http_resp *
answer(const char *id, const char *token, const char *json)
{
	return id_call("POST", ct_path(w.c, "/proposals/%s/answer", id), token,
	        NULL, json);
}

static struct http_resp *
patch(const char *id, const char *token, const char *json)
{
	return id_call(
	        "PATCH", ct_path(w.c, "/proposals/%s", id), token, NULL, json);
}

static struct http_resp *
withdraw(const char *id, const char *token)
{
	return id_call("POST", ct_path(w.c, "/proposals/%s/withdraw", id),
	        token, NULL, NULL);
}

static struct http_resp *
support(const char *method, const char *id, const char *token)
{
	return id_call(method, ct_path(w.c, "/proposals/%s/support", id), token,
	        NULL, NULL);
}

/* ---- create ---- */

static void
test_create(void **state)
{
	json_t *j, *a;
	char id[40];

	(void)state;
	/* a draft by default */
	j = ct_proposal_new(w.c, w.p_main, &w.r1, "Un banc", "Devant la poste",
	        "\"status\":\"draft\"", id);
	check(strcmp(id_str(j, "state"), "draft") == 0 &&
	                strcmp(id_str(j, "process_id"), w.p_main) == 0 &&
	                strcmp(id_str(j, "title"), "Un banc") == 0 &&
	                strcmp(id_str(j, "body"), "Devant la poste") == 0 &&
	                json_is_null(json_object_get(j, "category")) &&
	                json_is_null(json_object_get(j, "area")) &&
	                json_is_null(json_object_get(j, "latitude")) &&
	                json_is_null(json_object_get(j, "longitude")) &&
	                json_is_null(json_object_get(j, "estimated_cost")) &&
	                json_array_size(json_object_get(j, "attachments")) ==
	                        0 &&
	                json_is_null(json_object_get(j, "answer")) &&
	                json_is_null(json_object_get(j, "published_at")) &&
	                ct_int(j, "supports") == 0 &&
	                ct_int(j, "comments") == 0 &&
	                json_is_false(
	                        json_object_get(j, "threshold_reached")) &&
	                json_is_false(json_object_get(j, "hidden")) &&
	                strcmp(id_str(json_object_get(j, "author"), "id"),
	                        w.r1.id) == 0,
	        "draft: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	json_decref(ct_proposal_get(w.c, id, w.r1.token));
	/* without a status at all: a draft too */
	j = ct_json(ct_proposal_post(w.c, w.p_main, w.r1.token,
	                    "{\"title\":\"Sans statut\",\"body\":\"b\"}"),
	        201);
	check(strcmp(id_str(j, "state"), "draft") == 0, "no status: %s",
	        id_str(j, "state"));
	json_decref(j);

	/* published, with every field */
	j = ct_json(ct_proposal_post(w.c, w.p_main, w.r1.token,
	                    "{\"title\":\"Des arbres\",\"body\":\"Rue Hugo\","
	                    "\"category\":\"voirie\",\"area\":\"centre\","
	                    "\"latitude\":48.85,\"longitude\":2.35,"
	                    "\"estimated_cost\":1500000,"
	                    "\"attachments\":[\"https://example.org/a.pdf\","
	                    "\"http://example.org/b.png\"],"
	                    "\"status\":\"published\"}"),
	        201);
	a = json_object_get(j, "attachments");
	check(strcmp(id_str(j, "state"), "published") == 0 &&
	                strcmp(id_str(j, "category"), "voirie") == 0 &&
	                strcmp(id_str(j, "area"), "centre") == 0 &&
	                json_real_value(json_object_get(j, "latitude")) ==
	                        48.85 &&
	                json_real_value(json_object_get(j, "longitude")) ==
	                        2.35 &&
	                ct_int(j, "estimated_cost") == 1500000 &&
	                json_array_size(a) == 2 &&
	                strcmp(json_string_value(json_array_get(a, 0)),
	                        "https://example.org/a.pdf") == 0 &&
	                strlen(id_str(j, "published_at")) > 0,
	        "published: %s", json_dumps(j, JSON_COMPACT));
	snprintf(id, sizeof(id), "%s", id_str(j, "id"));
	json_decref(j);
	/* anyone reads it, and it reads as it was made */
	j = ct_proposal_get(w.c, id, NULL);
	check(strcmp(id_str(j, "title"), "Des arbres") == 0 &&
	                json_is_null(json_object_get(j, "supported")),
	        "anonymous read: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* ten attachments are fine */
	json_decref(ct_json(ct_proposal_post(w.c, w.p_main, w.r1.token,
	                            "{\"title\":\"Dix\",\"body\":\"b\","
	                            "\"attachments\":[\"https://e.org/1\","
	                            "\"https://e.org/2\",\"https://e.org/3\","
	                            "\"https://e.org/4\",\"https://e.org/5\","
	                            "\"https://e.org/6\",\"https://e.org/7\","
	                            "\"https://e.org/8\",\"https://e.org/9\","
	                            "\"https://e.org/10\"]}"),
	        201));
	/* nulls where allowed */
	json_decref(ct_json(ct_proposal_post(w.c, w.p_main, w.r1.token,
	                            "{\"title\":\"Nuls\",\"body\":\"b\","
	                            "\"category\":null,\"area\":null,"
	                            "\"estimated_cost\":null}"),
	        201));
}

static void
test_create_refused(void **state)
{
	static const struct {
		const char *body, *field;
	} bads[] = {
	        {"{\"title\":\"T\",\"body\":\"B\",\"category\":\"nope\"}",
	                "category"},
	        {"{\"title\":\"T\",\"body\":\"B\",\"area\":\"nowhere\"}",
	                "area"},
	        {"{\"title\":\"T\",\"body\":\"B\",\"latitude\":48.8}",
	                "longitude"},
	        {"{\"title\":\"T\",\"body\":\"B\",\"longitude\":2.3}",
	                "latitude"},
	        {"{\"title\":\"T\",\"body\":\"B\",\"latitude\":91,"
	         "\"longitude\":2}",
	                "latitude"},
	        {"{\"title\":\"T\",\"body\":\"B\",\"latitude\":48,"
	         "\"longitude\":-181}",
	                "longitude"},
	        {"{\"title\":\"T\",\"body\":\"B\",\"latitude\":\"48\","
	         "\"longitude\":2}",
	                "latitude"},
	        {"{\"title\":\"T\",\"body\":\"B\","
	         "\"attachments\":[\"ftp://example.org/x\"]}",
	                "attachments"},
	        {"{\"title\":\"T\",\"body\":\"B\","
	         "\"attachments\":[\"https://exa mple.org/x\"]}",
	                "attachments"},
	        {"{\"title\":\"T\",\"body\":\"B\","
	         "\"attachments\":[\"https://example.org/ok\",42]}",
	                "attachments"},
	        {"{\"title\":\"T\",\"body\":\"B\",\"attachments\":\"https://"
	         "example.org/x\"}",
	                "attachments"},
	        {"{\"title\":\"T\",\"body\":\"B\",\"attachments\":["
	         "\"https://e.org/1\",\"https://e.org/2\",\"https://e.org/3\","
	         "\"https://e.org/4\",\"https://e.org/5\",\"https://e.org/6\","
	         "\"https://e.org/7\",\"https://e.org/8\",\"https://e.org/9\","
	         "\"https://e.org/10\",\"https://e.org/11\"]}",
	                "attachments"},
	        {"{\"title\":\"T\",\"body\":\"B\",\"status\":\"evaluating\"}",
	                "status"},
	        {"{\"title\":\"T\",\"body\":\"B\",\"status\":\"withdrawn\"}",
	                "status"},
	        {"{\"title\":\"T\",\"body\":\"B\",\"status\":\"bogus\"}",
	                "status"},
	        {"{\"title\":\"T\",\"body\":\"B\",\"estimated_cost\":-5}",
	                "estimated_cost"},
	        {"{\"title\":\"T\",\"body\":\"B\",\"estimated_cost\":1.5}",
	                "estimated_cost"},
	        {"{\"body\":\"B\"}", "title"},
	        {"{\"title\":\"\",\"body\":\"B\"}", "title"},
	        {"{\"title\":\"T\"}", "body"},
	        {"{\"title\":\"T\",\"body\":\"B\",\"colour\":\"red\"}",
	                "colour"},
	};
	char pid[40];
	size_t i;

	(void)state;
	ct_process_new(w.c, NULL, NULL, pid);
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		struct http_resp *r =
		        ct_proposal_post(w.c, pid, w.r1.token, bads[i].body);

		if (r == NULL || r->status != 422)
			fprintf(stderr, "  body %s\n", bads[i].body);
		else {
			json_t *p = http_resp_json(r);
			json_t *e = json_object_get(p, "errors");
			size_t k;
			json_t *x;
			int named = 0;

			json_array_foreach(e, k, x) named |=
			        strcmp(id_str(x, "field"), bads[i].field) == 0;
			if (!named)
				fprintf(stderr, "  body %s\n", bads[i].body);
			json_decref(p);
		}
		ct_problem(r, 422, bads[i].field);
	}
	/* nothing was made */
	expect_set(pid, "author=me&state=draft", w.r1.token, NULL);
	expect_set(pid, "", w.r1.token, NULL);

	/* who may propose: the process's rule is "verified" */
	ct_problem(ct_proposal_post(w.c, pid, w.member.token,
	                   "{\"title\":\"T\",\"body\":\"B\"}"),
	        403, NULL);
	ct_problem(ct_proposal_post(
	                   w.c, pid, NULL, "{\"title\":\"T\",\"body\":\"B\"}"),
	        401, NULL);
	/* moderators are not verified residents either */
	ct_problem(ct_proposal_post(w.c, pid, w.mod.token,
	                   "{\"title\":\"T\",\"body\":\"B\"}"),
	        403, NULL);
	/* unknown process */
	ct_problem(ct_proposal_post(w.c, "0b0b0b0b-0000-4000-8000-000000000000",
	                   w.r1.token, "{\"title\":\"T\",\"body\":\"B\"}"),
	        404, NULL);
	ct_problem(ct_proposal_post(w.c, "not-a-uuid", w.r1.token,
	                   "{\"title\":\"T\",\"body\":\"B\"}"),
	        404, NULL);
	expect_set(pid, "author=me&state=draft", w.r1.token, NULL);
}

/* Outside the proposals phase: before it, after it, closed early. */
static void
test_outside_phase(void **state)
{
	char over[40], later[40], past[40], prop[40], from[32], to[32];
	char phases[512];
	json_t *j;

	(void)state;
	/* closed early: a proposal and a support were made before */
	ct_process_new(w.c, NULL, NULL, over);
	json_decref(
	        ct_proposal_new(w.c, over, &w.r1, "Avant", "b", NULL, prop));
	ct_support(w.c, prop, w.r2.token, 201);
	ct_phase_close(w.c, over, "proposals");
	j = ct_get(ct_path(w.c, "/processes/%s", over), NULL);
	check(json_is_null(json_object_get(j, "current_phase")),
	        "current_phase after closing: %s",
	        json_dumps(
	                json_object_get(j, "current_phase"), JSON_ENCODE_ANY));
	json_decref(j);
	ct_problem(ct_proposal_post(w.c, over, w.r1.token,
	                   "{\"title\":\"T\",\"body\":\"B\"}"),
	        409, NULL);
	ct_problem(ct_proposal_post(w.c, over, w.r1.token,
	                   "{\"title\":\"T\",\"body\":\"B\","
	                   "\"status\":\"published\"}"),
	        409, NULL);
	ct_problem(support("PUT", prop, w.r3.token), 409, NULL);
	ct_problem(support("DELETE", prop, w.r2.token), 409, NULL);
	ct_problem(patch(prop, w.r1.token, "{\"title\":\"Après\"}"), 409, NULL);
	j = ct_proposal_get(w.c, prop, w.r2.token);
	check(ct_int(j, "supports") == 1 &&
	                json_is_true(json_object_get(j, "supported")) &&
	                strcmp(id_str(j, "title"), "Avant") == 0,
	        "after the phase: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* still listed and readable */
	expect_set(over, "", NULL, prop, NULL);

	/* the phase has not begun */
	ct_time(86400, from, sizeof(from));
	ct_time(10 * 86400, to, sizeof(to));
	snprintf(phases, sizeof(phases),
	        "[{\"kind\":\"proposals\",\"starts_at\":\"%s\","
	        "\"ends_at\":\"%s\"}]",
	        from, to);
	ct_process_new(w.c, phases, NULL, later);
	ct_problem(ct_proposal_post(w.c, later, w.r1.token,
	                   "{\"title\":\"T\",\"body\":\"B\"}"),
	        409, NULL);
	/* the phase is over, and another phase is going on */
	ct_time(-10 * 86400, from, sizeof(from));
	ct_time(-86400, to, sizeof(to));
	{
		char vfrom[32], vto[32];

		ct_time(-3600, vfrom, sizeof(vfrom));
		ct_time(86400, vto, sizeof(vto));
		snprintf(phases, sizeof(phases),
		        "[{\"kind\":\"proposals\",\"starts_at\":\"%s\","
		        "\"ends_at\":\"%s\"},{\"kind\":\"vote\","
		        "\"starts_at\":\"%s\",\"ends_at\":\"%s\"}]",
		        from, to, vfrom, vto);
	}
	ct_process_new(w.c, phases, NULL, past);
	ct_problem(ct_proposal_post(w.c, past, w.r1.token,
	                   "{\"title\":\"T\",\"body\":\"B\"}"),
	        409, NULL);
	/* a process without a proposals phase */
	ct_time(-3600, from, sizeof(from));
	ct_time(86400, to, sizeof(to));
	snprintf(phases, sizeof(phases),
	        "[{\"kind\":\"information\",\"starts_at\":\"%s\","
	        "\"ends_at\":\"%s\"}]",
	        from, to);
	ct_process_new(w.c, phases, NULL, past);
	ct_problem(ct_proposal_post(w.c, past, w.r1.token,
	                   "{\"title\":\"T\",\"body\":\"B\"}"),
	        409, NULL);
}

/* ---- drafts ---- */

static void
test_drafts(void **state)
{
	char d[40], pid[40], ids[3][40];
	json_t *j, *all;
	size_t i;

	(void)state;
	json_decref(ct_proposal_new(w.c, w.p_main, &w.r1, "Brouillon", "b",
	        "\"status\":\"draft\"", d));
	json_decref(ct_proposal_get(w.c, d, w.r1.token));
	ct_problem(id_call("GET", ct_path(w.c, "/proposals/%s", d), w.r2.token,
	                   NULL, NULL),
	        404, NULL);
	ct_problem(id_call("GET", ct_path(w.c, "/proposals/%s", d), NULL, NULL,
	                   NULL),
	        404, NULL);
	/* not even staff */
	ct_problem(id_call("GET", ct_path(w.c, "/proposals/%s", d), w.mod.token,
	                   NULL, NULL),
	        404, NULL);
	ct_problem(id_call("GET", ct_path(w.c, "/proposals/%s", d),
	                   http_admin_token(), NULL, NULL),
	        404, NULL);
	/* nobody else acts on it */
	ct_problem(support("PUT", d, w.r2.token), 404, NULL);
	ct_problem(patch(d, w.r2.token, "{\"title\":\"x\"}"), 404, NULL);
	ct_problem(answer(d, w.mod.token, "{\"state\":\"evaluating\"}"), 404,
	        NULL);

	/* listed only with author=me&state=draft, to the author */
	all = list_all(w.p_main, "", w.r1.token);
	check(ct_find(all, "id", d) == NULL, "a draft in the default list");
	json_decref(all);
	all = list_all(w.p_main, "author=me&state=draft", w.r1.token);
	check(ct_find(all, "id", d) != NULL,
	        "author=me&state=draft misses the draft");
	for (i = 0; i < json_array_size(all); i++) {
		json_t *e = json_array_get(all, i);

		check(strcmp(id_str(e, "state"), "draft") == 0 &&
		                strcmp(id_str(json_object_get(e, "author"),
		                               "id"),
		                        w.r1.id) == 0,
		        "author=me&state=draft lists %s", id_str(e, "id"));
	}
	json_decref(all);
	all = list_all(
	        w.p_main, ct_fmt("author=%s&state=draft", w.r1.id), w.r1.token);
	check(ct_find(all, "id", d) != NULL,
	        "author=<own id>&state=draft misses the draft");
	json_decref(all);
	all = list_all(w.p_main, "author=me&state=draft", w.r2.token);
	check(ct_find(all, "id", d) == NULL, "someone else's draft listed");
	json_decref(all);
	ct_problem(id_call("GET", list_path(w.p_main, "state=draft"),
	                   w.r1.token, NULL, NULL),
	        422, "state");
	ct_problem(id_call("GET",
	                   list_path(w.p_main,
	                           ct_fmt("state=draft&author=%s", w.r1.id)),
	                   w.r2.token, NULL, NULL),
	        422, "state");
	ct_problem(id_call("GET", list_path(w.p_main, "state=draft"),
	                   w.mod.token, NULL, NULL),
	        422, "state");
	ct_problem(id_call("GET", list_path(w.p_main, "author=me"), NULL, NULL,
	                   NULL),
	        401, NULL);

	/* drafts page like the rest (they have no publication time) */
	ct_process_new(w.c, NULL, NULL, pid);
	for (i = 0; i < 3; i++)
		json_decref(ct_proposal_new(w.c, pid, &w.r1,
		        ct_fmt("Brouillon %zu", i), "b", "\"status\":\"draft\"",
		        ids[i]));
	expect_set(pid, "author=me&state=draft", w.r1.token, ids[0], ids[1],
	        ids[2], NULL);
	/* a draft withdrawn before publication stays its author's: listed
	   to them (paging too), to nobody else */
	for (i = 0; i < 3; i++)
		json_decref(ct_json(withdraw(ids[i], w.r1.token), 200));
	expect_set(pid, "author=me&state=withdrawn", w.r1.token, ids[0], ids[1],
	        ids[2], NULL);
	expect_set(pid, "state=withdrawn", w.r2.token, NULL);
	expect_set(pid, "state=withdrawn", NULL, NULL);
	ct_problem(id_call("GET", ct_path(w.c, "/proposals/%s", ids[0]),
	                   w.r2.token, NULL, NULL),
	        404, NULL);
	ct_problem(id_call("GET", ct_path(w.c, "/proposals/%s", ids[0]), NULL,
	                   NULL, NULL),
	        404, NULL);
	json_decref(ct_proposal_get(w.c, ids[0], w.r1.token));

	/* published with PATCH: now everyone sees it */
	j = ct_json(patch(d, w.r1.token, "{\"status\":\"published\"}"), 200);
	check(strcmp(id_str(j, "state"), "published") == 0 &&
	                strlen(id_str(j, "published_at")) > 0,
	        "published draft: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	json_decref(ct_proposal_get(w.c, d, w.r2.token));
	json_decref(ct_proposal_get(w.c, d, NULL));
	all = list_all(w.p_main, "", NULL);
	check(ct_find(all, "id", d) != NULL,
	        "the published draft is not listed");
	json_decref(all);
	/* and it cannot go back */
	ct_problem(patch(d, w.r1.token, "{\"status\":\"draft\"}"), 409, NULL);
}

/* ---- edit ---- */

static void
test_edit(void **state)
{
	char e[40];
	json_t *j;

	(void)state;
	json_decref(ct_proposal_new(
	        w.c, w.p_main, &w.r1, "Titre", "Texte", NULL, e));
	j = ct_json(patch(e, w.r1.token,
	                    "{\"title\":\"Nouveau titre\",\"category\":"
	                    "\"ecoles\",\"area\":\"nord\",\"latitude\":45.5,"
	                    "\"longitude\":4.8,\"estimated_cost\":99,"
	                    "\"attachments\":[\"https://example.org/plan\"]}"),
	        200);
	check(strcmp(id_str(j, "title"), "Nouveau titre") == 0 &&
	                strcmp(id_str(j, "body"), "Texte") == 0 &&
	                strcmp(id_str(j, "category"), "ecoles") == 0 &&
	                strcmp(id_str(j, "area"), "nord") == 0 &&
	                ct_int(j, "estimated_cost") == 99 &&
	                json_array_size(json_object_get(j, "attachments")) ==
	                        1 &&
	                strcmp(id_str(j, "state"), "published") == 0,
	        "edited: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* null clears what may be cleared */
	j = ct_json(
	        patch(e, w.r1.token, "{\"category\":null,\"area\":null}"), 200);
	check(json_is_null(json_object_get(j, "category")) &&
	                json_is_null(json_object_get(j, "area")),
	        "cleared: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* only by the author */
	ct_problem(patch(e, w.r2.token, "{\"title\":\"Pirate\"}"), 403, NULL);
	ct_problem(patch(e, w.mod.token, "{\"title\":\"Pirate\"}"), 403, NULL);
	ct_problem(patch(e, NULL, "{\"title\":\"Pirate\"}"), 401, NULL);
	/* the same checks as create */
	ct_problem(patch(e, w.r1.token, "{\"category\":\"nope\"}"), 422,
	        "category");
	ct_problem(patch(e, w.r1.token, "{\"area\":\"nowhere\"}"), 422, "area");
	ct_problem(patch(e, w.r1.token, "{\"status\":\"withdrawn\"}"), 422,
	        "status");
	ct_problem(patch(e, w.r1.token, "{\"attachments\":[\"javascript:x\"]}"),
	        422, "attachments");
	ct_problem(patch(e, w.r1.token, "{\"title\":\"\"}"), 422, "title");
	/* unknown proposals */
	ct_problem(patch("0b0b0b0b-0000-4000-8000-000000000000", w.r1.token,
	                   "{\"title\":\"x\"}"),
	        404, NULL);
	/* no more edits once supported */
	ct_support(w.c, e, w.r2.token, 201);
	ct_problem(
	        patch(e, w.r1.token, "{\"title\":\"Trop tard\"}"), 409, NULL);
	j = ct_proposal_get(w.c, e, NULL);
	check(strcmp(id_str(j, "title"), "Nouveau titre") == 0,
	        "edited after a support: %s", id_str(j, "title"));
	json_decref(j);
}

/* ---- withdraw ---- */

static void
test_withdraw(void **state)
{
	char p[40], d[40], ev[40];
	json_t *j, *all;

	(void)state;
	json_decref(ct_proposal_new(
	        w.c, w.p_main, &w.r1, "À retirer", "b", NULL, p));
	ct_support(w.c, p, w.r2.token, 201);
	ct_problem(withdraw(p, w.r2.token), 403, NULL);
	ct_problem(withdraw(p, w.mod.token), 403, NULL);
	ct_problem(withdraw(p, NULL), 401, NULL);
	j = ct_json(withdraw(p, w.r1.token), 200);
	check(strcmp(id_str(j, "state"), "withdrawn") == 0, "withdraw: %s",
	        json_dumps(j, JSON_COMPACT));
	json_decref(j);
	ct_problem(withdraw(p, w.r1.token), 409, NULL);
	/* still readable; listed only when asked for */
	j = ct_proposal_get(w.c, p, NULL);
	check(strcmp(id_str(j, "state"), "withdrawn") == 0 &&
	                ct_int(j, "supports") == 1,
	        "withdrawn: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	all = list_all(w.p_main, "", NULL);
	check(ct_find(all, "id", p) == NULL, "withdrawn in the default list");
	json_decref(all);
	all = list_all(w.p_main, "state=withdrawn", NULL);
	check(ct_find(all, "id", p) != NULL, "state=withdrawn misses it");
	json_decref(all);
	/* a withdrawn proposal takes no supports, edits or answers */
	ct_problem(support("PUT", p, w.r3.token), 409, NULL);
	ct_problem(patch(p, w.r1.token, "{\"title\":\"x\"}"), 409, NULL);
	ct_problem(answer(p, w.mod.token, "{\"state\":\"evaluating\"}"), 409,
	        NULL);
	/* a draft and an evaluating proposal can be withdrawn */
	json_decref(ct_proposal_new(w.c, w.p_main, &w.r1, "Brouillon", "b",
	        "\"status\":\"draft\"", d));
	j = ct_json(withdraw(d, w.r1.token), 200);
	check(strcmp(id_str(j, "state"), "withdrawn") == 0, "draft withdrawn");
	json_decref(j);
	json_decref(ct_proposal_new(
	        w.c, w.p_main, &w.r1, "En étude", "b", NULL, ev));
	json_decref(ct_json(
	        answer(ev, w.mod.token, "{\"state\":\"evaluating\"}"), 200));
	j = ct_json(withdraw(ev, w.r1.token), 200);
	check(strcmp(id_str(j, "state"), "withdrawn") == 0,
	        "evaluating withdrawn");
	json_decref(j);
}

/* ---- official answers ---- */

static void
test_answers(void **state)
{
	char a[40], b[40];
	json_t *j, *ans, *all;

	(void)state;
	json_decref(
	        ct_proposal_new(w.c, w.p_main, &w.r1, "Réponse", "b", NULL, a));
	/* moderators and admins only */
	ct_problem(
	        answer(a, w.r2.token, "{\"state\":\"evaluating\"}"), 403, NULL);
	ct_problem(
	        answer(a, w.r1.token, "{\"state\":\"evaluating\"}"), 403, NULL);
	ct_problem(answer(a, w.member.token, "{\"state\":\"evaluating\"}"), 403,
	        NULL);
	ct_problem(answer(a, NULL, "{\"state\":\"evaluating\"}"), 401, NULL);
	/* evaluating needs no text */
	j = ct_json(answer(a, w.mod.token, "{\"state\":\"evaluating\"}"), 200);
	check(strcmp(id_str(j, "state"), "evaluating") == 0 &&
	                json_is_null(json_object_get(j, "answer")),
	        "evaluating: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	ct_problem(answer(a, w.mod.token, "{\"state\":\"evaluating\"}"), 409,
	        NULL);
	/* an evaluating proposal is still supported */
	ct_support(w.c, a, w.r2.token, 201);
	/* refused bodies */
	ct_problem(answer(a, w.mod.token, "{\"state\":\"accepted\"}"), 422,
	        "answer");
	ct_problem(answer(a, w.mod.token,
	                   "{\"state\":\"accepted\",\"answer\":\"\"}"),
	        422, "answer");
	ct_problem(answer(a, w.mod.token, "{\"state\":\"rejected\"}"), 422,
	        "answer");
	ct_problem(answer(a, w.mod.token,
	                   "{\"state\":\"rejected\",\"answer\":\"Non\","
	                   "\"cost\":5}"),
	        422, "cost");
	ct_problem(answer(a, w.mod.token,
	                   "{\"state\":\"accepted\",\"answer\":\"Oui\","
	                   "\"cost\":-5}"),
	        422, "cost");
	ct_problem(
	        answer(a, w.mod.token, "{\"state\":\"bogus\"}"), 422, "state");
	ct_problem(answer(a, w.mod.token,
	                   "{\"state\":\"published\",\"answer\":\"x\"}"),
	        422, "state");
	ct_problem(answer(a, w.mod.token,
	                   "{\"state\":\"withdrawn\",\"answer\":\"x\"}"),
	        422, "state");
	ct_problem(answer(a, w.mod.token, "{\"answer\":\"x\"}"), 422, "state");
	/* accepted with a cost */
	j = ct_json(answer(a, w.mod.token,
	                    "{\"state\":\"accepted\",\"answer\":\"Retenu : "
	                    "travaux en 2026.\",\"cost\":4200000}"),
	        200);
	ans = json_object_get(j, "answer");
	check(strcmp(id_str(j, "state"), "accepted") == 0 &&
	                strcmp(id_str(ans, "text"),
	                        "Retenu : travaux en 2026.") == 0 &&
	                ct_int(ans, "cost") == 4200000 &&
	                strlen(id_str(ans, "answered_at")) > 0,
	        "accepted: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* shown with the proposal, to anyone */
	j = ct_proposal_get(w.c, a, NULL);
	ans = json_object_get(j, "answer");
	check(strcmp(id_str(j, "state"), "accepted") == 0 &&
	                strcmp(id_str(ans, "text"),
	                        "Retenu : travaux en 2026.") == 0 &&
	                ct_int(ans, "cost") == 4200000,
	        "answer not shown: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* final: no other answer, no more supports, no withdrawal */
	ct_problem(answer(a, w.mod.token,
	                   "{\"state\":\"rejected\",\"answer\":\"Finalement "
	                   "non\"}"),
	        409, NULL);
	ct_problem(answer(a, w.mod.token, "{\"state\":\"evaluating\"}"), 409,
	        NULL);
	ct_problem(support("PUT", a, w.r3.token), 409, NULL);
	ct_problem(withdraw(a, w.r1.token), 409, NULL);
	/* rejected, by the platform admin, straight from published */
	json_decref(
	        ct_proposal_new(w.c, w.p_main, &w.r1, "Refus", "b", NULL, b));
	j = ct_json(answer(b, http_admin_token(),
	                    "{\"state\":\"rejected\",\"answer\":\"Hors "
	                    "compétence\"}"),
	        200);
	ans = json_object_get(j, "answer");
	check(strcmp(id_str(j, "state"), "rejected") == 0 &&
	                strcmp(id_str(ans, "text"), "Hors compétence") == 0 &&
	                json_is_null(json_object_get(ans, "cost")),
	        "rejected: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* listed by state, and in the default list */
	expect_set(w.p_main, "state=accepted", NULL, a, NULL);
	expect_set(w.p_main, "state=rejected", NULL, b, NULL);
	all = list_all(w.p_main, "", NULL);
	check(ct_find(all, "id", a) != NULL && ct_find(all, "id", b) != NULL,
	        "answered proposals missing from the default list");
	json_decref(all);
	ct_problem(answer("0b0b0b0b-0000-4000-8000-000000000000", w.mod.token,
	                   "{\"state\":\"evaluating\"}"),
	        404, NULL);
}

/* ---- supports ---- */

static void
test_supports(void **state)
{
	char s[40], d[40];
	json_t *j;

	(void)state;
	json_decref(ct_proposal_new(
	        w.c, w.p_main, &w.r1, "À soutenir", "b", NULL, s));
	j = ct_json(support("PUT", s, w.r2.token), 201);
	check(ct_int(j, "supports") == 1 &&
	                json_is_true(json_object_get(j, "supported")) &&
	                json_is_false(json_object_get(j, "threshold_reached")),
	        "first support: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* idempotent */
	j = ct_json(support("PUT", s, w.r2.token), 200);
	check(ct_int(j, "supports") == 1 &&
	                json_is_true(json_object_get(j, "supported")),
	        "support again: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	j = ct_proposal_get(w.c, s, w.r3.token);
	check(ct_int(j, "supports") == 1 &&
	                json_is_false(json_object_get(j, "supported")),
	        "seen by another: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* the threshold (2) */
	j = ct_json(support("PUT", s, w.r3.token), 201);
	check(ct_int(j, "supports") == 2 &&
	                json_is_true(json_object_get(j, "threshold_reached")),
	        "threshold: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* withdrawing: 204, then 404; the threshold stays reached */
	ct_empty(support("DELETE", s, w.r3.token), 204);
	ct_problem(support("DELETE", s, w.r3.token), 404, NULL);
	j = ct_proposal_get(w.c, s, w.r3.token);
	check(ct_int(j, "supports") == 1 &&
	                json_is_false(json_object_get(j, "supported")) &&
	                json_is_true(json_object_get(j, "threshold_reached")),
	        "after withdrawing: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* supporting again counts again */
	json_decref(ct_json(support("PUT", s, w.r3.token), 201));
	j = ct_proposal_get(w.c, s, NULL);
	check(ct_int(j, "supports") == 2, "re-support: %lld",
	        ct_int(j, "supports"));
	json_decref(j);
	/* who may support: verified residents (the rule), signed in */
	ct_problem(support("PUT", s, w.member.token), 403, NULL);
	ct_problem(support("PUT", s, NULL), 401, NULL);
	ct_problem(support("DELETE", s, NULL), 401, NULL);
	ct_problem(support("DELETE", s, w.member.token), 404, NULL);
	/* unknown and invisible proposals */
	ct_problem(support("PUT", "0b0b0b0b-0000-4000-8000-000000000000",
	                   w.r2.token),
	        404, NULL);
	ct_problem(support("PUT", "nope", w.r2.token), 404, NULL);
	json_decref(ct_proposal_new(w.c, w.p_main, &w.r1, "Brouillon", "b",
	        "\"status\":\"draft\"", d));
	ct_problem(support("PUT", d, w.r2.token), 404, NULL);
	/* the author's own draft is not supported either */
	ct_problem(support("PUT", d, w.r1.token), 409, NULL);
}

static void
test_support_limit(void **state)
{
	char pid[40], l[3][40];
	int i;

	(void)state;
	ct_process_new(w.c, NULL, "\"support_limit\":2", pid);
	for (i = 0; i < 3; i++)
		json_decref(ct_proposal_new(w.c, pid, &w.r1,
		        ct_fmt("Limite %d", i), "b", NULL, l[i]));
	ct_support(w.c, l[0], w.r2.token, 201);
	ct_support(w.c, l[1], w.r2.token, 201);
	ct_problem(support("PUT", l[2], w.r2.token), 409, NULL);
	/* already there: still 200 at the limit */
	ct_support(w.c, l[0], w.r2.token, 200);
	/* the limit is per participant */
	ct_support(w.c, l[2], w.r3.token, 201);
	/* and per process */
	{
		char other[40];

		json_decref(ct_proposal_new(
		        w.c, w.p_main, &w.r1, "Ailleurs", "b", NULL, other));
		ct_support(w.c, other, w.r2.token, 201);
	}
	/* withdrawing one frees a support */
	ct_empty(support("DELETE", l[0], w.r2.token), 204);
	ct_support(w.c, l[2], w.r2.token, 201);
	ct_problem(support("PUT", l[0], w.r2.token), 409, NULL);
	{
		json_t *j = ct_proposal_get(w.c, l[2], NULL);

		check(ct_int(j, "supports") == 2, "limit: supports %lld",
		        ct_int(j, "supports"));
		json_decref(j);
	}
}

/* A blocked participant neither proposes nor supports. */
static void
test_blocked(void **state)
{
	char s[40];

	(void)state;
	json_decref(
	        ct_proposal_new(w.c, w.p_main, &w.r1, "Bloqué", "b", NULL, s));
	ct_block(w.c, w.mod.token, w.r4.id);
	ct_problem(support("PUT", s, w.r4.token), 403, NULL);
	ct_problem(ct_proposal_post(w.c, w.p_main, w.r4.token,
	                   "{\"title\":\"T\",\"body\":\"B\"}"),
	        403, NULL);
	ct_unblock(w.c, w.mod.token, w.r4.id);
	ct_support(w.c, s, w.r4.token, 201);
}

/* ---- the list ---- */

static void
test_list_filters(void **state)
{
	char pid[40], f1[40], f2[40], f3[40], f4[40], f5[40];
	char q[320], enc[256];

	(void)state;
	ct_process_new(w.c, NULL, NULL, pid);
	json_decref(ct_proposal_new(w.c, pid, &w.r1,
	        "Planter des arbres rue Victor-Hugo", "Pour l'ombre en été",
	        "\"category\":\"voirie\",\"area\":\"centre\"", f1));
	json_decref(ct_proposal_new(w.c, pid, &w.r2, "Rénover l'école Ferry",
	        "La cour de l'école est vétuste",
	        "\"category\":\"ecoles\",\"area\":\"nord\"", f2));
	json_decref(ct_proposal_new(w.c, pid, &w.r1, "Piste cyclable",
	        "Du centre à la gare", NULL, f3));
	json_decref(ct_json(
	        answer(f3, w.mod.token, "{\"state\":\"evaluating\"}"), 200));
	json_decref(ct_proposal_new(
	        w.c, pid, &w.r3, "Banc public", "Près du marché", NULL, f4));
	json_decref(ct_json(withdraw(f4, w.r3.token), 200));
	json_decref(ct_proposal_new(w.c, pid, &w.r1, "Brouillon secret",
	        "Des arbres aussi", "\"status\":\"draft\"", f5));

	/* state */
	expect_set(pid, "", NULL, f1, f2, f3, NULL);
	expect_set(pid, "", w.r1.token, f1, f2, f3, NULL);
	expect_set(pid, "state=published", NULL, f1, f2, NULL);
	expect_set(pid, "state=evaluating", NULL, f3, NULL);
	expect_set(pid, "state=withdrawn", NULL, f4, NULL);
	expect_set(pid, "state=accepted", NULL, NULL);
	/* category, area */
	expect_set(pid, "category=voirie", NULL, f1, NULL);
	expect_set(pid, "category=ecoles", w.r2.token, f2, NULL);
	expect_set(pid, "category=voirie&state=evaluating", NULL, NULL);
	expect_set(pid, "area=centre", NULL, f1, NULL);
	expect_set(pid, "area=nord", NULL, f2, NULL);
	expect_set(pid, "area=nord&category=voirie", NULL, NULL);
	/* author */
	expect_set(pid, ct_fmt("author=%s", w.r1.id), NULL, f1, f3, NULL);
	expect_set(pid, "author=me", w.r1.token, f1, f3, NULL);
	expect_set(pid, "author=me", w.r2.token, f2, NULL);
	expect_set(pid, "author=me&state=draft", w.r1.token, f5, NULL);
	expect_set(pid, ct_fmt("author=%s&state=withdrawn", w.r3.id), NULL, f4,
	        NULL);
	expect_set(pid, ct_fmt("author=%s", w.r4.id), NULL, NULL);

	/* French full-text search: stemming, case, accents */
#define Q(text, ...)                                                           \
	do {                                                                   \
		http_pct_encode((text), enc, sizeof(enc));                     \
		snprintf(q, sizeof(q), "q=%s", enc);                           \
		expect_set(pid, q, NULL, __VA_ARGS__);                         \
	} while (0)
	Q("arbre", f1, NULL);      /* "arbres" */
	Q("ARBRES", f1, NULL);     /* case */
	Q("planté", f1, NULL);     /* "Planter" */
	Q("école", f2, NULL);      /* accents */
	Q("écoles", f2, NULL);     /* plural with accents */
	Q("ecole", f2, NULL);      /* typed without accents */
	Q("renovation", f2, NULL); /* without accents, stemmed */
	Q("rénovation", f2, NULL); /* "Rénover" */
	Q("vétustes", f2, NULL);   /* in the body */
	Q("cyclables", f3, NULL);
	Q("arbre école", NULL); /* websearch: both words */
	Q("arbre or école", f1, f2, NULL);
	Q("école -cour", NULL);
	Q("\"cour de l'école\"", f2, NULL);
	Q("dinosaure", NULL);
	Q("marché", NULL); /* withdrawn: not by default */
#undef Q
	http_pct_encode("marché", enc, sizeof(enc));
	expect_set(pid, ct_fmt("q=%s&state=withdrawn", enc), NULL, f4, NULL);
	expect_set(pid, "q=cyclable&state=evaluating", NULL, f3, NULL);
	expect_set(pid, "q=cyclable&state=published", NULL, NULL);
	expect_set(pid, "q=arbre&author=me&state=draft", w.r1.token, f5, NULL);
	expect_set(pid, "q=arbre&category=voirie&area=centre", NULL, f1, NULL);
	/* the list is per process */
	{
		json_t *all = list_all(w.p_main, "", NULL);

		check(ct_find(all, "id", f1) == NULL,
		        "another process lists f1");
		json_decref(all);
	}
}

/* The order of ids in a list. */
static void
ids_of(json_t *list, char out[][40], size_t max)
{
	size_t i;

	for (i = 0; i < json_array_size(list) && i < max; i++)
		snprintf(out[i], 40, "%s",
		        id_str(json_array_get(list, i), "id"));
}

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

#define NSORT 7

static void
test_sorts_paging(void **state)
{
	static const char *sorts[] = {"sort=recent", "sort=supports",
	        "sort=comments", "sort=random&seed=alpha",
	        "sort=random&seed=", ""};
	char pid[40], p[NSORT][40];
	size_t s;
	int i, k;

	(void)state;
	ct_process_new(w.c, NULL, NULL, pid);
	for (i = 0; i < NSORT; i++)
		json_decref(ct_proposal_new(w.c, pid, &w.r1,
		        ct_fmt("Idée %d", i), "b", NULL, p[i]));
	/* supports 3 2 2 1 1 0 0 */
	ct_support(w.c, p[0], w.r1.token, 201);
	for (i = 0; i <= 4; i++)
		ct_support(w.c, p[i], w.r2.token, 201);
	for (i = 0; i <= 2; i++)
		ct_support(w.c, p[i], w.r3.token, 201);
	/* comments 0 0 0 1 0 2 3 */
	for (k = 0; k < 3; k++)
		json_decref(ct_comment_new(w.c, ct_fmt("proposals/%s", p[6]),
		        w.r2.token, "Oui", NULL, NULL));
	for (k = 0; k < 2; k++)
		json_decref(ct_comment_new(w.c, ct_fmt("proposals/%s", p[5]),
		        w.r3.token, "Bof", NULL, NULL));
	json_decref(ct_comment_new(w.c, ct_fmt("proposals/%s", p[3]),
	        w.r2.token, "Non", NULL, NULL));

	for (s = 0; s < sizeof(sorts) / sizeof(sorts[0]); s++) {
		json_t *full =
		        ct_get(list_path(pid, ct_fmt("%s%slimit=100", sorts[s],
		                                      *sorts[s] ? "&" : "")),
		                w.r2.token);
		json_t *again =
		        ct_get(list_path(pid, ct_fmt("%s%slimit=100", sorts[s],
		                                      *sorts[s] ? "&" : "")),
		                w.r2.token);
		int lim;

		check(json_array_size(full) == NSORT, "%s: %zu items", sorts[s],
		        json_array_size(full));
		check(same_ids(full, again), "%s: two reads differ", sorts[s]);
		json_decref(again);
		for (i = 0; i < NSORT; i++)
			check(ct_count(full, "id", p[i]) == 1,
			        "%s: proposal %d listed %zu times", sorts[s], i,
			        ct_count(full, "id", p[i]));
		/* every page size walks the same list, no duplicates */
		for (lim = 1; lim <= 4; lim++) {
			json_t *paged = id_list_all(
			        list_path(pid,
			                ct_fmt("%s%slimit=%d", sorts[s],
			                        *sorts[s] ? "&" : "", lim)),
			        w.r2.token, lim);

			if (!same_ids(paged, full)) {
				char *a = json_dumps(paged, JSON_COMPACT);

				print_error("paged: %.3000s\n", a);
				free(a);
			}
			check(same_ids(paged, full),
			        "%s with limit=%d: pages differ from one read",
			        sorts[s], lim);
			json_decref(paged);
		}
		/* the order itself */
		for (i = 1; i < NSORT; i++) {
			json_t *x = json_array_get(full, (size_t)i - 1);
			json_t *y = json_array_get(full, (size_t)i);
			const char *key = NULL;

			if (strcmp(sorts[s], "sort=supports") == 0)
				key = "supports";
			else if (strcmp(sorts[s], "sort=comments") == 0)
				key = "comments";
			if (key != NULL) {
				check(ct_int(x, key) > ct_int(y, key) ||
				                (ct_int(x, key) ==
				                                ct_int(y,
				                                        key) &&
				                        strcmp(id_str(x, "id"),
				                                id_str(y,
				                                        "id")) >
				                                0),
				        "%s: %d before %d out of order",
				        sorts[s], i - 1, i);
			} else if (strcmp(sorts[s], "sort=recent") == 0 ||
			           *sorts[s] == '\0') {
				check(strcmp(id_str(x, "published_at"),
				              id_str(y, "published_at")) > 0,
				        "%s: not newest first at %d", sorts[s],
				        i);
			}
		}
		if (*sorts[s] == '\0' || strcmp(sorts[s], "sort=recent") == 0) {
			/* newest first: the reverse of creation */
			for (i = 0; i < NSORT; i++)
				check(strcmp(id_str(json_array_get(
				                            full, (size_t)i),
				                     "id"),
				              p[NSORT - 1 - i]) == 0,
				        "recent: %d is not the %dth newest", i,
				        i + 1);
		}
		if (strcmp(sorts[s], "sort=supports") == 0) {
			json_t *x = json_array_get(full, 0);

			check(strcmp(id_str(x, "id"), p[0]) == 0 &&
			                ct_int(x, "supports") == 3,
			        "supports: the first is not the most "
			        "supported");
		}
		if (strcmp(sorts[s], "sort=comments") == 0) {
			check(strcmp(id_str(json_array_get(full, 0), "id"),
			              p[6]) == 0 &&
			                strcmp(id_str(json_array_get(full, 1),
			                               "id"),
			                        p[5]) == 0 &&
			                strcmp(id_str(json_array_get(full, 2),
			                               "id"),
			                        p[3]) == 0,
			        "comments: not 6, 5, 3 first");
		}
		json_decref(full);
	}
	/* random: the seed decides; another seed gives another order */
	{
		static const char *seeds[] = {"beta", "gamma", "delta", "eps"};
		json_t *a =
		        ct_get(list_path(pid, "sort=random&seed=alpha"), NULL);
		json_t *a2 = ct_get(
		        list_path(pid, "sort=random&seed=alpha"), w.r3.token);
		int differs = 0;
		char ida[NSORT][40];

		check(same_ids(a, a2),
		        "the same seed gives another order to another reader");
		ids_of(a, ida, NSORT);
		for (s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++) {
			json_t *b = ct_get(
			        list_path(pid, ct_fmt("sort=random&seed=%s",
			                               seeds[s])),
			        NULL);

			differs |= !same_ids(a, b);
			json_decref(b);
		}
		check(differs, "five seeds, one order");
		json_decref(a);
		json_decref(a2);
	}
	/* a filter is kept in the next links */
	{
		json_t *paged = id_list_all(
		        list_path(pid, "sort=supports&state=published&limit=1"),
		        NULL, 1);

		check(json_array_size(paged) == NSORT,
		        "state=published paged: %zu", json_array_size(paged));
		json_decref(paged);
		paged = id_list_all(
		        list_path(pid, ct_fmt("sort=supports&author="
		                              "%s&limit=1",
		                               w.r1.id)),
		        NULL, 1);
		check(json_array_size(paged) == NSORT, "author paged: %zu",
		        json_array_size(paged));
		json_decref(paged);
		paged = id_list_all(list_path(pid, "q=id%C3%A9e&sort=comments&"
		                                   "limit=3"),
		        NULL, 3);
		check(json_array_size(paged) == NSORT, "q paged: %zu",
		        json_array_size(paged));
		json_decref(paged);
	}
}

static void
test_list_refused(void **state)
{
	static const struct {
		const char *query, *field;
	} bads[] = {
	        {"sort=bogus", "sort"},
	        {"sort=", "sort"},
	        {"sort=RECENT", "sort"},
	        {"state=bogus", "state"},
	        {"state=hidden", "state"},
	        {"author=someone", "author"},
	        {"author=", "author"},
	        {"area=nowhere", "area"},
	        {"after=garbage", "after"},
	        {"after=", "after"},
	        {"sort=supports&after=abc_0b0b0b0b-0000-4000-8000-000000000000",
	                "after"},
	        {"sort=supports&after=99999999999_0b0b0b0b-0000-4000-8000-"
	         "000000000000",
	                "after"},
	        {"sort=comments&after=1_notauuid", "after"},
	        {"sort=recent&after=yesterday_0b0b0b0b-0000-4000-8000-"
	         "000000000000",
	                "after"},
	        {"sort=random&seed=x&after=abc", "after"},
	        {"limit=0", "limit"},
	        {"limit=101", "limit"},
	        {"limit=two", "limit"},
	};
	char pid[40], big[400];
	size_t i;

	(void)state;
	ct_process_new(w.c, NULL, NULL, pid);
	json_decref(ct_proposal_new(w.c, pid, &w.r1, "Une", "b", NULL, NULL));
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		struct http_resp *r = id_call("GET",
		        list_path(pid, bads[i].query), w.r1.token, NULL, NULL);

		if (r == NULL || r->status != 422)
			fprintf(stderr, "  ?%s\n", bads[i].query);
		ct_problem(r, 422, bads[i].field);
	}
	memset(big, 'a', 250);
	big[250] = '\0';
	ct_problem(id_call("GET", list_path(pid, ct_fmt("q=%s", big)), NULL,
	                   NULL, NULL),
	        422, "q");
	ct_problem(id_call("GET", list_path(pid, "author=me&q=%ZZ"), w.r1.token,
	                   NULL, NULL),
	        400, NULL);
	ct_problem(
	        id_call("GET", list_path(pid, "state=%ZZ"), NULL, NULL, NULL),
	        400, NULL);
	/* the server is still there (a refused filter once freed the
	   request's memory before it was done with it) */
	json_decref(ct_get(list_path(pid, NULL), NULL));
	/* the last page has no Link */
	{
		struct http_resp *r =
		        id_call("GET", list_path(pid, "sort=supports&limit=1"),
		                NULL, NULL, NULL);

		json_decref(id_json(r, 200));
		check(http_resp_header(r, "link") == NULL,
		        "a Link on the last page");
		http_resp_free(r);
	}
	/* unknown processes */
	ct_problem(
	        id_call("GET",
	                list_path("0b0b0b0b-0000-4000-8000-000000000000", NULL),
	                NULL, NULL, NULL),
	        404, NULL);
	ct_problem(id_call("GET", list_path("x", NULL), NULL, NULL, NULL), 404,
	        NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_create),
	        cmocka_unit_test(test_create_refused),
	        cmocka_unit_test(test_outside_phase),
	        cmocka_unit_test(test_drafts),
	        cmocka_unit_test(test_edit),
	        cmocka_unit_test(test_withdraw),
	        cmocka_unit_test(test_answers),
	        cmocka_unit_test(test_supports),
	        cmocka_unit_test(test_support_limit),
	        cmocka_unit_test(test_blocked),
	        cmocka_unit_test(test_list_filters),
	        cmocka_unit_test(test_sorts_paging),
	        cmocka_unit_test(test_list_refused),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
