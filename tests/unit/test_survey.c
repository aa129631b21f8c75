/*
 * test_survey.c - consultation definitions and a participant's answers
 *
 * JSON in these tests is written with single quotes for readability; J()
 * turns them into double quotes before parsing (no test text needs an
 * apostrophe).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "problem.h"
#include "survey.h"

/* Per-test state: a definition, answers, the problem. */
static json_t *defn, *ans;
static struct problem prob;

static int
setup(void **state)
{
	(void)state;
	defn = ans = NULL;
	memset(&prob, 0, sizeof(prob));
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	json_decref(defn);
	json_decref(ans);
	defn = ans = NULL;
	problem_clear(&prob);
	return 0;
}

/* Parses single-quoted JSON; a new reference. */
static json_t *
J(const char *s)
{
	char *b = strdup(s), *c;
	json_error_t je;
	json_t *v;

	assert_non_null(b);
	for (c = b; *c != '\0'; c++)
		if (*c == '\'')
			*c = '"';
	v = json_loads(b, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	if (v == NULL)
		fail_msg("test JSON does not parse: %s: %s", je.text, b);
	free(b);
	return v;
}

/* 'unit' repeated n times (malloc'd). */
static char *
repeat(const char *unit, size_t n)
{
	size_t len = strlen(unit), i;
	char *s = malloc(len * n + 1);

	assert_non_null(s);
	for (i = 0; i < n; i++)
		memcpy(s + i * len, unit, len);
	s[len * n] = '\0';
	return s;
}

static const char *
dump_errors(void)
{
	static char buf[4096];
	char *s;

	if (prob.errors == NULL)
		return "(none)";
	s = json_dumps(prob.errors, JSON_COMPACT);
	snprintf(buf, sizeof(buf), "%s", s != NULL ? s : "?");
	free(s);
	return buf;
}

static size_t
nerrors(void)
{
	return prob.errors == NULL ? 0 : json_array_size(prob.errors);
}

/* The message of the first error entry for 'field', or NULL. */
static const char *
field_error(const char *field)
{
	size_t i;
	json_t *e;

	json_array_foreach(prob.errors, i, e)
	{
		const char *f = json_string_value(json_object_get(e, "field"));

		if (f != NULL && strcmp(f, field) == 0)
			return json_string_value(json_object_get(e, "message"));
	}
	return NULL;
}

static void
expect_error(const char *field, const char *message)
{
	const char *m = field_error(field);

	if (m == NULL)
		fail_msg("no error for field \"%s\"; errors: %s", field,
		        dump_errors());
	if (message != NULL && strcmp(m, message) != 0)
		fail_msg("field \"%s\": message \"%s\", want \"%s\"", field, m,
		        message);
}

/* Exactly one error, on 'field', saying 'message'. */
static void
expect_only(const char *field, const char *message)
{
	if (nerrors() != 1)
		fail_msg("want 1 error on \"%s\", got %zu: %s", field,
		        nerrors(), dump_errors());
	expect_error(field, message);
}

/* Replaces the definition and checks it. */
static enum err
def(const char *json)
{
	json_decref(defn);
	defn = J(json);
	problem_clear(&prob);
	return survey_check_definition(defn, &prob);
}

static void
def_ok(const char *json)
{
	if (def(json) != ERR_OK)
		fail_msg("definition rejected: %s\n%s", dump_errors(), json);
	assert_null(prob.errors);
	assert_int_equal(prob.err, ERR_OK);
	assert_string_equal(prob.detail, "");
}

/* Checks answers against the current (valid) definition. */
static enum err
answers(const char *json)
{
	json_decref(ans);
	ans = J(json);
	problem_clear(&prob);
	return survey_check_answers(defn, ans, &prob);
}

static void
answers_ok(const char *json)
{
	if (answers(json) != ERR_OK)
		fail_msg("answers rejected: %s\n%s", dump_errors(), json);
	assert_null(prob.errors);
	assert_string_equal(prob.detail, "");
}

/* Options lists used below. */
#define OPT2 "[{'id': 'a', 'label': 'A'}, {'id': 'b', 'label': 'B'}]"
#define OPT3                                                                   \
	"[{'id': 'a', 'label': 'A'}, {'id': 'b', 'label': 'B'}, "              \
	"{'id': 'c', 'label': 'C'}]"
#define Q_TEXT "{'id': 'q1', 'type': 'short_text', 'title': 'T'"
#define Q_SC "{'id': 'q1', 'type': 'single_choice', 'title': 'T', 'options': "
#define Q_MC "{'id': 'q1', 'type': 'multiple_choice', 'title': 'T', 'options': "
#define Q_RK "{'id': 'q1', 'type': 'ranking', 'title': 'T', 'options': "
#define Q_SCALE "{'id': 'q1', 'type': 'scale', 'title': 'T'"
#define Q_NUM "{'id': 'q1', 'type': 'number', 'title': 'T'"
/* q1 single_choice (a, b, c), q2 short text with the given show_if. */
#define SHOW_IF(s)                                                             \
	"[" Q_SC OPT3 "}, {'id': 'q2', 'type': 'short_text', 'title': 'T', "   \
	"'show_if': " s "}]"

/* A consultation with every type, used by the answer tests. */
static const char answer_def[] =
        "["
        "{'id': 'transport', 'type': 'single_choice', 'title': 'How do you "
        "travel?', 'required': true, 'options': [{'id': 'bike', 'label': "
        "'Bike'}, {'id': 'car', 'label': 'Car'}, {'id': 'bus', 'label': "
        "'Bus'}]},"
        "{'id': 'days', 'type': 'multiple_choice', 'title': 'Which days?', "
        "'min_selections': 1, 'max_selections': 3, 'options': [{'id': "
        "'mon', 'label': 'Monday'}, {'id': 'tue', 'label': 'Tuesday'}, "
        "{'id': 'wed', 'label': 'Wednesday'}, {'id': 'thu', 'label': "
        "'Thursday'}, {'id': 'fri', 'label': 'Friday'}]},"
        "{'id': 'order', 'type': 'ranking', 'title': 'Rank these', "
        "'options': [{'id': 'a', 'label': 'A'}, {'id': 'b', 'label': 'B'}, "
        "{'id': 'c', 'label': 'C'}, {'id': 'd', 'label': 'D'}, {'id': 'e', "
        "'label': 'E'}]},"
        "{'id': 'top', 'type': 'ranking', 'title': 'Your top', 'rank_all': "
        "false, 'min_ranked': 2, 'max_ranked': 3, 'options': [{'id': 'a', "
        "'label': 'A'}, {'id': 'b', 'label': 'B'}, {'id': 'c', 'label': "
        "'C'}, {'id': 'd', 'label': 'D'}]},"
        "{'id': 'rating', 'type': 'scale', 'title': 'Rate', 'min': 1, "
        "'max': 5},"
        "{'id': 'nick', 'type': 'short_text', 'title': 'Nickname', "
        "'min_length': 2, 'max_length': 5},"
        "{'id': 'comment', 'type': 'long_text', 'title': 'Comment', "
        "'required': true},"
        "{'id': 'age', 'type': 'number', 'title': 'Age', 'min': 0, 'max': "
        "120, 'integer': true},"
        "{'id': 'budget', 'type': 'number', 'title': 'Budget', 'min': 0.5},"
        "{'id': 'ceiling', 'type': 'number', 'title': 'Ceiling', 'max': "
        "10},"
        "{'id': 'why_car', 'type': 'short_text', 'title': 'Why by car?', "
        "'required': true, 'show_if': {'question': 'transport', 'equals': "
        "'car'}},"
        "{'id': 'friday', 'type': 'long_text', 'title': 'Why Friday?', "
        "'show_if': {'question': 'days', 'equals': 'fri'}},"
        "{'id': 'fuel', 'type': 'single_choice', 'title': 'Fuel', "
        "'show_if': {'question': 'transport', 'equals': 'car'}, 'options': "
        "[{'id': 'petrol', 'label': 'Petrol'}, {'id': 'electric', 'label': "
        "'Electric'}]},"
        "{'id': 'charging', 'type': 'scale', 'title': 'Charging', 'min': "
        "0, 'max': 10, 'show_if': {'question': 'fuel', 'equals': "
        "'electric'}}"
        "]";

/* The two required answers, for answers that test something else. */
#define REQ "'transport': 'bike', 'comment': 'Fine'"

static void
use_answer_def(void)
{
	def_ok(answer_def);
}

/* --- definitions ------------------------------------------------------ */

static void
test_valid_every_type(void **state)
{
	(void)state;
	/* Minimal question of each type: defaults everywhere. */
	def_ok("[" Q_SC OPT2 "}]");
	def_ok("[" Q_MC OPT2 "}]");
	def_ok("[" Q_RK OPT2 "}]");
	def_ok("[" Q_SCALE ", 'min': 0, 'max': 1}]");
	def_ok("[" Q_TEXT "}]");
	def_ok("[{'id': 'q1', 'type': 'long_text', 'title': 'T'}]");
	def_ok("[" Q_NUM "}]");
	/* Every optional member set. */
	def_ok("["
	       "{'id': 'mode', 'type': 'single_choice', 'title': 'Mode', "
	       "'description': 'How you come', 'required': true, "
	       "'options': " OPT3 "},"
	       "{'id': 'extras', 'type': 'multiple_choice', 'title': 'Extras', "
	       "'description': '', 'required': true, 'min_selections': 1, "
	       "'max_selections': 2, 'options': " OPT3 ", 'show_if': "
	       "{'question': 'mode', 'equals': 'b'}},"
	       "{'id': 'rank', 'type': 'ranking', 'title': 'Rank', 'required': "
	       "false, 'rank_all': false, 'min_ranked': 1, 'max_ranked': 2, "
	       "'options': " OPT3 ", 'show_if': {'question': 'extras', "
	       "'equals': 'c'}},"
	       "{'id': 'rank_every', 'type': 'ranking', 'title': 'Rank all', "
	       "'rank_all': true, 'min_ranked': 3, 'max_ranked': 3, "
	       "'options': " OPT3 "},"
	       "{'id': 'mood', 'type': 'scale', 'title': 'Mood', 'min': 1, "
	       "'max': 10, 'min_label': 'Sad', 'max_label': 'Happy'},"
	       "{'id': 'nick', 'type': 'short_text', 'title': 'Nick', "
	       "'min_length': 0, 'max_length': 500},"
	       "{'id': 'essay', 'type': 'long_text', 'title': 'Essay', "
	       "'min_length': 10, 'max_length': 10000},"
	       "{'id': 'age', 'type': 'number', 'title': 'Age', 'min': 0, "
	       "'max': 120.5, 'integer': true},"
	       "{'id': 'neg', 'type': 'number', 'title': 'Neg', 'min': -1e9, "
	       "'integer': false}"
	       "]");
	use_answer_def();
	assert_int_equal(survey_question_count(defn), 14);
}

struct rule_case {
	const char *json;    /* the definition or the answers */
	const char *field;   /* the one error's field */
	const char *message; /* and its message */
};

/* Each definition rule broken once, in an otherwise valid definition. */
static const struct rule_case def_cases[] = {
        /* the array */
        {"{}", "questions", "must be an array"},
        {"[]", "questions", "must have between 1 and 100 questions"},
        {"[1]", "questions[0]", "must be an object"},
        /* members */
        {"[" Q_TEXT ", 'colour': 'red'}]", "questions[0].colour",
                "unknown member"},
        {"[" Q_TEXT ", 'options': " OPT2 "}]", "questions[0].options",
                "is not allowed for 'short_text' questions"},
        /* id */
        {"[{'type': 'short_text', 'title': 'T'}]", "questions[0].id",
                "is required"},
        {"[{'id': 1, 'type': 'short_text', 'title': 'T'}]", "questions[0].id",
                "must be a string"},
        {"[{'id': 'Q1', 'type': 'short_text', 'title': 'T'}]",
                "questions[0].id",
                "must be 1 to 32 characters among a-z, 0-9 and '_'"},
        {"[" Q_TEXT "}, " Q_TEXT "}]", "questions[1].id",
                "'q1' is already the id of questions[0]"},
        /* type */
        {"[{'id': 'q1', 'title': 'T'}]", "questions[0].type", "is required"},
        {"[{'id': 'q1', 'type': null, 'title': 'T'}]", "questions[0].type",
                "must be a string"},
        {"[{'id': 'q1', 'type': 'date', 'title': 'T'}]", "questions[0].type",
                "must be one of 'single_choice', 'multiple_choice', "
                "'ranking', 'scale', 'short_text', 'long_text', 'number'"},
        /* title, description, required */
        {"[{'id': 'q1', 'type': 'short_text'}]", "questions[0].title",
                "is required"},
        {"[{'id': 'q1', 'type': 'short_text', 'title': ['T']}]",
                "questions[0].title", "must be a string"},
        {"[{'id': 'q1', 'type': 'short_text', 'title': ''}]",
                "questions[0].title",
                "must be between 1 and 500 characters long"},
        {"[" Q_TEXT ", 'description': null}]", "questions[0].description",
                "must be a string"},
        {"[" Q_TEXT ", 'required': 'yes'}]", "questions[0].required",
                "must be a boolean"},
        /* options */
        {"[{'id': 'q1', 'type': 'single_choice', 'title': 'T'}]",
                "questions[0].options", "is required"},
        {"[" Q_SC "{}}]", "questions[0].options", "must be an array"},
        {"[" Q_SC "[{'id': 'a', 'label': 'A'}]}]", "questions[0].options",
                "must have between 2 and 50 options"},
        {"[" Q_SC "[{'id': 'a', 'label': 'A'}, 'b']}]",
                "questions[0].options[1]", "must be an object"},
        {"[" Q_SC "[{'id': 'a', 'label': 'A', 'color': 'red'}, {'id': 'b', "
         "'label': 'B'}]}]",
                "questions[0].options[0].color", "unknown member"},
        {"[" Q_SC "[{'label': 'A'}, {'id': 'b', 'label': 'B'}]}]",
                "questions[0].options[0].id", "is required"},
        {"[" Q_SC "[{'id': 1, 'label': 'A'}, {'id': 'b', 'label': 'B'}]}]",
                "questions[0].options[0].id", "must be a string"},
        {"[" Q_SC "[{'id': 'a-1', 'label': 'A'}, {'id': 'b', 'label': "
         "'B'}]}]",
                "questions[0].options[0].id",
                "must be 1 to 32 characters among a-z, 0-9 and '_'"},
        {"[" Q_SC "[{'id': 'a', 'label': 'A'}, {'id': 'a', 'label': 'B'}]}]",
                "questions[0].options[1].id",
                "'a' is already the id of options[0]"},
        {"[" Q_SC "[{'id': 'a'}, {'id': 'b', 'label': 'B'}]}]",
                "questions[0].options[0].label", "is required"},
        {"[" Q_SC "[{'id': 'a', 'label': 1}, {'id': 'b', 'label': 'B'}]}]",
                "questions[0].options[0].label", "must be a string"},
        {"[" Q_SC "[{'id': 'a', 'label': ''}, {'id': 'b', 'label': 'B'}]}]",
                "questions[0].options[0].label",
                "must be between 1 and 300 characters long"},
        /* multiple_choice */
        {"[" Q_MC OPT3 ", 'min_selections': 1.0}]",
                "questions[0].min_selections", "must be an integer"},
        {"[" Q_MC OPT3 ", 'min_selections': -1}]",
                "questions[0].min_selections", "must be at least 0"},
        {"[" Q_MC OPT3 ", 'required': true, 'min_selections': 0}]",
                "questions[0].min_selections",
                "must be at least 1 for a required question"},
        {"[" Q_MC OPT3 ", 'min_selections': 4}]", "questions[0].min_selections",
                "must be at most the number of options (3)"},
        {"[" Q_MC OPT3 ", 'min_selections': 3, 'max_selections': 2}]",
                "questions[0].min_selections",
                "must not be greater than 'max_selections' (2)"},
        {"[" Q_MC OPT3 ", 'max_selections': '2'}]",
                "questions[0].max_selections", "must be an integer"},
        {"[" Q_MC OPT3 ", 'max_selections': 0}]", "questions[0].max_selections",
                "must be at least 1"},
        {"[" Q_MC OPT3 ", 'max_selections': 4}]", "questions[0].max_selections",
                "must be at most the number of options (3)"},
        /* ranking */
        {"[" Q_RK OPT3 ", 'rank_all': 1}]", "questions[0].rank_all",
                "must be a boolean"},
        {"[" Q_RK OPT3 ", 'rank_all': false, 'min_ranked': 'x'}]",
                "questions[0].min_ranked", "must be an integer"},
        {"[" Q_RK OPT3 ", 'rank_all': false, 'min_ranked': 0}]",
                "questions[0].min_ranked", "must be at least 1"},
        {"[" Q_RK OPT3 ", 'rank_all': false, 'min_ranked': 4}]",
                "questions[0].min_ranked",
                "must be at most the number of options (3)"},
        {"[" Q_RK OPT3 ", 'min_ranked': 2}]", "questions[0].min_ranked",
                "must be 3 (the number of options) unless 'rank_all' is "
                "false"},
        {"[" Q_RK OPT3 ", 'rank_all': false, 'min_ranked': 3, 'max_ranked': "
         "2}]",
                "questions[0].min_ranked",
                "must not be greater than 'max_ranked' (2)"},
        {"[" Q_RK OPT3 ", 'rank_all': false, 'max_ranked': 0}]",
                "questions[0].max_ranked", "must be at least 1"},
        {"[" Q_RK OPT3 ", 'rank_all': false, 'max_ranked': 4}]",
                "questions[0].max_ranked",
                "must be at most the number of options (3)"},
        {"[" Q_RK OPT3 ", 'rank_all': true, 'max_ranked': 2}]",
                "questions[0].max_ranked",
                "must be 3 (the number of options) unless 'rank_all' is "
                "false"},
        /* scale */
        {"[" Q_SCALE ", 'max': 5}]", "questions[0].min", "is required"},
        {"[" Q_SCALE ", 'min': '0', 'max': 5}]", "questions[0].min",
                "must be an integer"},
        {"[" Q_SCALE ", 'min': 2, 'max': 5}]", "questions[0].min",
                "must be 0 or 1"},
        {"[" Q_SCALE ", 'min': 1}]", "questions[0].max", "is required"},
        {"[" Q_SCALE ", 'min': 1, 'max': 5.5}]", "questions[0].max",
                "must be an integer"},
        {"[" Q_SCALE ", 'min': 1, 'max': 11}]", "questions[0].max",
                "must be at most 10"},
        {"[" Q_SCALE ", 'min': 1, 'max': 1}]", "questions[0].max",
                "must be greater than 'min' (1)"},
        {"[" Q_SCALE ", 'min': 0, 'max': 5, 'min_label': 0}]",
                "questions[0].min_label", "must be a string"},
        /* short_text, long_text */
        {"[" Q_TEXT ", 'min_length': '1'}]", "questions[0].min_length",
                "must be an integer"},
        {"[" Q_TEXT ", 'min_length': -1}]", "questions[0].min_length",
                "must be at least 0"},
        {"[" Q_TEXT ", 'min_length': 281}]", "questions[0].min_length",
                "must not be greater than 'max_length' (280)"},
        {"[" Q_TEXT ", 'max_length': true}]", "questions[0].max_length",
                "must be an integer"},
        {"[" Q_TEXT ", 'max_length': 0}]", "questions[0].max_length",
                "must be between 1 and 500"},
        {"[{'id': 'q1', 'type': 'long_text', 'title': 'T', 'max_length': "
         "10001}]",
                "questions[0].max_length", "must be between 1 and 10000"},
        /* number */
        {"[" Q_NUM ", 'min': '0'}]", "questions[0].min", "must be a number"},
        {"[" Q_NUM ", 'max': [1]}]", "questions[0].max", "must be a number"},
        {"[" Q_NUM ", 'min': 5, 'max': 1.5}]", "questions[0].min",
                "must not be greater than 'max' (1.5)"},
        {"[" Q_NUM ", 'integer': 'yes'}]", "questions[0].integer",
                "must be a boolean"},
        /* show_if */
        {SHOW_IF("'a'"), "questions[1].show_if", "must be an object"},
        {SHOW_IF("{'question': 'q1', 'equals': 'a', 'value': 1}"),
                "questions[1].show_if.value", "unknown member"},
        {SHOW_IF("{'equals': 'a'}"), "questions[1].show_if.question",
                "is required"},
        {SHOW_IF("{'question': 1, 'equals': 'a'}"),
                "questions[1].show_if.question", "must be a string"},
        {SHOW_IF("{'question': 'zz', 'equals': 'a'}"),
                "questions[1].show_if.question", "no question has the id 'zz'"},
        {SHOW_IF("{'question': 'q2', 'equals': 'a'}"),
                "questions[1].show_if.question",
                "must not refer to the question itself"},
        {"[" Q_SC OPT3 ", 'show_if': {'question': 'q2', 'equals': 'a'}}, "
         "{'id': 'q2', 'type': 'single_choice', 'title': 'T', 'options': " OPT3
         "}]",
                "questions[0].show_if.question",
                "must refer to an earlier question ('q2' is questions[1])"},
        {"[" Q_SCALE ", 'min': 0, 'max': 5}, {'id': 'q2', 'type': "
         "'short_text', 'title': 'T', 'show_if': {'question': "
         "'q1', 'equals': '3'}}]",
                "questions[1].show_if.question",
                "must refer to a single_choice or multiple_choice question "
                "('q1' is a scale question)"},
        {"[" Q_RK OPT3 "}, {'id': 'q2', 'type': 'short_text', 'title': 'T', "
         "'show_if': {'question': 'q1', 'equals': 'a'}}]",
                "questions[1].show_if.question",
                "must refer to a single_choice or multiple_choice question "
                "('q1' is a ranking question)"},
        {SHOW_IF("{'question': 'q1'}"), "questions[1].show_if.equals",
                "is required"},
        {SHOW_IF("{'question': 'q1', 'equals': ['a']}"),
                "questions[1].show_if.equals", "must be a string"},
        {SHOW_IF("{'question': 'q1', 'equals': 'd'}"),
                "questions[1].show_if.equals",
                "is not an option of question 'q1'"},
};

/*
 * Runs each case: exactly its one error. Then: no two rules give the same
 * message on the same field, so a message always tells which rule failed.
 */
static void
run_rule_cases(const struct rule_case *cases, size_t n, int answers_mode)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		enum err e = answers_mode ? answers(cases[i].json)
		                          : def(cases[i].json);

		if (e != ERR_INVALID || nerrors() != 1 ||
		        field_error(cases[i].field) == NULL ||
		        strcmp(field_error(cases[i].field), cases[i].message) !=
		                0)
			fail_msg("case %zu (%s): want \"%s\": \"%s\", got %s",
			        i, cases[i].json, cases[i].field,
			        cases[i].message, dump_errors());
		assert_int_equal(prob.err, ERR_INVALID);
		assert_true(prob.detail[0] != '\0');
		for (j = 0; j < i; j++)
			if (strcmp(cases[i].field, cases[j].field) == 0 &&
			        strcmp(cases[i].message, cases[j].message) == 0)
				fail_msg("cases %zu and %zu: same message "
				         "\"%s\" "
				         "on \"%s\"",
				        j, i, cases[i].message, cases[i].field);
	}
}

