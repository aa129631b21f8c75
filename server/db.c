/*
 * db.c - non-blocking libpq connections driven by a worker's event loop
 *
 * A connection goes DOWN -> CONNECTING -> PREPARING -> IDLE <-> BUSY and
 * back to DOWN when it is lost, after which it retries with exponential
 * backoff (100 ms doubling to 5 s, with jitter). Calls wait in a FIFO when
 * every connection is busy; the FIFO is bounded and its entries expire.
 */
#include "db.h"

#include <event2/event.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "req.h"
#include "server.h"

#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000
#define CONNECT_TIMEOUT_MS 5000
#define SWEEP_MS 100

static const struct {
	const char *name;
	int nparams;
	const char *sql;
	int read; /* QR: may run on the read replica */
} queries[] = {
#define Q(name, nparams, sql) {#name, nparams, sql, 0},
#define QR(name, nparams, sql) {#name, nparams, sql, 1},
#include "queries.h"
#undef QR
#undef Q
};

static const char *const kind_names[] = {"primary", "read"};

enum dc_state { DC_DOWN, DC_CONNECTING, DC_PREPARING, DC_IDLE, DC_BUSY };

struct job {
	struct job *next;
	struct req *r;
	enum query q;
	const char *const *params;
	db_done_fn done;
	uint64_t enqueued_ns;
};

struct dbconn {
	struct dbpool *pool;
	PGconn *pg;
	enum dc_state st;
	struct event *cev; /* connect-phase readiness / retry timer */
	struct event *rev; /* persistent read readiness once connected */
	struct event *wev; /* write readiness while PQflush has more */
	int prep_next;     /* next statement to prepare */
	struct job *job;
	PGresult *res;
	int backoff_ms;
	int was_connected; /* a success after a loss counts as reconnect */
};

struct dbpool {
	struct worker *w;
	enum dbpool_kind kind;
	char *conninfo;
	int size, queue_max, queue_timeout_ms;
	struct dbconn *conns;
	struct job *qhead, *qtail;
	atomic_int waiting, connected, in_use;
	atomic_uint_fast64_t queries;
	struct event *sweep;
	int closing;
};

static void dc_connect(struct dbconn *dc);
static void dc_next(struct dbconn *dc);

const char *
db_query_name(enum query q)
{
	return queries[q].name;
}

/* Delivers a job's outcome; the request may already be answered/gone. */
static void
job_finish(struct job *j, PGresult *res, enum err e, const char *sqlstate)
{
	struct req *r = j->r;

	r->pending--;
	if (res != NULL)
		arena_defer(r->arena, (arena_cleanup_fn)PQclear, res);
	if (!req_wanted(r)) {
		req_release(r);
		return;
	}
	if (e == ERR_OK) {
		j->done(r, res);
		return;
	}
	if (res != NULL && sqlstate != NULL) {
		const char *msg =
		        PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		const char *det =
		        PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
		enum err pe = problem_err_from_sqlstate(sqlstate);

		if (pe == ERR_INTERNAL || pe == ERR_UNAVAILABLE) {
			log_json("error", "database error",
			        json_pack("{s:s, s:s, s:s, s:s}", "req_id",
			                r->id, "query", queries[j->q].name,
			                "sqlstate", sqlstate, "error",
			                msg ? msg : ""));
			req_fail(r, pe,
			        pe == ERR_UNAVAILABLE
			                ? "the database is unavailable"
			                : "the request could not be completed");
			return;
		}
		if (det != NULL && det[0] == '[') {
			/* Our SQL functions put field errors in DETAIL. */
			json_t *errs = json_loads(det, 0, NULL);

			if (json_is_array(errs))
				r->problem.errors = errs;
			else
				json_decref(errs);
		}
		if (pe == ERR_RATE_LIMITED) {
			/* api.rate_hit() puts the seconds to wait in HINT. */
			const char *hint =
			        PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
			long s = hint != NULL ? strtol(hint, NULL, 10) : 0;

			r->problem.retry_after =
			        s > 0 && s < 86400 ? (int)s : 60;
		}
		req_fail(r, pe, "%s", msg ? msg : "request refused");
		return;
	}
	r->problem.retry_after = 1;
	req_fail(r, e,
	        e == ERR_UNAVAILABLE ? "the database is unavailable"
	                             : "database request failed");
}

static void
fail_queue(struct dbpool *p, enum err e)
{
	while (p->qhead != NULL) {
		struct job *j = p->qhead;

		p->qhead = j->next;
		atomic_fetch_sub(&p->waiting, 1);
		job_finish(j, NULL, e, NULL);
	}
	p->qtail = NULL;
}

