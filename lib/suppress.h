/*
 * suppress.h - small-cell protection of published tables of counts
 *
 * A published figure that describes fewer than k people (k = 11 in the
 * product) is withheld, and so are enough other figures that no withheld
 * one can be worked out from what is published: docs/suppression.md is the
 * specification, this is its implementation.
 *
 * A table is rows x cols interior cells of non-negative counts, with, as
 * its margins say, a total per row, a total per column and a grand total.
 * Each row's cells add up to its total, each column's to its total, and
 * all cells to the grand total. The caller gives every cell, totals
 * included, its value and the number of distinct people it describes.
 *
 * suppress_table() first withholds every figure with 1 to k-1 people
 * (primary suppression). It then audits each withheld figure exactly: the
 * table with its relations is a network flow (source -> row -> column ->
 * sink -> source, one edge a figure), so the values a withheld figure can
 * take, given what is published and non-negativity, are an interval
 * [lo, hi] computed by max-flow. While a figure's interval is too narrow
 * it withholds the published figures on the cheapest cycle that widens it
 * (secondary suppression; cheapest: fewest totals, then smallest values).
 * The rule: a primary figure needs hi - lo >= k, any other withheld figure
 * hi > lo.
 *
 * Cost: with S withheld figures, V = rows + cols + 2 and E = (rows + 1) x
 * (cols + 1) figures, O(S (k (V + S) + E log V)); a 1000 x 10 table takes
 * well under 0.2 s, even with a third of its cells sensitive.
 */
#ifndef PARTICIPE_SUPPRESS_H
#define PARTICIPE_SUPPRESS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* The threshold of the product: fewer people than this is sensitive. */
#define SUPPRESS_K 11

/* The largest sum of a table's interior values (all counts fit well). */
#define SUPPRESS_VALUE_MAX ((uint64_t)1 << 48)

/* Which margins a table has, or'ed together in suppress_table.margins. */
enum suppress_margin {
	SUPPRESS_ROW_TOTALS = 1 << 0,  /* a total at the end of each row */
	SUPPRESS_COL_TOTALS = 1 << 1,  /* a total under each column */
	SUPPRESS_GRAND_TOTAL = 1 << 2, /* the total of all cells */
};

/* Why a figure is withheld; what suppress_table() writes. */
enum suppress_why {
	SUPPRESS_NONE = 0,  /* published */
	SUPPRESS_PRIMARY,   /* describes 1 to k-1 people */
	SUPPRESS_SECONDARY, /* withheld so that another cannot be recovered */
};

/*
 * One figure: the count published and the distinct people it describes
 * (equal for a count of people; for a count of acts, the people who did
 * them). A figure of no people is never sensitive.
 */
struct suppress_cell {
	uint64_t value;
	uint64_t people;
	enum suppress_why why;
};

/*
 * A table. cells holds (rows + 1) x (cols + 1) figures, row-major: see
 * suppress_at(). Margins the table does not have are never read nor
 * written.
 */
struct suppress_table {
	size_t rows, cols;
	unsigned margins; /* enum suppress_margin bits */
	struct suppress_cell *cells;
};

/*
 * Sets up a table of zeros with its own cells (malloc'd; out of memory
 * aborts); rows and cols at least 1.
 */
void suppress_table_init(
        struct suppress_table *t, size_t rows, size_t cols, unsigned margins);

/* Frees what suppress_table_init() allocated; the table is then empty. */
void suppress_table_release(struct suppress_table *t);

/*
 * The figure at row i, column j: i == rows is the row of column totals,
 * j == cols the column of row totals, both the grand total.
 */
struct suppress_cell *suppress_at(
        const struct suppress_table *t, size_t i, size_t j);

/*
 * Whether the table has a figure at (i, j), as suppress_at() numbers
 * them: every interior cell, and the margins its flags name.
 */
int suppress_has(const struct suppress_table *t, size_t i, size_t j);

/*
 * Decides which figures are withheld for threshold k and writes each
 * figure's why. A figure whose why is SUPPRESS_SECONDARY on entry is
 * withheld already (by another table it belongs to) and stays withheld,
 * protected like any secondary one; other earlier values of why are
 * ignored. Deterministic: the same table gives the same answer. ERR_INVALID, with nothing written,
 * when the table is empty, has unknown margin bits, sums over
 * SUPPRESS_VALUE_MAX or has a total that is not the sum of its cells.
 */
enum err suppress_table(struct suppress_table *t, uint64_t k);

/*
 * The audit: the exact interval [lo, hi] of the values the figure at
 * (i, j) (as suppress_at()) can take given the figures published (why
 * SUPPRESS_NONE), the table's relations and non-negativity; hi is
 * UINT64_MAX when unbounded, and lo == hi == value for a published
 * figure. ERR_INVALID as suppress_table(), or for a margin the table
 * does not have.
 */
enum err suppress_range(const struct suppress_table *t, size_t i, size_t j,
        uint64_t *lo, uint64_t *hi);

#endif