static void
test_definition_rules(void **state)
{
	(void)state;
	run_rule_cases(def_cases, sizeof(def_cases) / sizeof(def_cases[0]), 0);
	/* The detail counts the errors. */
	assert_int_equal(def("[]"), ERR_INVALID);
	assert_string_equal(prob.detail, "survey definition has 1 error");
}

static void
test_definition_not_an_array(void **state)
{
	json_t *v[] = {json_null(), json_string("x"), json_integer(1)};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		problem_clear(&prob);
		assert_int_equal(
		        survey_check_definition(v[i], &prob), ERR_INVALID);
		expect_only("questions", "must be an array");
		json_decref(v[i]);
	}
	problem_clear(&prob);
	assert_int_equal(survey_check_definition(NULL, &prob), ERR_INVALID);
	expect_only("questions", "must be an array");
}

static void
test_member_of_another_type(void **state)
{
	(void)state;
	assert_int_equal(
	        def("[" Q_SCALE ", 'min': 0, 'max': 5, 'options': " OPT2
	            ", 'max_length': 3, 'rank_all': true}]"),
	        ERR_INVALID);
	assert_int_equal(nerrors(), 3);
	expect_error(
	        "questions[0].options", "is not allowed for 'scale' questions");
	expect_error("questions[0].max_length",
	        "is not allowed for 'scale' questions");
	expect_error("questions[0].rank_all",
	        "is not allowed for 'scale' questions");
	/* number's min/max are numbers, scale's integers: same names. */
	def_ok("[" Q_NUM ", 'min': 0.5, 'max': 2}]");
	/* A bad type: type-specific members are not judged. */
	assert_int_equal(def("[{'id': 'q1', 'type': 'poll', 'title': 'T', "
	                     "'options': " OPT2 ", 'min': 3}]"),
	        ERR_INVALID);
	expect_only("questions[0].type", NULL);
}

