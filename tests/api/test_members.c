/*
 * test_members.c - one collectivity's people: its identifiers (SIREN, COG
 * code, parents), edits by platform admins, verification settings,
 * joining, the three ways to verify a resident (single-use codes, the
 * hashed roll, a moderator's manual approval) and the minimum age, the
 * members list, roles (grant, list, revoke, no escalation, never without
 * an admin) and the append-only audit log.
 *
 * Each test makes its own collectivity and people, with unique slugs,
 * addresses, SIRENs and COG codes, so tests are independent and the suite
 * can run again against the same database.
 */
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
#include "problem.h"
#include "roll.h"

/* ---- helpers ---- */

/* A problem of this status (and, when field is not NULL, naming it); the
 * response is freed. */
#define expect_problem(r, st, field)                                           \
	expect_problem_((r), (st), (field), __FILE__, __LINE__)
static void
expect_problem_(struct http_resp *r, int status, const char *field,
        const char *file, int line)
{
	json_t *p = check_problem_(r, status, NULL, file, line);

	if (field != NULL)
		check_problem_field_(p, field, NULL, file, line);
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

static const char *
admin(void)
{
	return http_admin_token();
}

/* POST /v1/collectivities as the platform admin with a raw body. */
static struct http_resp *
create_raw(const char *body)
{
	return id_call("POST", "/v1/collectivities", admin(), NULL, body);
}

/* GET /v1/collectivities/<slug> is 404: a refused create left nothing. */
#define check_absent(slug) check_absent_((slug), __FILE__, __LINE__)
static void
check_absent_(const char *slug, const char *file, int line)
{
	struct http_resp *r = http_get(ct_path(slug, "%s", ""));

	if (r == NULL || r->status != 404)
		fprintf(stderr, "  a refused create left %s\n", slug);
	json_decref(check_problem_(r, 404, "not-found", file, line));
	http_resp_free(r);
}

/* A random COG code of a metropolitan commune: département 01-95 but
 * 20, then 3 digits. */
static void
random_commune_code(char out[6])
{
	unsigned d;

	do
		d = 1 + id_random(95);
	while (d == 20);
	snprintf(out, 6, "%02u%03u", d, id_random(1000));
}

/* The member of list whose account_id is id, or NULL. */
static json_t *
member_in(json_t *list, const char *id)
{
	size_t i;
	json_t *m;

	json_array_foreach(list, i, m)
	{
		if (strcmp(id_str(m, "account_id"), id) == 0)
			return m;
	}
	return NULL;
}

/* Whether the JSON array of strings has s. */
static int
has_string(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
	{
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return 1;
	}
	return 0;
}

/* Every member of slug with this status filter, as token. */
static json_t *
members(const char *slug, const char *status, const char *token)
{
	char rest[128];

	snprintf(rest, sizeof(rest), "/members?status=%s&limit=100", status);
	return id_list_all(ct_path(slug, "%s", rest), token, 100);
}

/* Every audit entry of slug, newest first, as token. */
static json_t *
audit_all(const char *slug, const char *token)
{
	return id_list_all(ct_path(slug, "/audit?limit=100"), token, 100);
}

/* Makes count codes as token (201); returns the body. */
static json_t *
make_codes(const char *slug, const char *token, int count)
{
	char body[64];

	snprintf(body, sizeof(body), "{\"count\":%d}", count);
	return expect_json(id_call("POST", ct_path(slug, "/verification-codes"),
	                           token, NULL, body),
	        201);
}

static const char *
code_at(json_t *codes, size_t i)
{
	return json_string_value(
	        json_array_get(json_object_get(codes, "codes"), i));
}

/* POST .../verification/code {"code": code} as u. */
static struct http_resp *
redeem(const struct id_user *u, const char *slug, const char *code)
{
	json_t *b = json_pack("{s:s}", "code", code);
	char *s = json_dumps(b, JSON_COMPACT);
	struct http_resp *r = id_call(
	        "POST", ct_path(slug, "/verification/code"), u->token, NULL, s);

	free(s);
	json_decref(b);
	return r;
}

/* POST .../verification/roll as u. */
static struct http_resp *
roll_match(const struct id_user *u, const char *slug, const char *family,
        const char *given, const char *birth, const char *postcode)
{
	json_t *b = json_pack("{s:s, s:s, s:s, s:s}", "family_name", family,
	        "given_name", given, "birth_date", birth, "postcode", postcode);
	char *s = json_dumps(b, JSON_COMPACT);
	struct http_resp *r = id_call(
	        "POST", ct_path(slug, "/verification/roll"), u->token, NULL, s);

	free(s);
	json_decref(b);
	return r;
}

/* The roll entry of an identity with this key (hex), as lib/roll.h says. */
static void
roll_entry(const char *key_hex, const char *family, const char *given,
        const char *birth, const char *postcode, char out[65])
{
	unsigned char key[ROLL_KEY_BYTES];
	char canon[ROLL_CANON_MAX];
	struct problem p;
	size_t len;

	memset(&p, 0, sizeof(p));
	assert_true(roll_key_from_hex(key_hex, key));
	assert_int_equal(roll_canonical(family, given, birth, postcode, canon,
	                         sizeof(canon), &len, &p),
	        ERR_OK);
	roll_hash_hex(key, canon, len, out);
	problem_clear(&p);
}

/* The member body is verified by this method. */
#define check_verified(j, method)                                              \
	check_verified_((j), (method), __FILE__, __LINE__)
static void
check_verified_(json_t *j, const char *method, const char *file, int line)
{
	if (!json_is_true(json_object_get(j, "verified")) ||
	        strcmp(id_str(j, "verified_method"), method) != 0 ||
	        strlen(id_str(j, "verified_at")) == 0 ||
	        !has_string(json_object_get(j, "roles"), "resident")) {
		char *d = json_dumps(j, JSON_COMPACT);

		print_error("member: %s\n", d != NULL ? d : "?");
		free(d);
		check_fail_(file, line, "expected a resident verified by %s",
		        method);
	}
}

/* ---- collectivities: identifiers, parents, edits ---- */

static void
test_collectivity_fields(void **state)
{
	char epci[64], dept[64], slug[64], siren[10], esiren[10], code[6];
	char body[1024], bad[10];
	struct http_resp *r;
	json_t *j, *g;
	int tries;

	(void)state;
	id_random_siren(esiren);
	snprintf(body, sizeof(body), "\"siren\":\"%s\"", esiren);
	id_collectivity_new("epci", "epci", body, epci);
	id_collectivity_new("dept", "departement", NULL, dept);

	/* every new field, parents by slug */
	for (tries = 0;; tries++) {
		http_unique_slug("full", slug, sizeof(slug));
		id_random_siren(siren);
		random_commune_code(code);
		snprintf(body, sizeof(body),
		        "{\"slug\":\"%s\",\"name\":\"Full\",\"kind\":"
		        "\"commune\","
		        "\"insee_code\":\"%s\",\"cog_year\":2025,\"siren\":\"%"
		        "s\","
		        "\"population\":1234,\"density_class\":3,\"has_qpv\":"
		        "true,\"joined_on\":\"2025-01-15\",\"epci\":\"%s\","
		        "\"departement\":\"%s\"}",
		        slug, code, siren, epci, dept);
		r = create_raw(body);
		if (r == NULL || r->status != 409 || tries == 5)
			break; /* 409: that random code exists already */
		http_resp_free(r);
	}
	j = id_json(r, 201);
	check(strcmp(id_str(j, "insee_code"), code) == 0 &&
	                json_integer_value(json_object_get(j, "cog_year")) ==
	                        2025 &&
	                strcmp(id_str(j, "siren"), siren) == 0 &&
	                json_integer_value(json_object_get(j, "population")) ==
	                        1234 &&
	                json_integer_value(
	                        json_object_get(j, "density_class")) == 3 &&
	                json_is_true(json_object_get(j, "has_qpv")) &&
	                strcmp(id_str(j, "joined_on"), "2025-01-15") == 0 &&
	                strcmp(id_str(j, "epci"), epci) == 0 &&
	                strcmp(id_str(j, "departement"), dept) == 0,
	        "create with every field: %s", r->body);
	http_resp_free(r);
	g = expect_json(http_get(ct_path(slug, "%s", "")), 200);
	check(json_equal(j, g), "read and create disagree");
	check(json_object_get(g, "roll_key") == NULL, "the roll key is public");
	json_decref(g);
	json_decref(j);
	/* the same SIREN twice: 409 */
	{
		char s2[64];

		http_unique_slug("dup-siren", s2, sizeof(s2));
		snprintf(body, sizeof(body),
		        "{\"slug\":\"%s\",\"name\":\"Dup\",\"kind\":"
		        "\"commune\","
		        "\"siren\":\"%s\"}",
		        s2, siren);
		expect_problem(create_raw(body), 409, NULL);
		check_absent(s2);
	}

	/* SIREN: the Luhn key, nine digits */
	snprintf(bad, sizeof(bad), "%s", siren);
	bad[8] = (char)('0' + (bad[8] - '0' + 1) % 10);
	{
		const char *bads[] = {bad, "12345678A", "000000001", "12345678",
		        "1234567890"};
		size_t i;

		for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
			char s2[64];

			http_unique_slug("bad-siren", s2, sizeof(s2));
			snprintf(body, sizeof(body),
			        "{\"slug\":\"%s\",\"name\":\"B\",\"kind\":"
			        "\"commune\",\"siren\":\"%s\"}",
			        s2, bads[i]);
			r = create_raw(body);
			if (r == NULL || r->status != 422)
				fprintf(stderr, "  siren %s\n", bads[i]);
			expect_problem(r, 422, "siren");
			check_absent(s2);
		}
	}
	/* COG code of a commune: shape */
	{
		const char *bads[] = {"20004", "2C004", "96001", "97911",
		        "00123", "1234", "2A", "01", "7505A", "2a004"};
		size_t i;

		for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
			char s2[64];

			http_unique_slug("bad-cog", s2, sizeof(s2));
			snprintf(body, sizeof(body),
			        "{\"slug\":\"%s\",\"name\":\"B\",\"kind\":"
			        "\"commune\",\"insee_code\":\"%s\"}",
			        s2, bads[i]);
			r = create_raw(body);
			if (r == NULL || r->status != 422)
				fprintf(stderr, "  commune code %s\n", bads[i]);
			expect_problem(r, 422, "insee_code");
			check_absent(s2);
		}
		/* an EPCI has no COG code */
		http_unique_slug("bad-cog-epci", slug, sizeof(slug));
		snprintf(body, sizeof(body),
		        "{\"slug\":\"%s\",\"name\":\"B\",\"kind\":\"epci\","
		        "\"insee_code\":\"01053\"}",
		        slug);
		expect_problem(create_raw(body), 422, "insee_code");
		check_absent(slug);
	}
	/* Corsica: 2A004 has the shape of a commune (409 when an earlier run
	   against this database made it already), and so do 2A/2B codes */
	http_unique_slug("ajaccio", slug, sizeof(slug));
	snprintf(body, sizeof(body),
	        "{\"slug\":\"%s\",\"name\":\"Ajaccio\",\"kind\":\"commune\","
	        "\"insee_code\":\"2A004\"}",
	        slug);
	r = create_raw(body);
	check(r != NULL && (r->status == 201 || r->status == 409),
	        "2A004 is a commune code: got %d", r != NULL ? r->status : 0);
	http_resp_free(r);
	for (tries = 0; tries < 2; tries++) {
		int k;

		for (k = 0;; k++) {
			http_unique_slug("corse", slug, sizeof(slug));
			snprintf(code, sizeof(code), "2%c%03u",
			        tries ? 'B' : 'A', id_random(1000));
			snprintf(body, sizeof(body),
			        "{\"slug\":\"%s\",\"name\":\"Corse\",\"kind\":"
			        "\"commune\",\"insee_code\":\"%s\"}",
			        slug, code);
			r = create_raw(body);
			if (r == NULL || r->status != 409 || k == 5)
				break;
			http_resp_free(r);
		}
		j = id_json(r, 201);
		check(strcmp(id_str(j, "insee_code"), code) == 0,
		        "Corsican code: %s", r->body);
		json_decref(j);
		http_resp_free(r);
	}
	/* overseas */
	for (tries = 0;; tries++) {
		http_unique_slug("outre-mer", slug, sizeof(slug));
		snprintf(code, sizeof(code), "974%02u", id_random(100));
		snprintf(body, sizeof(body),
		        "{\"slug\":\"%s\",\"name\":\"Outre-mer\",\"kind\":"
		        "\"commune\",\"insee_code\":\"%s\"}",
		        slug, code);
		r = create_raw(body);
		if (r == NULL || r->status != 409 || tries == 5)
			break;
		http_resp_free(r);
	}
	json_decref(id_json(r, 201));
	http_resp_free(r);

	/* parents: they must exist and be of the right kind */
	{
		struct {
			const char *field, *value, *kind;
		} bads[] = {
		        {"epci", "no-such-epci-anywhere", "commune"},
		        {"epci", dept, "commune"},           /* a departement */
		        {"epci", "bourg-en-lys", "commune"}, /* a commune */
		        {"departement", "no-such-departement", "commune"},
		        {"departement", epci, "commune"},
		        {"epci", epci, "epci"}, /* an EPCI in an EPCI */
		        {"departement", dept, "region"},
		};
		size_t i;

		for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
			http_unique_slug("bad-parent", slug, sizeof(slug));
			snprintf(body, sizeof(body),
			        "{\"slug\":\"%s\",\"name\":\"B\",\"kind\":\"%"
			        "s\","
			        "\"%s\":\"%s\"}",
			        slug, bads[i].kind, bads[i].field,
			        bads[i].value);
			r = create_raw(body);
			if (r == NULL || r->status != 422)
				fprintf(stderr, "  %s\n", body);
			expect_problem(r, 422, bads[i].field);
			check_absent(slug);
		}
	}
	/* an EPCI may belong to a departement; null parents are fine */
	http_unique_slug("epci-in-dept", slug, sizeof(slug));
	snprintf(body, sizeof(body),
	        "{\"slug\":\"%s\",\"name\":\"E\",\"kind\":\"epci\","
	        "\"departement\":\"%s\",\"epci\":null,\"siren\":null}",
	        slug, dept);
	j = expect_json(create_raw(body), 201);
	check(strcmp(id_str(j, "departement"), dept) == 0 &&
	                json_is_null(json_object_get(j, "epci")),
	        "epci in a departement");
	json_decref(j);
	/* bad dates and numbers */
	http_unique_slug("bad-date", slug, sizeof(slug));
	snprintf(body, sizeof(body),
	        "{\"slug\":\"%s\",\"name\":\"B\",\"kind\":\"commune\","
	        "\"joined_on\":\"2025-02-30\"}",
	        slug);
	expect_problem(create_raw(body), 422, "joined_on");
	snprintf(body, sizeof(body),
	        "{\"slug\":\"%s\",\"name\":\"B\",\"kind\":\"commune\","
	        "\"density_class\":8}",
	        slug);
	expect_problem(create_raw(body), 422, "density_class");
	snprintf(body, sizeof(body),
	        "{\"slug\":\"%s\",\"name\":\"B\",\"kind\":\"commune\","
	        "\"cog_year\":2025}",
	        slug);
	expect_problem(create_raw(body), 422, "cog_year");
	check_absent(slug);
}

