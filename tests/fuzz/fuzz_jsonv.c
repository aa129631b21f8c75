/*
 * fuzz_jsonv.c - libFuzzer driver for jsonv_parse + jsonv_check, and the
 * problem+json rendering of whatever they report.
 *
 * The body is parsed, checked against a fixed spec, and the problem is
 * rendered. Invariants: the rendering is a JSON object with the right
 * status and carries the detail and every field error; a body that passes
 * has only declared fields, every required one, of the declared types and
 * bounds; a body that fails names each unknown or missing field.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "err.h"
#include "jsonv.h"
#include "problem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",       \
			        __FILE__, __LINE__, #cond);                    \
			abort();                                               \
		}                                                              \
	} while (0)

static const struct jsonv_field fields[] = {
        {"name", JV_STRING, 1, 0, 1, 80},
        {"description", JV_STRING, 0, 1, 0, 0},
        {"slug", JV_STRING, 0, 0, 3, 3},
        {"population", JV_INTEGER, 0, 0, 0, 100000000},
        {"offset", JV_INTEGER, 0, 1, -5, 5},
        {"big", JV_INTEGER, 0, 0, 0, 0},
        {"ratio", JV_NUMBER, 0, 0, 0, 0},
        {"public", JV_BOOLEAN, 1, 0, 0, 0},
        {"tags", JV_ARRAY, 0, 1, 0, 0},
        {"settings", JV_OBJECT, 0, 0, 0, 0},
        {"extra", JV_ANY, 0, 1, 0, 0},
};

static const struct jsonv_spec spec = {
        fields, sizeof(fields) / sizeof(fields[0])};

static const struct jsonv_field *
find_field(const char *key)
{
	size_t i;

	for (i = 0; i < spec.n; i++)
		if (strcmp(fields[i].name, key) == 0)
			return &fields[i];
	return NULL;
}

static int
has_error_for(const json_t *errors, const char *field)
{
	size_t i;
	json_t *e;

	json_array_foreach(errors, i, e)
	{
		const char *f = json_string_value(json_object_get(e, "field"));

		if (f != NULL && strcmp(f, field) == 0)
			return 1;
	}
	return 0;
}

/* Independent restatement of what a passing field must look like. */
static void
check_passing_field(const struct jsonv_field *f, const json_t *v)
{
	if (json_is_null(v)) {
		CHECK(f->nullable);
		return;
	}
	switch (f->type) {
	case JV_STRING: {
		size_t n = jsonv_utf8_len(
		        json_string_value(v), json_string_length(v));
		int64_t max = f->max > 0 ? f->max : JSONV_DEFAULT_MAX_STRING;

		CHECK(json_is_string(v));
		CHECK((int64_t)n >= f->min && (int64_t)n <= max);
		break;
	}
	case JV_INTEGER:
		CHECK(json_is_integer(v));
		if (f->min != 0 || f->max != 0)
			CHECK(json_integer_value(v) >= f->min &&
			        json_integer_value(v) <= f->max);
		break;
	case JV_NUMBER:
		CHECK(json_is_number(v));
		break;
	case JV_BOOLEAN:
		CHECK(json_is_boolean(v));
		break;
	case JV_OBJECT:
		CHECK(json_is_object(v));
		break;
	case JV_ARRAY:
		CHECK(json_is_array(v));
		break;
	case JV_ANY:
		break;
	}
}

static void
check_rendering(const struct problem *p)
{
	char *s = problem_to_json(p, "/fuzz");
	json_t *o;

	CHECK(s != NULL);
	o = json_loads(s, 0, NULL);
	CHECK(o != NULL && json_is_object(o));
	CHECK(json_integer_value(json_object_get(o, "status")) ==
	        problem_kind(p->err)->status);
	CHECK(json_is_string(json_object_get(o, "type")));
	CHECK(json_is_string(json_object_get(o, "title")));
	if (p->detail[0] != '\0')
		CHECK(json_is_string(json_object_get(o, "detail")));
	if (p->errors != NULL && json_array_size(p->errors) > 0)
		CHECK(json_array_size(json_object_get(o, "errors")) ==
		        json_array_size(p->errors));
	else
		CHECK(json_object_get(o, "errors") == NULL);
	json_decref(o);
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct problem p;
	json_t *v = (json_t *)1;
	enum err e;

	memset(&p, 0, sizeof(p));
	e = jsonv_parse((const char *)data, size, &v, &p);
	if (e != ERR_OK) {
		CHECK(e == ERR_BAD_REQUEST);
		CHECK(v == NULL);
		CHECK(p.err == ERR_BAD_REQUEST);
		CHECK(p.detail[0] != '\0');
		check_rendering(&p);
		problem_clear(&p);
		return 0;
	}
	CHECK(v != NULL);
	e = jsonv_check(v, &spec, &p);
	if (e == ERR_OK) {
		const char *key;
		json_t *val;
		size_t i;

		CHECK(p.errors == NULL);
		CHECK(p.err == ERR_OK);
		CHECK(json_is_object(v));
		json_object_foreach(v, key, val)
		{
			const struct jsonv_field *f = find_field(key);

			CHECK(f != NULL);
			check_passing_field(f, val);
		}
		for (i = 0; i < spec.n; i++)
			if (fields[i].required)
				CHECK(json_object_get(v, fields[i].name) !=
				        NULL);
	} else {
		CHECK(e == ERR_INVALID);
		CHECK(p.err == ERR_INVALID);
		CHECK(p.errors != NULL && json_array_size(p.errors) > 0);
		CHECK(p.detail[0] != '\0');
		if (json_is_object(v)) {
			const char *key;
			json_t *val;
			size_t i;

			json_object_foreach(v, key, val)
			{
				if (find_field(key) == NULL)
					CHECK(has_error_for(p.errors, key));
			}
			(void)val;
			for (i = 0; i < spec.n; i++)
				if (fields[i].required &&
				        json_object_get(v, fields[i].name) ==
				                NULL)
					CHECK(has_error_for(
					        p.errors, fields[i].name));
		} else {
			CHECK(has_error_for(p.errors, ""));
		}
		check_rendering(&p);
	}
	problem_clear(&p);
	json_decref(v);
	return 0;
}
