/*
 * test_health.c - /healthz, /readyz and /metrics: bodies, the Prometheus
 * text format line by line, histogram consistency, counters that count.
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

#include <cmocka.h>

#include "client.h"

/* The body of r is exactly the JSON object want (same keys and values). */
static void
check_json_equal(const struct http_resp *r, const char *want)
{
	json_t *got = http_resp_json(r);
	json_t *exp = json_loads(want, 0, NULL);

	check(got != NULL, "body is not JSON: %s", r->body);
	check(json_equal(got, exp), "body is %s, want %s", r->body, want);
	json_decref(got);
	json_decref(exp);
}

static void
test_healthz(void **state)
{
	struct http_resp *r;
	const char *ct;

	(void)state;
	r = http_get("/healthz");
	check_status(r, 200);
	check_common_headers(r, 0);
	ct = http_resp_header(r, "content-type");
	check(ct != NULL && strncasecmp(ct, "application/json", 16) == 0,
	        "Content-Type %s", ct != NULL ? ct : "(none)");
	check_json_equal(r, "{\"status\":\"ok\"}");
	http_resp_free(r);
}

/* The contract is served as is: same bytes as api-spec/openapi.yaml. */
static void
test_openapi_served(void **state)
{
	struct http_resp *r;
	const char *ct;
	FILE *f;
	char *want;
	long n;

	(void)state;
	r = http_get("/v1/openapi.yaml");
	check_status(r, 200);
	check_common_headers(r, 0);
	ct = http_resp_header(r, "content-type");
	check(ct != NULL && strncasecmp(ct, "application/yaml", 16) == 0,
	        "Content-Type %s", ct != NULL ? ct : "(none)");
	f = fopen("api-spec/openapi.yaml", "rb");
	check(f != NULL, "cannot open api-spec/openapi.yaml");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	want = malloc((size_t)n + 1);
	check(want != NULL && fread(want, 1, (size_t)n, f) == (size_t)n,
	        "cannot read api-spec/openapi.yaml");
	fclose(f);
	check(r->body_len == (size_t)n && memcmp(r->body, want, (size_t)n) == 0,
	        "served contract (%zu bytes) differs from the file (%ld bytes)",
	        r->body_len, n);
	check(strncmp(r->body, "openapi: 3.1", 12) == 0, "not OpenAPI 3.1");
	free(want);
	http_resp_free(r);
}

static void
test_readyz(void **state)
{
	struct http_resp *r;
	const char *ct;

	(void)state;
	r = http_get("/readyz");
	check_status(r, 200);
	check_common_headers(r, 0);
	ct = http_resp_header(r, "content-type");
	check(ct != NULL && strncasecmp(ct, "application/json", 16) == 0,
	        "Content-Type %s", ct != NULL ? ct : "(none)");
	check_json_equal(r, "{\"status\":\"ready\",\"database\":\"ok\"}");
	check(http_resp_header(r, "retry-after") == NULL,
	        "a ready server sends no Retry-After");
	http_resp_free(r);
}

/* One metric family and its TYPE. */
struct family {
	char name[128];
	char type[16];
};

/* The family name a sample name belongs to, given the declared types. */
static const struct family *
family_of(const struct family *f, size_t nf, const char *sample)
{
	static const char *suffixes[] = {"_bucket", "_sum", "_count"};
	size_t i, k, n = strlen(sample);

	for (i = 0; i < nf; i++)
		if (strcmp(f[i].name, sample) == 0)
			return &f[i];
	for (k = 0; k < 3; k++) {
		size_t sl = strlen(suffixes[k]);

		if (n <= sl || strcmp(sample + n - sl, suffixes[k]) != 0)
			continue;
		for (i = 0; i < nf; i++)
			if (strlen(f[i].name) == n - sl &&
			        strncmp(f[i].name, sample, n - sl) == 0 &&
			        strcmp(f[i].type, "histogram") == 0)
				return &f[i];
	}
	return NULL;
}

