/*
 * test_consultations.c - consultations (surveys) of a process: definitions
 * with every question type and their checks, answering (every answer
 * rule, changes, anonymous consultations, who may answer, minimum age,
 * when), results (the figures exactly, publication), hiding free texts,
 * and the CSV and JSON exports.
 *
 * One collectivity with its people is made once for the whole file (each
 * registration costs an Argon2id hash). The tests after test_answers
 * read the main consultation as test_answers and test_min_age leave it:
 * five residents' answers whose figures check_main_results() works out
 * by hand.
 */
#include <math.h>
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
#define NRES 5

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

/* A 204 with no body; the response is freed. */
#define expect_204(r) expect_204_((r), __FILE__, __LINE__)
static void
expect_204_(struct http_resp *r, const char *file, int line)
{
	check_status_(r, 204, file, line);
	if (r->body_len != 0)
		check_fail_(file, line, "204 with a body");
	http_resp_free(r);
}

/* Parses a JSON text that the test itself wrote (aborts when broken). */
static json_t *
js(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, JSON_DECODE_ANY, &e);

	if (j == NULL) {
		print_error("bad JSON in the test, line %d: %s\n%s\n", e.line,
		        e.text, text);
		abort();
	}
	return j;
}

/* The number at key of o, NAN when it is not a number. */
static double
num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The integer at key of o, -1 when it is not an integer. */
static long long
int_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (long long)json_integer_value(v) : -1;
}

static int
near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

/* ---- the world: one collectivity, its people, processes ---- */

static struct world {
	char slug[64];
	struct id_user admin, mod, res[NRES], young, nobirth, member, outsider;
	char p_main[40];    /* published: proposals now, vote later */
	char q_main[40];    /* every question type, changes allowed */
	char rid[NRES][40]; /* the residents' response ids in q_main */
} w;

/* POST .../processes as the admin; the new id into pid. */
static void
process_new(const char *body, char pid[40])
{
	struct http_resp *r = id_call(
	        "POST", ct_path(w.slug, "/processes"), w.admin.token, NULL, body);
	json_t *j;

	if (r == NULL || r->status != 201)
		fprintf(stderr, "  POST processes %s\n", body);
	j = id_json(r, 201);
	snprintf(pid, 40, "%s", id_str(j, "id"));
	json_decref(j);
	http_resp_free(r);
}

/* A published process whose proposals phase is going on now, with rules
 * (a JSON object, or NULL for the defaults). */
static void
process_open(const char *title, const char *rules, char pid[40])
{
	char body[1024];

	snprintf(body, sizeof(body),
	        "{\"title\":\"%s\",\"status\":\"published\",\"phases\":[%s,%s]"
	        "%s%s}",
	        title, ct_phase("proposals", -DAY, DAY),
	        ct_phase("vote", 2 * DAY, 3 * DAY),
	        rules != NULL ? ",\"rules\":" : "", rules != NULL ? rules : "");
	process_new(body, pid);
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

static const char *
qpath(const char *qid, const char *rest)
{
	static char buf[4][600];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "/consultations/%s%s", qid, rest);
	return ct_path(w.slug, "%s", buf[k]);
}

/* POST a consultation to process pid as token. */
static struct http_resp *
consultation_post(const char *pid, const char *token, const char *body)
{
	return id_call("POST", ppath(pid, "/consultations"), token, NULL, body);
}

/* Creates a consultation (201) as the admin; its id into qid. */
#define consultation_new(pid, body, qid)                                       \
	consultation_new_((pid), (body), (qid), __FILE__, __LINE__)
static void
consultation_new_(const char *pid, const char *body, char qid[40],
        const char *file, int line)
{
	struct http_resp *r = consultation_post(pid, w.admin.token, body);
	json_t *j;

	if (r == NULL || r->status != 201)
		fprintf(stderr, "  POST consultations %s\n", body);
	j = id_json_(r, 201, file, line);
	snprintf(qid, 40, "%s", id_str(j, "id"));
	json_decref(j);
	http_resp_free(r);
}

/* PUT .../response {"answers": answers} as u (NULL: anonymous). */
static struct http_resp *
answer(const struct id_user *u, const char *qid, const char *answers)
{
	char *body = malloc(strlen(answers) + 32);
	struct http_resp *r;

	assert_non_null(body);
	sprintf(body, "{\"answers\":%s}", answers);
	r = id_call("PUT", qpath(qid, "/response"), u != NULL ? u->token : NULL,
	        u != NULL ? u->ip : NULL, body);
	free(body);
	return r;
}

/* GET own response as u. */
static struct http_resp *
own(const struct id_user *u, const char *qid)
{
	return id_call("GET", qpath(qid, "/response"), u->token, NULL, NULL);
}

/* GET the results as token (NULL: anonymous). */
static struct http_resp *
results(const char *qid, const char *token)
{
	return id_call("GET", qpath(qid, "/results"), token, NULL, NULL);
}

/* Close the process's phase as the admin (200). */
static void
close_phase(const char *pid, const char *kind)
{
	char rest[64];

	snprintf(rest, sizeof(rest), "/phases/%s/close", kind);
	json_decref(expect_json(id_call("POST", ppath(pid, rest), w.admin.token,
	                                NULL, "{\"reason\":\"test\"}"),
	        200));
}

static int
group_setup(void **state)
{
	char birth[16];
	int i;

	(void)state;
	if (sodium_init() < 0)
		return -1;
	id_collectivity_new("consult", "commune", NULL, w.slug);
	/* residents of any age, and one without a birth date */
	id_settings(w.slug, "{\"minimum_age\":0}");
	id_member_new(&w.admin, "consult-admin", w.slug, "admin");
	id_member_new(&w.mod, "consult-mod", w.slug, "moderator");
	for (i = 0; i < NRES; i++)
		id_member_new(&w.res[i], "consult-res", w.slug, "resident");
	ct_years_ago(17, birth);
	id_user_new(&w.young, "consult-young", birth, 0);
	id_join(&w.young, w.slug);
	id_verify(w.slug, w.young.id, NULL);
	id_user_new(&w.nobirth, "consult-nobirth", NULL, 0);
	id_join(&w.nobirth, w.slug);
	id_verify(w.slug, w.nobirth.id, NULL);
	id_member_new(&w.member, "consult-member", w.slug, "member");
	id_user_new(&w.outsider, "consult-outsider", ID_ADULT, 0);
	process_open("Main", NULL, w.p_main);
	return 0;
}

/* ---- definitions ---- */

/* Every question type: choices with min/max, a full and a partial
 * ranking, a labelled scale, a bounded integer, texts with limits,
 * required questions and a show_if. */
#define MAIN_QUESTIONS                                                         \
	"[{\"id\":\"mode\",\"type\":\"single_choice\",\"title\":\"How do "     \
	"you come?\",\"required\":true,\"options\":[{\"id\":\"bike\","         \
	"\"label\":\"Bike\"},{\"id\":\"bus\",\"label\":\"Bus\"},{\"id\":"      \
	"\"car\",\"label\":\"Car\"}]},"                                        \
	"{\"id\":\"days\",\"type\":\"multiple_choice\",\"title\":\"Which "     \
	"days?\",\"min_selections\":1,\"max_selections\":2,\"options\":[{"     \
	"\"id\":\"mon\",\"label\":\"Monday\"},{\"id\":\"tue\",\"label\":"      \
	"\"Tuesday\"},{\"id\":\"wed\",\"label\":\"Wednesday\"}]},"             \
	"{\"id\":\"car_reason\",\"type\":\"short_text\",\"title\":\"Why by "   \
	"car?\",\"required\":true,\"max_length\":100,\"show_if\":{"            \
	"\"question\":\"mode\",\"equals\":\"car\"}},"                          \
	"{\"id\":\"priorities\",\"type\":\"ranking\",\"title\":\"Rank "        \
	"these\",\"required\":true,\"options\":[{\"id\":\"trees\",\"label\":"  \
	"\"Trees\"},{\"id\":\"benches\",\"label\":\"Benches\"},{\"id\":"       \
	"\"light\",\"label\":\"Light\"}]},"                                    \
	"{\"id\":\"extras\",\"type\":\"ranking\",\"title\":\"Up to two\","     \
	"\"rank_all\":false,\"min_ranked\":1,\"max_ranked\":2,\"options\":[{"  \
	"\"id\":\"a\",\"label\":\"A\"},{\"id\":\"b\",\"label\":\"B\"},{"       \
	"\"id\":\"c\",\"label\":\"C\"},{\"id\":\"d\",\"label\":\"D\"}]},"      \
	"{\"id\":\"rating\",\"type\":\"scale\",\"title\":\"Your rating\","     \
	"\"min\":1,\"max\":5,\"min_label\":\"Bad\",\"max_label\":\"Good\"},"   \
	"{\"id\":\"age\",\"type\":\"number\",\"title\":\"Your age\",\"min\":"  \
	"0,\"max\":120,\"integer\":true},"                                     \
	"{\"id\":\"nickname\",\"type\":\"short_text\",\"title\":\"A "          \
	"nickname\",\"min_length\":2,\"max_length\":10},"                      \
	"{\"id\":\"comment\",\"type\":\"long_text\",\"title\":\"Anything "     \
	"else?\",\"description\":\"Free text\",\"min_length\":3,"              \
	"\"max_length\":200}]"

/* A one-question definition, for consultations that test other things. */
#define ONE_QUESTION                                                           \
	"[{\"id\":\"ok\",\"type\":\"single_choice\",\"title\":\"OK?\","        \
	"\"required\":true,\"options\":[{\"id\":\"yes\",\"label\":\"Yes\"},"   \
	"{\"id\":\"no\",\"label\":\"No\"}]}]"

