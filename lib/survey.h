/*
 * survey.h - consultation (survey) definitions and a participant's answers
 *
 * A consultation is a list of questions; a participant's answers are one
 * JSON object. Both are checked here, server-side, before anything is
 * stored: survey_check_definition() when a consultation is created or
 * edited, survey_check_answers() then survey_normalize_answers() when a
 * participant submits. Every problem found becomes one field entry of the
 * problem (all of them, not the first), so a form can show each next to
 * its input.
 *
 * Definition format: "questions", a JSON array of 1..100 objects. A
 * question has exactly the members below (any other member is an error,
 * "unknown member"; a member of another type is "is not allowed for
 * '<type>' questions"). No member may be null: omit it instead. Integers
 * are JSON integers (2, not 2.0); lengths are in Unicode code points.
 *
 *   id           required string ^[a-z0-9_]{1,32}$, unique in the survey
 *   type         required: "single_choice", "multiple_choice", "ranking",
 *                "scale", "short_text", "long_text" or "number"
 *   title        required string, 1..500 characters
 *   description  optional string, 0..2000 characters
 *   required     optional boolean, default false
 *   show_if      optional {"question": <id>, "equals": <option id>}: the
 *                question is shown only when the answer to that question
 *                is (single_choice) or includes (multiple_choice) that
 *                option. <id> names an EARLIER single_choice or
 *                multiple_choice question, <option id> one of its options.
 *                Chains are allowed: a question whose condition refers to
 *                a hidden question is hidden too.
 *
 *   single_choice, multiple_choice, ranking:
 *     options    required array of 2..50 {"id": ^[a-z0-9_]{1,32}$ unique
 *                in the question, "label": string 1..300}, exactly those
 *                two members
 *   multiple_choice:
 *     min_selections  optional integer, default 1 if required else 0
 *     max_selections  optional integer, default the number of options
 *                     0 <= min <= max <= options, max >= 1, and a required
 *                     question needs min >= 1 (an explicit 0 is an error)
 *   ranking:
 *     rank_all   optional boolean, default true: every option is ranked
 *     min_ranked optional integer, default options if rank_all else 1
 *     max_ranked optional integer, default the number of options
 *                1 <= min <= max <= options; while rank_all is true, a
 *                min_ranked or max_ranked given must equal the number of
 *                options (to rank fewer, set rank_all to false)
 *   scale:
 *     min        required integer, 0 or 1
 *     max        required integer, min < max <= 10
 *     min_label, max_label  optional strings, 0..100 characters
 *   short_text, long_text:
 *     min_length optional integer >= 0, default 0, at most max_length
 *     max_length optional integer, short_text 1..500 (default 280),
 *                long_text 1..10000 (default 2000)
 *   number:
 *     min, max   optional numbers (integer or real), min <= max
 *     integer    optional boolean, default false: whole numbers only
 *
 * Field paths of definition errors: "questions" (the array itself),
 * "questions[3]", "questions[3].title", "questions[3].options[1].id",
 * "questions[0].show_if.question", "questions[2].<unknown member>".
 *
 * Answer format: one JSON object, question id -> value, for example
 * {"transport": "bike", "days": ["mon", "fri"], "order": ["b", "a", "c"],
 * "rating": 4, "comment": "More trees", "age": 42}.
 *
 *   single_choice    one option id (string)
 *   multiple_choice  array of distinct option ids, min..max_selections
 *   ranking          array of distinct option ids, most preferred first,
 *                    min..max_ranked of them
 *   scale            JSON integer in [min, max]
 *   short_text,      string; leading and trailing white space (Unicode
 *   long_text        White_Space and U+FEFF) is trimmed and the trimmed
 *                    length must be in [min_length, max_length]. A blank
 *                    answer is "must not be blank" for a required
 *                    question and no answer for an optional one
 *   number           JSON number in [min, max]; with "integer": true a
 *                    whole value (3 or 3.0, not 3.5)
 *
 * A key that is no question's id is an error. Absent and null both mean
 * "no answer": required for a shown required question, allowed otherwise.
 * A question hidden by its show_if must have no answer (a required hidden
 * question is not required). Field paths: "answers.<question id>", or
 * "answers" when the answers are not an object.
 */
#ifndef PARTICIPE_SURVEY_H
#define PARTICIPE_SURVEY_H

#include <jansson.h>
#include <stddef.h>

#include "err.h"
#include "problem.h"

/* Bounds of the definition format above. */
#define SURVEY_MAX_QUESTIONS 100
#define SURVEY_MIN_OPTIONS 2
#define SURVEY_MAX_OPTIONS 50
#define SURVEY_ID_MAX 32
#define SURVEY_TITLE_MAX 500
#define SURVEY_DESCRIPTION_MAX 2000
#define SURVEY_LABEL_MAX 300
#define SURVEY_SCALE_MAX 10
#define SURVEY_SCALE_LABEL_MAX 100
#define SURVEY_SHORT_TEXT_MAX 500
#define SURVEY_SHORT_TEXT_DEFAULT 280
#define SURVEY_LONG_TEXT_MAX 10000
#define SURVEY_LONG_TEXT_DEFAULT 2000

/*
 * Checks a "questions" array against the definition format. ERR_INVALID
 * with one problem field per error (and a detail if p had none), else
 * ERR_OK.
 */
enum err survey_check_definition(const json_t *questions, struct problem *p);

/* Number of questions; 0 when 'questions' is not an array. */
size_t survey_question_count(const json_t *questions);

/*
 * 1 when question 'index' is shown given 'answers' (NULL: no answers),
 * that is it has no show_if or its condition holds and the question it
 * refers to is itself shown; 0 otherwise, or when index is out of range.
 */
int survey_is_shown(
        const json_t *questions, size_t index, const json_t *answers);

/*
 * Checks a participant's answers against a valid definition. ERR_INVALID
 * with one problem field per bad answer (and a detail if p had none), else
 * ERR_OK.
 */
enum err survey_check_answers(
        const json_t *questions, const json_t *answers, struct problem *p);

/*
 * What gets stored once survey_check_answers() passed: a new object (new
 * reference, never NULL) with, in question order, the answer to each
 * shown question that has one, text trimmed (blank text dropped), other
 * values copied as given.
 */
json_t *survey_normalize_answers(
        const json_t *questions, const json_t *answers);

#endif
