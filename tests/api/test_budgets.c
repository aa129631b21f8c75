/*
 * test_budgets.c - participatory budgets, end to end
 *
 * A budget with two districts: districts and projects with their bad
 * inputs, feasibility review, the vote generated from the feasible
 * projects, ballots (knapsack: over the budget, under the minimum, two
 * districts, unknown and unfeasible projects refused with nothing
 * appended), closing, the results under Equal Shares with +1 completion
 * beside greedy (figures computed by hand below), one voter's view, and
 * `participe verify` recomputing the outcomes. Two small budgets show the
 * approval (too many, too few) and cumulative (points over the total)
 * ballots. Another collectivity sees none of it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "client.h"
#include "contrib.h"
#include "cred.h"
#include "election.h"
#include "identity.h"
#include "vote.h"
#include "wire.h"

#define NVOTERS 6

static struct {
	char c[64], other[64];
	char pid[40], other_pid[40];
	struct id_user resident, mod;
} w;

/* A budget under test: its ids, its vote, its voters. */
struct pb {
	char pid[40], bid[40], eid[40];
	char district[2][40];
	char project[10][40]; /* by number - 1 */
	struct voter v[NVOTERS];
	struct election e;
};

static const char *
bpath(const char *slug, const char *bid, const char *rest)
{
	return ct_path(slug, "/budgets/%s%s", bid, rest);
}

/* A process of slug with a vote phase going on; pid receives its id. */
static void
pb_process(const char *slug, char *pid)
{
	ct_process_new(slug,
	        ct_fmt("[%s]", ct_phase("vote", -86400, 30 * 86400)), NULL,
	        pid);
}

/* Creates the budget (body) of a new process; fills b->pid, b->bid. */
static void
pb_new(const char *slug, const char *body, struct pb *b)
{
	json_t *j;

	pb_process(slug, b->pid);
	j = ct_json(
	        id_call("POST", ct_path(slug, "/processes/%s/budget", b->pid),
	                http_admin_token(), NULL, body),
	        201);
	snprintf(b->bid, sizeof(b->bid), "%s", id_str(j, "id"));
	json_decref(j);
}

/* Adds project n (numbers go 1, 2, ...) of cost in district d (-1:
   none); reviews it feasible unless feasibility says otherwise. */
static void
pb_project(const char *slug, struct pb *b, int n, const char *title,
        long long cost, int d, const char *feasibility)
{
	json_t *j;

	j = ct_json(
	        id_call("POST", bpath(slug, b->bid, "/projects"),
	                http_admin_token(), NULL,
	                ct_fmt("{\"title\":\"%s\",\"cost\":%lld%s%s%s}", title,
	                        cost, d >= 0 ? ",\"district_id\":\"" : "",
	                        d >= 0 ? b->district[d] : "",
	                        d >= 0 ? "\"" : "")),
	        201);
	assert_int_equal(ct_int(j, "number"), n);
	assert_string_equal(id_str(j, "feasibility"), "pending");
	snprintf(b->project[n - 1], 40, "%s", id_str(j, "id"));
	json_decref(j);
	if (feasibility == NULL)
		feasibility = "{\"feasibility\":\"feasible\"}";
	if (*feasibility == '\0')
		return;
	json_decref(ct_json(id_call("POST",
	                            bpath(slug, b->bid,
	                                    ct_fmt("/projects/%s/review",
	                                            b->project[n - 1])),
	                            w.mod.token, NULL, feasibility),
	        200));
}

/* Creates the vote (authority mode, NVOTERS fresh voters), opens it. */
static void
pb_vote(const char *slug, struct pb *b)
{
	char keys[NVOTERS * 70 + 64];
	size_t i, off = 0;
	json_t *j;

	j = ct_json(id_call("POST", bpath(slug, b->bid, "/vote"),
	                    http_admin_token(), NULL,
	                    ct_fmt("{\"opens_at\":\"%s\",\"closes_at\":\"%s\","
	                           "\"credential_mode\":\"authority\"}",
	                            ct_at(-60), ct_at(3600))),
	        201);
	snprintf(b->eid, sizeof(b->eid), "%s", id_str(j, "id"));
	assert_string_equal(id_str(j, "budget_id"), b->bid);
	json_decref(j);
	off += (size_t)snprintf(keys + off, sizeof(keys) - off, "[");
	for (i = 0; i < NVOTERS; i++) {
		char hex[65];

		cred_code_random(b->v[i].code);
		assert_int_equal(cred_keypair(b->v[i].code, b->eid, b->v[i].pk,
		                         b->v[i].sk),
		        0);
		hex_encode(b->v[i].pk, 32, hex);
		off += (size_t)snprintf(keys + off, sizeof(keys) - off,
		        "%s\"%s\"", i > 0 ? "," : "", hex);
	}
	snprintf(keys + off, sizeof(keys) - off, "]");
	json_decref(ct_json(id_call("POST", epath(slug, b->eid, "/credentials"),
	                            http_admin_token(), NULL,
	                            ct_fmt("{\"credentials\":%s}", keys)),
	        200));
	election_open(slug, b->eid, &b->e);
}

/* The vote's ballot count. */
static long long
pb_ballots(const char *slug, struct pb *b)
{
	json_t *j = ct_get(epath(slug, b->eid, ""), http_admin_token());
	long long n = ct_int(j, "ballots");

	json_decref(j);
	return n;
}

/* A ballot of voter i with this JSON choice is refused (422) with a
   rule message containing why, and nothing is appended. */
