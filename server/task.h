/*
 * task.h - running CPU-bound work for a request off the event loop
 *
 * req_task() hands 'work' to the process's task pool (lib/taskpool.c) and,
 * once it has run on a pool thread, calls 'done' back on the request's own
 * event loop. While the task is out, the request cannot be freed (it is
 * 'pending'); if its client left meanwhile, 'done' is not called and the
 * request is simply released. When the pool's queue is full the request
 * is answered 503 with Retry-After and 0 is returned.
 */
#ifndef PARTICIPE_TASK_H
#define PARTICIPE_TASK_H

struct req;

/* Blocking work on a pool thread; it must not touch the event loop. */
typedef void (*req_work_fn)(struct req *r, void *arg);

/* Back on the request's loop after the work. */
typedef void (*req_done_fn)(struct req *r, void *arg);

/* Queues the work; returns 1 when queued, 0 after answering 503. */
int req_task(struct req *r, req_work_fn work, req_done_fn done, void *arg);

#endif
