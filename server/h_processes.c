/*
 * h_processes.c - areas, participatory processes and their phases, and the
 * consultations (surveys) of a process
 *
 * Consultation definitions and answers are checked by lib/survey.c here,
 * before anything reaches the database; everything else (roles, phases,
 * who may act) is decided in SQL (sql/functions/40_processes.sql and
 * 50_consultations.sql).
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "handlers.h"
#include "reply.h"
#include "req.h"
#include "survey.h"

static const struct jsonv_field area_fields[] = {
        {"slug", JV_STRING, 1, 0, 1, 63},
        {"name", JV_STRING, 1, 0, 1, 200},
};
const struct jsonv_spec area_create_body = {
        area_fields, sizeof(area_fields) / sizeof(area_fields[0])};

static const struct jsonv_field process_create_fields[] = {
        {"title", JV_STRING, 1, 0, 1, 200},
        {"description", JV_STRING, 0, 0, 0, 20000},
        {"image_url", JV_STRING, 0, 1, 0, 2000},
        {"area", JV_STRING, 0, 1, 1, 63},
        {"phases", JV_ARRAY, 0, 0, 0, 5},
        {"rules", JV_OBJECT, 0, 0, 0, 0},
        {"categories", JV_ARRAY, 0, 0, 0, 50},
        {"support_limit", JV_INTEGER, 0, 1, 1, 1000},
        {"support_threshold", JV_INTEGER, 0, 1, 1, 10000000},
        {"status", JV_STRING, 0, 0, 1, 20},
};
const struct jsonv_spec process_create_body = {process_create_fields,
        sizeof(process_create_fields) / sizeof(process_create_fields[0])};

static const struct jsonv_field process_update_fields[] = {
        {"title", JV_STRING, 0, 0, 1, 200},
        {"description", JV_STRING, 0, 0, 0, 20000},
        {"image_url", JV_STRING, 0, 1, 0, 2000},
        {"area", JV_STRING, 0, 1, 1, 63},
        {"phases", JV_ARRAY, 0, 0, 0, 5},
        {"rules", JV_OBJECT, 0, 0, 0, 0},
        {"categories", JV_ARRAY, 0, 0, 0, 50},
        {"support_limit", JV_INTEGER, 0, 1, 1, 1000},
        {"support_threshold", JV_INTEGER, 0, 1, 1, 10000000},
        {"status", JV_STRING, 0, 0, 1, 20},
};
const struct jsonv_spec process_update_body = {process_update_fields,
        sizeof(process_update_fields) / sizeof(process_update_fields[0])};

static const struct jsonv_field reason_fields[] = {
        {"reason", JV_STRING, 0, 1, 0, 1000},
};
const struct jsonv_spec reason_body = {
        reason_fields, sizeof(reason_fields) / sizeof(reason_fields[0])};

static const struct jsonv_field consultation_create_fields[] = {
        {"phase", JV_STRING, 1, 0, 1, 20},
        {"title", JV_STRING, 1, 0, 1, 200},
        {"description", JV_STRING, 0, 0, 0, 20000},
        {"questions", JV_ARRAY, 1, 0, 0, 0},
        {"allow_changes", JV_BOOLEAN, 0, 0, 0, 0},
        {"anonymous", JV_BOOLEAN, 0, 0, 0, 0},
};
const struct jsonv_spec consultation_create_body = {consultation_create_fields,
        sizeof(consultation_create_fields) /
                sizeof(consultation_create_fields[0])};

static const struct jsonv_field consultation_update_fields[] = {
        {"title", JV_STRING, 0, 0, 1, 200},
        {"description", JV_STRING, 0, 0, 0, 20000},
        {"questions", JV_ARRAY, 0, 0, 0, 0},
        {"allow_changes", JV_BOOLEAN, 0, 0, 0, 0},
        {"anonymous", JV_BOOLEAN, 0, 0, 0, 0},
};
const struct jsonv_spec consultation_update_body = {consultation_update_fields,
        sizeof(consultation_update_fields) /
                sizeof(consultation_update_fields[0])};

static const struct jsonv_field response_fields[] = {
        {"answers", JV_OBJECT, 1, 0, 0, 0},
};
const struct jsonv_spec response_body = {
        response_fields, sizeof(response_fields) / sizeof(response_fields[0])};

void
h_area_list(struct req *r)
{
	const char **p = arena_calloc(r->arena, 1, sizeof(*p));

	p[0] = req_param(r, "cid");
	db_call(r, Q_AREA_LIST, reply_200, p);
}

void
h_area_create(struct req *r)
{
	reply_call(r, Q_AREA_CREATE, reply_201, "token", ":cid", "body");
}

void
h_process_list(struct req *r)
{
	const char **p = call_params(r, 4);
	const char *phase, *area;
	char *keep;

	if (!query_word(r, "phase",
	            "information, proposals, review, vote, results, none",
	            &phase) ||
	        !query_word(r, "area", NULL, &area))
		return;
	if (area != NULL && (strlen(area) == 0 || strlen(area) > 63)) {
		problem_add_field(&r->problem, "area", "is not an area slug");
		req_fail(r, ERR_INVALID, "invalid query parameter \"area\"");
		return;
	}
	keep = arena_printf(r->arena, "%s%s%s%s%s%s",
	        phase != NULL ? "phase=" : "", phase != NULL ? phase : "",
	        phase != NULL ? "&" : "", area != NULL ? "area=" : "",
	        area != NULL ? area : "", area != NULL ? "&" : "");
	p[2] = phase;
	p[3] = area;
	if (!page_params(r, &p[4], &p[5], keep))
		return;
	db_call(r, Q_PROCESS_LIST, reply_page, p);
}

void
h_process_create(struct req *r)
{
	reply_call(r, Q_PROCESS_CREATE, reply_201, "token", ":cid", "body");
}

void
h_process_get(struct req *r)
{
	reply_call(r, Q_PROCESS_GET, reply_200, "token", ":cid", ":pid");
}

void
h_process_update(struct req *r)
{
	reply_call(r, Q_PROCESS_UPDATE, reply_200, "token", ":cid", ":pid",
	        "body");
}

void
h_phase_close(struct req *r)
{
	reply_call(r, Q_PHASE_CLOSE, reply_200, "token", ":cid", ":pid",
	        ":phase", "body");
}

/* The body's "questions", when present, must be a valid definition. */
static int
check_questions(struct req *r)
{
	const json_t *q = json_object_get(r->json, "questions");

	if (q != NULL && survey_check_definition(q, &r->problem) != ERR_OK) {
		req_reply_problem(r);
		return 0;
	}
	return 1;
}

