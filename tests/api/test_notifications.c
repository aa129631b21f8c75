/*
 * test_notifications.c - following and notifications (docs/proposals.md):
 * follow and unfollow a proposal or a process; a state change or an
 * official answer tells the followers of the proposal and of its process,
 * never the person who acted; a reply tells the author of the comment
 * replied to; GET /v1/me/notifications (newest first, unread filter,
 * pages); marking as read by ids or all.
 *
 * The tests share one collectivity and run in order: the list and read
 * tests count what the earlier tests sent.
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
	struct id_user a;   /* author of the proposals */
	struct id_user f1;  /* follows proposal x */
	struct id_user f2;  /* follows the process */
	struct id_user f3;  /* followed, then unfollowed */
	struct id_user r;   /* replies */
	struct id_user mod; /* answers; follows the process too */
	char pid[40];
	char x[40]; /* a's proposal */
} w;

static int
group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	id_collectivity_new("notif", "commune", NULL, w.c);
	id_member_new(&w.a, "notif-a", w.c, "resident");
	id_member_new(&w.f1, "notif-f1", w.c, "resident");
	id_member_new(&w.f2, "notif-f2", w.c, "resident");
	id_member_new(&w.f3, "notif-f3", w.c, "resident");
	id_member_new(&w.r, "notif-r", w.c, "resident");
	id_member_new(&w.mod, "notif-mod", w.c, "moderator");
	ct_process_new(w.c, NULL, NULL, w.pid);
	json_decref(
	        ct_proposal_new(w.c, w.pid, &w.a, "Suivie", "b", NULL, w.x));
	return 0;
}

/* ---- helpers ---- */

static struct http_resp *
follow(const char *method, const char *what, const char *token)
{
	return id_call(
	        method, ct_path(w.c, "/%s/follow", what), token, NULL, NULL);
}

static const char *
prop(const char *id)
{
	return ct_fmt("proposals/%s", id);
}

static const char *
process(void)
{
	return ct_fmt("processes/%s", w.pid);
}

/* Every notification of u (pages of 100), newest first. */
static json_t *
notes(const struct id_user *u, const char *query)
{
	return id_list_all(
	        ct_fmt("/v1/me/notifications?%s%slimit=100",
	                query != NULL ? query : "", query != NULL ? "&" : ""),
	        u->token, 100);
}

/* How many notifications of u have this kind, target and payload state
 * (state NULL: any). */
static size_t
count_of(const struct id_user *u, const char *kind, const char *target,
        const char *state)
{
	json_t *all = notes(u, NULL), *e;
	size_t i, n = 0;

	json_array_foreach(all, i, e)
	{
		if (strcmp(id_str(e, "kind"), kind) == 0 &&
		        strcmp(id_str(e, "target_id"), target) == 0 &&
		        (state == NULL ||
		                strcmp(id_str(json_object_get(e, "payload"),
		                               "state"),
		                        state) == 0))
			n++;
	}
	json_decref(all);
	return n;
}

static size_t
total(const struct id_user *u)
{
	json_t *all = notes(u, NULL);
	size_t n = json_array_size(all);

	json_decref(all);
	return n;
}

static struct http_resp *
mark(const struct id_user *u, const char *json)
{
	return id_call("POST", "/v1/me/notifications/read",
	        u != NULL ? u->token : NULL, NULL, json);
}

/* ---- follows ---- */