/* --- boundaries ------------------------------------------------------- */

/* The definition of n copies of a short_text question q0..q<n-1>. */
static json_t *
n_questions(size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		char id[16];

		snprintf(id, sizeof(id), "q%zu", i);
		json_array_append_new(
		        a, json_pack("{s:s, s:s, s:s}", "id", id, "type",
		                   "short_text", "title", "T"));
	}
	return a;
}

/* A single_choice question with n options o0..o<n-1>. */
static json_t *
n_options(size_t n)
{
	json_t *opts = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		char id[16];

		snprintf(id, sizeof(id), "o%zu", i);
		json_array_append_new(
		        opts, json_pack("{s:s, s:s}", "id", id, "label", "L"));
	}
	return json_pack("[{s:s, s:s, s:s, s:o}]", "id", "q1", "type",
	        "single_choice", "title", "T", "options", opts);
}

static enum err
check_value(json_t *v)
{
	json_decref(defn);
	defn = v;
	problem_clear(&prob);
	return survey_check_definition(defn, &prob);
}

/* Sets questions[0].<key> to a string of n copies of 'unit'. */
static enum err
with_string(const char *base, const char *path, const char *unit, size_t n)
{
	char *s = repeat(unit, n);
	json_t *d = J(base), *q = json_array_get(d, 0);

	if (strcmp(path, "label") == 0)
		q = json_array_get(json_object_get(q, "options"), 0);
	json_object_set_new(q, path, json_string(s));
	free(s);
	return check_value(d);
}

