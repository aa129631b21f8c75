/*
 * lpaudit.c - small-cell protection of figures tied by sums, audited by
 * linear programming (lpaudit.h)
 *
 * The audit problem has a variable per withheld figure (x >= 0) and a row
 * per relation that holds one: the withheld members minus the withheld
 * total equal the published total minus the published members. A bound of
 * figure f is max (or min) x_f over it. It is built once and kept: when a
 * figure is withheld, its column is added and the right-hand sides it was
 * in move, so GLPK's simplex goes on from the last basis.
 *
 * The widening problem, when f's interval is too narrow: a change d_i =
 * p_i - n_i of every figure (p, n >= 0, n_i <= value_i so nothing goes
 * negative), every relation still holding (sum of the members' changes =
 * the total's change), d_f fixed at the amount needed; minimise the cost
 * of the published figures it changes (withheld ones are free). The
 * published figures with a change are then withheld: after that the
 * change is one an attacker cannot rule out, so f can move that far.
 *
 * Both are first tried over f's neighbourhood (local_set()): whether f
 * can move far enough with only the withheld figures there changing
 * (local_room(): then its interval is wide enough, and the audit's two
 * solves of the whole system are not needed), and the cheapest change
 * there (widen_local()), which always exists; the whole problem is
 * solved only for a system so small that the neighbourhood is most of
 * it.
 */
#include "lpaudit.h"

#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

/* What a published figure costs to withhold, by tier, before its value. */
static const double tier_cost[LPAUDIT_TIERS] = {1.0, 1e3, 1e6, 1e9};

/* Values closer than this to an integer are that integer. */
#define EPS 1e-6

static void *
grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t ncap;

	if (need <= *cap)
		return p;
	ncap = *cap < 16 ? 16 : *cap;
	while (ncap < need)
		ncap *= 2;
	p = realloc(p, ncap * size);
	if (p == NULL)
		abort();
	*cap = ncap;
	return p;
}

void
lpaudit_init(struct lpaudit *a)
{
	memset(a, 0, sizeof(*a));
}

void
lpaudit_release(struct lpaudit *a)
{
	free(a->figs);
	free(a->rel);
	free(a->start);
	free(a->nleft);
	memset(a, 0, sizeof(*a));
}

size_t
lpaudit_fig(struct lpaudit *a, uint64_t value, uint64_t people,
        enum lpaudit_tier tier, enum suppress_why why)
{
	a->figs = grow(a->figs, &a->cap, a->n + 1, sizeof(*a->figs));
	a->figs[a->n] = (struct lpaudit_fig){value, people, tier,
	        why == SUPPRESS_SECONDARY ? SUPPRESS_SECONDARY : SUPPRESS_NONE,
	        LPAUDIT_FIGURE};
	return a->n++;
}

size_t
lpaudit_quantity(struct lpaudit *a, uint64_t value, uint64_t people,
        enum lpaudit_tier tier, enum lpaudit_role role)
{
	size_t i = lpaudit_fig(a, value, people, tier,
	        role == LPAUDIT_GIVEN ? SUPPRESS_NONE : SUPPRESS_SECONDARY);

	a->figs[i].role = role;
	return i;
}

/* Appends a relation of the n1 figures f1 then the n2 figures f2, the
   first nleft of them on the left of an inequality (0: a sum, the first
   the total). */
static void
add_rel(struct lpaudit *a, const size_t *f1, size_t n1, const size_t *f2,
        size_t n2, size_t nleft)
{
	size_t i;

	if (a->nrel == 0) {
		a->start = grow(a->start, &a->start_cap, 1, sizeof(*a->start));
		a->start[0] = 0;
	}
	a->rel = grow(a->rel, &a->rel_cap, a->nrel_idx + n1 + n2 + 1,
	        sizeof(*a->rel));
	a->start =
	        grow(a->start, &a->start_cap, a->nrel + 2, sizeof(*a->start));
	a->nleft =
	        grow(a->nleft, &a->nleft_cap, a->nrel + 1, sizeof(*a->nleft));
	for (i = 0; i < n1; i++)
		a->rel[a->nrel_idx++] = f1[i];
	for (i = 0; i < n2; i++)
		a->rel[a->nrel_idx++] = f2[i];
	a->nleft[a->nrel] = nleft;
	a->start[++a->nrel] = a->nrel_idx;
}

void
lpaudit_sum(struct lpaudit *a, size_t total, const size_t *members, size_t n)
{
	add_rel(a, &total, 1, members, n, 0);
}

void
lpaudit_le(struct lpaudit *a, const size_t *left, size_t nl,
        const size_t *right, size_t nr)
{
	add_rel(a, left, nl, right, nr, nl);
}

/* Relation r's figures (the total first) and their count. */
static const size_t *
rel_of(const struct lpaudit *a, size_t r, size_t *len)
{
	*len = a->start[r + 1] - a->start[r];
	return a->rel + a->start[r];
}

/* The coefficient of the k-th figure of relation r: for a sum, the
   total -1 and the members 1; for an inequality, the left 1 and the
   right -1 (so that its row is "= 0", or "<= 0", on the true values). */
static double
coef(const struct lpaudit *a, size_t r, size_t k)
{
	if (a->nleft[r] == 0)
		return k == 0 ? -1.0 : 1.0;
	return k < a->nleft[r] ? 1.0 : -1.0;
}

static int
withheld(const struct lpaudit *a, size_t i)
{
	return a->figs[i].why != SUPPRESS_NONE;
}

/* Checks every relation holds and names distinct figures of the
   system. */