static void
test_metrics_format(void **state)
{
	static const char sample_re[] =
	        "^([a-zA-Z_:][a-zA-Z0-9_:]*)"
	        "(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\[\\\\\"n])*\""
	        "(,[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\[\\\\\"n])*\")*\\})?"
	        " ([-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?"
	        "|NaN|\\+Inf|-Inf)( -?[0-9]+)?$";
	static const char help_re[] = "^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$";
	static const char type_re[] =
	        "^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) "
	        "(counter|gauge|histogram|summary|untyped)$";
	struct family fam[64];
	size_t nf = 0, nsamples = 0, lineno = 0;
	regex_t rs, rh, rt;
	struct http_resp *r;
	const char *ct;
	char *text, *line, *save = NULL;

	(void)state;
	/* make sure some request series exist */
	http_resp_free(http_get("/healthz"));
	r = http_get("/metrics");
	check_status(r, 200);
	check_common_headers(r, 0);
	ct = http_resp_header(r, "content-type");
	check(ct != NULL && strncasecmp(ct, "text/plain", 10) == 0 &&
	                strstr(ct, "version=0.0.4") != NULL,
	        "metrics Content-Type should be text/plain; version=0.0.4, "
	        "got %s",
	        ct != NULL ? ct : "(none)");
	check(r->body_len > 0 && r->body[r->body_len - 1] == '\n',
	        "the exposition must end with a newline");
	assert_int_equal(regcomp(&rs, sample_re, REG_EXTENDED), 0);
	assert_int_equal(regcomp(&rh, help_re, REG_EXTENDED | REG_NOSUB), 0);
	assert_int_equal(regcomp(&rt, type_re, REG_EXTENDED), 0);
	text = strdup(r->body);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	        line = strtok_r(NULL, "\n", &save)) {
		regmatch_t m[3];

		lineno++;
		if (strncmp(line, "# HELP ", 7) == 0) {
			check(regexec(&rh, line, 0, NULL, 0) == 0,
			        "line %zu: bad HELP: %s", lineno, line);
			continue;
		}
		if (strncmp(line, "# TYPE ", 7) == 0) {
			size_t i;

			check(regexec(&rt, line, 3, m, 0) == 0,
			        "line %zu: bad TYPE: %s", lineno, line);
			check(nf < sizeof(fam) / sizeof(fam[0]),
			        "too many families");
			snprintf(fam[nf].name, sizeof(fam[nf].name), "%.*s",
			        (int)(m[1].rm_eo - m[1].rm_so),
			        line + m[1].rm_so);
			snprintf(fam[nf].type, sizeof(fam[nf].type), "%.*s",
			        (int)(m[2].rm_eo - m[2].rm_so),
			        line + m[2].rm_so);
			for (i = 0; i < nf; i++)
				check(strcmp(fam[i].name, fam[nf].name) != 0,
				        "line %zu: second TYPE for %s", lineno,
				        fam[nf].name);
			nf++;
			continue;
		}
		check(line[0] != '#', "line %zu: unexpected comment: %s",
		        lineno, line);
		check(regexec(&rs, line, 2, m, 0) == 0,
		        "line %zu does not match name{labels} value: \"%s\"",
		        lineno, line);
		{
			char name[160];

			snprintf(name, sizeof(name), "%.*s",
			        (int)(m[1].rm_eo - m[1].rm_so),
			        line + m[1].rm_so);
			check(family_of(fam, nf, name) != NULL,
			        "line %zu: sample %s has no TYPE before it",
			        lineno, name);
		}
		nsamples++;
	}
	free(text);
	regfree(&rs);
	regfree(&rh);
	regfree(&rt);
	check(nsamples >= 10, "only %zu samples", nsamples);
	http_resp_free(r);
}

/* Buckets of participe_http_request_duration_seconds: per label set, le
 * ascending, counts cumulative, the +Inf bucket equal to _count, and a
 * _sum that is a non-negative number. */
static void
test_metrics_histogram_consistent(void **state)
{
	static const char prefix[] =
	        "participe_http_request_duration_seconds_bucket{";
	char *orig, *text, *line, *save = NULL;
	char cur[256] = "";
	double last_le = -1, last_count = -1;
	size_t series = 0, inf_seen = 0;

	(void)state;
	http_resp_free(http_get("/healthz"));
	orig = metrics_fetch();
	assert_non_null(orig);
	text = strdup(orig);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	        line = strtok_r(NULL, "\n", &save)) {
		char labels[256], name[400];
		const char *le, *close;
		double v, le_v;

		if (strncmp(line, prefix, sizeof(prefix) - 1) != 0)
			continue;
		le = strstr(line, "le=\"");
		close = strstr(line, "} ");
		check(le != NULL && close != NULL && le < close,
		        "bucket without le: %s", line);
		/* the other labels (le comes last here) */
		snprintf(labels, sizeof(labels), "%.*s",
		        (int)(le - (line + sizeof(prefix) - 1)),
		        line + sizeof(prefix) - 1);
		if (labels[0] != '\0' && labels[strlen(labels) - 1] == ',')
			labels[strlen(labels) - 1] = '\0';
		le_v = strncmp(le + 4, "+Inf\"", 5) == 0 ? 1e308
		                                         : strtod(le + 4, NULL);
		v = strtod(close + 2, NULL);
		if (strcmp(labels, cur) != 0) {
			check(last_le == -1 || last_le == 1e308,
			        "series {%s} has no +Inf bucket", cur);
			snprintf(cur, sizeof(cur), "%s", labels);
			last_le = -1;
			last_count = -1;
			series++;
		}
		check(le_v > last_le, "buckets of {%s} not in ascending le",
		        labels);
		check(v >= last_count,
		        "buckets of {%s} not cumulative: %g after %g", labels,
		        v, last_count);
		last_le = le_v;
		last_count = v;
		if (le_v == 1e308) {
			double count, sum;

			inf_seen++;
			snprintf(name, sizeof(name),
			        "participe_http_request_duration_seconds_count{"
			        "%s}",
			        labels);
			count = metrics_value(orig, name);
			check(count == v, "%s is %g, its +Inf bucket %g", name,
			        count, v);
			snprintf(name, sizeof(name),
			        "participe_http_request_duration_seconds_sum{%"
			        "s}",
			        labels);
			sum = metrics_value(orig, name);
			check(sum >= 0, "%s missing or negative", name);
		}
	}
	check(last_le == -1 || last_le == 1e308,
	        "series {%s} has no +Inf bucket", cur);
	free(text);
	free(orig);
	check(series >= 1 && inf_seen == series,
	        "%zu histogram series, %zu with +Inf", series, inf_seen);
}

