/*
 * jsonv.h - parsing and field-by-field validation of JSON request bodies
 *
 * Each route that takes a body declares its fields in the route table; the
 * server parses the body with jsonv_parse() and checks it with
 * jsonv_check() before any handler runs. Unknown fields are rejected (no
 * mass assignment), and every bad field gets its own entry in the problem.
 */
#ifndef PARTICIPE_JSONV_H
#define PARTICIPE_JSONV_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "problem.h"

/* JSON types a field may be declared with. */
enum jsonv_type {
	JV_STRING,
	JV_INTEGER,
	JV_NUMBER,
	JV_BOOLEAN,
	JV_OBJECT,
	JV_ARRAY,
	JV_ANY,
};

/* One declared field of a body object. */
struct jsonv_field {
	const char *name;
	enum jsonv_type type;
	int required;
	int nullable;
	int64_t min, max; /* string length in characters, integer range or
			     array size; both 0: unbounded (strings still
			     capped) */
};

/* A body: a JSON object with exactly these fields allowed. */
struct jsonv_spec {
	const struct jsonv_field *fields;
	size_t n;
};

/* Longest string accepted when a field declares no maximum. */
#define JSONV_DEFAULT_MAX_STRING 10000

/*
 * Parses buf[0..len) as one JSON value (duplicate keys rejected). On
 * ERR_BAD_REQUEST the problem's detail tells where parsing failed.
 */
enum err jsonv_parse(
        const char *buf, size_t len, json_t **out, struct problem *p);

/*
 * Checks that 'v' is an object matching 'spec'. On ERR_INVALID the problem
 * lists every bad field, unknown ones included.
 */
enum err jsonv_check(
        const json_t *v, const struct jsonv_spec *spec, struct problem *p);

/* Number of Unicode code points in valid UTF-8 s[0..len). */
size_t jsonv_utf8_len(const char *s, size_t len);

/* The name used in messages for a type ("string", "integer"). */
const char *jsonv_type_name(enum jsonv_type t);

#endif
