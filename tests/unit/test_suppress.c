/*
 * test_suppress.c - small-cell protection: the threshold, secondary
 * suppression in lines, sensitive totals, tables without some margins,
 * determinism, and an independent attacker that enumerates every table
 * consistent with what is published and must fail to pin any withheld
 * figure down (hi > lo, and hi - lo >= k for a primary one), on tables
 * built to defeat the naive "never one withheld figure in a line" rule
 * and on many random small ones
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "suppress.h"

#define ATT_MAX 6             /* rows and columns the attacker takes */
#define ATT_NODES 20000000ull /* search nodes before it gives up */

/* The figure (i, j)'s why. */
static enum suppress_why
why(const struct suppress_table *t, size_t i, size_t j)
{
	return suppress_at(t, i, j)->why;
}

static int
published(const struct suppress_table *t, size_t i, size_t j)
{
	return suppress_has(t, i, j) && why(t, i, j) == SUPPRESS_NONE;
}

/*
 * A table of counts of people: the interior from vals (row-major), each
 * total the sum of its cells, value and people alike.
 */
static void
make(struct suppress_table *t, size_t rows, size_t cols, unsigned margins,
        const uint64_t *vals)
{
	size_t i, j;

	suppress_table_init(t, rows, cols, margins);
	for (i = 0; i < rows; i++)
		for (j = 0; j < cols; j++) {
			uint64_t v = vals[i * cols + j];

			suppress_at(t, i, j)->value = v;
			suppress_at(t, i, j)->people = v;
			suppress_at(t, i, cols)->value += v;
			suppress_at(t, i, cols)->people += v;
			suppress_at(t, rows, j)->value += v;
			suppress_at(t, rows, j)->people += v;
			suppress_at(t, rows, cols)->value += v;
			suppress_at(t, rows, cols)->people += v;
		}
}

static size_t
count_why(const struct suppress_table *t, enum suppress_why w)
{
	size_t i, j, n = 0;

	for (i = 0; i <= t->rows; i++)
		for (j = 0; j <= t->cols; j++)
			if (suppress_has(t, i, j) && why(t, i, j) == w)
				n++;
	return n;
}

/*
 * The attacker. It knows what is published, that every figure is a
 * non-negative integer and how figures add up, and nothing of
 * suppress.c's method: it enumerates every table that agrees with the
 * published figures, withheld interior cells in [0, cap]. Withheld cells
 * that share no published relation are independent, so it enumerates each
 * group of connected ones alone (the others at their true values) and
 * adds the groups' ranges for a withheld total. The cap is 2 max + k + 1
 * for the largest interior value max: a cell that reaches it can reach k
 * over its value, so the verdict is the one an unbounded attacker would
 * reach, and every lower bound is exact (lowering a cell raises others by
 * no more than its value).
 */
struct attack {
	const struct suppress_table *t;
	uint64_t cap;
	int64_t val[ATT_MAX][ATT_MAX];
	size_t comp[ATT_MAX][ATT_MAX]; /* group of a withheld cell, or -1 */
	size_t cell[ATT_MAX * ATT_MAX][2], ncell; /* the group's, in order */
	size_t group;
	uint64_t lo[ATT_MAX + 1][ATT_MAX + 1], hi[ATT_MAX + 1][ATT_MAX + 1];
	/* a withheld total's contribution from the current group */
	int64_t clo[ATT_MAX + 1][ATT_MAX + 1], chi[ATT_MAX + 1][ATT_MAX + 1];
	unsigned long long nodes, solutions;
	int gave_up;
};

static int64_t
fig(const struct suppress_table *t, size_t i, size_t j)
{
	return (int64_t)suppress_at(t, i, j)->value;
}

/* Does the current assignment satisfy every published total? */
static int
consistent(const struct attack *a)
{
	const struct suppress_table *t = a->t;
	int64_t row[ATT_MAX + 1] = {0}, col[ATT_MAX + 1] = {0}, all = 0;
	size_t i, j;

	for (i = 0; i < t->rows; i++)
		for (j = 0; j < t->cols; j++) {
			row[i] += a->val[i][j];
			col[j] += a->val[i][j];
			all += a->val[i][j];
		}
	for (i = 0; i < t->rows; i++)
		if (published(t, i, t->cols) && row[i] != fig(t, i, t->cols))
			return 0;
	for (j = 0; j < t->cols; j++)
		if (published(t, t->rows, j) && col[j] != fig(t, t->rows, j))
			return 0;
	return !published(t, t->rows, t->cols) ||
	       all == fig(t, t->rows, t->cols);
}

