/*
 * test_metricsnap_block.c - lib/metricsnap.c on a block: a calendar month
 * and the ISO weeks whose Sunday falls in it, protected as one system.
 * Acts are generated day by day (person, kind) for a few collectivities
 * of very different sizes, and every row of the month, of each week and
 * of each part of a week across the month's bounds (head_out, head_in,
 * tail_in) is counted from the same days, so the figures are consistent
 * the way real ones are. The published block is then attacked by a
 * linear program of its own (GLPK, built here from the published rows
 * and the parts an attacker is assumed to know: head_out and tail_in):
 * the published figures, the groups' sums, each row's kinds adding up to
 * its total, its people bounding each other and its acts, a week made of
 * its parts and a month of its pieces (acts added, people between the
 * largest piece and their sum). Every withheld collectivity figure of the
 * month and of each week must keep 11 values of room when it describes 1
 * to 10 people, more than one otherwise; every published figure must be
 * the true one.
 *
 * The attacker is the linear relaxation, as lib/lpaudit.c's audit is
 * (integer values can be narrower still: a known limit), and checks
 * itself: the truth must lie in every range it finds.
 *
 * test_february_week is the case that motivated blocks: a week recovered
 * as its month minus the three other weeks when each period was
 * protected alone (the attacker must find that leak in the periods'
 * separate outputs, and none in the block's).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <glpk.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "metricsnap.h"

#define K 11    /* the threshold, as in production */
#define NK 5    /* kinds of acts */
#define MAXC 6  /* collectivities */
#define MAXP 60 /* people of a collectivity */
#define MAXW 5  /* weeks of a block */
#define MAXD 40 /* days of a block's span */
#define NBY 4   /* groupings besides "collectivity" */
#define MAXU (MAXC * (NBY + 1))

static const char *const kinds[NK] = {
        "response", "proposal", "support", "comment", "ballot"};
static const char *const bynames[NBY] = {"kind", "cohort", "density", "all"};

/* A block's calendar: the month's first day, each week's Monday, the
   days of the first week before the month (0: it starts on a Monday)
   and the days inside the month of the week after the block. Day 0 of
   the span is the first week's Monday. */
struct cal {
	const char *name, *start;
	const char *monday[MAXW];
	int nw, head_out, tail_in;
};

static const struct cal feb = {"2027-02", "2027-02-01",
        {"2027-02-01", "2027-02-08", "2027-02-15", "2027-02-22"}, 4, 0, 0};
static const struct cal mar = {"2027-03", "2027-03-01",
        {"2027-03-01", "2027-03-08", "2027-03-15", "2027-03-22"}, 4, 0, 3};
static const struct cal apr = {"2027-04", "2027-04-01",
        {"2027-03-29", "2027-04-05", "2027-04-12", "2027-04-19"}, 4, 3, 5};

/* The rows of a block: the month, its weeks (row p is period p of the
   output), then the parts. */
#define R_MONTH 0
#define R_WEEK(w) (1 + (w))
#define R_HOUT (1 + MAXW)
#define R_HIN (2 + MAXW)
#define R_TIN (3 + MAXW)
#define NR (4 + MAXW)

/* One row's true counts. */
struct row {
	long a[NK], c[NK], part, newa, verif;
};

/* The world: each collectivity's acts per day, person and kind, its new
   accounts and newly verified residents per day, and its groups. */
static int NC;
static int npeople[MAXC];
static unsigned char acts[MAXC][MAXD][MAXP][NK];
static int joins[MAXC][MAXD], verified[MAXC][MAXD];
static int grp[NBY][MAXC];
static struct row truth[MAXC][NR];

static unsigned rnd_state = 1;

/* A pseudo-random number in [0, n). */
static int
rnd(int n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (int)((rnd_state >> 8) % (unsigned)n);
}

/* The days [*d0, *d1) of row r of block c; 0 when c has no such row. */
static int
row_days(const struct cal *c, int r, int *d0, int *d1)
{
	if (r == R_MONTH) {
		*d0 = c->head_out;
		*d1 = 7 * c->nw + c->tail_in;
	} else if (r < R_HOUT) {
		if (r - 1 >= c->nw)
			return 0;
		*d0 = 7 * (r - 1);
		*d1 = *d0 + 7;
	} else if (r == R_HOUT || r == R_HIN) {
		if (c->head_out == 0)
			return 0;
		*d0 = r == R_HOUT ? 0 : c->head_out;
		*d1 = r == R_HOUT ? c->head_out : 7;
	} else {
		if (c->tail_in == 0)
			return 0;
		*d0 = 7 * c->nw;
		*d1 = *d0 + c->tail_in;
	}
	return 1;
}

/* The first day of row r, as published. */
static const char *
row_start(const struct cal *c, int r)
{
	return r >= R_WEEK(0) && r < R_HOUT ? c->monday[r - 1] : c->start;
}

/* Collectivity i's counts over days [d0, d1). */
static void
tally(int i, int d0, int d1, struct row *t)
{
	int p, d, k;

	memset(t, 0, sizeof(*t));
	for (p = 0; p < npeople[i]; p++) {
		int any = 0;

		for (k = 0; k < NK; k++) {
			long n = 0;

			for (d = d0; d < d1; d++)
				n += acts[i][d][p][k];
			t->a[k] += n;
			if (n > 0) {
				t->c[k]++;
				any = 1;
			}
		}
		t->part += any;
	}
	for (d = d0; d < d1; d++) {
		t->newa += joins[i][d];
		t->verif += verified[i][d];
	}
}

/* Every row of every collectivity, from the days. */
static void
tally_all(const struct cal *c)
{
	int i, r, d0, d1;

	for (i = 0; i < NC; i++)
		for (r = 0; r < NR; r++) {
			memset(&truth[i][r], 0, sizeof(truth[i][r]));
			if (row_days(c, r, &d0, &d1))
				tally(i, d0, d1, &truth[i][r]);
		}
}

