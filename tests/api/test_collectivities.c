/*
 * test_collectivities.c - /v1/collectivities: list and pagination, read,
 * create (201, 401, 409, 415, 400, 413, 422), and "bad input leaves no
 * trace": after every rejected create the slug is still unknown.
 *
 * Other tests may add collectivities, so listings are checked for
 * relative properties (order, uniqueness, the demo's five slugs) and
 * counts are compared before and after, within one test.
 */
#include <regex.h>
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

#include "client.h"

static const char *demo_slugs[] = {"bourg-en-lys", "departement-demo",
        "les-essarts-du-lys", "saint-amand-sur-lys", "val-de-lys"};

static regex_t slug_re, time_re;

static int
group_setup(void **state)
{
	(void)state;
	if (regcomp(&slug_re, "^[a-z0-9]+(-[a-z0-9]+)*$",
	            REG_EXTENDED | REG_NOSUB) != 0 ||
	        regcomp(&time_re,
	                "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
	                "(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$",
	                REG_EXTENDED | REG_NOSUB) != 0)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	regfree(&slug_re);
	regfree(&time_re);
	return 0;
}

/* Characters (not bytes) in a UTF-8 string. */
static size_t
utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* o is a Collectivity: slug, name, kind, created_at, valid, and no
 * member but those (the identity fields are checked in test_members). */
