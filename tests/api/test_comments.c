/*
 * test_comments.c - comments (docs/proposals.md): on a proposal and on a
 * process, replies nested to depth 3, stances, edits by the author,
 * deletion (the comment stays as "deleted", its replies kept), votes, the
 * threaded order and its paging, and the proposal's comments count.
 *
 * One fresh collectivity and its people are shared by every test; each
 * test makes its own proposals, so threads do not mix.
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
	struct id_user r1, r2, r3; /* verified residents */
	struct id_user member;     /* joined, not verified */
	struct id_user mod;        /* moderator */
	char pid[40];              /* a process in its proposals phase */
} w;

static int
group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	id_collectivity_new("comments", "commune", NULL, w.c);
	id_member_new(&w.r1, "comments-r1", w.c, "resident");
	id_member_new(&w.r2, "comments-r2", w.c, "resident");
	id_member_new(&w.r3, "comments-r3", w.c, "resident");
	id_member_new(&w.member, "comments-member", w.c, "member");
	id_member_new(&w.mod, "comments-mod", w.c, "moderator");
	ct_process_new(w.c, NULL, NULL, w.pid);
	return 0;
}

/* ---- helpers ---- */

/* "proposals/<id>" */
static const char *
on(const char *proposal)
{
	return ct_fmt("proposals/%s", proposal);
}

/* A published proposal by r1; its id into id. */
static void
proposal(const char *title, char *id)
{
	json_t *j = ct_proposal_new(w.c, w.pid, &w.r1, title, "b", NULL, id);

	json_decref(j);
}

/* The whole thread (limit 100, one page) as token. */
static json_t *
thread(const char *th, const char *token)
{
	return ct_get(ct_path(w.c, "/%s/comments?limit=100", th), token);
}

static long long
comment_count(const char *id)
{
	json_t *j = ct_proposal_get(w.c, id, NULL);
	long long n = ct_int(j, "comments");

	json_decref(j);
	return n;
}

static struct http_resp *
edit(const char *id, const char *token, const char *json)
{
	return id_call(
	        "PATCH", ct_path(w.c, "/comments/%s", id), token, NULL, json);
}

static struct http_resp *
del(const char *id, const char *token)
{
	return id_call(
	        "DELETE", ct_path(w.c, "/comments/%s", id), token, NULL, NULL);
}

static struct http_resp *
vote(const char *id, const char *token, const char *json)
{
	return id_call(json != NULL ? "POST" : "DELETE",
	        ct_path(w.c, "/comments/%s/vote", id), token, NULL, json);
}

/* ---- create ---- */

