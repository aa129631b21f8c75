/*
 * test_taskpool.c - the bounded thread pool
 *
 * Synchronisation is by mutex and condition variables only: tasks that
 * must stay busy wait on a gate the test opens, and the test waits for
 * "started" and "done" counts, never for time to pass.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "taskpool.h"

#define MAXTASKS 4096

struct world {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int gate_open;
	int started;         /* work() entered */
	int worked;          /* work() finished */
	int done;            /* done() called */
	int runs[MAXTASKS];  /* work() calls per task id */
	int dones[MAXTASKS]; /* done() calls per task id */
	int order[MAXTASKS]; /* ids in the order work() started */
	int norder;
	int done_before_work; /* done() seen before work() */
	pthread_t worker_of[MAXTASKS];
};

static struct world w;

struct task_arg {
	int id;
	int block; /* wait for the gate before finishing */
};

static struct task_arg args[MAXTASKS];

static void
world_init(void)
{
	memset(&w, 0, sizeof(w));
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.cv, NULL);
	memset(args, 0, sizeof(args));
}

static void
world_fini(void)
{
	pthread_cond_destroy(&w.cv);
	pthread_mutex_destroy(&w.mu);
}

static void
work(void *p)
{
	struct task_arg *a = p;

	pthread_mutex_lock(&w.mu);
	w.started++;
	w.runs[a->id]++;
	if (w.norder < MAXTASKS)
		w.order[w.norder++] = a->id;
	w.worker_of[a->id] = pthread_self();
	pthread_cond_broadcast(&w.cv);
	while (a->block && !w.gate_open)
		pthread_cond_wait(&w.cv, &w.mu);
	w.worked++;
	pthread_mutex_unlock(&w.mu);
}

static void
done(void *p)
{
	struct task_arg *a = p;

	pthread_mutex_lock(&w.mu);
	if (w.runs[a->id] == 0)
		w.done_before_work = 1;
	/* done runs on the pool thread, right after the work. */
	if (!pthread_equal(w.worker_of[a->id], pthread_self()))
		w.done_before_work = 1;
	w.dones[a->id]++;
	w.done++;
	pthread_cond_broadcast(&w.cv);
	pthread_mutex_unlock(&w.mu);
}

static void
wait_started(int n)
{
	pthread_mutex_lock(&w.mu);
	while (w.started < n)
		pthread_cond_wait(&w.cv, &w.mu);
	pthread_mutex_unlock(&w.mu);
}

static void
wait_done(int n)
{
	pthread_mutex_lock(&w.mu);
	while (w.done < n)
		pthread_cond_wait(&w.cv, &w.mu);
	pthread_mutex_unlock(&w.mu);
}

static void
open_gate(void)
{
	pthread_mutex_lock(&w.mu);
	w.gate_open = 1;
	pthread_cond_broadcast(&w.cv);
	pthread_mutex_unlock(&w.mu);
}

static void
close_gate(void)
{
	pthread_mutex_lock(&w.mu);
	w.gate_open = 0;
	pthread_mutex_unlock(&w.mu);
}

static enum err
submit(struct taskpool *tp, int id, int block)
{
	args[id].id = id;
	args[id].block = block;
	return taskpool_submit(tp, work, done, &args[id]);
}

static void
check_each_ran_once(int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (w.runs[i] != 1 || w.dones[i] != 1)
			fail_msg("task %d: work ran %d times, done %d times", i,
			        w.runs[i], w.dones[i]);
	}
	assert_false(w.done_before_work);
}

static void
test_all_tasks_run_and_done_called(void **state)
{
	enum { N = 1000 };
	struct taskpool *tp;
	int i;

	(void)state;
	world_init();
	tp = taskpool_new(4, N);
	for (i = 0; i < N; i++)
		assert_int_equal(submit(tp, i, 0), ERR_OK);
	wait_done(N);
	taskpool_free(tp);
	assert_int_equal(w.started, N);
	assert_int_equal(w.done, N);
	check_each_ran_once(N);
	world_fini();
}

/* Submitting while work runs, refilling a small queue many times. */
static void
test_steady_flow_through_small_queue(void **state)
{
	enum { N = 2000 };
	struct taskpool *tp;
	int i = 0;

	(void)state;
	world_init();
	tp = taskpool_new(3, 4);
	while (i < N) {
		enum err e = submit(tp, i, 0);

		if (e == ERR_OK) {
			i++;
			continue;
		}
		assert_int_equal(e, ERR_UNAVAILABLE);
		/* Full: wait until one more task finished, then retry. */
		pthread_mutex_lock(&w.mu);
		{
			int seen = w.done;

			while (w.done == seen && w.done < i)
				pthread_cond_wait(&w.cv, &w.mu);
		}
		pthread_mutex_unlock(&w.mu);
	}
	wait_done(N);
	taskpool_free(tp);
	check_each_ran_once(N);
	world_fini();
}

