/*
 * snapshot.h - publishing closed periods' metrics (docs/suppression.md,
 * "One pattern per period", "Weeks and months")
 *
 * Worker 0 runs a job every PARTICIPE_METRICS_SNAPSHOT_INTERVAL: it asks
 * the database for the latest closed month without a snapshot
 * (api.metric_snapshot_next), protects its figures and those of the
 * weeks whose Sunday is in it across every grouping at once on the task
 * pool (lib/metricsnap.c) and stores them
 * (api.metric_snapshot_store); then the next one, until none is left.
 * `participe metrics publish` does the same from a shell.
 */
#ifndef PARTICIPE_SNAPSHOT_H
#define PARTICIPE_SNAPSHOT_H

struct worker;

/* On w's thread before its loop runs: the job's timer on worker 0. */
void snapshot_worker_start(struct worker *w);

/* After w's loop has ended: frees what snapshot_worker_start made. */
void snapshot_worker_stop(struct worker *w);

#endif