static void
pb_refused(const char *slug, struct pb *b, int i, const char *choice,
        const char *why)
{
	struct signed_ballot s;
	struct ballot bb;
	struct choice *c[ELECTION_MAX_QUESTIONS];
	size_t n[ELECTION_MAX_QUESTIONS], q, k = 0;
	long long before = pb_ballots(slug, b);
	json_t *cj = json_loads(choice, JSON_DECODE_ANY, NULL), *p;
	struct choice all[64];
	const char *m;

	/* the raw encoding, past the client-side checks: option index 3
	   written 3 (value 1) or [3, value] */
	assert_non_null(cj);
	memset(&bb, 0, sizeof(bb));
	for (q = 0; q < json_array_size(cj); q++) {
		json_t *el = json_array_get(cj, q), *v;
		size_t x;

		c[q] = all + k;
		n[q] = json_array_size(el);
		json_array_foreach(el, x, v)
		{
			/* 3, or [3, points] */
			all[k].option = (uint32_t)json_integer_value(
			        json_is_array(v) ? json_array_get(v, 0) : v);
			all[k].value = json_is_array(v)
			                       ? (uint32_t)json_integer_value(
			                                 json_array_get(v, 1))
			                       : 1;
			k++;
		}
	}
	sign_raw(&b->e, &b->v[i], 1, json_array_size(cj), n, c, &s);
	json_decref(cj);
	{
		struct http_resp *r = cast(slug, b->eid, &s);

		p = check_problem(r, 422, NULL);
		m = id_str(json_array_get(json_object_get(p, "errors"), 0),
		        "message");
		if (strstr(m, why) == NULL)
			fail_msg("ballot %s: \"%s\" lacks \"%s\"", choice, m,
			        why);
		json_decref(p);
		http_resp_free(r);
	}
	sb_free(&s);
	assert_int_equal(pb_ballots(slug, b), before);
}

/* The projects' numbers of the JSON array of result projects, "1,3". */
static const char *
numbers(json_t *projects)
{
	static char buf[256];
	size_t i, off = 0;
	json_t *p;

	buf[0] = '\0';
	json_array_foreach(projects, i, p)
	{
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%lld",
		        i > 0 ? "," : "", ct_int(p, "number"));
	}
	return buf;
}

/*
 * GETs question's votes as a .pb file, checks its shape, and runs
 * `participe pb tally --json` on it with rule: the selection (a JSON
 * array of ids), the cost in euros, and mes-add1's steps (-1: none).
 */
static void
pb_tally_check(const char *slug, const char *bid, const char *question,
        const char *rule, const char *selected, long long cost, long steps)
{
	struct http_resp *r = id_call("GET",
	        bpath(slug, bid, ct_fmt("/pabulib?question=%s", question)),
	        NULL, NULL, NULL);
	char path[] = "/tmp/participe-pb-XXXXXX", cmd[512], line[65536];
	const char *bin = getenv("PARTICIPE_TEST_BIN");
	int fd = mkstemp(path);
	json_t *j;
	char *got;
	FILE *p;

	assert_int_equal(r->status, 200);
	assert_non_null(
	        strstr(http_resp_header(r, "Content-Type"), "text/plain"));
	assert_true(strncmp(r->body, "META\r\nkey;value\r\n", 17) == 0);
	assert_non_null(strstr(r->body, "\r\nPROJECTS\r\n"));
	assert_non_null(strstr(r->body, "\r\nVOTES\r\n"));
	assert_true(fd >= 0);
	assert_int_equal(write(fd, r->body, r->body_len), (ssize_t)r->body_len);
	close(fd);
	http_resp_free(r);
	snprintf(cmd, sizeof(cmd), "%s pb tally %s --rule %s --json",
	        bin != NULL ? bin : "bin/participe", path, rule);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(line, sizeof(line), p));
	assert_int_equal(pclose(p), 0);
	unlink(path);
	j = json_loads(line, 0, NULL);
	assert_non_null(j);
	got = json_dumps(json_object_get(j, "selected"), JSON_COMPACT);
	assert_string_equal(got, selected);
	free(got);
	assert_int_equal(ct_int(j, "cost"), cost);
	if (steps >= 0)
		assert_int_equal(ct_int(j, "steps"), steps);
	json_decref(j);
}

/* ---- the budget with two districts ---- */

/* The budget with two districts, shared by the tests below. */
static struct pb b;

