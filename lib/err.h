/*
 * err.h - the error codes every layer speaks
 *
 * lib/ returns these; server/ turns them into HTTP statuses through the one
 * error table in lib/problem.c.
 */
#ifndef PARTICIPE_ERR_H
#define PARTICIPE_ERR_H

enum err {
	ERR_OK = 0,
	ERR_BAD_REQUEST,       /* malformed syntax: 400 */
	ERR_UNAUTHORIZED,      /* no or bad credentials: 401 */
	ERR_FORBIDDEN,         /* authenticated but not allowed: 403 */
	ERR_NOT_FOUND,         /* 404 */
	ERR_METHOD,            /* path known, method not: 405 */
	ERR_CONFLICT,          /* 409 */
	ERR_GONE,              /* 410 */
	ERR_LENGTH_REQUIRED,   /* body without a length: 411 */
	ERR_TOO_LARGE,         /* body over the limit: 413 */
	ERR_URI_TOO_LONG,      /* 414 */
	ERR_MEDIA_TYPE,        /* body not application/json: 415 */
	ERR_INVALID,           /* well-formed but fails validation: 422 */
	ERR_RATE_LIMITED,      /* 429 */
	ERR_HEADERS_TOO_LARGE, /* 431 */
	ERR_INTERNAL,          /* 500 */
	ERR_NOT_IMPLEMENTED,   /* 501 */
	ERR_UNAVAILABLE,       /* database down or saturated: 503 */
	ERR_TIMEOUT,           /* request timed out while reading: 408 */
	ERR_HTTP_VERSION,      /* 505 */
	ERR__COUNT
};

#endif