static void
dc_drop_events(struct dbconn *dc)
{
	if (dc->rev != NULL)
		event_free(dc->rev);
	if (dc->wev != NULL)
		event_free(dc->wev);
	dc->rev = dc->wev = NULL;
	event_del(dc->cev);
}

static void
dc_retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	dc_connect(arg);
}

static void
dc_lost(struct dbconn *dc, const char *why)
{
	struct dbpool *p = dc->pool;
	int was_up = dc->st == DC_IDLE || dc->st == DC_BUSY ||
	             dc->st == DC_PREPARING;
	struct timeval tv;
	int ms;

	if (dc->st == DC_IDLE || dc->st == DC_BUSY)
		atomic_fetch_sub(&p->connected, 1);
	if (dc->st == DC_BUSY)
		atomic_fetch_sub(&p->in_use, 1);
	if (!p->closing && (was_up || dc->was_connected == 0))
		log_json("warn", "database connection lost",
		        json_pack("{s:i, s:s, s:s}", "worker", p->w->id, "pool",
		                kind_names[p->kind], "error",
		                why != NULL ? why : ""));
	dc_drop_events(dc);
	if (dc->res != NULL) {
		PQclear(dc->res);
		dc->res = NULL;
	}
	if (dc->pg != NULL) {
		PQfinish(dc->pg);
		dc->pg = NULL;
	}
	dc->st = DC_DOWN;
	if (was_up)
		dc->was_connected = 1;
	if (dc->job != NULL) {
		struct job *j = dc->job;

		dc->job = NULL;
		job_finish(j, NULL, ERR_UNAVAILABLE, NULL);
	}
	if (atomic_load(&p->connected) == 0)
		fail_queue(p, ERR_UNAVAILABLE);
	if (p->closing)
		return;
	ms = dc->backoff_ms;
	ms += (int)randombytes_uniform((uint32_t)(ms / 4 + 1));
	dc->backoff_ms = dc->backoff_ms * 2 > BACKOFF_MAX_MS
	                         ? BACKOFF_MAX_MS
	                         : dc->backoff_ms * 2;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	event_assign(dc->cev, p->w->base, -1, 0, dc_retry, dc);
	event_add(dc->cev, &tv);
}

static void
dc_flush(struct dbconn *dc)
{
	int rc = PQflush(dc->pg);

	if (rc < 0)
		dc_lost(dc, PQerrorMessage(dc->pg));
	else if (rc == 1)
		event_add(dc->wev, NULL);
}

static void
dc_send_prepare(struct dbconn *dc)
{
	const char *nm = queries[dc->prep_next].name;

	if (!PQsendPrepare(dc->pg, nm, queries[dc->prep_next].sql,
	            queries[dc->prep_next].nparams, NULL)) {
		dc_lost(dc, PQerrorMessage(dc->pg));
		return;
	}
	dc_flush(dc);
}

static void
dc_send_job(struct dbconn *dc, struct job *j)
{
	dc->job = j;
	dc->st = DC_BUSY;
	atomic_fetch_add(&dc->pool->in_use, 1);
	atomic_fetch_add_explicit(&dc->pool->queries, 1, memory_order_relaxed);
	if (!PQsendQueryPrepared(dc->pg, queries[j->q].name,
	            queries[j->q].nparams, j->params, NULL, NULL, 0)) {
		dc_lost(dc, PQerrorMessage(dc->pg));
		return;
	}
	dc_flush(dc);
}

/* The current command's results are all in. */
static void
dc_command_done(struct dbconn *dc)
{
	PGresult *res = dc->res;

	dc->res = NULL;
	if (dc->st == DC_PREPARING) {
		if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK)
			log_json("error", "cannot prepare statement",
			        json_pack("{s:s, s:s}", "query",
			                queries[dc->prep_next].name, "error",
			                res != NULL ? PQresultErrorMessage(res)
			                            : "no result"));
		PQclear(res);
		if (++dc->prep_next < Q__COUNT) {
			dc_send_prepare(dc);
			return;
		}
		dc->st = DC_IDLE;
		dc->backoff_ms = BACKOFF_MIN_MS;
		atomic_fetch_add(&dc->pool->connected, 1);
		if (dc->was_connected) {
			atomic_fetch_add(&g_server.db_reconnects, 1);
			log_json("info", "database connection re-established",
			        json_pack("{s:i, s:s}", "worker",
			                dc->pool->w->id, "pool",
			                kind_names[dc->pool->kind]));
		}
		dc_next(dc);
		return;
	}
	if (dc->st == DC_BUSY) {
		struct job *j = dc->job;
		ExecStatusType s =
		        res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;

		dc->job = NULL;
		dc->st = DC_IDLE;
		atomic_fetch_sub(&dc->pool->in_use, 1);
		if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK) {
			job_finish(j, res, ERR_OK, NULL);
		} else if (res != NULL) {
			const char *st =
			        PQresultErrorField(res, PG_DIAG_SQLSTATE);

			job_finish(j, res, ERR_INTERNAL, st ? st : "XX000");
		} else {
			job_finish(j, NULL, ERR_INTERNAL, NULL);
		}
		if (PQstatus(dc->pg) == CONNECTION_BAD) {
			dc_lost(dc, PQerrorMessage(dc->pg));
			return;
		}
		dc_next(dc);
		return;
	}
	PQclear(res);
}

