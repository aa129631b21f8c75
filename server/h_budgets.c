/*
 * h_budgets.c - participatory budgets: the budget of a process, its
 * districts and projects, its vote and its results (docs/budgets.md)
 *
 * Most routes are one SQL call (90_budgets.sql). The vote is an election
 * (h_elections.c, vote.c) whose questions the budget generates; outcomes
 * are computed with the election's result (lib/election.c). The per-voter
 * view decodes the voter's ballot here, on the task pool.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "election.h"
#include "handlers.h"
#include "reply.h"
#include "req.h"
#include "task.h"
#include "wire.h"

/* Largest amount or cost, in cents (ten thousand billion euros). */
#define MAX_AMOUNT 1000000000000000LL

static const struct jsonv_field budget_create_fields[] = {
        {"title", JV_STRING, 1, 0, 1, 200},
        {"description", JV_STRING, 0, 0, 0, 20000},
        {"amount", JV_INTEGER, 1, 0, 1, MAX_AMOUNT},
        {"districts_per_voter", JV_INTEGER, 0, 0, 1, 20},
        {"ballot", JV_OBJECT, 0, 0, 0, 0},
        {"outcome", JV_STRING, 0, 0, 1, 20},
        {"compare", JV_STRING, 0, 0, 1, 20},
        {"utility", JV_STRING, 0, 0, 1, 20},
        {"tie", JV_STRING, 0, 0, 1, 20},
        {"min_votes", JV_INTEGER, 0, 0, 0, 100000000},
};
const struct jsonv_spec budget_create_body = {budget_create_fields,
        sizeof(budget_create_fields) / sizeof(budget_create_fields[0])};

static const struct jsonv_field budget_update_fields[] = {
        {"title", JV_STRING, 0, 0, 1, 200},
        {"description", JV_STRING, 0, 0, 0, 20000},
        {"amount", JV_INTEGER, 0, 0, 1, MAX_AMOUNT},
        {"districts_per_voter", JV_INTEGER, 0, 0, 1, 20},
        {"ballot", JV_OBJECT, 0, 0, 0, 0},
        {"outcome", JV_STRING, 0, 0, 1, 20},
        {"compare", JV_STRING, 0, 0, 1, 20},
        {"utility", JV_STRING, 0, 0, 1, 20},
        {"tie", JV_STRING, 0, 0, 1, 20},
        {"min_votes", JV_INTEGER, 0, 0, 0, 100000000},
};
const struct jsonv_spec budget_update_body = {budget_update_fields,
        sizeof(budget_update_fields) / sizeof(budget_update_fields[0])};

static const struct jsonv_field district_create_fields[] = {
        {"name", JV_STRING, 1, 0, 1, 200},
        {"amount", JV_INTEGER, 1, 0, 1, MAX_AMOUNT},
        {"area_id", JV_STRING, 0, 1, 1, 40},
};
const struct jsonv_spec district_create_body = {district_create_fields,
        sizeof(district_create_fields) / sizeof(district_create_fields[0])};

static const struct jsonv_field district_update_fields[] = {
        {"name", JV_STRING, 0, 0, 1, 200},
        {"amount", JV_INTEGER, 0, 0, 1, MAX_AMOUNT},
        {"area_id", JV_STRING, 0, 1, 1, 40},
};
const struct jsonv_spec district_update_body = {district_update_fields,
        sizeof(district_update_fields) / sizeof(district_update_fields[0])};

static const struct jsonv_field project_create_fields[] = {
        {"title", JV_STRING, 0, 0, 1, 200},
        {"description", JV_STRING, 0, 0, 0, 20000},
        {"cost", JV_INTEGER, 1, 0, 1, MAX_AMOUNT},
        {"district_id", JV_STRING, 0, 1, 1, 40},
        {"proposal_id", JV_STRING, 0, 0, 1, 40},
};
const struct jsonv_spec project_create_body = {project_create_fields,
        sizeof(project_create_fields) / sizeof(project_create_fields[0])};

static const struct jsonv_field project_update_fields[] = {
        {"title", JV_STRING, 0, 0, 1, 200},
        {"description", JV_STRING, 0, 0, 0, 20000},
        {"cost", JV_INTEGER, 0, 0, 1, MAX_AMOUNT},
        {"district_id", JV_STRING, 0, 1, 1, 40},
};
const struct jsonv_spec project_update_body = {project_update_fields,
        sizeof(project_update_fields) / sizeof(project_update_fields[0])};