void
h_consultation_create(struct req *r)
{
	const char **p = call_params(r, 2);

	if (!check_questions(r))
		return;
	p[2] = req_param(r, "pid");
	p[3] = r->body;
	db_call(r, Q_CONSULTATION_CREATE, reply_201, p);
}

void
h_consultation_get(struct req *r)
{
	reply_call(r, Q_CONSULTATION_GET, reply_200, "token", ":cid", ":qid");
}

void
h_consultation_update(struct req *r)
{
	const char **p = call_params(r, 2);

	if (!check_questions(r))
		return;
	p[2] = req_param(r, "qid");
	p[3] = r->body;
	db_call(r, Q_CONSULTATION_UPDATE, reply_200, p);
}

void
h_response_get(struct req *r)
{
	reply_call(r, Q_RESPONSE_GET, reply_200, "token", ":cid", ":qid");
}

/*
 * Answering takes two round trips: the first checks that the caller may
 * answer now and fetches the questions, lib/survey.c checks the answers
 * against them, the second stores them if the questions did not change.
 */
static void
response_checkable(struct req *r, PGresult *res)
{
	json_t *questions = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	const json_t *answers = json_object_get(r->json, "answers");
	const char **p = call_params(r, 3);
	json_t *norm;
	char *text;

	if (questions == NULL) {
		req_fail(r, ERR_INTERNAL, "the consultation is damaged");
		return;
	}
	arena_defer(r->arena, (arena_cleanup_fn)json_decref, questions);
	if (survey_check_answers(questions, answers, &r->problem) != ERR_OK) {
		req_reply_problem(r);
		return;
	}
	norm = survey_normalize_answers(questions, answers);
	text = json_dumps(norm, JSON_COMPACT);
	json_decref(norm);
	arena_defer(r->arena, free, text);
	p[2] = req_param(r, "qid");
	p[3] = arena_strdup(r->arena, PQgetvalue(res, 0, 1));
	p[4] = text;
	db_call(r, Q_RESPONSE_PUT, reply_created_or_200, p);
}

void
h_response_put(struct req *r)
{
	reply_call(r, Q_RESPONSE_BEGIN, response_checkable, "token", ":cid",
	        ":qid");
}

void
h_results_get(struct req *r)
{
	reply_call(r, Q_RESULTS_GET, reply_200, "token", ":cid", ":qid");
}

void
h_results_publish(struct req *r)
{
	reply_call(r, Q_RESULTS_PUBLISH, reply_200, "token", ":cid", ":qid");
}

static void
export_done(struct req *r, PGresult *res)
{
	const char *fmt = r->ctx;
	const char *body = PQgetvalue(res, 0, 0);

	req_add_header(r, "Cache-Control", "no-store");
	reply_file(r,
	        arena_printf(r->arena, "consultation-%s.%s",
	                req_param(r, "qid"), fmt),
	        strcmp(fmt, "csv") == 0 ? REPLY_CSV : NULL, body, strlen(body));
}

void
h_responses_export(struct req *r)
{
	const char **p = call_params(r, 2);
	const char *fmt;

	if (!query_word(r, "format", "csv, json", &fmt))
		return;
	if (fmt == NULL)
		fmt = "csv";
	r->ctx = (void *)fmt;
	p[2] = req_param(r, "qid");
	p[3] = fmt;
	db_call(r, Q_RESPONSES_EXPORT, export_done, p);
}

static void
text_hidden(struct req *r, const char *hide)
{
	const char **p = call_params(r, 5);

	p[2] = req_param(r, "qid");
	p[3] = req_param(r, "rid");
	p[4] = req_param(r, "question");
	p[5] = hide;
	p[6] = r->json != NULL
	               ? json_string_value(json_object_get(r->json, "reason"))
	               : NULL;
	db_call(r, Q_TEXT_HIDE, reply_204, p);
}

void
h_text_hide(struct req *r)
{
	text_hidden(r, "true");
}

void
h_text_restore(struct req *r)
{
	text_hidden(r, "false");
}