static void
check_collectivity(json_t *o)
{
	static const char *kinds[] = {
	        "commune", "epci", "departement", "region", "other"};
	static const char *members[] = {"slug", "name", "kind", "created_at",
	        "insee_code", "cog_year", "siren", "population",
	        "density_class", "has_qpv", "joined_on", "epci", "departement",
	        "verification", "updated_at"};
	const char *slug, *name, *kind, *created, *key;
	char *dump = json_dumps(o, JSON_COMPACT);
	size_t i;
	int kind_ok = 0;
	json_t *v;

	check(json_is_object(o), "a collectivity is an object: %s", dump);
	json_object_foreach(o, key, v)
	{
		int known = 0;

		for (i = 0; i < sizeof(members) / sizeof(members[0]); i++)
			known |= strcmp(key, members[i]) == 0;
		check(known, "a collectivity has an unknown member \"%s\": %s",
		        key, dump);
	}
	slug = json_string_value(json_object_get(o, "slug"));
	name = json_string_value(json_object_get(o, "name"));
	kind = json_string_value(json_object_get(o, "kind"));
	created = json_string_value(json_object_get(o, "created_at"));
	check(slug != NULL && strlen(slug) >= 2 && strlen(slug) <= 63 &&
	                regexec(&slug_re, slug, 0, NULL, 0) == 0,
	        "bad slug in %s", dump);
	check(name != NULL && utf8_len(name) >= 1 && utf8_len(name) <= 200,
	        "bad name in %s", dump);
	for (i = 0; kind != NULL && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		kind_ok |= strcmp(kind, kinds[i]) == 0;
	check(kind_ok, "bad kind in %s", dump);
	check(created != NULL && regexec(&time_re, created, 0, NULL, 0) == 0,
	        "created_at is not an RFC 3339 date-time in %s", dump);
	free(dump);
}

/* The response is 200 application/json with a JSON body; returns it. */
static json_t *
json_ok(struct http_resp *r, int status)
{
	const char *ct;
	json_t *j;

	check_status(r, status);
	check_common_headers(r, 0);
	ct = http_resp_header(r, "content-type");
	check(ct != NULL && strncasecmp(ct, "application/json", 16) == 0,
	        "Content-Type %s, want application/json",
	        ct != NULL ? ct : "(none)");
	j = http_resp_json(r);
	check(j != NULL, "body is not JSON: %s", r->body);
	return j;
}

/* Every page of the list with this page size, following Link; checks
 * each page. Returns all items in order. */
static json_t *
list_all(int limit)
{
	json_t *all = json_array();
	char path[1024];
	int pages = 0;

	snprintf(path, sizeof(path), "/v1/collectivities?limit=%d", limit);
	for (;;) {
		struct http_resp *r = http_get(path);
		json_t *page = json_ok(r, 200), *it;
		const char *link = http_resp_header(r, "link");
		size_t i;

		check(json_is_array(page), "%s: not an array", path);
		check(json_array_size(page) <= (size_t)limit,
		        "%s: %zu items for limit %d", path,
		        json_array_size(page), limit);
		check(http_resp_header_count(r, "link") <= 1,
		        "%s: several Link headers", path);
		json_array_foreach(page, i, it)
		{
			check_collectivity(it);
			json_array_append(all, it);
		}
		pages++;
		check(pages < 1000, "more than 1000 pages: Link loops?");
		if (link == NULL) {
			check(json_array_size(page) > 0 || pages == 1,
			        "%s: the previous page's Link led to an empty "
			        "page",
			        path);
			json_decref(page);
			http_resp_free(r);
			return all;
		}
		{
			char prefix[64], want_tail[] = ">; rel=\"next\"";
			size_t ll = strlen(link), pl;

			check(json_array_size(page) == (size_t)limit,
			        "%s: Link on a page of %zu items (limit %d)",
			        path, json_array_size(page), limit);
			pl = (size_t)snprintf(prefix, sizeof(prefix),
			        "</v1/collectivities?limit=%d&after=", limit);
			check(ll > pl + strlen(want_tail) &&
			                strncmp(link, prefix, pl) == 0 &&
			                strcmp(link + ll - strlen(want_tail),
			                        want_tail) == 0,
			        "Link \"%s\" should be <%.*s...>; rel=\"next\"",
			        link, (int)pl - 1, prefix + 1);
			snprintf(path, sizeof(path), "%.*s",
			        (int)(ll - strlen(want_tail) - 1), link + 1);
		}
		json_decref(page);
		http_resp_free(r);
	}
}

/* Slugs of all items, checked sorted and unique. */
static void
check_sorted_unique(json_t *items)
{
	size_t i;

	for (i = 1; i < json_array_size(items); i++) {
		const char *a = json_string_value(
		        json_object_get(json_array_get(items, i - 1), "slug"));
		const char *b = json_string_value(
		        json_object_get(json_array_get(items, i), "slug"));

		check(strcmp(a, b) < 0,
		        "list not in strict slug order: %s "
		        "then %s",
		        a, b);
	}
}

static int
has_slug(json_t *items, const char *slug)
{
	size_t i;
	json_t *it;

	json_array_foreach(items, i, it)
	{
		if (strcmp(json_string_value(json_object_get(it, "slug")),
		            slug) == 0)
			return 1;
	}
	return 0;
}

static size_t
count_all(void)
{
	json_t *all = list_all(100);
	size_t n = json_array_size(all);

	json_decref(all);
	return n;
}

/* GET /v1/collectivities/<slug> is a 404 problem: nothing was created. */
#define check_absent(slug) check_absent_((slug), __FILE__, __LINE__)
static void
check_absent_(const char *slug, const char *file, int line)
{
	char enc[512], path[600];
	struct http_resp *r;

	http_pct_encode(slug, enc, sizeof(enc));
	snprintf(path, sizeof(path), "/v1/collectivities/%s", enc);
	r = http_get(path);
	/* an encoded "/" in a path segment may be refused as such */
	if (r != NULL && r->status == 400 && strchr(slug, '/') != NULL) {
		json_decref(check_problem_(r, 400, "bad-request", file, line));
		http_resp_free(r);
		return;
	}
	if (r == NULL || r->status != 404)
		fprintf(stderr, "  a rejected create left a trace: GET %s\n",
		        path);
	json_decref(check_problem_(r, 404, "not-found", file, line));
	http_resp_free(r);
}

/* POST /v1/collectivities with raw extra headers and body. */
static struct http_resp *
post_raw(const char *extra, const char *body, size_t len)
{
	return http_request("POST", "/v1/collectivities", extra, body, len);
}

/* Headers: JSON and the admin's token. */
static const char *
admin_json(void)
{
	static char h[256];

	snprintf(h, sizeof(h),
	        "Content-Type: application/json\r\n"
	        "Authorization: Bearer %s\r\n",
	        http_admin_token());
	return h;
}

static int
valid_body(char *out, size_t n, const char *slug)
{
	return snprintf(out, n,
	        "{\"slug\":\"%s\",\"name\":\"Test %s\",\"kind\":\"commune\"}",
	        slug, slug);
}

/* ---- list ---- */

static void
test_list_default(void **state)
{
	struct http_resp *r;
	json_t *page, *it;
	size_t i;

	(void)state;
	r = http_get("/v1/collectivities");
	page = json_ok(r, 200);
	check(json_is_array(page), "not an array: %s", r->body);
	check(json_array_size(page) >= 5 && json_array_size(page) <= 20,
	        "default page has %zu items (5 demo, at most 20)",
	        json_array_size(page));
	json_array_foreach(page, i, it) check_collectivity(it);
	check_sorted_unique(page);
	check((json_array_size(page) == 20) ==
	                (http_resp_header(r, "link") != NULL),
	        "Link present with %zu items (default limit 20)",
	        json_array_size(page));
	json_decref(page);
	http_resp_free(r);
}

static void
test_list_pagination(void **state)
{
	static const int limits[] = {1, 2, 3, 100};
	json_t *ref, *all;
	size_t i, n;

	(void)state;
	ref = list_all(100);
	check_sorted_unique(ref);
	for (i = 0; i < sizeof(demo_slugs) / sizeof(demo_slugs[0]); i++)
		check(has_slug(ref, demo_slugs[i]), "demo slug %s not listed",
		        demo_slugs[i]);
	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		all = list_all(limits[i]);
		check_sorted_unique(all);
		check(json_equal(all, ref),
		        "following Link with limit=%d gives %zu items, not the "
		        "%zu of limit=100",
		        limits[i], json_array_size(all), json_array_size(ref));
		json_decref(all);
	}
	/* exactly n items with limit n: one page, no Link */
	n = json_array_size(ref);
	if (n <= 100) {
		char path[64];
		struct http_resp *r;

		snprintf(path, sizeof(path), "/v1/collectivities?limit=%zu", n);
		r = http_get(path);
		check_status(r, 200);
		check(http_resp_header(r, "link") == NULL,
		        "limit=%zu with %zu collectivities: no next page, but "
		        "Link: %s",
		        n, n, http_resp_header(r, "link"));
		http_resp_free(r);
		snprintf(path, sizeof(path), "/v1/collectivities?limit=%zu",
		        n - 1);
		r = http_get(path);
		check_status(r, 200);
		check(http_resp_header(r, "link") != NULL,
		        "limit=%zu with %zu collectivities: Link expected",
		        n - 1, n);
		http_resp_free(r);
	}
	json_decref(ref);
}