/* s += t (a group's people are its members' people added, as the
   library assumes). */
static void
row_add(struct row *s, const struct row *t)
{
	int k;

	for (k = 0; k < NK; k++) {
		s->a[k] += t->a[k];
		s->c[k] += t->c[k];
	}
	s->part += t->part;
	s->newa += t->newa;
	s->verif += t->verif;
}

/* The raw group key of n collectivities with counts t (members: NULL
   for a collectivity itself). */
static json_t *
raw(const char *key, const struct row *t, int n, json_t *members,
        const char *start)
{
	json_t *pe = json_object(), *ac = json_object(), *g;
	long sum = 0;
	int k;

	for (k = 0; k < NK; k++) {
		json_object_set_new(pe, kinds[k], json_integer(t->c[k]));
		json_object_set_new(ac, kinds[k], json_integer(t->a[k]));
		sum += t->a[k];
	}
	json_object_set_new(pe, "any", json_integer(t->part));
	json_object_set_new(ac, "any", json_integer(sum));
	g = json_pack("{s:s, s:s, s:i, s:i, s:[{s:s, s:o, s:o, s:I, s:I, "
	              "s:{s:i, s:{}}, s:{s:I, s:i, s:i, s:n}}]}",
	        "key", key, "label", key, "collectivities", n, "population",
	        1000 * n, "rows", "start", start, "people", pe, "acts", ac,
	        "new_accounts", (json_int_t)t->newa, "verified_new",
	        (json_int_t)t->verif, "processes", "all", 1, "by_phase",
	        "proposals", "published", (json_int_t)t->a[1], "answered", 0,
	        "answers", 0, "median_answer_days");
	if (members != NULL)
		json_object_set_new(g, "members", members);
	return g;
}

/* The raw collectivity groups of row r. */
static json_t *
coll_groups(const struct cal *c, int r)
{
	json_t *a = json_array();
	char key[16];
	int i;

	for (i = 0; i < NC; i++) {
		snprintf(key, sizeof(key), "c%d", i);
		json_array_append_new(
		        a, raw(key, &truth[i][r], 1, NULL, row_start(c, r)));
	}
	return a;
}

/* The members of group v of grouping b, as bits. */
static unsigned
group_mask(int b, int v)
{
	unsigned m = 0;
	int i;

	for (i = 0; i < NC; i++)
		if (grp[b][i] == v)
			m |= 1u << i;
	return m;
}

/* The one-period input of row r (the month or a week). */
static json_t *
period_input(const struct cal *c, int r)
{
	json_t *gs = json_object();
	char key[16];
	int b, v, i;

	json_object_set_new(gs, "collectivity",
	        json_pack("{s:o}", "groups", coll_groups(c, r)));
	for (b = 0; b < NBY; b++) {
		json_t *arr = json_array();

		for (v = 0; v < NC; v++) {
			unsigned m = group_mask(b, v);
			json_t *ms = json_array();
			struct row s;
			int n = 0;

			if (m == 0) {
				json_decref(ms);
				continue;
			}
			memset(&s, 0, sizeof(s));
			for (i = 0; i < NC; i++)
				if (m & (1u << i)) {
					snprintf(key, sizeof(key), "c%d", i);
					json_array_append_new(
					        ms, json_string(key));
					row_add(&s, &truth[i][r]);
					n++;
				}
			snprintf(key, sizeof(key), "%s%d", bynames[b], v);
			json_array_append_new(
			        arr, raw(key, &s, n, ms, row_start(c, r)));
		}
		json_object_set_new(
		        gs, bynames[b], json_pack("{s:o}", "groups", arr));
	}
	return json_pack("{s:s, s:s, s:o}", "period",
	        r == R_MONTH ? "month" : "week", "start", row_start(c, r),
	        "groupings", gs);
}

/* The block input of c: the month, its weeks, and its parts. */
static json_t *
block_input(const struct cal *c)
{
	json_t *ps = json_array(), *parts = json_object();
	int p;

	for (p = 0; p <= c->nw; p++)
		json_array_append_new(ps, period_input(c, p));
	if (c->head_out > 0) {
		json_object_set_new(parts, "head_out", coll_groups(c, R_HOUT));
		json_object_set_new(parts, "head_in", coll_groups(c, R_HIN));
	}
	if (c->tail_in > 0)
		json_object_set_new(parts, "tail_in", coll_groups(c, R_TIN));
	return json_pack("{s:s, s:s, s:o, s:o}", "period", "month", "start",
	        c->start, "periods", ps, "parts", parts);
}

/* An empty world of n collectivities, in groups by kind, cohort and
   density at random, all together in "all". */
static void
world_clear(int n)
{
	int b, i;

	NC = n;
	memset(acts, 0, sizeof(acts));
	memset(joins, 0, sizeof(joins));
	memset(verified, 0, sizeof(verified));
	memset(npeople, 0, sizeof(npeople));
	for (b = 0; b < NBY; b++)
		for (i = 0; i < NC; i++)
			grp[b][i] = b == NBY - 1 ? 0 : rnd(2);
}

/*
 * A random block's days: 3 to 5 collectivities, each small (1 to 10
 * people), middling (11 to 25) or large (30 to 55), each kind of act
 * never, rarely, sometimes or often done by each person on each day.
 */