static enum err
check(const struct lpaudit *a)
{
	size_t r, k, len, *seen = calloc(a->n + 1, sizeof(*seen));
	enum err rc = ERR_OK;

	if (seen == NULL)
		abort();
	for (r = 0; rc == ERR_OK && r < a->nrel; r++) {
		const size_t *f = rel_of(a, r, &len);
		uint64_t sum = 0;

		for (k = 0; rc == ERR_OK && k < len; k++) {
			if (f[k] >= a->n || seen[f[k]] == r + 1)
				rc = ERR_INVALID;
			else
				seen[f[k]] = r + 1;
		}
		if (a->nleft[r] > 0) {
			uint64_t left = 0, right = 0;

			for (k = 0; rc == ERR_OK && k < len; k++) {
				uint64_t *side =
				        k < a->nleft[r] ? &left : &right;

				*side += a->figs[f[k]].value;
				if (*side > SUPPRESS_VALUE_MAX)
					rc = ERR_INVALID;
			}
			if (rc == ERR_OK && left > right)
				rc = ERR_INVALID;
			continue;
		}
		for (k = 1; rc == ERR_OK && k < len; k++) {
			sum += a->figs[f[k]].value;
			if (sum > SUPPRESS_VALUE_MAX)
				rc = ERR_INVALID;
		}
		if (rc == ERR_OK && sum != a->figs[f[0]].value)
			rc = ERR_INVALID;
	}
	free(seen);
	return rc;
}

/* The audit problem and the indices it keeps. */
struct audit {
	const struct lpaudit *a;
	glp_prob *lp;
	int *col;      /* figure -> column (1-based), 0 when published */
	size_t *fig;   /* column -> figure ([0] unused) */
	int *row;      /* relation -> row (1-based), 0 while it has none */
	size_t *inrel; /* figure -> its relations (CSR below) */
	size_t *inoff;
	int *ind;    /* scratch, 1-based */
	double *val; /* scratch, 1-based */
	size_t scratch;
	int objcol;    /* the column with objective 1, or 0 */
	glp_prob *wlp; /* the widening problem, made at its first use */
	/* a neighbourhood (local_alloc(), at its first use): marks of
	   figures and relations, whether each relation is of one level
	   (own_rel()), its figures and their places, its rows, and the
	   candidates to offset a change with their scores */
	unsigned char *mark, *rmark, *own;
	size_t *set, nset, *lcol, *rows, *score, *touched;
};

/* The right-hand side of relation r: minus the published part. */
static double
rhs(const struct lpaudit *a, size_t r)
{
	size_t k, len;
	const size_t *f = rel_of(a, r, &len);
	double s = 0;

	for (k = 0; k < len; k++)
		if (!withheld(a, f[k]))
			s -= coef(a, r, k) * (double)a->figs[f[k]].value;
	return s;
}

/* Row i of lp is relation r with right-hand side b: "= b" for a sum,
   "<= b" for an inequality. */
static void
row_bounds(glp_prob *lp, int i, const struct lpaudit *a, size_t r, double b)
{
	if (a->nleft[r] == 0)
		glp_set_row_bnds(lp, i, GLP_FX, b, b);
	else
		glp_set_row_bnds(lp, i, GLP_UP, 0.0, b);
}

/* Adds relation r's row (it has a withheld figure now). */
static void
add_row(struct audit *au, size_t r)
{
	size_t k, len, nz = 0;
	const size_t *f = rel_of(au->a, r, &len);
	double b = rhs(au->a, r);
	int i = glp_add_rows(au->lp, 1);

	au->row[r] = i;
	for (k = 0; k < len; k++)
		if (au->col[f[k]] != 0) {
			au->ind[++nz] = au->col[f[k]];
			au->val[nz] = coef(au->a, r, k);
		}
	glp_set_mat_row(au->lp, i, (int)nz, au->ind, au->val);
	row_bounds(au->lp, i, au->a, r, b);
}

/* Figure i is withheld now: its column, and its relations' rows. */
static void
add_col(struct audit *au, size_t i)
{
	size_t q, nz = 0;
	int j = glp_add_cols(au->lp, 1);

	au->col[i] = j;
	au->fig[j] = i;
	glp_set_col_bnds(au->lp, j, GLP_LO, 0.0, 0.0);
	/* the rows there are already: the column, and their right sides */
	for (q = au->inoff[i]; q < au->inoff[i + 1]; q++) {
		size_t r = au->inrel[q], len, k;
		const size_t *f = rel_of(au->a, r, &len);

		if (au->row[r] == 0)
			continue;
		for (k = 0; k < len && f[k] != i; k++)
			;
		au->ind[++nz] = au->row[r];
		au->val[nz] = coef(au->a, r, k);
		row_bounds(au->lp, au->row[r], au->a, r, rhs(au->a, r));
	}
	glp_set_mat_col(au->lp, j, (int)nz, au->ind, au->val);
	/* then the relations it is the first withheld figure of */
	for (q = au->inoff[i]; q < au->inoff[i + 1]; q++)
		if (au->row[au->inrel[q]] == 0)
			add_row(au, au->inrel[q]);
}