static void
test_collectivity_patch(void **state)
{
	char slug[64], body[512], siren[10], code[6];
	struct id_user u;
	struct http_resp *r;
	json_t *j, *before, *after;
	int tries;

	(void)state;
	for (tries = 0;; tries++) {
		random_commune_code(code);
		snprintf(body, sizeof(body), "\"insee_code\":\"%s\"", code);
		http_unique_slug("patch", slug, sizeof(slug));
		{
			char full[700];

			snprintf(full, sizeof(full),
			        "{\"slug\":\"%s\",\"name\":\"P\",\"kind\":"
			        "\"commune\",%s}",
			        slug, body);
			r = create_raw(full);
		}
		if (r == NULL || r->status != 409 || tries == 5)
			break;
		http_resp_free(r);
	}
	json_decref(id_json(r, 201));
	http_resp_free(r);

	id_random_siren(siren);
	snprintf(body, sizeof(body),
	        "{\"name\":\"Patched\",\"population\":999,\"has_qpv\":true,"
	        "\"siren\":\"%s\",\"density_class\":5}",
	        siren);
	r = id_call("PATCH", ct_path(slug, "%s", ""), admin(), NULL, body);
	j = id_json(r, 200);
	check(strcmp(id_str(j, "name"), "Patched") == 0 &&
	                json_integer_value(json_object_get(j, "population")) ==
	                        999 &&
	                json_is_true(json_object_get(j, "has_qpv")) &&
	                strcmp(id_str(j, "siren"), siren) == 0 &&
	                strcmp(id_str(j, "insee_code"), code) == 0 &&
	                strcmp(id_str(j, "slug"), slug) == 0,
	        "PATCH: %s", r->body);
	http_resp_free(r);
	after = expect_json(http_get(ct_path(slug, "%s", "")), 200);
	check(json_equal(j, after), "PATCH did not last");
	json_decref(after);
	json_decref(j);

	/* refused edits change nothing */
	before = expect_json(http_get(ct_path(slug, "%s", "")), 200);
	expect_problem(id_call("PATCH", ct_path(slug, "%s", ""), admin(), NULL,
	                       "{\"siren\":\"123456789\"}"),
	        422, "siren");
	/* a departement's code on a commune (the column's CHECK allows it) */
	expect_problem(id_call("PATCH", ct_path(slug, "%s", ""), admin(), NULL,
	                       "{\"insee_code\":\"2A\"}"),
	        422, "insee_code");
	/* a kind the code does not fit */
	expect_problem(id_call("PATCH", ct_path(slug, "%s", ""), admin(), NULL,
	                       "{\"kind\":\"epci\"}"),
	        422, "insee_code");
	expect_problem(id_call("PATCH", ct_path(slug, "%s", ""), admin(), NULL,
	                       "{\"kind\":\"town\"}"),
	        422, "kind");
	/* the slug is in URLs: not editable */
	expect_problem(id_call("PATCH", ct_path(slug, "%s", ""), admin(), NULL,
	                       "{\"slug\":\"renamed\"}"),
	        422, "slug");
	expect_problem(id_call("PATCH", ct_path(slug, "%s", ""), admin(), NULL,
	                       "{\"roll_key\":\"00\"}"),
	        422, "roll_key");
	/* only platform admins */
	id_user_new(&u, "patch-user", ID_ADULT, 0);
	id_join(&u, slug);
	id_grant(slug, u.id, "admin"); /* even the collectivity's admin */
	expect_problem(id_call("PATCH", ct_path(slug, "%s", ""), u.token, NULL,
	                       "{\"name\":\"Mine\"}"),
	        403, NULL);
	expect_problem(id_call("PATCH", ct_path(slug, "%s", ""), NULL, NULL,
	                       "{\"name\":\"Mine\"}"),
	        401, NULL);
	after = expect_json(http_get(ct_path(slug, "%s", "")), 200);
	check(json_equal(before, after), "a refused PATCH changed the "
	                                 "collectivity");
	json_decref(before);
	json_decref(after);
	/* unknown collectivity */
	expect_problem(
	        id_call("PATCH", "/v1/collectivities/no-such-place-at-all",
	                admin(), NULL, "{\"name\":\"X\"}"),
	        404, NULL);
}