static const struct jsonv_field project_review_fields[] = {
        {"feasibility", JV_STRING, 1, 0, 1, 20},
        {"reviewed_cost", JV_INTEGER, 0, 0, 1, MAX_AMOUNT},
        {"reason", JV_STRING, 0, 0, 1, 2000},
};
const struct jsonv_spec project_review_body = {project_review_fields,
        sizeof(project_review_fields) / sizeof(project_review_fields[0])};

static const struct jsonv_field budget_vote_fields[] = {
        {"title", JV_STRING, 0, 0, 1, 200},
        {"description", JV_STRING, 0, 0, 0, 20000},
        {"opens_at", JV_STRING, 0, 0, 1, 40},
        {"closes_at", JV_STRING, 0, 0, 1, 40},
        {"revote", JV_BOOLEAN, 0, 0, 0, 0},
        {"credential_mode", JV_STRING, 0, 0, 1, 20},
};
const struct jsonv_spec budget_vote_body = {budget_vote_fields,
        sizeof(budget_vote_fields) / sizeof(budget_vote_fields[0])};

void
h_budget_of_process(struct req *r)
{
	reply_call(r, Q_BUDGET_OF_PROCESS, reply_200, "token", ":cid", ":pid");
}

void
h_budget_create(struct req *r)
{
	reply_call(
	        r, Q_BUDGET_CREATE, reply_201, "token", ":cid", ":pid", "body");
}

void
h_budget_get(struct req *r)
{
	reply_call(r, Q_BUDGET_GET, reply_200, "token", ":cid", ":bid");
}

void
h_budget_update(struct req *r)
{
	reply_call(
	        r, Q_BUDGET_UPDATE, reply_200, "token", ":cid", ":bid", "body");
}

void
h_district_create(struct req *r)
{
	reply_call(r, Q_DISTRICT_CREATE, reply_201, "token", ":cid", ":bid",
	        "body");
}

void
h_district_update(struct req *r)
{
	reply_call(r, Q_DISTRICT_UPDATE, reply_200, "token", ":cid", ":bid",
	        ":did", "body");
}

void
h_district_delete(struct req *r)
{
	reply_call(r, Q_DISTRICT_DELETE, reply_204, "token", ":cid", ":bid",
	        ":did");
}

void
h_project_list(struct req *r)
{
	const char **p = call_params(r, 5);
	const char *district, *feasibility;
	char *keep;

	if (!query_word(r, "district", NULL, &district) ||
	        !query_word(r, "feasibility", "pending, feasible, unfeasible",
	                &feasibility))
		return;
	keep = arena_printf(r->arena, "%s%s%s%s%s%s",
	        district != NULL ? "district=" : "",
	        district != NULL ? district : "", district != NULL ? "&" : "",
	        feasibility != NULL ? "feasibility=" : "",
	        feasibility != NULL ? feasibility : "",
	        feasibility != NULL ? "&" : "");
	p[2] = req_param(r, "bid");
	p[3] = district;
	p[4] = feasibility;
	if (page_params_max(r, &p[5], &p[6], keep, 200))
		db_call(r, Q_PROJECT_LIST, reply_page, p);
}

void
h_project_create(struct req *r)
{
	reply_call(r, Q_PROJECT_CREATE, reply_201, "token", ":cid", ":bid",
	        "body");
}

void
h_project_get(struct req *r)
{
	reply_call(
	        r, Q_PROJECT_GET, reply_200, "token", ":cid", ":bid", ":prid");
}

void
h_project_update(struct req *r)
{
	reply_call(r, Q_PROJECT_UPDATE, reply_200, "token", ":cid", ":bid",
	        ":prid", "body");
}

void
h_project_delete(struct req *r)
{
	reply_call(r, Q_PROJECT_DELETE, reply_204, "token", ":cid", ":bid",
	        ":prid");
}

void
h_project_review(struct req *r)
{
	reply_call(r, Q_PROJECT_REVIEW, reply_200, "token", ":cid", ":bid",
	        ":prid", "body");
}

void
h_budget_vote(struct req *r)
{
	reply_call(r, Q_BUDGET_VOTE, reply_created_or_200, "token", ":cid",
	        ":bid", "body");
}

void
h_budget_results(struct req *r)
{
	reply_call(r, Q_BUDGET_RESULTS, reply_200, "token", ":cid", ":bid");
}

/* The per-voter view ---------------------------------------------------- */

/* A ballot's view being made from the database's answer. */
struct receipt_view {
	const char *descriptor, *entry, *result, *tracker;
	int counted;
	char *out; /* JSON text, malloc'd */
	const char *err;
};