static void
record(struct attack *a)
{
	const struct suppress_table *t = a->t;
	int64_t row[ATT_MAX + 1] = {0}, col[ATT_MAX + 1] = {0}, all = 0;
	size_t k, i, j;

	a->solutions++;
	for (k = 0; k < a->ncell; k++) {
		uint64_t v;

		i = a->cell[k][0];
		j = a->cell[k][1];
		v = (uint64_t)a->val[i][j];
		if (v < a->lo[i][j])
			a->lo[i][j] = v;
		if (v > a->hi[i][j])
			a->hi[i][j] = v;
		row[i] += a->val[i][j];
		col[j] += a->val[i][j];
		all += a->val[i][j];
	}
	for (i = 0; i <= t->rows; i++)
		for (j = 0; j <= t->cols; j++) {
			int64_t c;

			if (!suppress_has(t, i, j) || published(t, i, j) ||
			        (i < t->rows && j < t->cols))
				continue;
			c = i < t->rows ? row[i] : j < t->cols ? col[j] : all;
			if (c < a->clo[i][j])
				a->clo[i][j] = c;
			if (c > a->chi[i][j])
				a->chi[i][j] = c;
		}
}

/* Is cell k the group's last in row i (column j, at all)? */
static int
last_in(const struct attack *a, size_t k, int by_row, int by_col)
{
	size_t m;

	for (m = k + 1; m < a->ncell; m++) {
		if (!by_row && !by_col)
			return 0;
		if (by_row && a->cell[m][0] == a->cell[k][0])
			return 0;
		if (by_col && a->cell[m][1] == a->cell[k][1])
			return 0;
	}
	return 1;
}

static void
dfs(struct attack *a, size_t k)
{
	const struct suppress_table *t = a->t;
	int64_t lb = 0, ub = (int64_t)a->cap, rest, v;
	size_t i, j, m;

	if (a->gave_up || ++a->nodes > ATT_NODES) {
		a->gave_up = 1;
		return;
	}
	if (k == a->ncell) {
		if (consistent(a))
			record(a);
		return;
	}
	i = a->cell[k][0];
	j = a->cell[k][1];
	/* Bounds from each published total: what its line still lacks. */
	if (published(t, i, t->cols)) {
		for (rest = fig(t, i, t->cols), m = 0; m < t->cols; m++)
			rest -= a->val[i][m];
		if (rest < ub)
			ub = rest;
		if (last_in(a, k, 1, 0) && rest > lb)
			lb = rest;
	}
	if (published(t, t->rows, j)) {
		for (rest = fig(t, t->rows, j), m = 0; m < t->rows; m++)
			rest -= a->val[m][j];
		if (rest < ub)
			ub = rest;
		if (last_in(a, k, 0, 1) && rest > lb)
			lb = rest;
	}
	if (published(t, t->rows, t->cols)) {
		size_t r, c;

		rest = fig(t, t->rows, t->cols);
		for (r = 0; r < t->rows; r++)
			for (c = 0; c < t->cols; c++)
				rest -= a->val[r][c];
		if (rest < ub)
			ub = rest;
		if (last_in(a, k, 0, 0) && rest > lb)
			lb = rest;
	}
	for (v = lb; v <= ub; v++) {
		a->val[i][j] = v;
		dfs(a, k + 1);
	}
	a->val[i][j] = 0;
}

/*
 * Runs the attacker on t; fills a->lo/hi for every withheld figure. 0 if
 * it gave up (too many tables to enumerate).
 */