static void
dc_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct dbconn *dc = arg;

	(void)fd;
	(void)what;
	if (!PQconsumeInput(dc->pg)) {
		dc_lost(dc, PQerrorMessage(dc->pg));
		return;
	}
	while (dc->st == DC_PREPARING || dc->st == DC_BUSY) {
		PGresult *res;

		if (PQisBusy(dc->pg))
			break;
		res = PQgetResult(dc->pg);
		if (res == NULL) {
			dc_command_done(dc);
			continue;
		}
		if (dc->res == NULL)
			dc->res = res;
		else
			PQclear(res);
	}
	if (dc->st == DC_IDLE) {
		PGresult *res;

		/* Nothing is expected; drain whatever arrived. */
		while (!PQisBusy(dc->pg) && (res = PQgetResult(dc->pg)) != NULL)
			PQclear(res);
	}
	if (dc->st != DC_DOWN && dc->st != DC_CONNECTING &&
	        PQstatus(dc->pg) == CONNECTION_BAD)
		dc_lost(dc, PQerrorMessage(dc->pg));
	else if (dc->st == DC_PREPARING || dc->st == DC_BUSY)
		dc_flush(dc);
}

static void
dc_on_write(evutil_socket_t fd, short what, void *arg)
{
	struct dbconn *dc = arg;

	(void)fd;
	(void)what;
	if (dc->st == DC_PREPARING || dc->st == DC_BUSY)
		dc_flush(dc);
}

static void
dc_ready(struct dbconn *dc)
{
	struct event_base *base = dc->pool->w->base;
	int fd = PQsocket(dc->pg);

	if (PQsetnonblocking(dc->pg, 1) != 0) {
		dc_lost(dc, PQerrorMessage(dc->pg));
		return;
	}
	dc->rev = event_new(base, fd, EV_READ | EV_PERSIST, dc_on_read, dc);
	dc->wev = event_new(base, fd, EV_WRITE, dc_on_write, dc);
	event_add(dc->rev, NULL);
	dc->st = DC_PREPARING;
	dc->prep_next = 0;
	dc_send_prepare(dc);
}

static void
dc_poll(evutil_socket_t fd, short what, void *arg)
{
	struct dbconn *dc = arg;
	PostgresPollingStatusType s;
	struct timeval tv = {CONNECT_TIMEOUT_MS / 1000, 0};

	(void)fd;
	if (what & EV_TIMEOUT) {
		dc_lost(dc, "timed out connecting to the database");
		return;
	}
	s = PQconnectPoll(dc->pg);
	switch (s) {
	case PGRES_POLLING_OK:
		dc_ready(dc);
		return;
	case PGRES_POLLING_READING:
	case PGRES_POLLING_WRITING:
		event_assign(dc->cev, dc->pool->w->base, PQsocket(dc->pg),
		        s == PGRES_POLLING_READING ? EV_READ : EV_WRITE,
		        dc_poll, dc);
		event_add(dc->cev, &tv);
		return;
	default:
		dc_lost(dc, PQerrorMessage(dc->pg));
		return;
	}
}

static void
dc_connect(struct dbconn *dc)
{
	/* A statement never runs longer than this; later keys override. A
	   read pool writes nothing, even when its URL names a primary. */
	const char *keys[] = {"dbname", "application_name", "options", NULL};
	const char *vals[] = {dc->pool->conninfo, "participe",
	        dc->pool->kind == DBPOOL_READ
	                ? "-c statement_timeout=30s "
	                  "-c default_transaction_read_only=on"
	                : "-c statement_timeout=30s",
	        NULL};

	dc->pg = PQconnectStartParams(keys, vals, 1);
	if (dc->pg == NULL) {
		dc_lost(dc, "out of memory");
		return;
	}
	if (PQstatus(dc->pg) == CONNECTION_BAD) {
		dc_lost(dc, PQerrorMessage(dc->pg));
		return;
	}
	dc->st = DC_CONNECTING;
	/* Before the first poll, behave as if it said "writing". */
	dc_poll(PQsocket(dc->pg), EV_WRITE, dc);
}