static void
test_budget_setup_refusals(void **state)
{
	const char *admin = http_admin_token();
	json_t *j;

	(void)state;
	memset(&b, 0, sizeof(b));
	pb_process(w.c, b.pid);
	/* bad budgets; nothing is created */
#define BAD_BUDGET(body, field)                                                \
	ct_problem(                                                            \
	        id_call("POST", ct_path(w.c, "/processes/%s/budget", b.pid),   \
	                admin, NULL, (body)),                                  \
	        422, (field))
	BAD_BUDGET("{\"title\":\"B\",\"amount\":0}", "amount");
	BAD_BUDGET("{\"title\":\"B\",\"amount\":-5}", "amount");
	BAD_BUDGET("{\"title\":\"B\",\"amount\":\"100\"}", "amount");
	BAD_BUDGET("{\"amount\":100}", "title");
	BAD_BUDGET("{\"title\":\"B\",\"amount\":100,\"extra\":1}", "extra");
	BAD_BUDGET("{\"title\":\"B\",\"amount\":100,\"outcome\":\"borda\"}",
	        "outcome");
	BAD_BUDGET("{\"title\":\"B\",\"amount\":100,\"outcome\":"
	           "\"greedy-score\"}",
	        "outcome");
	BAD_BUDGET("{\"title\":\"B\",\"amount\":100,\"utility\":\"joy\"}",
	        "utility");
	BAD_BUDGET(
	        "{\"title\":\"B\",\"amount\":100,\"tie\":\"random\"}", "tie");
	BAD_BUDGET("{\"title\":\"B\",\"amount\":100,\"ballot\":"
	           "{\"kind\":\"lottery\"}}",
	        "ballot/kind");
	BAD_BUDGET("{\"title\":\"B\",\"amount\":100,\"ballot\":"
	           "{\"kind\":\"approval\",\"min\":3,\"max\":2}}",
	        "ballot/min");
	BAD_BUDGET("{\"title\":\"B\",\"amount\":100,\"ballot\":"
	           "{\"kind\":\"knapsack\",\"min_share\":101}}",
	        "ballot/min_share");
	BAD_BUDGET("{\"title\":\"B\",\"amount\":100,\"ballot\":{\"x\":1}}",
	        "ballot/x");
	BAD_BUDGET("{\"title\":\"B\",\"amount\":100,\"ballot\":"
	           "{\"kind\":\"cumulative\",\"total\":3,"
	           "\"max_per_project\":4}}",
	        "ballot/max_per_project");
#undef BAD_BUDGET
	ct_problem(id_call("GET", ct_path(w.c, "/processes/%s/budget", b.pid),
	                   admin, NULL, NULL),
	        404, NULL);
	/* only an admin creates one */
	ct_problem(id_call("POST", ct_path(w.c, "/processes/%s/budget", b.pid),
	                   w.resident.token, NULL,
	                   "{\"title\":\"B\",\"amount\":100}"),
	        403, NULL);
	j = ct_json(id_call("POST", ct_path(w.c, "/processes/%s/budget", b.pid),
	                    admin, NULL,
	                    "{\"title\":\"Budget 2027\",\"amount\":200000,"
	                    "\"ballot\":{\"kind\":\"knapsack\","
	                    "\"min_share\":30}}"),
	        201);
	snprintf(b.bid, sizeof(b.bid), "%s", id_str(j, "id"));
	assert_string_equal(id_str(j, "outcome"), "mes-add1");
	assert_string_equal(id_str(j, "compare"), "greedy");
	assert_string_equal(id_str(j, "utility"), "cost");
	json_decref(j);
	ct_problem(id_call("POST", ct_path(w.c, "/processes/%s/budget", b.pid),
	                   admin, NULL, "{\"title\":\"B\",\"amount\":100}"),
	        409, NULL);
	j = ct_get(ct_path(w.c, "/processes/%s/budget", b.pid), NULL);
	assert_string_equal(id_str(j, "id"), b.bid);
	json_decref(j);
	/* another collectivity does not see it */
	ct_problem(id_call("GET", bpath(w.other, b.bid, ""), NULL, NULL, NULL),
	        404, NULL);

	/* districts */
	j = ct_json(id_call("POST", bpath(w.c, b.bid, "/districts"), admin,
	                    NULL, "{\"name\":\"Centre\",\"amount\":100000}"),
	        201);
	snprintf(b.district[0], 40, "%s", id_str(j, "id"));
	assert_string_equal(id_str(j, "question"), "d1");
	json_decref(j);
	ct_problem(id_call("POST", bpath(w.c, b.bid, "/districts"), admin, NULL,
	                   "{\"name\":\"Centre\",\"amount\":5}"),
	        422, "name");
	ct_problem(id_call("POST", bpath(w.c, b.bid, "/districts"), admin, NULL,
	                   "{\"name\":\"Nord\",\"amount\":0}"),
	        422, "amount");
	ct_problem(id_call("POST", bpath(w.c, b.bid, "/districts"), admin, NULL,
	                   "{\"name\":\"Nord\",\"amount\":5,\"area_id\":"
	                   "\"00000000-0000-4000-8000-000000000000\"}"),
	        422, "area_id");
	ct_problem(id_call("POST", bpath(w.c, b.bid, "/districts"), w.mod.token,
	                   NULL, "{\"name\":\"Nord\",\"amount\":5}"),
	        403, NULL);
	j = ct_json(id_call("POST", bpath(w.c, b.bid, "/districts"), admin,
	                    NULL, "{\"name\":\"Nord\",\"amount\":80000}"),
	        201);
	snprintf(b.district[1], 40, "%s", id_str(j, "id"));
	json_decref(j);

	/* projects: the budget has districts, so one is needed */
	ct_problem(id_call("POST", bpath(w.c, b.bid, "/projects"), admin, NULL,
	                   "{\"title\":\"Parc\",\"cost\":60000}"),
	        422, "district_id");
	ct_problem(id_call("POST", bpath(w.c, b.bid, "/projects"), admin, NULL,
	                   "{\"title\":\"Parc\",\"cost\":60000,\"district_id\":"
	                   "\"00000000-0000-4000-8000-000000000000\"}"),
	        422, "district_id");
	ct_problem(id_call("POST", bpath(w.c, b.bid, "/projects"), admin, NULL,
	                   ct_fmt("{\"title\":\"Parc\",\"cost\":0,"
	                          "\"district_id\":\"%s\"}",
	                           b.district[0])),
	        422, "cost");
	ct_problem(id_call("POST", bpath(w.c, b.bid, "/projects"), admin, NULL,
	                   ct_fmt("{\"title\":\"Parc\",\"cost\":1.5,"
	                          "\"district_id\":\"%s\"}",
	                           b.district[0])),
	        422, "cost");
	ct_problem(id_call("POST", bpath(w.c, b.bid, "/projects"), admin, NULL,
	                   ct_fmt("{\"cost\":5,\"district_id\":\"%s\"}",
	                           b.district[0])),
	        422, "title");
	ct_problem(id_call("POST", bpath(w.c, b.bid, "/projects"), admin, NULL,
	                   ct_fmt("{\"cost\":5,\"district_id\":\"%s\","
	                          "\"proposal_id\":\"%s\"}",
	                           b.district[0], b.bid)),
	        422, "proposal_id");
	{
		json_t *l = ct_get(bpath(w.c, b.bid, "/projects"), NULL);

		assert_int_equal(json_array_size(l), 0);
		json_decref(l);
	}
	/* d1 (1000 €): A, B, C feasible, D unfeasible, E pending; d2 (800
	   €): F, G, H */
	pb_project(w.c, &b, 1, "A", 60000, 0, NULL);
	pb_project(w.c, &b, 2, "B", 40000, 0, NULL);
	pb_project(w.c, &b, 3, "C", 40000, 0, NULL);
	pb_project(w.c, &b, 4, "D", 10000, 0,
	        "{\"feasibility\":\"unfeasible\",\"reason\":\"Not our land\"}");
	pb_project(w.c, &b, 5, "E", 10000, 0, "");
	pb_project(w.c, &b, 6, "F", 70000, 1, NULL);
	pb_project(w.c, &b, 7, "G", 10000, 1, NULL);
	pb_project(w.c, &b, 8, "H", 40000, 1,
	        "{\"feasibility\":\"feasible\",\"reviewed_cost\":45000}");
	/* reviews: staff only, and well formed */
	{
		const char *rv = bpath(w.c, b.bid,
		        ct_fmt("/projects/%s/review", b.project[4]));

		ct_problem(id_call("POST", rv, w.resident.token, NULL,
		                   "{\"feasibility\":\"feasible\"}"),
		        403, NULL);
		ct_problem(id_call("POST", rv, w.mod.token, NULL,
		                   "{\"feasibility\":\"maybe\"}"),
		        422, "feasibility");
		ct_problem(id_call("POST", rv, w.mod.token, NULL,
		                   "{\"feasibility\":\"unfeasible\"}"),
		        422, "reason");
		ct_problem(id_call("POST", rv, w.mod.token, NULL,
		                   "{\"feasibility\":\"unfeasible\",\"reason\":"
		                   "\"x\",\"reviewed_cost\":5}"),
		        422, "reviewed_cost");
		ct_problem(id_call("POST", rv, w.mod.token, NULL,
		                   "{\"feasibility\":\"feasible\",\"reviewed_"
		                   "cost\":"
		                   "0}"),
		        422, "reviewed_cost");
	}
	j = ct_get(
	        bpath(w.c, b.bid, ct_fmt("/projects/%s", b.project[3])), NULL);
	assert_string_equal(id_str(j, "feasibility"), "unfeasible");
	assert_string_equal(id_str(j, "unfeasible_reason"), "Not our land");
	json_decref(j);
	j = ct_get(
	        bpath(w.c, b.bid, ct_fmt("/projects/%s", b.project[7])), NULL);
	assert_int_equal(ct_int(j, "ballot_cost"), 45000);
	assert_string_equal(id_str(j, "option"), "p000008");
	json_decref(j);
	/* a new cost goes back to review */
	j = ct_json(
	        id_call("PATCH",
	                bpath(w.c, b.bid, ct_fmt("/projects/%s", b.project[6])),
	                admin, NULL, "{\"cost\":11000}"),
	        200);
	assert_string_equal(id_str(j, "feasibility"), "pending");
	json_decref(j);
	json_decref(ct_json(
	        id_call("POST",
	                bpath(w.c, b.bid,
	                        ct_fmt("/projects/%s/review", b.project[6])),
	                w.mod.token, NULL,
	                "{\"feasibility\":\"feasible\",\"reviewed_cost\":"
	                "10000}"),
	        200));
	/* lists: by district, by feasibility, in pages */
	j = ct_get(bpath(w.c, b.bid,
	                   ct_fmt("/projects?district=%s", b.district[0])),
	        NULL);
	assert_int_equal(json_array_size(j), 5);
	json_decref(j);
	j = ct_get(bpath(w.c, b.bid, "/projects?feasibility=feasible"), NULL);
	assert_int_equal(json_array_size(j), 6);
	json_decref(j);
	j = id_list_all(bpath(w.c, b.bid, "/projects?limit=3"), NULL, 3);
	assert_int_equal(json_array_size(j), 8);
	json_decref(j);
	ct_problem(id_call("GET", bpath(w.c, b.bid, "/projects?feasibility=x"),
	                   NULL, NULL, NULL),
	        422, "feasibility");

	/* a vote needs a vote phase and two feasible projects a district */
	{
		struct pb n;

		memset(&n, 0, sizeof(n));
		ct_process_new(w.c,
		        ct_fmt("[%s]", ct_phase("proposals", -86400, 86400)),
		        NULL, n.pid);
		j = ct_json(
		        id_call("POST",
		                ct_path(w.c, "/processes/%s/budget", n.pid),
		                admin, NULL, "{\"title\":\"T\",\"amount\":10}"),
		        201);
		snprintf(n.bid, sizeof(n.bid), "%s", id_str(j, "id"));
		json_decref(j);
		ct_problem(id_call("POST", bpath(w.c, n.bid, "/vote"), admin,
		                   NULL, "{}"),
		        409, NULL);
		pb_new(w.c, "{\"title\":\"T\",\"amount\":10}", &n);
		pb_project(w.c, &n, 1, "Only", 5, -1, NULL);
		pb_project(w.c, &n, 2, "Pending", 5, -1, "");
		ct_problem(id_call("POST", bpath(w.c, n.bid, "/vote"), admin,
		                   NULL, "{}"),
		        409, NULL);
	}

	/* the vote */
	pb_vote(w.c, &b);
	assert_int_equal(b.e.districts_per_voter, 1);
	assert_int_equal(b.e.nquestions, 2);
	assert_string_equal(b.e.questions[0].id, "d1");
	assert_int_equal(b.e.questions[0].noptions, 3); /* A B C */
	assert_string_equal(b.e.questions[0].option_ids[2], "p000003");
	assert_int_equal(b.e.questions[0].rule.kind, RULE_KNAPSACK);
	assert_int_equal(b.e.questions[0].rule.max_cost, 100000);
	assert_int_equal(b.e.questions[0].rule.min_cost, 30000);
	assert_int_equal(b.e.questions[1].noptions, 3); /* F G H */
	assert_int_equal(b.e.questions[1].costs[1], 10000);
	assert_int_equal(b.e.questions[1].costs[2], 45000);
	assert_int_equal(b.e.questions[1].rule.min_cost, 24000);
	assert_string_equal(b.e.questions[1].budget.outcome, "mes-add1");
	/* fixed once open */
	ct_problem(id_call("POST", bpath(w.c, b.bid, "/projects"), admin, NULL,
	                   ct_fmt("{\"title\":\"Late\",\"cost\":5,"
	                          "\"district_id\":\"%s\"}",
	                           b.district[0])),
	        409, NULL);
	ct_problem(id_call("POST",
	                   bpath(w.c, b.bid,
	                           ct_fmt("/projects/%s/review", b.project[4])),
	                   w.mod.token, NULL, "{\"feasibility\":\"feasible\"}"),
	        409, NULL);
	ct_problem(id_call("PATCH", bpath(w.c, b.bid, ""), admin, NULL,
	                   "{\"amount\":5}"),
	        409, NULL);
	ct_problem(
	        id_call("POST", bpath(w.c, b.bid, "/vote"), admin, NULL, "{}"),
	        409, NULL);
	json_decref(ct_json(id_call("PATCH", bpath(w.c, b.bid, ""), admin, NULL,
	                            "{\"title\":\"Budget participatif 2027\"}"),
	        200));
}