static enum err
audit_open(struct audit *au, const struct lpaudit *a)
{
	size_t r, k, len, i, most = 1;

	memset(au, 0, sizeof(*au));
	au->a = a;
	au->col = calloc(a->n + 1, sizeof(*au->col));
	au->fig = calloc(a->n + 2, sizeof(*au->fig));
	au->row = calloc(a->nrel + 1, sizeof(*au->row));
	au->inoff = calloc(a->n + 2, sizeof(*au->inoff));
	au->inrel = calloc(a->nrel_idx + 1, sizeof(*au->inrel));
	if (!au->col || !au->fig || !au->row || !au->inoff || !au->inrel)
		abort();
	for (r = 0; r < a->nrel; r++) {
		const size_t *f = rel_of(a, r, &len);

		if (len > most)
			most = len;
		for (k = 0; k < len; k++)
			au->inoff[f[k] + 2]++;
	}
	for (i = 0; i < a->n; i++) {
		size_t deg = au->inoff[i + 2];

		if (deg > most)
			most = deg;
		au->inoff[i + 2] += au->inoff[i + 1];
	}
	for (r = 0; r < a->nrel; r++) {
		const size_t *f = rel_of(a, r, &len);

		for (k = 0; k < len; k++)
			au->inrel[au->inoff[f[k] + 1]++] = r;
	}
	au->scratch = 2 * most + 2;
	au->ind = calloc(au->scratch, sizeof(*au->ind));
	au->val = calloc(au->scratch, sizeof(*au->val));
	if (!au->ind || !au->val)
		abort();
	au->lp = glp_create_prob();
	for (i = 0; i < a->n; i++)
		if (withheld(a, i))
			add_col(au, i);
	return ERR_OK;
}

static void
audit_close(struct audit *au)
{
	if (au->lp != NULL)
		glp_delete_prob(au->lp);
	if (au->wlp != NULL)
		glp_delete_prob(au->wlp);
	free(au->col);
	free(au->fig);
	free(au->row);
	free(au->inoff);
	free(au->inrel);
	free(au->ind);
	free(au->val);
	free(au->mark);
	free(au->rmark);
	free(au->set);
	free(au->lcol);
	free(au->rows);
	free(au->own);
	free(au->score);
	free(au->touched);
}

/*
 * Solves with the current objective: 0 optimal, 1 unbounded, -1 failed.
 * An audit problem by the primal simplex from its last basis (only the
 * objective changed). A widening problem (widening) by the dual simplex
 * from the basis of slacks: every cost is at least 0 and every change
 * starts at 0, so that basis is dual feasible and only the figure's
 * fixed change is out of place; on a block of 30 collectivities, 853
 * pivots and 0.3 s against the primal simplex's 12,177 and 12 s. (From
 * the last basis instead, withholding makes costs fall to 0 and leaves
 * it dual infeasible: three times slower.)
 */
static int
solve(glp_prob *lp, int widening)
{
	glp_smcp parm;
	int st;

	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	if (widening) {
		parm.meth = GLP_DUALP;
		glp_std_basis(lp);
	}
	if (glp_simplex(lp, &parm) != 0) {
		/* a bad basis after many changes: start again from scratch */
		glp_std_basis(lp);
		if (glp_simplex(lp, &parm) != 0)
			return -1;
	}
	st = glp_get_status(lp);
	if (st == GLP_OPT)
		return 0;
	if (st == GLP_UNBND)
		return 1;
	return -1;
}

/* Widens seen[2 f], seen[2 f + 1] (audit_sample()) to hold value v of
   figure f at some point of the audit problem. */
static void
seen_take(uint64_t *seen, size_t f, double v)
{
	double lo = ceil(v - EPS), hi = floor(v + EPS);

	if (lo < 0)
		lo = 0;
	if (lo < (double)seen[2 * f])
		seen[2 * f] = (uint64_t)lo;
	if (hi > (double)seen[2 * f + 1])
		seen[2 * f + 1] = (uint64_t)hi;
}

/* Takes the audit problem's current point into seen (NULL: none), when
   it is one (primal feasible). */
static void
seen_point(struct audit *au, uint64_t *seen)
{
	int ncol = glp_get_num_cols(au->lp), j;

	if (seen == NULL || glp_get_prim_stat(au->lp) != GLP_FEAS)
		return;
	for (j = 1; j <= ncol; j++)
		seen_take(seen, au->fig[j], glp_get_col_prim(au->lp, j));
}

/* [lo, hi] of withheld figure i, rounded inwards; both optima are points
   for seen (NULL: none). */
static enum err
audit_range(
        struct audit *au, size_t i, uint64_t *lo, uint64_t *hi, uint64_t *seen)
{
	int j = au->col[i], rc;
	double v;

	if (au->objcol != 0)
		glp_set_obj_coef(au->lp, au->objcol, 0.0);
	glp_set_obj_coef(au->lp, j, 1.0);
	au->objcol = j;
	glp_set_obj_dir(au->lp, GLP_MAX);
	rc = solve(au->lp, 0);
	if (rc < 0)
		return ERR_INTERNAL;
	seen_point(au, seen);
	if (rc == 1) {
		*hi = UINT64_MAX;
	} else {
		v = floor(glp_get_obj_val(au->lp) + EPS);
		*hi = v <= 0 ? 0 : (uint64_t)v;
	}
	glp_set_obj_dir(au->lp, GLP_MIN);
	if (solve(au->lp, 0) != 0)
		return ERR_INTERNAL;
	seen_point(au, seen);
	v = ceil(glp_get_obj_val(au->lp) - EPS);
	*lo = v <= 0 ? 0 : (uint64_t)v;
	return ERR_OK;
}

/* How wide withheld figure f's interval must be: k when it is
   sensitive itself, else more than a single value. */
static uint64_t
room_needed(const struct lpaudit_fig *f, uint64_t k)
{
	return f->why == SUPPRESS_PRIMARY ? k : 1;
}

/* How far above its value figure i must be able to go, given [lo, hi]:
   0 when its interval is wide enough. */
static uint64_t
shortfall(const struct lpaudit_fig *f, uint64_t lo, uint64_t hi, uint64_t k)
{
	uint64_t need = room_needed(f, k);

	if (hi == UINT64_MAX)
		return 0;
	/* the solver's tolerances may leave a point as hi < lo, or lo
	   above the value: both are no room */
	if (lo > f->value)
		lo = f->value;
	if (hi > lo && hi - lo >= need)
		return 0;
	return need - (f->value - lo);
}

