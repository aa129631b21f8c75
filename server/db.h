/*
 * db.h - per-worker pool of non-blocking libpq connections
 *
 * Each worker owns one pool driven by its own event loop: connections are
 * opened with PQconnectStart/PQconnectPoll, every statement of queries.h is
 * prepared once per connection, and queries are sent with
 * PQsendQueryPrepared and read back with PQconsumeInput/PQisBusy/
 * PQgetResult. Nothing here blocks. When every connection is busy, calls
 * wait in a bounded FIFO; when none is connected, they fail at once with
 * 503 and Retry-After. Lost connections reconnect with backoff.
 *
 * A worker may also own a read pool on a streaming replica: the statements
 * queries.h marks QR go there, every other one to the primary. When the
 * replica is down they fail with 503 like any unavailable database; they
 * never fall back to the primary.
 */
#ifndef PARTICIPE_DB_H
#define PARTICIPE_DB_H

#include <libpq-fe.h>

#include "err.h"

struct req;
struct worker;
struct dbpool;

/* Statement identifiers, from queries.h. */
enum query {
#define Q(name, nparams, sql) Q_##name,
#define QR Q
#include "queries.h"
#undef QR
#undef Q
	Q__COUNT
};

/*
 * Called on the worker's loop with a successful result (PGRES_TUPLES_OK or
 * PGRES_COMMAND_OK); the result is cleared when the request is freed.
 * Errors never reach it: the pool answers them as problem+json, mapping the
 * SQLSTATE through the error table.
 */
typedef void (*db_done_fn)(struct req *r, PGresult *res);

/* Which server a pool talks to; a read pool's sessions are read-only. */
enum dbpool_kind { DBPOOL_PRIMARY, DBPOOL_READ };

/* Creates a pool of 'size' connections and starts connecting. */
struct dbpool *dbpool_new(struct worker *w, enum dbpool_kind kind,
        const char *conninfo, int size, int queue, int queue_timeout_ms);

/*
 * Runs statement 'q' for request 'r' with text parameters (NULL = SQL
 * NULL; as many as queries.h declares) on the worker's read pool if 'q' is
 * a QR and there is one, else on its primary pool. The parameters must
 * stay valid until the result arrives (arena memory does).
 */
void db_call(struct req *r, enum query q, db_done_fn done,
        const char *const *params);

/* Connections currently usable (idle or busy). */
int dbpool_connected(const struct dbpool *p);

/* Snapshot of the pool for /metrics. */
struct dbpool_stats {
	int size, connected, in_use, waiting;
	unsigned long long queries; /* statements sent since start */
};

/* Fills 's' (reads plain ints: a slightly stale view is fine). */
void dbpool_stats(const struct dbpool *p, struct dbpool_stats *s);

/* Fails waiting calls, closes every connection, frees the pool. */
void dbpool_free(struct dbpool *p);

/* The statement's name as prepared ("COLLECTIVITY_LIST"). */
const char *db_query_name(enum query q);

#endif
