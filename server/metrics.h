/*
 * metrics.h - lock-free request counters and the Prometheus exposition
 *
 * Each worker updates shared atomic counters (relaxed ordering: totals
 * need no synchronisation with anything else). GET /metrics renders them
 * in the Prometheus text format, version 0.0.4.
 */
#ifndef PARTICIPE_METRICS_H
#define PARTICIPE_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

/* Allocates the counters for 'nroutes' routes (plus "no route"). */
void metrics_init(size_t nroutes);

/* Releases the counters at exit. */
void metrics_free(void);

/* Counts one answered request of route 'route' (-1: none matched). */
void metrics_observe(
        int route, unsigned method, int status, uint64_t duration_ns);

/* Renders every metric as Prometheus text in the arena. */
char *metrics_render(struct arena *a, size_t *len);

#endif
