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
#include "pbwrite.h"
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

/* The result object of question qid in result, or NULL. */
static const json_t *
result_question(const json_t *result, const char *qid)
{
	const json_t *qs = json_object_get(result, "questions"), *q;
	size_t i;

	json_array_foreach(qs, i, q)
	{
		const char *id = json_string_value(json_object_get(q, "id"));

		if (id != NULL && strcmp(id, qid) == 0)
			return q;
	}
	return NULL;
}

/* The selected option ids of question qid of the result (JSON array). */
static const json_t *
selected_of(const json_t *result, const char *qid)
{
	return json_object_get(
	        json_object_get(result_question(result, qid), "outcome"),
	        "selected");
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

/* The Pabulib export ---------------------------------------------------- */

/* A .pb file being made from the database's answer. */
struct pb_export {
	PGresult *res;
	const char *question; /* ?question=, or NULL */
	char *out;            /* the file, malloc'd */
	size_t len;
	enum err err;
	const char *why;
	char qid[ELECTION_ID_MAX + 1]; /* the exported question */
	/* counting the exported question's ballots */
	const struct question *q;
	size_t qi, nvotes, nchoices, used;
	struct pbwrite_vote *votes;
	const char **ids;  /* option ids of every vote, in vote order */
	uint64_t *points;  /* their values */
	char (*voter)[24]; /* voter ids */
};

static void
pb_export_free(void *p)
{
	struct pb_export *x = p;

	free(x->out);
	free(x->votes);
	free(x->ids);
	free(x->points);
	free(x->voter);
}

/* Orders a ranking's choices by rank (value). */
static int
cmp_rank(const void *a, const void *b)
{
	const struct choice *x = a, *y = b;

	return (x->value > y->value) - (x->value < y->value);
}

/* tally_each, first pass: how many votes and choices to hold. */
static int
pb_export_count(void *arg, const struct ballot *b)
{
	struct pb_export *x = arg;

	if (b->nchoices[x->qi] > 0) {
		x->nvotes++;
		x->nchoices += b->nchoices[x->qi];
	}
	return 0;
}

/* tally_each, second pass: one counted ballot's vote in the question. */
static int
pb_export_vote(void *arg, const struct ballot *b)
{
	struct pb_export *x = arg;
	struct choice c[RULE_MAX_OPTIONS];
	struct pbwrite_vote *v = &x->votes[x->nvotes];
	size_t k, n = b->nchoices[x->qi];

	if (n == 0 || n > RULE_MAX_OPTIONS)
		return 0;
	memcpy(c, b->choices[x->qi], n * sizeof(*c));
	if (x->q->rule.kind == RULE_RANKING)
		qsort(c, n, sizeof(*c), cmp_rank); /* best first */
	snprintf(
	        x->voter[x->nvotes], sizeof(x->voter[0]), "%zu", x->nvotes + 1);
	v->voter_id = x->voter[x->nvotes];
	v->projects = x->ids + x->used;
	v->points = x->points + x->used;
	v->n = n;
	for (k = 0; k < n; k++) {
		x->ids[x->used + k] = x->q->option_ids[c[k].option];
		x->points[x->used + k] = c[k].value;
	}
	x->used += n;
	x->nvotes++;
	return 0;
}

/* "31.12.2027", the date of an RFC 3339 time ("" without one). */
static void
pb_date(const char *t, char out[16])
{
	if (t == NULL || strlen(t) < 10)
		out[0] = '\0';
	else
		snprintf(out, 16, "%.2s.%.2s.%.4s", t + 8, t + 5, t);
}

/* Pabulib's name of an outcome rule. */
static const char *
pb_rule_name(const char *rule)
{
	if (strcmp(rule, "mes") == 0)
		return "equalshares";
	if (strcmp(rule, "mes-add1") == 0)
		return "equalshares/add1";
	return rule;
}

/*
 * Writes x->out for question x->q from meta (the SQL's first row) and rq,
 * the question's result. Amounts are written in euros when they all are
 * whole euros (then `participe pb tally` on the file reproduces the
 * outcome, mes-add1's +1 being one euro), else in cents.
 */
static void
pb_export_format(struct pb_export *x, const json_t *meta, const json_t *rq)
{
	const struct question *q = x->q;
	const json_t *names = json_object_get(meta, "projects");
	const json_t *sel =
	        json_object_get(json_object_get(rq, "outcome"), "selected");
	const char *district = json_string_value(
	        json_object_get(json_object_get(meta, "districts"), q->id));
	const char *title = json_string_value(json_object_get(meta, "title"));
	struct pbwrite_project p[RULE_MAX_OPTIONS];
	struct pbwrite_meta m[24];
	struct pbwrite w;
	char np[24], nv[24], budget[24], from[16], to[16], lo[24], hi[24],
	        desc[512];
	uint64_t unit = q->budget.amount % 100 == 0 ? 100 : 1;
	size_t i, nm = 0;

	for (i = 0; i < q->noptions; i++)
		if (q->costs[i] % 100 != 0)
			unit = 1;
	for (i = 0; i < q->noptions; i++) {
		const char *id = q->option_ids[i];

		p[i].id = id;
		p[i].name = json_string_value(json_object_get(names, id));
		if (p[i].name == NULL)
			p[i].name = "";
		p[i].cost = q->costs[i] / unit;
		p[i].votes = (uint64_t)json_integer_value(
		        json_array_get(json_object_get(rq, "approvals"), i));
		p[i].score = (uint64_t)json_integer_value(
		        json_array_get(json_object_get(rq, "totals"), i));
		p[i].selected = has_string(sel, id);
	}
	snprintf(desc, sizeof(desc), "%s%s%s", title != NULL ? title : "",
	        district != NULL ? " - " : "",
	        district != NULL ? district : "");
	snprintf(np, sizeof(np), "%u", q->noptions);
	snprintf(nv, sizeof(nv), "%zu", x->nvotes);
	snprintf(budget, sizeof(budget), "%llu",
	        (unsigned long long)(q->budget.amount / unit));
	pb_date(json_string_value(json_object_get(meta, "opens_at")), from);
	pb_date(json_string_value(json_object_get(meta, "closes_at")), to);
#define META(k, v) (m[nm].key = (k), m[nm].value = (v), nm++)
	META("description", desc);
	META("country", "France");
	META("unit", json_string_value(json_object_get(meta, "collectivity")));
	META("instance", district != NULL ? district : desc);
	META("num_projects", np);
	META("num_votes", nv);
	META("budget", budget);
	META("vote_type", q->rule.kind == RULE_CUMULATIVE ? "cumulative"
	                  : q->rule.kind == RULE_RANKING  ? "ordinal"
	                                                  : "approval");
	META("rule", pb_rule_name(q->budget.outcome));
	META("date_begin", from);
	META("date_end", to);
	if (q->rule.kind == RULE_APPROVAL || q->rule.kind == RULE_RANKING) {
		snprintf(lo, sizeof(lo), "%u", q->rule.min);
		snprintf(hi, sizeof(hi), "%u", q->rule.max);
		META("min_length", lo);
		META("max_length", hi);
	} else if (q->rule.kind == RULE_CUMULATIVE) {
		snprintf(lo, sizeof(lo), "%u", q->rule.total);
		snprintf(hi, sizeof(hi), "%u", q->rule.per_option);
		META("max_sum_points", lo);
		META("max_points", hi);
	}
	META("currency", unit == 100 ? "EUR" : "EUR cents");
	META("language", "fr");
	META("comment", "Participe: the counted ballot of each credential, "
	                "from the public ballot log");
#undef META
	memset(&w, 0, sizeof(w));
	w.meta = (const struct pbwrite_meta *)m;
	w.nmeta = nm;
	w.projects = p;
	w.nprojects = q->noptions;
	w.with_score = q->rule.kind == RULE_CUMULATIVE;
	w.votes = x->votes;
	w.nvotes = x->nvotes;
	w.with_points = q->rule.kind == RULE_CUMULATIVE;
	x->out = pbwrite_format(&w, &x->len);
}

/* The index of the exported question of e, or -1 with x->why. */
static int
pb_export_question(struct pb_export *x, const struct election *e)
{
	size_t i;

	if (x->question == NULL && e->nquestions == 1)
		return 0;
	for (i = 0; x->question != NULL && i < e->nquestions; i++)
		if (strcmp(e->questions[i].id, x->question) == 0)
			return (int)i;
	x->err = ERR_INVALID;
	x->why = x->question == NULL
	                 ? "the budget has districts: name one with "
	                   "?question= (d1, d2, ...)"
	                 : "the budget's vote has no such question";
	return -1;
}

/* On the pool: counts the log's ballots and writes the file. */
static void
pb_export_work(struct req *r, void *arg)
{
	struct pb_export *x = arg;
	int rows = PQntuples(x->res), i, qi;
	json_t *meta = json_loads(PQgetvalue(x->res, 0, 0), 0, NULL), *result;
	const char *d = json_string_value(json_object_get(meta, "descriptor"));
	struct election e;
	struct tally *t = NULL;
	char why[200];

	(void)r;
	x->err = ERR_INTERNAL;
	x->why = "the vote's log does not decode";
	result = json_loads(
	        json_string_value(json_object_get(meta, "result")), 0, NULL);
	if (d == NULL ||
	        election_parse(d, strlen(d), &e, why, sizeof(why)) != 0) {
		json_decref(result);
		json_decref(meta);
		return;
	}
	if ((qi = pb_export_question(x, &e)) < 0)
		goto done;
	x->qi = (size_t)qi;
	x->q = &e.questions[qi];
	snprintf(x->qid, sizeof(x->qid), "%s", x->q->id);
	if ((t = tally_new(&e)) == NULL)
		goto done;
	for (i = 1; i < rows; i++) {
		const char *hex = PQgetvalue(x->res, i, 1);
		size_t hl = strlen(hex), len;
		unsigned char *bytes = malloc(hl / 2 + 1);
		struct log_entry le;
		struct ballot b;
		int ok = bytes != NULL &&
		         hex_decode(hex, bytes, hl / 2 + 1, &len) == 0 &&
		         log_entry_parse(bytes, len, &le) == 0 &&
		         ballot_decode(&e, le.ballot, le.ballot_len, &b, why,
		                 sizeof(why)) == BALLOT_OK;

		if (ok) {
			ok = tally_add(t, &b) == 0;
			ballot_free(&b);
		}
		free(bytes);
		if (!ok)
			goto done;
	}
	tally_each(t, pb_export_count, x);
	x->votes = calloc(x->nvotes + 1, sizeof(*x->votes));
	x->voter = calloc(x->nvotes + 1, sizeof(*x->voter));
	x->ids = calloc(x->nchoices + 1, sizeof(*x->ids));
	x->points = calloc(x->nchoices + 1, sizeof(*x->points));
	if (x->votes == NULL || x->voter == NULL || x->ids == NULL ||
	        x->points == NULL)
		goto done;
	x->nvotes = 0;
	tally_each(t, pb_export_vote, x);
	pb_export_format(x, meta, result_question(result, x->q->id));
	if (x->out != NULL)
		x->err = ERR_OK;
done:
	tally_free(t);
	election_free(&e);
	json_decref(result);
	json_decref(meta);
}

static void
pb_export_made(struct req *r, void *arg)
{
	struct pb_export *x = arg;

	if (x->err != ERR_OK) {
		if (x->err == ERR_INVALID)
			problem_add_field(
			        &r->problem, "question", "%s", x->why);
		req_fail(r, x->err, "%s", x->why);
		return;
	}
	reply_file(r,
	        arena_printf(r->arena, "%s-%s.pb", req_param(r, "cid"), x->qid),
	        "text/plain; charset=utf-8", x->out, x->len);
}

static void
pb_export_input(struct req *r, PGresult *res)
{
	struct pb_export *x = r->ctx;

	x->res = res;
	req_task(r, pb_export_work, pb_export_made, x);
}

void
h_budget_pabulib(struct req *r)
{
	const char **p = call_params(r, 1);
	struct pb_export *x = arena_calloc(r->arena, 1, sizeof(*x));

	if (!query_word(r, "question", NULL, &x->question))
		return;
	arena_defer(r->arena, pb_export_free, x);
	r->ctx = x;
	p[2] = req_param(r, "bid");
	db_call(r, Q_BUDGET_PB_INPUT, pb_export_input, p);
}