static int
attack(struct attack *a, const struct suppress_table *t, uint64_t k)
{
	size_t i, j, g, r, c, ngroups = 0;
	uint64_t max = 0;
	size_t none = (size_t)-1;

	assert_true(t->rows <= ATT_MAX && t->cols <= ATT_MAX);
	memset(a, 0, sizeof(*a));
	a->t = t;
	for (i = 0; i < t->rows; i++)
		for (j = 0; j < t->cols; j++) {
			a->val[i][j] = fig(t, i, j);
			if (suppress_at(t, i, j)->value > max)
				max = suppress_at(t, i, j)->value;
			a->comp[i][j] = none;
		}
	a->cap = 2 * max + k + 1;
	/* Groups: withheld cells joined by a published relation. */
	for (i = 0; i < t->rows; i++)
		for (j = 0; j < t->cols; j++) {
			size_t from, to;

			if (published(t, i, j) || a->comp[i][j] != none)
				continue;
			a->comp[i][j] = from = ngroups++;
			do {
				to = 0;
				for (r = 0; r < t->rows; r++)
					for (c = 0; c < t->cols; c++) {
						size_t r2, c2;

						if (a->comp[r][c] != from)
							continue;
						for (r2 = 0; r2 < t->rows; r2++)
							for (c2 = 0;
							        c2 < t->cols;
							        c2++) {
								int joined;

								if (published(t,
								            r2,
								            c2) ||
								        a->comp[r2]
								               [c2] !=
								                none)
									continue;
								joined =
								        (r2 == r &&
								                published(
								                        t,
								                        r,
								                        t->cols)) ||
								        (c2 == c &&
								                published(
								                        t,
								                        t->rows,
								                        c)) ||
								        published(
								                t,
								                t->rows,
								                t->cols);
								if (joined) {
									a->comp[r2]
									       [c2] =
									        from;
									to = 1;
								}
							}
					}
			} while (to);
		}
	for (i = 0; i <= t->rows; i++)
		for (j = 0; j <= t->cols; j++) {
			a->lo[i][j] = UINT64_MAX;
			a->hi[i][j] = 0;
		}
	/* Totals: start from the published cells of the line. */
	for (i = 0; i <= t->rows; i++)
		for (j = 0; j <= t->cols; j++) {
			uint64_t base = 0;

			if (!suppress_has(t, i, j) || published(t, i, j) ||
			        (i < t->rows && j < t->cols))
				continue;
			for (r = 0; r < t->rows; r++)
				for (c = 0; c < t->cols; c++)
					if ((i == t->rows || r == i) &&
					        (j == t->cols || c == j) &&
					        published(t, r, c))
						base += suppress_at(t, r, c)
						                ->value;
			a->lo[i][j] = a->hi[i][j] = base;
		}
	for (g = 0; g < ngroups; g++) {
		a->ncell = 0;
		a->group = g;
		for (i = 0; i < t->rows; i++)
			for (j = 0; j < t->cols; j++)
				if (a->comp[i][j] == g) {
					a->cell[a->ncell][0] = i;
					a->cell[a->ncell][1] = j;
					a->ncell++;
					a->val[i][j] = 0;
				}
		for (i = 0; i <= t->rows; i++)
			for (j = 0; j <= t->cols; j++) {
				a->clo[i][j] = INT64_MAX;
				a->chi[i][j] = INT64_MIN;
			}
		a->solutions = 0;
		dfs(a, 0);
		if (a->gave_up)
			return 0;
		/* The true table is always one of them. */
		assert_true(a->solutions > 0);
		for (i = 0; i <= t->rows; i++)
			for (j = 0; j <= t->cols; j++)
				if (a->chi[i][j] != INT64_MIN) {
					a->lo[i][j] += (uint64_t)a->clo[i][j];
					a->hi[i][j] += (uint64_t)a->chi[i][j];
				}
		for (i = 0; i < t->rows; i++)
			for (j = 0; j < t->cols; j++)
				if (a->comp[i][j] == g)
					a->val[i][j] = fig(t, i, j);
	}
	return 1;
}

/*
 * The attacker against t (as suppressed with threshold k): every withheld
 * figure takes two values or more, a primary one over an interval at least
 * k wide, and suppress_range() agrees with the enumeration. 0 if the
 * attacker gave up.
 */
static int
assert_protected(const struct suppress_table *t, uint64_t k)
{
	struct attack *a = malloc(sizeof(*a));
	size_t i, j;

	assert_non_null(a);
	if (!attack(a, t, k)) {
		free(a);
		return 0;
	}
	for (i = 0; i <= t->rows; i++)
		for (j = 0; j <= t->cols; j++) {
			uint64_t lo, hi, v = suppress_at(t, i, j)->value;

			if (!suppress_has(t, i, j) || published(t, i, j))
				continue;
			assert_true(a->lo[i][j] <= v && v <= a->hi[i][j]);
			assert_true(a->lo[i][j] < a->hi[i][j]);
			if (why(t, i, j) == SUPPRESS_PRIMARY)
				assert_true(a->hi[i][j] - a->lo[i][j] >= k);
			assert_int_equal(
			        suppress_range(t, i, j, &lo, &hi), ERR_OK);
			assert_int_equal(lo, a->lo[i][j]);
			assert_true(a->hi[i][j] <= hi);
			if (hi <= a->cap / 2)
				assert_int_equal(hi, a->hi[i][j]);
		}
	free(a);
	return 1;
}

