/*
 * test_moderation.c - moderation (docs/proposals.md): the report
 * threshold setting, reports, items hidden automatically at the
 * threshold (gone for the public, flagged for staff), the moderation
 * queue, hiding with a reason and restoring (both resolve the reports),
 * blocks (what a blocked participant can no longer do), and the audit
 * log of every act.
 *
 * The tests share one collectivity and build on each other in order: the
 * threshold set first is used after; the queue holds what the report
 * tests left; the audit test looks for everything done before it.
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
	char c[64], d[64];             /* d: another collectivity */
	struct id_user r1, r2, r3, r4; /* verified residents of c */
	struct id_user rb;             /* resident of c, blocked later */
	struct id_user mod, adm;       /* moderator, admin of c */
	struct id_user out;            /* no tie to c */
	char pid[40], d_pid[40];
	char d_prop[40], d_comment[40]; /* d's */
	/* left by the tests for those after them */
	char p1[40];          /* reported once (spam) by r2 */
	char c1[40];          /* a comment reported once by r2 */
	char p2[40];          /* hidden automatically */
	char p3[40];          /* its comment c2 hidden automatically */
	char c2[40], c2r[40]; /* c2 and its reply */
	char answered[40];    /* answered by the moderator */
} w;

static int
group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	id_collectivity_new("moder", "commune", NULL, w.c);
	id_collectivity_new("moder-other", "commune", NULL, w.d);
	id_member_new(&w.r1, "moder-r1", w.c, "resident");
	id_member_new(&w.r2, "moder-r2", w.c, "resident");
	id_member_new(&w.r3, "moder-r3", w.c, "resident");
	id_member_new(&w.r4, "moder-r4", w.c, "resident");
	id_member_new(&w.rb, "moder-rb", w.c, "resident");
	id_member_new(&w.mod, "moder-mod", w.c, "moderator");
	id_member_new(&w.adm, "moder-adm", w.c, "admin");
	id_user_new(&w.out, "moder-out", ID_ADULT, 0);
	ct_process_new(w.c, NULL, NULL, w.pid);
	/* d: anyone signed in may propose and comment there */
	ct_process_new(w.d, NULL,
	        "\"rules\":{\"propose\":{\"who\":\"any\"},"
	        "\"comment\":{\"who\":\"any\"}}",
	        w.d_pid);
	json_decref(ct_proposal_new(
	        w.d, w.d_pid, &w.out, "Ailleurs", "b", NULL, w.d_prop));
	json_decref(ct_comment_new(w.d, ct_fmt("proposals/%s", w.d_prop),
	        w.out.token, "Ailleurs", NULL, w.d_comment));
	return 0;
}

/* ---- helpers ---- */

static const char *
on(const char *proposal)
{
	return ct_fmt("proposals/%s", proposal);
}

static struct http_resp *
hide(const char *type, const char *id, const char *token, const char *json)
{
	return id_call(json != NULL ? "POST" : "DELETE",
	        ct_path(w.c, "/%s/%s/hidden", type, id), token, NULL, json);
}

static struct http_resp *
settings(const char *token, const char *json)
{
	return id_call("PATCH", ct_path(w.c, "/moderation"), token, NULL, json);
}

static json_t *
queue(const char *token)
{
	return id_list_all(
	        ct_path(w.c, "/moderation/queue?limit=100"), token, 100);
}

static long long
comment_count(const char *id)
{
	json_t *j = ct_proposal_get(w.c, id, w.mod.token);
	long long n = ct_int(j, "comments");

	json_decref(j);
	return n;
}

static int
listed(const char *id, const char *token)
{
	json_t *all = id_list_all(
	        ct_path(w.c, "/processes/%s/proposals?limit=100", w.pid), token,
	        100);
	json_t *e = ct_find(all, "id", id);
	int hidden = e != NULL && json_is_true(json_object_get(e, "hidden"));
	int r = e == NULL ? 0 : hidden ? 2 : 1;

	json_decref(all);
	return r; /* 0 absent, 1 listed, 2 listed and flagged hidden */
}

/* 0 absent, 1 in the thread, 2 in it and flagged hidden */
static int
in_thread(const char *proposal, const char *id, const char *token)
{
	json_t *t = ct_get(
	        ct_path(w.c, "/%s/comments?limit=100", on(proposal)), token);
	json_t *e = ct_find(t, "id", id);
	int r = e == NULL                                    ? 0
	        : json_is_true(json_object_get(e, "hidden")) ? 2
	                                                     : 1;

	json_decref(t);
	return r;
}

/* ---- the threshold ---- */