/* An idle connection takes the next queued call. */
static void
dc_next(struct dbconn *dc)
{
	struct dbpool *p = dc->pool;
	struct job *j = p->qhead;

	if (dc->st != DC_IDLE || j == NULL)
		return;
	p->qhead = j->next;
	if (p->qhead == NULL)
		p->qtail = NULL;
	atomic_fetch_sub(&p->waiting, 1);
	dc_send_job(dc, j);
}

static void
sweep(evutil_socket_t fd, short what, void *arg)
{
	struct dbpool *p = arg;
	uint64_t limit = (uint64_t)p->queue_timeout_ms * 1000000u;
	uint64_t now = now_ns();

	(void)fd;
	(void)what;
	while (p->qhead != NULL && now - p->qhead->enqueued_ns > limit) {
		struct job *j = p->qhead;

		p->qhead = j->next;
		if (p->qhead == NULL)
			p->qtail = NULL;
		atomic_fetch_sub(&p->waiting, 1);
		job_finish(j, NULL, ERR_UNAVAILABLE, NULL);
	}
}

struct dbpool *
dbpool_new(struct worker *w, enum dbpool_kind kind, const char *conninfo,
        int size, int queue, int queue_timeout_ms)
{
	struct dbpool *p = calloc(1, sizeof(*p));
	struct timeval tv = {0, SWEEP_MS * 1000};
	int i;

	if (p == NULL)
		abort();
	p->w = w;
	p->kind = kind;
	p->conninfo = strdup(conninfo);
	p->size = size;
	p->queue_max = queue;
	p->queue_timeout_ms = queue_timeout_ms;
	p->conns = calloc((size_t)size, sizeof(*p->conns));
	if (p->conninfo == NULL || p->conns == NULL)
		abort();
	p->sweep = event_new(w->base, -1, EV_PERSIST, sweep, p);
	event_add(p->sweep, &tv);
	for (i = 0; i < size; i++) {
		struct dbconn *dc = &p->conns[i];

		dc->pool = p;
		dc->backoff_ms = BACKOFF_MIN_MS;
		dc->cev = event_new(w->base, -1, 0, dc_poll, dc);
		dc_connect(dc);
	}
	return p;
}

void
db_call(struct req *r, enum query q, db_done_fn done, const char *const *params)
{
	struct dbpool *p = queries[q].read && r->w->db_read != NULL
	                           ? r->w->db_read
	                           : r->w->db;
	struct job *j;
	int i;

	if (atomic_load(&p->connected) == 0 || p->closing) {
		r->problem.retry_after = 1;
		req_fail(r, ERR_UNAVAILABLE, "the database is unavailable");
		return;
	}
	j = arena_calloc(r->arena, 1, sizeof(*j));
	j->r = r;
	j->q = q;
	j->params = params;
	j->done = done;
	j->enqueued_ns = now_ns();
	r->pending++;
	for (i = 0; i < p->size; i++)
		if (p->conns[i].st == DC_IDLE) {
			dc_send_job(&p->conns[i], j);
			return;
		}
	if (atomic_load(&p->waiting) >= p->queue_max) {
		r->pending--;
		r->problem.retry_after = 1;
		req_fail(r, ERR_UNAVAILABLE, "the server is saturated");
		return;
	}
	if (p->qtail != NULL)
		p->qtail->next = j;
	else
		p->qhead = j;
	p->qtail = j;
	atomic_fetch_add(&p->waiting, 1);
}

int
dbpool_connected(const struct dbpool *p)
{
	return atomic_load(&((struct dbpool *)p)->connected);
}

void
dbpool_stats(const struct dbpool *p, struct dbpool_stats *s)
{
	struct dbpool *m = (struct dbpool *)p;

	s->size = p->size;
	s->connected = atomic_load(&m->connected);
	s->in_use = atomic_load(&m->in_use);
	s->waiting = atomic_load(&m->waiting);
	s->queries = (unsigned long long)atomic_load_explicit(
	        &m->queries, memory_order_relaxed);
}

void
dbpool_free(struct dbpool *p)
{
	int i;

	if (p == NULL)
		return;
	p->closing = 1;
	fail_queue(p, ERR_UNAVAILABLE);
	for (i = 0; i < p->size; i++) {
		struct dbconn *dc = &p->conns[i];

		if (dc->st != DC_DOWN)
			dc_lost(dc, NULL);
		event_free(dc->cev);
	}
	event_free(p->sweep);
	free(p->conns);
	free(p->conninfo);
	free(p);
}