static void
receipt_view_free(void *p)
{
	struct receipt_view *v = p;

	free(v->out);
}

/* The selected option ids of question q of the result, as a JSON array. */
static const json_t *
selected_of(const json_t *result, const char *qid)
{
	const json_t *qs = json_object_get(result, "questions"), *q;
	size_t i;

	json_array_foreach(qs, i, q)
	{
		if (strcmp(json_string_value(json_object_get(q, "id")), qid) ==
		        0)
			return json_object_get(
			        json_object_get(q, "outcome"), "selected");
	}
	return NULL;
}

/* Whether the JSON array of strings a holds s. */
static int
has_string(const json_t *a, const char *s)
{
	const json_t *v;
	size_t i;

	json_array_foreach(a, i, v)
	{
		if (strcmp(json_string_value(v), s) == 0)
			return 1;
	}
	return 0;
}

/* On the pool: decodes the ballot and compares it with the outcome. */
static void
receipt_view_work(struct req *r, void *arg)
{
	struct receipt_view *v = arg;
	struct election e;
	struct log_entry le;
	struct ballot b;
	unsigned char *bytes = NULL;
	size_t len = 0, q, i;
	json_t *result = NULL, *out = NULL, *districts;
	char why[200];

	(void)r;
	memset(&b, 0, sizeof(b));
	if (election_parse(v->descriptor, strlen(v->descriptor), &e, why,
	            sizeof(why)) != 0) {
		v->err = "the descriptor does not parse";
		return;
	}
	bytes = malloc(strlen(v->entry) / 2 + 1);
	result = json_loads(v->result, 0, NULL);
	if (bytes == NULL || result == NULL ||
	        hex_decode(v->entry, bytes, strlen(v->entry) / 2 + 1, &len) !=
	                0 ||
	        log_entry_parse(bytes, len, &le) != 0 ||
	        le.kind != ENTRY_BALLOT ||
	        ballot_decode(&e, le.ballot, le.ballot_len, &b, why,
	                sizeof(why)) != BALLOT_OK) {
		v->err = "the ballot entry does not decode";
		goto done;
	}
	districts = json_array();
	for (q = 0; q < e.nquestions; q++) {
		const struct question *qu = &e.questions[q];
		const json_t *sel = selected_of(result, qu->id);
		json_t *approved = json_array(), *won = json_array();

		if (b.nchoices[q] == 0) {
			json_decref(approved);
			json_decref(won);
			continue;
		}
		for (i = 0; i < b.nchoices[q]; i++) {
			const char *id = qu->option_ids[b.choices[q][i].option];

			json_array_append_new(approved, json_string(id));
			if (has_string(sel, id))
				json_array_append_new(won, json_string(id));
		}
		json_array_append_new(districts,
		        json_pack("{s:s, s:o, s:o, s:I, s:I}", "question",
		                qu->id, "chosen", approved, "selected", won,
		                "won", (json_int_t)json_array_size(won),
		                "chosen_count", (json_int_t)b.nchoices[q]));
	}
	out = json_pack("{s:s, s:b, s:I, s:o}", "tracker", v->tracker,
	        "counted", v->counted, "seq", (json_int_t)b.seq, "districts",
	        districts);
	v->out = out != NULL ? json_dumps(out, JSON_COMPACT) : NULL;
	if (v->out == NULL)
		v->err = "out of memory";
done:
	json_decref(out);
	json_decref(result);
	ballot_free(&b);
	free(bytes);
	election_free(&e);
}

static void
receipt_view_made(struct req *r, void *arg)
{
	struct receipt_view *v = arg;

	if (v->err != NULL) {
		req_fail(r, ERR_INTERNAL, "%s", v->err);
		return;
	}
	req_reply_json(r, 200, v->out);
}

static void
receipt_view_input(struct req *r, PGresult *res)
{
	struct receipt_view *v = r->ctx;

	v->descriptor = PQgetvalue(res, 0, 0);
	v->entry = PQgetvalue(res, 0, 1);
	v->counted = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	v->result = PQgetvalue(res, 0, 3);
	req_task(r, receipt_view_work, receipt_view_made, v);
}

void
h_budget_receipt(struct req *r)
{
	const char **p = call_params(r, 2);
	struct receipt_view *v = arena_calloc(r->arena, 1, sizeof(*v));

	arena_defer(r->arena, receipt_view_free, v);
	r->ctx = v;
	v->tracker = req_param(r, "tracker");
	p[2] = req_param(r, "bid");
	p[3] = v->tracker;
	db_call(r, Q_BUDGET_RECEIPT_INPUT, receipt_view_input, p);
}