/* What changing published figure i costs in the widening problem. */
static double
cost_of(const struct lpaudit *a, size_t i)
{
	return withheld(a, i)
	               ? 0.0
	               : tier_cost[a->figs[i].tier] + (double)a->figs[i].value;
}

/* Figure i's columns in the widening problem, at place pos, as they
   stand when it is not the one being moved: p >= 0, 0 <= n <= value
   (both 0 for a given quantity, which cannot change). */
static void
widen_bounds(glp_prob *lp, size_t pos, const struct lpaudit *a, size_t i)
{
	int p = (int)(2 * pos + 1), n = p + 1;

	if (a->figs[i].role == LPAUDIT_GIVEN) {
		glp_set_col_bnds(lp, p, GLP_FX, 0.0, 0.0);
		glp_set_col_bnds(lp, n, GLP_FX, 0.0, 0.0);
		return;
	}
	glp_set_col_bnds(lp, p, GLP_LO, 0.0, 0.0);
	if (a->figs[i].value == 0)
		glp_set_col_bnds(lp, n, GLP_FX, 0.0, 0.0);
	else
		glp_set_col_bnds(lp, n, GLP_DB, 0.0, (double)a->figs[i].value);
}

/*
 * Makes the widening problem over the n figures set (every figure, in
 * order, when set is NULL; col[x] is then figure x's place, SIZE_MAX for
 * one not in it, whose change is 0) and the nr relations rows (every one
 * when NULL): a change p - n of each figure, each costed, every relation
 * holding (a sum kept, an inequality within its room).
 */
static glp_prob *
widen_build(const struct lpaudit *a, const size_t *set, size_t n,
        const size_t *col, const size_t *rows, size_t nr)
{
	glp_prob *lp = glp_create_prob();
	size_t i, q, k, len, nz = 0, cap = 1;
	int *ia, *ja;
	double *ar;

	for (q = 0; q < nr; q++) {
		size_t r = rows != NULL ? rows[q] : q;

		cap += 2 * (a->start[r + 1] - a->start[r]);
	}
	ia = malloc(cap * sizeof(*ia));
	ja = malloc(cap * sizeof(*ja));
	ar = malloc(cap * sizeof(*ar));
	if (ia == NULL || ja == NULL || ar == NULL)
		abort();
	glp_add_cols(lp, (int)(2 * n));
	for (i = 0; i < n; i++) {
		size_t x = set != NULL ? set[i] : i;

		widen_bounds(lp, i, a, x);
		glp_set_obj_coef(lp, (int)(2 * i + 1), cost_of(a, x));
		glp_set_obj_coef(lp, (int)(2 * i + 2), cost_of(a, x));
	}
	if (nr > 0) /* GLPK refuses to add none */
		glp_add_rows(lp, (int)nr);
	for (q = 0; q < nr; q++) {
		size_t r = rows != NULL ? rows[q] : q;
		const size_t *fr = rel_of(a, r, &len);
		double slack = 0;

		for (k = 0; k < len; k++) {
			size_t c = set != NULL ? col[fr[k]] : fr[k];

			slack -= coef(a, r, k) * (double)a->figs[fr[k]].value;
			if (c == SIZE_MAX)
				continue;
			ia[++nz] = (int)q + 1;
			ja[nz] = (int)(2 * c + 1);
			ar[nz] = coef(a, r, k);
			ia[++nz] = (int)q + 1;
			ja[nz] = (int)(2 * c + 2);
			ar[nz] = -coef(a, r, k);
		}
		row_bounds(
		        lp, (int)q + 1, a, r, a->nleft[r] == 0 ? 0.0 : slack);
	}
	glp_load_matrix(lp, (int)nz, ia, ja, ar);
	glp_set_obj_dir(lp, GLP_MIN);
	free(ia);
	free(ja);
	free(ar);
	return lp;
}

/* Fixes the change of the figure at place pos of a widening problem:
   up by up, down by down (one of them 0). */
static void
fix_change(glp_prob *lp, size_t pos, uint64_t up, uint64_t down)
{
	glp_set_col_bnds(
	        lp, (int)(2 * pos + 1), GLP_FX, (double)up, (double)up);
	glp_set_col_bnds(
	        lp, (int)(2 * pos + 2), GLP_FX, (double)down, (double)down);
}

/* Withholds published figure i as secondary, in both problems. */
static void
withhold(struct lpaudit *a, struct audit *au, size_t i)
{
	a->figs[i].why = SUPPRESS_SECONDARY;
	add_col(au, i);
	if (au->wlp != NULL) {
		glp_set_obj_coef(au->wlp, (int)(2 * i + 1), 0.0);
		glp_set_obj_coef(au->wlp, (int)(2 * i + 2), 0.0);
	}
}

/*
 * The widening problem for figure f and an amount d: withholds the
 * published figures of the cheapest change that moves f up by d. The
 * problem is kept from call to call (only f's bounds and the costs of
 * figures withheld since change); each solve starts from the slack
 * basis (solve()). Returns how many it withheld, or -1 when the solver
 * failed.
 */
static long
widen(struct lpaudit *a, struct audit *au, size_t f, uint64_t d)
{
	glp_prob *lp;
	size_t i;
	long added = 0;

	if (au->wlp == NULL)
		au->wlp = widen_build(a, NULL, a->n, NULL, NULL, a->nrel);
	lp = au->wlp;
	fix_change(lp, f, d, 0);
	if (solve(lp, 1) != 0) {
		widen_bounds(lp, f, a, f);
		return -1;
	}
	for (i = 0; i < a->n; i++) {
		double ch;

		if (withheld(a, i))
			continue;
		ch = glp_get_col_prim(lp, (int)(2 * i + 1)) +
		     glp_get_col_prim(lp, (int)(2 * i + 2));
		if (ch < EPS)
			continue;
		withhold(a, au, i);
		added++;
	}
	widen_bounds(lp, f, a, f);
	return added;
}

