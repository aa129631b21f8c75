/*
 * cmd_metrics.c - participe metrics: publishing metrics from a shell
 *
 *   participe metrics publish
 *       publishes every closed week and month that has no snapshot yet
 *       (what the server's job does, snapshot.h), latest first.
 *   participe metrics publish --period week|month --start YYYY-MM-DD
 *       (re)publishes that one period, whole, even one not closed yet:
 *       it is then marked provisional (docs/suppression.md: its figures
 *       change until it closes, and two publications of it can be
 *       subtracted).
 *
 * Prints one line per period published: the period, its start, the
 * figures withheld and the time the protection took. A period that cannot
 * be protected is said, recorded (app.metric_snapshot_failures: skipped
 * for a day) and the others go on; the exit status is then 1.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmd.h"
#include "metricsnap.h"
#include "suppress.h"

static int
usage(void)
{
	fputs("usage: participe metrics publish [--period week|month "
	      "--start YYYY-MM-DD]\n",
	        stderr);
	return 2;
}

/* Records that the period of input j could not be protected: the job
   and the next `publish` skip it for a day. */
static void
record_failure(PGconn *pg, const json_t *j)
{
	const char *p[3] = {json_string_value(json_object_get(j, "period")),
	        json_string_value(json_object_get(j, "start")),
	        "the protection failed"};
	PGresult *res = PQexecParams(pg,
	        "SELECT api.metric_snapshot_failed($1, $2::date, $3)", 3, NULL,
	        p, NULL, NULL, 0);

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		fprintf(stderr, "metrics: %s", PQresultErrorMessage(res));
	PQclear(res);
}

/* Protects and stores the snapshot input in (a failure recorded when
   record); 0, or 1 after saying why. */
static int
publish_one(PGconn *pg, const char *in, int record)
{
	json_t *j = json_loads(in, 0, NULL), *out;
	struct timespec t0, t1;
	const char *p[1];
	char *s;
	PGresult *res;
	int rc = 1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	out = j != NULL ? metricsnap_publish(j, SUPPRESS_K) : NULL;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (out == NULL) {
		const char *per =
		        json_string_value(json_object_get(j, "period"));
		const char *st = json_string_value(json_object_get(j, "start"));

		fprintf(stderr,
		        "metrics: the figures of %s %s could not be "
		        "protected\n",
		        per != NULL ? per : "?", st != NULL ? st : "?");
		if (record && j != NULL)
			record_failure(pg, j);
		json_decref(j);
		return 1;
	}
	json_decref(j);
	s = json_dumps(out, JSON_COMPACT | JSON_REAL_PRECISION(6));
	p[0] = s;
	res = PQexecParams(pg, "SELECT api.metric_snapshot_store($1::text)", 1,
	        NULL, p, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "metrics: %s", PQresultErrorMessage(res));
	} else {
		printf("published %s %s: %lld figures withheld, protected in "
		       "%ld ms\n",
		        json_string_value(json_object_get(out, "period")),
		        json_string_value(json_object_get(out, "start")),
		        (long long)json_integer_value(
		                json_object_get(out, "withheld")),
		        (long)((t1.tv_sec - t0.tv_sec) * 1000 +
		                (t1.tv_nsec - t0.tv_nsec) / 1000000));
		fflush(stdout);
		rc = 0;
	}
	PQclear(res);
	free(s);
	json_decref(out);
	return rc;
}

/* The snapshot input of sql (one text column, NULL: none); malloc'd. */
static char *
input_of(PGconn *pg, const char *sql, int n, const char *const *params,
        int *failed)
{
	PGresult *res = PQexecParams(pg, sql, n, NULL, params, NULL, NULL, 0);
	char *in = NULL;

	*failed = 0;
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "metrics: %s", PQresultErrorMessage(res));
		*failed = 1;
	} else if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0)) {
		in = strdup(PQgetvalue(res, 0, 0));
	}
	PQclear(res);
	return in;
}

int
cmd_metrics(int argc, char **argv)
{
	const char *period = NULL, *start = NULL;
	PGconn *pg;
	int i, rc = 0, failed;
	char *in;

	if (argc < 2 || strcmp(argv[1], "publish") != 0)
		return usage();
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--period") == 0 && i + 1 < argc)
			period = argv[++i];
		else if (strcmp(argv[i], "--start") == 0 && i + 1 < argc)
			start = argv[++i];
		else
			return usage();
	}
	if ((period == NULL) != (start == NULL))
		return usage();
	if (period != NULL && strcmp(period, "week") != 0 &&
	        strcmp(period, "month") != 0)
		return usage();
	pg = cli_connect_owner("metrics");
	if (pg == NULL)
		return 1;
	if (period != NULL) {
		const char *p[2] = {period, start};

		/* the start snapped to its period's, and none after today's */
		in = input_of(pg,
		        "SELECT api.metric_snapshot_input($1, s) FROM "
		        "(SELECT date_trunc($1, $2::date)::date AS s) x "
		        "WHERE s <= (now() AT TIME ZONE 'Europe/Paris')::date",
		        2, p, &failed);
		if (failed)
			rc = 1;
		else if (in == NULL) {
			fprintf(stderr,
			        "metrics: %s %s is in the future, or "
			        "there are no collectivities\n",
			        period, start);
			rc = 1;
		} else {
			rc = publish_one(pg, in, 0);
		}
		free(in);
		PQfinish(pg);
		return rc;
	}
	for (;;) {
		char *last = NULL;

		in = input_of(pg, "SELECT api.metric_snapshot_next()", 0, NULL,
		        &failed);
		if (in == NULL) {
			rc |= failed;
			break;
		}
		/* a failed period is recorded and skipped: the others go on
		   (unless recording it failed too: then it would come back) */
		if (publish_one(pg, in, 1) != 0) {
			rc = 1;
			last = in;
			in = input_of(pg, "SELECT api.metric_snapshot_next()",
			        0, NULL, &failed);
			if (in != NULL && strcmp(in, last) == 0) {
				free(in);
				free(last);
				break;
			}
			free(last);
			if (in == NULL)
				break;
			rc |= publish_one(pg, in, 1);
		}
		free(in);
	}
	PQfinish(pg);
	return rc;
}