static void
gen(const struct cal *c)
{
	static const int rates[4] = {0, 15, 60, 250}; /* per mille a day */
	int span = 7 * c->nw + c->tail_in, i, d, p, k;

	world_clear(3 + rnd(3));
	for (i = 0; i < NC; i++) {
		int size = rnd(3), rate[NK], jmax;

		npeople[i] = size == 0   ? 1 + rnd(10)
		             : size == 1 ? 11 + rnd(15)
		                         : 30 + rnd(26);
		for (k = 0; k < NK; k++)
			rate[k] = rates[rnd(4)];
		if (size == 0)
			for (k = 0; k < NK; k++)
				rate[k] *= 2; /* few people, busier */
		jmax = size == 0 ? 2 : size == 1 ? 3 : 6;
		for (d = 0; d < span; d++) {
			for (p = 0; p < npeople[i]; p++)
				for (k = 0; k < NK; k++)
					if (rnd(1000) < rate[k])
						acts[i][d][p][k] =
						        (unsigned char)(1 +
						                        rnd(3));
			joins[i][d] = rnd(4) == 0 ? rnd(jmax + 1) : 0;
			verified[i][d] = rnd(joins[i][d] + 1);
		}
	}
	tally_all(c);
}

/* ---- reading the output ---- */

/* The published row of (by, key) in snapshot s, or NULL. */
static const json_t *
row_of(const json_t *s, const char *by, const char *key)
{
	const json_t *r;
	size_t i;

	json_array_foreach(json_object_get(s, "rows"), i, r)
	{
		if (strcmp(json_string_value(json_object_get(r, "by")), by) ==
		                0 &&
		        strcmp(json_string_value(json_object_get(r, "key")),
		                key) == 0)
			return json_object_get(r, "row");
	}
	return NULL;
}

/* The figures of a row, in the attacker's order: acts of each kind, all
   acts, contributors of each kind, participants, new accounts, newly
   verified. */
#define F_TOTAL NK
#define F_CONTR (NK + 1)
#define F_PART (2 * NK + 1)
#define F_NEWA (2 * NK + 2)
#define F_VERIF (2 * NK + 3)
#define NFIG (2 * NK + 4)

/* Figure f's name, for messages. */
static const char *
fig_name(int f, char *buf, size_t n)
{
	if (f < NK)
		snprintf(buf, n, "contributions.%s", kinds[f]);
	else if (f == F_TOTAL)
		snprintf(buf, n, "contributions.total");
	else if (f < F_PART)
		snprintf(buf, n, "contributors.%s", kinds[f - F_CONTR]);
	else
		snprintf(buf, n, "%s",
		        f == F_PART   ? "participants"
		        : f == F_NEWA ? "new_accounts"
		                      : "verified_new");
	return buf;
}

/* Figure f of a published row: its value, -1 when withheld, -2 when
   missing or malformed. */
static long
fig_value(const json_t *row, int f)
{
	const json_t *o;

	if (f < NK)
		o = json_object_get(
		        json_object_get(row, "contributions"), kinds[f]);
	else if (f == F_TOTAL)
		o = json_object_get(
		        json_object_get(row, "contributions"), "total");
	else if (f < F_PART)
		o = json_object_get(json_object_get(row, "contributors"),
		        kinds[f - F_CONTR]);
	else
		o = json_object_get(row, f == F_PART   ? "participants"
		                         : f == F_NEWA ? "new_accounts"
		                                       : "verified_new");
	if (o == NULL)
		return -2;
	if (json_is_true(json_object_get(o, "suppressed")))
		return json_is_null(json_object_get(o, "value")) ? -1 : -2;
	if (!json_is_integer(json_object_get(o, "value")))
		return -2;
	return (long)json_integer_value(json_object_get(o, "value"));
}

/* Figure f of counts t: its value and the people it describes. */
static long
fig_truth(const struct row *t, int f, long *people)
{
	long v;
	int k;

	if (f < NK) {
		*people = t->c[f];
		return t->a[f];
	}
	if (f == F_TOTAL) {
		for (v = 0, k = 0; k < NK; k++)
			v += t->a[k];
		*people = t->part;
		return v;
	}
	if (f < F_PART)
		v = t->c[f - F_CONTR];
	else
		v = f == F_PART ? t->part : f == F_NEWA ? t->newa : t->verif;
	*people = v;
	return v;
}

/* ---- the attacker ---- */

/* The variables of each collectivity's rows: acts of each kind,
   contributors of each kind, participants, new accounts, verified. */
#define V_A(k) (k)
#define V_C(k) (NK + (k))
#define V_P (2 * NK)
#define V_N (2 * NK + 1)
#define V_V (2 * NK + 2)
#define NV (2 * NK + 3)

static glp_prob *lp;
static int *ia, *ja, nz, nzcap;
static double *ar;

/* GLPK's column of variable v of collectivity i's row r. */
static int
col(int i, int r, int v)
{
	return 1 + (i * NR + r) * NV + v;
}

/* Variable v's true value in counts t. */
static double
var_truth(const struct row *t, int v)
{
	if (v < NK)
		return (double)t->a[v];
	if (v < V_P)
		return (double)t->c[v - NK];
	return (double)(v == V_P ? t->part : v == V_N ? t->newa : t->verif);
}

/* p resized to n bytes; out of memory aborts. */
static void *
grow(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (q == NULL)
		abort();
	return q;
}

/* Adds the constraint lo <= sum c[j] x[v[j]] <= hi (type as GLPK's). */
static void
lp_row(int type, double lo, double hi, int n, const int *v, const double *c)
{
	int r = glp_add_rows(lp, 1), j;

	glp_set_row_bnds(lp, r, type, lo, hi);
	if (nz + n + 1 > nzcap) {
		nzcap = 2 * (nz + n + 1);
		ia = grow(ia, (size_t)nzcap * sizeof(*ia));
		ja = grow(ja, (size_t)nzcap * sizeof(*ja));
		ar = grow(ar, (size_t)nzcap * sizeof(*ar));
	}
	for (j = 0; j < n; j++) {
		ia[++nz] = r;
		ja[nz] = v[j];
		ar[nz] = c[j];
	}
}

/* x[a] - x[b] <= 0. */
static void
lp_le(int a, int b)
{
	int v[2] = {a, b};
	double c[2] = {1, -1};

	lp_row(GLP_UP, 0, 0, 2, v, c);
}