/* 0, 1, 10 and 11 people, with no relation to protect against. */
static void
test_threshold(void **state)
{
	static const uint64_t v[] = {0, 1, 10, 11, 25};
	struct suppress_table t;

	(void)state;
	make(&t, 1, 5, 0, v);
	assert_int_equal(suppress_table(&t, SUPPRESS_K), ERR_OK);
	assert_int_equal(why(&t, 0, 0), SUPPRESS_NONE);
	assert_int_equal(why(&t, 0, 1), SUPPRESS_PRIMARY);
	assert_int_equal(why(&t, 0, 2), SUPPRESS_PRIMARY);
	assert_int_equal(why(&t, 0, 3), SUPPRESS_NONE);
	assert_int_equal(why(&t, 0, 4), SUPPRESS_NONE);
	/* k is the caller's: with 2, only the 1 is sensitive. */
	assert_int_equal(suppress_table(&t, 2), ERR_OK);
	assert_int_equal(why(&t, 0, 1), SUPPRESS_PRIMARY);
	assert_int_equal(why(&t, 0, 2), SUPPRESS_NONE);
	/* Acts: 40 comments by 3 people are sensitive, 5 by 20 are not. */
	suppress_at(&t, 0, 3)->value = 40;
	suppress_at(&t, 0, 3)->people = 3;
	suppress_at(&t, 0, 4)->value = 5;
	suppress_at(&t, 0, 4)->people = 20;
	assert_int_equal(suppress_table(&t, SUPPRESS_K), ERR_OK);
	assert_int_equal(why(&t, 0, 3), SUPPRESS_PRIMARY);
	assert_int_equal(why(&t, 0, 4), SUPPRESS_NONE);
	/* A value with no people describes nobody. */
	suppress_at(&t, 0, 0)->value = 7;
	assert_int_equal(suppress_table(&t, SUPPRESS_K), ERR_OK);
	assert_int_equal(why(&t, 0, 0), SUPPRESS_NONE);
	suppress_table_release(&t);
}

/*
 * A list with its total: 5 alone would be the total minus the others, so
 * the smallest other cell goes too (5 + 20 = 25: 5 lies in [0, 25]).
 */
static void
test_list_with_total(void **state)
{
	static const uint64_t v[] = {30, 5, 20, 0};
	struct suppress_table t;
	uint64_t lo, hi;

	(void)state;
	make(&t, 1, 4, SUPPRESS_ROW_TOTALS, v);
	assert_int_equal(suppress_table(&t, SUPPRESS_K), ERR_OK);
	assert_int_equal(why(&t, 0, 0), SUPPRESS_NONE);
	assert_int_equal(why(&t, 0, 1), SUPPRESS_PRIMARY);
	assert_int_equal(why(&t, 0, 2), SUPPRESS_SECONDARY);
	assert_int_equal(why(&t, 0, 3), SUPPRESS_NONE);
	assert_int_equal(why(&t, 0, 4), SUPPRESS_NONE);
	assert_int_equal(suppress_range(&t, 0, 1, &lo, &hi), ERR_OK);
	assert_int_equal(lo, 0);
	assert_int_equal(hi, 25);
	assert_true(assert_protected(&t, SUPPRESS_K));
	/* A published figure's range is itself. */
	assert_int_equal(suppress_range(&t, 0, 4, &lo, &hi), ERR_OK);
	assert_int_equal(lo, 55);
	assert_int_equal(hi, 55);
	suppress_table_release(&t);
}

/*
 * Two withheld cells in a line are not always enough: 1 and 2 add up to
 * the published 3, so each lies in [0, 3], and the sum itself describes 3
 * people. The rule (width k) takes a third cell.
 */
/* A figure withheld by another table stays withheld, and is protected. */
static void
test_withheld_elsewhere(void **state)
{
	static const uint64_t v[] = {50, 40, 60};
	struct suppress_table t;
	uint64_t lo, hi;

	(void)state;
	make(&t, 1, 3, SUPPRESS_ROW_TOTALS, v);
	suppress_at(&t, 0, 1)->why = SUPPRESS_SECONDARY;
	suppress_at(&t, 0, 2)->why = SUPPRESS_PRIMARY; /* ignored: 60 people */
	assert_int_equal(suppress_table(&t, SUPPRESS_K), ERR_OK);
	assert_int_equal(why(&t, 0, 1), SUPPRESS_SECONDARY);
	/* the total is published: a second figure is withheld with it */
	assert_int_equal(why(&t, 0, 0) != SUPPRESS_NONE ||
	                         why(&t, 0, 2) != SUPPRESS_NONE,
	        1);
	assert_int_equal(suppress_range(&t, 0, 1, &lo, &hi), ERR_OK);
	assert_true(hi > lo);
	suppress_table_release(&t);
}

