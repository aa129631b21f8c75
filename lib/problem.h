/*
 * problem.h - RFC 9457 problem details and the one error table
 *
 * A struct problem collects what went wrong while a request is handled: the
 * error code, an optional detail sentence and, for validation errors, one
 * entry per bad field. problem_to_json() renders it as the body of an
 * application/problem+json response.
 */
#ifndef PARTICIPE_PROBLEM_H
#define PARTICIPE_PROBLEM_H

#include <jansson.h>
#include <stddef.h>

#include "err.h"

/* One row of the error table: how an enum err looks over HTTP. */
struct problem_kind {
	int status;        /* HTTP status */
	const char *slug;  /* last part of the type URI */
	const char *title; /* short, stable, human readable */
};

/* Everything known about a failure; zero-initialise before use. */
struct problem {
	enum err err;
	char detail[256];
	json_t *errors;  /* array of {"field": ..., "message": ...} or NULL */
	int retry_after; /* seconds for 429/503, 0 when not set */
};

/* The table row for 'e'; unknown values map to the internal error row. */
const struct problem_kind *problem_kind(enum err e);

/* The type URI prefix shared by every problem type. */
#define PROBLEM_TYPE_PREFIX "urn:participe:problem:"

/* Sets the error and a printf-style detail (lowercase, no final period). */
void problem_set(struct problem *p, enum err e, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Adds a field error; 'field' is a JSON pointer-ish path such as "name". */
void problem_add_field(struct problem *p, const char *field, const char *fmt,
        ...) __attribute__((format(printf, 3, 4)));

/* Releases the errors array; the struct may then be reused. */
void problem_clear(struct problem *p);

/*
 * Renders the problem as compact JSON (malloc'd, caller frees) including
 * 'instance' when it is not NULL. Never returns NULL.
 */
char *problem_to_json(const struct problem *p, const char *instance);

/*
 * Maps a PostgreSQL SQLSTATE to an error. Our SQL functions raise custom
 * codes 'PT' followed by an HTTP status ("PT404", "PT422"), which map to
 * that status's error; integrity violations map as DESIGN.md section 3 says.
 */
enum err problem_err_from_sqlstate(const char *sqlstate);

/* The error whose HTTP status is 'status', or ERR_INTERNAL. */
enum err problem_err_from_status(int status);

#endif