static void
test_definition_boundaries(void **state)
{
	(void)state;
	/* 1..100 questions. */
	assert_int_equal(check_value(n_questions(1)), ERR_OK);
	assert_int_equal(check_value(n_questions(100)), ERR_OK);
	assert_int_equal(survey_question_count(defn), 100);
	assert_int_equal(check_value(n_questions(101)), ERR_INVALID);
	expect_only("questions", "must have between 1 and 100 questions");
	/* 2..50 options. */
	assert_int_equal(check_value(n_options(2)), ERR_OK);
	assert_int_equal(check_value(n_options(50)), ERR_OK);
	assert_int_equal(check_value(n_options(51)), ERR_INVALID);
	expect_only(
	        "questions[0].options", "must have between 2 and 50 options");
	assert_int_equal(check_value(n_options(0)), ERR_INVALID);
	expect_only(
	        "questions[0].options", "must have between 2 and 50 options");
	/* ids: 1..32 characters. */
	assert_int_equal(with_string("[" Q_TEXT "}]", "id", "a", 32), ERR_OK);
	assert_int_equal(with_string("[" Q_TEXT "}]", "id", "a", 1), ERR_OK);
	assert_int_equal(
	        with_string("[" Q_TEXT "}]", "id", "a", 33), ERR_INVALID);
	expect_only("questions[0].id",
	        "must be 1 to 32 characters among a-z, 0-9 and '_'");
	assert_int_equal(
	        with_string("[" Q_TEXT "}]", "id", "a", 0), ERR_INVALID);
	expect_only("questions[0].id", NULL);
	def_ok("[{'id': 'a_0_z_9', 'type': 'short_text', 'title': 'T'}]");
	/* title 1..500, description ..2000, label 1..300, scale labels ..100. */
	assert_int_equal(
	        with_string("[" Q_TEXT "}]", "title", "x", 500), ERR_OK);
	assert_int_equal(
	        with_string("[" Q_TEXT "}]", "title", "x", 501), ERR_INVALID);
	expect_only("questions[0].title",
	        "must be between 1 and 500 characters long");
	assert_int_equal(
	        with_string("[" Q_TEXT "}]", "description", "x", 2000), ERR_OK);
	assert_int_equal(
	        with_string("[" Q_TEXT "}]", "description", "x", 0), ERR_OK);
	assert_int_equal(with_string("[" Q_TEXT "}]", "description", "x", 2001),
	        ERR_INVALID);
	expect_only("questions[0].description",
	        "must be at most 2000 characters long");
	assert_int_equal(
	        with_string("[" Q_SC OPT2 "}]", "label", "x", 300), ERR_OK);
	assert_int_equal(with_string("[" Q_SC OPT2 "}]", "label", "x", 301),
	        ERR_INVALID);
	expect_only("questions[0].options[0].label",
	        "must be between 1 and 300 characters long");
	assert_int_equal(with_string("[" Q_SCALE ", 'min': 0, 'max': 5}]",
	                         "max_label", "x", 100),
	        ERR_OK);
	assert_int_equal(with_string("[" Q_SCALE ", 'min': 0, 'max': 5}]",
	                         "max_label", "x", 101),
	        ERR_INVALID);
	expect_only("questions[0].max_label",
	        "must be at most 100 characters long");
	/* Scale: min 0 or 1, max min+1..10. */
	def_ok("[" Q_SCALE ", 'min': 0, 'max': 10}]");
	def_ok("[" Q_SCALE ", 'min': 0, 'max': 1}]");
	def_ok("[" Q_SCALE ", 'min': 1, 'max': 2}]");
	assert_int_equal(
	        def("[" Q_SCALE ", 'min': 0, 'max': 0}]"), ERR_INVALID);
	expect_only("questions[0].max", "must be greater than 'min' (0)");
	assert_int_equal(
	        def("[" Q_SCALE ", 'min': -1, 'max': 5}]"), ERR_INVALID);
	expect_only("questions[0].min", "must be 0 or 1");
	/* Text lengths. */
	def_ok("[" Q_TEXT ", 'max_length': 1}]");
	def_ok("[" Q_TEXT ", 'max_length': 500}]");
	assert_int_equal(def("[" Q_TEXT ", 'max_length': 501}]"), ERR_INVALID);
	expect_only("questions[0].max_length", "must be between 1 and 500");
	def_ok("[" Q_TEXT ", 'min_length': 280}]");
	def_ok("[" Q_TEXT ", 'min_length': 5, 'max_length': 5}]");
	assert_int_equal(def("[" Q_TEXT ", 'min_length': 6, 'max_length': 5}]"),
	        ERR_INVALID);
	expect_only("questions[0].min_length",
	        "must not be greater than 'max_length' (5)");
	def_ok("[{'id': 'q1', 'type': 'long_text', 'title': 'T', 'min_length': "
	       "2000}]");
	assert_int_equal(def("[{'id': 'q1', 'type': 'long_text', 'title': 'T', "
	                     "'min_length': 2001}]"),
	        ERR_INVALID);
	expect_only("questions[0].min_length",
	        "must not be greater than 'max_length' (2000)");
	/* multiple_choice: 0 <= min <= max <= n, max >= 1. */
	def_ok("[" Q_MC OPT3 ", 'min_selections': 0, 'max_selections': 1}]");
	def_ok("[" Q_MC OPT3 ", 'min_selections': 3, 'max_selections': 3}]");
	def_ok("[" Q_MC OPT3 ", 'min_selections': 3}]");
	def_ok("[" Q_MC OPT3 ", 'required': true, 'min_selections': 1}]");
	def_ok("[" Q_MC OPT3 ", 'required': true, 'max_selections': 1}]");
	/* ranking: 1 <= min <= max <= n. */
	def_ok("[" Q_RK OPT3 ", 'rank_all': false, 'min_ranked': 1, "
	       "'max_ranked': 1}]");
	def_ok("[" Q_RK OPT3 ", 'rank_all': false, 'min_ranked': 3}]");
	def_ok("[" Q_RK OPT3 ", 'rank_all': false, 'max_ranked': 3}]");
	def_ok("[" Q_RK OPT3 ", 'min_ranked': 3, 'max_ranked': 3}]");
	/* number: min == max is fine, one past is not. */
	def_ok("[" Q_NUM ", 'min': 2, 'max': 2}]");
	def_ok("[" Q_NUM ", 'min': 2, 'max': 2.0}]");
	assert_int_equal(
	        def("[" Q_NUM ", 'min': 2.5, 'max': 2}]"), ERR_INVALID);
	expect_only("questions[0].min", "must not be greater than 'max' (2)");
	assert_int_equal(def("[" Q_NUM ", 'min': 9007199254740993, 'max': "
	                     "9007199254740992}]"),
	        ERR_INVALID);
	expect_only("questions[0].min",
	        "must not be greater than 'max' (9007199254740992)");
}

