/*
 * test_resilience.c - PostgreSQL stops and starts again under a running
 * server: /readyz and database routes answer 503 problem+json with
 * Retry-After at once (no hang, no crash), /healthz stays 200, and the
 * server recovers by itself once PostgreSQL is back.
 *
 * Needs PARTICIPE_TEST_PG_CTL (deploy/pg.sh of the private cluster);
 * skipped otherwise. The teardown starts PostgreSQL again whatever
 * happened, and waits for the server to be ready, since other suites
 * need it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "client.h"

/* Longest acceptable time for any answer while the database is down. */
#define DOWN_ANSWER_MS 3000

/* Run "$PARTICIPE_TEST_PG_CTL verb", its output into a file that is shown
 * on failure (not inherited as a pipe by the postmaster). Returns the
 * exit status, or -1. */
static int
pg_ctl(const char *verb)
{
	const char *ctl = getenv("PARTICIPE_TEST_PG_CTL");
	char cmd[2048], log[128], q[1024];
	size_t i, o = 0;
	int rc;

	if (ctl == NULL || *ctl == '\0')
		return -1;
	/* single-quote the path for the shell */
	for (i = 0; ctl[i] != '\0' && o + 5 < sizeof(q); i++) {
		if (ctl[i] == '\'') {
			memcpy(q + o, "'\\''", 4);
			o += 4;
		} else {
			q[o++] = ctl[i];
		}
	}
	q[o] = '\0';
	snprintf(log, sizeof(log), "/tmp/participe-test-pgctl-%ld.log",
	        (long)getpid());
	snprintf(cmd, sizeof(cmd), "'%s' %s </dev/null >'%s' 2>&1", q, verb,
	        log);
	rc = system(cmd);
	rc = rc == -1 ? -1 : WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
	if (rc != 0) {
		FILE *f = fopen(log, "r");
		char line[512];

		fprintf(stderr, "  %s %s exited %d:\n", ctl, verb, rc);
		while (f != NULL && fgets(line, sizeof(line), f) != NULL)
			fprintf(stderr, "    %s", line);
		if (f != NULL)
			fclose(f);
	}
	unlink(log);
	return rc;
}

/* Poll GET path every 200 ms until it answers want, for up to ms;
 * returns the time it took, or -1. */
static long long
wait_for(const char *path, int want, int ms)
{
	long long t0 = http_now_ms();

	for (;;) {
		struct http_resp *r = http_get(path);
		int st = r != NULL ? r->status : 0;

		http_resp_free(r);
		if (st == want)
			return http_now_ms() - t0;
		if (http_now_ms() - t0 > ms)
			return -1;
		http_sleep_ms(200);
	}
}

/* GET path on a fresh connection while the database is down: a prompt
 * 503 problem with a Retry-After of whole seconds. */
static void
check_unavailable(const char *method, const char *path, const char *extra,
        const char *body)
{
	long long t0 = http_now_ms(), took;
	struct http_resp *r = http_request(
	        method, path, extra, body, body != NULL ? strlen(body) : 0);
	const char *ra;
	json_t *p;

	took = http_now_ms() - t0;
	check(r != NULL,
	        "%s %s with the database down: no answer after "
	        "%lld ms",
	        method, path, took);
	if (r->status != 503)
		fprintf(stderr, "  %s %s with the database down:\n", method,
		        path);
	p = check_problem(r, 503, "service-unavailable");
	ra = http_resp_header(r, "retry-after");
	check(ra != NULL && ra[0] >= '0' && ra[0] <= '9' &&
	                strspn(ra, "0123456789") == strlen(ra),
	        "%s %s: 503 needs Retry-After in seconds, got %s", method, path,
	        ra != NULL ? ra : "(none)");
	check(took < DOWN_ANSWER_MS,
	        "%s %s with the database down took %lld ms", method, path,
	        took);
	json_decref(p);
	http_resp_free(r);
}