/* Figure f of the collectivities in mask, row r, as terms; returns how
   many. */
static int
fig_terms(unsigned mask, int r, int f, int *v, double *c)
{
	int n = 0, i, k;

	for (i = 0; i < NC; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (f == F_TOTAL) {
			for (k = 0; k < NK; k++) {
				v[n] = col(i, r, V_A(k));
				c[n++] = 1;
			}
			continue;
		}
		v[n] = col(i, r,
		        f < NK        ? V_A(f)
		        : f < F_PART  ? V_C(f - F_CONTR)
		        : f == F_PART ? V_P
		        : f == F_NEWA ? V_N
		                      : V_V);
		c[n++] = 1;
	}
	return n;
}

/* What anyone knows of one row's counts: contributors of a kind at most
   the participants and that kind's acts, participants at most all
   contributors and all acts. */
static void
row_relations(int i, int r)
{
	int v[2 * NK + 1], k;
	double c[2 * NK + 1];

	for (k = 0; k < NK; k++) {
		lp_le(col(i, r, V_C(k)), col(i, r, V_P));
		lp_le(col(i, r, V_C(k)), col(i, r, V_A(k)));
	}
	v[0] = col(i, r, V_P);
	c[0] = 1;
	for (k = 0; k < NK; k++) {
		v[k + 1] = col(i, r, V_C(k));
		c[k + 1] = -1;
	}
	lp_row(GLP_UP, 0, 0, NK + 1, v, c);
	for (k = 0; k < NK; k++)
		v[k + 1] = col(i, r, V_A(k));
	lp_row(GLP_UP, 0, 0, NK + 1, v, c);
}

/* x[whole] is the sum of x[parts] (additive), else between the largest
   of them and their sum. */
static void
made_of(int whole, const int *parts, int n, int additive)
{
	int v[NR + 1], j;
	double c[NR + 1];

	v[0] = whole;
	c[0] = 1;
	for (j = 0; j < n; j++) {
		v[j + 1] = parts[j];
		c[j + 1] = -1;
	}
	if (additive) {
		lp_row(GLP_FX, 0, 0, n + 1, v, c);
		return;
	}
	lp_row(GLP_UP, 0, 0, n + 1, v, c);
	for (j = 0; j < n; j++)
		lp_le(parts[j], whole);
}

/* Collectivity i's month and first week, from their pieces. */
static void
time_relations(const struct cal *c, int i)
{
	int pieces[NR], n = 0, w, v, p[NR];

	pieces[n++] = c->head_out > 0 ? R_HIN : R_WEEK(0);
	for (w = 1; w < c->nw; w++)
		pieces[n++] = R_WEEK(w);
	if (c->tail_in > 0)
		pieces[n++] = R_TIN;
	for (v = 0; v < NV; v++) {
		int additive = v < NK || v >= V_N, j;

		for (j = 0; j < n; j++)
			p[j] = col(i, pieces[j], v);
		made_of(col(i, R_MONTH, v), p, n, additive);
		if (c->head_out > 0) {
			p[0] = col(i, R_HOUT, v);
			p[1] = col(i, R_HIN, v);
			made_of(col(i, R_WEEK(0), v), p, 2, additive);
		}
	}
}

/* A unit of a period: a collectivity or a group, its members as bits. */
struct unit {
	const char *by;
	char key[16];
	unsigned mask;
};
static struct unit units[MAXU];
static int nunits;

/* The units of the world: the collectivities first. */
static void
units_list(void)
{
	int i, b, v;

	nunits = 0;
	for (i = 0; i < NC; i++) {
		units[nunits].by = "collectivity";
		snprintf(
		        units[nunits].key, sizeof(units[nunits].key), "c%d", i);
		units[nunits++].mask = 1u << i;
	}
	for (b = 0; b < NBY; b++)
		for (v = 0; v < NC; v++) {
			unsigned m = group_mask(b, v);

			if (m == 0)
				continue;
			units[nunits].by = bynames[b];
			snprintf(units[nunits].key, sizeof(units[nunits].key),
			        "%s%d", bynames[b], v);
			units[nunits++].mask = m;
		}
}

/* Solves the attacker's LP for the bounds of the sum of the n columns
   cols; *hi is INFINITY when unbounded. -1 when the LP does not solve. */
static int
bounds(const int *cols, int n, double *lo, double *hi)
{
	glp_smcp parm;
	int j, rc = 0;

	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	for (j = 0; j < n; j++)
		glp_set_obj_coef(lp, cols[j], 1);
	glp_set_obj_dir(lp, GLP_MAX);
	if (glp_simplex(lp, &parm) != 0)
		rc = -1;
	else if (glp_get_status(lp) == GLP_UNBND)
		*hi = INFINITY;
	else if (glp_get_status(lp) == GLP_OPT)
		*hi = glp_get_obj_val(lp);
	else
		rc = -1;
	glp_set_obj_dir(lp, GLP_MIN);
	if (rc == 0 &&
	        (glp_simplex(lp, &parm) != 0 || glp_get_status(lp) != GLP_OPT))
		rc = -1;
	*lo = glp_get_obj_val(lp);
	for (j = 0; j < n; j++)
		glp_set_obj_coef(lp, cols[j], 0);
	return rc;
}

/* What the audits found, over a test; quiet: leaks not printed. */
static int audited, primaries, quiet;

/* Collectivity i's true counts of row r, for messages. */
static void
print_truth(int i, int r)
{
	const struct row *t = &truth[i][r];

	printf("      c%d row %d: part %ld c={%ld,%ld,%ld,%ld,%ld} "
	       "a={%ld,%ld,%ld,%ld,%ld} newa %ld verif %ld\n",
	        i, r, t->part, t->c[0], t->c[1], t->c[2], t->c[3], t->c[4],
	        t->a[0], t->a[1], t->a[2], t->a[3], t->a[4], t->newa, t->verif);
}

