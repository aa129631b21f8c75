/*
 * snapshot.c - the job that publishes closed periods' metrics
 * (snapshot.h)
 */
#include "snapshot.h"

#include <event2/event.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"
#include "metricsnap.h"
#include "req.h"
#include "server.h"
#include "suppress.h"
#include "task.h"

/* The job's state on worker 0. */
struct snapjob {
	struct event *timer;
	int running;
};

/* One period being published. */
struct snapwork {
	char *in; /* malloc'd */
	struct metricsnap_run run;
};

static void on_tick(evutil_socket_t fd, short what, void *arg);

static void
work_free(void *p)
{
	struct snapwork *sw = p;

	free(sw->in);
	free(sw->run.out);
}

/* The job's carrier is answered: 200 after a period was stored (so the
   next one goes at once), 204 when none was due. */
static void
answered(struct req *r)
{
	struct snapjob *sj = r->w->snap;
	struct timeval now = {0, 0};

	sj->running = 0;
	if (r->status == 200)
		event_base_once(
		        r->w->base, -1, EV_TIMEOUT, on_tick, r->w, &now);
	else if (r->status != 204)
		log_msg("warn", "metrics snapshot failed: %s",
		        r->problem.detail);
}

static void
stored(struct req *r, PGresult *res)
{
	struct snapwork *sw = r->ctx;

	(void)res;
	log_msg("info",
	        "metrics snapshot stored: %lld figures withheld, "
	        "protected in %ld ms",
	        sw->run.withheld, sw->run.ms);
	req_reply(r, 200, NULL, "", 0);
}

/* On the pool: protects the period across every grouping. */
static void
work(struct req *r, void *arg)
{
	struct snapwork *sw = arg;

	(void)r;
	metricsnap_run(sw->in, SUPPRESS_K, &sw->run);
}

/* The failure is recorded: the job skips that period for a day. */
static void
failed(struct req *r, PGresult *res)
{
	struct snapwork *sw = r->ctx;

	(void)res;
	req_fail(r, ERR_INTERNAL,
	        "the figures of %s %s could not be protected; skipped for a "
	        "day",
	        sw->run.period, sw->run.start);
}

static void
made(struct req *r, void *arg)
{
	struct snapwork *sw = arg;
	const char **p;

	if (sw->run.out == NULL) {
		p = arena_calloc(r->arena, 3, sizeof(*p));
		p[0] = sw->run.period;
		p[1] = sw->run.start;
		p[2] = "the protection failed";
		db_call(r, Q_METRIC_SNAPSHOT_FAILED, failed, p);
		return;
	}
	p = arena_calloc(r->arena, 1, sizeof(*p));
	p[0] = sw->run.out;
	db_call(r, Q_METRIC_SNAPSHOT_STORE, stored, p);
}

static void
next_done(struct req *r, PGresult *res)
{
	struct snapwork *sw;

	if (PQgetisnull(res, 0, 0)) {
		req_reply(r, 204, NULL, "", 0);
		return;
	}
	sw = arena_calloc(r->arena, 1, sizeof(*sw));
	sw->in = strdup(PQgetvalue(res, 0, 0));
	if (sw->in == NULL)
		abort();
	arena_defer(r->arena, work_free, sw);
	r->ctx = sw;
	req_task(r, work, made, sw);
}

static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct worker *w = arg;
	struct snapjob *sj = w->snap;
	struct req *carrier;

	(void)fd;
	(void)what;
	if (sj == NULL || sj->running || w->draining ||
	        dbpool_connected(w->db) == 0)
		return;
	sj->running = 1;
	carrier = req_new_internal(w, "metrics-snapshot", answered);
	db_call(carrier, Q_METRIC_SNAPSHOT_NEXT, next_done,
	        arena_calloc(carrier->arena, 1, sizeof(char *)));
}

void
snapshot_worker_start(struct worker *w)
{
	int ms = g_server.cfg.metrics_snapshot_interval_ms;
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
	struct snapjob *sj;

	if (w->id != 0 || ms == 0)
		return;
	sj = calloc(1, sizeof(*sj));
	if (sj == NULL)
		abort();
	sj->timer = event_new(w->base, -1, EV_PERSIST, on_tick, w);
	if (sj->timer == NULL)
		abort();
	w->snap = sj;
	evtimer_add(sj->timer, &tv);
}

void
snapshot_worker_stop(struct worker *w)
{
	struct snapjob *sj = w->snap;

	if (sj == NULL)
		return;
	event_free(sj->timer);
	free(sj);
	w->snap = NULL;
}