/* A sum longer than this whose total must move and none of its members
   is in the neighbourhood takes only LOCAL_PICK of them. */
#define LOCAL_REL 64

/* How many figures of other units a neighbourhood takes to offset a
   change (the cheapest of those most often in sums with the figure). */
#define LOCAL_PICK 8

/* Whether figure i is of a group (a unit of units) rather than of a
   unit. */
static int
of_group(const struct lpaudit *a, size_t i)
{
	return a->figs[i].tier >= LPAUDIT_GROUP;
}

/* Whether relation r ties figures of one level only (a unit's own, or a
   group's own), rather than a group to its units. */
static int
own_rel(const struct lpaudit *a, size_t r)
{
	size_t len, k;
	const size_t *fr = rel_of(a, r, &len);

	for (k = 1; k < len; k++)
		if (of_group(a, fr[k]) != of_group(a, fr[0]))
			return 0;
	return 1;
}

/* Adds x to the neighbourhood if it is not in it. */
static void
local_add(struct audit *au, size_t x)
{
	if (!au->mark[x]) {
		au->mark[x] = 1;
		au->set[au->nset++] = x;
	}
}

/* Adds x and its unit (every figure tied to it by relations of its own
   level), if x is not in the neighbourhood yet. */
static void
local_unit(const struct lpaudit *a, struct audit *au, size_t x)
{
	size_t from = au->nset, q, k, len;

	if (au->mark[x])
		return;
	local_add(au, x);
	for (; from < au->nset; from++) {
		size_t y = au->set[from];

		for (q = au->inoff[y]; q < au->inoff[y + 1]; q++) {
			const size_t *fr = rel_of(a, au->inrel[q], &len);

			if (au->own[au->inrel[q]])
				for (k = 0; k < len; k++)
					local_add(au, fr[k]);
		}
	}
}

/* Whether figure x is a better one to offset a change than y: more sums
   in common (score), then cheaper. */
static int
local_better(
        const struct lpaudit *a, const struct audit *au, size_t x, size_t y)
{
	if (au->score[x] != au->score[y])
		return au->score[x] > au->score[y];
	return cost_of(a, x) < cost_of(a, y);
}

/*
 * Adds the units of the LOCAL_PICK figures best placed to offset a change
 * of f: those of f's sums across levels (f a member: the other members;
 * f a total: its members), most often in them with f first, then the
 * cheapest to change (withheld ones first).
 */
static void
local_offsets(const struct lpaudit *a, struct audit *au, size_t f)
{
	size_t q, k, len, nt = 0, n, best, i;

	for (q = au->inoff[f]; q < au->inoff[f + 1]; q++) {
		const size_t *fr = rel_of(a, au->inrel[q], &len);

		if (au->own[au->inrel[q]] || a->nleft[au->inrel[q]] != 0)
			continue;
		for (k = fr[0] == f ? 1 : 0; k < len; k++) {
			size_t y = fr[k];

			if (y == f || of_group(a, y) != of_group(a, fr[1]) ||
			        a->figs[y].role == LPAUDIT_GIVEN)
				continue;
			if (au->score[y]++ == 0)
				au->touched[nt++] = y;
		}
	}
	for (n = 0; n < LOCAL_PICK; n++) {
		best = SIZE_MAX;
		for (i = 0; i < nt; i++)
			if (!au->mark[au->touched[i]] &&
			        (best == SIZE_MAX ||
			                local_better(a, au, au->touched[i],
			                        au->touched[best])))
				best = i;
		if (best == SIZE_MAX)
			break;
		local_unit(a, au, au->touched[best]);
	}
	for (i = 0; i < nt; i++)
		au->score[au->touched[i]] = 0;
}

/* Adds the LOCAL_PICK members of long sum r cheapest to change, with
   their units. */
static void
local_pick(const struct lpaudit *a, struct audit *au, size_t r)
{
	size_t len, k, n, best;
	const size_t *fr = rel_of(a, r, &len);

	for (n = 0; n < LOCAL_PICK; n++) {
		best = 0;
		for (k = 1; k < len; k++)
			if (!au->mark[fr[k]] &&
			        a->figs[fr[k]].role != LPAUDIT_GIVEN &&
			        (best == 0 || cost_of(a, fr[k]) <
			                              cost_of(a, fr[best])))
				best = k;
		if (best == 0)
			return;
		local_unit(a, au, fr[best]);
	}
}

/*
 * What must move with x when x moves up, in relation r where x is at
 * place k (added with its unit): a sum's total when x is a member, the
 * right side of an inequality when x is on its left.
 */
static void
local_need(const struct lpaudit *a, struct audit *au, size_t r, size_t k)
{
	size_t len, i;
	const size_t *fr = rel_of(a, r, &len);

	if (a->nleft[r] == 0) {
		if (k > 0)
			local_unit(a, au, fr[0]);
		return;
	}
	if (k < a->nleft[r])
		for (i = a->nleft[r]; i < len; i++)
			local_unit(a, au, fr[i]);
}