static void
test_database_stop_and_start(void **state)
{
	char slug[64], body[256], auth[256], path[128];
	double reconnects0, reconnects1, connected = -1;
	struct http_conn *kept;
	struct http_resp *r;
	long long t, t0;
	char *m;
	int i;

	(void)state;
	if (getenv("PARTICIPE_TEST_PG_CTL") == NULL ||
	        *getenv("PARTICIPE_TEST_PG_CTL") == '\0') {
		print_message("PARTICIPE_TEST_PG_CTL is not set: skipped\n");
		skip();
	}
	/* ready to start with */
	r = http_get("/readyz");
	check_status(r, 200);
	http_resp_free(r);
	m = metrics_fetch();
	assert_non_null(m);
	reconnects0 = metrics_sum(m, "participe_db_reconnects_total");
	free(m);
	check(reconnects0 >= 0, "participe_db_reconnects_total missing");
	/* a keep-alive connection that lives through the outage */
	kept = conn_open();
	assert_non_null(kept);
	assert_int_equal(
	        conn_send_request(kept, "GET", "/readyz", NULL, NULL, 0), 0);
	r = conn_read(kept);
	check_status(r, 200);
	http_resp_free(r);

	t0 = http_now_ms();
	check(pg_ctl("stop") == 0, "could not stop PostgreSQL");
	fprintf(stderr, "  PostgreSQL stopped in %lld ms\n",
	        http_now_ms() - t0);

	/* several fresh connections, so that every worker is asked */
	for (i = 0; i < 6; i++)
		check_unavailable("GET", "/readyz", NULL, NULL);
	check_unavailable("GET", "/v1/collectivities", NULL, NULL);
	check_unavailable("GET", "/v1/collectivities?limit=2", NULL, NULL);
	check_unavailable("GET", "/v1/collectivities/bourg-en-lys", NULL, NULL);
	http_unique_slug("during-outage", slug, sizeof(slug));
	snprintf(body, sizeof(body),
	        "{\"slug\":\"%s\",\"name\":\"Outage\",\"kind\":\"other\"}",
	        slug);
	snprintf(auth, sizeof(auth),
	        "Content-Type: application/json\r\n"
	        "Authorization: Bearer %s\r\n",
	        http_admin_token());
	check_unavailable("POST", "/v1/collectivities", auth, body);
	/* liveness does not depend on the database */
	r = http_get("/healthz");
	check_status(r, 200);
	http_resp_free(r);
	/* the kept connection gets a 503 too, and stays usable */
	assert_int_equal(
	        conn_send_request(kept, "GET", "/readyz", NULL, NULL, 0), 0);
	r = conn_read(kept);
	check(r != NULL, "kept connection: %s", http_err_name(kept->err));
	json_decref(check_problem(r, 503, "service-unavailable"));
	check(!http_list_has(http_resp_header(r, "connection"), "close"),
	        "a 503 need not close the connection");
	http_resp_free(r);
	/* the pool gauges see it */
	t0 = http_now_ms();
	do {
		m = metrics_fetch();
		check(m != NULL, "/metrics failed with the database down");
		connected = metrics_sum(m, "participe_db_pool_connected");
		free(m);
		if (connected == 0)
			break;
		http_sleep_ms(100);
	} while (http_now_ms() - t0 < 2000);
	check(connected == 0,
	        "participe_db_pool_connected is %g with PostgreSQL stopped",
	        connected);

	t0 = http_now_ms();
	check(pg_ctl("start") == 0, "could not start PostgreSQL");
	fprintf(stderr, "  PostgreSQL started in %lld ms\n",
	        http_now_ms() - t0);
	t = wait_for("/readyz", 200, 30000);
	check(t >= 0, "/readyz not 200 within 30 s of PostgreSQL's start");
	fprintf(stderr, "  /readyz 200 after %lld ms\n", t);
	/* every worker reconnects: its backoff is at most 5 s */
	t = wait_for("/v1/collectivities", 200, 10000);
	check(t >= 0, "GET /v1/collectivities not 200 within 10 s of ready");
	for (i = 0; i < 10; i++) {
		r = http_get("/v1/collectivities?limit=2");
		if (r == NULL || r->status != 200)
			fprintf(stderr, "  request %d after recovery:\n", i);
		check_status(r, 200);
		http_resp_free(r);
	}
	assert_int_equal(
	        conn_send_request(kept, "GET",
	                "/v1/collectivities/bourg-en-lys", NULL, NULL, 0),
	        0);
	r = conn_read(kept);
	check(r != NULL, "kept connection after recovery: %s",
	        http_err_name(kept->err));
	check_status(r, 200);
	http_resp_free(r);
	conn_close(kept);
	/* the create refused during the outage left nothing */
	snprintf(path, sizeof(path), "/v1/collectivities/%s", slug);
	r = http_get(path);
	json_decref(check_problem(r, 404, "not-found"));
	http_resp_free(r);

	m = metrics_fetch();
	assert_non_null(m);
	reconnects1 = metrics_sum(m, "participe_db_reconnects_total");
	connected = metrics_sum(m, "participe_db_pool_connected");
	free(m);
	check(reconnects1 > reconnects0 && reconnects1 > 0,
	        "participe_db_reconnects_total went from %g to %g", reconnects0,
	        reconnects1);
	check(connected >= 1,
	        "participe_db_pool_connected is %g after "
	        "recovery",
	        connected);
}

/* Whatever happened, PostgreSQL runs again and the server is ready. */
static int
teardown_start_pg(void **state)
{
	(void)state;
	if (getenv("PARTICIPE_TEST_PG_CTL") == NULL ||
	        *getenv("PARTICIPE_TEST_PG_CTL") == '\0')
		return 0;
	if (pg_ctl("start") != 0)
		return -1;
	return wait_for("/readyz", 200, 30000) >= 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_teardown(
	                test_database_stop_and_start, teardown_start_pg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