/* d1 (1000 €, 5 voters): A 600, B 400, C 400; d2 (800 €, 1 voter): F 700,
   G 100, H 450. Knapsack ballots, at least 30 % of the district. */
static void
test_budget_vote(void **state)
{
	struct signed_ballot s[NVOTERS];
	json_t *j, *d1, *d2;
	char tr[65];
	int i;

	(void)state;
	/* bad ballots (raw option indices), nothing appended */
	pb_refused(w.c, &b, 0, "[[0,1,2],[]]",
	        "question d1: the chosen projects cost 140000, over the "
	        "budget of 100000");
	pb_refused(w.c, &b, 0, "[[],[1]]",
	        "question d2: the chosen projects cost 10000, under the "
	        "minimum of 24000");
	pb_refused(w.c, &b, 0, "[[0],[2]]",
	        "the ballot votes in 2 districts, at most 1 allowed");
	pb_refused(w.c, &b, 0, "[[],[]]",
	        "the ballot chooses no project in any district");
	/* D (unfeasible), E (pending) and the other district's projects are
	   not options of d1 */
	pb_refused(w.c, &b, 0, "[[0,3],[]]", "option index 3 does not exist");
	/* the votes */
	for (i = 0; i < NVOTERS; i++) {
		const char *choice = i < 3   ? "[[\"p000001\",\"p000002\"],[]]"
		                     : i < 5 ? "[[\"p000003\"],[]]"
		                             : "[[],[\"p000007\",\"p000008\"]]";

		sign_choice(&b.e, &b.v[i], 1, choice, &s[i]);
		cast_ok(w.c, b.eid, &b.e, &s[i]);
	}
	assert_int_equal(pb_ballots(w.c, &b), NVOTERS);
	ct_problem(
	        id_call("GET", bpath(w.c, b.bid, "/results"), NULL, NULL, NULL),
	        409, NULL);
	json_decref(ct_json(id_call("POST", epath(w.c, b.eid, "/close"),
	                            http_admin_token(), NULL, NULL),
	        200));
	j = ct_get(bpath(w.c, b.bid, "/results"), NULL);
	assert_int_equal(ct_int(j, "ballots"), NVOTERS);
	d1 = json_array_get(json_object_get(j, "districts"), 0);
	d2 = json_array_get(json_object_get(j, "districts"), 1);
	assert_string_equal(id_str(d1, "name"), "Centre");
	assert_int_equal(ct_int(d1, "voters"), 5);
	/* Equal Shares: each of the 5 voters of d1 has 200 €. A (3 voters,
	   200 € each, ρ = 1/3) and B (ρ = 1/3) tie, A goes first by id; B's
	   voters have nothing left; C's 2 voters pay 200 € each (ρ = 1/2).
	   +1 €: A, C until A's voters keep 3 × k ≥ 400 € at k = 134 €, when
	   B fits too and the outcome (1400 €) overspends: 133 steps. */
	{
		json_t *o = json_object_get(d1, "outcome");

		assert_string_equal(id_str(o, "rule"), "mes-add1");
		assert_string_equal(
		        numbers(json_object_get(o, "projects")), "1,3");
		assert_int_equal(ct_int(o, "spent"), 100000);
		assert_int_equal(ct_int(o, "left"), 0);
		assert_int_equal(ct_int(o, "steps"), 133);
		assert_string_equal(id_str(o, "per_voter_budget"), "33300");
		assert_int_equal(
		        ct_int(json_array_get(
		                       json_object_get(o, "projects"), 0),
		                "votes"),
		        3);
		/* greedy: A (3 votes), B (3), then C does not fit */
		o = json_object_get(d1, "compare");
		assert_string_equal(id_str(o, "rule"), "greedy");
		assert_string_equal(
		        numbers(json_object_get(o, "projects")), "1,2");
		assert_int_equal(ct_int(o, "spent"), 100000);
	}
	{
		json_t *o = json_object_get(d2, "outcome");

		assert_string_equal(
		        numbers(json_object_get(o, "projects")), "7,8");
		assert_int_equal(ct_int(o, "spent"), 55000);
		assert_int_equal(ct_int(o, "left"), 25000);
	}
	json_decref(j);
	/* one voter's view: v0 chose A and B, A won */
	hex_encode(s[0].tracker, 32, tr);
	j = ct_get(bpath(w.c, b.bid, ct_fmt("/results/%s", tr)), NULL);
	assert_true(json_is_true(json_object_get(j, "counted")));
	d1 = json_array_get(json_object_get(j, "districts"), 0);
	assert_string_equal(id_str(d1, "question"), "d1");
	assert_int_equal(ct_int(d1, "won"), 1);
	assert_int_equal(ct_int(d1, "chosen_count"), 2);
	json_decref(j);
	ct_problem(
	        id_call("GET", bpath(w.c, b.bid, ct_fmt("/results/%064d", 0)),
	                NULL, NULL, NULL),
	        404, NULL);
	/* the verifier recomputes the outcomes */
	{
		char result[8192];
		json_t *pub = ct_get(epath(w.c, b.eid, "/result"), NULL);
		char *pubs = json_dumps(json_object_get(pub, "result"),
		        JSON_COMPACT | JSON_SORT_KEYS);

		assert_int_equal(
		        run_verify(w.c, b.eid, -1, result, sizeof(result)), 0);
		assert_string_equal(result, pubs);
		free(pubs);
		json_decref(pub);
	}
	/* the votes as a Pabulib file, which `participe pb tally` counts
	   the same */
	ct_problem(
	        id_call("GET", bpath(w.c, b.bid, "/pabulib"), NULL, NULL, NULL),
	        422, "question");
	ct_problem(id_call("GET", bpath(w.c, b.bid, "/pabulib?question=d9"),
	                   NULL, NULL, NULL),
	        422, "question");
	pb_tally_check(w.c, b.bid, "d1", "mes-add1",
	        "[\"p000001\",\"p000003\"]", 1000, 133);
	pb_tally_check(w.c, b.bid, "d1", "greedy", "[\"p000001\",\"p000002\"]",
	        1000, -1);
	pb_tally_check(w.c, b.bid, "d2", "mes-add1",
	        "[\"p000007\",\"p000008\"]", 550, 0);
	for (i = 0; i < NVOTERS; i++)
		sb_free(&s[i]);
	election_free(&b.e);
}