static void
test_list_after(void **state)
{
	struct http_resp *r;
	json_t *page, *it;
	size_t i;

	(void)state;
	/* any string is a position: items strictly after it */
	r = http_get("/v1/collectivities?limit=100&after=d");
	page = json_ok(r, 200);
	check(json_array_size(page) >= 4, "after=d: %zu items",
	        json_array_size(page));
	json_array_foreach(page, i, it)
	{
		check(strcmp(json_string_value(json_object_get(it, "slug")),
		              "d") > 0,
		        "after=d listed %s",
		        json_string_value(json_object_get(it, "slug")));
	}
	check(!has_slug(page, "bourg-en-lys") && has_slug(page, "val-de-lys"),
	        "after=d: wrong items");
	json_decref(page);
	http_resp_free(r);
	/* a cursor equal to a slug excludes it */
	r = http_get("/v1/collectivities?limit=1&after=bourg-en-lys");
	page = json_ok(r, 200);
	check(json_array_size(page) == 1 &&
	                strcmp(json_string_value(json_object_get(
	                               json_array_get(page, 0), "slug")),
	                        "bourg-en-lys") > 0,
	        "after=bourg-en-lys: %s", r->body);
	json_decref(page);
	http_resp_free(r);
	/* past the end: empty, no Link */
	r = http_get("/v1/collectivities?after=zzzzzzzz");
	page = json_ok(r, 200);
	check(json_is_array(page) && json_array_size(page) == 0,
	        "after=zzzzzzzz: %s", r->body);
	check(http_resp_header(r, "link") == NULL, "Link on an empty page");
	json_decref(page);
	http_resp_free(r);
}

static void
test_list_bad_limit_422(void **state)
{
	static const char *bad[] = {"0", "101", "-1", "abc", "1.5", "", "1e2",
	        "99999999999999999999", "2x", "%201"};
	size_t i;
	int nbad = 0;

	(void)state;
	/* every case is tried before failing, so all are reported */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char path[128];
		struct http_resp *r;
		json_t *p;

		snprintf(path, sizeof(path), "/v1/collectivities?limit=%s",
		        bad[i]);
		r = http_get(path);
		check(r != NULL, "GET %s: no response", path);
		if (r->status != 422) {
			fprintf(stderr, "  GET %s: %d, want 422\n", path,
			        r->status);
			nbad++;
		} else {
			p = check_problem(r, 422, "validation-failed");
			check_problem_field(p, "limit", NULL);
			json_decref(p);
		}
		http_resp_free(r);
	}
	check(nbad == 0, "%d bad limits were accepted", nbad);
}

static void
test_list_bad_after(void **state)
{
	char path[512];
	struct http_resp *r;

	(void)state;
	/* longer than the 200 characters of the contract */
	snprintf(path, sizeof(path), "/v1/collectivities?after=");
	memset(path + strlen(path), 'a', 201);
	path[sizeof("/v1/collectivities?after=") - 1 + 201] = '\0';
	r = http_get(path);
	check(r != NULL && (r->status == 400 || r->status == 422),
	        "after of 201 characters: want 400 or 422, got %d",
	        r != NULL ? r->status : 0);
	json_decref(check_problem(r, r->status, NULL));
	http_resp_free(r);
}

/* ---- read ---- */

static void
test_get_one(void **state)
{
	struct http_resp *r;
	json_t *o;
	size_t i;

	(void)state;
	r = http_get("/v1/collectivities/bourg-en-lys");
	o = json_ok(r, 200);
	check_collectivity(o);
	check(strcmp(json_string_value(json_object_get(o, "slug")),
	              "bourg-en-lys") == 0 &&
	                strcmp(json_string_value(json_object_get(o, "name")),
	                        "Bourg-en-Lys") == 0 &&
	                strcmp(json_string_value(json_object_get(o, "kind")),
	                        "commune") == 0,
	        "bourg-en-lys: %s", r->body);
	json_decref(o);
	http_resp_free(r);
	for (i = 0; i < sizeof(demo_slugs) / sizeof(demo_slugs[0]); i++) {
		char path[128];

		snprintf(path, sizeof(path), "/v1/collectivities/%s",
		        demo_slugs[i]);
		r = http_get(path);
		o = json_ok(r, 200);
		check_collectivity(o);
		check(strcmp(json_string_value(json_object_get(o, "slug")),
		              demo_slugs[i]) == 0,
		        "GET %s returned %s", path, r->body);
		json_decref(o);
		http_resp_free(r);
	}
	/* the same item as in the list */
	{
		json_t *all = list_all(100), *it;
		size_t k;

		r = http_get("/v1/collectivities/departement-demo");
		o = json_ok(r, 200);
		json_array_foreach(all, k, it)
		{
			if (strcmp(json_string_value(
			                   json_object_get(it, "slug")),
			            "departement-demo") == 0)
				check(json_equal(it, o),
				        "list and read disagree on "
				        "departement-demo");
		}
		check(strcmp(json_string_value(json_object_get(o, "kind")),
		              "departement") == 0,
		        "departement-demo kind: %s", r->body);
		json_decref(all);
		json_decref(o);
		http_resp_free(r);
	}
	/* percent-encoded path segment, and a query string */
	r = http_get("/v1/collectivities/bourg%2Den%2dlys");
	o = json_ok(r, 200);
	check(strcmp(json_string_value(json_object_get(o, "slug")),
	              "bourg-en-lys") == 0,
	        "percent-encoded cid: %s", r->body);
	json_decref(o);
	http_resp_free(r);
	r = http_get("/v1/collectivities/bourg-en-lys?x=1");
	json_decref(json_ok(r, 200));
	http_resp_free(r);
}