/* Lengths are in code points: "é" is 2 bytes but 1 character. */
static void
test_definition_utf8_lengths(void **state)
{
	(void)state;
	assert_int_equal(
	        with_string("[" Q_TEXT "}]", "title", "\xc3\xa9", 500), ERR_OK);
	assert_int_equal(with_string("[" Q_TEXT "}]", "title", "\xc3\xa9", 501),
	        ERR_INVALID);
	expect_only("questions[0].title",
	        "must be between 1 and 500 characters long");
	assert_int_equal(with_string("[" Q_SC OPT2 "}]", "label",
	                         "\xf0\x9f\x98\x80", 300),
	        ERR_OK);
	/* ids are ASCII: a non-ASCII id is refused, not miscounted. */
	assert_int_equal(
	        with_string("[" Q_TEXT "}]", "id", "\xc3\xa9", 1), ERR_INVALID);
	expect_only("questions[0].id", NULL);
}

static void
test_definition_many_errors(void **state)
{
	(void)state;
	assert_int_equal(def("["
	                     "{'id': 'Bad', 'type': 'short_text', 'title': '', "
	                     "'extra': 1},"
	                     "{'id': 'q2', 'type': 'scale', 'min': 3, 'max': "
	                     "20, 'title': 'T'},"
	                     "{'id': 'q2', 'type': 'single_choice', 'title': "
	                     "'T', 'options': [{'id': 'a', 'label': 'A'}, "
	                     "{'id': 'a', 'label': ''}]},"
	                     "{'id': 'q4', 'type': 'number', 'title': 'T', "
	                     "'show_if': {'question': 'q5', 'equals': 'x'}},"
	                     "{'id': 'q5', 'type': 'multiple_choice', 'title': "
	                     "'T', 'required': true, 'min_selections': 0, "
	                     "'options': " OPT2 "},"
	                     "7"
	                     "]"),
	        ERR_INVALID);
	expect_error("questions[0].id", NULL);
	expect_error("questions[0].title", NULL);
	expect_error("questions[0].extra", "unknown member");
	expect_error("questions[1].min", "must be 0 or 1");
	expect_error("questions[1].max", "must be at most 10");
	expect_error(
	        "questions[2].id", "'q2' is already the id of questions[1]");
	expect_error("questions[2].options[1].id", NULL);
	expect_error("questions[2].options[1].label", NULL);
	expect_error("questions[3].show_if.question", NULL);
	expect_error("questions[4].min_selections", NULL);
	expect_error("questions[5]", "must be an object");
	assert_int_equal(nerrors(), 11);
	assert_string_equal(prob.detail, "survey definition has 11 errors");
}

/* A detail already set is kept (as jsonv_check does); errors still added. */
static void
test_existing_detail_kept(void **state)
{
	(void)state;
	defn = J("[]");
	problem_set(&prob, ERR_INVALID, "custom detail");
	assert_int_equal(survey_check_definition(defn, &prob), ERR_INVALID);
	assert_string_equal(prob.detail, "custom detail");
	expect_only("questions", NULL);
}

/* --- answers ---------------------------------------------------------- */

static void
test_valid_answers(void **state)
{
	(void)state;
	use_answer_def();
	/* Only the required ones. */
	answers_ok("{" REQ "}");
	/* Everything shown answered. */
	answers_ok("{'transport': 'car', 'days': ['mon', 'fri'], 'order': "
	           "['e', 'd', 'c', 'b', 'a'], 'top': ['b', 'a'], 'rating': 4, "
	           "'nick': 'Bob', 'comment': 'More trees', 'age': 42, "
	           "'budget': 1e6, 'ceiling': -3.5, 'why_car': 'Far', "
	           "'friday': 'Market', 'fuel': 'electric', 'charging': 0}");
	/* Optional ones null. */
	answers_ok("{" REQ ", 'days': null, 'order': null, 'top': null, "
	           "'rating': null, 'nick': null, 'age': null, 'budget': null, "
	           "'ceiling': null}");
	/* An empty object is answers too, when nothing is required. */
	def_ok("[" Q_TEXT "}]");
	answers_ok("{}");
}