/* Approval (2 to 3 projects) and cumulative (5 points, 3 at most on one)
   budgets without districts: one question "all". */
static void
test_budget_ballot_rules(void **state)
{
	struct pb a, c;
	struct signed_ballot s;
	json_t *j, *o;
	int i;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&c, 0, sizeof(c));
	pb_new(w.c,
	        "{\"title\":\"Approbation\",\"amount\":100000,\"ballot\":"
	        "{\"kind\":\"approval\",\"min\":2,\"max\":3},"
	        "\"outcome\":\"mes\"}",
	        &a);
	for (i = 1; i <= 4; i++)
		pb_project(w.c, &a, i, ct_fmt("P%d", i), 30000, -1, NULL);
	pb_vote(w.c, &a);
	assert_string_equal(a.e.questions[0].id, "all");
	assert_int_equal(a.e.districts_per_voter, 1);
	assert_int_equal(a.e.questions[0].rule.kind, RULE_APPROVAL);
	pb_refused(w.c, &a, 0, "[[0]]", "1 option chosen, at least 2 required");
	pb_refused(w.c, &a, 0, "[[0,1,2,3]]",
	        "4 options chosen, at most 3 allowed");
	pb_refused(w.c, &a, 0, "[[0,4]]", "option index 4 does not exist");
	sign_choice(&a.e, &a.v[0], 1, "[[\"p000001\",\"p000004\"]]", &s);
	cast_ok(w.c, a.eid, &a.e, &s);
	sb_free(&s);
	election_free(&a.e);

	pb_new(w.c,
	        "{\"title\":\"Points\",\"amount\":100000,\"ballot\":"
	        "{\"kind\":\"cumulative\",\"total\":5,"
	        "\"max_per_project\":3},\"outcome\":\"greedy-score\","
	        "\"compare\":\"mes\"}",
	        &c);
	for (i = 1; i <= 3; i++)
		pb_project(w.c, &c, i, ct_fmt("P%d", i), 40000, -1, NULL);
	pb_vote(w.c, &c);
	assert_int_equal(c.e.questions[0].rule.kind, RULE_CUMULATIVE);
	pb_refused(w.c, &c, 0, "[[[0,3],[1,3]]]", "points total 6 is over 5");
	pb_refused(w.c, &c, 0, "[[[0,4]]]",
	        "option index 0 has 4 points, at most 3 allowed on one option");
	pb_refused(w.c, &c, 0, "[[]]",
	        "the ballot chooses no project in any district");
	/* greedy-score: P2 (5 points), P1 (3) fit, P3 (2) does not */
	sign_choice(&c.e, &c.v[0], 1, "[{\"p000001\":3,\"p000002\":2}]", &s);
	cast_ok(w.c, c.eid, &c.e, &s);
	sb_free(&s);
	sign_choice(&c.e, &c.v[1], 1, "[{\"p000002\":3,\"p000003\":2}]", &s);
	cast_ok(w.c, c.eid, &c.e, &s);
	sb_free(&s);
	json_decref(ct_json(id_call("POST", epath(w.c, c.eid, "/close"),
	                            http_admin_token(), NULL, NULL),
	        200));
	j = ct_get(bpath(w.c, c.bid, "/results"), NULL);
	o = json_object_get(
	        json_array_get(json_object_get(j, "districts"), 0), "outcome");
	assert_string_equal(id_str(o, "rule"), "greedy-score");
	assert_string_equal(numbers(json_object_get(o, "projects")), "2,1");
	assert_int_equal(
	        ct_int(json_array_get(json_object_get(o, "projects"), 0),
	                "score"),
	        5);
	assert_int_equal(ct_int(o, "left"), 20000);
	json_decref(j);
	/* one district: the file needs no ?question= */
	pb_tally_check(w.c, c.bid, "all", "greedy-score",
	        "[\"p000002\",\"p000001\"]", 800, -1);
	election_free(&c.e);
}