/*
 * Both workers blocked, the queue filled to capacity: the next submit is
 * refused, and the refused task never runs.
 */
static void
test_queue_full_refused(void **state)
{
	enum { THREADS = 2, QUEUE = 3 };
	struct taskpool *tp;
	int i;

	(void)state;
	world_init();
	tp = taskpool_new(THREADS, QUEUE);
	for (i = 0; i < THREADS; i++)
		assert_int_equal(submit(tp, i, 1), ERR_OK);
	wait_started(THREADS); /* both workers are now busy */
	assert_int_equal(taskpool_pending(tp), THREADS);
	for (i = THREADS; i < THREADS + QUEUE; i++)
		assert_int_equal(submit(tp, i, 0), ERR_OK);
	assert_int_equal(taskpool_pending(tp), THREADS + QUEUE);
	assert_int_equal(submit(tp, THREADS + QUEUE, 0), ERR_UNAVAILABLE);
	assert_int_equal(submit(tp, THREADS + QUEUE + 1, 0), ERR_UNAVAILABLE);
	assert_int_equal(taskpool_pending(tp), THREADS + QUEUE);
	/* Nothing queued has started while the workers are blocked. */
	pthread_mutex_lock(&w.mu);
	assert_int_equal(w.started, THREADS);
	pthread_mutex_unlock(&w.mu);

	open_gate();
	wait_done(THREADS + QUEUE);
	/* Room again once the queue drained. */
	assert_int_equal(submit(tp, THREADS + QUEUE + 2, 0), ERR_OK);
	wait_done(THREADS + QUEUE + 1);
	taskpool_free(tp);
	check_each_ran_once(THREADS + QUEUE);
	assert_int_equal(w.runs[THREADS + QUEUE], 0);
	assert_int_equal(w.runs[THREADS + QUEUE + 1], 0);
	assert_int_equal(w.runs[THREADS + QUEUE + 2], 1);
	assert_int_equal(w.done, THREADS + QUEUE + 1);
	world_fini();
}

/* pending counts waiting plus running tasks, and drops to 0 at the end. */
static void
test_pending_counts(void **state)
{
	struct taskpool *tp;

	(void)state;
	world_init();
	tp = taskpool_new(1, 8);
	assert_int_equal(taskpool_pending(tp), 0);
	assert_int_equal(submit(tp, 0, 1), ERR_OK);
	wait_started(1);
	assert_int_equal(taskpool_pending(tp), 1);
	assert_int_equal(submit(tp, 1, 0), ERR_OK);
	assert_int_equal(submit(tp, 2, 0), ERR_OK);
	assert_int_equal(taskpool_pending(tp), 3);
	open_gate();
	wait_done(3);
	taskpool_free(tp);
	check_each_ran_once(3);
	world_fini();
}

/* One worker runs tasks first in, first out, across ring wrap-around. */
static void
test_fifo_order_and_wraparound(void **state)
{
	enum { QUEUE = 3, ROUNDS = 7 };
	struct taskpool *tp;
	int id = 0, r, k, i;

	(void)state;
	world_init();
	tp = taskpool_new(1, QUEUE);
	for (r = 0; r < ROUNDS; r++) {
		int first = id;

		close_gate();
		assert_int_equal(submit(tp, id++, 1), ERR_OK);
		wait_started(first + 1);
		for (k = 0; k < QUEUE; k++)
			assert_int_equal(submit(tp, id++, 0), ERR_OK);
		assert_int_equal(submit(tp, MAXTASKS - 1, 0), ERR_UNAVAILABLE);
		open_gate();
		wait_done(id);
	}
	taskpool_free(tp);
	assert_int_equal(w.norder, id);
	for (i = 0; i < id; i++)
		assert_int_equal(w.order[i], i);
	check_each_ran_once(id);
	assert_int_equal(w.runs[MAXTASKS - 1], 0);
	world_fini();
}

/* done may be NULL: the work still runs. */
static int plain_runs;
static pthread_mutex_t plain_mu = PTHREAD_MUTEX_INITIALIZER;

static void
plain_work(void *p)
{
	(void)p;
	pthread_mutex_lock(&plain_mu);
	plain_runs++;
	pthread_mutex_unlock(&plain_mu);
}

static void
test_null_done(void **state)
{
	struct taskpool *tp;
	int i;

	(void)state;
	plain_runs = 0;
	tp = taskpool_new(2, 16);
	for (i = 0; i < 16; i++)
		assert_int_equal(
		        taskpool_submit(tp, plain_work, NULL, NULL), ERR_OK);
	taskpool_free(tp); /* runs every queued task before returning */
	assert_int_equal(plain_runs, 16);
}