/* ---- verification settings and joining ---- */

static void
test_verification_settings(void **state)
{
	struct id_user adm, mod, outsider;
	char slug[64];
	json_t *j, *v, *log;

	(void)state;
	id_collectivity_new("settings", "commune", NULL, slug);
	id_member_new(&adm, "settings-admin", slug, "admin");
	id_member_new(&mod, "settings-mod", slug, "moderator");
	id_user_new(&outsider, "settings-out", ID_ADULT, 0);

	j = expect_json(
	        id_call("PATCH", ct_path(slug, "/verification"), adm.token, NULL,
	                "{\"methods\":[\"roll\",\"code\",\"roll\"],"
	                "\"minimum_age\":18}"),
	        200);
	v = json_object_get(j, "verification");
	check(json_array_size(json_object_get(v, "methods")) == 2 &&
	                has_string(json_object_get(v, "methods"), "code") &&
	                has_string(json_object_get(v, "methods"), "roll") &&
	                json_integer_value(json_object_get(v, "minimum_age")) ==
	                        18,
	        "settings: wrong verification object");
	json_decref(j);
	j = expect_json(http_get(ct_path(slug, "%s", "")), 200);
	v = json_object_get(j, "verification");
	check(!has_string(json_object_get(v, "methods"), "manual") &&
	                json_integer_value(json_object_get(v, "minimum_age")) ==
	                        18,
	        "settings did not last");
	json_decref(j);
	/* minimum_age alone keeps the methods */
	j = expect_json(id_call("PATCH", ct_path(slug, "/verification"),
	                        adm.token, NULL, "{\"minimum_age\":0}"),
	        200);
	v = json_object_get(j, "verification");
	check(json_array_size(json_object_get(v, "methods")) == 2 &&
	                json_integer_value(json_object_get(v, "minimum_age")) ==
	                        0,
	        "minimum_age alone changed the methods");
	json_decref(j);
	/* bad values */
	expect_problem(id_call("PATCH", ct_path(slug, "/verification"), adm.token,
	                       NULL, "{\"methods\":[\"sms\"]}"),
	        422, "methods");
	expect_problem(id_call("PATCH", ct_path(slug, "/verification"), adm.token,
	                       NULL, "{\"methods\":[]}"),
	        422, "methods");
	expect_problem(id_call("PATCH", ct_path(slug, "/verification"), adm.token,
	                       NULL, "{\"methods\":[\"code\",1]}"),
	        422, "methods");
	expect_problem(id_call("PATCH", ct_path(slug, "/verification"), adm.token,
	                       NULL, "{\"minimum_age\":121}"),
	        422, "minimum_age");
	expect_problem(id_call("PATCH", ct_path(slug, "/verification"), adm.token,
	                       NULL, "{\"minimum_age\":-1}"),
	        422, "minimum_age");
	/* a moderator may not, an outsider does not see it */
	expect_problem(id_call("PATCH", ct_path(slug, "/verification"), mod.token,
	                       NULL, "{\"minimum_age\":99}"),
	        403, NULL);
	expect_problem(id_call("PATCH", ct_path(slug, "/verification"),
	                       outsider.token, NULL, "{\"minimum_age\":99}"),
	        404, NULL);
	expect_problem(id_call("PATCH", ct_path(slug, "/verification"), NULL,
	                       NULL, "{\"minimum_age\":99}"),
	        401, NULL);
	j = expect_json(http_get(ct_path(slug, "%s", "")), 200);
	check(json_integer_value(json_object_get(
	              json_object_get(j, "verification"), "minimum_age")) == 0,
	        "a refused settings change was applied");
	json_decref(j);
	/* audited */
	log = audit_all(slug, adm.token);
	check(strcmp(id_str(json_array_get(log, 0), "action"),
	              "verification.settings") == 0 &&
	                strcmp(id_str(json_array_get(log, 0), "actor_id"),
	                        adm.id) == 0,
	        "settings change not audited");
	json_decref(log);
}

