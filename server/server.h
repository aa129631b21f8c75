/*
 * server.h - the process-wide state of `participe serve` and its workers
 */
#ifndef PARTICIPE_SERVER_H
#define PARTICIPE_SERVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "taskpool.h"

struct event_base;
struct evconnlistener;
struct event;
struct dbpool;
struct conn;

/* One event loop thread: its own base, listener, connections and pool. */
struct worker {
	int id;
	struct event_base *base;
	struct evconnlistener *listener;
	int listen_fd;
	struct dbpool *db;
	struct dbpool *db_read; /* NULL without PARTICIPE_DATABASE_READ_URL */
	struct conn *conns;     /* doubly linked list of open connections */
	int nconns;
	int draining;
	struct event *stop_ev;
	struct event *drain_timer;
	pthread_t thread;
	char date[40]; /* cached IMF-fixdate for the Date header */
	time_t date_sec;
	uint64_t seq; /* requests served, for request ids */
	void *vote;   /* vote.c's state of this worker */
	void *snap;   /* snapshot.c's state (worker 0) */
};

/* Read-only after start-up, except the atomics. */
struct server {
	struct config cfg;
	struct worker *workers;
	int nworkers;
	struct taskpool *tasks;
	atomic_uint_fast64_t db_reconnects;
	atomic_int cpu_in_flight;
	/* Ballot append transactions and the ballots they appended. */
	atomic_uint_fast64_t ballot_batches, ballots_appended;
	uint64_t started_ns;
	char *openapi; /* api-spec/openapi.yaml, read at start-up */
	size_t openapi_len;
	/* An Argon2id hash of a random password with the configured cost:
	   login checks against it when the account does not exist. */
	char dummy_hash[128];
};

/* The one server of this process. */
extern struct server g_server;

/* Called when a draining worker's last connection has closed. */
void worker_drained(struct worker *w);

/* The cached Date header value of this worker (refreshed each second). */
const char *worker_date(struct worker *w);

/* Monotonic clock in nanoseconds. */
uint64_t now_ns(void);

#endif