static void
test_pair_too_narrow(void **state)
{
	static const uint64_t v[] = {1, 2, 40, 50};
	struct suppress_table t;

	(void)state;
	make(&t, 1, 4, SUPPRESS_ROW_TOTALS, v);
	assert_int_equal(suppress_table(&t, SUPPRESS_K), ERR_OK);
	assert_int_equal(why(&t, 0, 0), SUPPRESS_PRIMARY);
	assert_int_equal(why(&t, 0, 1), SUPPRESS_PRIMARY);
	assert_int_equal(why(&t, 0, 2), SUPPRESS_SECONDARY);
	assert_int_equal(why(&t, 0, 3), SUPPRESS_NONE);
	assert_int_equal(why(&t, 0, 4), SUPPRESS_NONE);
	assert_true(assert_protected(&t, SUPPRESS_K));
	suppress_table_release(&t);
}

/* A column of départements with its total. */
static void
test_column_with_total(void **state)
{
	static const uint64_t v[] = {120, 3, 45, 0, 60};
	struct suppress_table t;

	(void)state;
	make(&t, 5, 1, SUPPRESS_COL_TOTALS, v);
	assert_int_equal(suppress_table(&t, SUPPRESS_K), ERR_OK);
	assert_int_equal(why(&t, 1, 0), SUPPRESS_PRIMARY);
	assert_int_equal(why(&t, 2, 0), SUPPRESS_SECONDARY);
	assert_int_equal(count_why(&t, SUPPRESS_SECONDARY), 1);
	assert_true(assert_protected(&t, SUPPRESS_K));
	suppress_table_release(&t);
}

/* The naive rule: never exactly one withheld figure in a line. */
static int
line_rule_holds(const struct suppress_table *t)
{
	size_t i, j, n;

	for (i = 0; i <= t->rows; i++) {
		if (i == t->rows && !(t->margins & SUPPRESS_COL_TOTALS))
			continue;
		for (n = 0, j = 0; j <= t->cols; j++)
			n += suppress_has(t, i, j) && !published(t, i, j);
		if (n == 1 && (t->margins & SUPPRESS_ROW_TOTALS))
			return 0;
	}
	for (j = 0; j <= t->cols; j++) {
		if (j == t->cols && !(t->margins & SUPPRESS_ROW_TOTALS))
			continue;
		for (n = 0, i = 0; i <= t->rows; i++)
			n += suppress_has(t, i, j) && !published(t, i, j);
		if (n == 1 && (t->margins & SUPPRESS_COL_TOTALS))
			return 0;
	}
	return 1;
}

/*
 * The naive method: primary cells, then, while some line (row or column,
 * rows first) holds exactly one withheld cell, withhold the smallest
 * published interior cell of that line.
 */
static void
naive_suppress(struct suppress_table *t, uint64_t k)
{
	size_t i, j, m, n, best;
	int changed = 1;

	for (i = 0; i < t->rows; i++)
		for (j = 0; j < t->cols; j++) {
			struct suppress_cell *c = suppress_at(t, i, j);

			c->why = c->people > 0 && c->people < k
			                 ? SUPPRESS_PRIMARY
			                 : SUPPRESS_NONE;
		}
	while (changed) {
		changed = 0;
		for (i = 0; i < t->rows; i++) {
			for (n = 0, best = t->cols, m = 0; m < t->cols; m++)
				if (!published(t, i, m))
					n++;
				else if (best == t->cols ||
				         fig(t, i, m) < fig(t, i, best))
					best = m;
			if (n == 1 && best < t->cols) {
				suppress_at(t, i, best)->why =
				        SUPPRESS_SECONDARY;
				changed = 1;
			}
		}
		for (j = 0; j < t->cols; j++) {
			for (n = 0, best = t->rows, m = 0; m < t->rows; m++)
				if (!published(t, m, j))
					n++;
				else if (best == t->rows ||
				         fig(t, m, j) < fig(t, best, j))
					best = m;
			if (n == 1 && best < t->rows) {
				suppress_at(t, best, j)->why =
				        SUPPRESS_SECONDARY;
				changed = 1;
			}
		}
	}
}

/*
 * The chain attack. Against this 4 x 4 table with every margin the naive
 * method withholds (x: primary, s: secondary)
 *
 *        x2  s12  40   41 |  95
 *       s15  s13  x3   42 |  73
 *        43   45  s17 s16 | 121
 *        44   46  s14  x4 | 108
 *       ---------------------
 *       104  116  74  103 | 397
 *
 * two blocks of four linked by the 3: every line holds two withheld cells
 * or more, yet the 3 is recovered exactly:
 *   (row 1 + row 2 totals) - (published cells of rows 1 and 2)
 *   - (column 1 + column 2 totals - their published cells of rows 3, 4)
 *   = (95 + 73) - (40 + 41 + 42) - (104 + 116 - 43 - 44 - 45 - 46) = 3.
 * The attacker finds it, and suppress_range() agrees; suppress_table()
 * on the same table leaves the attacker nothing.
 */