static void
test_get_404(void **state)
{
	static const char *paths[] = {
	        "/v1/collectivities/no-such-collectivity",
	        "/v1/collectivities/BOURG-EN-LYS",
	        "/v1/collectivities/bourg-en-ly",
	        "/v1/collectivities/bourg-en-lys-",
	        "/v1/collectivities/x",
	        "/v1/collectivities/%C3%A9",
	        "/v1/collectivities/a%20b",
	        "/v1/collectivities/bourg-en-lys%27%20or%20%271%27=%271",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct http_resp *r = http_get(paths[i]);

		if (r == NULL || r->status != 404)
			fprintf(stderr, "  GET %s\n", paths[i]);
		json_decref(check_problem(r, 404, "not-found"));
		http_resp_free(r);
	}
}

static void
test_get_long_cid(void **state)
{
	char path[400];
	struct http_resp *r;

	(void)state;
	snprintf(path, sizeof(path), "/v1/collectivities/");
	memset(path + strlen(path), 'a', 300);
	path[sizeof("/v1/collectivities/") - 1 + 300] = '\0';
	r = http_get(path);
	check(r != NULL && r->status >= 400 && r->status < 500,
	        "a 300-character cid: want a 4xx, got %d",
	        r != NULL ? r->status : 0);
	json_decref(check_problem(r, r->status, NULL));
	http_resp_free(r);
}

/* ---- create ---- */

/* Create and check 201, Location, body; return the body. */
static json_t *
create_ok(
        const char *extra, const char *slug, const char *name, const char *kind)
{
	char body[2048], loc[128];
	json_t *req = json_pack(
	        "{s:s, s:s, s:s}", "slug", slug, "name", name, "kind", kind);
	char *text = json_dumps(req, JSON_COMPACT);
	struct http_resp *r;
	json_t *o;
	time_t now = time(NULL);
	struct tm tm;

	snprintf(body, sizeof(body), "%s", text);
	free(text);
	json_decref(req);
	r = post_raw(extra, body, strlen(body));
	if (r == NULL || r->status != 201)
		fprintf(stderr, "  POST %s\n", body);
	o = json_ok(r, 201);
	check_collectivity(o);
	check(strcmp(json_string_value(json_object_get(o, "slug")), slug) ==
	                        0 &&
	                strcmp(json_string_value(json_object_get(o, "name")),
	                        name) == 0 &&
	                strcmp(json_string_value(json_object_get(o, "kind")),
	                        kind) == 0,
	        "created %s, got %s", body, r->body);
	snprintf(loc, sizeof(loc), "/v1/collectivities/%s", slug);
	check(http_resp_header(r, "location") != NULL &&
	                strcmp(http_resp_header(r, "location"), loc) == 0,
	        "Location should be %s, got %s", loc,
	        http_resp_header(r, "location"));
	/* created_at is now, give or take a few minutes */
	memset(&tm, 0, sizeof(tm));
	check(strptime(json_string_value(json_object_get(o, "created_at")),
	              "%Y-%m-%dT%H:%M:%S", &tm) != NULL,
	        "created_at unparsable");
	check(labs((long)(timegm(&tm) - now)) < 24 * 3600,
	        "created_at %s is not today",
	        json_string_value(json_object_get(o, "created_at")));
	http_resp_free(r);
	/* and it is there */
	r = http_get(loc);
	{
		json_t *g = json_ok(r, 200);

		check(json_equal(g, o), "GET %s differs from the 201 body",
		        loc);
		json_decref(g);
	}
	http_resp_free(r);
	return o;
}

static void
test_create_201(void **state)
{
	static const char *kinds[] = {
	        "commune", "epci", "departement", "region", "other"};
	char slug[64];
	json_t *o, *all;
	size_t i;
	size_t before;

	(void)state;
	before = count_all();
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		http_unique_slug("create", slug, sizeof(slug));
		o = create_ok(admin_json(), slug,
		        "Saint-\xc3\x89tienne-sur-Lys \xe2\x9c\x93 \"q\" \\ "
		        "<&>",
		        kinds[i]);
		json_decref(o);
	}
	all = list_all(100);
	check(json_array_size(all) == before + 5,
	        "5 creates: list went from %zu to %zu", before,
	        json_array_size(all));
	check(has_slug(all, slug), "created %s not listed", slug);
	check_sorted_unique(all);
	json_decref(all);
}