/*
 * f's neighbourhood, in au->set: f's unit (every figure tied to it by
 * relations of its level: a collectivity's periods, kinds and parts),
 * the units of the figures best placed to offset its change
 * (local_offsets()), then, until nothing more is needed, what must move
 * with them for f to move up, with their units: the groups' figures
 * they add up to (local_need()), and for a sum whose total is in it and
 * none of its members, its members or, when it is long, its cheapest
 * ones. It always holds a change that raises f (each figure raised, and
 * with it each total it is in and each side it must stay under), and the
 * cheapest that moves f's unit against another's; the whole problem is
 * needed only for a cheaper one still.
 */
static void
local_set(const struct lpaudit *a, struct audit *au, size_t f)
{
	size_t from = 0, i, q, k, len, r, before;
	int more = 1;

	au->nset = 0;
	local_unit(a, au, f);
	local_offsets(a, au, f);
	while (more) {
		for (; from < au->nset; from++) {
			size_t x = au->set[from];

			for (q = au->inoff[x]; q < au->inoff[x + 1]; q++) {
				const size_t *fr =
				        rel_of(a, au->inrel[q], &len);

				for (k = 0; fr[k] != x; k++)
					;
				local_need(a, au, au->inrel[q], k);
			}
		}
		/* the sums whose total is in and none of their members */
		before = au->nset;
		for (i = 0; i < au->nset; i++)
			for (q = au->inoff[au->set[i]];
			        q < au->inoff[au->set[i] + 1]; q++) {
				const size_t *fr =
				        rel_of(a, au->inrel[q], &len);

				r = au->inrel[q];

				if (a->nleft[r] != 0 || fr[0] != au->set[i])
					continue;
				for (k = 1; k < len && !au->mark[fr[k]]; k++)
					;
				if (k < len)
					continue;
				if (len <= LOCAL_REL)
					for (k = 1; k < len; k++)
						local_unit(a, au, fr[k]);
				else
					local_pick(a, au, r);
			}
		more = au->nset > before;
	}
}

/* Makes the neighbourhoods' marks and lists, at their first use. */
static void
local_alloc(const struct lpaudit *a, struct audit *au)
{
	size_t i;

	if (au->mark != NULL)
		return;
	au->mark = calloc(a->n + 1, 1);
	au->rmark = calloc(a->nrel + 1, 1);
	au->set = malloc((a->n + 1) * sizeof(*au->set));
	au->lcol = malloc((a->n + 1) * sizeof(*au->lcol));
	au->rows = malloc((a->nrel + 1) * sizeof(*au->rows));
	au->own = malloc(a->nrel + 1);
	au->score = calloc(a->n + 1, sizeof(*au->score));
	au->touched = malloc((a->n + 1) * sizeof(*au->touched));
	if (!au->mark || !au->rmark || !au->set || !au->lcol || !au->rows ||
	        !au->own || !au->score || !au->touched)
		abort();
	for (i = 0; i < a->n; i++)
		au->lcol[i] = SIZE_MAX;
	for (i = 0; i < a->nrel; i++)
		au->own[i] = (unsigned char)own_rel(a, i);
}

/*
 * Makes f's neighbourhood (local_set()), each of its figures' place in
 * it (lcol) and the relations they are in (rows); returns how many.
 */
static size_t
local_open(const struct lpaudit *a, struct audit *au, size_t f)
{
	size_t nr = 0, i, q;

	local_alloc(a, au);
	local_set(a, au, f);
	for (i = 0; i < au->nset; i++) {
		size_t x = au->set[i];

		au->lcol[x] = i;
		for (q = au->inoff[x]; q < au->inoff[x + 1]; q++)
			if (!au->rmark[au->inrel[q]]) {
				au->rmark[au->inrel[q]] = 1;
				au->rows[nr++] = au->inrel[q];
			}
	}
	return nr;
}

/* Clears what local_open() marked (nr relations). */
static void
local_close(struct audit *au, size_t nr)
{
	size_t i;

	for (i = 0; i < au->nset; i++) {
		au->mark[au->set[i]] = 0;
		au->lcol[au->set[i]] = SIZE_MAX;
	}
	for (i = 0; i < nr; i++)
		au->rmark[au->rows[i]] = 0;
	au->nset = 0;
}

/*
 * Whether a neighbourhood of nset figures is most of the n of the system
 * (a small one): the whole problem is then solved instead, as quick and
 * exact (the audit) or cheaper (the widening).
 */
static int
local_too_big(size_t nset, size_t n)
{
	return 4 * nset > 3 * n;
}

/*
 * Whether f can move up (or else down) by need over its neighbourhood
 * (local_set()), only the withheld figures in it changing with it and
 * every relation holding: then f's interval is at least need wide (it
 * holds f's value and that), and the whole audit problem is not
 * needed. It is the widening problem with every published figure fixed,
 * from the slack basis. 0 when it cannot tell (no such change, a
 * neighbourhood too big to be worth it, or the solver failed).
 */
static int
local_room(const struct lpaudit *a, struct audit *au, size_t f, uint64_t need,
        uint64_t *seen)
{
	size_t nr = local_open(a, au, f), i;
	glp_prob *lp;
	int ok = 0;

	if (!local_too_big(au->nset, a->n)) {
		lp = widen_build(a, au->set, au->nset, au->lcol, au->rows, nr);
		for (i = 0; i < au->nset; i++)
			if (!withheld(a, au->set[i]))
				fix_change(lp, i, 0, 0);
		fix_change(lp, au->lcol[f], need, 0);
		ok = solve(lp, 1) == 0;
		/* or down by need, when it is that high */
		if (!ok && a->figs[f].value >= need) {
			fix_change(lp, au->lcol[f], 0, need);
			ok = solve(lp, 1) == 0;
		}
		/* the change is a point of the whole audit problem */
		for (i = 0; ok && i < au->nset; i++)
			if (withheld(a, au->set[i]))
				seen_take(seen, au->set[i],
				        (double)a->figs[au->set[i]].value +
				                glp_get_col_prim(
				                        lp, (int)(2 * i + 1)) -
				                glp_get_col_prim(
				                        lp, (int)(2 * i + 2)));
		glp_delete_prob(lp);
	}
	local_close(au, nr);
	return ok;
}

