/*
 * h_health.c - liveness, readiness and metrics
 */
#include "db.h"
#include "handlers.h"
#include "metrics.h"
#include "req.h"
#include "server.h"

void
h_health_get(struct req *r)
{
	req_reply_json(r, 200, "{\"status\":\"ok\"}");
}

static void
ready_done(struct req *r, PGresult *res)
{
	(void)res;
	req_reply_json(r, 200, "{\"status\":\"ready\",\"database\":\"ok\"}");
}

/* Ready once every worker's pools (its read pool too, when there is a
 * replica) have a connection (any worker may get the next request) and
 * the primary answers this one. */
void
h_ready_get(struct req *r)
{
	int i;

	for (i = 0; i < g_server.nworkers; i++) {
		const struct worker *w = &g_server.workers[i];
		const char *missing = NULL;

		if (w->db == NULL || dbpool_connected(w->db) == 0)
			missing = "database";
		else if (g_server.cfg.read_database_url != NULL &&
		         (w->db_read == NULL ||
		                 dbpool_connected(w->db_read) == 0))
			missing = "read replica";
		if (missing != NULL) {
			r->problem.retry_after = 1;
			req_fail(r, ERR_UNAVAILABLE,
			        "worker %d has no %s connection yet", i,
			        missing);
			return;
		}
	}
	db_call(r, Q_PING, ready_done, NULL);
}

void
h_metrics_get(struct req *r)
{
	size_t len;
	char *text = metrics_render(r->arena, &len);

	req_reply(
	        r, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
}

void
h_openapi_get(struct req *r)
{
	if (g_server.openapi == NULL) {
		req_fail(r, ERR_NOT_FOUND, "the api contract is not installed");
		return;
	}
	req_reply(r, 200, "application/yaml", g_server.openapi,
	        g_server.openapi_len);
}