static void
test_join(void **state)
{
	struct id_user u;
	char slug[64];
	json_t *a, *b;

	(void)state;
	id_collectivity_new("join", "commune", NULL, slug);
	id_user_new(&u, "join", ID_ADULT, 0);
	a = expect_json(
	        id_call("POST", ct_path(slug, "/members"), u.token, NULL, NULL),
	        201);
	check(strcmp(id_str(a, "account_id"), u.id) == 0 &&
	                strcmp(id_str(a, "collectivity"), slug) == 0 &&
	                json_is_false(json_object_get(a, "verified")) &&
	                has_string(json_object_get(a, "roles"), "member") &&
	                !has_string(json_object_get(a, "roles"), "resident"),
	        "join: wrong member");
	b = expect_json(
	        id_call("POST", ct_path(slug, "/members"), u.token, NULL, NULL),
	        200);
	check(json_equal(a, b), "joining twice changed the membership");
	json_decref(a);
	json_decref(b);
	expect_problem(
	        id_call("POST", "/v1/collectivities/no-such-place/members",
	                u.token, NULL, NULL),
	        404, NULL);
	expect_problem(
	        id_call("POST", ct_path(slug, "/members"), NULL, NULL, NULL), 401,
	        NULL);
}

/* ---- verification: codes ---- */

static void
test_codes(void **state)
{
	struct id_user adm, r1, r2, unconf;
	struct http_resp *r;
	json_t *codes, *j, *arr;
	char slug[64], typed[32], tok[64];
	const char *cc;
	size_t i, k;

	(void)state;
	id_collectivity_new("codes", "commune", NULL, slug);
	id_member_new(&adm, "codes-admin", slug, "admin");
	id_user_new(&r1, "codes-r1", ID_ADULT, 0);
	id_user_new(&r2, "codes-r2", ID_ADULT, 0);
	id_user_new(&unconf, "codes-unconf", ID_ADULT, ID_UNCONFIRMED);

	r = id_call("POST", ct_path(slug, "/verification-codes"), adm.token, NULL,
	        "{\"count\":4}");
	codes = id_json(r, 201);
	cc = http_resp_header(r, "cache-control");
	check(cc != NULL && http_list_has(cc, "no-store"),
	        "codes: Cache-Control should be no-store");
	http_resp_free(r);
	arr = json_object_get(codes, "codes");
	check(json_array_size(arr) == 4 &&
	                json_integer_value(json_object_get(codes, "count")) ==
	                        4 &&
	                strlen(id_str(codes, "batch_id")) == 36,
	        "codes: wrong body");
	for (i = 0; i < 4; i++) {
		const char *c = code_at(codes, i);

		check(c != NULL && strlen(c) == 19 && c[4] == '-' &&
		                c[9] == '-' && c[14] == '-',
		        "code %zu has not the XXXX-XXXX-XXXX-XXXX shape", i);
		for (k = 0; k < i; k++)
			check(strcmp(c, code_at(codes, k)) != 0,
			        "two codes are the same");
	}
	expect_problem(id_call("POST", ct_path(slug, "/verification-codes"),
	                       adm.token, NULL, "{\"count\":0}"),
	        422, "count");
	expect_problem(id_call("POST", ct_path(slug, "/verification-codes"),
	                       adm.token, NULL, "{\"count\":10001}"),
	        422, "count");

	/* a resident redeems one: verified (and a member, if not yet) */
	j = expect_json(redeem(&r1, slug, code_at(codes, 0)), 200);
	check_verified(j, "code");
	check(strcmp(id_str(j, "account_id"), r1.id) == 0, "wrong member");
	json_decref(j);
	/* already verified: 409, and that code stays unused */
	expect_problem(redeem(&r1, slug, code_at(codes, 1)), 409, NULL);
	/* used code: 422 */
	expect_problem(redeem(&r2, slug, code_at(codes, 0)), 422, "code");
	/* malformed codes: 422 */
	expect_problem(redeem(&r2, slug, "ABCD"), 422, "code");
	expect_problem(redeem(&r2, slug, "ABCD-EFGH-JKMN-PQRU"), 422, "code");
	expect_problem(redeem(&r2, slug, "ABCD-EFGH-JKMN-PQRS-T"), 422, "code");
	expect_problem(redeem(&r2, slug, "0000-0000-0000-0000"), 422, "code");
	/* as typed from a letter: lower case, no hyphens, spaces */
	snprintf(typed, sizeof(typed), "%s", code_at(codes, 1));
	for (i = 0, k = 0; typed[i] != '\0'; i++)
		if (typed[i] != '-')
			typed[k++] = (char)(typed[i] >= 'A' && typed[i] <= 'Z'
			                            ? typed[i] + 32
			                            : typed[i]);
	typed[k] = '\0';
	memmove(typed + 5, typed + 4, strlen(typed + 4) + 1);
	typed[4] = ' ';
	j = expect_json(redeem(&r2, slug, typed), 200);
	check_verified(j, "code");
	json_decref(j);
	/* an unconfirmed address: 403, and the code is not used up */
	expect_problem(redeem(&unconf, slug, code_at(codes, 2)), 403, NULL);
	id_mail_token(unconf.email, "confirm_email", tok);
	r = id_confirm_req(tok, unconf.ip);
	check_status(r, 200);
	http_resp_free(r);
	j = expect_json(redeem(&unconf, slug, code_at(codes, 2)), 200);
	check_verified(j, "code");
	json_decref(j);
	/* a code of this collectivity is not one of another */
	{
		char other[64];
		struct id_user r3;

		id_collectivity_new("codes-other", "commune", NULL, other);
		id_user_new(&r3, "codes-r3", ID_ADULT, 0);
		expect_problem(
		        redeem(&r3, other, code_at(codes, 3)), 422, "code");
		/* a member without the role may not make codes */
		expect_problem(
		        id_call("POST", ct_path(slug, "/verification-codes"),
		                r1.token, NULL, "{\"count\":1}"),
		        403, NULL);
		expect_problem(
		        id_call("POST", ct_path(slug, "/verification-codes"),
		                r3.token, NULL, "{\"count\":1}"),
		        404, NULL);
		/* the method can be switched off */
		id_settings(slug, "{\"methods\":[\"manual\"]}");
		expect_problem(redeem(&r3, slug, code_at(codes, 3)), 403, NULL);
	}
	json_decref(codes);
	/* the members list shows how they were verified */
	j = members(slug, "verified", adm.token);
	check(member_in(j, r1.id) != NULL && member_in(j, r2.id) != NULL &&
	                member_in(j, unconf.id) != NULL &&
	                strcmp(id_str(member_in(j, r1.id), "verified_method"),
	                        "code") == 0,
	        "verified members list is wrong");
	json_decref(j);
}