static void
test_settings(void **state)
{
	json_t *j;

	(void)state;
	ct_problem(
	        settings(w.mod.token, "{\"report_threshold\":1}"), 403, NULL);
	ct_problem(settings(w.r1.token, "{\"report_threshold\":1}"), 403, NULL);
	ct_problem(
	        settings(w.out.token, "{\"report_threshold\":1}"), 404, NULL);
	ct_problem(settings(NULL, "{\"report_threshold\":1}"), 401, NULL);
	ct_problem(settings(w.adm.token, "{\"report_threshold\":0}"), 422,
	        "report_threshold");
	ct_problem(settings(w.adm.token, "{\"report_threshold\":1001}"), 422,
	        "report_threshold");
	ct_problem(settings(w.adm.token, "{\"report_threshold\":\"2\"}"), 422,
	        "report_threshold");
	ct_problem(settings(w.adm.token, "{}"), 422, "report_threshold");
	ct_problem(settings(w.adm.token, "{\"report_threshold\":2,\"x\":1}"),
	        422, "x");
	j = ct_json(
	        settings(http_admin_token(), "{\"report_threshold\":5}"), 200);
	check(ct_int(j, "report_threshold") == 5, "threshold %lld",
	        ct_int(j, "report_threshold"));
	json_decref(j);
	j = ct_json(settings(w.adm.token, "{\"report_threshold\":2}"), 200);
	check(ct_int(j, "report_threshold") == 2, "threshold %lld",
	        ct_int(j, "report_threshold"));
	json_decref(j);
}

/* ---- reports ---- */

