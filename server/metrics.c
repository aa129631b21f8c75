/*
 * metrics.c - counters per (route, status) and latency histograms per route
 */
#include "metrics.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "route.h"
#include "router.h"
#include "server.h"

/* Statuses we count individually; anything else lands in "other". */
static const int statuses[] = {200, 201, 204, 400, 401, 403, 404, 405, 408, 409,
        411, 413, 415, 422, 429, 431, 499, 500, 501, 503, 505};
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]) + 1)

/* Histogram upper bounds in seconds (Prometheus "le"). */
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
        0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NBOUNDS (sizeof(bounds) / sizeof(bounds[0]))

struct route_counters {
	atomic_uint_fast64_t by_status[NSTATUS];
	atomic_uint_fast64_t bucket[NBOUNDS + 1]; /* last: +Inf */
	atomic_uint_fast64_t sum_us;
};

static struct route_counters *counters; /* index 0: no route */
static size_t ncounters;

void
metrics_init(size_t nroutes)
{
	ncounters = nroutes + 1;
	counters = calloc(ncounters, sizeof(*counters));
	if (counters == NULL)
		abort();
}

void
metrics_free(void)
{
	free(counters);
	counters = NULL;
	ncounters = 0;
}

static size_t
status_index(int status)
{
	size_t i;

	for (i = 0; i < NSTATUS - 1; i++)
		if (statuses[i] == status)
			return i;
	return NSTATUS - 1;
}

void
metrics_observe(int route, unsigned method, int status, uint64_t ns)
{
	struct route_counters *c;
	double s = (double)ns / 1e9;
	size_t b;

	(void)method;
	if (counters == NULL)
		return;
	c = &counters[route < 0 ? 0 : (size_t)route + 1];
	atomic_fetch_add_explicit(
	        &c->by_status[status_index(status)], 1, memory_order_relaxed);
	for (b = 0; b < NBOUNDS && s > bounds[b]; b++)
		;
	atomic_fetch_add_explicit(&c->bucket[b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&c->sum_us, ns / 1000, memory_order_relaxed);
}

/* A growable text buffer in the arena. */
struct text {
	struct arena *a;
	char *buf;
	size_t len, cap;
};

static void add(struct text *t, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

static void
add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		{
			char *nb = arena_alloc(t->a, t->cap * 2 + (size_t)n);

			memcpy(nb, t->buf, t->len);
			t->buf = nb;
			t->cap = t->cap * 2 + (size_t)n;
		}
	}
}

static const char *
route_label(size_t i, char *buf, size_t size)
{
	if (i == 0)
		return "none";
	snprintf(buf, size, "%s %s",
	        route_method_name(router_method((int)i - 1)),
	        router_pattern((int)i - 1));
	return buf;
}

/* The database pools' families, one sample per pool kind present: the
 * primary always, "read" with a replica (PARTICIPE_DATABASE_READ_URL). */
static void
db_render(struct text *t)
{
	static const struct {
		const char *name, *type, *help;
	} fam[] = {
	        {"participe_db_pool_connections", "gauge",
	                "Database connections configured."},
	        {"participe_db_pool_connected", "gauge",
	                "Database connections established."},
	        {"participe_db_pool_in_use", "gauge",
	                "Database connections running a query."},
	        {"participe_db_pool_waiting", "gauge",
	                "Requests waiting for a database connection."},
	        {"participe_db_queries_total", "counter",
	                "Statements sent to the database."},
	};
	static const char *const pool[] = {"primary", "read"};
	unsigned long long v[2][5] = {{0}};
	/* the primary always; the read pool when there is one */
	size_t f, k, nkinds = 1;
	int w;

	for (w = 0; w < g_server.nworkers; w++) {
		struct dbpool *p[2] = {
		        g_server.workers[w].db, g_server.workers[w].db_read};

		for (k = 0; k < 2; k++) {
			struct dbpool_stats st;

			if (p[k] == NULL)
				continue;
			dbpool_stats(p[k], &st);
			if (k == DBPOOL_READ)
				nkinds = 2;
			v[k][0] += (unsigned long long)st.size;
			v[k][1] += (unsigned long long)st.connected;
			v[k][2] += (unsigned long long)st.in_use;
			v[k][3] += (unsigned long long)st.waiting;
			v[k][4] += st.queries;
		}
	}
	for (f = 0; f < sizeof(fam) / sizeof(fam[0]); f++) {
		add(t, "# HELP %s %s\n# TYPE %s %s\n", fam[f].name, fam[f].help,
		        fam[f].name, fam[f].type);
		for (k = 0; k < nkinds; k++)
			add(t, "%s{pool=\"%s\"} %llu\n", fam[f].name, pool[k],
			        v[k][f]);
	}
}

