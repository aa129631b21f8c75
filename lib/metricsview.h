/*
 * metricsview.h - the published participation figures (docs/metrics.md),
 * small cells withheld (docs/suppression.md)
 *
 * The database computes raw figures, people counts included (SQL
 * api.metric_figures); this turns them into what is published. Each
 * figure about people is {"value": n} or, withheld, {"value": null,
 * "suppressed": true}; figures that describe no one (processes run,
 * answers and their median delay) are plain numbers.
 *
 * The figures of a group of collectivities over its periods form tables
 * for lib/suppress.c: contributions by kind with their total per period
 * (the acts, protected by the number of distinct contributors), and
 * participants, contributors by kind, new accounts and newly verified
 * residents per period; the people behind a withheld count of acts are
 * withheld with it. With several groups (the national roll-ups),
 * each period's figures across groups also form tables whose totals are
 * the national figures, which by=all publishes. A figure withheld in one
 * table is withheld in all those it belongs to, until nothing changes.
 */
#ifndef PARTICIPE_METRICSVIEW_H
#define PARTICIPE_METRICSVIEW_H

#include <jansson.h>
#include <stdint.h>

/*
 * The published form of raw (api.metric_figures' object, with any other
 * members it has copied as they are), with threshold k. A new reference,
 * or NULL when raw is not of that shape or on OOM.
 */
json_t *metricsview_publish(const json_t *raw, uint64_t k);

/*
 * The published figures pub as CSV (RFC 4180, CRLF), one line per group
 * and period: the group, its collectivities and population, the period's
 * start, then every figure (a withheld one empty, and its column named in
 * the last column, "suppressed", space-separated). malloc'd, or NULL on
 * OOM.
 */
char *metricsview_csv(const json_t *pub);

#endif