/* Each answer rule broken once, against answer_def. */
static const struct rule_case answer_cases[] = {
        {"{" REQ ", 'nope': 1}", "answers.nope", "no such question"},
        {"{" REQ ", 'why_car': 'x'}", "answers.why_car",
                "is not shown for these answers"},
        {"{'comment': 'Fine'}", "answers.transport", "is required"},
        {"{'transport': 'bike', 'comment': null}", "answers.comment",
                "is required"},
        /* single_choice */
        {"{'transport': 1, 'comment': 'Fine'}", "answers.transport",
                "must be a string"},
        {"{'transport': 'train', 'comment': 'Fine'}", "answers.transport",
                "must be one of the question's options"},
        /* multiple_choice */
        {"{" REQ ", 'days': 'mon'}", "answers.days",
                "must be an array of option ids"},
        {"{" REQ ", 'days': ['sat']}", "answers.days",
                "'sat' is not one of the question's options"},
        {"{" REQ ", 'days': ['mon', 'tue', 'mon']}", "answers.days",
                "must not repeat an option ('mon')"},
        {"{" REQ ", 'days': []}", "answers.days",
                "must choose between 1 and 3 options"},
        /* ranking */
        {"{" REQ ", 'order': {'a': 1}}", "answers.order",
                "must be an array of option ids"},
        {"{" REQ ", 'order': ['a', 'b', 'c', 'd', 'z']}", "answers.order",
                "'z' is not one of the question's options"},
        {"{" REQ ", 'order': ['a', 'b', 'c', 'd', 'a']}", "answers.order",
                "must not repeat an option ('a')"},
        {"{" REQ ", 'order': ['a', 'b', 'c', 'd']}", "answers.order",
                "must rank all 5 options"},
        {"{" REQ ", 'top': ['a']}", "answers.top",
                "must rank between 2 and 3 options"},
        /* scale */
        {"{" REQ ", 'rating': '4'}", "answers.rating", "must be an integer"},
        {"{" REQ ", 'rating': 6}", "answers.rating", "must be between 1 and 5"},
        /* short_text, long_text */
        {"{" REQ ", 'nick': 12}", "answers.nick", "must be a string"},
        {"{" REQ ", 'nick': 'B'}", "answers.nick",
                "must be at least 2 characters long"},
        {"{" REQ ", 'nick': 'Robert'}", "answers.nick",
                "must be at most 5 characters long"},
        {"{'transport': 'bike', 'comment': ' \\t\\n '}", "answers.comment",
                "must not be blank"},
        /* number */
        {"{" REQ ", 'age': '42'}", "answers.age", "must be a number"},
        {"{" REQ ", 'age': 42.5}", "answers.age", "must be a whole number"},
        {"{" REQ ", 'age': 121}", "answers.age", "must be between 0 and 120"},
        {"{" REQ ", 'budget': 0.25}", "answers.budget", "must be at least 0.5"},
        {"{" REQ ", 'ceiling': 10.5}", "answers.ceiling", "must be at most 10"},
};

static void
test_answer_rules(void **state)
{
	(void)state;
	use_answer_def();
	run_rule_cases(answer_cases,
	        sizeof(answer_cases) / sizeof(answer_cases[0]), 1);
	assert_int_equal(answers("{'comment': 'Fine'}"), ERR_INVALID);
	assert_string_equal(prob.detail, "answers have 1 error");
}

static void
test_answers_not_an_object(void **state)
{
	(void)state;
	use_answer_def();
	assert_int_equal(answers("['bike']"), ERR_INVALID);
	expect_only("answers", "must be an object");
	problem_clear(&prob);
	assert_int_equal(survey_check_answers(defn, NULL, &prob), ERR_INVALID);
	expect_only("answers", "must be an object");
}

static void
test_answer_boundaries(void **state)
{
	char *s, *body;

	(void)state;
	use_answer_def();
	/* multiple_choice 1..3 */
	answers_ok("{" REQ ", 'days': ['wed']}");
	answers_ok("{" REQ ", 'days': ['wed', 'mon', 'fri']}");
	assert_int_equal(answers("{" REQ ", 'days': ['wed', 'mon', 'fri', "
	                         "'tue']}"),
	        ERR_INVALID);
	expect_only("answers.days", "must choose between 1 and 3 options");
	/* ranking top 2..3 of 4 */
	answers_ok("{" REQ ", 'top': ['d', 'a']}");
	answers_ok("{" REQ ", 'top': ['d', 'a', 'c']}");
	assert_int_equal(
	        answers("{" REQ ", 'top': ['d', 'a', 'c', 'b']}"), ERR_INVALID);
	expect_only("answers.top", "must rank between 2 and 3 options");
	/* scale 1..5 */
	answers_ok("{" REQ ", 'rating': 1}");
	answers_ok("{" REQ ", 'rating': 5}");
	assert_int_equal(answers("{" REQ ", 'rating': 0}"), ERR_INVALID);
	expect_only("answers.rating", "must be between 1 and 5");
	/* A scale answer is a JSON integer. */
	assert_int_equal(answers("{" REQ ", 'rating': 3.0}"), ERR_INVALID);
	expect_only("answers.rating", "must be an integer");
	/* number 0..120, whole; 3.0 is a whole value */
	answers_ok("{" REQ ", 'age': 0}");
	answers_ok("{" REQ ", 'age': 120}");
	answers_ok("{" REQ ", 'age': 3.0}");
	answers_ok("{" REQ ", 'age': 120.0}");
	assert_int_equal(answers("{" REQ ", 'age': -1}"), ERR_INVALID);
	expect_only("answers.age", "must be between 0 and 120");
	assert_int_equal(answers("{" REQ ", 'age': 120.000001}"), ERR_INVALID);
	expect_only("answers.age", "must be a whole number");
	answers_ok("{" REQ ", 'budget': 0.5}");
	answers_ok("{" REQ ", 'ceiling': 10}");
	answers_ok("{" REQ ", 'ceiling': -1e300}");
	/* short_text 2..5 */
	answers_ok("{" REQ ", 'nick': 'Bo'}");
	answers_ok("{" REQ ", 'nick': 'Bobby'}");
	/* long_text: default maximum 2000 */
	s = repeat("x", 2000);
	body = malloc(strlen(s) + 64);
	assert_non_null(body);
	sprintf(body, "{'transport': 'bike', 'comment': '%s'}", s);
	answers_ok(body);
	sprintf(body, "{'transport': 'bike', 'comment': '%sy'}", s);
	assert_int_equal(answers(body), ERR_INVALID);
	expect_only("answers.comment", "must be at most 2000 characters long");
	free(body);
	free(s);
	/* short_text: default maximum 280 */
	def_ok("[" Q_TEXT "}]");
	s = repeat("x", 280);
	body = malloc(strlen(s) + 64);
	assert_non_null(body);
	sprintf(body, "{'q1': '%s'}", s);
	answers_ok(body);
	sprintf(body, "{'q1': '%sy'}", s);
	assert_int_equal(answers(body), ERR_INVALID);
	expect_only("answers.q1", "must be at most 280 characters long");
	free(body);
	free(s);
	/* 1 character: the singular. */
	def_ok("[" Q_TEXT ", 'max_length': 1}]");
	answers_ok("{'q1': 'x'}");
	assert_int_equal(answers("{'q1': 'xy'}"), ERR_INVALID);
	expect_only("answers.q1", "must be at most 1 character long");
}