static void
test_follow(void **state)
{
	char d[40];
	json_t *j;

	(void)state;
	/* authors follow their proposals already */
	j = ct_json(follow("PUT", prop(w.x), w.a.token), 200);
	check(strcmp(id_str(j, "target_type"), "proposal") == 0 &&
	                strcmp(id_str(j, "target_id"), w.x) == 0 &&
	                json_is_true(json_object_get(j, "following")),
	        "follow: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* 201, then 200 */
	json_decref(ct_json(follow("PUT", prop(w.x), w.f1.token), 201));
	json_decref(ct_json(follow("PUT", prop(w.x), w.f1.token), 200));
	j = ct_json(follow("PUT", process(), w.f2.token), 201);
	check(strcmp(id_str(j, "target_type"), "process") == 0 &&
	                strcmp(id_str(j, "target_id"), w.pid) == 0,
	        "process follow: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	json_decref(ct_json(follow("PUT", process(), w.f2.token), 200));
	json_decref(ct_json(follow("PUT", process(), w.mod.token), 201));
	/* unfollow: 204, then 404 */
	json_decref(ct_json(follow("PUT", prop(w.x), w.f3.token), 201));
	ct_empty(follow("DELETE", prop(w.x), w.f3.token), 204);
	ct_problem(follow("DELETE", prop(w.x), w.f3.token), 404, NULL);
	json_decref(ct_json(follow("PUT", process(), w.f3.token), 201));
	ct_empty(follow("DELETE", process(), w.f3.token), 204);
	ct_problem(follow("DELETE", process(), w.f3.token), 404, NULL);
	ct_problem(follow("DELETE", process(), w.r.token), 404, NULL);
	/* refused */
	ct_problem(follow("PUT", prop(w.x), NULL), 401, NULL);
	ct_problem(follow("DELETE", process(), NULL), 401, NULL);
	ct_problem(follow("PUT", prop("0b0b0b0b-0000-4000-8000-000000000000"),
	                   w.f1.token),
	        404, NULL);
	ct_problem(
	        follow("PUT", "processes/0b0b0b0b-0000-4000-8000-000000000000",
	                w.f1.token),
	        404, NULL);
	json_decref(ct_proposal_new(
	        w.c, w.pid, &w.a, "Brouillon", "b", "\"status\":\"draft\"", d));
	ct_problem(follow("PUT", prop(d), w.f1.token), 404, NULL);
	/* nothing was sent by following */
	check(total(&w.f1) == 0 && total(&w.f2) == 0 && total(&w.a) == 0,
	        "notifications before anything happened");
}

/* ---- state changes and answers ---- */

static void
test_state_and_answer(void **state)
{
	char y[40], z[40];
	json_t *all, *e;
	size_t i;

	(void)state;
	json_decref(ct_json(
	        id_call("POST", ct_path(w.c, "/proposals/%s/answer", w.x),
	                w.mod.token, NULL, "{\"state\":\"evaluating\"}"),
	        200));
	/* the proposal's followers (its author, f1) and the process's (f2) */
	check(count_of(&w.a, "proposal_state", w.x, "evaluating") == 1,
	        "the author was not told");
	check(count_of(&w.f1, "proposal_state", w.x, "evaluating") == 1,
	        "the proposal's follower was not told");
	check(count_of(&w.f2, "proposal_state", w.x, "evaluating") == 1,
	        "the process's follower was not told");
	/* not the moderator who acted (who follows the process), nor who
	   stopped following, nor anyone else */
	check(total(&w.mod) == 0, "the actor was told");
	check(total(&w.f3) == 0, "an unfollower was told");
	check(total(&w.r) == 0, "a stranger was told");
	check(count_of(&w.a, "proposal_answer", w.x, NULL) == 0,
	        "evaluating is no official answer");
	/* the notification */
	all = notes(&w.f2, NULL);
	e = json_array_get(all, 0);
	check(json_array_size(all) == 1 &&
	                strcmp(id_str(e, "collectivity"), w.c) == 0 &&
	                strcmp(id_str(e, "target_type"), "proposal") == 0 &&
	                strcmp(id_str(json_object_get(e, "payload"), "title"),
	                        "Suivie") == 0 &&
	                strcmp(id_str(json_object_get(e, "payload"),
	                               "process_id"),
	                        w.pid) == 0 &&
	                json_is_null(json_object_get(e, "read_at")) &&
	                strlen(id_str(e, "created_at")) > 0 &&
	                strlen(id_str(e, "id")) == 36,
	        "notification: %s", json_dumps(all, JSON_COMPACT));
	json_decref(all);

	/* an official answer: a state change and an answer */
	json_decref(ct_json(
	        id_call("POST", ct_path(w.c, "/proposals/%s/answer", w.x),
	                w.mod.token, NULL,
	                "{\"state\":\"accepted\",\"answer\":"
	                "\"Retenu\",\"cost\":100}"),
	        200));
	{
		const struct id_user *told[3] = {&w.a, &w.f1, &w.f2};

		for (i = 0; i < 3; i++) {
			check(count_of(told[i], "proposal_state", w.x,
			              "accepted") == 1,
			        "follower %zu: no accepted state", i);
			check(count_of(told[i], "proposal_answer", w.x,
			              "accepted") == 1,
			        "follower %zu: no answer", i);
			check(total(told[i]) == 3, "follower %zu: %zu", i,
			        total(told[i]));
		}
	}
	check(total(&w.mod) == 0 && total(&w.f3) == 0 && total(&w.r) == 0,
	        "the actor, an unfollower or a stranger was told");

	/* a withdrawal, by its author: the followers, not the author */
	json_decref(ct_proposal_new(w.c, w.pid, &w.a, "Retirée", "b", NULL, y));
	json_decref(ct_json(follow("PUT", prop(y), w.f1.token), 201));
	json_decref(ct_json(
	        id_call("POST", ct_path(w.c, "/proposals/%s/withdraw", y),
	                w.a.token, NULL, NULL),
	        200));
	check(count_of(&w.f1, "proposal_state", y, "withdrawn") == 1,
	        "f1 not told of the withdrawal");
	check(count_of(&w.f2, "proposal_state", y, "withdrawn") == 1,
	        "f2 not told of the withdrawal");
	check(count_of(&w.a, "proposal_state", y, NULL) == 0,
	        "the author was told of their own withdrawal");
	check(total(&w.mod) == 1,
	        "the process-following moderator: %zu (want 1)", total(&w.mod));
	/* a draft withdrawn before it was published tells nobody */
	json_decref(ct_proposal_new(
	        w.c, w.pid, &w.a, "Secret", "b", "\"status\":\"draft\"", z));
	json_decref(ct_json(
	        id_call("POST", ct_path(w.c, "/proposals/%s/withdraw", z),
	                w.a.token, NULL, NULL),
	        200));
	check(count_of(&w.f2, "proposal_state", z, NULL) == 0,
	        "a private draft's withdrawal was sent to a follower");
	/* following a process from now on does not bring old news */
	json_decref(ct_json(follow("PUT", process(), w.r.token), 201));
	check(total(&w.r) == 0, "old news");
	ct_empty(follow("DELETE", process(), w.r.token), 204);
}

/* ---- replies ---- */

static void
test_replies(void **state)
{
	char c1[40], rep[40], pc[40], prep[40];
	size_t before_a, before_f1;
	json_t *all, *e;

	(void)state;
	before_a = total(&w.a);
	before_f1 = total(&w.f1);
	json_decref(
	        ct_comment_new(w.c, prop(w.x), w.f1.token, "Bravo", NULL, c1));
	/* a top-level comment tells nobody, not even the proposal's author */
	check(total(&w.a) == before_a, "a comment notified the author");
	json_decref(ct_comment_new(
	        w.c, prop(w.x), w.r.token, "Pourquoi ?", c1, rep));
	check(total(&w.f1) == before_f1 + 1, "f1 not told of the reply");
	all = notes(&w.f1, NULL);
	e = json_array_get(all, 0);
	check(strcmp(id_str(e, "kind"), "comment_reply") == 0 &&
	                strcmp(id_str(e, "target_type"), "comment") == 0 &&
	                strcmp(id_str(e, "target_id"), rep) == 0 &&
	                strcmp(id_str(json_object_get(e, "payload"),
	                               "parent_id"),
	                        c1) == 0 &&
	                strcmp(id_str(json_object_get(e, "payload"),
	                               "proposal_id"),
	                        w.x) == 0,
	        "reply notification: %s", json_dumps(e, JSON_COMPACT));
	json_decref(all);
	/* replying to oneself tells nobody; the replier is not told */
	json_decref(ct_comment_new(
	        w.c, prop(w.x), w.f1.token, "Parce que", c1, NULL));
	check(total(&w.f1) == before_f1 + 1, "a reply to oneself notified");
	check(total(&w.r) == 0, "the replier was told");
	/* a reply to a reply tells the reply's author only */
	json_decref(ct_comment_new(
	        w.c, prop(w.x), w.f2.token, "Et alors ?", rep, NULL));
	check(count_of(&w.r, "comment_reply", rep, NULL) == 0 &&
	                total(&w.r) == 1,
	        "r: %zu notifications", total(&w.r));
	check(total(&w.f1) == before_f1 + 1, "the grandparent's author told");
	/* on the process thread too */
	json_decref(
	        ct_comment_new(w.c, process(), w.r.token, "Général", NULL, pc));
	json_decref(
	        ct_comment_new(w.c, process(), w.f2.token, "Oui", pc, prep));
	all = notes(&w.r, NULL);
	e = json_array_get(all, 0);
	check(json_array_size(all) == 2 &&
	                strcmp(id_str(e, "kind"), "comment_reply") == 0 &&
	                strcmp(id_str(e, "target_id"), prep) == 0 &&
	                json_is_null(
	                        json_object_get(json_object_get(e, "payload"),
	                                "proposal_id")) &&
	                strcmp(id_str(json_object_get(e, "payload"),
	                               "process_id"),
	                        w.pid) == 0,
	        "process reply notification: %s", json_dumps(e, JSON_COMPACT));
	json_decref(all);
}

/* ---- the list and marking as read ---- */

static void
test_list_and_read(void **state)
{
	json_t *all, *unread, *paged, *j;
	char first[40], body[256];
	size_t i, n;

	(void)state;
	all = notes(&w.f2, NULL);
	n = json_array_size(all);
	/* x: evaluating, then accepted (state and answer); y: withdrawn */
	check(n == 4, "f2 has %zu notifications, want 4", n);
	/* newest first */
	for (i = 1; i < n; i++)
		check(strcmp(id_str(json_array_get(all, i - 1), "created_at"),
		              id_str(json_array_get(all, i), "created_at")) >=
		                0,
		        "not newest first at %zu", i);
	check(strcmp(id_str(json_array_get(all, n - 1), "kind"),
	              "proposal_state") == 0 &&
	                strcmp(id_str(json_object_get(
	                                      json_array_get(all, n - 1),
	                                      "payload"),
	                               "state"),
	                        "evaluating") == 0,
	        "the oldest is not the first state change");
	/* pages of every size */
	for (i = 1; i <= 3; i++) {
		paged = id_list_all(ct_fmt("/v1/me/notifications?limit=%zu", i),
		        w.f2.token, (int)i);
		check(json_equal(paged, all), "limit=%zu: pages differ", i);
		json_decref(paged);
	}
	/* unread: all of them so far */
	unread = notes(&w.f2, "unread=true");
	check(json_equal(unread, all), "unread=true differs");
	json_decref(unread);
	paged = id_list_all(
	        "/v1/me/notifications?unread=true&limit=2", w.f2.token, 2);
	check(json_equal(paged, all), "unread=true pages differ");
	json_decref(paged);

	/* mark one by id */
	snprintf(first, sizeof(first), "%s",
	        id_str(json_array_get(all, 0), "id"));
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"]}", first);
	j = ct_json(mark(&w.f2, body), 200);
	check(ct_int(j, "marked") == 1, "marked %lld", ct_int(j, "marked"));
	json_decref(j);
	j = ct_json(mark(&w.f2, body), 200);
	check(ct_int(j, "marked") == 0, "marked twice: %lld",
	        ct_int(j, "marked"));
	json_decref(j);
	unread = notes(&w.f2, "unread=true");
	check(json_array_size(unread) == n - 1 &&
	                ct_find(unread, "id", first) == NULL,
	        "unread after marking one: %zu", json_array_size(unread));
	json_decref(unread);
	json_decref(all);
	all = notes(&w.f2, "unread=false");
	check(json_array_size(all) == n &&
	                strlen(id_str(ct_find(all, "id", first), "read_at")) >
	                        0,
	        "read_at not set");
	json_decref(all);
	/* someone else's ids mark nothing */
	all = notes(&w.f1, NULL);
	snprintf(body, sizeof(body), "{\"ids\":[\"%s\"]}",
	        id_str(json_array_get(all, 0), "id"));
	j = ct_json(mark(&w.f2, body), 200);
	check(ct_int(j, "marked") == 0, "marked another's: %lld",
	        ct_int(j, "marked"));
	json_decref(j);
	unread = notes(&w.f1, "unread=true");
	check(json_array_size(unread) == json_array_size(all),
	        "f1's notification was marked by f2");
	json_decref(unread);
	/* ids are not case-sensitive; unknown ids are no error */
	{
		char up[40];

		snprintf(up, sizeof(up), "%s",
		        id_str(json_array_get(all, 0), "id"));
		for (i = 0; up[i] != '\0'; i++)
			if (up[i] >= 'a' && up[i] <= 'f')
				up[i] = (char)(up[i] - 'a' + 'A');
		snprintf(body, sizeof(body),
		        "{\"ids\":[\"%s\",\"0b0b0b0b-0000-4000-8000-"
		        "000000000000\",\"junk\"],\"all\":false}",
		        up);
		j = ct_json(mark(&w.f1, body), 200);
		check(ct_int(j, "marked") == 1, "marked by upper-case id: %lld",
		        ct_int(j, "marked"));
		json_decref(j);
	}
	json_decref(all);

	/* all */
	j = ct_json(mark(&w.f2, "{\"all\":true}"), 200);
	check((size_t)ct_int(j, "marked") == n - 1, "marked all: %lld of %zu",
	        ct_int(j, "marked"), n - 1);
	json_decref(j);
	unread = notes(&w.f2, "unread=true");
	check(json_array_size(unread) == 0, "unread after all: %zu",
	        json_array_size(unread));
	json_decref(unread);
	j = ct_json(mark(&w.f2, "{\"all\":true}"), 200);
	check(ct_int(j, "marked") == 0, "marked all twice: %lld",
	        ct_int(j, "marked"));
	json_decref(j);
	check(total(&w.f2) == n, "marking removed notifications");
	/* new ones come unread */
	json_decref(ct_json(
	        id_call("POST", ct_path(w.c, "/processes/%s/proposals", w.pid),
	                w.a.token, NULL,
	                "{\"title\":\"Nouvelle\",\"body\":\"b\","
	                "\"status\":\"published\"}"),
	        201));
	{
		json_t *p = ct_get(
		        ct_path(w.c, "/processes/%s/proposals?limit=1", w.pid),
		        NULL);
		const char *id = id_str(json_array_get(p, 0), "id");

		json_decref(ct_json(
		        id_call("POST",
		                ct_path(w.c, "/proposals/%s/answer", id),
		                w.mod.token, NULL,
		                "{\"state\":\"evaluating\"}"),
		        200));
		json_decref(p);
	}
	unread = notes(&w.f2, "unread=true");
	check(json_array_size(unread) == 1, "new unread: %zu",
	        json_array_size(unread));
	json_decref(unread);

	/* refused bodies and queries */
	ct_problem(mark(&w.f2, "{}"), 422, NULL);
	ct_problem(mark(&w.f2, "{\"all\":false}"), 422, NULL);
	ct_problem(
	        mark(&w.f2, ct_fmt("{\"ids\":[\"%s\"],\"all\":true}", first)),
	        422, NULL);
	ct_problem(mark(&w.f2, "{\"ids\":[]}"), 422, "ids");
	ct_problem(mark(&w.f2, "{\"ids\":\"x\"}"), 422, "ids");
	ct_problem(mark(&w.f2, "{\"all\":\"yes\"}"), 422, "all");
	ct_problem(mark(&w.f2, "{\"all\":true,\"x\":1}"), 422, "x");
	ct_problem(mark(NULL, "{\"all\":true}"), 401, NULL);
	ct_problem(id_call("GET", "/v1/me/notifications?unread=maybe",
	                   w.f2.token, NULL, NULL),
	        422, "unread");
	ct_problem(id_call("GET", "/v1/me/notifications?after=garbage",
	                   w.f2.token, NULL, NULL),
	        422, "after");
	ct_problem(id_call("GET", "/v1/me/notifications?limit=0", w.f2.token,
	                   NULL, NULL),
	        422, "limit");
	ct_problem(id_call("GET", "/v1/me/notifications", NULL, NULL, NULL),
	        401, NULL);
	unread = notes(&w.f2, "unread=true");
	check(json_array_size(unread) == 1, "a refused mark marked: %zu",
	        json_array_size(unread));
	json_decref(unread);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_follow),
	        cmocka_unit_test(test_state_and_answer),
	        cmocka_unit_test(test_replies),
	        cmocka_unit_test(test_list_and_read),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