static void
test_create_boundaries_201(void **state)
{
	char slug[64], name[1024], hdr[256];
	size_t i;
	int tries;

	(void)state;
	/* a 63-character slug */
	http_unique_slug("long", slug, sizeof(slug));
	for (i = strlen(slug); i < 63; i++)
		slug[i] = 'z';
	slug[63] = '\0';
	json_decref(create_ok(admin_json(), slug, "Long", "other"));
	/* a 2-character slug (random: the database may outlive a run) */
	for (tries = 0; tries < 20; tries++) {
		struct http_resp *r;
		char body[128];

		snprintf(slug, sizeof(slug), "%c%c",
		        "abcdefghijklmnopqrstuvwxyz0123456789"[rand() % 36],
		        "abcdefghijklmnopqrstuvwxyz0123456789"[rand() % 36]);
		snprintf(body, sizeof(body), "/v1/collectivities/%s", slug);
		r = http_get(body);
		check(r != NULL, "GET %s", body);
		if (r->status == 404) {
			http_resp_free(r);
			break;
		}
		http_resp_free(r);
	}
	json_decref(create_ok(admin_json(), slug, "Two", "other"));
	/* a name of 200 characters, each 2 bytes in UTF-8 */
	for (i = 0; i < 200; i++)
		memcpy(name + 2 * i, "\xc3\xa9", 2);
	name[400] = '\0';
	http_unique_slug("name-200", slug, sizeof(slug));
	json_decref(create_ok(admin_json(), slug, name, "epci"));
	/* a 1-character name */
	http_unique_slug("name-1", slug, sizeof(slug));
	json_decref(create_ok(admin_json(), slug, "N", "region"));
	/* the scheme is case-insensitive; charset=utf-8 is accepted */
	snprintf(hdr, sizeof(hdr),
	        "Content-Type: application/json; charset=utf-8\r\n"
	        "Authorization: bearer %s\r\n",
	        http_admin_token());
	http_unique_slug("lower-bearer", slug, sizeof(slug));
	json_decref(create_ok(hdr, slug, "Lower", "commune"));
	snprintf(hdr, sizeof(hdr),
	        "Content-Type: Application/JSON;charset=UTF-8\r\n"
	        "Authorization: Bearer %s\r\n",
	        http_admin_token());
	http_unique_slug("ct-case", slug, sizeof(slug));
	json_decref(create_ok(hdr, slug, "Case", "commune"));
}

static void
test_create_409(void **state)
{
	char slug[64], body[256];
	struct http_resp *r;
	json_t *o, *g;

	(void)state;
	http_unique_slug("dup", slug, sizeof(slug));
	o = create_ok(admin_json(), slug, "First", "commune");
	snprintf(body, sizeof(body),
	        "{\"slug\":\"%s\",\"name\":\"Second\",\"kind\":\"epci\"}",
	        slug);
	r = post_raw(admin_json(), body, strlen(body));
	json_decref(check_problem(r, 409, "conflict"));
	http_resp_free(r);
	/* the first one is unchanged */
	snprintf(body, sizeof(body), "/v1/collectivities/%s", slug);
	r = http_get(body);
	g = json_ok(r, 200);
	check(json_equal(g, o), "a 409 changed the collectivity: %s", r->body);
	json_decref(g);
	json_decref(o);
	http_resp_free(r);
	/* a demo slug */
	r = post_raw(admin_json(),
	        "{\"slug\":\"bourg-en-lys\",\"name\":\"X\",\"kind\":\"other\"}",
	        strlen("{\"slug\":\"bourg-en-lys\",\"name\":\"X\","
	               "\"kind\":\"other\"}"));
	json_decref(check_problem(r, 409, "conflict"));
	http_resp_free(r);
}

static void
test_create_401(void **state)
{
	static const char *auth[] = {
	        NULL,
	        "Authorization: Basic dXNlcjpwYXNz\r\n",
	        "Authorization: Bearer\r\n",
	        "Authorization: Bearer \r\n",
	        /* 42 and 44 characters */
	        "Authorization: Bearer "
	        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n",
	        "Authorization: Bearer "
	        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n",
	        /* base64, not base64url */
	        "Authorization: Bearer "
	        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+\r\n",
	        "Authorization: Bearer "
	        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n",
	        /* well-formed but unknown */
	        "Authorization: Bearer "
	        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n",
	        "Authorization: Bearer "
	        "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz_\r\n",
	        /* SQL-ish */
	        "Authorization: Bearer ' or '1'='1\r\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(auth) / sizeof(auth[0]); i++) {
		char extra[512], slug[64], body[256];
		struct http_resp *r;
		json_t *p;
		const char *www;

		http_unique_slug("unauth", slug, sizeof(slug));
		valid_body(body, sizeof(body), slug);
		snprintf(extra, sizeof(extra),
		        "Content-Type: application/json\r\n%s",
		        auth[i] != NULL ? auth[i] : "");
		r = post_raw(extra, body, strlen(body));
		if (r == NULL || r->status != 401)
			fprintf(stderr, "  case #%zu: %s", i,
			        auth[i] != NULL ? auth[i] : "(no header)\n");
		p = check_problem(r, 401, "unauthorized");
		www = http_resp_header(r, "www-authenticate");
		check(www != NULL && strncasecmp(www, "Bearer", 6) == 0,
		        "case #%zu: 401 without WWW-Authenticate: Bearer", i);
		json_decref(p);
		http_resp_free(r);
		check_absent(slug);
	}
	/* a valid token with a different case is another token */
	{
		char extra[256], slug[64], body[256], tok[64];
		struct http_resp *r;
		size_t k;

		snprintf(tok, sizeof(tok), "%s", http_admin_token());
		for (k = 0; tok[k] != '\0'; k++)
			if (tok[k] >= 'a' && tok[k] <= 'z') {
				tok[k] = (char)(tok[k] - 'a' + 'A');
				break;
			} else if (tok[k] >= 'A' && tok[k] <= 'Z') {
				tok[k] = (char)(tok[k] - 'A' + 'a');
				break;
			}
		http_unique_slug("unauth-case", slug, sizeof(slug));
		valid_body(body, sizeof(body), slug);
		snprintf(extra, sizeof(extra),
		        "Content-Type: application/json\r\n"
		        "Authorization: Bearer %s\r\n",
		        tok);
		r = post_raw(extra, body, strlen(body));
		json_decref(check_problem(r, 401, "unauthorized"));
		http_resp_free(r);
		check_absent(slug);
	}
}