/* ---- verification: the roll ---- */

static void
test_roll(void **state)
{
	struct id_user adm, r1, r2, r3;
	struct http_resp *r;
	json_t *j;
	char slug[64], key[80], young[16], body[1024];
	char e1[65], e2[65], e3[65], e4[65];
	const char *cc;

	(void)state;
	id_collectivity_new("roll", "commune", NULL, slug);
	id_settings(slug, "{\"methods\":[\"code\",\"roll\",\"manual\"],"
	                  "\"minimum_age\":16}");
	id_member_new(&adm, "roll-admin", slug, "admin");
	id_user_new(&r1, "roll-r1", ID_ADULT, 0);
	id_user_new(&r2, "roll-r2", ID_ADULT, 0);
	id_user_new(&r3, "roll-r3", ID_ADULT, 0);
	id_join(&r1, slug);

	r = id_call("GET", ct_path(slug, "/roll/key"), adm.token, NULL, NULL);
	j = id_json(r, 200);
	cc = http_resp_header(r, "cache-control");
	check(cc != NULL && http_list_has(cc, "no-store"),
	        "roll key: Cache-Control should be no-store");
	check(strlen(id_str(j, "key")) == 64 &&
	                strlen(id_str(j, "algorithm")) > 0,
	        "roll key: %s", r->body);
	snprintf(key, sizeof(key), "%s", id_str(j, "key"));
	json_decref(j);
	http_resp_free(r);
	/* the key is the admins' */
	expect_problem(
	        id_call("GET", ct_path(slug, "/roll/key"), r1.token, NULL, NULL),
	        403, NULL);
	expect_problem(
	        id_call("GET", ct_path(slug, "/roll/key"), r2.token, NULL, NULL),
	        404, NULL);

	ct_years_ago(10, young);
	roll_entry(key, "  Le Floc\xe2\x80\x99h ", "\xc3\x89l\xc3\xa9onore",
	        "1985-06-15", "29200", e1);
	roll_entry(key, "Martin", "Paul", "1990-01-01", "29200", e2);
	roll_entry(key, "Petit",
	        "L\xc3\xa9"
	        "a",
	        young, "29200", e3);
	roll_entry(key, "Durand", "Zo\xc3\xa9", "1975-03-03", "29200", e4);
	snprintf(body, sizeof(body), "{\"entries\":[\"%s\",\"%s\",\"%s\"]}", e1,
	        e2, e3);
	j = expect_json(
	        id_call("POST", ct_path(slug, "/roll"), adm.token, NULL, body),
	        200);
	check(json_integer_value(json_object_get(j, "added")) == 3 &&
	                json_integer_value(json_object_get(j, "total")) == 3 &&
	                json_integer_value(json_object_get(j, "used")) == 0,
	        "roll upload: wrong counts");
	json_decref(j);
	/* the same entries again add nothing */
	j = expect_json(
	        id_call("POST", ct_path(slug, "/roll"), adm.token, NULL, body),
	        200);
	check(json_integer_value(json_object_get(j, "added")) == 0 &&
	                json_integer_value(json_object_get(j, "total")) == 3,
	        "roll upload twice: wrong counts");
	json_decref(j);
	expect_problem(id_call("POST", ct_path(slug, "/roll"), adm.token, NULL,
	                       "{\"entries\":[\"not-a-hash\"]}"),
	        422, "entries");
	expect_problem(id_call("POST", ct_path(slug, "/roll"), adm.token, NULL,
	                       "{\"entries\":[1]}"),
	        422, "entries");
	expect_problem(id_call("POST", ct_path(slug, "/roll"), adm.token, NULL,
	                       "{\"entries\":[]}"),
	        422, "entries");
	expect_problem(
	        id_call("POST", ct_path(slug, "/roll"), r1.token, NULL, body),
	        403, NULL);

	/* a resident types their identity differently: it matches */
	j = expect_json(roll_match(&r1, slug, "LE FLOC'H", "eleonore",
	                        "1985-06-15", "29200"),
	        200);
	check_verified(j, "roll");
	json_decref(j);
	/* someone else with the same identifiers: the entry is used */
	expect_problem(roll_match(&r2, slug, "Le Floc'h", "Eleonore",
	                       "1985-06-15", "29200"),
	        422, NULL);
	/* identifiers that match nothing */
	expect_problem(roll_match(&r2, slug, "Martin", "Pierre", "1990-01-01",
	                       "29200"),
	        422, NULL);
	expect_problem(
	        roll_match(&r2, slug, "Martin", "Paul", "1990-01-02", "29200"),
	        422, NULL);
	/* bad identifiers, each named */
	expect_problem(
	        roll_match(&r2, slug, "Martin", "Paul", "1990-02-30", "29200"),
	        422, "birth_date");
	expect_problem(
	        roll_match(&r2, slug, "Martin", "Paul", "01/01/1990", "29200"),
	        422, "birth_date");
	expect_problem(
	        roll_match(&r2, slug, "Martin", "Paul", "1990-01-01", "2920"),
	        422, "postcode");
	expect_problem(
	        roll_match(&r2, slug, "Martin", "Paul", "1990-01-01", "2920A"),
	        422, "postcode");
	expect_problem(
	        roll_match(&r2, slug, "R2D2", "Paul", "1990-01-01", "29200"),
	        422, "family_name");
	/* the right ones */
	j = expect_json(
	        roll_match(&r2, slug, "martin", "paul", "1990-01-01", "29200"),
	        200);
	check_verified(j, "roll");
	json_decref(j);
	expect_problem(
	        roll_match(&r2, slug, "martin", "paul", "1990-01-01", "29200"),
	        409, NULL);
	/* the roll's birth date is the one that counts for the minimum age */
	expect_problem(roll_match(&r3, slug, "Petit", "Lea", young, "29200"),
	        403, NULL);
	id_settings(slug, "{\"minimum_age\":0}");
	j = expect_json(
	        roll_match(&r3, slug, "Petit", "Lea", young, "29200"), 200);
	check_verified(j, "roll"); /* the 403 did not use the entry up */
	json_decref(j);
	/* replace: unused entries go, used ones stay */
	snprintf(body, sizeof(body), "{\"entries\":[\"%s\"],\"replace\":true}",
	        e4);
	j = expect_json(
	        id_call("POST", ct_path(slug, "/roll"), adm.token, NULL, body),
	        200);
	check(json_integer_value(json_object_get(j, "added")) == 1 &&
	                json_integer_value(json_object_get(j, "removed")) ==
	                        0 &&
	                json_integer_value(json_object_get(j, "total")) == 4 &&
	                json_integer_value(json_object_get(j, "used")) == 3,
	        "roll replace: wrong counts");
	json_decref(j);
	/* the method can be off */
	{
		char other[64];

		id_collectivity_new("roll-off", "commune", NULL, other);
		expect_problem(roll_match(&r2, other, "Durand", "Zoe",
		                       "1975-03-03", "29200"),
		        403, NULL);
	}
}