static void
test_reports(void **state)
{
	char body[512];
	json_t *j;

	(void)state;
	json_decref(ct_proposal_new(
	        w.c, w.pid, &w.r1, "Signalée une fois", "b", NULL, w.p1));
	json_decref(ct_comment_new(
	        w.c, on(w.p1), w.r3.token, "Commentaire", NULL, w.c1));
	j = ct_report(w.c, w.r2.token, "proposal", w.p1, "spam", 201);
	check(strcmp(id_str(j, "target_type"), "proposal") == 0 &&
	                strcmp(id_str(j, "target_id"), w.p1) == 0 &&
	                strcmp(id_str(j, "reason"), "spam") == 0 &&
	                json_is_null(json_object_get(j, "note")) &&
	                strlen(id_str(j, "id")) == 36 &&
	                strlen(id_str(j, "created_at")) > 0 &&
	                json_is_false(json_object_get(j, "hidden")),
	        "report: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* once per reporter and item, whatever the reason */
	ct_report(w.c, w.r2.token, "proposal", w.p1, "spam", 409);
	ct_report(w.c, w.r2.token, "proposal", w.p1, "offensive", 409);
	/* a comment, with a note */
	snprintf(body, sizeof(body),
	        "{\"target_type\":\"comment\",\"target_id\":\"%s\","
	        "\"reason\":\"personal_data\",\"note\":\"mon adresse\"}",
	        w.c1);
	j = ct_json(id_call("POST", ct_path(w.c, "/reports"), w.r2.token, NULL,
	                    body),
	        201);
	check(strcmp(id_str(j, "target_type"), "comment") == 0 &&
	                strcmp(id_str(j, "note"), "mon adresse") == 0 &&
	                strcmp(id_str(j, "reason"), "personal_data") == 0,
	        "comment report: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* refused */
	ct_report(w.c, w.r3.token, "proposal", w.p1, "boring", 422);
	ct_problem(id_call("POST", ct_path(w.c, "/reports"), w.r3.token, NULL,
	                   ct_fmt("{\"target_type\":\"proposal\",\"target_id\":"
	                          "\"%s\",\"reason\":\"boring\"}",
	                           w.p1)),
	        422, "reason");
	ct_problem(id_call("POST", ct_path(w.c, "/reports"), w.r3.token, NULL,
	                   ct_fmt("{\"target_type\":\"process\",\"target_id\":"
	                          "\"%s\",\"reason\":\"spam\"}",
	                           w.pid)),
	        422, "target_type");
	ct_problem(
	        id_call("POST", ct_path(w.c, "/reports"), w.r3.token, NULL,
	                "{\"target_type\":\"proposal\",\"reason\":\"spam\"}"),
	        422, "target_id");
	ct_problem(id_call("POST", ct_path(w.c, "/reports"), w.r3.token, NULL,
	                   ct_fmt("{\"target_type\":\"proposal\",\"target_id\":"
	                          "\"%s\"}",
	                           w.p1)),
	        422, "reason");
	/* unknown items, items of another collectivity, wrong types */
	ct_report(w.c, w.r3.token, "proposal",
	        "0b0b0b0b-0000-4000-8000-000000000000", "spam", 404);
	ct_report(w.c, w.r3.token, "comment",
	        "0b0b0b0b-0000-4000-8000-000000000000", "spam", 404);
	ct_report(w.c, w.r3.token, "proposal", "nope", "spam", 404);
	ct_report(w.c, w.r3.token, "proposal", w.d_prop, "spam", 404);
	ct_report(w.c, w.r3.token, "comment", w.d_comment, "spam", 404);
	ct_report(w.c, w.r3.token, "comment", w.p1, "spam", 404);
	ct_report(w.c, w.r3.token, "proposal", w.c1, "spam", 404);
	/* signed in only; anyone signed in, member or not */
	ct_report(w.c, NULL, "proposal", w.p1, "spam", 401);
	/* refused reports hid nothing */
	j = ct_proposal_get(w.c, w.p1, NULL);
	check(json_is_false(json_object_get(j, "hidden")), "p1 hidden");
	json_decref(j);
}

/* ---- hidden automatically ---- */

static void
test_auto_hide(void **state)
{
	char other[40];
	json_t *j;

	(void)state;
	json_decref(ct_proposal_new(
	        w.c, w.pid, &w.r1, "À cacher", "b", NULL, w.p2));
	j = ct_report(w.c, w.r3.token, "proposal", w.p2, "spam", 201);
	check(json_is_false(json_object_get(j, "hidden")),
	        "hidden below the threshold");
	json_decref(j);
	check(listed(w.p2, NULL) == 1, "p2 not listed");
	/* the second distinct report reaches the threshold (2) */
	j = ct_report(w.c, w.out.token, "proposal", w.p2, "offensive", 201);
	check(json_is_true(json_object_get(j, "hidden")),
	        "not hidden at the threshold: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* gone for the public */
	ct_problem(id_call("GET", ct_path(w.c, "/proposals/%s", w.p2), NULL,
	                   NULL, NULL),
	        404, NULL);
	ct_problem(id_call("GET", ct_path(w.c, "/proposals/%s", w.p2),
	                   w.r2.token, NULL, NULL),
	        404, NULL);
	check(listed(w.p2, NULL) == 0, "hidden p2 listed to the public");
	check(listed(w.p2, w.r2.token) == 0, "hidden p2 listed to r2");
	ct_problem(id_call("PUT", ct_path(w.c, "/proposals/%s/support", w.p2),
	                   w.r2.token, NULL, NULL),
	        404, NULL);
	ct_problem(ct_comment_post(w.c, on(w.p2), w.r2.token, "x", NULL, NULL),
	        404, NULL);
	ct_report(w.c, w.r4.token, "proposal", w.p2, "spam", 404);
	/* staff see it flagged; so does its author */
	j = ct_proposal_get(w.c, w.p2, w.mod.token);
	check(json_is_true(json_object_get(j, "hidden")), "staff: not flagged");
	json_decref(j);
	j = ct_proposal_get(w.c, w.p2, w.r1.token);
	check(json_is_true(json_object_get(j, "hidden")),
	        "author: not flagged");
	json_decref(j);
	check(listed(w.p2, w.mod.token) == 2, "staff list: not flagged");
	check(listed(w.p2, w.adm.token) == 2, "admin list: not flagged");
	/* the author cannot support or comment a hidden proposal */
	ct_problem(ct_comment_post(w.c, on(w.p2), w.r1.token, "x", NULL, NULL),
	        409, NULL);

	/* a comment at the threshold: it and its reply leave the thread
	   and the count */
	json_decref(ct_proposal_new(
	        w.c, w.pid, &w.r1, "Fil signalé", "b", NULL, w.p3));
	json_decref(ct_comment_new(
	        w.c, on(w.p3), w.r2.token, "Insultant", NULL, w.c2));
	json_decref(ct_comment_new(
	        w.c, on(w.p3), w.r3.token, "Réponse", w.c2, w.c2r));
	json_decref(ct_comment_new(
	        w.c, on(w.p3), w.r3.token, "Autre", NULL, other));
	check(comment_count(w.p3) == 3, "count %lld", comment_count(w.p3));
	json_decref(
	        ct_report(w.c, w.r1.token, "comment", w.c2, "offensive", 201));
	check(in_thread(w.p3, w.c2, NULL) == 1, "c2 hidden too early");
	j = ct_report(w.c, w.r4.token, "comment", w.c2, "spam", 201);
	check(json_is_true(json_object_get(j, "hidden")), "c2 not hidden");
	json_decref(j);
	check(in_thread(w.p3, w.c2, NULL) == 0 &&
	                in_thread(w.p3, w.c2r, NULL) == 0 &&
	                in_thread(w.p3, other, NULL) == 1,
	        "the public thread still shows c2 or its reply");
	check(in_thread(w.p3, w.c2, w.r4.token) == 0,
	        "a resident's thread still shows c2");
	check(in_thread(w.p3, w.c2, w.mod.token) == 2 &&
	                in_thread(w.p3, w.c2r, w.mod.token) == 1,
	        "the staff thread does not flag c2");
	check(comment_count(w.p3) == 1, "count after the auto hide %lld",
	        comment_count(w.p3));
	{
		json_t *l = ct_get(ct_path(w.c,
		                           "/processes/%s/proposals?sort="
		                           "comments&limit=100",
		                           w.pid),
		        NULL);

		check(ct_int(ct_find(l, "id", w.p3), "comments") == 1,
		        "the list counts the hidden comment");
		json_decref(l);
	}
	/* a hidden comment takes no votes or replies */
	ct_problem(id_call("POST", ct_path(w.c, "/comments/%s/vote", w.c2),
	                   w.r3.token, NULL, "{\"value\":1}"),
	        404, NULL);
	ct_problem(ct_comment_post(w.c, on(w.p3), w.r3.token, "x", w.c2, NULL),
	        404, NULL);
}

/* ---- the queue, hide and restore ---- */

static void
test_queue(void **state)
{
	json_t *q, *e, *reasons, *paged;
	size_t i;

	(void)state;
	/* moderators and admins only */
	ct_problem(id_call("GET", ct_path(w.c, "/moderation/queue"), w.r1.token,
	                   NULL, NULL),
	        403, NULL);
	ct_problem(id_call("GET", ct_path(w.c, "/moderation/queue"),
	                   w.out.token, NULL, NULL),
	        404, NULL);
	ct_problem(id_call("GET", ct_path(w.c, "/moderation/queue"), NULL, NULL,
	                   NULL),
	        401, NULL);
	q = queue(w.mod.token);
	check(json_array_size(q) == 4, "queue of %zu items, want 4: %s",
	        json_array_size(q), json_dumps(q, JSON_COMPACT));
	e = ct_find(q, "target_id", w.p2);
	reasons = json_object_get(e, "reasons");
	check(e != NULL && strcmp(id_str(e, "target_type"), "proposal") == 0 &&
	                ct_int(e, "open_reports") == 2 &&
	                ct_int(reasons, "spam") == 1 &&
	                ct_int(reasons, "offensive") == 1 &&
	                json_object_size(reasons) == 2 &&
	                json_is_true(json_object_get(e, "hidden")) &&
	                strcmp(id_str(e, "excerpt"), "À cacher") == 0,
	        "p2 in the queue: %s", json_dumps(e, JSON_COMPACT));
	e = ct_find(q, "target_id", w.c2);
	check(e != NULL && strcmp(id_str(e, "target_type"), "comment") == 0 &&
	                ct_int(e, "open_reports") == 2 &&
	                json_is_true(json_object_get(e, "hidden")) &&
	                strcmp(id_str(e, "excerpt"), "Insultant") == 0,
	        "c2 in the queue: %s", json_dumps(e, JSON_COMPACT));
	e = ct_find(q, "target_id", w.p1);
	check(e != NULL && ct_int(e, "open_reports") == 1 &&
	                json_is_false(json_object_get(e, "hidden")) &&
	                ct_int(json_object_get(e, "reasons"), "spam") == 1,
	        "p1 in the queue: %s", json_dumps(e, JSON_COMPACT));
	check(ct_find(q, "target_id", w.c1) != NULL, "c1 not in the queue");
	/* oldest first */
	for (i = 1; i < json_array_size(q); i++)
		check(strcmp(id_str(json_array_get(q, i - 1),
		                     "first_reported_at"),
		              id_str(json_array_get(q, i),
		                      "first_reported_at")) <= 0,
		        "queue not oldest first at %zu", i);
	check(strcmp(id_str(json_array_get(q, 0), "target_id"), w.p1) == 0,
	        "the oldest report is not first");
	/* pages */
	paged = id_list_all(
	        ct_path(w.c, "/moderation/queue?limit=1"), w.adm.token, 1);
	check(json_equal(paged, q), "the queue's pages differ from one read");
	json_decref(paged);
	ct_problem(id_call("GET", ct_path(w.c, "/moderation/queue?after=x"),
	                   w.mod.token, NULL, NULL),
	        422, "after");
	json_decref(q);

	/* hiding needs a reason, and the role */
	ct_problem(hide("proposals", w.p1, w.mod.token, "{}"), 422, "reason");
	ct_problem(hide("proposals", w.p1, w.mod.token, "{\"reason\":\"\"}"),
	        422, "reason");
	ct_problem(hide("proposals", w.p1, w.mod.token, "{\"reason\":null}"),
	        422, "reason");
	ct_problem(hide("comments", w.c1, w.mod.token, "{}"), 422, "reason");
	ct_problem(hide("proposals", w.p1, w.r2.token, "{\"reason\":\"x\"}"),
	        403, NULL);
	ct_problem(hide("proposals", w.p1, w.r1.token, "{\"reason\":\"x\"}"),
	        403, NULL);
	ct_problem(hide("proposals", w.p1, w.out.token, "{\"reason\":\"x\"}"),
	        404, NULL);
	ct_problem(
	        hide("proposals", w.p1, NULL, "{\"reason\":\"x\"}"), 401, NULL);
	ct_problem(hide("proposals", w.p2, w.r2.token, NULL), 404, NULL);
	ct_problem(hide("proposals", w.p1, w.r2.token, NULL), 403, NULL);
	ct_problem(hide("comments", w.c1, w.r2.token, NULL), 403, NULL);
	ct_problem(hide("proposals", "0b0b0b0b-0000-4000-8000-000000000000",
	                   w.mod.token, "{\"reason\":\"x\"}"),
	        404, NULL);
	ct_problem(hide("comments", w.d_comment, w.mod.token,
	                   "{\"reason\":\"x\"}"),
	        404, NULL);
	check(listed(w.p1, NULL) == 1, "a refused hide hid p1");

	/* hide p1 with a reason: it leaves the queue */
	ct_empty(hide("proposals", w.p1, w.mod.token,
	                 "{\"reason\":\"publicité\"}"),
	        204);
	check(listed(w.p1, NULL) == 0 && listed(w.p1, w.mod.token) == 2,
	        "p1 after the hide");
	ct_problem(id_call("GET", ct_path(w.c, "/proposals/%s", w.p1), NULL,
	                   NULL, NULL),
	        404, NULL);
	/* restore p2 and c2: they leave the queue, and are back */
	ct_empty(hide("proposals", w.p2, w.mod.token, NULL), 204);
	check(listed(w.p2, NULL) == 1, "p2 not back after the restore");
	json_decref(ct_proposal_get(w.c, w.p2, NULL));
	ct_empty(hide("comments", w.c2, w.adm.token, NULL), 204);
	check(in_thread(w.p3, w.c2, NULL) == 1 &&
	                in_thread(w.p3, w.c2r, NULL) == 1,
	        "c2 and its reply not back after the restore");
	check(comment_count(w.p3) == 3, "count after the restore %lld",
	        comment_count(w.p3));
	q = queue(w.mod.token);
	check(json_array_size(q) == 1 && ct_find(q, "target_id", w.c1) != NULL,
	        "the queue after hide and restores: %s",
	        json_dumps(q, JSON_COMPACT));
	json_decref(q);
	/* hide and restore c1: resolved too; the queue is empty */
	ct_empty(
	        hide("comments", w.c1, w.mod.token, "{\"reason\":\"adresse\"}"),
	        204);
	check(in_thread(w.p1, w.c1, w.mod.token) == 2, "c1 not flagged");
	ct_empty(hide("comments", w.c1, w.mod.token, NULL), 204);
	q = queue(w.mod.token);
	check(json_array_size(q) == 0, "the queue is not empty: %s",
	        json_dumps(q, JSON_COMPACT));
	json_decref(q);
	/* resolved reports count no more: a new one starts afresh, and the
	   same reporter cannot report again */
	ct_report(w.c, w.r3.token, "proposal", w.p2, "spam", 409);
	{
		json_t *j = ct_report(
		        w.c, w.r2.token, "proposal", w.p2, "off_topic", 201);

		check(json_is_false(json_object_get(j, "hidden")),
		        "hidden again with one open report");
		json_decref(j);
	}
	q = queue(w.mod.token);
	check(json_array_size(q) == 1 &&
	                ct_int(json_array_get(q, 0), "open_reports") == 1,
	        "the queue after a new report: %s",
	        json_dumps(q, JSON_COMPACT));
	json_decref(q);
	ct_empty(hide("proposals", w.p2, w.mod.token, NULL), 204);
}

/* ---- blocks ---- */

static void
test_blocks(void **state)
{
	char p[40], own[40], cm[40], qid[40], body[512];
	json_t *j, *list;

	(void)state;
	/* what rb made before the block */
	json_decref(
	        ct_proposal_new(w.c, w.pid, &w.r1, "Pour tous", "b", NULL, p));
	json_decref(ct_proposal_new(w.c, w.pid, &w.rb, "La mienne", "b",
	        "\"status\":\"draft\"", own));
	json_decref(
	        ct_comment_new(w.c, on(p), w.r2.token, "À voter", NULL, cm));
	j = ct_json(id_call("POST",
	                    ct_path(w.c, "/processes/%s/consultations", w.pid),
	                    http_admin_token(), NULL,
	                    "{\"phase\":\"proposals\",\"title\":\"Avis\","
	                    "\"questions\":[{\"id\":\"q1\",\"type\":"
	                    "\"single_choice\",\"title\":\"Q\",\"options\":["
	                    "{\"id\":\"a\",\"label\":\"A\"},{\"id\":\"b\","
	                    "\"label\":\"B\"}]}]}"),
	        201);
	snprintf(qid, sizeof(qid), "%s", id_str(j, "id"));
	json_decref(j);

	/* block: moderators, with a reason; 201 then 200 */
	ct_problem(id_call("POST", ct_path(w.c, "/blocks"), w.r2.token, NULL,
	                   ct_fmt("{\"account_id\":\"%s\",\"reason\":\"x\"}",
	                           w.rb.id)),
	        403, NULL);
	ct_problem(id_call("POST", ct_path(w.c, "/blocks"), NULL, NULL,
	                   ct_fmt("{\"account_id\":\"%s\",\"reason\":\"x\"}",
	                           w.rb.id)),
	        401, NULL);
	ct_problem(id_call("POST", ct_path(w.c, "/blocks"), w.mod.token, NULL,
	                   ct_fmt("{\"account_id\":\"%s\"}", w.rb.id)),
	        422, "reason");
	ct_problem(id_call("POST", ct_path(w.c, "/blocks"), w.mod.token, NULL,
	                   ct_fmt("{\"account_id\":\"%s\",\"reason\":\"\"}",
	                           w.rb.id)),
	        422, "reason");
	j = ct_json(id_call("POST", ct_path(w.c, "/blocks"), w.mod.token, NULL,
	                    ct_fmt("{\"account_id\":\"%s\",\"reason\":"
	                           "\"insultes répétées\"}",
	                            w.rb.id)),
	        201);
	check(strcmp(id_str(json_object_get(j, "account"), "id"), w.rb.id) ==
	                        0 &&
	                strcmp(id_str(j, "reason"), "insultes répétées") == 0 &&
	                strcmp(id_str(j, "blocked_by"), w.mod.id) == 0 &&
	                strlen(id_str(j, "created_at")) > 0,
	        "block: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	j = ct_json(id_call("POST", ct_path(w.c, "/blocks"), w.adm.token, NULL,
	                    ct_fmt("{\"account_id\":\"%s\",\"reason\":"
	                           "\"encore\"}",
	                            w.rb.id)),
	        200);
	check(strcmp(id_str(j, "reason"), "insultes répétées") == 0,
	        "a second block replaced the first: %s",
	        json_dumps(j, JSON_COMPACT));
	json_decref(j);
	list = ct_get(ct_path(w.c, "/blocks"), w.mod.token);
	check(json_array_size(list) == 1 &&
	                strcmp(id_str(json_object_get(json_array_get(list, 0),
	                                      "account"),
	                               "id"),
	                        w.rb.id) == 0,
	        "blocks: %s", json_dumps(list, JSON_COMPACT));
	json_decref(list);
	ct_problem(
	        id_call("GET", ct_path(w.c, "/blocks"), w.r2.token, NULL, NULL),
	        403, NULL);
	ct_problem(id_call("GET", ct_path(w.c, "/blocks"), w.out.token, NULL,
	                   NULL),
	        404, NULL);
	ct_problem(id_call("GET", ct_path(w.c, "/blocks"), NULL, NULL, NULL),
	        401, NULL);

	/* a blocked participant can do none of this: 403 each */
	ct_problem(ct_proposal_post(w.c, w.pid, w.rb.token,
	                   "{\"title\":\"T\",\"body\":\"B\"}"),
	        403, NULL);
	ct_problem(id_call("PATCH", ct_path(w.c, "/proposals/%s", own),
	                   w.rb.token, NULL, "{\"status\":\"published\"}"),
	        403, NULL);
	ct_problem(id_call("PUT", ct_path(w.c, "/proposals/%s/support", p),
	                   w.rb.token, NULL, NULL),
	        403, NULL);
	ct_problem(ct_comment_post(w.c, on(p), w.rb.token, "x", NULL, NULL),
	        403, NULL);
	ct_problem(ct_comment_post(w.c, on(p), w.rb.token, "x", cm, NULL), 403,
	        NULL);
	ct_problem(ct_comment_post(w.c, ct_fmt("processes/%s", w.pid),
	                   w.rb.token, "x", NULL, NULL),
	        403, NULL);
	ct_problem(id_call("POST", ct_path(w.c, "/comments/%s/vote", cm),
	                   w.rb.token, NULL, "{\"value\":1}"),
	        403, NULL);
	ct_report(w.c, w.rb.token, "comment", cm, "spam", 403);
	ct_report(w.c, w.rb.token, "proposal", p, "spam", 403);
	snprintf(body, sizeof(body), "{\"answers\":{\"q1\":\"a\"}}");
	ct_problem(
	        id_call("PUT", ct_path(w.c, "/consultations/%s/response", qid),
	                w.rb.token, NULL, body),
	        403, NULL);
	/* the others can */
	json_decref(ct_json(
	        id_call("PUT", ct_path(w.c, "/consultations/%s/response", qid),
	                w.r2.token, NULL, body),
	        201));
	/* the block is in this collectivity only */
	json_decref(ct_comment_new(w.d, ct_fmt("proposals/%s", w.d_prop),
	        w.rb.token, "Ailleurs je peux", NULL, NULL));

	/* who cannot be blocked */
	ct_problem(id_call("POST", ct_path(w.c, "/blocks"), w.adm.token, NULL,
	                   ct_fmt("{\"account_id\":\"%s\",\"reason\":\"x\"}",
	                           w.mod.id)),
	        409, NULL);
	ct_problem(id_call("POST", ct_path(w.c, "/blocks"), w.mod.token, NULL,
	                   ct_fmt("{\"account_id\":\"%s\",\"reason\":\"x\"}",
	                           w.adm.id)),
	        409, NULL);
	ct_problem(id_call("POST", ct_path(w.c, "/blocks"), w.mod.token, NULL,
	                   "{\"account_id\":\"0b0b0b0b-0000-4000-8000-"
	                   "000000000000\",\"reason\":\"x\"}"),
	        404, NULL);
	ct_problem(id_call("POST", ct_path(w.c, "/blocks"), w.mod.token, NULL,
	                   "{\"account_id\":\"nobody\",\"reason\":\"x\"}"),
	        404, NULL);
	/* someone with no tie to the collectivity */
	ct_problem(id_call("POST", ct_path(w.c, "/blocks"), w.mod.token, NULL,
	                   ct_fmt("{\"account_id\":\"%s\",\"reason\":\"x\"}",
	                           w.out.id)),
	        404, NULL);

	/* unblock: 204, then 404 */
	ct_problem(id_call("DELETE", ct_path(w.c, "/blocks/%s", w.rb.id),
	                   w.r2.token, NULL, NULL),
	        403, NULL);
	ct_empty(id_call("DELETE",
	                 ct_path(w.c, "/blocks/%s?reason=excuses%%20faites",
	                         w.rb.id),
	                 w.mod.token, NULL, NULL),
	        204);
	ct_problem(id_call("DELETE", ct_path(w.c, "/blocks/%s", w.rb.id),
	                   w.mod.token, NULL, NULL),
	        404, NULL);
	ct_problem(id_call("DELETE", ct_path(w.c, "/blocks/%s", w.out.id),
	                   w.mod.token, NULL, NULL),
	        404, NULL);
	list = ct_get(ct_path(w.c, "/blocks"), w.mod.token);
	check(json_array_size(list) == 0, "blocks after the unblock: %s",
	        json_dumps(list, JSON_COMPACT));
	json_decref(list);
	/* and rb acts again */
	ct_support(w.c, p, w.rb.token, 201);
	json_decref(
	        ct_comment_new(w.c, on(p), w.rb.token, "Merci", NULL, NULL));
	json_decref(
	        ct_json(id_call("POST", ct_path(w.c, "/comments/%s/vote", cm),
	                        w.rb.token, NULL, "{\"value\":1}"),
	                201));
	json_decref(
	        ct_json(id_call("PATCH", ct_path(w.c, "/proposals/%s", own),
	                        w.rb.token, NULL, "{\"status\":\"published\"}"),
	                200));
	json_decref(ct_json(
	        id_call("PUT", ct_path(w.c, "/consultations/%s/response", qid),
	                w.rb.token, NULL, body),
	        201));
	/* an official answer, for the audit log */
	json_decref(
	        ct_json(id_call("POST", ct_path(w.c, "/proposals/%s/answer", p),
	                        w.mod.token, NULL,
	                        "{\"state\":\"rejected\",\"answer\":"
	                        "\"Hors budget\"}"),
	                200));
	snprintf(w.answered, sizeof(w.answered), "%s", p);
}

/* ---- the audit log ---- */

/* The newest entry of action about object_id, or NULL. */
static json_t *
find_action(json_t *log, const char *action, const char *object_id)
{
	size_t i;
	json_t *e;

	json_array_foreach(log, i, e)
	{
		if (strcmp(id_str(e, "action"), action) == 0 &&
		        strcmp(id_str(e, "object_id"), object_id) == 0)
			return e;
	}
	return NULL;
}

static void
test_audit(void **state)
{
	json_t *log, *e;

	(void)state;
	ct_problem(
	        id_call("GET", ct_path(w.c, "/audit"), w.mod.token, NULL, NULL),
	        403, NULL);
	log = id_list_all(ct_path(w.c, "/audit?limit=100"), w.adm.token, 100);
	e = find_action(log, "moderation.settings", w.c);
	check(e != NULL && strcmp(id_str(e, "actor_id"), w.adm.id) == 0 &&
	                ct_int(json_object_get(e, "details"),
	                        "report_threshold") == 2,
	        "moderation.settings: %s", json_dumps(e, JSON_COMPACT));
	e = find_action(log, "auto.hide", w.p2);
	check(e != NULL && json_is_null(json_object_get(e, "actor_id")) &&
	                strcmp(id_str(e, "object_type"), "proposal") == 0,
	        "auto.hide of p2: %s", json_dumps(e, JSON_COMPACT));
	e = find_action(log, "auto.hide", w.c2);
	check(e != NULL && json_is_null(json_object_get(e, "actor_id")) &&
	                strcmp(id_str(e, "object_type"), "comment") == 0,
	        "auto.hide of c2: %s", json_dumps(e, JSON_COMPACT));
	e = find_action(log, "proposal.hide", w.p1);
	check(e != NULL && strcmp(id_str(e, "actor_id"), w.mod.id) == 0 &&
	                strcmp(id_str(e, "reason"), "publicité") == 0,
	        "proposal.hide: %s", json_dumps(e, JSON_COMPACT));
	e = find_action(log, "proposal.restore", w.p2);
	check(e != NULL && strcmp(id_str(e, "actor_id"), w.mod.id) == 0,
	        "proposal.restore: %s", json_dumps(e, JSON_COMPACT));
	e = find_action(log, "comment.restore", w.c2);
	check(e != NULL && strcmp(id_str(e, "actor_id"), w.adm.id) == 0,
	        "comment.restore: %s", json_dumps(e, JSON_COMPACT));
	e = find_action(log, "comment.hide", w.c1);
	check(e != NULL && strcmp(id_str(e, "reason"), "adresse") == 0,
	        "comment.hide: %s", json_dumps(e, JSON_COMPACT));
	e = find_action(log, "participant.block", w.rb.id);
	check(e != NULL && strcmp(id_str(e, "actor_id"), w.mod.id) == 0 &&
	                strcmp(id_str(e, "reason"), "insultes répétées") == 0 &&
	                strcmp(id_str(e, "object_type"), "account") == 0,
	        "participant.block: %s", json_dumps(e, JSON_COMPACT));
	e = find_action(log, "participant.unblock", w.rb.id);
	check(e != NULL && strcmp(id_str(e, "actor_id"), w.mod.id) == 0 &&
	                strcmp(id_str(e, "reason"), "excuses faites") == 0,
	        "participant.unblock: %s", json_dumps(e, JSON_COMPACT));
	e = find_action(log, "proposal.answer", w.answered);
	check(e != NULL && strcmp(id_str(e, "actor_id"), w.mod.id) == 0 &&
	                strcmp(id_str(e, "reason"), "Hors budget") == 0 &&
	                strcmp(id_str(json_object_get(e, "details"), "state"),
	                        "rejected") == 0,
	        "proposal.answer: %s", json_dumps(e, JSON_COMPACT));
	/* refused acts left nothing: one block, one unblock */
	{
		size_t i, blocks = 0;

		json_array_foreach(log, i, e) blocks +=
		        strcmp(id_str(e, "action"), "participant.block") == 0;
		check(blocks == 1, "%zu participant.block entries", blocks);
	}
	json_decref(log);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_settings),
	        cmocka_unit_test(test_reports),
	        cmocka_unit_test(test_auto_hide),
	        cmocka_unit_test(test_queue),
	        cmocka_unit_test(test_blocks),
	        cmocka_unit_test(test_audit),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
