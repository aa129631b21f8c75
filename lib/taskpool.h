/*
 * taskpool.h - a small bounded pool of threads for CPU-bound blocking work
 *
 * Event loops must never block; work such as Argon2id password hashing
 * (tens of milliseconds and 64 MiB each) is handed to this pool instead.
 * The queue is bounded so that a burst turns into quick refusals (the
 * server answers 503) rather than unbounded memory and latency.
 */
#ifndef PARTICIPE_TASKPOOL_H
#define PARTICIPE_TASKPOOL_H

#include <stddef.h>

#include "err.h"

struct taskpool;

/* The blocking work; runs on a pool thread. */
typedef void (*task_work_fn)(void *arg);

/*
 * Called on the pool thread right after the work; it must hand the result
 * back to its owner (the server posts it to the request's event loop).
 */
typedef void (*task_done_fn)(void *arg);

/* Starts 'nthreads' threads with room for 'queue' waiting tasks. */
struct taskpool *taskpool_new(int nthreads, int queue);

/*
 * Queues a task; ERR_UNAVAILABLE when the queue is full or the pool is
 * stopping (the caller answers 503).
 */
enum err taskpool_submit(
        struct taskpool *tp, task_work_fn work, task_done_fn done, void *arg);

/* Tasks waiting plus running, for metrics. */
int taskpool_pending(struct taskpool *tp);

/* Runs every queued task to completion, stops the threads, frees. */
void taskpool_free(struct taskpool *tp);

#endif
