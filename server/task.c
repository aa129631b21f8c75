/*
 * task.c - task pool glue: pool thread -> event_base_once -> worker loop
 */
#include "task.h"

#include <event2/event.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "req.h"
#include "server.h"

struct task {
	struct req *r;
	req_work_fn work;
	req_done_fn done;
	void *arg;
};

static void
run(void *p)
{
	struct task *t = p;

	t->work(t->r, t->arg);
}

static void
back_on_loop(evutil_socket_t fd, short what, void *p)
{
	struct task *t = p;
	struct req *r = t->r;

	(void)fd;
	(void)what;
	atomic_fetch_sub(&g_server.cpu_in_flight, 1);
	r->pending--;
	if (!req_wanted(r)) {
		req_release(r);
		return;
	}
	t->done(r, t->arg);
}

/* On the pool thread: event_base_once is thread-safe with evthread. */
static void
post(void *p)
{
	struct task *t = p;

	if (event_base_once(
	            t->r->w->base, -1, EV_TIMEOUT, back_on_loop, t, NULL) != 0)
		abort();
}

int
req_task(struct req *r, req_work_fn work, req_done_fn done, void *arg)
{
	struct task *t = arena_alloc(r->arena, sizeof(*t));

	t->r = r;
	t->work = work;
	t->done = done;
	t->arg = arg;
	r->pending++;
	atomic_fetch_add(&g_server.cpu_in_flight, 1);
	if (taskpool_submit(g_server.tasks, run, post, t) != ERR_OK) {
		atomic_fetch_sub(&g_server.cpu_in_flight, 1);
		r->pending--;
		r->problem.retry_after = 1;
		req_fail(r, ERR_UNAVAILABLE,
		        "the server is busy; retry shortly");
		return 0;
	}
	return 1;
}