/*
 * taskpool_free runs what is still queued: the single worker is blocked
 * while tasks queue up, and the gate opens only after free was called.
 */
struct freer {
	struct taskpool *tp;
};

static void *
free_thread(void *p)
{
	struct freer *f = p;

	taskpool_free(f->tp);
	return NULL;
}

static void
test_free_runs_queued_tasks(void **state)
{
	enum { QUEUED = 10, CAP = 1 << 20, EXTRA = MAXTASKS - 2 };
	struct taskpool *tp;
	struct freer f;
	pthread_t th;
	int i, extra = 0;

	(void)state;
	world_init();
	tp = taskpool_new(1, CAP);
	assert_int_equal(submit(tp, 0, 1), ERR_OK);
	wait_started(1);
	for (i = 1; i <= QUEUED; i++)
		assert_int_equal(submit(tp, i, 0), ERR_OK);
	f.tp = tp;
	assert_int_equal(pthread_create(&th, NULL, free_thread, &f), 0);
	/*
	 * Once free has marked the pool as stopping, submit refuses although
	 * the queue is far from full. Until then, tasks still queue (all
	 * sharing the EXTRA slot, and they will run too). The worker is
	 * blocked throughout, so tp stays valid.
	 */
	args[EXTRA].id = EXTRA;
	for (;;) {
		enum err e;

		assert_true(QUEUED + 1 + extra < CAP);
		e = taskpool_submit(tp, work, done, &args[EXTRA]);
		if (e == ERR_UNAVAILABLE)
			break;
		assert_int_equal(e, ERR_OK);
		extra++;
		sched_yield();
	}
	pthread_mutex_lock(&w.mu);
	assert_int_equal(w.started, 1); /* still blocked: nothing ran yet */
	pthread_mutex_unlock(&w.mu);
	open_gate();
	assert_int_equal(pthread_join(th, NULL), 0);
	/* Everything accepted before stopping ran, once. */
	assert_int_equal(w.done, QUEUED + 1 + extra);
	check_each_ran_once(QUEUED + 1);
	assert_int_equal(w.runs[EXTRA], extra);
	assert_int_equal(w.dones[EXTRA], extra);
	world_fini();
}

/* Free with the gate opened just before: same outcome, simpler timing. */
static void
test_free_drains_queue(void **state)
{
	enum { N = 50 };
	struct taskpool *tp;
	int i;

	(void)state;
	world_init();
	tp = taskpool_new(2, N);
	assert_int_equal(submit(tp, 0, 1), ERR_OK);
	assert_int_equal(submit(tp, 1, 1), ERR_OK);
	wait_started(2);
	for (i = 2; i < N; i++)
		assert_int_equal(submit(tp, i, 0), ERR_OK);
	open_gate();
	taskpool_free(tp);
	assert_int_equal(w.done, N);
	check_each_ran_once(N);
	world_fini();
}

static void
test_free_idle_and_null(void **state)
{
	struct taskpool *tp;

	(void)state;
	taskpool_free(NULL);
	tp = taskpool_new(4, 1);
	taskpool_free(tp); /* idle threads wake up and exit */
	tp = taskpool_new(1, 1);
	assert_int_equal(taskpool_pending(tp), 0);
	taskpool_free(tp);
}

/* Queue of one: exactly one waiting task beyond the running ones. */
static void
test_queue_of_one(void **state)
{
	struct taskpool *tp;

	(void)state;
	world_init();
	tp = taskpool_new(1, 1);
	assert_int_equal(submit(tp, 0, 1), ERR_OK);
	wait_started(1);
	assert_int_equal(submit(tp, 1, 0), ERR_OK);
	assert_int_equal(submit(tp, 2, 0), ERR_UNAVAILABLE);
	open_gate();
	wait_done(2);
	taskpool_free(tp);
	check_each_ran_once(2);
	assert_int_equal(w.runs[2], 0);
	world_fini();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_all_tasks_run_and_done_called),
	        cmocka_unit_test(test_steady_flow_through_small_queue),
	        cmocka_unit_test(test_queue_full_refused),
	        cmocka_unit_test(test_pending_counts),
	        cmocka_unit_test(test_fifo_order_and_wraparound),
	        cmocka_unit_test(test_null_done),
	        cmocka_unit_test(test_free_runs_queued_tasks),
	        cmocka_unit_test(test_free_drains_queue),
	        cmocka_unit_test(test_free_idle_and_null),
	        cmocka_unit_test(test_queue_of_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
