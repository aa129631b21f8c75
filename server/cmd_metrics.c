/*
 * cmd_metrics.c - participe metrics: publishing metrics from a shell
 *
 *   participe metrics publish
 *       publishes every closed month that has no snapshot yet, with the
 *       weeks whose Sunday is in it (what the server's job does,
 *       snapshot.h), latest first.
 *   participe metrics publish --period week|month --start YYYY-MM-DD
 *       (re)publishes the month of that period, or of that week's
 *       Sunday, with its weeks, even one not closed yet: they are then
 *       marked provisional (docs/suppression.md: their figures change
 *       until it closes, and two publications of them can be
 *       subtracted).
 *
 * Prints one line per month published: its start, the figures withheld
 * (the weeks' included) and the time the protection took. A month that
 * cannot be protected is said, recorded (app.metric_snapshot_failures:
 * skipped for a day) and the others go on; the exit status is then 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Records that period (period, start) could not be protected: the job
   and the next `publish` skip it for a day. */
static void
record_failure(PGconn *pg, const struct metricsnap_run *run)
{
	const char *p[3] = {run->period, run->start, "the protection failed"};
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
	struct metricsnap_run run;
	const char *p[1];
	PGresult *res;
	int rc = 1;

	metricsnap_run(in, SUPPRESS_K, &run);
	if (run.out == NULL) {
		fprintf(stderr,
		        "metrics: the figures of %s %s could not be "
		        "protected\n",
		        run.period, run.start);
		if (record)
			record_failure(pg, &run);
		return 1;
	}
	p[0] = run.out;
	res = PQexecParams(pg, "SELECT api.metric_snapshot_store($1::text)", 1,
	        NULL, p, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "metrics: %s", PQresultErrorMessage(res));
	} else {
		printf("published %s %s and its weeks: %lld figures withheld, "
		       "protected in %ld ms\n",
		        run.period, run.start, run.withheld, run.ms);
		fflush(stdout);
		rc = 0;
	}
	PQclear(res);
	free(run.out);
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
	char *in, *last_failed = NULL;

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
		        "SELECT api.metric_block_input($1, s) FROM "
		        "(SELECT date_trunc($1, $2::date)::date AS s) x "
		        "WHERE api.metric_block_month($1, s) <= "
		        "(now() AT TIME ZONE 'Europe/Paris')::date",
		        2, p, &failed);
		if (failed)
			rc = 1;
		else if (in == NULL) {
			fprintf(stderr,
			        "metrics: %s %s (or its month) is in the "
			        "future, or "
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
	/* a failed period is recorded and skipped, and the others go on;
	   one that comes back (recording it failed too) ends the loop */
	for (;;) {
		in = input_of(pg, "SELECT api.metric_snapshot_next()", 0, NULL,
		        &failed);
		if (in == NULL) {
			rc |= failed;
			break;
		}
		if (last_failed != NULL && strcmp(in, last_failed) == 0) {
			free(in);
			break;
		}
		if (publish_one(pg, in, 1) == 0) {
			free(in);
			continue;
		}
		rc = 1;
		free(last_failed);
		last_failed = in;
	}
	free(last_failed);
	PQfinish(pg);
	return rc;
}