/* POST a consultation with these questions to the main process. */
static struct http_resp *
post_questions(const char *questions)
{
	char *body = malloc(strlen(questions) + 128);
	struct http_resp *r;

	assert_non_null(body);
	sprintf(body,
	        "{\"phase\":\"proposals\",\"title\":\"Bad\","
	        "\"questions\":%s}",
	        questions);
	r = consultation_post(w.p_main, w.admin.token, body);
	free(body);
	return r;
}

static void
test_definitions(void **state)
{
	json_t *j, *want, *p;
	struct http_resp *r;
	size_t before;

	(void)state;
	p = expect_json(
	        id_call("GET", ppath(w.p_main, ""), NULL, NULL, NULL), 200);
	before = json_array_size(json_object_get(p, "consultations"));
	json_decref(p);
	/* bad definitions, each naming the question's field */
	expect_problem(post_questions("[{\"id\":\"a\",\"type\":\"essay\","
	                              "\"title\":\"A\"}]"),
	        422, "questions[0].type", NULL);
	expect_problem(post_questions("[{\"id\":\"a\",\"type\":\"short_text\","
	                              "\"title\":\"A\"},{\"id\":\"a\","
	                              "\"type\":\"long_text\",\"title\":"
	                              "\"B\"}]"),
	        422, "questions[1].id", NULL);
	expect_problem(
	        post_questions("[{\"id\":\"a\",\"type\":\"short_text\","
	                       "\"title\":\"A\",\"show_if\":{\"question\":"
	                       "\"b\",\"equals\":\"x\"}},{\"id\":\"b\","
	                       "\"type\":\"single_choice\",\"title\":\"B\","
	                       "\"options\":[{\"id\":\"x\",\"label\":\"X\"},"
	                       "{\"id\":\"y\",\"label\":\"Y\"}]}]"),
	        422, "questions[0].show_if.question", NULL);
	expect_problem(post_questions("[{\"id\":\"a\",\"type\":\"ranking\","
	                              "\"title\":\"A\",\"options\":[{\"id\":"
	                              "\"x\",\"label\":\"X\"}]}]"),
	        422, "questions[0].options",
	        "must have between 2 and 50 options");
	expect_problem(post_questions("[{\"id\":\"a\",\"type\":\"scale\","
	                              "\"title\":\"A\",\"min\":1,\"max\":11}]"),
	        422, "questions[0].max", NULL);
	expect_problem(post_questions("[{\"id\":\"a\",\"type\":\"short_text\","
	                              "\"title\":\"A\",\"options\":[]}]"),
	        422, "questions[0].options", NULL);
	expect_problem(post_questions("[]"), 422, "questions", NULL);
	expect_problem(post_questions("{}"), 422, "questions", NULL);
	expect_problem(consultation_post(w.p_main, w.admin.token,
	                       "{\"phase\":\"proposals\",\"title\":\"x\"}"),
	        422, "questions", NULL);
	/* anonymous and allow_changes exclude each other */
	expect_problem(consultation_post(w.p_main, w.admin.token,
	                       "{\"phase\":\"proposals\",\"title\":\"x\","
	                       "\"anonymous\":true,\"allow_changes\":true,"
	                       "\"questions\":" ONE_QUESTION "}"),
	        422, "allow_changes", NULL);
	/* a phase the process lacks, or no phase at all */
	expect_problem(consultation_post(w.p_main, w.admin.token,
	                       "{\"phase\":\"review\",\"title\":\"x\","
	                       "\"questions\":" ONE_QUESTION "}"),
	        422, "phase", "the process has no phase \"review\"");
	expect_problem(consultation_post(w.p_main, w.admin.token,
	                       "{\"phase\":\"later\",\"title\":\"x\","
	                       "\"questions\":" ONE_QUESTION "}"),
	        422, "phase", NULL);
	/* who may create */
	expect_problem(consultation_post(w.p_main, w.mod.token,
	                       "{\"phase\":\"proposals\",\"title\":\"x\","
	                       "\"questions\":" ONE_QUESTION "}"),
	        403, NULL, NULL);
	expect_problem(consultation_post(w.p_main, w.res[0].token,
	                       "{\"phase\":\"proposals\",\"title\":\"x\","
	                       "\"questions\":" ONE_QUESTION "}"),
	        403, NULL, NULL);
	expect_problem(consultation_post(w.p_main, w.outsider.token,
	                       "{\"phase\":\"proposals\",\"title\":\"x\","
	                       "\"questions\":" ONE_QUESTION "}"),
	        404, NULL, NULL);
	expect_problem(consultation_post("00000000-0000-4000-8000-000000000000",
	                       w.admin.token,
	                       "{\"phase\":\"proposals\",\"title\":\"x\","
	                       "\"questions\":" ONE_QUESTION "}"),
	        404, NULL, NULL);
	/* nothing was created */
	p = expect_json(
	        id_call("GET", ppath(w.p_main, ""), NULL, NULL, NULL), 200);
	check(json_array_size(json_object_get(p, "consultations")) == before,
	        "a refused create left a consultation");
	json_decref(p);

	/* the main consultation, in the current phase */
	r = consultation_post(w.p_main, w.admin.token,
	        "{\"phase\":\"proposals\",\"title\":\"Getting around\","
	        "\"description\":\"Ten questions\",\"allow_changes\":true,"
	        "\"questions\":" MAIN_QUESTIONS "}");
	j = id_json(r, 201);
	http_resp_free(r);
	want = js(MAIN_QUESTIONS);
	snprintf(w.q_main, sizeof(w.q_main), "%s", id_str(j, "id"));
	check(strlen(w.q_main) == 36 &&
	                strcmp(id_str(j, "process_id"), w.p_main) == 0 &&
	                strcmp(id_str(j, "phase"), "proposals") == 0 &&
	                strcmp(id_str(j, "title"), "Getting around") == 0 &&
	                strcmp(id_str(j, "description"), "Ten questions") ==
	                        0 &&
	                strcmp(id_str(j, "state"), "open") == 0 &&
	                json_is_true(json_object_get(j, "allow_changes")) &&
	                json_is_false(json_object_get(j, "anonymous")) &&
	                json_is_false(
	                        json_object_get(j, "results_published")) &&
	                json_equal(json_object_get(j, "questions"), want),
	        "created consultation is wrong");
	json_decref(j);
	/* anyone may read it, the process lists it */
	j = expect_json(
	        id_call("GET", qpath(w.q_main, ""), NULL, NULL, NULL), 200);
	check(json_equal(json_object_get(j, "questions"), want) &&
	                strcmp(id_str(j, "state"), "open") == 0,
	        "GET consultation is wrong");
	json_decref(j);
	json_decref(want);
	p = expect_json(
	        id_call("GET", ppath(w.p_main, ""), w.res[0].token, NULL, NULL),
	        200);
	{
		json_t *list = json_object_get(p, "consultations"), *e;
		size_t i;
		int found = 0;

		json_array_foreach(list, i, e)
		{
			if (strcmp(id_str(e, "id"), w.q_main) == 0 &&
			        strcmp(id_str(e, "phase"), "proposals") == 0 &&
			        strcmp(id_str(e, "title"), "Getting around") ==
			                0)
				found = 1;
		}
		check(found, "the process does not list its consultation");
	}
	json_decref(p);
	expect_problem(
	        id_call("GET",
	                qpath("00000000-0000-4000-8000-000000000000", ""), NULL,
	                NULL, NULL),
	        404, NULL, NULL);
	expect_problem(id_call("GET", qpath("nope", ""), NULL, NULL, NULL), 404,
	        NULL, NULL);
}

/* ---- answering: every rule ---- */

/* The smallest valid answers to the main consultation, as members. */
#define BASE                                                                   \
	"\"mode\":\"bike\",\"priorities\":[\"trees\",\"benches\",\"light\"]"

struct bad_answer {
	const char *answers; /* the object's inside */
	const char *field;
	const char *message;
};