/* An accepted proposal becomes a project; a ranking budget with two
   districts where a voter may vote in both. */
static void
test_budget_proposals_ranking(void **state)
{
	struct pb r;
	char prop[40];
	json_t *j;
	struct signed_ballot s;

	(void)state;
	memset(&r, 0, sizeof(r));
	ct_process_new(w.c,
	        ct_fmt("[%s,%s]", ct_phase("proposals", -86400, 3600),
	                ct_phase("vote", 7200, 30 * 86400)),
	        NULL, r.pid);
	j = ct_json(id_call("POST", ct_path(w.c, "/processes/%s/budget", r.pid),
	                    http_admin_token(), NULL,
	                    "{\"title\":\"Classement\",\"amount\":100000,"
	                    "\"districts_per_voter\":2,\"ballot\":{\"kind\":"
	                    "\"ranking\",\"min\":1,\"max\":2}}"),
	        201);
	snprintf(r.bid, sizeof(r.bid), "%s", id_str(j, "id"));
	json_decref(j);
	json_decref(ct_proposal_new(w.c, r.pid, &w.resident, "Des arbres",
	        "Planter des tilleuls rue Neuve", NULL, prop));
	ct_problem(
	        id_call("POST", bpath(w.c, r.bid, "/projects"),
	                http_admin_token(), NULL,
	                ct_fmt("{\"cost\":5000,\"proposal_id\":\"%s\"}", prop)),
	        409, NULL);
	json_decref(ct_json(
	        id_call("POST", ct_path(w.c, "/proposals/%s/answer", prop),
	                w.mod.token, NULL,
	                "{\"state\":\"accepted\",\"answer\":\"Retenu\"}"),
	        200));
	j = ct_json(id_call("POST", bpath(w.c, r.bid, "/districts"),
	                    http_admin_token(), NULL,
	                    "{\"name\":\"Est\",\"amount\":50000}"),
	        201);
	snprintf(r.district[0], 40, "%s", id_str(j, "id"));
	json_decref(j);
	j = ct_json(id_call("POST", bpath(w.c, r.bid, "/districts"),
	                    http_admin_token(), NULL,
	                    "{\"name\":\"Ouest\",\"amount\":50000}"),
	        201);
	snprintf(r.district[1], 40, "%s", id_str(j, "id"));
	json_decref(j);
	j = ct_json(id_call("POST", bpath(w.c, r.bid, "/projects"),
	                    http_admin_token(), NULL,
	                    ct_fmt("{\"cost\":5000,\"proposal_id\":\"%s\","
	                           "\"district_id\":\"%s\"}",
	                            prop, r.district[0])),
	        201);
	assert_string_equal(id_str(j, "title"), "Des arbres");
	assert_string_equal(
	        id_str(j, "description"), "Planter des tilleuls rue Neuve");
	assert_string_equal(id_str(j, "proposal_id"), prop);
	snprintf(r.project[0], 40, "%s", id_str(j, "id"));
	json_decref(j);
	ct_problem(id_call("POST", bpath(w.c, r.bid, "/projects"),
	                   http_admin_token(), NULL,
	                   ct_fmt("{\"cost\":5000,\"proposal_id\":\"%s\","
	                          "\"district_id\":\"%s\"}",
	                           prop, r.district[0])),
	        409, NULL);
	json_decref(ct_json(
	        id_call("POST",
	                bpath(w.c, r.bid,
	                        ct_fmt("/projects/%s/review", r.project[0])),
	                w.mod.token, NULL, "{\"feasibility\":\"feasible\"}"),
	        200));
	pb_project(w.c, &r, 2, "Fontaine", 20000, 0, NULL);
	pb_project(w.c, &r, 3, "Kiosque", 30000, 1, NULL);
	pb_project(w.c, &r, 4, "Potager", 10000, 1, NULL);
	/* the vote phase starts later: open the vote now */
	j = ct_json(id_call("POST", bpath(w.c, r.bid, "/vote"),
	                    http_admin_token(), NULL,
	                    ct_fmt("{\"opens_at\":\"%s\",\"closes_at\":\"%s\","
	                           "\"credential_mode\":\"authority\"}",
	                            ct_at(-60), ct_at(3600))),
	        201);
	json_decref(j);
	/* a draft vote is staff's: anonymous readers do not see its id */
	j = ct_get(bpath(w.c, r.bid, ""), NULL);
	assert_true(json_is_null(json_object_get(j, "election_id")));
	assert_true(json_is_null(json_object_get(j, "vote_state")));
	json_decref(j);
	{
		char keys[200];
		char hex[65];

		j = ct_get(bpath(w.c, r.bid, ""), http_admin_token());
		snprintf(r.eid, sizeof(r.eid), "%s", id_str(j, "election_id"));
		json_decref(j);
		cred_code_random(r.v[0].code);
		assert_int_equal(
		        cred_keypair(r.v[0].code, r.eid, r.v[0].pk, r.v[0].sk),
		        0);
		hex_encode(r.v[0].pk, 32, hex);
		snprintf(keys, sizeof(keys), "{\"credentials\":[\"%s\"]}", hex);
		json_decref(ct_json(
		        id_call("POST", epath(w.c, r.eid, "/credentials"),
		                http_admin_token(), NULL, keys),
		        200));
		election_open(w.c, r.eid, &r.e);
	}
	assert_int_equal(r.e.districts_per_voter, 2);
	assert_int_equal(r.e.questions[1].rule.kind, RULE_RANKING);
	pb_refused(w.c, &r, 0, "[[[0,1],[1,1]],[]]", "rank 1 is given twice");
	pb_refused(w.c, &r, 0, "[[[0,2]],[]]",
	        "option index 0 has rank 2, ranks go from 1 to 1");
	/* both districts in one ballot, best first */
	sign_choice(&r.e, &r.v[0], 1,
	        "[[\"p000002\",\"p000001\"],[\"p000004\"]]", &s);
	cast_ok(w.c, r.eid, &r.e, &s);
	sb_free(&s);
	election_free(&r.e);
	/* once open, everyone does */
	j = ct_get(bpath(w.c, r.bid, ""), NULL);
	assert_string_equal(id_str(j, "vote_state"), "open");
	json_decref(j);
}