static void
test_roll_rate_limit(void **state)
{
	enum { N = 10 }; /* api.verify_roll: 10 attempts per account per hour */
	struct id_user u;
	char slug[64], key[80], entry[65], body[256];
	json_t *j;
	int i, attempt;

	(void)state;
	id_collectivity_new("roll-rate", "commune", NULL, slug);
	id_settings(slug, "{\"methods\":[\"roll\"],\"minimum_age\":0}");
	j = expect_json(
	        id_call("GET", ct_path(slug, "/roll/key"), admin(), NULL, NULL),
	        200);
	snprintf(key, sizeof(key), "%s", id_str(j, "key"));
	json_decref(j);
	roll_entry(key, "Garnier", "Louise", "1961-07-08", "35000", entry);
	snprintf(body, sizeof(body), "{\"entries\":[\"%s\"]}", entry);
	json_decref(expect_json(
	        id_call("POST", ct_path(slug, "/roll"), admin(), NULL, body),
	        200));
	for (attempt = 1;; attempt++) {
		long long w0 = id_window(3600);
		struct http_resp *r;

		id_user_new(&u, "roll-rate", ID_ADULT, 0);
		/* guessing a birth date: each miss counts */
		for (i = 0; i < N; i++) {
			char birth[16];

			snprintf(birth, sizeof(birth), "1961-07-%02d", 10 + i);
			expect_problem(roll_match(&u, slug, "Garnier", "Louise",
			                       birth, "35000"),
			        422, NULL);
		}
		/* the eleventh, right this time: refused all the same */
		r = roll_match(
		        &u, slug, "Garnier", "Louise", "1961-07-08", "35000");
		if (r != NULL && r->status != 429 && id_window(3600) != w0 &&
		        attempt == 1) {
			printf("  (a rate-limit window ended during the burst: "
			       "once more)\n");
			http_resp_free(r);
			continue;
		}
		if (r == NULL || r->status != 429)
			fprintf(stderr,
			        "  roll attempt %d after %d misses should "
			        "be refused\n",
			        N + 1, N);
		json_decref(check_problem(r, 429, "too-many-requests"));
		id_check_retry_after(r, 3600);
		http_resp_free(r);
		break;
	}
}

/* ---- verification: minimum age ---- */

static void
test_minimum_age(void **state)
{
	struct id_user young, nobirth;
	char slug[64], birth[16];
	json_t *codes, *j;

	(void)state;
	id_collectivity_new("age", "commune", NULL, slug);
	id_settings(slug, "{\"methods\":[\"code\",\"manual\"],"
	                  "\"minimum_age\":16}");
	ct_years_ago(10, birth);
	id_user_new(&young, "age-young", birth, 0);
	id_user_new(&nobirth, "age-nobirth", NULL, 0);
	codes = make_codes(slug, admin(), 2);

	expect_problem(redeem(&young, slug, code_at(codes, 0)), 403, NULL);
	expect_problem(
	        redeem(&nobirth, slug, code_at(codes, 1)), 422, "birth_date");
	/* with a birth date the same code works: it was not used up */
	json_decref(expect_json(id_call("PATCH", "/v1/me", nobirth.token, NULL,
	                                "{\"birth_date\":\"1999-09-09\"}"),
	        200));
	j = expect_json(redeem(&nobirth, slug, code_at(codes, 1)), 200);
	check_verified(j, "code");
	json_decref(j);
	/* a moderator cannot approve someone too young either */
	json_decref(
	        expect_json(id_call("POST", ct_path(slug, "/verification/manual"),
	                            young.token, NULL, "{}"),
	                200));
	{
		char rest[128];

		snprintf(rest, sizeof(rest), "/members/%s/verify", young.id);
		expect_problem(
		        id_call("POST", ct_path(slug, "%s", rest), admin(), NULL, "{}"),
		        403, NULL);
	}
	/* with no minimum age, they may */
	id_settings(slug, "{\"minimum_age\":0}");
	j = expect_json(redeem(&young, slug, code_at(codes, 0)), 200);
	check_verified(j, "code");
	json_decref(j);
	json_decref(codes);
}

/* ---- verification: manual ---- */

static void
test_manual(void **state)
{
	struct id_user mod, res, other;
	char slug[64], rest[160];
	json_t *j, *list;

	(void)state;
	id_collectivity_new("manual", "commune", NULL, slug);
	id_member_new(&mod, "manual-mod", slug, "moderator");
	id_user_new(&res, "manual-res", ID_ADULT, 0);
	id_member_new(&other, "manual-other", slug, "member");

	j = expect_json(
	        id_call("POST", ct_path(slug, "/verification/manual"), res.token,
	                NULL, "{\"note\":\"3 rue des Lilas, depuis 2010\"}"),
	        200);
	check(json_is_false(json_object_get(j, "verified")) &&
	                strlen(id_str(j, "manual_requested_at")) > 0 &&
	                strcmp(id_str(j, "manual_note"),
	                        "3 rue des Lilas, depuis 2010") == 0,
	        "manual request: manual_requested_at not set");
	json_decref(j);
	/* moderators see it pending */
	list = members(slug, "pending", mod.token);
	check(member_in(list, res.id) != NULL &&
	                member_in(list, other.id) == NULL,
	        "pending list is wrong");
	json_decref(list);
	list = members(slug, "unverified", mod.token);
	check(member_in(list, res.id) != NULL &&
	                member_in(list, other.id) != NULL,
	        "unverified list is wrong");
	json_decref(list);
	expect_problem(id_call("GET", ct_path(slug, "/members?status=bogus"),
	                       mod.token, NULL, NULL),
	        422, "status");
	/* a member may neither list nor verify */
	expect_problem(id_call("GET", ct_path(slug, "/members"), other.token,
	                       NULL, NULL),
	        403, NULL);
	snprintf(rest, sizeof(rest), "/members/%s/verify", res.id);
	expect_problem(id_call("POST", ct_path(slug, "%s", rest), other.token, NULL,
	                       "{\"reason\":\"friend\"}"),
	        403, NULL);
	/* nor may the person themselves */
	expect_problem(id_call("POST", ct_path(slug, "%s", rest), res.token, NULL,
	                       "{\"reason\":\"me\"}"),
	        403, NULL);
	/* the moderator does */
	j = expect_json(id_call("POST", ct_path(slug, "%s", rest), mod.token, NULL,
	                        "{\"reason\":\"proof of address seen\"}"),
	        200);
	check_verified(j, "manual");
	check(strcmp(id_str(j, "account_id"), res.id) == 0, "verified whom?");
	json_decref(j);
	expect_problem(
	        id_call("POST", ct_path(slug, "%s", rest), mod.token, NULL, "{}"), 409,
	        NULL);
	expect_problem(id_call("POST", ct_path(slug, "/verification/manual"),
	                       res.token, NULL, "{}"),
	        409, NULL);
	list = members(slug, "pending", mod.token);
	check(member_in(list, res.id) == NULL, "verified but still pending");
	json_decref(list);
	list = members(slug, "verified", mod.token);
	check(member_in(list, res.id) != NULL, "not in the verified list");
	json_decref(list);
	/* unknown members */
	expect_problem(id_call("POST",
	                       ct_path(slug, "%s", "/members/00000000-0000-4000-8000-"
	                                   "000000000000/verify"),
	                       mod.token, NULL, "{}"),
	        404, NULL);
	expect_problem(id_call("POST", ct_path(slug, "/members/not-an-id/verify"),
	                       mod.token, NULL, "{}"),
	        404, NULL);
	/* a note is at most 500 characters */
	{
		char body[700];

		snprintf(body, sizeof(body), "{\"note\":\"%0501d\"}", 0);
		expect_problem(
		        id_call("POST", ct_path(slug, "/verification/manual"),
		                other.token, NULL, body),
		        422, "note");
	}
}