/* Count messages give the exact numbers of each definition. */
static void
test_choice_count_messages(void **state)
{
	(void)state;
	def_ok("[" Q_MC OPT3 ", 'min_selections': 2, 'max_selections': 2}]");
	assert_int_equal(answers("{'q1': ['a']}"), ERR_INVALID);
	expect_only("answers.q1", "must choose exactly 2 options");
	def_ok("[" Q_MC OPT3 ", 'max_selections': 1}]");
	answers_ok("{'q1': []}");
	assert_int_equal(answers("{'q1': ['a', 'b']}"), ERR_INVALID);
	expect_only("answers.q1", "must choose at most 1 option");
	def_ok("[" Q_MC OPT3 ", 'min_selections': 2}]");
	assert_int_equal(answers("{'q1': ['c']}"), ERR_INVALID);
	expect_only("answers.q1", "must choose at least 2 options");
	/* Required: at least one by default. */
	def_ok("[" Q_MC OPT3 ", 'required': true}]");
	assert_int_equal(answers("{'q1': []}"), ERR_INVALID);
	expect_only("answers.q1", "must choose at least 1 option");
	answers_ok("{'q1': ['c', 'a', 'b']}");
	def_ok("[" Q_RK OPT3 ", 'rank_all': false, 'min_ranked': 2, "
	       "'max_ranked': 2}]");
	assert_int_equal(answers("{'q1': ['a', 'b', 'c']}"), ERR_INVALID);
	expect_only("answers.q1", "must rank exactly 2 options");
	def_ok("[" Q_RK OPT3 ", 'rank_all': false}]");
	answers_ok("{'q1': ['c']}");
	assert_int_equal(answers("{'q1': []}"), ERR_INVALID);
	expect_only("answers.q1", "must rank at least 1 option");
	def_ok("[" Q_RK OPT2 "}]");
	answers_ok("{'q1': ['b', 'a']}");
	assert_int_equal(answers("{'q1': ['b']}"), ERR_INVALID);
	expect_only("answers.q1", "must rank all 2 options");
	/* An option given twice in a long list: stops at the repeat. */
	assert_int_equal(
	        answers("{'q1': ['b', 'b', 'b', 'b', 'b', 'b']}"), ERR_INVALID);
	expect_only("answers.q1", "must not repeat an option ('b')");
	assert_int_equal(answers("{'q1': ['b', 1]}"), ERR_INVALID);
	expect_only("answers.q1", "must be an array of option ids");
}

/* Text lengths count code points, after trimming white space. */
static void
test_answer_utf8_and_trimming(void **state)
{
	(void)state;
	use_answer_def();
	/* nick: 2..5 characters. */
	answers_ok("{" REQ
	           ", 'nick': '\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9'}");
	answers_ok("{" REQ ", 'nick': '\xc3\xa9\xc3\xa9'}");
	assert_int_equal(answers("{" REQ ", 'nick': '\xc3\xa9'}"), ERR_INVALID);
	expect_only("answers.nick", "must be at least 2 characters long");
	assert_int_equal(answers("{" REQ ", 'nick': "
	                         "'\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	                         "\xc3\xa9'}"),
	        ERR_INVALID);
	expect_only("answers.nick", "must be at most 5 characters long");
	/* 4-byte characters, and escaped surrogate pairs, count once. */
	answers_ok("{" REQ ", 'nick': '\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
	           "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80'}");
	answers_ok("{" REQ ", 'nick': '\\ud83d\\ude00\\ud83d\\ude00'}");
	/* Leading and trailing white space is not counted. */
	answers_ok("{" REQ ", 'nick': '   Bobby\\n\\t'}");
	answers_ok("{" REQ ", 'nick': '\xc2\xa0\xe3\x80\x80"
	           "Bob\xe2\x80\xaf'}");
	assert_int_equal(answers("{" REQ ", 'nick': '  B  '}"), ERR_INVALID);
	expect_only("answers.nick", "must be at least 2 characters long");
	/* ... but inner white space is. */
	assert_int_equal(
	        answers("{" REQ ", 'nick': 'B o b b y'}"), ERR_INVALID);
	expect_only("answers.nick", "must be at most 5 characters long");
	/* Required and blank, Unicode spaces included. */
	assert_int_equal(
	        answers("{'transport': 'bike', 'comment': ''}"), ERR_INVALID);
	expect_only("answers.comment", "must not be blank");
	assert_int_equal(answers("{'transport': 'bike', 'comment': "
	                         "'\xe2\x80\x83\xc2\xa0\\ufeff'}"),
	        ERR_INVALID);
	expect_only("answers.comment", "must not be blank");
	/* Optional and blank: no answer, even with a minimum length. */
	answers_ok("{" REQ ", 'nick': '   '}");
	answers_ok("{" REQ ", 'nick': ''}");
}

static void
test_show_if_single_choice(void **state)
{
	(void)state;
	use_answer_def();
	/* transport = car: why_car (required) and fuel are shown. */
	assert_int_equal(answers("{'transport': 'car', 'comment': 'Fine'}"),
	        ERR_INVALID);
	expect_only("answers.why_car", "is required");
	answers_ok("{'transport': 'car', 'comment': 'Fine', 'why_car': "
	           "'Far', 'fuel': 'petrol'}");
	/* transport = bike: hidden, so not required ... */
	answers_ok("{'transport': 'bike', 'comment': 'Fine'}");
	/* ... and must not be answered. */
	assert_int_equal(answers("{'transport': 'bike', 'comment': 'Fine', "
	                         "'why_car': 'Far', 'fuel': 'petrol'}"),
	        ERR_INVALID);
	assert_int_equal(nerrors(), 2);
	expect_error("answers.why_car", "is not shown for these answers");
	expect_error("answers.fuel", "is not shown for these answers");
	/* null for a hidden question is no answer. */
	answers_ok("{'transport': 'bike', 'comment': 'Fine', 'why_car': null}");
	/* Without an answer to transport, why_car is hidden. */
	assert_int_equal(
	        answers("{'comment': 'Fine', 'why_car': 'Far'}"), ERR_INVALID);
	assert_int_equal(nerrors(), 2);
	expect_error("answers.transport", "is required");
	expect_error("answers.why_car", "is not shown for these answers");
	/* An invalid answer to transport shows nothing. */
	assert_int_equal(answers("{'transport': ['car'], 'comment': 'Fine'}"),
	        ERR_INVALID);
	expect_only("answers.transport", "must be a string");
}

static void
test_show_if_multiple_choice(void **state)
{
	(void)state;
	use_answer_def();
	/* days includes fri: friday is shown (optional). */
	answers_ok("{" REQ ", 'days': ['mon', 'fri'], 'friday': 'Market'}");
	answers_ok("{" REQ ", 'days': ['fri']}");
	/* days without fri, or no days: friday is hidden. */
	assert_int_equal(answers("{" REQ ", 'days': ['mon'], 'friday': 'M'}"),
	        ERR_INVALID);
	expect_only("answers.friday", "is not shown for these answers");
	assert_int_equal(answers("{" REQ ", 'friday': 'M'}"), ERR_INVALID);
	expect_only("answers.friday", "is not shown for these answers");
}

static void
test_show_if_chain(void **state)
{
	size_t fuel, charging;

	(void)state;
	use_answer_def();
	fuel = 12;
	charging = 13;
	ans = J("{'transport': 'car', 'fuel': 'electric'}");
	assert_true(survey_is_shown(defn, fuel, ans));
	assert_true(survey_is_shown(defn, charging, ans));
	json_decref(ans);
	/* fuel says electric but is hidden: charging is hidden too. */
	ans = J("{'transport': 'bus', 'fuel': 'electric'}");
	assert_false(survey_is_shown(defn, fuel, ans));
	assert_false(survey_is_shown(defn, charging, ans));
	assert_int_equal(answers("{'transport': 'bus', 'comment': 'Fine', "
	                         "'fuel': 'electric', 'charging': 3}"),
	        ERR_INVALID);
	assert_int_equal(nerrors(), 2);
	expect_error("answers.fuel", "is not shown for these answers");
	expect_error("answers.charging", "is not shown for these answers");
	answers_ok("{'transport': 'car', 'comment': 'Fine', 'why_car': 'Far', "
	           "'fuel': 'electric', 'charging': 10}");
	assert_int_equal(answers("{'transport': 'car', 'comment': 'Fine', "
	                         "'why_car': 'Far', 'fuel': 'petrol', "
	                         "'charging': 10}"),
	        ERR_INVALID);
	expect_only("answers.charging", "is not shown for these answers");
}

static void
test_is_shown(void **state)
{
	(void)state;
	use_answer_def();
	/* No answers: questions without show_if only. */
	assert_true(survey_is_shown(defn, 0, NULL));
	assert_true(survey_is_shown(defn, 9, NULL));
	assert_false(survey_is_shown(defn, 10, NULL));
	ans = J("{}");
	assert_false(survey_is_shown(defn, 10, ans));
	assert_false(survey_is_shown(defn, 11, ans));
	json_decref(ans);
	ans = J("{'transport': 'car', 'days': ['tue', 'fri']}");
	assert_true(survey_is_shown(defn, 10, ans));
	assert_true(survey_is_shown(defn, 11, ans));
	/* Out of range, or no definition. */
	assert_false(survey_is_shown(defn, 14, ans));
	assert_false(survey_is_shown(defn, (size_t)-1, ans));
	assert_false(survey_is_shown(NULL, 0, ans));
	/* A definition that failed its check (self and forward references)
	 * never loops: such questions are hidden. */
	json_decref(defn);
	defn = J(
	        "[" Q_SC OPT2 ", 'show_if': {'question': 'q2', 'equals': 'a'}},"
	        "{'id': 'q2', 'type': 'single_choice', 'title': 'T', "
	        "'options': " OPT2 ", 'show_if': {'question': 'q2', "
	        "'equals': 'a'}}]");
	json_decref(ans);
	ans = J("{'q1': 'a', 'q2': 'a'}");
	assert_false(survey_is_shown(defn, 0, ans));
	assert_false(survey_is_shown(defn, 1, ans));
}

static void
test_question_count(void **state)
{
	json_t *s = json_string("x");

	(void)state;
	assert_int_equal(survey_question_count(NULL), 0);
	assert_int_equal(survey_question_count(s), 0);
	json_decref(s);
	defn = J("[]");
	assert_int_equal(survey_question_count(defn), 0);
	json_decref(defn);
	defn = J("[{}, {}, {}]");
	assert_int_equal(survey_question_count(defn), 3);
}

static void
test_answers_many_errors(void **state)
{
	(void)state;
	use_answer_def();
	assert_int_equal(answers("{'who': 1, 'transport': 'plane', 'days': "
	                         "['mon', 'mon'], 'order': ['a'], 'rating': 9, "
	                         "'nick': 7, 'comment': '  ', 'age': 1.5, "
	                         "'budget': 0, 'ceiling': 'high', 'friday': "
	                         "'x', 'why': 2}"),
	        ERR_INVALID);
	expect_error("answers.who", "no such question");
	expect_error("answers.why", "no such question");
	expect_error("answers.transport", NULL);
	expect_error("answers.days", NULL);
	expect_error("answers.order", NULL);
	expect_error("answers.rating", NULL);
	expect_error("answers.nick", NULL);
	expect_error("answers.comment", NULL);
	expect_error("answers.age", NULL);
	expect_error("answers.budget", NULL);
	expect_error("answers.ceiling", NULL);
	expect_error("answers.friday", NULL);
	assert_int_equal(nerrors(), 12);
	assert_string_equal(prob.detail, "answers have 12 errors");
}

/* Odd keys still make a valid problem (field paths are valid UTF-8). */
static void
test_answers_odd_keys(void **state)
{
	char *s;
	json_t *o;

	(void)state;
	use_answer_def();
	assert_int_equal(
	        answers("{" REQ ", '': 1, 'caf\\u00e9': 2}"), ERR_INVALID);
	assert_int_equal(nerrors(), 2);
	expect_error("answers.", "no such question");
	expect_error("answers.caf\xc3\xa9", "no such question");
	s = problem_to_json(&prob, NULL);
	o = json_loads(s, 0, NULL);
	free(s);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "status")), 422);
	assert_int_equal(json_array_size(json_object_get(o, "errors")), 2);
	json_decref(o);
}

