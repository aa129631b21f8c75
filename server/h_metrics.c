/*
 * h_metrics.c - participation metrics (docs/metrics.md)
 *
 * The SQL (95_metrics.sql) returns raw figures, people counts included;
 * they are suppressed here (lib/suppress.c, docs/suppression.md) before
 * anything is sent.
 */
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "handlers.h"
#include "reply.h"
#include "req.h"

void
h_metrics_collectivity(struct req *r)
{
	const char **p = call_params(r, 4);

	if (!query_word(r, "period", "week, month", &p[2]) ||
	        !query_word(r, "from", NULL, &p[3]) ||
	        !query_word(r, "to", NULL, &p[4]) ||
	        !query_word(r, "process", NULL, &p[5]))
		return;
	db_call(r, Q_METRICS_COLLECTIVITY, reply_200, p);
}

static void
opendata_done(struct req *r, PGresult *res)
{
	const char *fmt = r->ctx;
	const char *body = PQgetvalue(res, 0, 0);

	req_add_header(r, "Content-Disposition",
	        arena_printf(r->arena, "attachment; filename=\"%s-%s.%s\"",
	                req_param(r, "cid"), req_param(r, "dataset"), fmt));
	if (strcmp(fmt, "csv") == 0)
		req_reply(
		        r, 200, "text/csv; charset=utf-8", body, strlen(body));
	else
		req_reply_json(r, 200, body);
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