static void
test_create(void **state)
{
	char p[40], c1[40], c2[40], d[40];
	json_t *j, *t;

	(void)state;
	proposal("Commentée", p);
	j = ct_json(ct_comment_post(w.c, on(p), w.r2.token, "Bonne idée !",
	                    NULL, "for"),
	        201);
	check(strcmp(id_str(j, "stance"), "for") == 0 &&
	                strcmp(id_str(j, "body"), "Bonne idée !") == 0 &&
	                json_is_null(json_object_get(j, "parent_id")) &&
	                ct_int(j, "depth") == 1 &&
	                strcmp(id_str(j, "proposal_id"), p) == 0 &&
	                strcmp(id_str(j, "process_id"), w.pid) == 0 &&
	                strcmp(id_str(json_object_get(j, "author"), "id"),
	                        w.r2.id) == 0 &&
	                json_is_false(json_object_get(j, "deleted")) &&
	                json_is_false(json_object_get(j, "hidden")) &&
	                ct_int(j, "up") == 0 && ct_int(j, "down") == 0 &&
	                strlen(id_str(j, "created_at")) > 0 &&
	                json_is_null(json_object_get(j, "edited_at")),
	        "comment: %s", json_dumps(j, JSON_COMPACT));
	snprintf(c1, sizeof(c1), "%s", id_str(j, "id"));
	json_decref(j);
	/* stances: neutral by default, against */
	j = ct_comment_new(w.c, on(p), w.r3.token, "Sans avis", NULL, NULL);
	check(strcmp(id_str(j, "stance"), "neutral") == 0, "default stance %s",
	        id_str(j, "stance"));
	json_decref(j);
	j = ct_json(ct_comment_post(
	                    w.c, on(p), w.r3.token, "Contre", NULL, "against"),
	        201);
	check(strcmp(id_str(j, "stance"), "against") == 0, "stance %s",
	        id_str(j, "stance"));
	json_decref(j);
	json_decref(ct_json(ct_comment_post(w.c, on(p), w.r3.token, "Neutre",
	                            NULL, "neutral"),
	        201));
	/* on the process itself */
	j = ct_comment_new(w.c, ct_fmt("processes/%s", w.pid), w.r1.token,
	        "Sur la démarche", NULL, c2);
	check(json_is_null(json_object_get(j, "proposal_id")) &&
	                strcmp(id_str(j, "process_id"), w.pid) == 0,
	        "process comment: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* each thread has its own comments; anyone reads them */
	t = thread(on(p), NULL);
	check(json_array_size(t) == 4 && ct_find(t, "id", c1) != NULL &&
	                ct_find(t, "id", c2) == NULL,
	        "proposal thread: %zu comments", json_array_size(t));
	check(json_is_null(json_object_get(json_array_get(t, 0), "my_vote")),
	        "my_vote for an anonymous reader");
	json_decref(t);
	t = thread(ct_fmt("processes/%s", w.pid), NULL);
	check(ct_find(t, "id", c2) != NULL && ct_find(t, "id", c1) == NULL,
	        "process thread mixes threads");
	json_decref(t);
	check(comment_count(p) == 4, "comments count %lld", comment_count(p));

	/* refused bodies */
	ct_problem(ct_comment_post(w.c, on(p), w.r2.token, "x", NULL, "maybe"),
	        422, "stance");
	ct_problem(ct_comment_post(w.c, on(p), w.r2.token, "x", NULL, "FOR"),
	        422, "stance");
	ct_problem(ct_comment_post(w.c, on(p), w.r2.token, "", NULL, NULL), 422,
	        "body");
	{
		char *big = malloc(5002);

		memset(big, 'x', 5001);
		big[5001] = '\0';
		ct_problem(ct_comment_post(
		                   w.c, on(p), w.r2.token, big, NULL, NULL),
		        422, "body");
		free(big);
	}
	ct_problem(id_call("POST", ct_path(w.c, "/%s/comments", on(p)),
	                   w.r2.token, NULL, "{\"stance\":\"for\"}"),
	        422, "body");
	ct_problem(id_call("POST", ct_path(w.c, "/%s/comments", on(p)),
	                   w.r2.token, NULL, "{\"body\":\"x\",\"mood\":1}"),
	        422, "mood");
	ct_problem(id_call("POST", ct_path(w.c, "/%s/comments", on(p)),
	                   w.r2.token, NULL, "{\"body\":\"x\",\"stance\":1}"),
	        422, "stance");
	/* who may comment: the rule "verified", signed in */
	ct_problem(ct_comment_post(w.c, on(p), w.member.token, "x", NULL, NULL),
	        403, NULL);
	ct_problem(ct_comment_post(w.c, ct_fmt("processes/%s", w.pid),
	                   w.member.token, "x", NULL, NULL),
	        403, NULL);
	ct_problem(
	        ct_comment_post(w.c, on(p), NULL, "x", NULL, NULL), 401, NULL);
	/* unknown threads */
	ct_problem(
	        ct_comment_post(w.c, on("0b0b0b0b-0000-4000-8000-000000000000"),
	                w.r2.token, "x", NULL, NULL),
	        404, NULL);
	ct_problem(ct_comment_post(w.c,
	                   "processes/0b0b0b0b-0000-4000-8000-000000000000",
	                   w.r2.token, "x", NULL, NULL),
	        404, NULL);
	ct_problem(id_call("GET", ct_path(w.c, "/proposals/nope/comments"),
	                   NULL, NULL, NULL),
	        404, NULL);
	/* drafts and withdrawn proposals take no comments */
	json_decref(ct_proposal_new(w.c, w.pid, &w.r1, "Brouillon", "b",
	        "\"status\":\"draft\"", d));
	ct_problem(ct_comment_post(w.c, on(d), w.r2.token, "x", NULL, NULL),
	        404, NULL);
	ct_problem(ct_comment_post(w.c, on(d), w.r1.token, "x", NULL, NULL),
	        409, NULL);
	ct_problem(id_call("GET", ct_path(w.c, "/%s/comments", on(d)),
	                   w.r2.token, NULL, NULL),
	        404, NULL);
	json_decref(ct_json(
	        id_call("POST", ct_path(w.c, "/proposals/%s/withdraw", p),
	                w.r1.token, NULL, NULL),
	        200));
	ct_problem(ct_comment_post(w.c, on(p), w.r2.token, "x", NULL, NULL),
	        409, NULL);
	/* the thread of a withdrawn proposal stays readable */
	t = thread(on(p), NULL);
	check(json_array_size(t) == 4, "withdrawn thread: %zu",
	        json_array_size(t));
	json_decref(t);
	/* comments need no particular phase, only a published process */
	{
		char over[40], q[40];

		ct_process_new(w.c, NULL, NULL, over);
		json_decref(ct_proposal_new(
		        w.c, over, &w.r1, "Avant", "b", NULL, q));
		ct_phase_close(w.c, over, "proposals");
		json_decref(ct_comment_new(
		        w.c, on(q), w.r2.token, "Après la phase", NULL, NULL));
		json_decref(ct_comment_new(w.c, ct_fmt("processes/%s", over),
		        w.r2.token, "Après la phase", NULL, NULL));
	}
}

/* ---- replies ---- */

static void
test_replies(void **state)
{
	char p[40], q[40], c1[40], c2[40], c3[40], other[40], pc[40];
	json_t *j;

	(void)state;
	proposal("Réponses", p);
	proposal("Autre fil", q);
	json_decref(
	        ct_comment_new(w.c, on(p), w.r2.token, "Niveau 1", NULL, c1));
	j = ct_comment_new(w.c, on(p), w.r3.token, "Niveau 2", c1, c2);
	check(ct_int(j, "depth") == 2 &&
	                strcmp(id_str(j, "parent_id"), c1) == 0,
	        "reply: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	j = ct_comment_new(w.c, on(p), w.r1.token, "Niveau 3", c2, c3);
	check(ct_int(j, "depth") == 3 &&
	                strcmp(id_str(j, "parent_id"), c2) == 0,
	        "reply to a reply: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* deeper: 422 naming parent_id */
	ct_problem(
	        ct_comment_post(w.c, on(p), w.r2.token, "Niveau 4", c3, NULL),
	        422, "parent_id");
	/* a reply has a stance too */
	j = ct_json(ct_comment_post(
	                    w.c, on(p), w.r2.token, "Contre", c1, "against"),
	        201);
	check(strcmp(id_str(j, "stance"), "against") == 0 &&
	                ct_int(j, "depth") == 2,
	        "reply stance: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* parent_id null: a top-level comment */
	j = ct_json(
	        id_call("POST", ct_path(w.c, "/%s/comments", on(p)), w.r2.token,
	                NULL, "{\"body\":\"Racine\",\"parent_id\":null}"),
	        201);
	check(ct_int(j, "depth") == 1, "parent_id null: depth %lld",
	        ct_int(j, "depth"));
	json_decref(j);
	/* unknown parents, and parents of another thread: 404 */
	ct_problem(ct_comment_post(w.c, on(p), w.r2.token, "x",
	                   "0b0b0b0b-0000-4000-8000-000000000000", NULL),
	        404, NULL);
	ct_problem(ct_comment_post(w.c, on(p), w.r2.token, "x", "xyz", NULL),
	        404, NULL);
	json_decref(ct_comment_new(
	        w.c, on(q), w.r2.token, "Ailleurs", NULL, other));
	ct_problem(ct_comment_post(w.c, on(p), w.r2.token, "x", other, NULL),
	        404, NULL);
	ct_problem(ct_comment_post(w.c, ct_fmt("processes/%s", w.pid),
	                   w.r2.token, "x", c1, NULL),
	        404, NULL);
	json_decref(ct_comment_new(w.c, ct_fmt("processes/%s", w.pid),
	        w.r2.token, "Sur le processus", NULL, pc));
	ct_problem(ct_comment_post(w.c, on(p), w.r2.token, "x", pc, NULL), 404,
	        NULL);
	/* replies on the process thread nest the same way */
	j = ct_comment_new(w.c, ct_fmt("processes/%s", w.pid), w.r3.token,
	        "Réponse", pc, NULL);
	check(ct_int(j, "depth") == 2 &&
	                json_is_null(json_object_get(j, "proposal_id")),
	        "process reply: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	check(comment_count(p) == 5, "comments count %lld", comment_count(p));
}

/* ---- edit ---- */

static void
test_edit(void **state)
{
	char p[40], c[40];
	json_t *j, *t;

	(void)state;
	proposal("Édition", p);
	json_decref(
	        ct_comment_new(w.c, on(p), w.r2.token, "Premier jet", NULL, c));
	j = ct_json(
	        edit(c, w.r2.token, "{\"body\":\"Version corrigée\"}"), 200);
	check(strcmp(id_str(j, "body"), "Version corrigée") == 0 &&
	                strlen(id_str(j, "edited_at")) > 0,
	        "edited: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	t = thread(on(p), NULL);
	check(strcmp(id_str(json_array_get(t, 0), "body"),
	              "Version corrigée") == 0,
	        "the thread shows the old text");
	json_decref(t);
	/* only the author */
	ct_problem(edit(c, w.r3.token, "{\"body\":\"Pirate\"}"), 403, NULL);
	ct_problem(edit(c, w.mod.token, "{\"body\":\"Pirate\"}"), 403, NULL);
	ct_problem(edit(c, http_admin_token(), "{\"body\":\"Pirate\"}"), 403,
	        NULL);
	ct_problem(edit(c, NULL, "{\"body\":\"Pirate\"}"), 401, NULL);
	/* refused bodies */
	ct_problem(edit(c, w.r2.token, "{\"body\":\"\"}"), 422, "body");
	ct_problem(edit(c, w.r2.token, "{}"), 422, "body");
	ct_problem(edit(c, w.r2.token, "{\"body\":\"x\",\"stance\":\"for\"}"),
	        422, "stance");
	/* unknown comments */
	ct_problem(edit("0b0b0b0b-0000-4000-8000-000000000000", w.r2.token,
	                   "{\"body\":\"x\"}"),
	        404, NULL);
	ct_problem(edit("nope", w.r2.token, "{\"body\":\"x\"}"), 404, NULL);
	t = thread(on(p), NULL);
	check(strcmp(id_str(json_array_get(t, 0), "body"),
	              "Version corrigée") == 0,
	        "a refused edit changed the text");
	json_decref(t);
}

/* ---- delete ---- */

static void
test_delete(void **state)
{
	char p[40], d1[40], d2[40];
	json_t *t, *a, *b;

	(void)state;
	proposal("Suppression", p);
	json_decref(
	        ct_comment_new(w.c, on(p), w.r2.token, "À effacer", NULL, d1));
	json_decref(
	        ct_comment_new(w.c, on(p), w.r3.token, "Je réponds", d1, d2));
	check(comment_count(p) == 2, "count %lld", comment_count(p));
	ct_problem(del(d1, w.r3.token), 403, NULL);
	ct_problem(del(d1, w.mod.token), 403, NULL);
	ct_problem(del(d1, NULL), 401, NULL);
	ct_empty(del(d1, w.r2.token), 204);
	/* still in the thread, as deleted, its text and author gone; the
	   reply is kept */
	t = thread(on(p), w.r2.token);
	a = ct_find(t, "id", d1);
	b = ct_find(t, "id", d2);
	check(json_array_size(t) == 2 && a != NULL && b != NULL &&
	                json_is_true(json_object_get(a, "deleted")) &&
	                json_is_null(json_object_get(a, "body")) &&
	                json_is_null(json_object_get(a, "author")) &&
	                json_is_false(json_object_get(b, "deleted")) &&
	                strcmp(id_str(b, "body"), "Je réponds") == 0 &&
	                strcmp(id_str(b, "parent_id"), d1) == 0,
	        "thread after delete: %s", json_dumps(t, JSON_COMPACT));
	check(json_array_get(t, 0) == a, "the deleted comment moved");
	json_decref(t);
	t = thread(on(p), NULL);
	check(json_is_null(json_object_get(ct_find(t, "id", d1), "body")),
	        "the deleted text is shown to anonymous readers");
	json_decref(t);
	check(comment_count(p) == 1, "count after delete %lld",
	        comment_count(p));
	/* twice: 409; a deleted comment takes no edit, reply or vote */
	ct_problem(del(d1, w.r2.token), 409, NULL);
	ct_problem(edit(d1, w.r2.token, "{\"body\":\"Retour\"}"), 409, NULL);
	ct_problem(ct_comment_post(w.c, on(p), w.r3.token, "x", d1, NULL), 409,
	        NULL);
	ct_problem(vote(d1, w.r3.token, "{\"value\":1}"), 409, NULL);
	check(comment_count(p) == 1, "count after refusals %lld",
	        comment_count(p));
	/* the reply can be deleted too */
	ct_empty(del(d2, w.r3.token), 204);
	check(comment_count(p) == 0, "count %lld", comment_count(p));
	ct_problem(del("0b0b0b0b-0000-4000-8000-000000000000", w.r3.token), 404,
	        NULL);
}

/* ---- votes ---- */

static void
test_votes(void **state)
{
	char p[40], c[40];
	json_t *j, *t;

	(void)state;
	proposal("Votes", p);
	json_decref(ct_comment_new(w.c, on(p), w.r2.token, "Votez", NULL, c));
	j = ct_json(vote(c, w.r3.token, "{\"value\":1}"), 201);
	check(ct_int(j, "up") == 1 && ct_int(j, "down") == 0 &&
	                ct_int(j, "my_vote") == 1,
	        "vote: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* one vote each: a second is 409, whatever its value */
	ct_problem(vote(c, w.r3.token, "{\"value\":1}"), 409, NULL);
	ct_problem(vote(c, w.r3.token, "{\"value\":-1}"), 409, NULL);
	/* not on one's own comment */
	ct_problem(vote(c, w.r2.token, "{\"value\":1}"), 403, NULL);
	j = ct_json(vote(c, w.r1.token, "{\"value\":-1}"), 201);
	check(ct_int(j, "up") == 1 && ct_int(j, "down") == 1 &&
	                ct_int(j, "my_vote") == -1,
	        "down vote: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* refused values and voters */
	ct_problem(vote(c, w.mod.token, "{\"value\":0}"), 422, "value");
	ct_problem(vote(c, w.mod.token, "{\"value\":2}"), 422, "value");
	ct_problem(vote(c, w.mod.token, "{\"value\":\"1\"}"), 422, "value");
	ct_problem(vote(c, w.mod.token, "{}"), 422, "value");
	ct_problem(vote(c, w.member.token, "{\"value\":1}"), 403, NULL);
	ct_problem(vote(c, NULL, "{\"value\":1}"), 401, NULL);
	ct_problem(vote("0b0b0b0b-0000-4000-8000-000000000000", w.r3.token,
	                   "{\"value\":1}"),
	        404, NULL);
	/* the thread shows the counts, and each reader's own vote */
	t = thread(on(p), w.r1.token);
	j = json_array_get(t, 0);
	check(ct_int(j, "up") == 1 && ct_int(j, "down") == 1 &&
	                ct_int(j, "my_vote") == -1,
	        "thread as r1: %s", json_dumps(j, JSON_COMPACT));
	json_decref(t);
	t = thread(on(p), w.r2.token);
	check(json_is_null(json_object_get(json_array_get(t, 0), "my_vote")),
	        "my_vote of someone who did not vote");
	json_decref(t);
	/* withdrawing: 204, then 404; then a new vote */
	ct_empty(vote(c, w.r3.token, NULL), 204);
	ct_problem(vote(c, w.r3.token, NULL), 404, NULL);
	ct_problem(vote(c, w.r2.token, NULL), 404, NULL);
	ct_problem(vote(c, NULL, NULL), 401, NULL);
	j = ct_json(vote(c, w.r3.token, "{\"value\":-1}"), 201);
	check(ct_int(j, "up") == 0 && ct_int(j, "down") == 2,
	        "changed vote: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
}

/* ---- the thread's order and its pages ---- */

/*
 * The list is a depth-first walk: every comment comes right after its
 * parent's subtree has begun (its parent is on the path of open
 * ancestors), siblings oldest first.
 */
static void
check_depth_first(json_t *list)
{
	const char *stack[8];
	const char *last_at[8] = {NULL};
	int depth = 0, k;
	size_t i;

	for (i = 0; i < json_array_size(list); i++) {
		json_t *c = json_array_get(list, i);
		const char *parent =
		        json_is_string(json_object_get(c, "parent_id"))
		                ? id_str(c, "parent_id")
		                : NULL;
		const char *at = id_str(c, "created_at");
		int d = (int)ct_int(c, "depth");

		if (parent == NULL) {
			depth = 0;
		} else {
			while (depth > 0 &&
			        strcmp(stack[depth - 1], parent) != 0)
				depth--;
			check(depth > 0,
			        "comment %zu (%s) comes outside its parent's "
			        "subtree",
			        i, id_str(c, "id"));
		}
		check(d == depth + 1 && depth < 7,
		        "comment %zu: depth %d at level %d", i, d, depth + 1);
		/* siblings oldest first */
		check(last_at[depth] == NULL || strcmp(at, last_at[depth]) >= 0,
		        "comment %zu is older than its previous sibling", i);
		last_at[depth] = at;
		for (k = depth + 1; k < 8; k++)
			last_at[k] = NULL;
		stack[depth] = id_str(c, "id");
		depth++;
	}
}

static void
test_thread_paging(void **state)
{
	/* a, a1, a1x, a1y, a1z, a2, a3, b, b1, c: made out of order */
	enum { A, A1, A1X, A1Y, A2, B, B1, C, A3, A1Z, N };
	static const int order[N] = {A, A1, A1X, A1Y, A1Z, A2, A3, B, B1, C};
	static const int parent[N] = {-1, A, A1, A1, A, -1, B, -1, A, A1};
	static const char *names[N] = {
	        "a", "a1", "a1x", "a1y", "a2", "b", "b1", "c", "a3", "a1z"};
	const struct id_user *who[3] = {&w.r1, &w.r2, &w.r3};
	char p[40], id[N][40];
	json_t *full, *paged;
	int i, lim;

	(void)state;
	proposal("Fil", p);
	for (i = 0; i < N; i++)
		json_decref(
		        ct_comment_new(w.c, on(p), who[i % 3]->token, names[i],
		                parent[i] >= 0 ? id[parent[i]] : NULL, id[i]));
	full = thread(on(p), NULL);
	check(json_array_size(full) == N, "%zu comments",
	        json_array_size(full));
	for (i = 0; i < N; i++)
		check(strcmp(id_str(json_array_get(full, (size_t)i), "id"),
		              id[order[i]]) == 0,
		        "position %d is %s, want %s", i,
		        id_str(json_array_get(full, (size_t)i), "body"),
		        names[order[i]]);
	check_depth_first(full);
	/* pages of every size walk the same thread */
	for (lim = 1; lim <= 4; lim++) {
		paged = id_list_all(
		        ct_path(w.c, "/%s/comments?limit=%d", on(p), lim), NULL,
		        lim);
		check(json_equal(paged, full),
		        "limit=%d: the pages differ from one read", lim);
		json_decref(paged);
	}
	/* a staff reader and a signed-in reader page the same way */
	paged = id_list_all(
	        ct_path(w.c, "/%s/comments?limit=3", on(p)), w.mod.token, 3);
	check(json_array_size(paged) == N, "moderator: %zu",
	        json_array_size(paged));
	json_decref(paged);
	json_decref(full);
	/* the process thread pages too */
	{
		char pid[40], c[3][40];

		ct_process_new(w.c, NULL, NULL, pid);
		json_decref(ct_comment_new(w.c, ct_fmt("processes/%s", pid),
		        w.r1.token, "p1", NULL, c[0]));
		json_decref(ct_comment_new(w.c, ct_fmt("processes/%s", pid),
		        w.r2.token, "p2", NULL, c[1]));
		json_decref(ct_comment_new(w.c, ct_fmt("processes/%s", pid),
		        w.r3.token, "p1r", c[0], c[2]));
		paged = id_list_all(
		        ct_path(w.c, "/processes/%s/comments?limit=1", pid),
		        NULL, 1);
		check(json_array_size(paged) == 3 &&
		                strcmp(id_str(json_array_get(paged, 0), "id"),
		                        c[0]) == 0 &&
		                strcmp(id_str(json_array_get(paged, 1), "id"),
		                        c[2]) == 0 &&
		                strcmp(id_str(json_array_get(paged, 2), "id"),
		                        c[1]) == 0,
		        "process thread order");
		check_depth_first(paged);
		json_decref(paged);
	}
	/* refused query parameters */
	ct_problem(id_call("GET",
	                   ct_path(w.c, "/%s/comments?after=NOT%%20A%%20KEY",
	                           on(p)),
	                   NULL, NULL, NULL),
	        422, "after");
	ct_problem(id_call("GET", ct_path(w.c, "/%s/comments?limit=0", on(p)),
	                   NULL, NULL, NULL),
	        422, "limit");
}

/* ---- the comments count ---- */

static void
test_counts(void **state)
{
	char p[40], k1[40], k2[40], k3[40], k4[40];
	json_t *t, *all;

	(void)state;
	proposal("Compte", p);
	check(comment_count(p) == 0, "new: %lld", comment_count(p));
	json_decref(ct_comment_new(w.c, on(p), w.r2.token, "k1", NULL, k1));
	json_decref(ct_comment_new(w.c, on(p), w.r3.token, "k2", k1, k2));
	json_decref(ct_comment_new(w.c, on(p), w.r1.token, "k3", k2, k3));
	json_decref(ct_comment_new(w.c, on(p), w.r3.token, "k4", NULL, k4));
	check(comment_count(p) == 4, "after 4 creates: %lld", comment_count(p));
	/* comments on the process count for no proposal */
	json_decref(ct_comment_new(w.c, ct_fmt("processes/%s", w.pid),
	        w.r3.token, "ailleurs", NULL, NULL));
	check(comment_count(p) == 4, "a process comment counted: %lld",
	        comment_count(p));
	/* deletes */
	ct_empty(del(k4, w.r3.token), 204);
	check(comment_count(p) == 3, "after a delete: %lld", comment_count(p));
	/* hiding k1 hides its replies: none is visible any more */
	ct_empty(id_call("POST", ct_path(w.c, "/comments/%s/hidden", k1),
	                 w.mod.token, NULL, "{\"reason\":\"hors sujet\"}"),
	        204);
	check(comment_count(p) == 0, "after hiding k1 and its replies: %lld",
	        comment_count(p));
	t = thread(on(p), NULL);
	check(json_array_size(t) == 1 && ct_find(t, "id", k4) != NULL,
	        "public thread after the hide: %s",
	        json_dumps(t, JSON_COMPACT));
	json_decref(t);
	/* staff see the hidden comment flagged, with its replies */
	t = thread(on(p), w.mod.token);
	check(json_array_size(t) == 4 &&
	                json_is_true(json_object_get(
	                        ct_find(t, "id", k1), "hidden")) &&
	                json_is_false(json_object_get(
	                        ct_find(t, "id", k2), "hidden")),
	        "staff thread after the hide: %s", json_dumps(t, JSON_COMPACT));
	json_decref(t);
	/* nothing is added under a hidden comment */
	ct_problem(ct_comment_post(w.c, on(p), w.r2.token, "x", k1, NULL), 404,
	        NULL);
	ct_problem(ct_comment_post(w.c, on(p), w.r2.token, "x", k2, NULL), 404,
	        NULL);
	ct_problem(vote(k2, w.r2.token, "{\"value\":1}"), 404, NULL);
	/* an author's delete under a hidden comment changes no count */
	ct_empty(del(k3, w.r1.token), 204);
	check(comment_count(p) == 0, "a delete under a hidden comment: %lld",
	        comment_count(p));
	/* the list's count follows too */
	all = ct_get(ct_path(w.c,
	                     "/processes/%s/proposals?sort=comments&"
	                     "limit=100",
	                     w.pid),
	        NULL);
	check(ct_int(ct_find(all, "id", p), "comments") == 0,
	        "the list shows another count");
	json_decref(all);
	/* restoring gives them back (not the deleted one) */
	ct_empty(id_call("DELETE", ct_path(w.c, "/comments/%s/hidden", k1),
	                 w.mod.token, NULL, NULL),
	        204);
	check(comment_count(p) == 2, "after the restore: %lld",
	        comment_count(p));
	t = thread(on(p), NULL);
	check(json_array_size(t) == 4, "public thread after the restore: %zu",
	        json_array_size(t));
	json_decref(t);
	/* a hidden reply takes itself only */
	ct_empty(id_call("POST", ct_path(w.c, "/comments/%s/hidden", k2),
	                 w.mod.token, NULL, "{\"reason\":\"spam\"}"),
	        204);
	check(comment_count(p) == 1, "after hiding k2: %lld", comment_count(p));
	/* hiding twice, restoring twice: the same counts */
	ct_empty(id_call("POST", ct_path(w.c, "/comments/%s/hidden", k2),
	                 w.mod.token, NULL, "{\"reason\":\"spam\"}"),
	        204);
	check(comment_count(p) == 1, "after hiding k2 again: %lld",
	        comment_count(p));
	ct_empty(id_call("DELETE", ct_path(w.c, "/comments/%s/hidden", k2),
	                 w.mod.token, NULL, NULL),
	        204);
	ct_empty(id_call("DELETE", ct_path(w.c, "/comments/%s/hidden", k2),
	                 w.mod.token, NULL, NULL),
	        204);
	check(comment_count(p) == 2, "after restoring k2 twice: %lld",
	        comment_count(p));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_create),
	        cmocka_unit_test(test_replies),
	        cmocka_unit_test(test_edit),
	        cmocka_unit_test(test_delete),
	        cmocka_unit_test(test_votes),
	        cmocka_unit_test(test_thread_paging),
	        cmocka_unit_test(test_counts),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