/* Whether string j is s. */
static int
is_str(const json_t *j, const char *s)
{
	return json_is_string(j) && strcmp(json_string_value(j), s) == 0;
}

/* The attacker's LP before anything published: the parts it knows
   (head_out and tail_in when parts_known, none otherwise), each row's
   relations, each month and first week made of their pieces. */
static void
attacker_new(const struct cal *c, int parts_known)
{
	int i, r, v, j, d0, d1;

	lp = glp_create_prob();
	nz = 0;
	glp_add_cols(lp, NC * NR * NV);
	for (j = 1; j <= NC * NR * NV; j++)
		glp_set_col_bnds(lp, j, GLP_LO, 0, 0);
	for (i = 0; i < NC; i++) {
		for (r = R_HOUT; parts_known && r < NR; r++) {
			if (r == R_HIN || !row_days(c, r, &d0, &d1))
				continue;
			for (v = 0; v < NV; v++) {
				double x = var_truth(&truth[i][r], v);

				glp_set_col_bnds(
				        lp, col(i, r, v), GLP_FX, x, x);
			}
		}
		for (r = 0; r < NR; r++)
			if (row_days(c, r, &d0, &d1))
				row_relations(i, r);
		time_relations(c, i);
	}
}

/* A withheld collectivity figure to audit: collectivity i, period p,
   figure f. */
struct item {
	int i, p, f;
};

/*
 * Checks unit u's published row of period p against the
 * truth, gives the attacker its published figures and adds the withheld
 * ones of a collectivity to items (*n of them). Returns failures. With
 * items NULL it only gives the attacker the published figures (the row
 * checked already).
 */
static int
check_row(const json_t *row, int p, int u, struct item *items, int *n,
        const char *label)
{
	int terms[MAXC * NK], fails = 0, f, i;
	double coefs[MAXC * NK];
	const json_t *pr = json_object_get(row, "proposals");
	char name[40];
	struct row t;

	memset(&t, 0, sizeof(t));
	for (i = 0; i < NC; i++)
		if (units[u].mask & (1u << i))
			row_add(&t, &truth[i][p]);
	for (f = 0; f < NFIG; f++) {
		long people, x = fig_value(row, f),
		             want = fig_truth(&t, f, &people);

		if (items == NULL) {
			if (x >= 0) {
				int nt = fig_terms(
				        units[u].mask, p, f, terms, coefs);

				lp_row(GLP_FX, (double)x, (double)x, nt, terms,
				        coefs);
			}
			continue;
		}
		if (x == -2 || (x >= 0 && x != want)) {
			printf("%s: period %d %s %s: %s published %ld, true "
			       "%ld (-2: malformed)\n",
			        label, p, units[u].by, units[u].key,
			        fig_name(f, name, sizeof(name)), x, want);
			fails++;
		} else if (x >= 0) {
			int nt = fig_terms(units[u].mask, p, f, terms, coefs);

			lp_row(GLP_FX, (double)x, (double)x, nt, terms, coefs);
		} else if (u < NC) {
			items[*n].i = u;
			items[*n].p = p;
			items[(*n)++].f = f;
		}
	}
	/* nothing else in the row gives a withheld figure away */
	if (items == NULL)
		return 0;
	if (fig_value(row, F_PART) == -1 &&
	        !json_is_null(json_object_get(
	                json_object_get(row, "participation_rate"), "value"))) {
		printf("%s: period %d %s %s: the rate of withheld "
		       "participants published\n",
		        label, p, units[u].by, units[u].key);
		fails++;
	}
	if (fig_value(row, 1) == -1 &&
	        (!json_is_true(json_object_get(
	                 json_object_get(pr, "published"), "suppressed")) ||
	                !json_is_true(
	                        json_object_get(json_object_get(pr, "answered"),
	                                "suppressed")))) {
		printf("%s: period %d %s %s: withheld proposals published "
		       "in \"proposals\"\n",
		        label, p, units[u].by, units[u].key);
		fails++;
	}
	return fails;
}

/*
 * The attacker's bounds on a withheld figure (item it of block c): 11
 * values of room when it describes 1 to 10 people, more than one
 * otherwise, and the truth inside them. Returns failures.
 */
static int
check_withheld(const struct cal *c, const struct item *it, const char *label)
{
	int terms[MAXC * NK], n, primary, r, d0, d1;
	double coefs[MAXC * NK], lo, hi;
	long L, H, people, value;
	char name[40];

	value = fig_truth(&truth[it->i][it->p], it->f, &people);
	primary = people > 0 && people < K;
	n = fig_terms(1u << it->i, it->p, it->f, terms, coefs);
	fig_name(it->f, name, sizeof(name));
	audited++;
	primaries += primary;
	if (bounds(terms, n, &lo, &hi) != 0) {
		printf("%s: period %d c%d %s: the attacker's LP does not "
		       "solve\n",
		        label, it->p, it->i, name);
		return 1;
	}
	L = (long)ceil(lo - 1e-6);
	H = isinf(hi) ? L + 1000000 : (long)floor(hi + 1e-6);
	if (value < L || value > H) {
		/* the truth is a solution: the attacker is wrong */
		printf("%s: period %d c%d %s: true %ld outside the "
		       "attacker's [%ld, %ld]\n",
		        label, it->p, it->i, name, value, L, H);
		return 1;
	}
	if ((!primary || H - L >= K) && H > L)
		return 0;
	if (quiet)
		return 1;
	printf("%s: LEAK period %d (%s %s) c%d %s: true %ld, %ld people "
	       "(%s), attacker's range [%ld, %ld]\n",
	        label, it->p, it->p == 0 ? "month" : "week",
	        row_start(c, it->p), it->i, name, value, people,
	        primary ? "primary" : "secondary", L, H);
	for (r = 0; r < NR; r++)
		if (row_days(c, r, &d0, &d1))
			print_truth(it->i, r);
	return 1;
}