static void
test_create_422_fields(void **state)
{
	static const char *bad_slugs[] = {"A-b", "-ab", "ab-", "a--b", "a",
	        "a_b", "a b", "\xc3\xa9t\xc3\xa9", "ab.cd", "a/b",
	        /* 64 characters */
	        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	        "aa"};
	static const char *bad_kinds[] = {
	        "city", "Commune", "", "commune ", "COMMUNE"};
	char body[1024], slug[64], name[256];
	struct http_resp *r;
	json_t *p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_slugs) / sizeof(bad_slugs[0]); i++) {
		snprintf(body, sizeof(body),
		        "{\"slug\":\"%s\",\"name\":\"N\",\"kind\":\"commune\"}",
		        bad_slugs[i]);
		r = post_raw(admin_json(), body, strlen(body));
		if (r == NULL || r->status != 422)
			fprintf(stderr, "  POST %s\n", body);
		p = check_problem(r, 422, "validation-failed");
		check_problem_field(p, "slug", NULL);
		json_decref(p);
		http_resp_free(r);
		check_absent(bad_slugs[i]);
	}
	for (i = 0; i < sizeof(bad_kinds) / sizeof(bad_kinds[0]); i++) {
		http_unique_slug("bad-kind", slug, sizeof(slug));
		snprintf(body, sizeof(body),
		        "{\"slug\":\"%s\",\"name\":\"N\",\"kind\":\"%s\"}",
		        slug, bad_kinds[i]);
		r = post_raw(admin_json(), body, strlen(body));
		if (r == NULL || r->status != 422)
			fprintf(stderr, "  POST %s\n", body);
		p = check_problem(r, 422, "validation-failed");
		check_problem_field(p, "kind", NULL);
		json_decref(p);
		http_resp_free(r);
		check_absent(slug);
	}
	/* bad slug and bad kind: both named */
	r = post_raw(admin_json(),
	        "{\"slug\":\"Bad Slug\",\"name\":\"N\",\"kind\":\"city\"}",
	        strlen("{\"slug\":\"Bad Slug\",\"name\":\"N\","
	               "\"kind\":\"city\"}"));
	p = check_problem(r, 422, "validation-failed");
	check_problem_field(p, "slug", NULL);
	check_problem_field(p, "kind", NULL);
	json_decref(p);
	http_resp_free(r);
	/* names: empty, 201 characters */
	http_unique_slug("bad-name", slug, sizeof(slug));
	snprintf(body, sizeof(body),
	        "{\"slug\":\"%s\",\"name\":\"\",\"kind\":\"commune\"}", slug);
	r = post_raw(admin_json(), body, strlen(body));
	p = check_problem(r, 422, "validation-failed");
	check_problem_field(p, "name", NULL);
	json_decref(p);
	http_resp_free(r);
	check_absent(slug);
	memset(name, 'n', 201);
	name[201] = '\0';
	http_unique_slug("long-name", slug, sizeof(slug));
	snprintf(body, sizeof(body),
	        "{\"slug\":\"%s\",\"name\":\"%s\",\"kind\":\"commune\"}", slug,
	        name);
	r = post_raw(admin_json(), body, strlen(body));
	p = check_problem(r, 422, "validation-failed");
	check_problem_field(p, "name", NULL);
	json_decref(p);
	http_resp_free(r);
	check_absent(slug);
}