static void
test_metrics_pool_gauges(void **state)
{
	double conns, connected, in_use, waiting, reconnects;
	char *m;

	(void)state;
	/* a database request, so the pool has been used */
	http_resp_free(http_get("/readyz"));
	m = metrics_fetch();
	assert_non_null(m);
	conns = metrics_sum(m, "participe_db_pool_connections");
	connected = metrics_sum(m, "participe_db_pool_connected");
	in_use = metrics_sum(m, "participe_db_pool_in_use");
	waiting = metrics_sum(m, "participe_db_pool_waiting");
	reconnects = metrics_sum(m, "participe_db_reconnects_total");
	free(m);
	check(conns >= 1, "participe_db_pool_connections = %g", conns);
	check(connected >= 1 && connected <= conns,
	        "participe_db_pool_connected = %g of %g", connected, conns);
	check(in_use >= 0 && in_use <= connected,
	        "participe_db_pool_in_use = %g of %g connected", in_use,
	        connected);
	check(waiting >= 0, "participe_db_pool_waiting = %g", waiting);
	check(reconnects >= 0, "participe_db_reconnects_total = %g",
	        reconnects);
}

/* Poll /metrics (the counters are bumped as responses are sent, maybe
 * just after the client got them) until series reaches want, for up to
 * 1 s; return the last value seen. */
static double
wait_value(const char *series, double want)
{
	long long t0 = http_now_ms();
	double v = -1;

	for (;;) {
		char *m = metrics_fetch();

		v = m != NULL ? metrics_value(m, series) : -1;
		free(m);
		if (v >= want || http_now_ms() - t0 > 1000)
			return v;
		http_sleep_ms(50);
	}
}

static double
value_now(const char *series)
{
	char *m = metrics_fetch();
	double v = m != NULL ? metrics_value(m, series) : -1;

	free(m);
	return v < 0 ? 0 : v;
}

static void
test_metrics_counters_count(void **state)
{
	static const char req_ok[] = "participe_http_requests_total"
	                             "{route=\"GET /healthz\",status=\"200\"}";
	static const char dur_ok[] = "participe_http_request_duration_seconds"
	                             "_count{route=\"GET /healthz\"}";
	static const char req_404[] =
	        "participe_http_requests_total"
	        "{route=\"GET /v1/collectivities/{cid}\",status=\"404\"}";
	double r0, d0, n0, r1, d1, n1;
	int i;

	(void)state;
	http_resp_free(http_get("/healthz"));
	check(wait_value(req_ok, 1) >= 1, "%s missing after a request", req_ok);
	/* let any request of an earlier test be counted before the baseline */
	http_sleep_ms(100);
	r0 = value_now(req_ok);
	d0 = value_now(dur_ok);
	n0 = value_now(req_404);
	for (i = 0; i < 3; i++) {
		struct http_resp *r = http_get("/healthz");

		check_status(r, 200);
		http_resp_free(r);
	}
	{
		struct http_resp *r =
		        http_get("/v1/collectivities/no-such-one-for-metrics");

		check_status(r, 404);
		http_resp_free(r);
	}
	r1 = wait_value(req_ok, r0 + 3);
	d1 = wait_value(dur_ok, d0 + 3);
	n1 = wait_value(req_404, n0 + 1);
	check(r1 == r0 + 3, "%s went from %g to %g after 3 requests", req_ok,
	        r0, r1);
	check(d1 == d0 + 3, "%s went from %g to %g after 3 requests", dur_ok,
	        d0, d1);
	check(n1 == n0 + 1, "%s went from %g to %g after one 404", req_404, n0,
	        n1);
}

/* Paths of unknown routes must not become label values (unbounded series,
 * and a way to write into the metrics). */
static void
test_metrics_no_path_labels(void **state)
{
	char path[96], *m;
	struct http_resp *r;

	(void)state;
	http_unique_slug("/metrics-probe", path, sizeof(path));
	r = http_get(path);
	check_status(r, 404);
	http_resp_free(r);
	http_sleep_ms(100);
	m = metrics_fetch();
	assert_non_null(m);
	check(strstr(m, path + 1) == NULL,
	        "the unknown path %s appears in /metrics", path);
	free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_healthz),
	        cmocka_unit_test(test_readyz),
	        cmocka_unit_test(test_openapi_served),
	        cmocka_unit_test(test_metrics_format),
	        cmocka_unit_test(test_metrics_histogram_consistent),
	        cmocka_unit_test(test_metrics_pool_gauges),
	        cmocka_unit_test(test_metrics_counters_count),
	        cmocka_unit_test(test_metrics_no_path_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