/* Runs cmd; its standard output's first line with prefix, the rest of
   the line in out; returns the exit status. */
static int
run_cmd(const char *cmd, const char *prefix, char *out, size_t outsz)
{
	char line[1024];
	FILE *p = popen(cmd, "r");
	int st;

	assert_non_null(p);
	out[0] = '\0';
	while (fgets(line, sizeof(line), p) != NULL)
		if (strncmp(line, prefix, strlen(prefix)) == 0 &&
		        out[0] == '\0') {
			snprintf(out, outsz, "%s", line + strlen(prefix));
			out[strcspn(out, "\n")] = '\0';
		}
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The Pabulib ids (JSON array text) of result projects, from the
   projects' descriptions ("Pabulib project ID"). */
static const char *
pabulib_ids(json_t *projects, json_t *all)
{
	json_t *ids = json_array(), *p;
	static char buf[1024];
	char *s;
	size_t i;

	json_array_foreach(projects, i, p)
	{
		json_t *full = ct_find(all, "id", id_str(p, "project_id"));
		const char *d = id_str(full, "description");

		assert_true(strncmp(d, "Pabulib project ", 16) == 0);
		json_array_append_new(ids, json_string(d + 16));
	}
	s = json_dumps(ids, JSON_COMPACT);
	snprintf(buf, sizeof(buf), "%s", s);
	free(s);
	json_decref(ids);
	return buf;
}

/* `participe pb import --votes --close` of a real election: the server's
   outcomes are the reference implementation's (expected.json). */
static void
test_pb_import(void **state)
{
	const char *bin = getenv("PARTICIPE_TEST_BIN");
	const char *file = "tests/data/pabulib/Netherlands_Assen_2024.pb";
	char pid[40], bid[128], cmd[2048], *got;
	json_t *exp, *x, *j, *all, *d, *o;
	FILE *f;

	(void)state;
	if (bin == NULL)
		bin = "bin/participe";
	exp = json_load_file("tests/data/pabulib/expected.json", 0, NULL);
	assert_non_null(exp);
	x = json_object_get(
	        json_object_get(exp, "Netherlands_Assen_2024.pb"), "outcomes");
	pb_process(w.c, pid);
	snprintf(cmd, sizeof(cmd),
	        "%s pb import %s --collectivity %s --process %s --url %s "
	        "--token %s --votes --close",
	        bin, file, w.c, pid, getenv("PARTICIPE_TEST_URL"),
	        http_admin_token());
	assert_int_equal(run_cmd(cmd, "budget ", bid, sizeof(bid)), 0);
	j = ct_get(bpath(w.c, bid, "/results"), NULL);
	all = id_list_all(bpath(w.c, bid, "/projects?limit=100"), NULL, 100);
	assert_int_equal(json_array_size(all), 14);
	assert_int_equal(ct_int(j, "ballots"), 84);
	d = json_array_get(json_object_get(j, "districts"), 0);
	o = json_object_get(d, "outcome");
	got = json_dumps(
	        json_object_get(json_object_get(x, "mes-add1"), "order"),
	        JSON_COMPACT);
	assert_string_equal(
	        pabulib_ids(json_object_get(o, "projects"), all), got);
	free(got);
	assert_int_equal(ct_int(o, "spent"),
	        100 * ct_int(json_object_get(x, "mes-add1"), "cost"));
	assert_int_equal(ct_int(o, "steps"),
	        ct_int(json_object_get(x, "mes-add1"), "steps"));
	o = json_object_get(d, "compare");
	got = json_dumps(json_object_get(json_object_get(x, "greedy"), "order"),
	        JSON_COMPACT);
	assert_string_equal(
	        pabulib_ids(json_object_get(o, "projects"), all), got);
	free(got);
	json_decref(all);
	json_decref(j);
	json_decref(exp);
	/* a bad file: its line, and nothing created */
	pb_process(w.c, pid);
	f = fopen("/tmp/participe-bad.pb", "w");
	assert_non_null(f);
	fputs("META\nkey;value\nbudget;100\nPROJECTS\nproject_id;cost\n"
	      "1;50\n2;60\nVOTES\nvoter_id;vote\n1;1,2\n2;3\n",
	        f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
	        "%s pb import /tmp/participe-bad.pb --collectivity %s "
	        "--process %s --url %s --token %s 2>&1",
	        bin, w.c, pid, getenv("PARTICIPE_TEST_URL"),
	        http_admin_token());
	assert_int_equal(
	        run_cmd(cmd, "/tmp/participe-bad.pb:11:", bid, sizeof(bid)), 1);
	assert_non_null(strstr(bid, "3"));
	unlink("/tmp/participe-bad.pb");
	ct_problem(id_call("GET", ct_path(w.c, "/processes/%s/budget", pid),
	                   http_admin_token(), NULL, NULL),
	        404, NULL);
}

/* ---- setup ---- */

static int
group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	id_collectivity_new("pb", "commune", NULL, w.c);
	id_collectivity_new("pb-other", "commune", NULL, w.other);
	id_member_new(&w.resident, "pb-resident", w.c, "resident");
	id_member_new(&w.mod, "pb-mod", w.c, "moderator");
	pb_process(w.other, w.other_pid);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_budget_setup_refusals),
	        cmocka_unit_test(test_budget_vote),
	        cmocka_unit_test(test_budget_ballot_rules),
	        cmocka_unit_test(test_budget_proposals_ranking),
	        cmocka_unit_test(test_pb_import),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