static void
test_create_422_shape(void **state)
{
	char body[512], slug[64];
	struct http_resp *r;
	json_t *p, *want;

	(void)state;
	/* missing fields, each named */
	r = post_raw(admin_json(), "{}", 2);
	p = check_problem(r, 422, "validation-failed");
	check_problem_field(p, "slug", NULL);
	check_problem_field(p, "name", NULL);
	check_problem_field(p, "kind", NULL);
	json_decref(p);
	http_resp_free(r);
	http_unique_slug("no-kind", slug, sizeof(slug));
	snprintf(body, sizeof(body), "{\"slug\":\"%s\",\"name\":\"N\"}", slug);
	r = post_raw(admin_json(), body, strlen(body));
	p = check_problem(r, 422, "validation-failed");
	check_problem_field(p, "kind", NULL);
	check(json_array_size(json_object_get(p, "errors")) == 1,
	        "only kind is missing: %s", r->body);
	json_decref(p);
	http_resp_free(r);
	check_absent(slug);
	/* wrong types, each named */
	http_unique_slug("types", slug, sizeof(slug));
	snprintf(body, sizeof(body),
	        "{\"slug\":\"%s\",\"name\":null,\"kind\":[\"commune\"]}", slug);
	r = post_raw(admin_json(), body, strlen(body));
	p = check_problem(r, 422, "validation-failed");
	check_problem_field(p, "name", NULL);
	check_problem_field(p, "kind", NULL);
	json_decref(p);
	http_resp_free(r);
	check_absent(slug);
	r = post_raw(admin_json(),
	        "{\"slug\":1,\"name\":true,\"kind\":{\"k\":\"commune\"}}",
	        strlen("{\"slug\":1,\"name\":true,"
	               "\"kind\":{\"k\":\"commune\"}}"));
	p = check_problem(r, 422, "validation-failed");
	check_problem_field(p, "slug", NULL);
	check_problem_field(p, "name", NULL);
	check_problem_field(p, "kind", NULL);
	json_decref(p);
	http_resp_free(r);
	/* an unknown field: exactly this error, before credentials */
	want = json_loads(
	        "[{\"field\":\"evil\",\"message\":\"unknown field\"}]", 0,
	        NULL);
	http_unique_slug("evil", slug, sizeof(slug));
	snprintf(body, sizeof(body),
	        "{\"slug\":\"%s\",\"name\":\"N\",\"kind\":\"commune\","
	        "\"evil\":1}",
	        slug);
	r = post_raw("Content-Type: application/json\r\n", body, strlen(body));
	p = check_problem(r, 422, "validation-failed");
	check(json_equal(json_object_get(p, "errors"), want),
	        "unknown field without credentials: %s", r->body);
	json_decref(p);
	http_resp_free(r);
	r = post_raw(admin_json(), body, strlen(body));
	p = check_problem(r, 422, "validation-failed");
	check(json_equal(json_object_get(p, "errors"), want),
	        "unknown field with credentials: %s", r->body);
	json_decref(p);
	http_resp_free(r);
	json_decref(want);
	check_absent(slug);
	/* not an object */
	{
		static const char *not_obj[] = {"[]", "\"x\"", "1", "null",
		        "true",
		        "[{\"slug\":\"in-array\",\"name\":\"N\","
		        "\"kind\":\"commune\"}]"};
		size_t i;
		int bad = 0;

		/* every case is tried before failing, so all are reported */
		for (i = 0; i < sizeof(not_obj) / sizeof(not_obj[0]); i++) {
			r = post_raw(
			        admin_json(), not_obj[i], strlen(not_obj[i]));
			check(r != NULL, "POST %s: no response", not_obj[i]);
			if (r->status != 422) {
				fprintf(stderr,
				        "  POST %s (well-formed JSON, not an "
				        "object): %d, want 422\n",
				        not_obj[i], r->status);
				bad++;
			} else {
				json_decref(check_problem(
				        r, 422, "validation-failed"));
			}
			http_resp_free(r);
		}
		check_absent("in-array");
		check(bad == 0,
		        "%d JSON texts that are not objects did not "
		        "get 422",
		        bad);
	}
}

static void
test_create_415(void **state)
{
	static const char *types[] = {
	        NULL,
	        "Content-Type: text/plain\r\n",
	        "Content-Type: application/x-www-form-urlencoded\r\n",
	        "Content-Type: application/json; charset=latin1\r\n",
	        "Content-Type: application/jsonx\r\n",
	        "Content-Type: application/json-patch+json\r\n",
	        "Content-Type: text/json\r\n",
	        "Content-Type: \r\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		char extra[256], slug[64], body[256];
		struct http_resp *r;

		http_unique_slug("media", slug, sizeof(slug));
		valid_body(body, sizeof(body), slug);
		snprintf(extra, sizeof(extra), "%sAuthorization: Bearer %s\r\n",
		        types[i] != NULL ? types[i] : "", http_admin_token());
		r = post_raw(extra, body, strlen(body));
		if (r == NULL || r->status != 415)
			fprintf(stderr, "  case #%zu: %s", i,
			        types[i] != NULL ? types[i]
			                         : "(no Content-Type)\n");
		json_decref(check_problem(r, 415, "unsupported-media-type"));
		http_resp_free(r);
		check_absent(slug);
	}
	/* before credentials */
	{
		struct http_resp *r =
		        post_raw("Content-Type: text/plain\r\n", "{}", 2);

		json_decref(check_problem(r, 415, "unsupported-media-type"));
		http_resp_free(r);
	}
}

