/*
 * metricsnap.h - a closed period's published figures, every grouping
 * protected at once (docs/suppression.md, "One pattern per period")
 *
 * A period's figures are published for each collectivity and for each
 * group of every grouping (kind, density class, QPV, département, cohort,
 * the whole programme). A group's figure is the sum of its collectivities'
 * figures, so all of them form one system of sums that cut across each
 * other, protected as one by lib/lpaudit.c: a figure withheld anywhere can
 * be worked out from nothing published anywhere else. Every view of that
 * period (a collectivity's public page, each national roll-up) then shows
 * this one pattern.
 */
#ifndef PARTICIPE_METRICSNAP_H
#define PARTICIPE_METRICSNAP_H

#include <jansson.h>
#include <stdint.h>

/*
 * The published rows of one period, or of a block: a month and the weeks
 * whose Sunday is in it, protected as one system (docs/suppression.md,
 * "Weeks and months"). One period's in is api.metric_snapshot_input's
 * object: {"period", "start", "groupings": {by: {"groups": [raw group of
 * api.metric_figures with one row, and for every grouping but
 * "collectivity", "members": [collectivity keys]]}}}; "collectivity" is
 * required, "provisional" copied when given. Its output is {"period",
 * "start", "provisional", "threshold": k, "withheld": n, "rows": [{"by",
 * "key", "label", "collectivities", "population", "row": published
 * row}]}. A block's in is api.metric_block_input's: {"period", "start",
 * "periods": [the month's input, then its weeks'], "parts": {"head_out",
 * "head_in", "tail_in": raw collectivity groups, each when there is such
 * a part}}, every period and part with the same collectivities in the
 * same order; its output {"period", "start", "snapshots": [each period's
 * output]}. A new reference; NULL when in is not of that shape (figures
 * that do not add up included) or the solver fails.
 */
json_t *metricsnap_publish(const json_t *in, uint64_t k);

/* One period's or block's snapshot from text to text, timed: what the
   server's job and `participe metrics publish` both run. */
struct metricsnap_run {
	char period[8], start[16]; /* the input's ("" when unreadable) */
	char *out;          /* the output, malloc'd; NULL: not protected */
	long long withheld; /* figures withheld (a block's: all periods') */
	long ms;            /* the protection's time */
};

/* Runs metricsnap_publish() on the text in and fills *run. */
void metricsnap_run(const char *in, uint64_t k, struct metricsnap_run *run);

#endif