static void
test_answer_checks(void **state)
{
	static const struct bad_answer bad[] = {
	        {BASE ",\"bogus\":1", "answers.bogus", "no such question"},
	        {"\"priorities\":[\"trees\",\"benches\",\"light\"]",
	                "answers.mode", "is required"},
	        {"\"mode\":null,\"priorities\":[\"trees\",\"benches\","
	         "\"light\"]",
	                "answers.mode", "is required"},
	        {"\"mode\":\"plane\",\"priorities\":[\"trees\",\"benches\","
	         "\"light\"]",
	                "answers.mode",
	                "must be one of the question's options"},
	        {"\"mode\":3,\"priorities\":[\"trees\",\"benches\",\"light\"]",
	                "answers.mode", "must be a string"},
	        {BASE ",\"days\":\"mon\"", "answers.days",
	                "must be an array of option ids"},
	        {BASE ",\"days\":[\"mon\",\"fri\"]", "answers.days",
	                "'fri' is not one of the question's options"},
	        {BASE ",\"days\":[\"mon\",\"mon\"]", "answers.days",
	                "must not repeat an option ('mon')"},
	        {BASE ",\"days\":[\"mon\",\"tue\",\"wed\"]", "answers.days",
	                "must choose between 1 and 2 options"},
	        {BASE ",\"days\":[]", "answers.days",
	                "must choose between 1 and 2 options"},
	        {"\"mode\":\"car\",\"priorities\":[\"trees\",\"benches\","
	         "\"light\"]",
	                "answers.car_reason", "is required"},
	        {"\"mode\":\"car\",\"car_reason\":\" \\t\\n \","
	         "\"priorities\":[\"trees\",\"benches\",\"light\"]",
	                "answers.car_reason", "must not be blank"},
	        {BASE ",\"car_reason\":\"traffic\"", "answers.car_reason",
	                "is not shown for these answers"},
	        {"\"mode\":\"car\",\"car_reason\":\"%LONG101%\","
	         "\"priorities\":[\"trees\",\"benches\",\"light\"]",
	                "answers.car_reason",
	                "must be at most 100 characters long"},
	        {"\"mode\":\"bike\"", "answers.priorities", "is required"},
	        {"\"mode\":\"bike\",\"priorities\":[\"trees\",\"benches\"]",
	                "answers.priorities", "must rank all 3 options"},
	        {"\"mode\":\"bike\",\"priorities\":[\"trees\",\"benches\","
	         "\"light\",\"trees\"]",
	                "answers.priorities",
	                "must not repeat an option ('trees')"},
	        {BASE ",\"extras\":[\"a\",\"b\",\"c\"]", "answers.extras",
	                "must rank between 1 and 2 options"},
	        {BASE ",\"extras\":[]", "answers.extras",
	                "must rank between 1 and 2 options"},
	        {BASE ",\"rating\":6", "answers.rating",
	                "must be between 1 and 5"},
	        {BASE ",\"rating\":0", "answers.rating",
	                "must be between 1 and 5"},
	        {BASE ",\"rating\":3.5", "answers.rating",
	                "must be an integer"},
	        {BASE ",\"rating\":\"4\"", "answers.rating",
	                "must be an integer"},
	        {BASE ",\"age\":121", "answers.age",
	                "must be between 0 and 120"},
	        {BASE ",\"age\":-1", "answers.age",
	                "must be between 0 and 120"},
	        {BASE ",\"age\":30.5", "answers.age", "must be a whole number"},
	        {BASE ",\"age\":\"30\"", "answers.age", "must be a number"},
	        {BASE ",\"nickname\":\" A \"", "answers.nickname",
	                "must be at least 2 characters long"},
	        {BASE ",\"nickname\":\"ABCDEFGHIJK\"", "answers.nickname",
	                "must be at most 10 characters long"},
	        {BASE ",\"nickname\":42", "answers.nickname",
	                "must be a string"},
	        {BASE ",\"comment\":\"ab\"", "answers.comment",
	                "must be at least 3 characters long"},
	        {BASE ",\"comment\":\"%LONG201%\"", "answers.comment",
	                "must be at most 200 characters long"},
	};
	const struct id_user *u = &w.res[4];
	char long101[102], long201[202], body[1024];
	size_t i;

	(void)state;
	memset(long101, 'x', 101);
	long101[101] = '\0';
	memset(long201, 'y', 201);
	long201[201] = '\0';
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *tpl = bad[i].answers, *mark = strchr(tpl, '%');
		struct http_resp *r;
		json_t *p;

		if (mark != NULL) {
			const char *end = strchr(mark + 1, '%');
			const char *fill = strncmp(mark, "%LONG101%", 9) == 0
			                           ? long101
			                           : long201;

			snprintf(body, sizeof(body), "{%.*s%s%s}",
			        (int)(mark - tpl), tpl, fill, end + 1);
		} else {
			snprintf(body, sizeof(body), "{%s}", tpl);
		}
		r = answer(u, w.q_main, body);
		if (r == NULL || r->status != 422)
			fprintf(stderr, "  answers %s\n", body);
		p = check_problem(r, 422, "validation-failed");
		check_problem_field(p, bad[i].field, bad[i].message);
		check(json_array_size(json_object_get(p, "errors")) == 1,
		        "answers %s: %zu errors, want one", body,
		        json_array_size(json_object_get(p, "errors")));
		json_decref(p);
		http_resp_free(r);
	}
	/* every error at once */
	{
		struct http_resp *r = answer(u, w.q_main,
		        "{\"mode\":\"plane\",\"days\":[],\"rating\":9,"
		        "\"age\":1.5,\"x\":1}");
		json_t *p = check_problem(r, 422, "validation-failed");

		check_problem_field(p, "answers.mode", NULL);
		check_problem_field(p, "answers.days", NULL);
		check_problem_field(p, "answers.priorities", "is required");
		check_problem_field(p, "answers.rating", NULL);
		check_problem_field(p, "answers.age", NULL);
		check_problem_field(p, "answers.x", NULL);
		json_decref(p);
		http_resp_free(r);
	}
	/* the body itself */
	expect_problem(answer(u, w.q_main, "[]"), 422, "answers", NULL);
	expect_problem(answer(u, w.q_main, "\"bike\""), 422, "answers", NULL);
	expect_problem(id_call("PUT", qpath(w.q_main, "/response"), u->token,
	                       NULL, "{}"),
	        422, "answers", NULL);
	/* nothing was stored */
	expect_problem(own(u, w.q_main), 404, NULL, NULL);
}

/* ---- answering: the residents of the main consultation ---- */

/* The answers test_answers leaves, as sent and as stored. */
static const char *final_sent[4] = {
        "{\"mode\":\"bike\",\"days\":[\"mon\",\"wed\"],\"priorities\":["
        "\"trees\",\"benches\",\"light\"],\"extras\":[\"a\"],\"rating\":4,"
        "\"age\":30,\"nickname\":\"  Bob \\u00a0\",\"comment\":\"Line one, "
        "with \\\"quotes\\\"\\nline two\"}",
        "{\"mode\":\"bus\",\"days\":[\"mon\"],\"priorities\":[\"benches\","
        "\"trees\",\"light\"],\"extras\":[\"b\",\"a\"],\"rating\":5,"
        "\"age\":41,\"nickname\":\"éèêëàâäôöü\",\"comment\":\"   \"}",
        "{\"mode\":\"car\",\"car_reason\":\" No bus at night \",\"days\":["
        "\"tue\",\"mon\"],\"priorities\":[\"trees\",\"light\",\"benches\"],"
        "\"extras\":[\"c\"],\"rating\":2,\"age\":67,\"comment\":\"More "
        "trees\\nplease\",\"nickname\":null}",
        "{\"mode\":\"bike\",\"priorities\":[\"light\",\"trees\","
        "\"benches\"],\"extras\":[\"a\",\"c\"],\"rating\":4,\"age\":25,"
        "\"nickname\":\"Zoé\",\"comment\":\"Fine.\"}",
};
static const char *final_stored[4] = {
        "{\"mode\":\"bike\",\"days\":[\"mon\",\"wed\"],\"priorities\":["
        "\"trees\",\"benches\",\"light\"],\"extras\":[\"a\"],\"rating\":4,"
        "\"age\":30,\"nickname\":\"Bob\",\"comment\":\"Line one, with "
        "\\\"quotes\\\"\\nline two\"}",
        "{\"mode\":\"bus\",\"days\":[\"mon\"],\"priorities\":[\"benches\","
        "\"trees\",\"light\"],\"extras\":[\"b\",\"a\"],\"rating\":5,"
        "\"age\":41,\"nickname\":\"éèêëàâäôöü\"}",
        "{\"mode\":\"car\",\"car_reason\":\"No bus at night\",\"days\":["
        "\"tue\",\"mon\"],\"priorities\":[\"trees\",\"light\",\"benches\"],"
        "\"extras\":[\"c\"],\"rating\":2,\"age\":67,\"comment\":\"More "
        "trees\\nplease\"}",
        "{\"mode\":\"bike\",\"priorities\":[\"light\",\"trees\","
        "\"benches\"],\"extras\":[\"a\",\"c\"],\"rating\":4,\"age\":25,"
        "\"nickname\":\"Zoé\",\"comment\":\"Fine.\"}",
};

/* The response body has these stored answers. */
#define check_answers(j, stored)                                               \
	check_answers_((j), (stored), __FILE__, __LINE__)
static void
check_answers_(json_t *j, const char *stored, const char *file, int line)
{
	json_t *want = js(stored);

	if (!json_equal(json_object_get(j, "answers"), want)) {
		char *d =
		        json_dumps(json_object_get(j, "answers"), JSON_COMPACT);

		print_error("answers: %s\nwant:    %s\n", d != NULL ? d : "?",
		        stored);
		free(d);
		json_decref(want);
		check_fail_(file, line, "stored answers are not as expected");
	}
	json_decref(want);
}