static void
test_chain_attack(void **state)
{
	static const uint64_t v[] = {
	        2, 12, 40, 41, 15, 13, 3, 42, 43, 45, 17, 16, 44, 46, 14, 4};
	struct suppress_table t;
	struct attack *a = malloc(sizeof(*a));
	uint64_t lo, hi;

	(void)state;
	assert_non_null(a);
	make(&t, 4, 4,
	        SUPPRESS_ROW_TOTALS | SUPPRESS_COL_TOTALS |
	                SUPPRESS_GRAND_TOTAL,
	        v);
	naive_suppress(&t, SUPPRESS_K);
	assert_int_equal(count_why(&t, SUPPRESS_PRIMARY), 3);
	assert_int_equal(count_why(&t, SUPPRESS_SECONDARY), 6);
	assert_int_equal(why(&t, 0, 1), SUPPRESS_SECONDARY);
	assert_int_equal(why(&t, 1, 0), SUPPRESS_SECONDARY);
	assert_int_equal(why(&t, 2, 2), SUPPRESS_SECONDARY);
	assert_true(line_rule_holds(&t));
	assert_true(attack(a, &t, SUPPRESS_K));
	assert_int_equal(a->lo[1][2], 3);
	assert_int_equal(a->hi[1][2], 3);
	assert_int_equal(suppress_range(&t, 1, 2, &lo, &hi), ERR_OK);
	assert_int_equal(lo, 3);
	assert_int_equal(hi, 3);

	assert_int_equal(suppress_table(&t, SUPPRESS_K), ERR_OK);
	assert_true(line_rule_holds(&t));
	assert_true(assert_protected(&t, SUPPRESS_K));
	assert_int_equal(suppress_range(&t, 1, 2, &lo, &hi), ERR_OK);
	assert_true(hi - lo >= SUPPRESS_K);
	free(a);
	suppress_table_release(&t);
}

/*
 * Non-negativity leaks too: the pairs below pass the line rule, but
 * 1 + s = 1 in row 1 (s = 0 published as withheld is no help): the naive
 * method picks the zero and the attacker reads the 1 off.
 */
static void
test_zero_complement(void **state)
{
	static const uint64_t v[] = {1, 0, 30, 20, 40, 30};
	struct suppress_table t;
	struct attack *a = malloc(sizeof(*a));

	(void)state;
	assert_non_null(a);
	make(&t, 2, 3, SUPPRESS_ROW_TOTALS | SUPPRESS_COL_TOTALS, v);
	naive_suppress(&t, SUPPRESS_K);
	assert_true(line_rule_holds(&t));
	assert_true(attack(a, &t, SUPPRESS_K));
	/* The 1 lies in [0, 1]: it is at most one person. */
	assert_true(a->hi[0][0] - a->lo[0][0] < SUPPRESS_K);
	assert_int_equal(suppress_table(&t, SUPPRESS_K), ERR_OK);
	assert_true(assert_protected(&t, SUPPRESS_K));
	free(a);
	suppress_table_release(&t);
}

/*
 * A week with 4 participants in all: its total is sensitive too, and so
 * are enough figures around it that it cannot be recomputed from the
 * column totals and the other weeks.
 */
static void
test_sensitive_total(void **state)
{
	static const uint64_t v[] = {30, 25, 40, 1, 3, 0, 22, 35, 18};
	struct suppress_table t;

	(void)state;
	make(&t, 3, 3,
	        SUPPRESS_ROW_TOTALS | SUPPRESS_COL_TOTALS |
	                SUPPRESS_GRAND_TOTAL,
	        v);
	assert_int_equal(suppress_table(&t, SUPPRESS_K), ERR_OK);
	assert_int_equal(why(&t, 1, 3), SUPPRESS_PRIMARY);
	assert_int_equal(why(&t, 1, 0), SUPPRESS_PRIMARY);
	assert_int_equal(why(&t, 1, 1), SUPPRESS_PRIMARY);
	assert_int_equal(why(&t, 1, 2), SUPPRESS_NONE); /* 0: published */
	assert_true(count_why(&t, SUPPRESS_SECONDARY) >= 2);
	assert_true(assert_protected(&t, SUPPRESS_K));

	/* Acts: 60 comments by 5 people make a sensitive total alone. */
	suppress_at(&t, 2, 3)->people = 5;
	assert_int_equal(suppress_table(&t, SUPPRESS_K), ERR_OK);
	assert_int_equal(why(&t, 2, 3), SUPPRESS_PRIMARY);
	assert_true(assert_protected(&t, SUPPRESS_K));
	suppress_table_release(&t);
}