static void
test_normalize(void **state)
{
	json_t *n, *want;
	char *s;

	(void)state;
	use_answer_def();
	answers_ok(
	        "{'comment': '  More trees\\n', 'age': 3.0, 'nick': '  ', "
	        "'transport': 'car', 'days': ['fri', 'mon'], 'budget': null, "
	        "'why_car': '\\u00a0Far away\\u3000', 'order': ['b', 'a', "
	        "'c', 'e', 'd'], 'rating': 2, 'friday': 'Market day'}");
	n = survey_normalize_answers(defn, ans);
	assert_non_null(n);
	/* Question order; blank, null and absent answers left out. */
	s = json_dumps(n, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(s,
	        "{\"transport\":\"car\",\"days\":[\"fri\",\"mon\"],"
	        "\"order\":[\"b\",\"a\",\"c\",\"e\",\"d\"],"
	        "\"rating\":2,\"comment\":\"More trees\","
	        "\"age\":3.0,\"why_car\":\"Far away\","
	        "\"friday\":\"Market day\"}");
	free(s);
	/* Numbers as given: 3.0 stays a real. */
	assert_true(json_is_real(json_object_get(n, "age")));
	/* A copy: changing it leaves the answers alone. */
	json_array_clear(json_object_get(n, "days"));
	assert_int_equal(json_array_size(json_object_get(ans, "days")), 2);
	json_decref(n);

	/* Hidden answers are never stored, nor unknown keys. */
	json_decref(ans);
	ans = J("{'transport': 'bike', 'comment': 'x', 'why_car': 'Far', "
	        "'bogus': 1, 'fuel': 'petrol'}");
	n = survey_normalize_answers(defn, ans);
	want = J("{'transport': 'bike', 'comment': 'x'}");
	assert_true(json_equal(n, want));
	json_decref(want);
	json_decref(n);

	/* Inner white space and non-ASCII text are kept as typed. */
	json_decref(ans);
	ans = J("{'transport': 'bike', 'comment': '\\t\\u00e9t\\u00e9\\n\\n"
	        "  hiver \\ud83d\\ude00 '}");
	n = survey_normalize_answers(defn, ans);
	assert_string_equal(json_string_value(json_object_get(n, "comment")),
	        "\xc3\xa9t\xc3\xa9\n\n  hiver \xf0\x9f\x98\x80");
	json_decref(n);

	/* Nothing to store. */
	n = survey_normalize_answers(defn, NULL);
	assert_true(json_is_object(n));
	assert_int_equal(json_object_size(n), 0);
	json_decref(n);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_valid_every_type),
	        T(test_definition_rules),
	        T(test_definition_not_an_array),
	        T(test_member_of_another_type),
	        T(test_definition_boundaries),
	        T(test_definition_utf8_lengths),
	        T(test_definition_many_errors),
	        T(test_existing_detail_kept),
	        T(test_valid_answers),
	        T(test_answer_rules),
	        T(test_answers_not_an_object),
	        T(test_answer_boundaries),
	        T(test_choice_count_messages),
	        T(test_answer_utf8_and_trimming),
	        T(test_show_if_single_choice),
	        T(test_show_if_multiple_choice),
	        T(test_show_if_chain),
	        T(test_is_shown),
	        T(test_question_count),
	        T(test_answers_many_errors),
	        T(test_answers_odd_keys),
	        T(test_normalize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
