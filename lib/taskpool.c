/*
 * taskpool.c - fixed threads around a ring buffer guarded by one mutex
 */
#include "taskpool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct task {
	task_work_fn work;
	task_done_fn done;
	void *arg;
};

struct taskpool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct task *ring;
	int cap, head, count, running;
	int stopping;
	int nthreads;
	pthread_t *threads;
};

static void *
worker(void *p)
{
	struct taskpool *tp = p;

	for (;;) {
		struct task t;

		pthread_mutex_lock(&tp->mu);
		while (tp->count == 0 && !tp->stopping)
			pthread_cond_wait(&tp->cv, &tp->mu);
		if (tp->count == 0) {
			pthread_mutex_unlock(&tp->mu);
			return NULL;
		}
		t = tp->ring[tp->head];
		tp->head = (tp->head + 1) % tp->cap;
		tp->count--;
		tp->running++;
		pthread_mutex_unlock(&tp->mu);
		t.work(t.arg);
		if (t.done != NULL)
			t.done(t.arg);
		pthread_mutex_lock(&tp->mu);
		tp->running--;
		pthread_mutex_unlock(&tp->mu);
	}
}

struct taskpool *
taskpool_new(int nthreads, int queue)
{
	struct taskpool *tp = calloc(1, sizeof(*tp));
	int i;

	if (tp == NULL || nthreads < 1 || queue < 1)
		abort();
	pthread_mutex_init(&tp->mu, NULL);
	pthread_cond_init(&tp->cv, NULL);
	tp->cap = queue;
	tp->ring = calloc((size_t)queue, sizeof(*tp->ring));
	tp->threads = calloc((size_t)nthreads, sizeof(*tp->threads));
	if (tp->ring == NULL || tp->threads == NULL)
		abort();
	for (i = 0; i < nthreads; i++) {
		if (pthread_create(&tp->threads[i], NULL, worker, tp) != 0) {
			fputs("participe: cannot start task thread\n", stderr);
			abort();
		}
		tp->nthreads++;
	}
	return tp;
}

enum err
taskpool_submit(
        struct taskpool *tp, task_work_fn work, task_done_fn done, void *arg)
{
	enum err e = ERR_OK;

	pthread_mutex_lock(&tp->mu);
	if (tp->stopping || tp->count == tp->cap) {
		e = ERR_UNAVAILABLE;
	} else {
		struct task *t = &tp->ring[(tp->head + tp->count) % tp->cap];

		t->work = work;
		t->done = done;
		t->arg = arg;
		tp->count++;
		pthread_cond_signal(&tp->cv);
	}
	pthread_mutex_unlock(&tp->mu);
	return e;
}

int
taskpool_pending(struct taskpool *tp)
{
	int n;

	pthread_mutex_lock(&tp->mu);
	n = tp->count + tp->running;
	pthread_mutex_unlock(&tp->mu);
	return n;
}

void
taskpool_free(struct taskpool *tp)
{
	int i;

	if (tp == NULL)
		return;
	pthread_mutex_lock(&tp->mu);
	tp->stopping = 1;
	pthread_cond_broadcast(&tp->cv);
	pthread_mutex_unlock(&tp->mu);
	for (i = 0; i < tp->nthreads; i++)
		pthread_join(tp->threads[i], NULL);
	pthread_cond_destroy(&tp->cv);
	pthread_mutex_destroy(&tp->mu);
	free(tp->ring);
	free(tp->threads);
	free(tp);
}
