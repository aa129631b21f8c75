/*
 * metricsview_view.h - the figures behind a published view, shared by
 * lib/metricsview.c (one request's tables) and lib/metricsnap.c (a
 * period's snapshot across every grouping); not for the server
 */
#ifndef PARTICIPE_METRICSVIEW_VIEW_H
#define PARTICIPE_METRICSVIEW_VIEW_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* The kinds of acts, in the order of the tables' columns (response,
   proposal, support, comment, ballot). */
#define NK 5

/* The column of proposals among them. */
#define KIND_PROPOSAL 1

/* One figure about people: its value, the people it describes, and
   whether it is withheld. */
struct fig {
	uint64_t value, people;
	int withheld;
};

/* The figures of G groups over T periods, and their national sums. */
struct view {
	size_t g, t;
	int members;       /* new accounts and verified residents given */
	struct fig *acts;  /* g x t x (NK + 1): [0] all kinds, then kinds */
	struct fig *contr; /* g x t x NK: contributors by kind */
	struct fig *part;  /* g x t: participants */
	struct fig *newa;  /* g x t: new accounts */
	struct fig *verif; /* g x t: newly verified residents */
	struct fig *stock; /* g: verified residents at the end */
	/* the national sums (by=all publishes them): t x ... as above */
	struct fig *nacts, *ncontr, *npart, *nnewa, *nverif, nstock;
};

/* Group g's acts in period t: k 0 all kinds, then each kind. */
static inline struct fig *
acts_at(const struct view *v, size_t g, size_t t, size_t k)
{
	return &v->acts[(g * v->t + t) * (NK + 1) + k];
}

/* Group g's contributors of kind k (0..NK-1) in period t. */
static inline struct fig *
contr_at(const struct view *v, size_t g, size_t t, size_t k)
{
	return &v->contr[(g * v->t + t) * NK + k];
}

/* Reads raw groups (api.metric_figures' "groups") into v, nothing
   withheld; -1 when they are not of the shape or on OOM. */
int view_read(struct view *v, const json_t *groups);

/* Frees what view_read() allocated. */
void view_free(struct view *v);

/* Withholds the people behind each withheld count of acts; sets
   *changed when it withholds more. */
void withhold_people(struct view *v, int *changed);

/* The published row of group g, period t, from its raw row r. */
json_t *row_json(const struct view *v, size_t g, size_t t, const json_t *r,
        uint64_t population);

#endif
