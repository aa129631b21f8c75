/*
 * h_metrics.c - participation metrics (docs/metrics.md) and open data
 * (docs/opendata.md)
 *
 * A collectivity's own figures (95_metrics.sql) come raw, people counts
 * included; they are published here, on the task pool, with small cells
 * withheld (lib/metricsview.c over lib/suppress.c, docs/suppression.md).
 * The public and national figures come from the closed periods'
 * snapshots (97_metric_snapshots.sql, made by snapshot.c), protected
 * already. Either is sent as JSON or CSV; nothing raw is ever sent. These
 * reads go to the read replica when one is configured (QR in queries.h).
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "handlers.h"
#include "metricsview.h"
#include "reply.h"
#include "req.h"
#include "suppress.h"
#include "task.h"

/* Figures being published from the database's answer. */
struct mview {
	const char *raw, *format;
	int published; /* raw is protected already (a snapshot's) */
	char *out;     /* malloc'd */
};

static void
mview_free(void *p)
{
	struct mview *m = p;

	free(m->out);
}

/* On the pool: withholds small cells, writes JSON or CSV. */
static void
mview_work(struct req *r, void *arg)
{
	struct mview *m = arg;
	json_t *raw = json_loads(m->raw, 0, NULL);
	json_t *pub = raw == NULL    ? NULL
	              : m->published ? json_incref(raw)
	                             : metricsview_publish(raw, SUPPRESS_K);

	(void)r;
	if (pub != NULL)
		m->out = strcmp(m->format, "csv") == 0
		                 ? metricsview_csv(pub)
		                 : json_dumps(
		                           pub, JSON_COMPACT |
		                                        JSON_REAL_PRECISION(6));
	json_decref(pub);
	json_decref(raw);
}

static void
mview_made(struct req *r, void *arg)
{
	struct mview *m = arg;

	if (m->out == NULL) {
		req_fail(r, ERR_INTERNAL, "the figures could not be published");
		return;
	}
	if (strcmp(m->format, "csv") == 0)
		reply_file(r, "participe-metrics.csv", REPLY_CSV, m->out,
		        strlen(m->out));
	else
		req_reply_json(r, 200, m->out);
}

static void
mview_input(struct req *r, PGresult *res)
{
	struct mview *m = r->ctx;

	m->raw = PQgetvalue(res, 0, 0);
	if (m->published && strcmp(m->format, "json") == 0)
		req_reply_json(r, 200, m->raw);
	else
		req_task(r, mview_work, mview_made, m);
}

/*
 * Reads ?format= (json, csv) into a new mview set as r->ctx, and ?period=,
 * ?from=, ?to= into p[at..at+2]; NULL after answering.
 */
static struct mview *
mview_start(struct req *r, const char **p, int at)
{
	struct mview *m;
	const char *fmt;

	if (!query_word(r, "format", "json, csv", &fmt) ||
	        !query_word(r, "period", "week, month", &p[at]) ||
	        !query_word(r, "from", NULL, &p[at + 1]) ||
	        !query_word(r, "to", NULL, &p[at + 2]))
		return NULL;
	m = arena_calloc(r->arena, 1, sizeof(*m));
	m->format = fmt != NULL ? fmt : "json";
	arena_defer(r->arena, mview_free, m);
	r->ctx = m;
	return m;
}

void
h_metrics_collectivity(struct req *r)
{
	const char **p = call_params(r, 4);

	if (mview_start(r, p, 2) != NULL &&
	        query_word(r, "process", NULL, &p[5]))
		db_call(r, Q_METRICS_COLLECTIVITY, mview_input, p);
}

void
h_metrics_public(struct req *r)
{
	const char **p = call_params(r, 3);
	struct mview *m = mview_start(r, p, 2);

	if (m != NULL) {
		m->published = 1;
		db_call(r, Q_METRICS_PUBLIC, mview_input, p);
	}
}

void
h_metrics_national(struct req *r)
{
	const char **p = call_params(r, 3);
	struct mview *m = mview_start(r, p, 2);

	/* no {cid}: p[1] is the roll-up */
	if (m != NULL &&
	        query_word(r, "by",
	                "all, collectivity, kind, density, qpv, departement, "
	                "cohort",
	                &p[1])) {
		m->published = 1;
		db_call(r, Q_METRICS_NATIONAL, mview_input, p);
	}
}

/* Open data ----------------------------------------------------------- */

static void
opendata_done(struct req *r, PGresult *res)
{
	const char *fmt = r->ctx;
	const char *body = PQgetvalue(res, 0, 0);

	reply_file(r,
	        arena_printf(r->arena, "%s-%s.%s", req_param(r, "cid"),
	                req_param(r, "dataset"), fmt),
	        strcmp(fmt, "csv") == 0 ? REPLY_CSV : NULL, body, strlen(body));
}

void
h_opendata(struct req *r)
{
	const char **p = call_params(r, 2);
	const char *fmt;

	if (!query_word(r, "format", "csv, json", &fmt))
		return;
	r->ctx = (void *)(fmt != NULL ? fmt : "csv");
	p[2] = req_param(r, "dataset");
	p[3] = r->ctx;
	db_call(r, Q_OPENDATA, opendata_done, p);
}