/* ---- the members list ---- */

static void
test_members_paging(void **state)
{
	struct id_user u[3];
	char slug[64], next[1024];
	struct http_resp *r;
	json_t *all, *paged, *page;
	size_t i;

	(void)state;
	id_collectivity_new("paging", "commune", NULL, slug);
	for (i = 0; i < 3; i++)
		id_member_new(
		        &u[i], "paging", slug, i == 0 ? "resident" : "member");
	all = members(slug, "all", admin());
	check(json_array_size(all) == 3, "3 members expected, got %zu",
	        json_array_size(all));
	for (i = 0; i < 3; i++)
		check(strcmp(id_str(json_array_get(all, i), "account_id"),
		              u[i].id) == 0,
		        "members are not in join order");
	/* limit=1: a Link rel="next" that works */
	r = id_call(
	        "GET", ct_path(slug, "/members?limit=1"), admin(), NULL, NULL);
	page = id_json(r, 200);
	check(json_array_size(page) == 1 && id_link_next(r, next, sizeof(next)),
	        "limit=1: one item and a Link rel=\"next\" expected");
	check(strncmp(next, ct_path(slug, "/members?"),
	              strlen(ct_path(slug, "/members?"))) == 0,
	        "Link points elsewhere: %s", next);
	json_decref(page);
	http_resp_free(r);
	r = id_call("GET", next, admin(), NULL, NULL);
	page = id_json(r, 200);
	check(json_array_size(page) == 1 &&
	                strcmp(id_str(json_array_get(page, 0), "account_id"),
	                        u[1].id) == 0,
	        "the next page is not the second member: %s", r->body);
	json_decref(page);
	http_resp_free(r);
	paged = id_list_all(ct_path(slug, "/members?limit=1"), admin(), 1);
	check(json_equal(paged, all), "paging with limit=1 gives another list");
	json_decref(paged);
	paged = id_list_all(
	        ct_path(slug, "/members?limit=2&status=all"), admin(), 2);
	check(json_equal(paged, all), "paging with limit=2 gives another list");
	json_decref(paged);
	/* the filter is kept across pages */
	paged = id_list_all(
	        ct_path(slug, "/members?status=unverified&limit=1"), admin(), 1);
	check(json_array_size(paged) == 2 && member_in(paged, u[0].id) == NULL,
	        "status=unverified paged: wrong");
	json_decref(paged);
	json_decref(all);
	expect_problem(id_call("GET", ct_path(slug, "/members?limit=0"), admin(),
	                       NULL, NULL),
	        422, "limit");
	expect_problem(id_call("GET", ct_path(slug, "/members?after=garbage"),
	                       admin(), NULL, NULL),
	        422, "after");
}

/* ---- roles ---- */

static struct http_resp *
role_grant(const char *slug, const char *token, const char *aid,
        const char *role, const char *reason)
{
	json_t *b = json_pack("{s:s, s:s}", "account_id", aid, "role", role);
	char *s;
	struct http_resp *r;

	if (reason != NULL)
		json_object_set_new(b, "reason", json_string(reason));
	s = json_dumps(b, JSON_COMPACT);
	r = id_call("POST", ct_path(slug, "/roles"), token, NULL, s);
	free(s);
	json_decref(b);
	return r;
}

static struct http_resp *
role_revoke(const char *slug, const char *token, const char *aid,
        const char *role, const char *reason_query)
{
	char rest[2300];

	snprintf(rest, sizeof(rest), "/roles/%s/%s%s%s", aid, role,
	        reason_query != NULL ? "?reason=" : "",
	        reason_query != NULL ? reason_query : "");
	return id_call("DELETE", ct_path(slug, "%s", rest), token, NULL, NULL);
}

/* Whether the role list has (aid, role). */
static int
has_role(json_t *list, const char *aid, const char *role)
{
	size_t i;
	json_t *g;

	json_array_foreach(list, i, g)
	{
		if (strcmp(id_str(g, "account_id"), aid) == 0 &&
		        strcmp(id_str(g, "role"), role) == 0)
			return 1;
	}
	return 0;
}

static json_t *
roles(const char *slug, const char *token)
{
	return expect_json(
	        id_call("GET", ct_path(slug, "/roles"), token, NULL, NULL), 200);
}

static void
test_roles(void **state)
{
	struct id_user a, m, res;
	struct http_resp *r;
	json_t *j, *list;
	char slug[64], longq[1100];

	(void)state;
	id_collectivity_new("roles", "commune", NULL, slug);
	id_member_new(&a, "roles-admin", slug, "admin");
	id_member_new(&m, "roles-mod", slug, "member");
	id_member_new(&res, "roles-res", slug, "resident");

	/* grant: 201, then the same again 200 */
	r = role_grant(slug, a.token, m.id, "moderator", "helps");
	j = id_json(r, 201);
	check(strcmp(id_str(j, "account_id"), m.id) == 0 &&
	                strcmp(id_str(j, "role"), "moderator") == 0 &&
	                strcmp(id_str(j, "granted_by"), a.id) == 0,
	        "grant: %s", r->body);
	json_decref(j);
	http_resp_free(r);
	json_decref(expect_json(
	        role_grant(slug, a.token, m.id, "moderator", NULL), 200));
	list = roles(slug, a.token);
	check(has_role(list, m.id, "moderator") &&
	                has_role(list, a.id, "admin") &&
	                json_array_size(list) == 2,
	        "role list is wrong");
	json_decref(list);
	/* bad grants */
	expect_problem(
	        role_grant(slug, a.token, m.id, "owner", NULL), 422, "role");
	expect_problem(role_grant(slug, a.token,
	                       "00000000-0000-4000-8000-000000000000",
	                       "moderator", NULL),
	        404, NULL);
	/* escalation: a resident, a moderator */
	expect_problem(
	        role_grant(slug, res.token, res.id, "admin", NULL), 403, NULL);
	expect_problem(role_grant(slug, res.token, res.id, "moderator", NULL),
	        403, NULL);
	expect_problem(
	        role_grant(slug, m.token, m.id, "admin", NULL), 403, NULL);
	expect_problem(role_grant(slug, m.token, res.id, "moderator", NULL),
	        403, NULL);
	expect_problem(
	        id_call("GET", ct_path(slug, "/roles"), m.token, NULL, NULL), 403,
	        NULL);
	expect_problem(
	        role_revoke(slug, m.token, a.id, "admin", NULL), 403, NULL);
	expect_problem(role_revoke(slug, res.token, m.id, "moderator", NULL),
	        403, NULL);
	list = roles(slug, a.token);
	check(json_array_size(list) == 2 && !has_role(list, res.id, "admin") &&
	                !has_role(list, m.id, "admin"),
	        "a refused grant or revoke changed the roles");
	json_decref(list);
	/* revoke: 204, then 404 */
	r = role_revoke(slug, a.token, m.id, "moderator", "term%20ended");
	check_status(r, 204);
	http_resp_free(r);
	expect_problem(
	        role_revoke(slug, a.token, m.id, "moderator", NULL), 404, NULL);
	expect_problem(
	        role_revoke(slug, a.token, res.id, "admin", NULL), 404, NULL);
	expect_problem(
	        role_revoke(slug, a.token, res.id, "owner", NULL), 404, NULL);
	memset(longq, 'x', 1001);
	longq[1001] = '\0';
	json_decref(expect_json(
	        role_grant(slug, a.token, m.id, "moderator", NULL), 201));
	expect_problem(role_revoke(slug, a.token, m.id, "moderator", longq),
	        422, "reason");
	/* the last admin stays */
	expect_problem(
	        role_revoke(slug, a.token, a.id, "admin", NULL), 409, NULL);
	expect_problem(
	        role_revoke(slug, admin(), a.id, "admin", NULL), 409, NULL);
	list = roles(slug, a.token);
	check(has_role(list, a.id, "admin"), "the last admin was revoked");
	json_decref(list);
	/* with a second admin, the first may step down */
	json_decref(expect_json(
	        role_grant(slug, a.token, m.id, "admin", NULL), 201));
	r = role_revoke(slug, a.token, a.id, "admin", "stepping%20down");
	check_status(r, 204);
	http_resp_free(r);
	expect_problem(
	        id_call("GET", ct_path(slug, "/roles"), a.token, NULL, NULL), 403,
	        NULL);
	list = roles(slug, m.token);
	check(has_role(list, m.id, "admin") && !has_role(list, a.id, "admin"),
	        "after stepping down: wrong roles");
	json_decref(list);
	/* roles go to members only: a stranger is "not found" */
	{
		struct id_user s;

		id_user_new(&s, "roles-stranger", ID_ADULT, 0);
		expect_problem(
		        role_grant(slug, m.token, s.id, "moderator", NULL), 404,
		        NULL);
		expect_problem(role_grant(slug, s.token, s.id, "admin", NULL),
		        404, NULL);
	}
}

