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