static void
test_answers(void **state)
{
	json_t *j, *first;
	int i;

	(void)state;
	/* a first answer */
	j = expect_json(answer(&w.res[0], w.q_main,
	                        "{\"mode\":\"bus\",\"days\":[\"tue\"],"
	                        "\"priorities\":[\"light\",\"benches\","
	                        "\"trees\"],\"rating\":1,\"comment\":"
	                        "\"\\u00a0first\\u3000\"}"),
	        201);
	check_answers(j, "{\"mode\":\"bus\",\"days\":[\"tue\"],\"priorities\":"
	                 "[\"light\",\"benches\",\"trees\"],\"rating\":1,"
	                 "\"comment\":\"first\"}");
	check(strcmp(id_str(j, "consultation_id"), w.q_main) == 0 &&
	                strlen(id_str(j, "id")) == 36 &&
	                strlen(id_str(j, "submitted_at")) > 0 &&
	                json_is_null(json_object_get(j, "updated_at")),
	        "first answer's body is wrong");
	snprintf(w.rid[0], sizeof(w.rid[0]), "%s", id_str(j, "id"));
	first = j;
	j = expect_json(own(&w.res[0], w.q_main), 200);
	check(json_equal(j, first), "GET own response differs from the PUT");
	json_decref(j);
	/* the questions no longer change; the title may */
	expect_problem(id_call("PATCH", qpath(w.q_main, ""), w.admin.token,
	                       NULL, "{\"questions\":" ONE_QUESTION "}"),
	        409, NULL, NULL);
	expect_problem(id_call("PATCH", qpath(w.q_main, ""), w.admin.token,
	                       NULL, "{\"allow_changes\":false}"),
	        409, NULL, NULL);
	expect_problem(id_call("PATCH", qpath(w.q_main, ""), w.admin.token,
	                       NULL, "{\"anonymous\":true}"),
	        409, NULL, NULL);
	j = expect_json(id_call("PATCH", qpath(w.q_main, ""), w.admin.token,
	                        NULL, "{\"title\":\"Getting around town\"}"),
	        200);
	check(strcmp(id_str(j, "title"), "Getting around town") == 0 &&
	                json_is_true(json_object_get(j, "allow_changes")) &&
	                json_array_size(json_object_get(j, "questions")) == 9,
	        "PATCH title: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	expect_problem(id_call("PATCH", qpath(w.q_main, ""), w.mod.token, NULL,
	                       "{\"title\":\"x\"}"),
	        403, NULL, NULL);
	/* a bad change is refused and changes nothing */
	expect_problem(
	        answer(&w.res[0], w.q_main, "{\"mode\":\"bike\",\"rating\":9}"),
	        422, "answers.rating", NULL);
	j = expect_json(own(&w.res[0], w.q_main), 200);
	check(json_equal(j, first), "a refused change changed the response");
	json_decref(j);
	/* a change replaces the answers: 200, same response */
	j = expect_json(answer(&w.res[0], w.q_main, final_sent[0]), 200);
	check_answers(j, final_stored[0]);
	check(strcmp(id_str(j, "id"), w.rid[0]) == 0 &&
	                strcmp(id_str(j, "submitted_at"),
	                        id_str(first, "submitted_at")) == 0 &&
	                strlen(id_str(j, "updated_at")) > 0,
	        "a change made another response: %s",
	        json_dumps(j, JSON_COMPACT));
	json_decref(j);
	json_decref(first);
	j = expect_json(own(&w.res[0], w.q_main), 200);
	check_answers(j, final_stored[0]);
	json_decref(j);
	/* three more residents */
	for (i = 1; i < 4; i++) {
		j = expect_json(
		        answer(&w.res[i], w.q_main, final_sent[i]), 201);
		check_answers(j, final_stored[i]);
		snprintf(w.rid[i], sizeof(w.rid[i]), "%s", id_str(j, "id"));
		json_decref(j);
		j = expect_json(own(&w.res[i], w.q_main), 200);
		check_answers(j, final_stored[i]);
		check(strcmp(id_str(j, "id"), w.rid[i]) == 0,
		        "own response has another id");
		json_decref(j);
	}
	/* verification needed (the default rule) */
	expect_problem(
	        answer(&w.member, w.q_main, "{" BASE "}"), 403, NULL, NULL);
	expect_problem(
	        answer(&w.outsider, w.q_main, "{" BASE "}"), 403, NULL, NULL);
	expect_problem(
	        answer(&w.admin, w.q_main, "{" BASE "}"), 403, NULL, NULL);
	expect_problem(answer(NULL, w.q_main, "{" BASE "}"), 401, NULL, NULL);
	expect_problem(own(&w.member, w.q_main), 404, NULL, NULL);
	expect_problem(own(&w.outsider, w.q_main), 404, NULL, NULL);
	expect_problem(
	        id_call("GET", qpath(w.q_main, "/response"), NULL, NULL, NULL),
	        401, NULL, NULL);
	/* unknown consultations */
	expect_problem(
	        answer(&w.res[0], "00000000-0000-4000-8000-000000000000", "{}"),
	        404, NULL, NULL);
	expect_problem(own(&w.res[0], "00000000-0000-4000-8000-000000000000"),
	        404, NULL, NULL);
}

/* Changes not allowed: a second answer is refused. */
static void
test_no_changes(void **state)
{
	char pid[40], qid[40];
	json_t *j;

	(void)state;
	process_open("Once", NULL, pid);
	consultation_new(pid,
	        "{\"phase\":\"proposals\",\"title\":\"Once\",\"questions\":"
	        "[{\"id\":\"first\",\"type\":\"short_text\",\"title\":"
	        "\"First\"}]}",
	        qid);
	/* before anyone answers, the questions may change (checked the
	   same way as on creation) */
	expect_problem(id_call("PATCH", qpath(qid, ""), w.admin.token, NULL,
	                       "{\"questions\":[{\"id\":\"ok\",\"type\":"
	                       "\"single_choice\",\"title\":\"OK?\"}]}"),
	        422, "questions[0].options", "is required");
	expect_problem(id_call("PATCH", qpath(qid, ""), w.mod.token, NULL,
	                       "{\"questions\":" ONE_QUESTION "}"),
	        403, NULL, NULL);
	j = expect_json(id_call("PATCH", qpath(qid, ""), w.admin.token, NULL,
	                        "{\"questions\":" ONE_QUESTION "}"),
	        200);
	{
		json_t *want = js(ONE_QUESTION);

		check(json_equal(json_object_get(j, "questions"), want),
		        "PATCH questions: %s", json_dumps(j, JSON_COMPACT));
		json_decref(want);
	}
	json_decref(j);
	expect_problem(answer(&w.res[0], qid, "{\"first\":\"old question\"}"),
	        422, "answers.first", "no such question");
	j = expect_json(answer(&w.res[0], qid, "{\"ok\":\"yes\"}"), 201);
	check_answers(j, "{\"ok\":\"yes\"}");
	json_decref(j);
	expect_problem(
	        answer(&w.res[0], qid, "{\"ok\":\"no\"}"), 409, NULL, NULL);
	/* even the same answer again */
	expect_problem(
	        answer(&w.res[0], qid, "{\"ok\":\"yes\"}"), 409, NULL, NULL);
	j = expect_json(own(&w.res[0], qid), 200);
	check_answers(j, "{\"ok\":\"yes\"}");
	check(json_is_null(json_object_get(j, "updated_at")),
	        "the refused change touched the response");
	json_decref(j);
	json_decref(
	        expect_json(answer(&w.res[1], qid, "{\"ok\":\"no\"}"), 201));
	/* once the phase is closed early, no more answers */
	close_phase(pid, "proposals");
	j = expect_json(id_call("GET", qpath(qid, ""), NULL, NULL, NULL), 200);
	check(strcmp(id_str(j, "state"), "closed") == 0, "state after closing");
	json_decref(j);
	expect_problem(
	        answer(&w.res[2], qid, "{\"ok\":\"no\"}"), 409, NULL, NULL);
	expect_problem(own(&w.res[2], qid), 404, NULL, NULL);
	j = expect_json(results(qid, w.admin.token), 200);
	check(int_of(j, "responses") == 2, "2 responses expected: %s",
	        json_dumps(j, JSON_COMPACT));
	json_decref(j);
}