/*
 * A time series of weeks with a total per week and for the period but no
 * column totals: protection stays within the week, which is the only
 * relation its cells are in.
 */
static void
test_series_without_column_totals(void **state)
{
	static const uint64_t v[] = {
	        30, 25, 40, 12, 4, 50, 22, 35, 18, 60, 70, 80};
	struct suppress_table t;
	size_t j;

	(void)state;
	make(&t, 4, 3, SUPPRESS_ROW_TOTALS | SUPPRESS_GRAND_TOTAL, v);
	assert_int_equal(suppress_table(&t, SUPPRESS_K), ERR_OK);
	assert_int_equal(why(&t, 1, 1), SUPPRESS_PRIMARY);
	assert_int_equal(why(&t, 1, 0), SUPPRESS_SECONDARY);
	assert_int_equal(count_why(&t, SUPPRESS_SECONDARY), 1);
	for (j = 0; j < 3; j++) {
		assert_int_equal(why(&t, 0, j), SUPPRESS_NONE);
		assert_int_equal(why(&t, 2, j), SUPPRESS_NONE);
	}
	assert_true(assert_protected(&t, SUPPRESS_K));
	suppress_table_release(&t);
}

/* xorshift64*: the same tables on every machine. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

static uint64_t
rnd_below(uint64_t *s, uint64_t n)
{
	return rnd(s) % n;
}

/*
 * A random table: zeros, small and large counts (up to maxv), some counts
 * of acts (fewer people than acts), some totals with fewer distinct
 * people than their cells'.
 */
static void
random_table(struct suppress_table *t, uint64_t *s, size_t rows, size_t cols,
        unsigned margins, uint64_t maxv)
{
	size_t i, j;

	suppress_table_init(t, rows, cols, margins);
	for (i = 0; i < rows; i++)
		for (j = 0; j < cols; j++) {
			struct suppress_cell *c = suppress_at(t, i, j);
			uint64_t r = rnd_below(s, 100);

			if (r < 20)
				c->value = 0;
			else if (r < 55)
				c->value = 1 + rnd_below(s, 10);
			else
				c->value = 11 + rnd_below(s, maxv - 10);
			c->people = c->value;
			if (c->value > 0 && rnd_below(s, 5) == 0)
				c->people = 1 + rnd_below(s, c->value);
		}
	for (i = 0; i < rows; i++)
		for (j = 0; j < cols; j++) {
			struct suppress_cell *c = suppress_at(t, i, j);

			suppress_at(t, i, cols)->value += c->value;
			suppress_at(t, i, cols)->people += c->people;
			suppress_at(t, rows, j)->value += c->value;
			suppress_at(t, rows, j)->people += c->people;
			suppress_at(t, rows, cols)->value += c->value;
			suppress_at(t, rows, cols)->people += c->people;
		}
	for (i = 0; i <= rows; i++)
		for (j = i < rows ? cols : 0; j <= cols; j++)
			if (rnd_below(s, 6) == 0)
				suppress_at(t, i, j)->people /= 3;
}

/*
 * The attacker against many random small tables (fixed seed), every
 * presence of margins, threshold 11 and a small one.
 */
static void
test_random_attacks(void **state)
{
	uint64_t s = 0x5eed5eed12345ull;
	size_t n, checked = 0, suppressed = 0, secondary = 0;

	(void)state;
	for (n = 0; n < 600; n++) {
		struct suppress_table t;
		size_t rows = 1 + rnd_below(&s, 3), cols = 1 + rnd_below(&s, 4);
		unsigned margins = (unsigned)rnd_below(&s, 8);
		uint64_t k = n % 4 == 3 ? 4 : SUPPRESS_K;

		random_table(&t, &s, rows, cols, margins, 30);
		assert_int_equal(suppress_table(&t, k), ERR_OK);
		suppressed += count_why(&t, SUPPRESS_PRIMARY);
		secondary += count_why(&t, SUPPRESS_SECONDARY);
		checked += (size_t)assert_protected(&t, k);
		suppress_table_release(&t);
	}
	print_message("random: %zu of 600 tables attacked, %zu primary, "
	              "%zu secondary\n",
	        checked, suppressed, secondary);
	assert_true(checked >= 590);
	assert_true(secondary > 0);
}

