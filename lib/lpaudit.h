/*
 * lpaudit.h - small-cell protection of figures tied by any sums, by linear
 * programming (docs/suppression.md, "One pattern per period")
 *
 * lib/suppress.c protects one two-way table, whose relations form a
 * network. Figures published across several groupings of the same
 * collectivities (by kind, by département, by cohort, and each
 * collectivity on its own) are tied by sums that cut across each other:
 * no longer a network. This protects such a system: figures (non-negative
 * counts, each with the number of people it describes) and relations, each
 * "this figure is the sum of those" or "these add up to at most those".
 * The rule is suppress.c's: a figure
 * describing 1 to k-1 people is withheld (primary); the interval of values
 * a withheld figure can take given what is published, the relations and
 * non-negativity must be k wide for a primary one, and not a single value
 * for any other.
 *
 * The audit is exact for the linear relaxation: each bound is a linear
 * program (GLPK's simplex), as statistical offices' audits are; integer
 * values can be narrower still with three cross-cutting groupings or more
 * (a known limit, docs/suppression.md). While a
 * figure's interval is too narrow, another linear program finds the
 * cheapest change of published figures that moves it far enough while
 * every relation still holds, and those figures are withheld too
 * (secondary suppression; cheapest: by the tiers the caller gives, then
 * the smallest values).
 */
#ifndef PARTICIPE_LPAUDIT_H
#define PARTICIPE_LPAUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "suppress.h"

/* How dear a figure is to withhold: lower tiers go first. LPAUDIT_GROUP
   and LPAUDIT_NATIONAL also tell a group's figures from a unit's: a
   neighbourhood follows the relations of one level (lpaudit.c). */
enum lpaudit_tier {
	LPAUDIT_CELL = 0, /* a detailed figure */
	LPAUDIT_TOTAL,    /* a unit's own total */
	LPAUDIT_GROUP,    /* a figure of a group of units */
	LPAUDIT_NATIONAL, /* the figure of everything */
	LPAUDIT_TIERS
};

/* What a figure of the system is. */
enum lpaudit_role {
	LPAUDIT_FIGURE = 0, /* to publish or withhold */
	LPAUDIT_GIVEN,      /* taken as known to anyone: never withheld */
	LPAUDIT_HIDDEN,     /* never published, and not audited itself */
	LPAUDIT_PART        /* never published, audited as primary when it
	                       describes 1 to k-1 people (a figure anyone
	                       could work out: a part of a period) */
};

/* One figure: its value, the people it describes, its tier, its role,
   and (output) why it is withheld. */
struct lpaudit_fig {
	uint64_t value, people;
	enum lpaudit_tier tier;
	enum suppress_why why;
	enum lpaudit_role role;
};

/*
 * A system of figures and relations. Relation r is over the figures
 * rel[start[r] .. start[r + 1] - 1]: when nleft[r] is 0, the first is the
 * sum of the others; else the first nleft[r] add up to at most the
 * others' sum.
 */
struct lpaudit {
	struct lpaudit_fig *figs;
	size_t n, cap;
	size_t *rel, nrel_idx, rel_cap;
	size_t *start, nrel, start_cap;
	size_t *nleft, nleft_cap;
};

/* An empty system (nothing allocated yet). */
void lpaudit_init(struct lpaudit *a);

/* Frees what the system holds; it is then empty. */
void lpaudit_release(struct lpaudit *a);

/*
 * Adds a figure; returns its index. why SUPPRESS_SECONDARY marks it as
 * withheld already (by another system, or a first guess), protected like
 * any secondary one unless it is sensitive itself. Out of memory aborts.
 */
size_t lpaudit_fig(struct lpaudit *a, uint64_t value, uint64_t people,
        enum lpaudit_tier tier, enum suppress_why why);

/*
 * Adds a quantity with a true value, for the relations that tie figures
 * through it (the part of a week inside a month, say): one anyone is
 * taken to know (LPAUDIT_GIVEN: never withheld, why SUPPRESS_NONE), one
 * never published (LPAUDIT_HIDDEN: not audited), or one never published
 * but audited (LPAUDIT_PART, describing people people), of tier tier
 * (which also tells a group's from a unit's). Returns its index.
 */
size_t lpaudit_quantity(struct lpaudit *a, uint64_t value, uint64_t people,
        enum lpaudit_tier tier, enum lpaudit_role role);

/* Adds the relation: figure total is the sum of the n figures members. */
void lpaudit_sum(
        struct lpaudit *a, size_t total, const size_t *members, size_t n);

/*
 * Adds the relation: the nl figures left add up to at most the nr
 * figures right (nl >= 1): what everyone knows of counts of people, such
 * as "the contributors of a kind are at most the participants".
 */
void lpaudit_le(struct lpaudit *a, const size_t *left, size_t nl,
        const size_t *right, size_t nr);

/*
 * Decides which figures are withheld for threshold k and writes each
 * figure's why (primary, secondary, or none). Deterministic. ERR_INVALID
 * when a relation does not hold, names no figure or one figure twice;
 * ERR_INTERNAL when the solver fails.
 */
enum err lpaudit_protect(struct lpaudit *a, uint64_t k);

/*
 * The audit of one figure: [lo, hi], the interval of values figure i can
 * take given the figures published (why SUPPRESS_NONE), the relations and
 * non-negativity (hi UINT64_MAX when unbounded), rounded inwards to
 * integers; lo == hi == value for a published figure.
 */
enum err lpaudit_range(
        const struct lpaudit *a, size_t i, uint64_t *lo, uint64_t *hi);

#endif