/*
 * Audits block c's output out: its shape, every published figure against
 * the truth, then every withheld collectivity figure of the month and of
 * each week against the attacker. Prints each failure (label names the
 * case); returns how many.
 */
static int
audit_block(const struct cal *c, const json_t *out, const char *label)
{
	static struct item items[(MAXW + 1) * MAXC * NFIG];
	const json_t *ss = json_object_get(out, "snapshots");
	int fails = 0, n = 0, p, u, j;

	if (json_array_size(ss) != (size_t)c->nw + 1 ||
	        !is_str(json_object_get(out, "period"), "month") ||
	        !is_str(json_object_get(out, "start"), c->start)) {
		printf("%s: %zu snapshots, not %d, or a wrong period\n", label,
		        json_array_size(ss), c->nw + 1);
		return 1;
	}
	units_list();
	attacker_new(c, 1);
	for (p = 0; p <= c->nw; p++) {
		const json_t *s = json_array_get(ss, p);

		if (json_integer_value(json_object_get(s, "threshold")) != K ||
		        !is_str(json_object_get(s, "period"),
		                p == 0 ? "month" : "week") ||
		        !is_str(json_object_get(s, "start"), row_start(c, p))) {
			printf("%s: period %d: threshold, period or start "
			       "wrong\n",
			        label, p);
			fails++;
		}
		for (u = 0; u < nunits; u++) {
			const json_t *row =
			        row_of(s, units[u].by, units[u].key);

			if (row == NULL) {
				printf("%s: period %d: no row %s %s\n", label,
				        p, units[u].by, units[u].key);
				fails++;
				continue;
			}
			fails += check_row(row, p, u, items, &n, label);
		}
	}
	glp_load_matrix(lp, nz, ia, ja, ar);
	for (j = 0; j < n; j++)
		fails += check_withheld(c, &items[j], label);
	glp_delete_prob(lp);
	lp = NULL;
	return fails;
}

/* ---- the attacker with no part known ---- */

/* What the parts audits found, over a test. */
static int parts_audited, parts_primaries, parts_fails;

/* Row r's name, for messages. */
static const char *
part_name(int r)
{
	return r == R_HOUT ? "head_out" : r == R_HIN ? "head_in" : "tail_in";
}

/*
 * The attacker's bounds on figure f of collectivity i's part r (no part
 * known): 11 values of room when it describes 1 to 10 people (a part
 * describing none or 11 or more may be worked out), and the truth inside
 * them. Returns failures.
 */
static int
check_part(const struct cal *c, int i, int r, int f, const char *label)
{
	int terms[MAXC * NK], n, primary, q, d0, d1;
	double coefs[MAXC * NK], lo, hi;
	long L, H, people, value;
	char name[40];

	value = fig_truth(&truth[i][r], f, &people);
	primary = people > 0 && people < K;
	n = fig_terms(1u << i, r, f, terms, coefs);
	fig_name(f, name, sizeof(name));
	parts_audited++;
	parts_primaries += primary;
	if (bounds(terms, n, &lo, &hi) != 0) {
		printf("%s: parts unknown: %s c%d %s: the attacker's LP does "
		       "not solve\n",
		        label, part_name(r), i, name);
		return 1;
	}
	L = (long)ceil(lo - 1e-6);
	H = isinf(hi) ? L + 1000000 : (long)floor(hi + 1e-6);
	if (value < L || value > H) {
		/* the truth is a solution: the attacker is wrong */
		printf("%s: parts unknown: %s c%d %s: true %ld outside the "
		       "attacker's [%ld, %ld]\n",
		        label, part_name(r), i, name, value, L, H);
		return 1;
	}
	if (!primary || H - L >= K)
		return 0;
	if (quiet)
		return 1;
	printf("%s: PART LEAK %s (%s) c%d %s: true %ld, %ld people, "
	       "attacker's range [%ld, %ld] (parts unknown)\n",
	        label, part_name(r), row_start(c, r), i, name, value, people,
	        L, H);
	for (q = 0; q < NR; q++)
		if (row_days(c, q, &d0, &d1))
			print_truth(i, q);
	return 1;
}

/*
 * Audits block c's output out against the attacker that knows no part:
 * the published figures of the block, the relations, head_out, head_in
 * and tail_in all unknown; then every figure of every part of each
 * collectivity. The published figures are checked by audit_block. Prints
 * each failure; returns how many (0 for a block without parts).
 */
static int
audit_parts(const struct cal *c, const json_t *out, const char *label)
{
	const json_t *ss = json_object_get(out, "snapshots");
	int fails = 0, p, u, i, r, f, d0, d1;

	if (c->head_out == 0 && c->tail_in == 0)
		return 0;
	if (json_array_size(ss) != (size_t)c->nw + 1) {
		printf("%s: parts unknown: %zu snapshots, not %d\n", label,
		        json_array_size(ss), c->nw + 1);
		return 1;
	}
	units_list();
	attacker_new(c, 0);
	for (p = 0; p <= c->nw; p++)
		for (u = 0; u < nunits; u++) {
			const json_t *row = row_of(json_array_get(ss, p),
			        units[u].by, units[u].key);

			if (row != NULL)
				check_row(row, p, u, NULL, NULL, label);
		}
	glp_load_matrix(lp, nz, ia, ja, ar);
	for (i = 0; i < NC; i++)
		for (r = R_HOUT; r < NR; r++)
			for (f = 0; row_days(c, r, &d0, &d1) && f < NFIG; f++)
				fails += check_part(c, i, r, f, label);
	glp_delete_prob(lp);
	lp = NULL;
	return fails;
}

/* The time spent publishing and auditing, over a test. */
static double publish_s, audit_s;