/* Same input, same answer, however the why fields started. */
static void
test_deterministic(void **state)
{
	uint64_t s = 42, s2 = 42;
	struct suppress_table a, b;
	size_t i, j;

	(void)state;
	random_table(&a, &s, 60, 8, 7, 200);
	random_table(&b, &s2, 60, 8, 7, 200);
	/* earlier primary marks are ignored (secondary ones are kept: see
	   test_withheld_elsewhere) */
	for (i = 0; i <= 60; i++)
		for (j = 0; j <= 8; j++)
			suppress_at(&b, i, j)->why = SUPPRESS_PRIMARY;
	assert_int_equal(suppress_table(&a, SUPPRESS_K), ERR_OK);
	assert_int_equal(suppress_table(&b, SUPPRESS_K), ERR_OK);
	for (i = 0; i <= 60; i++)
		for (j = 0; j <= 8; j++)
			assert_int_equal(why(&a, i, j), why(&b, i, j));
	/* and a protected table run again (its withheld figures kept) is
	   unchanged */
	assert_int_equal(suppress_table(&a, SUPPRESS_K), ERR_OK);
	for (i = 0; i <= 60; i++)
		for (j = 0; j <= 8; j++)
			assert_int_equal(why(&a, i, j), why(&b, i, j));
	suppress_table_release(&a);
	suppress_table_release(&b);
}

/*
 * The national dashboard's size: 1000 rows by 10 columns, many small
 * cells; it completes and suppress_range() finds every withheld figure
 * protected (no timing: speed is for benchmarks).
 */
static void
test_large(void **state)
{
	uint64_t s = 7;
	struct suppress_table t;
	size_t i, j, nsup = 0;

	(void)state;
	random_table(&t, &s, 1000, 10,
	        SUPPRESS_ROW_TOTALS | SUPPRESS_COL_TOTALS |
	                SUPPRESS_GRAND_TOTAL,
	        60);
	assert_int_equal(suppress_table(&t, SUPPRESS_K), ERR_OK);
	for (i = 0; i <= t.rows; i++)
		for (j = 0; j <= t.cols; j++) {
			uint64_t lo, hi;

			if (why(&t, i, j) == SUPPRESS_NONE)
				continue;
			nsup++;
			if (nsup % 7 != 0)
				continue; /* a sample: each call is O(table) */
			assert_int_equal(
			        suppress_range(&t, i, j, &lo, &hi), ERR_OK);
			assert_true(hi > lo);
			if (why(&t, i, j) == SUPPRESS_PRIMARY)
				assert_true(hi - lo >= SUPPRESS_K);
		}
	print_message("large: %zu primary, %zu secondary of %zu\n",
	        count_why(&t, SUPPRESS_PRIMARY),
	        count_why(&t, SUPPRESS_SECONDARY), (size_t)(1001 * 11));
	suppress_table_release(&t);
}

static void
test_invalid(void **state)
{
	static const uint64_t v[] = {5, 20, 30};
	struct suppress_table t;
	uint64_t lo, hi;

	(void)state;
	make(&t, 1, 3, SUPPRESS_ROW_TOTALS, v);
	suppress_at(&t, 0, 3)->value = 54; /* not the sum */
	assert_int_equal(suppress_table(&t, SUPPRESS_K), ERR_INVALID);
	assert_int_equal(suppress_range(&t, 0, 0, &lo, &hi), ERR_INVALID);
	suppress_at(&t, 0, 3)->value = 55;
	t.margins = 8;
	assert_int_equal(suppress_table(&t, SUPPRESS_K), ERR_INVALID);
	t.margins = SUPPRESS_ROW_TOTALS;
	/* An absent margin has no range; one past the table neither. */
	assert_int_equal(suppress_range(&t, 1, 0, &lo, &hi), ERR_INVALID);
	assert_int_equal(suppress_range(&t, 0, 4, &lo, &hi), ERR_INVALID);
	suppress_at(&t, 0, 0)->value = SUPPRESS_VALUE_MAX;
	suppress_at(&t, 0, 3)->value = SUPPRESS_VALUE_MAX + 50;
	assert_int_equal(suppress_table(&t, SUPPRESS_K), ERR_INVALID);
	suppress_table_release(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_threshold),
	        cmocka_unit_test(test_list_with_total),
	        cmocka_unit_test(test_withheld_elsewhere),
	        cmocka_unit_test(test_pair_too_narrow),
	        cmocka_unit_test(test_column_with_total),
	        cmocka_unit_test(test_chain_attack),
	        cmocka_unit_test(test_zero_complement),
	        cmocka_unit_test(test_sensitive_total),
	        cmocka_unit_test(test_series_without_column_totals),
	        cmocka_unit_test(test_random_attacks),
	        cmocka_unit_test(test_deterministic),
	        cmocka_unit_test(test_large),
	        cmocka_unit_test(test_invalid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