/* ---- the audit log ---- */

static json_t *
find_action(json_t *log, const char *action, const char *object_id)
{
	size_t i;
	json_t *e;

	json_array_foreach(log, i, e)
	{
		if (strcmp(id_str(e, "action"), action) == 0 &&
		        strcmp(id_str(e, "object_id"), object_id) == 0)
			return e;
	}
	return NULL;
}

static void
test_audit(void **state)
{
	static const char *methods[] = {"DELETE", "PUT", "POST", "PATCH"};
	struct id_user a, m, res, out;
	struct http_resp *r;
	json_t *log, *e, *paged;
	char slug[64], rest[160];
	size_t i;

	(void)state;
	id_collectivity_new("audit", "commune", NULL, slug);
	id_member_new(&a, "audit-admin", slug, "admin");
	id_member_new(&m, "audit-mod", slug, "member");
	id_member_new(&res, "audit-res", slug, "member");
	id_user_new(&out, "audit-out", ID_ADULT, 0);

	json_decref(expect_json(role_grant(slug, a.token, m.id, "moderator",
	                                "needs to moderate"),
	        201));
	snprintf(rest, sizeof(rest), "/members/%s/verify", res.id);
	json_decref(
	        expect_json(id_call("POST", ct_path(slug, "%s", rest), m.token, NULL,
	                            "{\"reason\":\"known neighbour\"}"),
	                200));
	r = role_revoke(slug, a.token, m.id, "moderator", "term%20ended");
	check_status(r, 204);
	http_resp_free(r);

	log = audit_all(slug, a.token);
	/* newest first */
	for (i = 1; i < json_array_size(log); i++)
		check(json_integer_value(json_object_get(
		              json_array_get(log, i - 1), "seq")) >
		                json_integer_value(json_object_get(
		                        json_array_get(log, i), "seq")),
		        "the audit log is not newest first");
	check(json_array_size(log) >= 5, "%zu audit entries, want at least 5",
	        json_array_size(log));
	check(strcmp(id_str(json_array_get(log, 0), "action"), "role.revoke") ==
	                        0 &&
	                strcmp(id_str(json_array_get(log, 1), "action"),
	                        "member.verify") == 0 &&
	                strcmp(id_str(json_array_get(log, 2), "action"),
	                        "role.grant") == 0,
	        "the newest entries should be revoke, verify, grant");
	e = find_action(log, "role.grant", m.id);
	check(e != NULL && strcmp(id_str(e, "actor_id"), a.id) == 0 &&
	                strcmp(id_str(e, "object_type"), "account") == 0 &&
	                strcmp(id_str(e, "reason"), "needs to moderate") == 0 &&
	                strcmp(id_str(json_object_get(e, "details"), "role"),
	                        "moderator") == 0 &&
	                strlen(id_str(e, "at")) > 0,
	        "role.grant entry is wrong");
	e = find_action(log, "member.verify", res.id);
	check(e != NULL && strcmp(id_str(e, "actor_id"), m.id) == 0 &&
	                strcmp(id_str(e, "reason"), "known neighbour") == 0 &&
	                strcmp(id_str(json_object_get(e, "details"), "method"),
	                        "manual") == 0,
	        "member.verify entry is wrong");
	e = find_action(log, "role.revoke", m.id);
	check(e != NULL && strcmp(id_str(e, "actor_id"), a.id) == 0 &&
	                strcmp(id_str(e, "reason"), "term ended") == 0,
	        "role.revoke entry is wrong");
	e = find_action(log, "role.grant", a.id); /* the setup's grant */
	check(e != NULL && strcmp(id_str(e, "reason"), "test setup") == 0,
	        "the platform admin's grant is not audited");
	e = find_action(log, "collectivity.create", slug);
	check(e != NULL, "the collectivity's creation is not audited");
	/* paging */
	paged = id_list_all(ct_path(slug, "/audit?limit=1"), a.token, 1);
	check(json_equal(paged, log),
	        "paging the audit log with limit=1 differs");
	json_decref(paged);
	paged = id_list_all(ct_path(slug, "/audit?limit=2"), a.token, 2);
	check(json_equal(paged, log),
	        "paging the audit log with limit=2 differs");
	json_decref(paged);
	expect_problem(id_call("GET", ct_path(slug, "/audit?after=x1"), a.token,
	                       NULL, NULL),
	        422, "after");
	/* only admins read it; outsiders do not see it */
	expect_problem(
	        id_call("GET", ct_path(slug, "/audit"), m.token, NULL, NULL), 403,
	        NULL);
	expect_problem(
	        id_call("GET", ct_path(slug, "/audit"), out.token, NULL, NULL),
	        404, NULL);
	expect_problem(id_call("GET", ct_path(slug, "/audit"), NULL, NULL, NULL),
	        401, NULL);
	/* nobody can change it: no such route */
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		json_t *p;
		const char *allow;

		r = id_call(
		        methods[i], ct_path(slug, "/audit"), admin(), NULL, "{}");
		p = check_problem(r, 405, "method-not-allowed");
		allow = http_resp_header(r, "allow");
		check(allow != NULL && http_list_has(allow, "GET") &&
		                !http_list_has(allow, methods[i]),
		        "%s /audit: Allow %s", methods[i],
		        allow != NULL ? allow : "(none)");
		json_decref(p);
		http_resp_free(r);
	}
	expect_problem(
	        id_call("DELETE", ct_path(slug, "/audit/1"), admin(), NULL, NULL),
	        404, NULL);
	paged = audit_all(slug, a.token);
	check(json_equal(paged, log), "the audit log changed");
	json_decref(paged);
	json_decref(log);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_collectivity_fields),
	        cmocka_unit_test(test_collectivity_patch),
	        cmocka_unit_test(test_verification_settings),
	        cmocka_unit_test(test_join),
	        cmocka_unit_test(test_codes),
	        cmocka_unit_test(test_roll),
	        cmocka_unit_test(test_roll_rate_limit),
	        cmocka_unit_test(test_minimum_age),
	        cmocka_unit_test(test_manual),
	        cmocka_unit_test(test_members_paging),
	        cmocka_unit_test(test_roles),
	        cmocka_unit_test(test_audit),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