/* The seconds from a to b. */
static double
seconds(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Publishes block c as the world is and audits it, with the outer parts
   known and with no part known; returns the first audit's failures and
   adds the second's to parts_fails. */
static int
publish_and_audit(const struct cal *c, const char *label)
{
	json_t *in = block_input(c), *out;
	struct timespec t0, t1, t2;
	int fails;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	out = metricsnap_publish(in, K);
	clock_gettime(CLOCK_MONOTONIC, &t1);

	if (out == NULL) {
		printf("%s: metricsnap_publish returned NULL\n", label);
		json_decref(in);
		return 1;
	}
	fails = audit_block(c, out, label);
	parts_fails += audit_parts(c, out, label);
	clock_gettime(CLOCK_MONOTONIC, &t2);
	publish_s += seconds(&t0, &t1);
	audit_s += seconds(&t1, &t2);
	json_decref(out);
	json_decref(in);
	return fails;
}

/* ---- the cases ---- */

/*
 * February 2027: four whole weeks, no parts, the month their sum. c0 is
 * large: 40 people respond every day; 15 of them comment in weeks 1, 3
 * and 4, three others in week 2 only. Each period alone publishes the
 * month's and three weeks' comments and withholds week 2's: the month
 * minus the other weeks gives it. As a block it must not.
 */
static void
test_february_week(void **state)
{
	json_t *in, *out, *alone[MAXW + 1];
	const json_t *w2;
	char label[] = "february";
	int i, d, p, w, fails;
	long sep, v;

	(void)state;
	rnd_state = 7;
	world_clear(3);
	grp[0][0] = 0; /* kind {c0} {c1, c2} */
	grp[0][1] = grp[0][2] = 1;
	grp[1][0] = grp[1][1] = 0; /* cohort {c0, c1} {c2} */
	grp[1][2] = 1;
	grp[2][0] = grp[2][2] = 0; /* density {c0, c2} {c1} */
	grp[2][1] = 1;
	npeople[0] = 40;
	npeople[1] = 30;
	npeople[2] = 35;
	for (d = 0; d < 28; d++) {
		for (i = 0; i < NC; i++) {
			for (p = 0; p < npeople[i]; p++) {
				acts[i][d][p][0] = 1;
				if (i > 0)
					acts[i][d][p][2] = 2;
			}
			joins[i][d] = 5;
			verified[i][d] = 3;
		}
		w = d / 7;
		if (d % 7 == 0 && w != 1)
			for (p = 0; p < 15; p++)
				acts[0][d][p][3] = 1;
	}
	acts[0][8][20][3] = 2;
	acts[0][9][21][3] = 1;
	acts[0][10][22][3] = 1;
	tally_all(&feb);
	assert_int_equal(truth[0][R_WEEK(1)].c[3], 3);
	assert_int_equal(truth[0][R_WEEK(1)].a[3], 4);
	assert_int_equal(truth[0][R_MONTH].c[3], 18);

	/* each period alone: the week is the month minus the others */
	in = block_input(&feb);
	sep = 0;
	for (p = 0; p <= feb.nw; p++) {
		alone[p] = metricsnap_publish(
		        json_array_get(json_object_get(in, "periods"), p), K);
		assert_non_null(alone[p]);
	}
	assert_int_equal(
	        fig_value(row_of(alone[R_WEEK(1)], "collectivity", "c0"), 3),
	        -1);
	for (p = 0; p <= feb.nw; p++) {
		if (p == R_WEEK(1))
			continue;
		v = fig_value(row_of(alone[p], "collectivity", "c0"), 3);
		assert_true(v >= 0);
		sep += p == R_MONTH ? v : -v;
	}
	assert_int_equal(sep, 4);
	/* and the attacker finds it in those outputs */
	out = json_pack("{s:s, s:s, s:[]}", "period", "month", "start",
	        feb.start, "snapshots");
	for (p = 0; p <= feb.nw; p++)
		json_array_append_new(
		        json_object_get(out, "snapshots"), alone[p]);
	quiet = 1;
	fails = audit_block(&feb, out, label);
	quiet = 0;
	assert_true(fails > 0);
	json_decref(out);

	/* as a block: the week's comments withheld and out of reach */
	out = metricsnap_publish(in, K);
	assert_non_null(out);
	w2 = row_of(
	        json_array_get(json_object_get(out, "snapshots"), R_WEEK(1)),
	        "collectivity", "c0");
	assert_non_null(w2);
	assert_int_equal(fig_value(w2, 3), -1);
	assert_int_equal(fig_value(w2, F_CONTR + 3), -1);
	fails = audit_block(&feb, out, label);
	json_decref(out);
	json_decref(in);
	assert_int_equal(fails, 0);
}

/* n random blocks of calendar c from seed0 on. */
static void
random_blocks(const struct cal *c, unsigned seed0, int n)
{
	char label[48];
	int s, fails = 0;

	audited = primaries = 0;
	parts_audited = parts_primaries = parts_fails = 0;
	publish_s = audit_s = 0;
	for (s = 0; s < n; s++) {
		rnd_state = seed0 + (unsigned)s;
		gen(c);
		snprintf(label, sizeof(label), "%s seed %u (%d coll.)", c->name,
		        seed0 + (unsigned)s, NC);
		fails += publish_and_audit(c, label);
	}
	printf("%s: %d blocks, %d withheld collectivity figures audited "
	       "(%d primary), %d failures; publish %.1f s, audit %.1f s\n",
	        c->name, n, audited, primaries, fails, publish_s, audit_s);
	if (c->head_out > 0 || c->tail_in > 0)
		printf("%s: parts unknown: %d blocks, %d part figures audited "
		       "(%d of 1 to 10 people), %d failures\n",
		        c->name, n, parts_audited, parts_primaries,
		        parts_fails);
	assert_int_equal(fails, 0);
	assert_true(primaries > 0);
	assert_int_equal(parts_fails, 0);
	if (c->head_out > 0 || c->tail_in > 0)
		assert_true(parts_primaries > 0);
}

static void
test_random_february(void **state)
{
	(void)state;
	random_blocks(&feb, 1000, 10);
}

static void
test_random_march(void **state)
{
	(void)state;
	random_blocks(&mar, 2000, 10);
}

static void
test_random_april(void **state)
{
	(void)state;
	random_blocks(&apr, 3000, 10);
}

/*
 * March 2027 as in tests/unit/test_metricsnap_parts.c: four whole weeks
 * and 29-31 March (tail_in). c0 and c1 have 40 people who respond every
 * day; in c0, 15 of them comment every Monday of the four weeks and 3
 * others on 30 March, and c0 has 12 new accounts each Monday and 2 on 30
 * March. Each period alone publishes the month and its weeks, so the
 * part is their difference (3 comments by 3 people, 2 new accounts): the
 * attacker with no part known must find that in the periods' separate
 * outputs, and nothing in the block's, with the outer parts known or not.
 */
static void
test_march_parts(void **state)
{
	json_t *in, *out, *alone[MAXW + 1];
	char label[] = "march parts";
	int b, i, d, p, fails;

	(void)state;
	rnd_state = 11;
	world_clear(2);
	for (b = 0; b < NBY; b++)
		grp[b][0] = grp[b][1] = 0; /* every grouping: {c0, c1} */
	npeople[0] = npeople[1] = 40;
	for (d = 0; d < 31; d++) {
		for (i = 0; i < NC; i++)
			for (p = 0; p < 40; p++)
				acts[i][d][p][0] = 1;
		if (d % 7 == 0 && d < 28) {
			for (p = 0; p < 15; p++)
				acts[0][d][p][3] = 1;
			joins[0][d] = 12;
		}
	}
	for (p = 20; p < 23; p++)
		acts[0][29][p][3] = 1;
	joins[0][29] = 2;
	tally_all(&mar);
	assert_int_equal(truth[0][R_MONTH].a[3], 63);
	assert_int_equal(truth[0][R_MONTH].c[3], 18);
	assert_int_equal(truth[0][R_MONTH].newa, 50);
	assert_int_equal(truth[0][R_WEEK(0)].a[0], 280);
	assert_int_equal(truth[0][R_TIN].a[3], 3);
	assert_int_equal(truth[0][R_TIN].c[3], 3);
	assert_int_equal(truth[0][R_TIN].newa, 2);
	assert_int_equal(truth[1][R_TIN].a[0], 120);

	/* each period alone: the part is the month minus the weeks */
	in = block_input(&mar);
	out = json_pack("{s:s, s:s, s:[]}", "period", "month", "start",
	        mar.start, "snapshots");
	for (p = 0; p <= mar.nw; p++) {
		alone[p] = metricsnap_publish(
		        json_array_get(json_object_get(in, "periods"), p), K);
		assert_non_null(alone[p]);
		json_array_append_new(
		        json_object_get(out, "snapshots"), alone[p]);
	}
	parts_audited = parts_primaries = 0;
	quiet = 1;
	fails = audit_parts(&mar, out, label);
	quiet = 0;
	printf("%s: periods alone: %d part figures audited (%d of 1 to 10 "
	       "people), %d too narrow\n",
	        label, parts_audited, parts_primaries, fails);
	assert_true(fails > 0);
	json_decref(out);

	/* as a block: no part within reach */
	parts_audited = parts_primaries = parts_fails = 0;
	audited = primaries = 0;
	fails = publish_and_audit(&mar, label);
	printf("%s: block: %d withheld collectivity figures audited (%d "
	       "primary), %d failures; parts unknown: %d part figures "
	       "audited (%d of 1 to 10 people), %d failures\n",
	        label, audited, primaries, fails, parts_audited,
	        parts_primaries, parts_fails);
	json_decref(in);
	assert_int_equal(fails, 0);
	assert_int_equal(parts_fails, 0);
	assert_true(parts_primaries > 0);
}

/* Swaps the first two collectivity groups of grouping array gs. */
static void
swap_first(json_t *gs)
{
	json_t *a = json_incref(json_array_get(gs, 0));

	json_array_remove(gs, 0);
	json_array_insert_new(gs, 1, a);
}

/*
 * Blocks not of the shape: a week listing the collectivities in another
 * order, a part that does, a first week's head_out without its head_in,
 * a part given for one period alone. The unchanged block publishes.
 */
static void
test_refusals(void **state)
{
	json_t *in, *out, *one, *week;

	(void)state;
	rnd_state = 42;
	gen(&apr);
	in = block_input(&apr);
	out = metricsnap_publish(in, K);
	assert_non_null(out);
	json_decref(out);
	json_decref(in);

	in = block_input(&apr);
	week = json_array_get(json_object_get(in, "periods"), 2);
	swap_first(json_object_get(
	        json_object_get(
	                json_object_get(week, "groupings"), "collectivity"),
	        "groups"));
	assert_null(metricsnap_publish(in, K));
	json_decref(in);

	in = block_input(&apr);
	swap_first(json_object_get(json_object_get(in, "parts"), "tail_in"));
	assert_null(metricsnap_publish(in, K));
	json_decref(in);

	in = block_input(&apr);
	json_object_del(json_object_get(in, "parts"), "head_in");
	assert_null(metricsnap_publish(in, K));
	json_decref(in);

	in = block_input(&apr);
	one = json_deep_copy(json_array_get(json_object_get(in, "periods"), 0));
	json_object_set(one, "parts", json_object_get(in, "parts"));
	assert_null(metricsnap_publish(one, K));
	json_decref(one);
	json_decref(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_february_week),
	        cmocka_unit_test(test_random_february),
	        cmocka_unit_test(test_random_march),
	        cmocka_unit_test(test_random_april),
	        cmocka_unit_test(test_march_parts),
	        cmocka_unit_test(test_refusals),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	free(ia);
	free(ja);
	free(ar);
	glp_free_env();
	return rc;
}
