/*
 * contrib.h - shared helpers of the API tests of issue 6 (proposals,
 * supports, comments, moderation, follows and notifications), linked into
 * every API test like client.c and identity.c
 *
 * Processes are made by the platform admin through the public API, with
 * a proposals phase that is going on (started a day ago, ends in thirty
 * days) unless told otherwise. Every helper that expects an outcome fails
 * the current cmocka test (printing the response) when it does not get
 * it; include <cmocka.h>.
 */
#ifndef PARTICIPE_TEST_CONTRIB_H
#define PARTICIPE_TEST_CONTRIB_H

#include <jansson.h>
#include <stddef.h>

#include "client.h"
#include "identity.h"

/* The categories every ct_process_new() process has. */
#define CT_CATEGORIES                                                          \
	"[{\"slug\":\"voirie\",\"name\":\"Voirie\"},"                          \
	"{\"slug\":\"ecoles\",\"name\":\"\\u00c9coles\"}]"

/* "/v1/collectivities/<slug>" then printf(fmt, ...), in one of 16
 * rotating static buffers (so a few can be used in one call). */
const char *ct_path(const char *slug, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* A printf-formatted string in one of 16 rotating static buffers. */
const char *ct_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* An RFC 3339 UTC date-time of now + offset_s seconds. */
void ct_time(long offset_s, char *out, size_t outsz);

/* ct_time() in one of 16 rotating static buffers. */
const char *ct_at(long offset_s);

/* One phase object {"kind", "starts_at", "ends_at"}, times as offsets
 * from now in seconds, in one of 16 rotating static buffers. */
const char *ct_phase(const char *kind, long from_s, long to_s);

/* The birth date of someone 'years' old today (never a 29 February). */
void ct_years_ago(int years, char out[16]);

/* An id_json() body of this status; frees r. */
#define ct_json(r, st) ct_json_((r), (st), __FILE__, __LINE__)
json_t *ct_json_(struct http_resp *r, int status, const char *file, int line);

/* A problem+json of this status naming field (NULL: any); frees r. */
#define ct_problem(r, st, field)                                               \
	ct_problem_((r), (st), (field), __FILE__, __LINE__)
void ct_problem_(struct http_resp *r, int status, const char *field,
        const char *file, int line);

/* This status with an empty body (204) and the common headers; frees r. */
#define ct_empty(r, st) ct_empty_((r), (st), __FILE__, __LINE__)
void ct_empty_(struct http_resp *r, int status, const char *file, int line);

/* GET path as token (NULL: anonymous), 200; returns the body. */
#define ct_get(path, token)                                                    \
	ct_json(id_call("GET", (path), (token), NULL, NULL), 200)

/* The element of the array whose string member key is value, or NULL. */
json_t *ct_find(json_t *arr, const char *key, const char *value);

/* How many elements of arr have the string member key equal to value. */
size_t ct_count(json_t *arr, const char *key, const char *value);

/* An integer member of an object (0 when absent). */
long long ct_int(json_t *o, const char *key);

/*
 * A process of slug made by the platform admin: published, the
 * categories CT_CATEGORIES, a proposals phase from a day ago to thirty
 * days on (phases_json NULL) or these phases, and extra JSON members
 * (without braces, e.g. "\"support_limit\":2") or NULL. Its id into pid
 * (at least 40 bytes).
 */
#define ct_process_new(slug, phases_json, extra, pid)                          \
	ct_process_new_(                                                       \
	        (slug), (phases_json), (extra), (pid), __FILE__, __LINE__)
void ct_process_new_(const char *slug, const char *phases_json,
        const char *extra, char *pid, const char *file, int line);

/* Closes the current phase of process pid early, as the platform admin. */
#define ct_phase_close(slug, pid, phase)                                       \
	ct_phase_close_((slug), (pid), (phase), __FILE__, __LINE__)
void ct_phase_close_(const char *slug, const char *pid, const char *phase,
        const char *file, int line);

/* An area of slug, as the platform admin (201). */
#define ct_area_new(slug, area) ct_area_new_((slug), (area), __FILE__, __LINE__)
void ct_area_new_(
        const char *slug, const char *area, const char *file, int line);

/* POST .../processes/{pid}/proposals as token with a raw body. */
struct http_resp *ct_proposal_post(
        const char *slug, const char *pid, const char *token, const char *json);

/*
 * A proposal by u in process pid: title, body text, and extra JSON
 * members or NULL; published unless extra says "status". 201; its id
 * into id (at least 40 bytes) when id is not NULL. Returns the body.
 */
#define ct_proposal_new(slug, pid, u, title, text, extra, id)                  \
	ct_proposal_new_((slug), (pid), (u), (title), (text), (extra), (id),   \
	        __FILE__, __LINE__)
json_t *ct_proposal_new_(const char *slug, const char *pid,
        const struct id_user *u, const char *title, const char *text,
        const char *extra, char *id, const char *file, int line);

/* GET the proposal as token (NULL: anonymous), 200. */
#define ct_proposal_get(slug, id, token)                                       \
	ct_get(ct_path((slug), "/proposals/%s", (id)), (token))

/*
 * POST a comment on thread ("proposals/<id>" or "processes/<pid>") as
 * token: body text, parent id or NULL, stance or NULL. Returns the raw
 * response.
 */
struct http_resp *ct_comment_post(const char *slug, const char *thread,
        const char *token, const char *text, const char *parent,
        const char *stance);

/* ct_comment_post() that must give 201; its id into id (>= 40 bytes)
 * when not NULL. Returns the body. */
#define ct_comment_new(slug, thread, token, text, parent, id)                  \
	ct_comment_new_((slug), (thread), (token), (text), (parent), (id),     \
	        __FILE__, __LINE__)
json_t *ct_comment_new_(const char *slug, const char *thread, const char *token,
        const char *text, const char *parent, char *id, const char *file,
        int line);

/* PUT .../proposals/{id}/support as token: 201, or 200 when want is 200. */
#define ct_support(slug, id, token, want)                                      \
	json_decref(ct_json(                                                   \
	        id_call("PUT", ct_path((slug), "/proposals/%s/support", (id)), \
	                (token), NULL, NULL),                                  \
	        (want)))

/* POST .../reports as token about a proposal or comment (201 expected when
 * want is 201). Returns the body, or NULL for a problem (checked). */
#define ct_report(slug, token, type, id, reason, want)                         \
	ct_report_((slug), (token), (type), (id), (reason), (want), __FILE__,  \
	        __LINE__)
json_t *ct_report_(const char *slug, const char *token, const char *type,
        const char *id, const char *reason, int want, const char *file,
        int line);

/* Blocks account_id in slug as token (201 or 200). */
#define ct_block(slug, token, aid)                                             \
	ct_block_((slug), (token), (aid), __FILE__, __LINE__)
void ct_block_(const char *slug, const char *token, const char *account_id,
        const char *file, int line);

/* Unblocks account_id in slug as token (204). */
#define ct_unblock(slug, token, aid)                                           \
	ct_empty(id_call("DELETE",                                             \
	                 ct_path((slug), "/blocks/%s?reason=test", (aid)),     \
	                 (token), NULL, NULL),                                 \
	        204)

#endif