/*
 * The widening problem restricted to f's neighbourhood (local_set();
 * every other figure's change fixed at 0): much smaller, and any change
 * it finds holds in the whole system. Returns how many it withheld: 0
 * when it found no such change or the neighbourhood is too big (the
 * caller then solves the whole problem), -1 when the solver failed.
 */
static long
widen_local(struct lpaudit *a, struct audit *au, size_t f, uint64_t d)
{
	size_t nr = local_open(a, au, f), i;
	glp_prob *lp;
	long added = 0;

	if (local_too_big(au->nset, a->n)) {
		local_close(au, nr);
		return 0;
	}
	lp = widen_build(a, au->set, au->nset, au->lcol, au->rows, nr);
	fix_change(lp, au->lcol[f], d, 0);
	/* the published figures the change moves, then withheld */
	if (solve(lp, 1) == 0)
		for (i = 0; i < au->nset; i++)
			if (!withheld(a, au->set[i]) &&
			        glp_get_col_prim(lp, (int)(2 * i + 1)) +
			                        glp_get_col_prim(
			                                lp, (int)(2 * i + 2)) >=
			                EPS)
				au->touched[added++] = au->set[i];
	glp_delete_prob(lp);
	local_close(au, nr);
	for (i = 0; i < (size_t)added; i++)
		withhold(a, au, au->touched[i]);
	return added;
}

/* Withholds every published figure of f's relations: the last resort. */
static long
widen_all(struct lpaudit *a, struct audit *au, size_t f)
{
	size_t q, k, len;
	long added = 0;

	for (q = au->inoff[f]; q < au->inoff[f + 1]; q++) {
		const size_t *fr = rel_of(a, au->inrel[q], &len);

		for (k = 0; k < len; k++)
			if (!withheld(a, fr[k]) &&
			        a->figs[fr[k]].role != LPAUDIT_GIVEN) {
				withhold(a, au, fr[k]);
				added++;
			}
	}
	return added;
}

/*
 * GLPK stops the process on an internal error unless its hook jumps
 * away: each call here sets a trap (per thread, as GLPK's environment
 * is), and a failure is ERR_INTERNAL, GLPK's memory freed (what this
 * module held at that point is lost, but the server goes on).
 */
static _Thread_local jmp_buf *trap;

static void
on_glpk_error(void *info)
{
	(void)info;
	longjmp(*trap, 1);
}

static enum err protect_run(struct lpaudit *a, uint64_t k);
static enum err range_run(
        const struct lpaudit *a, size_t i, uint64_t *lo, uint64_t *hi);

/* One call of the module's work: protect (range NULL) or range. */
struct call {
	struct lpaudit *a;
	uint64_t k;
	size_t i;
	uint64_t *lo, *hi;
};

/* Runs c under the trap. */
static enum err
trapped(struct call *c)
{
	jmp_buf jb;
	enum err rc;

	if (setjmp(jb) != 0) {
		trap = NULL;
		glp_free_env();
		return ERR_INTERNAL;
	}
	trap = &jb;
	glp_error_hook(on_glpk_error, NULL);
	rc = c->lo == NULL ? protect_run(c->a, c->k)
	                   : range_run(c->a, c->i, c->lo, c->hi);
	trap = NULL;
	return rc;
}

enum err
lpaudit_protect(struct lpaudit *a, uint64_t k)
{
	struct call c = {a, k, 0, NULL, NULL};

	return trapped(&c);
}

enum err
lpaudit_range(const struct lpaudit *a, size_t i, uint64_t *lo, uint64_t *hi)
{
	struct call c = {(struct lpaudit *)a, 0, i, lo, hi};

	return trapped(&c);
}

/* The next of a fixed pseudo-random sequence of +1 and -1 (xorshift32,
   state x). */
static double
next_sign(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return (*x & 1) ? 1.0 : -1.0;
}

/* How many points of the audit problem audit_sample() takes. */
#define SAMPLES 2

/*
 * Points of the audit problem, each the optimum (or, when unbounded, the
 * last basic point) of a pseudo-random objective of +-1 per withheld
 * figure, from the last basis: every one is values of the withheld
 * figures an attacker cannot rule out, so each figure's interval holds
 * its value and its value at each point. seen[2 i], seen[2 i + 1] (for
 * figure i) are the lowest and highest, rounded inwards. Where they are
 * far enough apart, the figure needs no audit of its own: at 400
 * collectivities, an audit takes 0.6 s, and most of them find the
 * interval wide. Deterministic (a fixed sequence).
 */
static void
audit_sample(struct audit *au, uint64_t *seen)
{
	int ncol = glp_get_num_cols(au->lp), j, s;
	uint32_t x = 2463534242u;
	if (au->objcol != 0)
		glp_set_obj_coef(au->lp, au->objcol, 0.0);
	au->objcol = 0;
	glp_set_obj_dir(au->lp, GLP_MAX);
	for (s = 0; s < SAMPLES; s++) {
		for (j = 1; j <= ncol; j++) {
			glp_set_obj_coef(au->lp, j, next_sign(&x));
		}
		if (solve(au->lp, 0) < 0)
			break; /* only a shortcut: the audits decide */
		seen_point(au, seen);
	}
	for (j = 1; j <= ncol; j++)
		glp_set_obj_coef(au->lp, j, 0.0);
}

/* How many exact audits pass before audit_aim() looks again. */
#define AIM_EVERY 16