static void
test_create_400(void **state)
{
	/* %s is replaced by a fresh slug */
	static const char *bodies[] = {
	        "",
	        "{\"slug\":\"%s\",",
	        "{\"slug\":\"%s\",\"name\":\"N\",\"kind\":\"commune\"",
	        "{\"slug\":\"%s\",\"name\":\"N\",\"kind\":\"commune\"} x",
	        "{\"slug\":\"%s\",\"name\":\"N\",\"kind\":\"commune\"}{}",
	        "{\"slug\":\"%s\",\"name\":\"N\",\"kind\":\"commune\","
	        "\"kind\":\"epci\"}",
	        "{\"slug\":\"%s\",\"slug\":\"%s\",\"name\":\"N\","
	        "\"kind\":\"commune\"}",
	        "{'slug':'%s','name':'N','kind':'commune'}",
	        "{\"slug\":\"%s\",\"name\":\"N\xff\",\"kind\":\"commune\"}",
	        "{\"slug\":\"%s\",\"name\":\"a\\u0000b\",\"kind\":\"commune\"}",
	        "{\"slug\":\"%s\",\"name\":\"\\ud800\",\"kind\":\"commune\"}",
	        "{\"slug\":\"%s\",\"name\":\"N\",\"kind\":\"commune\",}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		char slug[64], body[512];
		struct http_resp *r;

		http_unique_slug("malformed", slug, sizeof(slug));
		snprintf(body, sizeof(body), bodies[i], slug, slug);
		r = post_raw(admin_json(), body, strlen(body));
		if (r == NULL || r->status != 400)
			fprintf(stderr, "  case #%zu: POST %s\n", i, body);
		json_decref(check_problem(r, 400, "bad-request"));
		http_resp_free(r);
		check_absent(slug);
	}
	/* no body at all */
	{
		char extra[256];
		struct http_resp *r;

		snprintf(extra, sizeof(extra), "%s", admin_json());
		r = http_request("POST", "/v1/collectivities", extra, NULL, 0);
		json_decref(check_problem(r, 400, "bad-request"));
		http_resp_free(r);
	}
	/* before credentials */
	{
		struct http_resp *r = post_raw(
		        "Content-Type: application/json\r\n", "{\"slug\":", 8);

		json_decref(check_problem(r, 400, "bad-request"));
		http_resp_free(r);
	}
}

static void
test_create_413(void **state)
{
	long max = http_env_long("PARTICIPE_TEST_MAX_BODY", 65536);
	size_t n = (size_t)max + 1024;
	char slug[64], *body = malloc(n + 1);
	struct http_resp *r;
	int k;

	(void)state;
	assert_non_null(body);
	http_unique_slug("too-large", slug, sizeof(slug));
	/* a valid object, made too large by the name */
	k = snprintf(body, n + 1,
	        "{\"slug\":\"%s\",\"kind\":\"commune\","
	        "\"name\":\"",
	        slug);
	memset(body + k, 'n', n - (size_t)k - 2);
	memcpy(body + n - 2, "\"}", 3);
	r = post_raw(admin_json(), body, n);
	free(body);
	json_decref(check_problem(r, 413, "content-too-large"));
	http_resp_free(r);
	check_absent(slug);
}

/* A batch of rejected creates leaves the list as it was. */
static void
test_rejected_leave_no_trace(void **state)
{
	char slug[64], body[256], extra[256];
	size_t before, after;
	struct http_resp *r;
	int i;

	(void)state;
	before = count_all();
	http_unique_slug("no-trace", slug, sizeof(slug));
	valid_body(body, sizeof(body), slug);
	for (i = 0; i < 6; i++) {
		switch (i) {
		case 0: /* no credentials */
			snprintf(extra, sizeof(extra),
			        "Content-Type: application/json\r\n");
			break;
		case 1: /* unknown token */
			snprintf(extra, sizeof(extra),
			        "Content-Type: application/json\r\n"
			        "Authorization: Bearer "
			        "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB\r"
			        "\n");
			break;
		case 2: /* wrong media type */
			snprintf(extra, sizeof(extra),
			        "Content-Type: text/plain\r\n"
			        "Authorization: Bearer %s\r\n",
			        http_admin_token());
			break;
		default:
			snprintf(extra, sizeof(extra), "%s", admin_json());
			break;
		}
		if (i == 3)
			valid_body(body, sizeof(body), "Bad-Slug");
		if (i == 4)
			snprintf(body, sizeof(body),
			        "{\"slug\":\"%s\",\"name\":\"N\",\"kind\":"
			        "\"x\"}",
			        slug);
		if (i == 5)
			snprintf(body, sizeof(body),
			        "{\"slug\":\"%s\",\"name\":\"N\","
			        "\"kind\":\"commune\",\"id\":1}",
			        slug);
		r = post_raw(extra, body, strlen(body));
		check(r != NULL && r->status >= 400 && r->status < 500,
		        "rejected create #%d: got %d", i,
		        r != NULL ? r->status : 0);
		http_resp_free(r);
	}
	check_absent(slug);
	check_absent("Bad-Slug");
	after = count_all();
	check(after == before,
	        "rejected creates changed the list from %zu to %zu items",
	        before, after);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_list_default),
	        cmocka_unit_test(test_list_pagination),
	        cmocka_unit_test(test_list_after),
	        cmocka_unit_test(test_list_bad_limit_422),
	        cmocka_unit_test(test_list_bad_after),
	        cmocka_unit_test(test_get_one),
	        cmocka_unit_test(test_get_404),
	        cmocka_unit_test(test_get_long_cid),
	        cmocka_unit_test(test_create_201),
	        cmocka_unit_test(test_create_boundaries_201),
	        cmocka_unit_test(test_create_409),
	        cmocka_unit_test(test_create_401),
	        cmocka_unit_test(test_create_422_fields),
	        cmocka_unit_test(test_create_422_shape),
	        cmocka_unit_test(test_create_415),
	        cmocka_unit_test(test_create_400),
	        cmocka_unit_test(test_create_413),
	        cmocka_unit_test(test_rejected_leave_no_trace),
	};

	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