char *
metrics_render(struct arena *a, size_t *len)
{
	struct text t = {a, arena_alloc(a, 16384), 0, 16384};
	char label[160];
	const char *lab;
	size_t i, s, b;

	add(&t, "# HELP participe_http_requests_total Requests answered, by "
	        "route and status.\n"
	        "# TYPE participe_http_requests_total counter\n");
	for (i = 0; i < ncounters; i++)
		for (s = 0; s < NSTATUS; s++) {
			uint64_t v =
			        atomic_load_explicit(&counters[i].by_status[s],
			                memory_order_relaxed);
			char st[8];

			if (v == 0)
				continue;
			if (s == NSTATUS - 1)
				snprintf(st, sizeof(st), "other");
			else
				snprintf(st, sizeof(st), "%d", statuses[s]);
			add(&t,
			        "participe_http_requests_total{route=\"%s\","
			        "status=\"%s\"} %llu\n",
			        route_label(i, label, sizeof(label)), st,
			        (unsigned long long)v);
		}
	add(&t, "# HELP participe_http_request_duration_seconds Time from "
	        "request head to answer, by route.\n"
	        "# TYPE participe_http_request_duration_seconds histogram\n");
	for (i = 0; i < ncounters; i++) {
		uint64_t cum = 0, n = 0;

		for (b = 0; b <= NBOUNDS; b++)
			n += atomic_load_explicit(
			        &counters[i].bucket[b], memory_order_relaxed);
		if (n == 0)
			continue;
		lab = route_label(i, label, sizeof(label));
		for (b = 0; b <= NBOUNDS; b++) {
			cum += atomic_load_explicit(
			        &counters[i].bucket[b], memory_order_relaxed);
			if (b < NBOUNDS)
				add(&t,
				        "participe_http_request_duration_"
				        "seconds_bucket{route=\"%s\",le=\"%g\"}"
				        " "
				        "%llu\n",
				        lab, bounds[b],
				        (unsigned long long)cum);
			else
				add(&t,
				        "participe_http_request_duration_"
				        "seconds_bucket{route=\"%s\",le=\"+"
				        "Inf\"}"
				        " %llu\n",
				        lab, (unsigned long long)cum);
		}
		add(&t,
		        "participe_http_request_duration_seconds_sum{route=\"%"
		        "s\"} "
		        "%.6f\n"
		        "participe_http_request_duration_seconds_count{route="
		        "\"%s\"}"
		        " %llu\n",
		        lab,
		        (double)atomic_load_explicit(
		                &counters[i].sum_us, memory_order_relaxed) /
		                1e6,
		        lab, (unsigned long long)cum);
	}
	db_render(&t);
	add(&t,
	        "# HELP participe_db_reconnects_total Database connections "
	        "re-established after a loss.\n"
	        "# TYPE participe_db_reconnects_total counter\n"
	        "participe_db_reconnects_total %llu\n"
	        "# HELP participe_cpu_tasks_pending CPU tasks queued or "
	        "running.\n"
	        "# TYPE participe_cpu_tasks_pending gauge\n"
	        "participe_cpu_tasks_pending %d\n"
	        "# HELP participe_ballot_batches_total Ballot append "
	        "transactions committed.\n"
	        "# TYPE participe_ballot_batches_total counter\n"
	        "participe_ballot_batches_total %llu\n"
	        "# HELP participe_ballots_appended_total Ballots appended to "
	        "the logs.\n"
	        "# TYPE participe_ballots_appended_total counter\n"
	        "participe_ballots_appended_total %llu\n",
	        (unsigned long long)atomic_load(&g_server.db_reconnects),
	        g_server.tasks != NULL ? taskpool_pending(g_server.tasks) : 0,
	        (unsigned long long)atomic_load(&g_server.ballot_batches),
	        (unsigned long long)atomic_load(&g_server.ballots_appended));
	*len = t.len;
	return t.buf;
}