/*
 * More points for seen (audit_sample()), aimed at the queued figures
 * queue[0..nq) whose points are not yet far enough apart: an objective
 * of +-1 on each of those (pseudo-random, x the generator's state), 0
 * on every other figure, then its opposite.
 */
static void
audit_aim(const struct lpaudit *a, struct audit *au, uint64_t *seen,
        const size_t *queue, size_t nq, uint64_t k, uint32_t *x)
{
	size_t q, m = 0;
	int s;

	if (au->objcol != 0)
		glp_set_obj_coef(au->lp, au->objcol, 0.0);
	au->objcol = 0;
	glp_set_obj_dir(au->lp, GLP_MAX);
	for (q = 0; q < nq; q++) {
		size_t f = queue[q];

		if (seen[2 * f + 1] - seen[2 * f] >=
		        room_needed(&a->figs[f], k))
			continue;
		glp_set_obj_coef(au->lp, au->col[f], next_sign(x));
		m++;
	}
	for (s = 0; s < 2 && m > 0; s++) {
		glp_set_obj_dir(au->lp, s == 0 ? GLP_MAX : GLP_MIN);
		if (solve(au->lp, 0) < 0)
			break; /* only a shortcut: the audits decide */
		seen_point(au, seen);
	}
	for (q = 0; q < nq; q++)
		glp_set_obj_coef(au->lp, au->col[queue[q]], 0.0);
}

/* qsort's order of figure indices. */
static int
by_index(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;

	return (a > b) - (a < b);
}

static enum err
protect_run(struct lpaudit *a, uint64_t k)
{
	struct audit au;
	size_t *queue, nq = 0, q, i, queued, since = 0;
	uint64_t *seen;
	uint32_t x = 88675123u;
	enum err rc = check(a);

	if (rc != ERR_OK)
		return rc;
	for (i = 0; i < a->n; i++) {
		struct lpaudit_fig *f = &a->figs[i];

		if (f->role == LPAUDIT_PART)
			f->why = f->people > 0 && f->people < k
			                 ? SUPPRESS_PRIMARY
			                 : SUPPRESS_SECONDARY;
		if (f->role != LPAUDIT_FIGURE)
			continue;
		f->why = f->people > 0 && f->people < k ? SUPPRESS_PRIMARY
		         : f->why == SUPPRESS_SECONDARY ? SUPPRESS_SECONDARY
		                                        : SUPPRESS_NONE;
	}
	queue = malloc((a->n + 1) * sizeof(*queue));
	if (queue == NULL)
		abort();
	for (i = 0; i < a->n; i++)
		if (withheld(a, i) &&
		        (a->figs[i].role == LPAUDIT_FIGURE ||
		                a->figs[i].why == SUPPRESS_PRIMARY))
			queue[nq++] = i;
	audit_open(&au, a);
	queued = (size_t)glp_get_num_cols(au.lp);
	seen = malloc((2 * a->n + 1) * sizeof(*seen));
	if (seen == NULL)
		abort();
	for (i = 0; i < a->n; i++)
		seen[2 * i] = seen[2 * i + 1] = a->figs[i].value;
	if (queued > 0)
		audit_sample(&au, seen);
	for (q = 0; q < nq && rc == ERR_OK; q++) {
		size_t f = queue[q];
		int tries;

		for (tries = 0;; tries++) {
			uint64_t lo, hi, d;
			size_t j;
			long added;

			/* room seen at the sample points, or found nearby,
			   first; then the exact audit */
			if (tries == 0 && seen[2 * f + 1] - seen[2 * f] >=
			                          room_needed(&a->figs[f], k))
				break;
			if (tries == 0 && since >= AIM_EVERY) {
				audit_aim(
				        a, &au, seen, queue + q, nq - q, k, &x);
				since = 0;
				if (seen[2 * f + 1] - seen[2 * f] >=
				        room_needed(&a->figs[f], k))
					break;
			}
			if (local_room(a, &au, f, room_needed(&a->figs[f], k),
			            seen))
				break;
			since++;
			rc = audit_range(&au, f, &lo, &hi, seen);
			if (rc != ERR_OK)
				break;
			d = shortfall(&a->figs[f], lo, hi, k);
			if (d == 0)
				break;
			/* f's neighbourhood first, then the whole system */
			added = tries < 3 ? widen_local(a, &au, f, d) : 0;
			if (added == 0)
				added = tries < 3 ? widen(a, &au, f, d)
				                  : widen_all(a, &au, f);
			if (added < 0) {
				rc = ERR_INTERNAL;
				break;
			}
			if (added == 0 && tries >= 3) {
				rc = ERR_INTERNAL; /* nothing left to withhold */
				break;
			}
			/* queue the new ones (their columns are the last
			   ones), in index order */
			j = nq;
			while (queued < (size_t)glp_get_num_cols(au.lp))
				queue[nq++] = au.fig[++queued];
			qsort(queue + j, nq - j, sizeof(*queue), by_index);
		}
	}
	audit_close(&au);
	free(queue);
	free(seen);
	glp_free_env(); /* GLPK's own memory: nothing of it is left in use */
	return rc;
}

static enum err
range_run(const struct lpaudit *a, size_t i, uint64_t *lo, uint64_t *hi)
{
	struct audit au;
	enum err rc;

	if (i >= a->n)
		return ERR_INVALID;
	rc = check(a);
	if (rc != ERR_OK)
		return rc;
	if (!withheld(a, i)) {
		*lo = *hi = a->figs[i].value;
		return ERR_OK;
	}
	audit_open(&au, a);
	rc = audit_range(&au, i, lo, hi, NULL);
	audit_close(&au);
	glp_free_env();
	return rc;
}