/* Anonymous consultations. */
static void
test_anonymous(void **state)
{
	static const char *keys[] = {
	        "consultation_id", "anonymous", "answered", "submitted_at"};
	char pid[40], qid[40], *csv;
	json_t *j, *resp;
	struct http_resp *r;
	size_t i;

	(void)state;
	process_open("Anonymous", NULL, pid);
	consultation_new(pid,
	        "{\"phase\":\"proposals\",\"title\":\"Anon\",\"anonymous\":"
	        "true,"
	        "\"questions\":[{\"id\":\"idea\",\"type\":\"long_text\","
	        "\"title\":\"Your idea\",\"required\":true},{\"id\":\"score\","
	        "\"type\":\"scale\",\"title\":\"Score\",\"min\":0,\"max\":10},"
	        "{\"id\":\"budget\",\"type\":\"number\",\"title\":\"Budget\","
	        "\"min\":0.5,\"max\":99.5}]}",
	        qid);
	/* changes cannot be allowed for it */
	expect_problem(id_call("PATCH", qpath(qid, ""), w.admin.token, NULL,
	                       "{\"allow_changes\":true}"),
	        422, "allow_changes", NULL);
	expect_problem(
	        answer(&w.res[0], qid, "{\"idea\":\"x\",\"budget\":0.25}"), 422,
	        "answers.budget", "must be between 0.5 and 99.5");
	expect_problem(own(&w.res[0], qid), 404, NULL, NULL);
	j = expect_json(answer(&w.res[0], qid,
	                        "{\"idea\":\"Anonymous, idea\",\"score\":7,"
	                        "\"budget\":12.25}"),
	        201);
	check(json_is_true(json_object_get(j, "anonymous")) &&
	                json_is_true(json_object_get(j, "answered")) &&
	                json_object_get(j, "id") == NULL &&
	                json_object_get(j, "answers") == NULL,
	        "anonymous answer's body: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	/* a second answer is refused */
	expect_problem(answer(&w.res[0], qid, "{\"idea\":\"Again\"}"), 409,
	        NULL, NULL);
	/* the own response says only that they answered */
	j = expect_json(own(&w.res[0], qid), 200);
	check(json_object_size(j) == 4 &&
	                json_is_true(json_object_get(j, "answered")) &&
	                json_is_true(json_object_get(j, "anonymous")) &&
	                json_is_null(json_object_get(j, "submitted_at")) &&
	                strcmp(id_str(j, "consultation_id"), qid) == 0,
	        "own anonymous response: %s", json_dumps(j, JSON_COMPACT));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		check(json_object_get(j, keys[i]) != NULL, "no %s", keys[i]);
	json_decref(j);
	expect_problem(own(&w.res[1], qid), 404, NULL, NULL);
	json_decref(
	        expect_json(answer(&w.res[1], qid,
	                            "{\"idea\":\"  Second  \",\"budget\":3}"),
	                201));
	/* the options no longer change */
	expect_problem(id_call("PATCH", qpath(qid, ""), w.admin.token, NULL,
	                       "{\"anonymous\":false}"),
	        409, NULL, NULL);
	/* results */
	j = expect_json(results(qid, w.mod.token), 200);
	{
		json_t *qs = json_object_get(j, "questions");
		json_t *idea = json_array_get(qs, 0),
		       *score = json_array_get(qs, 1);
		json_t *budget = json_array_get(qs, 2);
		json_t *texts = json_object_get(idea, "texts");

		check(int_of(j, "responses") == 2 &&
		                int_of(idea, "answered") == 2 &&
		                json_array_size(texts) == 2 &&
		                int_of(score, "answered") == 1 &&
		                near(num(score, "mean"), 7) &&
		                near(num(score, "median"), 7) &&
		                json_array_size(json_object_get(
		                        score, "distribution")) == 11 &&
		                int_of(budget, "answered") == 2 &&
		                near(num(budget, "mean"), 7.625) &&
		                near(num(budget, "median"), 7.625) &&
		                near(num(budget, "min"), 3) &&
		                near(num(budget, "max"), 12.25),
		        "anonymous results: %s", json_dumps(j, JSON_COMPACT));
	}
	json_decref(j);
	/* the export names no one */
	r = id_call("GET", qpath(qid, "/export?format=csv"), w.admin.token,
	        NULL, NULL);
	check_status(r, 200);
	csv = r->body;
	check(strncmp(csv, "response_id,submitted_at,idea,score,budget\r\n",
	              44) == 0,
	        "anonymous CSV header: %.80s", csv);
	check(strstr(csv, w.res[0].id) == NULL &&
	                strstr(csv, w.res[1].id) == NULL &&
	                strstr(csv, "\"Anonymous, idea\",7,12.25\r\n") !=
	                        NULL &&
	                strstr(csv, ",Second,,3\r\n") != NULL,
	        "anonymous CSV: %s", csv);
	/* only the day is kept */
	check(strstr(csv, ":00:00Z,") != NULL ||
	                strstr(csv, ":30:00Z,") != NULL,
	        "anonymous responses keep more than the day: %s", csv);
	http_resp_free(r);
	r = id_call("GET", qpath(qid, "/export?format=json"), w.admin.token,
	        NULL, NULL);
	j = id_json(r, 200);
	check(strstr(r->body, w.res[0].id) == NULL &&
	                strstr(r->body, w.res[1].id) == NULL &&
	                json_is_true(json_object_get(j, "anonymous")) &&
	                json_array_size(json_object_get(j, "responses")) == 2,
	        "anonymous JSON export: %s", r->body);
	json_array_foreach(json_object_get(j, "responses"), i, resp)
	{
		check(json_object_get(resp, "account_id") == NULL,
		        "an anonymous response has an account_id");
	}
	json_decref(j);
	http_resp_free(r);
}

/* Rule {"who": "any"}: any signed-in account may answer. */
static void
test_who_any(void **state)
{
	char pid[40], qid[40];
	json_t *j;

	(void)state;
	process_open("Open to all", "{\"answer\":{\"who\":\"any\"}}", pid);
	consultation_new(pid,
	        "{\"phase\":\"proposals\",\"title\":\"All\","
	        "\"questions\":" ONE_QUESTION "}",
	        qid);
	json_decref(
	        expect_json(answer(&w.member, qid, "{\"ok\":\"yes\"}"), 201));
	json_decref(
	        expect_json(answer(&w.outsider, qid, "{\"ok\":\"no\"}"), 201));
	json_decref(
	        expect_json(answer(&w.res[0], qid, "{\"ok\":\"yes\"}"), 201));
	j = expect_json(own(&w.outsider, qid), 200);
	check_answers(j, "{\"ok\":\"no\"}");
	json_decref(j);
	expect_problem(answer(NULL, qid, "{\"ok\":\"yes\"}"), 401, NULL, NULL);
	j = expect_json(results(qid, w.admin.token), 200);
	check(int_of(j, "responses") == 3, "3 responses expected");
	json_decref(j);
}

/* Rule min_age: a birth date is needed, and old enough. */
static void
test_min_age(void **state)
{
	char pid[40], qid[40];
	struct http_resp *r;
	json_t *p;

	(void)state;
	process_open("Adults", "{\"answer\":{\"min_age\":18}}", pid);
	consultation_new(pid,
	        "{\"phase\":\"proposals\",\"title\":\"18+\","
	        "\"questions\":" ONE_QUESTION "}",
	        qid);
	r = answer(&w.young, qid, "{\"ok\":\"yes\"}");
	p = check_problem(r, 403, "forbidden");
	check(strstr(id_str(p, "detail"), "18") != NULL, "detail: %s",
	        id_str(p, "detail"));
	json_decref(p);
	http_resp_free(r);
	r = answer(&w.nobirth, qid, "{\"ok\":\"yes\"}");
	p = check_problem(r, 403, "forbidden");
	check(strstr(id_str(p, "detail"), "birth date") != NULL, "detail: %s",
	        id_str(p, "detail"));
	json_decref(p);
	http_resp_free(r);
	/* old enough but not verified: still no */
	expect_problem(
	        answer(&w.member, qid, "{\"ok\":\"yes\"}"), 403, NULL, NULL);
	json_decref(
	        expect_json(answer(&w.res[4], qid, "{\"ok\":\"yes\"}"), 201));
	expect_problem(own(&w.young, qid), 404, NULL, NULL);
	/* the main consultation has no age rule: the young resident answers
	   it (check_main_results counts this fifth response) */
	json_decref(expect_json(answer(&w.young, w.q_main, "{" BASE "}"), 201));
}

/* When: upcoming, and drafts. */
static void
test_states(void **state)
{
	char pid[40], qid[40], qdraft[40], body[1024];
	json_t *j;

	(void)state;
	/* the main process's vote phase is still to come */
	consultation_new(w.p_main,
	        "{\"phase\":\"vote\",\"title\":\"Later\","
	        "\"questions\":" ONE_QUESTION "}",
	        qid);
	j = expect_json(
	        id_call("GET", qpath(qid, ""), w.res[0].token, NULL, NULL),
	        200);
	check(strcmp(id_str(j, "state"), "upcoming") == 0, "state: upcoming");
	json_decref(j);
	expect_problem(
	        answer(&w.res[0], qid, "{\"ok\":\"yes\"}"), 409, NULL, NULL);
	expect_problem(own(&w.res[0], qid), 404, NULL, NULL);
	/* results with no response at all */
	j = expect_json(results(qid, w.admin.token), 200);
	{
		json_t *q = json_array_get(json_object_get(j, "questions"), 0);
		json_t *o = json_object_get(q, "options");

		check(int_of(j, "responses") == 0 &&
		                int_of(q, "answered") == 0 &&
		                strcmp(id_str(j, "state"), "upcoming") == 0 &&
		                json_array_size(o) == 2 &&
		                int_of(json_array_get(o, 0), "count") == 0 &&
		                json_is_null(json_object_get(
		                        json_array_get(o, 0), "share")),
		        "empty results: %s", json_dumps(j, JSON_COMPACT));
	}
	json_decref(j);
	/* a draft process's consultation does not exist to residents */
	snprintf(body, sizeof(body), "{\"title\":\"Draft\",\"phases\":[%s]}",
	        ct_phase("proposals", -DAY, DAY));
	process_new(body, pid);
	consultation_new(pid,
	        "{\"phase\":\"proposals\",\"title\":\"Draft\","
	        "\"questions\":" ONE_QUESTION "}",
	        qdraft);
	expect_problem(
	        id_call("GET", qpath(qdraft, ""), w.res[0].token, NULL, NULL),
	        404, NULL, NULL);
	expect_problem(id_call("GET", qpath(qdraft, ""), NULL, NULL, NULL), 404,
	        NULL, NULL);
	expect_problem(
	        answer(&w.res[0], qdraft, "{\"ok\":\"yes\"}"), 404, NULL, NULL);
	expect_problem(own(&w.res[0], qdraft), 404, NULL, NULL);
	expect_problem(results(qdraft, w.res[0].token), 404, NULL, NULL);
	expect_problem(results(qdraft, NULL), 404, NULL, NULL);
	/* staff see it, not open while the process is a draft */
	j = expect_json(
	        id_call("GET", qpath(qdraft, ""), w.mod.token, NULL, NULL),
	        200);
	check(strcmp(id_str(j, "state"), "upcoming") == 0,
	        "a draft's consultation is %s", id_str(j, "state"));
	json_decref(j);
	json_decref(expect_json(results(qdraft, w.admin.token), 200));
	/* once published it is open */
	json_decref(expect_json(id_call("PATCH", ppath(pid, ""), w.admin.token,
	                                NULL, "{\"status\":\"published\"}"),
	        200));
	json_decref(expect_json(
	        answer(&w.res[0], qdraft, "{\"ok\":\"yes\"}"), 201));
}

/* ---- results ---- */

/* The figures of the main consultation, worked out by hand from
 * final_stored and the young resident's BASE answers (test_min_age):
 * five responses. The same for staff and public while nothing is
 * hidden. */
static void
check_main_results(json_t *res)
{
	json_t *qs = json_object_get(res, "questions"), *q, *o;
	char *dump = json_dumps(res, JSON_COMPACT);
	const char *d = dump != NULL ? dump : "?";

	check(int_of(res, "responses") == 5, "responses: %s", d);
	check(json_array_size(qs) == 9, "nine questions: %s", d);
	/* mode: bike r0 r3 young, bus r1, car r2 */
	q = json_array_get(qs, 0);
	check(strcmp(id_str(q, "id"), "mode") == 0 &&
	                strcmp(id_str(q, "type"), "single_choice") == 0 &&
	                strcmp(id_str(q, "title"), "How do you come?") == 0 &&
	                int_of(q, "answered") == 5,
	        "mode: %s", d);
	o = json_object_get(q, "options");
	check(json_array_size(o) == 3 &&
	                strcmp(id_str(json_array_get(o, 0), "id"), "bike") ==
	                        0 &&
	                strcmp(id_str(json_array_get(o, 0), "label"), "Bike") ==
	                        0 &&
	                int_of(json_array_get(o, 0), "count") == 3 &&
	                near(num(json_array_get(o, 0), "share"), 0.6) &&
	                int_of(json_array_get(o, 1), "count") == 1 &&
	                near(num(json_array_get(o, 1), "share"), 0.2) &&
	                strcmp(id_str(json_array_get(o, 2), "id"), "car") ==
	                        0 &&
	                int_of(json_array_get(o, 2), "count") == 1 &&
	                near(num(json_array_get(o, 2), "share"), 0.2),
	        "mode options: %s", d);
	/* days: r0 mon wed, r1 mon, r2 tue mon */
	q = json_array_get(qs, 1);
	o = json_object_get(q, "options");
	check(int_of(q, "answered") == 3 &&
	                int_of(json_array_get(o, 0), "count") == 3 &&
	                near(num(json_array_get(o, 0), "share"), 1) &&
	                int_of(json_array_get(o, 1), "count") == 1 &&
	                near(num(json_array_get(o, 1), "share"), 0.3333) &&
	                int_of(json_array_get(o, 2), "count") == 1 &&
	                near(num(json_array_get(o, 2), "share"), 0.3333),
	        "days: %s", d);
	/* car_reason: r2 */
	q = json_array_get(qs, 2);
	o = json_object_get(q, "texts");
	check(int_of(q, "answered") == 1 && json_array_size(o) == 1 &&
	                strcmp(id_str(json_array_get(o, 0), "text"),
	                        "No bus at night") == 0 &&
	                strcmp(id_str(json_array_get(o, 0), "response_id"),
	                        w.rid[2]) == 0 &&
	                json_is_false(json_object_get(
	                        json_array_get(o, 0), "hidden")),
	        "car_reason: %s", d);
	/* priorities (3 options: 2, 1, 0 points), five rankings:
	   r0 trees benches light, r1 benches trees light, r2 trees light
	   benches, r3 light trees benches, young trees benches light:
	   trees 2+1+2+1+2 = 8, positions 1 2 1 2 1;
	   benches 1+2+0+0+1 = 4, positions 2 1 3 3 2;
	   light 0+0+1+2+0 = 3, positions 3 3 2 1 3 */
	q = json_array_get(qs, 3);
	o = json_object_get(q, "options");
	check(int_of(q, "answered") == 5 && json_array_size(o) == 3 &&
	                strcmp(id_str(json_array_get(o, 0), "id"), "trees") ==
	                        0 &&
	                strcmp(id_str(json_array_get(o, 0), "label"),
	                        "Trees") == 0 &&
	                int_of(json_array_get(o, 0), "borda") == 8 &&
	                int_of(json_array_get(o, 0), "ranked") == 5 &&
	                near(num(json_array_get(o, 0), "mean_position"), 1.4) &&
	                strcmp(id_str(json_array_get(o, 1), "id"), "benches") ==
	                        0 &&
	                int_of(json_array_get(o, 1), "borda") == 4 &&
	                near(num(json_array_get(o, 1), "mean_position"), 2.2) &&
	                strcmp(id_str(json_array_get(o, 2), "id"), "light") ==
	                        0 &&
	                int_of(json_array_get(o, 2), "borda") == 3 &&
	                int_of(json_array_get(o, 2), "ranked") == 5 &&
	                near(num(json_array_get(o, 2), "mean_position"), 2.4),
	        "priorities: %s", d);
	/* extras (4 options: 3, 2, 1, 0 points): r0 a, r1 b a, r2 c, r3 a c:
	   a 3+2+3 = 8 (positions 1 2 1), c 3+2 = 5 (1 2), b 3 (1), d 0 */
	q = json_array_get(qs, 4);
	o = json_object_get(q, "options");
	check(int_of(q, "answered") == 4 && json_array_size(o) == 4 &&
	                strcmp(id_str(json_array_get(o, 0), "id"), "a") == 0 &&
	                int_of(json_array_get(o, 0), "borda") == 8 &&
	                int_of(json_array_get(o, 0), "ranked") == 3 &&
	                near(num(json_array_get(o, 0), "mean_position"),
	                        1.3333) &&
	                strcmp(id_str(json_array_get(o, 1), "id"), "c") == 0 &&
	                int_of(json_array_get(o, 1), "borda") == 5 &&
	                int_of(json_array_get(o, 1), "ranked") == 2 &&
	                near(num(json_array_get(o, 1), "mean_position"), 1.5) &&
	                strcmp(id_str(json_array_get(o, 2), "id"), "b") == 0 &&
	                int_of(json_array_get(o, 2), "borda") == 3 &&
	                int_of(json_array_get(o, 2), "ranked") == 1 &&
	                near(num(json_array_get(o, 2), "mean_position"), 1) &&
	                strcmp(id_str(json_array_get(o, 3), "id"), "d") == 0 &&
	                int_of(json_array_get(o, 3), "borda") == 0 &&
	                int_of(json_array_get(o, 3), "ranked") == 0 &&
	                json_is_null(json_object_get(
	                        json_array_get(o, 3), "mean_position")),
	        "extras: %s", d);
	/* rating 1..5: 4 5 2 4 -> mean 3.75, median 4 */
	q = json_array_get(qs, 5);
	o = json_object_get(q, "distribution");
	check(int_of(q, "answered") == 4 && json_array_size(o) == 5 &&
	                int_of(json_array_get(o, 0), "value") == 1 &&
	                int_of(json_array_get(o, 0), "count") == 0 &&
	                int_of(json_array_get(o, 1), "count") == 1 &&
	                int_of(json_array_get(o, 2), "count") == 0 &&
	                int_of(json_array_get(o, 3), "value") == 4 &&
	                int_of(json_array_get(o, 3), "count") == 2 &&
	                int_of(json_array_get(o, 4), "value") == 5 &&
	                int_of(json_array_get(o, 4), "count") == 1 &&
	                near(num(q, "mean"), 3.75) && near(num(q, "median"), 4),
	        "rating: %s", d);
	/* age: 30 41 67 25 -> mean 40.75, median 35.5 */
	q = json_array_get(qs, 6);
	check(int_of(q, "answered") == 4 && near(num(q, "mean"), 40.75) &&
	                near(num(q, "median"), 35.5) &&
	                near(num(q, "min"), 25) && near(num(q, "max"), 67),
	        "age: %s", d);
	/* nickname: r0 r1 r3, oldest response first */
	q = json_array_get(qs, 7);
	o = json_object_get(q, "texts");
	check(int_of(q, "answered") == 3 && json_array_size(o) == 3 &&
	                strcmp(id_str(json_array_get(o, 0), "text"), "Bob") ==
	                        0 &&
	                strcmp(id_str(json_array_get(o, 0), "response_id"),
	                        w.rid[0]) == 0 &&
	                strcmp(id_str(json_array_get(o, 1), "text"),
	                        "éèêëàâäôöü") == 0 &&
	                strcmp(id_str(json_array_get(o, 2), "text"), "Zoé") ==
	                        0 &&
	                strcmp(id_str(json_array_get(o, 2), "response_id"),
	                        w.rid[3]) == 0,
	        "nickname: %s", d);
	/* comment: r0 r2 r3 */
	q = json_array_get(qs, 8);
	o = json_object_get(q, "texts");
	check(int_of(q, "answered") == 3 && json_array_size(o) == 3 &&
	                strcmp(id_str(json_array_get(o, 0), "text"),
	                        "Line one, with \"quotes\"\nline two") == 0 &&
	                strcmp(id_str(json_array_get(o, 1), "text"),
	                        "More trees\nplease") == 0 &&
	                strcmp(id_str(json_array_get(o, 1), "response_id"),
	                        w.rid[2]) == 0 &&
	                strcmp(id_str(json_array_get(o, 2), "text"), "Fine.") ==
	                        0,
	        "comment: %s", d);
	free(dump);
}

static void
test_results(void **state)
{
	json_t *j, *staff;

	(void)state;
	/* staff during the consultation */
	staff = expect_json(results(w.q_main, w.mod.token), 200);
	check(strcmp(id_str(staff, "consultation_id"), w.q_main) == 0 &&
	                strcmp(id_str(staff, "state"), "open") == 0 &&
	                json_is_false(json_object_get(staff, "published")),
	        "results while open: %s", json_dumps(staff, JSON_COMPACT));
	check_main_results(staff);
	j = expect_json(results(w.q_main, w.admin.token), 200);
	check(json_equal(j, staff), "the admin sees other results");
	json_decref(j);
	j = expect_json(results(w.q_main, http_admin_token()), 200);
	check(json_equal(j, staff), "the platform admin sees other results");
	json_decref(j);
	/* not the public before publication */
	expect_problem(results(w.q_main, NULL), 403, NULL, NULL);
	expect_problem(results(w.q_main, w.res[0].token), 403, NULL, NULL);
	expect_problem(results(w.q_main, w.outsider.token), 403, NULL, NULL);
	/* no publishing while open */
	expect_problem(id_call("POST", qpath(w.q_main, "/results/publish"),
	                       w.admin.token, NULL, NULL),
	        409, NULL, NULL);
	expect_problem(id_call("POST", qpath(w.q_main, "/results/publish"),
	                       w.mod.token, NULL, NULL),
	        403, NULL, NULL);
	/* close the phase early, then publish */
	close_phase(w.p_main, "proposals");
	j = expect_json(
	        id_call("GET", qpath(w.q_main, ""), NULL, NULL, NULL), 200);
	check(strcmp(id_str(j, "state"), "closed") == 0 &&
	                json_is_false(json_object_get(j, "results_published")),
	        "closed: %s", json_dumps(j, JSON_COMPACT));
	json_decref(j);
	expect_problem(
	        answer(&w.res[4], w.q_main, "{" BASE "}"), 409, NULL, NULL);
	expect_problem(
	        answer(&w.res[0], w.q_main, final_sent[0]), 409, NULL, NULL);
	expect_problem(results(w.q_main, NULL), 403, NULL, NULL);
	expect_problem(id_call("POST", qpath(w.q_main, "/results/publish"),
	                       w.res[0].token, NULL, NULL),
	        403, NULL, NULL);
	j = expect_json(id_call("POST", qpath(w.q_main, "/results/publish"),
	                        w.admin.token, NULL, NULL),
	        200);
	check(json_is_true(json_object_get(j, "results_published")) &&
	                strlen(id_str(j, "results_published_at")) > 0 &&
	                strcmp(id_str(j, "state"), "closed") == 0,
	        "published: %s", json_dumps(j, JSON_COMPACT));
	{
		/* publishing again keeps the first date */
		json_t *again = expect_json(
		        id_call("POST", qpath(w.q_main, "/results/publish"),
		                w.admin.token, NULL, NULL),
		        200);

		check(strcmp(id_str(again, "results_published_at"),
		              id_str(j, "results_published_at")) == 0,
		        "results_published_at moved");
		json_decref(again);
	}
	json_decref(j);
	/* now everyone sees them, the same figures */
	j = expect_json(results(w.q_main, NULL), 200);
	check(json_is_true(json_object_get(j, "published")) &&
	                strcmp(id_str(j, "state"), "closed") == 0,
	        "public results: %s", json_dumps(j, JSON_COMPACT));
	check_main_results(j);
	check(json_equal(json_object_get(j, "questions"),
	              json_object_get(staff, "questions")),
	        "public figures differ from the staff's");
	json_decref(j);
	json_decref(expect_json(results(w.q_main, w.outsider.token), 200));
	json_decref(staff);
}

/* ---- hiding free texts ---- */

/* The texts of question index qi in results. */
static json_t *
texts_of(json_t *res, size_t qi)
{
	return json_object_get(
	        json_array_get(json_object_get(res, "questions"), qi), "texts");
}

static json_t *
text_of(json_t *texts, const char *rid)
{
	size_t i;
	json_t *t;

	json_array_foreach(texts, i, t)
	{
		if (strcmp(id_str(t, "response_id"), rid) == 0)
			return t;
	}
	return NULL;
}

static const char *
hpath(const char *rid, const char *question)
{
	static char buf[2][300];
	static int k;

	k = (k + 1) % 2;
	snprintf(buf[k], sizeof(buf[k]), "/responses/%s/texts/%s/hidden", rid,
	        question);
	return qpath(w.q_main, buf[k]);
}

static void
test_hide_texts(void **state)
{
	json_t *j, *t;

	(void)state;
	/* a moderator hides r2's comment */
	expect_204(id_call("POST", hpath(w.rid[2], "comment"), w.mod.token,
	        NULL, "{\"reason\":\"personal data\"}"));
	/* gone from the public results, still counted */
	j = expect_json(results(w.q_main, NULL), 200);
	t = texts_of(j, 8);
	check(json_array_size(t) == 2 && text_of(t, w.rid[2]) == NULL &&
	                text_of(t, w.rid[0]) != NULL &&
	                int_of(json_array_get(
	                               json_object_get(j, "questions"), 8),
	                        "answered") == 3,
	        "public texts after hiding: %s", json_dumps(t, JSON_COMPACT));
	check(json_array_size(texts_of(j, 2)) == 1,
	        "r2's other text was hidden too");
	json_decref(j);
	j = expect_json(results(w.q_main, w.res[2].token), 200);
	check(text_of(texts_of(j, 8), w.rid[2]) == NULL,
	        "its author still sees the hidden text");
	json_decref(j);
	/* flagged for staff */
	j = expect_json(results(w.q_main, w.mod.token), 200);
	t = texts_of(j, 8);
	check(json_array_size(t) == 3 &&
	                json_is_true(json_object_get(
	                        text_of(t, w.rid[2]), "hidden")) &&
	                strcmp(id_str(text_of(t, w.rid[2]), "text"),
	                        "More trees\nplease") == 0 &&
	                json_is_false(json_object_get(
	                        text_of(t, w.rid[0]), "hidden")),
	        "staff texts after hiding: %s", json_dumps(t, JSON_COMPACT));
	json_decref(j);
	/* hiding again is harmless; admins may too */
	expect_204(id_call(
	        "POST", hpath(w.rid[2], "comment"), w.admin.token, NULL, "{}"));
	/* only free texts that exist */
	expect_problem(id_call("POST", hpath(w.rid[2], "rating"), w.mod.token,
	                       NULL, "{}"),
	        404, NULL, NULL);
	expect_problem(id_call("POST", hpath(w.rid[2], "mode"), w.mod.token,
	                       NULL, "{}"),
	        404, NULL, NULL);
	expect_problem(id_call("POST", hpath(w.rid[2], "nickname"), w.mod.token,
	                       NULL, "{}"),
	        404, NULL, NULL);
	expect_problem(id_call("POST", hpath(w.rid[1], "comment"), w.mod.token,
	                       NULL, "{}"),
	        404, NULL, NULL);
	expect_problem(id_call("POST", hpath(w.rid[2], "nope"), w.mod.token,
	                       NULL, "{}"),
	        404, NULL, NULL);
	expect_problem(id_call("POST",
	                       hpath("00000000-0000-4000-8000-000000000000",
	                               "comment"),
	                       w.mod.token, NULL, "{}"),
	        404, NULL, NULL);
	expect_problem(id_call("POST", hpath("nope", "comment"), w.mod.token,
	                       NULL, "{}"),
	        404, NULL, NULL);
	/* not residents */
	expect_problem(id_call("POST", hpath(w.rid[0], "comment"),
	                       w.res[0].token, NULL, "{}"),
	        403, NULL, NULL);
	expect_problem(id_call("DELETE", hpath(w.rid[2], "comment"),
	                       w.res[2].token, NULL, NULL),
	        403, NULL, NULL);
	expect_problem(id_call("POST", hpath(w.rid[0], "comment"),
	                       w.outsider.token, NULL, "{}"),
	        404, NULL, NULL);
	expect_problem(
	        id_call("POST", hpath(w.rid[0], "comment"), NULL, NULL, "{}"),
	        401, NULL, NULL);
	/* the refused ones hid nothing */
	j = expect_json(results(w.q_main, NULL), 200);
	check(json_array_size(texts_of(j, 8)) == 2 &&
	                json_array_size(texts_of(j, 7)) == 3 &&
	                json_array_size(texts_of(j, 2)) == 1,
	        "a refused hide hid a text");
	json_decref(j);
	/* restore */
	expect_204(id_call(
	        "DELETE", hpath(w.rid[2], "comment"), w.mod.token, NULL, NULL));
	j = expect_json(results(w.q_main, NULL), 200);
	t = texts_of(j, 8);
	check(json_array_size(t) == 3 && text_of(t, w.rid[2]) != NULL,
	        "restored text not shown: %s", json_dumps(t, JSON_COMPACT));
	json_decref(j);
	j = expect_json(results(w.q_main, w.mod.token), 200);
	check(json_is_false(json_object_get(
	              text_of(texts_of(j, 8), w.rid[2]), "hidden")),
	        "restored text still flagged");
	json_decref(j);
	/* restoring again is harmless */
	expect_204(id_call(
	        "DELETE", hpath(w.rid[2], "comment"), w.mod.token, NULL, NULL));
	/* both are in the audit log */
	{
		json_t *log = id_list_all(ct_path(w.slug, "/audit?limit=100"),
		               w.admin.token, 100),
		       *e;
		size_t i;
		int hide = 0, restore = 0;

		json_array_foreach(log, i, e)
		{
			json_t *det = json_object_get(e, "details");

			if (strcmp(id_str(e, "object_id"), w.rid[2]) != 0 ||
			        strcmp(id_str(det, "question"), "comment") !=
			                0 ||
			        strcmp(id_str(det, "consultation"), w.q_main) !=
			                0)
				continue;
			if (strcmp(id_str(e, "action"), "text.hide") == 0 &&
			        strcmp(id_str(e, "reason"), "personal data") ==
			                0 &&
			        strcmp(id_str(e, "actor_id"), w.mod.id) == 0)
				hide++;
			if (strcmp(id_str(e, "action"), "text.restore") == 0)
				restore++;
		}
		check(hide == 1 && restore >= 1,
		        "audit: %d text.hide by the moderator, %d text.restore",
		        hide, restore);
		json_decref(log);
	}
}

/* ---- export ---- */

/* Parses RFC 4180 CSV (CRLF line ends) into an array of arrays of
 * strings; NULL when it is not well formed. */
static json_t *
csv_parse(const char *s, size_t n)
{
	json_t *rows = json_array(), *row = json_array();
	char *field = malloc(n + 1);
	size_t i = 0, f = 0;

	assert_non_null(field);
	while (i < n) {
		if (s[i] == '"' && f == 0) {
			/* a quoted field */
			i++;
			for (;;) {
				if (i >= n)
					goto bad;
				if (s[i] == '"') {
					if (i + 1 < n && s[i + 1] == '"') {
						field[f++] = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				field[f++] = s[i++];
			}
			if (i >= n || (s[i] != ',' && s[i] != '\r'))
				goto bad;
		}
		if (i < n && s[i] == ',') {
			json_array_append_new(row, json_stringn(field, f));
			f = 0;
			i++;
			continue;
		}
		if (i < n && s[i] == '\r') {
			if (i + 1 >= n || s[i + 1] != '\n')
				goto bad;
			json_array_append_new(row, json_stringn(field, f));
			json_array_append_new(rows, row);
			row = json_array();
			f = 0;
			i += 2;
			continue;
		}
		if (i < n) {
			if (s[i] == '"' || s[i] == '\n')
				goto bad; /* quote or bare LF in an unquoted field */
			field[f++] = s[i++];
		}
	}
	if (json_array_size(row) != 0 || f != 0)
		goto bad; /* the last line has no CRLF */
	json_decref(row);
	free(field);
	return rows;
bad:
	json_decref(row);
	json_decref(rows);
	free(field);
	return NULL;
}

static const char *
cell(json_t *rows, size_t r, size_t c)
{
	const char *s =
	        json_string_value(json_array_get(json_array_get(rows, r), c));

	return s != NULL ? s : "(none)";
}

static void
test_export(void **state)
{
	static const char *header[] = {"response_id", "submitted_at",
	        "account_id", "mode", "days", "car_reason", "priorities",
	        "extras", "rating", "age", "nickname", "comment"};
	/* the four residents' rows, then the young resident's */
	static const char *cells[4][9] = {
	        {"bike", "mon;wed", "", "trees>benches>light", "a", "4", "30",
	                "Bob", "Line one, with \"quotes\"\nline two"},
	        {"bus", "mon", "", "benches>trees>light", "b>a", "5", "41",
	                "éèêëàâäôöü", ""},
	        {"car", "tue;mon", "No bus at night", "trees>light>benches",
	                "c", "2", "67", "", "More trees\nplease"},
	        {"bike", "", "", "light>trees>benches", "a>c", "4", "25", "Zoé",
	                "Fine."},
	};
	struct http_resp *r;
	json_t *rows, *j, *resp;
	const char *ct, *cd;
	char want[128];
	size_t i, c;

	(void)state;
	r = id_call("GET", qpath(w.q_main, "/export?format=csv"), w.admin.token,
	        NULL, NULL);
	check_status(r, 200);
	check_common_headers(r, 0);
	ct = http_resp_header(r, "content-type");
	cd = http_resp_header(r, "content-disposition");
	snprintf(want, sizeof(want),
	        "attachment; filename=\"consultation-%s.csv\"", w.q_main);
	check(ct != NULL && strcasecmp(ct, "text/csv; charset=utf-8") == 0,
	        "Content-Type %s", ct != NULL ? ct : "(none)");
	check(cd != NULL && strcmp(cd, want) == 0, "Content-Disposition %s",
	        cd != NULL ? cd : "(none)");
	check(http_resp_header(r, "cache-control") != NULL &&
	                strcmp(http_resp_header(r, "cache-control"),
	                        "no-store") == 0,
	        "an export may be cached");
	/* quoting as RFC 4180 says, raw */
	check(strstr(r->body, ",\"Line one, with \"\"quotes\"\"\nline two\""
	                      "\r\n") != NULL &&
	                strstr(r->body, ",\"More trees\nplease\"\r\n") !=
	                        NULL &&
	                strstr(r->body, ",Fine.\r\n") != NULL,
	        "CSV quoting: %s", r->body);
	rows = csv_parse(r->body, r->body_len);
	check(rows != NULL, "not RFC 4180 CSV: %s", r->body);
	check(json_array_size(rows) == 6,
	        "a header and 5 rows expected, got "
	        "%zu: %s",
	        json_array_size(rows), r->body);
	for (i = 0; i < json_array_size(rows); i++)
		check(json_array_size(json_array_get(rows, i)) == 12,
		        "row %zu has %zu fields", i,
		        json_array_size(json_array_get(rows, i)));
	for (c = 0; c < 12; c++)
		check(strcmp(cell(rows, 0, c), header[c]) == 0,
		        "header column %zu is %s, want %s", c, cell(rows, 0, c),
		        header[c]);
	for (i = 0; i < 4; i++) {
		const char *t = cell(rows, i + 1, 1);

		check(strcmp(cell(rows, i + 1, 0), w.rid[i]) == 0 &&
		                strcmp(cell(rows, i + 1, 2), w.res[i].id) == 0,
		        "row %zu is not resident %zu's response", i + 1, i);
		check(strlen(t) == 20 && t[4] == '-' && t[10] == 'T' &&
		                t[19] == 'Z',
		        "submitted_at %s", t);
		for (c = 0; c < 9; c++)
			check(strcmp(cell(rows, i + 1, c + 3), cells[i][c]) ==
			                0,
			        "row %zu column %s is \"%s\", want \"%s\"",
			        i + 1, header[c + 3], cell(rows, i + 1, c + 3),
			        cells[i][c]);
	}
	check(strcmp(cell(rows, 5, 2), w.young.id) == 0 &&
	                strcmp(cell(rows, 5, 3), "bike") == 0 &&
	                strcmp(cell(rows, 5, 6), "trees>benches>light") == 0 &&
	                strcmp(cell(rows, 5, 11), "") == 0,
	        "the young resident's row");
	json_decref(rows);
	http_resp_free(r);
	/* CSV is the default */
	r = id_call(
	        "GET", qpath(w.q_main, "/export"), w.admin.token, NULL, NULL);
	check_status(r, 200);
	check(strncmp(r->body, "response_id,submitted_at,account_id,mode,",
	              41) == 0,
	        "default export is not CSV: %.80s", r->body);
	http_resp_free(r);
	/* JSON: the questions, every response as stored */
	r = id_call("GET", qpath(w.q_main, "/export?format=json"),
	        w.admin.token, NULL, NULL);
	j = id_json(r, 200);
	check(http_resp_header(r, "content-disposition") != NULL &&
	                strstr(http_resp_header(r, "content-disposition"),
	                        ".json\"") != NULL,
	        "JSON export file name");
	http_resp_free(r);
	{
		json_t *q = js(MAIN_QUESTIONS);

		check(strcmp(id_str(j, "consultation_id"), w.q_main) == 0 &&
		                json_is_false(
		                        json_object_get(j, "anonymous")) &&
		                json_equal(
		                        json_object_get(j, "questions"), q) &&
		                json_array_size(
		                        json_object_get(j, "responses")) == 5,
		        "JSON export: %s", json_dumps(j, JSON_COMPACT));
		json_decref(q);
	}
	for (i = 0; i < 4; i++) {
		resp = json_array_get(json_object_get(j, "responses"), i);
		check(strcmp(id_str(resp, "id"), w.rid[i]) == 0 &&
		                strcmp(id_str(resp, "account_id"),
		                        w.res[i].id) == 0 &&
		                strlen(id_str(resp, "submitted_at")) > 0,
		        "JSON export response %zu", i);
		check_answers(resp, final_stored[i]);
	}
	check(strlen(id_str(json_array_get(json_object_get(j, "responses"), 0),
	              "updated_at")) > 0,
	        "the changed response has no updated_at");
	json_decref(j);
	/* bad format, who may export */
	expect_problem(id_call("GET", qpath(w.q_main, "/export?format=xml"),
	                       w.admin.token, NULL, NULL),
	        422, "format", NULL);
	expect_problem(id_call("GET", qpath(w.q_main, "/export?format=csv"),
	                       w.res[0].token, NULL, NULL),
	        403, NULL, NULL);
	expect_problem(id_call("GET", qpath(w.q_main, "/export?format=csv"),
	                       w.mod.token, NULL, NULL),
	        403, NULL, NULL);
	expect_problem(id_call("GET", qpath(w.q_main, "/export?format=json"),
	                       w.outsider.token, NULL, NULL),
	        404, NULL, NULL);
	expect_problem(id_call("GET", qpath(w.q_main, "/export?format=csv"),
	                       NULL, NULL, NULL),
	        401, NULL, NULL);
	/* exports are in the audit log */
	{
		json_t *log = id_list_all(ct_path(w.slug, "/audit?limit=100"),
		               w.admin.token, 100),
		       *e;
		int csv = 0, json = 0;

		json_array_foreach(log, i, e)
		{
			if (strcmp(id_str(e, "action"), "responses.export") !=
			                0 ||
			        strcmp(id_str(e, "object_id"), w.q_main) != 0)
				continue;
			if (strcmp(id_str(json_object_get(e, "details"),
			                   "format"),
			            "csv") == 0)
				csv++;
			else if (strcmp(id_str(json_object_get(e, "details"),
			                        "format"),
			                 "json") == 0)
				json++;
		}
		check(csv == 2 && json == 1,
		        "audit: %d CSV and %d JSON exports, want 2 and 1", csv,
		        json);
		json_decref(log);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_definitions),
	        cmocka_unit_test(test_answer_checks),
	        cmocka_unit_test(test_answers),
	        cmocka_unit_test(test_no_changes),
	        cmocka_unit_test(test_anonymous),
	        cmocka_unit_test(test_who_any),
	        cmocka_unit_test(test_min_age),
	        cmocka_unit_test(test_states),
	        cmocka_unit_test(test_results),
	        cmocka_unit_test(test_hide_texts),
	        cmocka_unit_test(test_export),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
