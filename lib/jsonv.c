/*
 * jsonv.c - body parsing and declared-field validation
 */
#include "jsonv.h"

#include <string.h>

const char *
jsonv_type_name(enum jsonv_type t)
{
	switch (t) {
	case JV_STRING:
		return "string";
	case JV_INTEGER:
		return "integer";
	case JV_NUMBER:
		return "number";
	case JV_BOOLEAN:
		return "boolean";
	case JV_OBJECT:
		return "object";
	case JV_ARRAY:
		return "array";
	case JV_ANY:
		break;
	}
	return "value";
}

size_t
jsonv_utf8_len(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

enum err
jsonv_parse(const char *buf, size_t len, json_t **out, struct problem *p)
{
	json_error_t je;

	*out = json_loadb(
	        buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	if (*out == NULL) {
		problem_set(p, ERR_BAD_REQUEST,
		        "could not parse body as json: %s at line %d column %d",
		        je.text, je.line, je.column);
		return ERR_BAD_REQUEST;
	}
	return ERR_OK;
}

static int
type_ok(const json_t *v, enum jsonv_type t)
{
	switch (t) {
	case JV_STRING:
		return json_is_string(v);
	case JV_INTEGER:
		return json_is_integer(v);
	case JV_NUMBER:
		return json_is_number(v);
	case JV_BOOLEAN:
		return json_is_boolean(v);
	case JV_OBJECT:
		return json_is_object(v);
	case JV_ARRAY:
		return json_is_array(v);
	case JV_ANY:
		return 1;
	}
	return 0;
}

static void
check_field(const struct jsonv_field *f, const json_t *v, struct problem *p)
{
	if (json_is_null(v)) {
		if (!f->nullable)
			problem_add_field(p, f->name, "must not be null");
		return;
	}
	if (!type_ok(v, f->type)) {
		problem_add_field(p, f->name, "must be %s %s",
		        f->type == JV_INTEGER || f->type == JV_OBJECT ||
		                        f->type == JV_ARRAY
		                ? "an"
		                : "a",
		        jsonv_type_name(f->type));
		return;
	}
	if (f->type == JV_STRING) {
		size_t n = jsonv_utf8_len(
		        json_string_value(v), json_string_length(v));
		int64_t max = f->max > 0 ? f->max : JSONV_DEFAULT_MAX_STRING;

		if ((int64_t)n < f->min)
			problem_add_field(p, f->name,
			        "must be at least %lld characters long",
			        (long long)f->min);
		else if ((int64_t)n > max)
			problem_add_field(p, f->name,
			        "must be at most %lld characters long",
			        (long long)max);
	} else if (f->type == JV_ARRAY && (f->min != 0 || f->max != 0)) {
		size_t n = json_array_size(v);

		if ((int64_t)n < f->min || (int64_t)n > f->max)
			problem_add_field(p, f->name,
			        "must have between %lld and %lld items",
			        (long long)f->min, (long long)f->max);
	} else if (f->type == JV_INTEGER && (f->min != 0 || f->max != 0)) {
		json_int_t i = json_integer_value(v);

		if (i < f->min || i > f->max)
			problem_add_field(p, f->name,
			        "must be between %lld and %lld",
			        (long long)f->min, (long long)f->max);
	}
}

enum err
jsonv_check(const json_t *v, const struct jsonv_spec *spec, struct problem *p)
{
	const char *key;
	json_t *val;
	size_t i;

	if (!json_is_object(v)) {
		problem_set(
		        p, ERR_INVALID, "request body must be a json object");
		problem_add_field(p, "", "must be an object");
		return ERR_INVALID;
	}
	json_object_foreach((json_t *)v, key, val)
	{
		for (i = 0; i < spec->n; i++)
			if (strcmp(spec->fields[i].name, key) == 0)
				break;
		if (i == spec->n)
			problem_add_field(p, key, "unknown field");
	}
	for (i = 0; i < spec->n; i++) {
		const struct jsonv_field *f = &spec->fields[i];
		const json_t *fv = json_object_get(v, f->name);

		if (fv == NULL) {
			if (f->required)
				problem_add_field(p, f->name, "is required");
			continue;
		}
		check_field(f, fv, p);
	}
	if (p->errors != NULL) {
		if (p->detail[0] == '\0')
			problem_set(p, ERR_INVALID,
			        "request body has %zu invalid field%s",
			        json_array_size(p->errors),
			        json_array_size(p->errors) > 1 ? "s" : "");
		return ERR_INVALID;
	}
	return ERR_OK;
}
