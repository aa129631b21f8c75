/*
 * outcome.c - greedy rules and the Method of Equal Shares, exactly
 *
 * MES runs over distinct ballots (groups of voters with the same
 * approvals), and a group's budget is an index into a table of the
 * distinct budget values of the run: voters who start equal and are
 * charged equally stay equal, so a project's price is found from a few
 * (value, voter count) pairs rather than one rational per voter. A
 * project's rho never falls as budgets shrink, so each round re-computes
 * only the projects whose approvers paid since (dirty ones), in order of
 * their last rho, and stops at the first whose last rho is above the best
 * found (the lazy evaluation of Peters' implementations).
 */
#include "outcome.h"

#include <gmp.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

/* Counts and costs go to GMP as unsigned long. */
_Static_assert(ULONG_MAX >= UINT64_MAX, "unsigned long must hold uint64_t");
_Static_assert(ULONG_MAX >= SIZE_MAX, "unsigned long must hold size_t");

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		abort();
	return p;
}

/* What every rule reads besides the instance. */
struct ctx {
	const struct outcome_instance *in;
	const struct outcome_options *o;
	size_t *votes; /* approvals of each project */
};

/* <0 when project a goes before b by the tie-breaking keys. */
static int
tie_cmp(const struct ctx *c, size_t a, size_t b)
{
	const struct outcome_project *pa = &c->in->projects[a];
	const struct outcome_project *pb = &c->in->projects[b];
	size_t i;

	for (i = 0; i < OUTCOME_TIE_MAX && c->o->tie[i] != OUTCOME_TIE_END;
	        i++) {
		switch (c->o->tie[i]) {
		case OUTCOME_TIE_COST:
			if (pa->cost != pb->cost)
				return pa->cost < pb->cost ? -1 : 1;
			break;
		case OUTCOME_TIE_VOTES:
			if (c->votes[a] != c->votes[b])
				return c->votes[a] > c->votes[b] ? -1 : 1;
			break;
		case OUTCOME_TIE_ID:
		case OUTCOME_TIE_END:
			break;
		}
		if (c->o->tie[i] == OUTCOME_TIE_ID)
			break;
	}
	return strcmp(pa->id, pb->id);
}

/* Checks every ballot; counts approvals into c->votes. */
static const char *
prepare(struct ctx *c)
{
	const struct outcome_instance *in = c->in;
	size_t *stamp, i, j;
	const char *why = NULL;

	c->votes = xcalloc(in->nprojects, sizeof(*c->votes));
	stamp = xcalloc(in->nprojects, sizeof(*stamp));
	for (i = 0; i < in->nprojects && why == NULL; i++)
		if (in->projects[i].id == NULL)
			why = "a project has no id";
	for (i = 0; i < in->nballots && why == NULL; i++) {
		const struct outcome_ballot *b = &in->ballots[i];

		for (j = 0; j < b->n; j++) {
			size_t p = b->projects[j];

			if (p >= in->nprojects) {
				why = "a ballot names a project out of range";
				break;
			}
			if (stamp[p] == i + 1) {
				why = "a ballot names a project twice";
				break;
			}
			stamp[p] = i + 1;
			c->votes[p]++;
		}
	}
	free(stamp);
	return why;
}

/* --- greedy rules ------------------------------------------------------ */

/* Sort context of the greedy order: score first, then ties. */
struct gsort {
	const struct ctx *c;
	mpz_t *score;
};

static int
cmp_greedy(const void *a, const void *b, void *arg)
{
	const struct gsort *g = arg;
	size_t pa = *(const size_t *)a, pb = *(const size_t *)b;
	int r = mpz_cmp(g->score[pb], g->score[pa]);

	return r != 0 ? r : tie_cmp(g->c, pa, pb);
}

static void
greedy(const struct ctx *c, struct outcome *out)
{
	const struct outcome_instance *in = c->in;
	enum outcome_rule rule = c->o->rule;
	struct gsort g = {c, NULL};
	size_t *order = xcalloc(in->nprojects, sizeof(*order));
	size_t i, j, n = 0;
	uint64_t left = in->budget;

	g.score = xcalloc(in->nprojects, sizeof(*g.score));
	for (i = 0; i < in->nprojects; i++)
		mpz_init_set_ui(g.score[i], c->votes[i]);
	if (rule == OUTCOME_GREEDY_SCORE) {
		for (i = 0; i < in->nprojects; i++)
			mpz_set_ui(g.score[i], 0);
		for (i = 0; i < in->nballots; i++) {
			const struct outcome_ballot *b = &in->ballots[i];

			for (j = 0; j < b->n; j++)
				mpz_add_ui(g.score[b->projects[j]],
				        g.score[b->projects[j]],
				        b->points ? b->points[j] : 1);
		}
	}
	for (i = 0; i < in->nprojects; i++)
		if (rule != OUTCOME_GREEDY_NO_SKIP ||
		        c->votes[i] >= c->o->min_votes)
			order[n++] = i;
	qsort_r(order, n, sizeof(*order), cmp_greedy, &g);
	for (i = 0; i < n; i++) {
		uint64_t cost = in->projects[order[i]].cost;

		if (cost <= left) {
			out->selected[out->nselected++] = order[i];
			left -= cost;
			out->cost += cost;
		} else if (rule == OUTCOME_GREEDY_NO_SKIP) {
			break;
		}
	}
	for (i = 0; i < in->nprojects; i++)
		mpz_clear(g.score[i]);
	free(g.score);
	free(order);
}

/* --- the Method of Equal Shares ---------------------------------------- */

/*
 * Voters with the same approvals, and the run's state. Budgets are
 * val[v] / den for one common denominator den of the run, so pricing a
 * project adds and compares integers only; den grows (and every value
 * with it) when a charge needs a finer one.
 */
struct mes {
	const struct ctx *c;
	size_t ngroups;
	size_t *weight; /* voters in each group */
	size_t *gstart; /* group g approves gproj[gstart[g]..gstart[g+1]) */
	size_t *gproj;
	size_t *sstart; /* project p is approved by groups */
	size_t *sgroup; /* sgroup[sstart[p]..sstart[p+1]) */
	mpz_t *val;     /* budget numerators; val[0] is 0 */
	mpz_t den;
	size_t nval, capval;
	size_t *gval;   /* value index of each group's budget */
	size_t *ref;    /* groups holding each value */
	size_t *sorted; /* the held values but 0, increasing */
	size_t nsorted;
	size_t *count;        /* voters per value, while pricing a project */
	size_t *newval;       /* value index after a charge, + 1; 0 unset */
	size_t *touched;      /* value indices seen while pricing or charging */
	size_t *merge;        /* scratch of nval */
	mpq_t *rho;           /* last rho of each project: a lower bound */
	unsigned char *state; /* per project, below */
	size_t *order;
	mpq_t t, u; /* scratch */
	mpz_t need, z;
};

/* Project states within a run. */
enum { P_FRESH, P_DIRTY, P_GONE };

/* Orders ballots by their sorted approvals. */
struct bsort {
	size_t **sorted;
	const size_t *len;
};

static int
cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_ballot(const void *a, const void *b, void *arg)
{
	const struct bsort *s = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b, i;

	if (s->len[x] != s->len[y])
		return s->len[x] < s->len[y] ? -1 : 1;
	for (i = 0; i < s->len[x]; i++)
		if (s->sorted[x][i] != s->sorted[y][i])
			return s->sorted[x][i] < s->sorted[y][i] ? -1 : 1;
	return 0;
}

/* Groups identical ballots; builds both directions of approval. */
static void
mes_init(struct mes *m, const struct ctx *c)
{
	const struct outcome_instance *in = c->in;
	size_t nb = in->nballots, np = in->nprojects, i, j, g, total = 0;
	struct bsort s;
	size_t *idx = xcalloc(nb, sizeof(*idx));
	size_t *len = xcalloc(nb, sizeof(*len)), *fill;

	memset(m, 0, sizeof(*m));
	m->c = c;
	s.sorted = xcalloc(nb, sizeof(*s.sorted));
	s.len = len;
	for (i = 0; i < nb; i++) {
		const struct outcome_ballot *b = &in->ballots[i];

		s.sorted[i] = xcalloc(b->n, sizeof(size_t));
		if (b->n > 0)
			memcpy(s.sorted[i], b->projects, b->n * sizeof(size_t));
		qsort(s.sorted[i], b->n, sizeof(size_t), cmp_size);
		len[i] = b->n;
		idx[i] = i;
		total += b->n;
	}
	qsort_r(idx, nb, sizeof(*idx), cmp_ballot, &s);
	m->weight = xcalloc(nb, sizeof(*m->weight));
	m->gstart = xcalloc(nb + 1, sizeof(*m->gstart));
	m->gproj = xcalloc(total, sizeof(*m->gproj));
	for (i = 0, g = 0, total = 0; i < nb; i++) {
		if (i > 0 && cmp_ballot(&idx[i - 1], &idx[i], &s) == 0) {
			m->weight[g - 1]++;
			continue;
		}
		m->gstart[g] = total;
		m->weight[g] = 1;
		for (j = 0; j < len[idx[i]]; j++)
			m->gproj[total++] = s.sorted[idx[i]][j];
		g++;
	}
	m->ngroups = g;
	m->gstart[g] = total;
	m->sstart = xcalloc(np + 1, sizeof(*m->sstart));
	m->sgroup = xcalloc(total, sizeof(*m->sgroup));
	for (i = 0; i < total; i++)
		m->sstart[m->gproj[i] + 1]++;
	for (i = 0; i < np; i++)
		m->sstart[i + 1] += m->sstart[i];
	fill = xcalloc(np, sizeof(*fill));
	for (g = 0; g < m->ngroups; g++)
		for (j = m->gstart[g]; j < m->gstart[g + 1]; j++) {
			size_t p = m->gproj[j];

			m->sgroup[m->sstart[p] + fill[p]++] = g;
		}
	free(fill);
	for (i = 0; i < nb; i++)
		free(s.sorted[i]);
	free(s.sorted);
	free(len);
	free(idx);
	m->gval = xcalloc(m->ngroups, sizeof(*m->gval));
	m->rho = xcalloc(np, sizeof(*m->rho));
	for (i = 0; i < np; i++)
		mpq_init(m->rho[i]);
	m->state = xcalloc(np, sizeof(*m->state));
	m->order = xcalloc(np, sizeof(*m->order));
	mpq_inits(m->t, m->u, NULL);
	mpz_inits(m->need, m->z, m->den, NULL);
}

static void
mes_release(struct mes *m)
{
	size_t i;

	for (i = 0; i < m->c->in->nprojects; i++)
		mpq_clear(m->rho[i]);
	for (i = 0; i < m->capval; i++)
		mpz_clear(m->val[i]);
	mpq_clears(m->t, m->u, NULL);
	mpz_clears(m->need, m->z, m->den, NULL);
	free(m->val);
	free(m->ref);
	free(m->sorted);
	free(m->merge);
	free(m->count);
	free(m->newval);
	free(m->touched);
	free(m->rho);
	free(m->state);
	free(m->order);
	free(m->gval);
	free(m->sstart);
	free(m->sgroup);
	free(m->gstart);
	free(m->gproj);
	free(m->weight);
}

/* Index of a new budget value, held by no group yet. */
static size_t
new_value(struct mes *m)
{
	if (m->nval == m->capval) {
		size_t i, cap = m->capval ? 2 * m->capval : 64;

		m->val = xreallocarray(m->val, cap, sizeof(*m->val));
		m->ref = xreallocarray(m->ref, cap, sizeof(*m->ref));
		m->sorted = xreallocarray(m->sorted, cap, sizeof(*m->sorted));
		m->merge = xreallocarray(m->merge, cap, sizeof(*m->merge));
		m->count = xreallocarray(m->count, cap, sizeof(*m->count));
		m->newval = xreallocarray(m->newval, cap, sizeof(*m->newval));
		m->touched =
		        xreallocarray(m->touched, cap, sizeof(*m->touched));
		for (i = m->capval; i < cap; i++) {
			mpz_init(m->val[i]);
			m->count[i] = 0;
			m->newval[i] = 0;
		}
		m->capval = cap;
	}
	m->ref[m->nval] = 0;
	return m->nval++;
}

/* u(p) into m->u. */
static void
utility(struct mes *m, size_t p)
{
	if (m->c->o->utility == OUTCOME_UTIL_CARD)
		mpq_set_ui(m->u, 1, 1);
	else
		mpq_set_ui(m->u, m->c->in->projects[p].cost, 1);
}

/*
 * The smallest rho of project p (positive cost) into m->rho[p]; 0 when
 * its approvers cannot pay it together. Approvers are taken from the
 * poorest: while the ones left cannot share what remains equally within
 * the current budget, its holders pay all they have.
 */
static int
price(struct mes *m, size_t p)
{
	size_t i, nt = 0, left = 0;
	int found = 0;

	for (i = m->sstart[p]; i < m->sstart[p + 1]; i++) {
		size_t g = m->sgroup[i], v = m->gval[g];

		if (v == 0)
			continue; /* pays nothing, whatever rho is */
		if (m->count[v] == 0)
			m->touched[nt++] = v;
		m->count[v] += m->weight[g];
		left += m->weight[g];
	}
	/* need = what the approvers not yet counted must pay, times den */
	mpz_mul_ui(m->need, m->den, m->c->in->projects[p].cost);
	for (i = 0; i < m->nsorted && !found && left > 0; i++) {
		size_t v = m->sorted[i];

		if (m->count[v] == 0)
			continue;
		mpz_mul_ui(m->z, m->val[v], left);
		if (mpz_cmp(m->need, m->z) <= 0) {
			/* rho = need / (den * left * u(p)) */
			utility(m, p);
			mpz_set(mpq_numref(m->rho[p]), m->need);
			mpz_mul_ui(mpq_denref(m->rho[p]), m->den, left);
			mpz_mul(mpq_denref(m->rho[p]), mpq_denref(m->rho[p]),
			        mpq_numref(m->u));
			mpq_canonicalize(m->rho[p]);
			found = 1;
		} else {
			mpz_submul_ui(m->need, m->val[v], m->count[v]);
			left -= m->count[v];
		}
	}
	for (i = 0; i < nt; i++)
		m->count[m->touched[i]] = 0;
	return found;
}

/* Makes den a multiple of q, scaling every held value. */
static void
refine(struct mes *m, const mpz_t q)
{
	size_t i;

	mpz_lcm(m->z, m->den, q);
	if (mpz_cmp(m->z, m->den) == 0)
		return;
	mpz_divexact(m->need, m->z, m->den);
	mpz_swap(m->den, m->z);
	for (i = 0; i < m->nsorted; i++)
		mpz_mul(m->val[m->sorted[i]], m->val[m->sorted[i]], m->need);
}

/*
 * Each approver of p pays min(b, rho * u(p)); their projects go dirty.
 * Values charged keep their order among themselves, so the sorted list
 * is a merge of the values still held and the new ones.
 */
static void
charge(struct mes *m, size_t p)
{
	size_t i, j, nt = 0, na = 0, nb = 0, k = 0;

	utility(m, p);
	mpq_mul(m->t, m->rho[p], m->u); /* what each one pays at most */
	refine(m, mpq_denref(m->t));
	mpz_divexact(m->z, m->den, mpq_denref(m->t));
	mpz_mul(m->z, m->z, mpq_numref(m->t)); /* times den */
	for (i = m->sstart[p]; i < m->sstart[p + 1]; i++) {
		size_t g = m->sgroup[i], v = m->gval[g];

		if (v == 0)
			continue;
		if (m->newval[v] == 0) {
			m->touched[nt++] = v;
			if (mpz_cmp(m->val[v], m->z) <= 0) {
				m->newval[v] = 1;
			} else {
				size_t nv = new_value(m);

				mpz_sub(m->val[nv], m->val[v], m->z);
				m->newval[v] = nv + 1;
			}
		}
		m->ref[v]--;
		m->gval[g] = m->newval[v] - 1;
		m->ref[m->gval[g]]++;
		for (j = m->gstart[g]; j < m->gstart[g + 1]; j++)
			if (m->state[m->gproj[j]] == P_FRESH)
				m->state[m->gproj[j]] = P_DIRTY;
	}
	/* merge: a = still held, in order; b = their charged successors */
	for (i = 0; i < m->nsorted; i++) {
		size_t v = m->sorted[i];

		if (m->newval[v] > 1)
			m->merge[nb++] = m->newval[v] - 1;
		if (m->ref[v] > 0)
			m->sorted[na++] = v;
	}
	memmove(m->sorted + nb, m->sorted, na * sizeof(*m->sorted));
	for (i = nb, j = 0; i < nb + na || j < nb;)
		if (j == nb ||
		        (i < nb + na && mpz_cmp(m->val[m->sorted[i]],
		                                m->val[m->merge[j]]) <= 0))
			m->sorted[k++] = m->sorted[i++];
		else
			m->sorted[k++] = m->merge[j++];
	m->nsorted = k;
	for (i = 0; i < nt; i++)
		m->newval[m->touched[i]] = 0;
}

static int
cmp_rho(const void *a, const void *b, void *arg)
{
	const struct mes *m = arg;
	size_t pa = *(const size_t *)a, pb = *(const size_t *)b;
	int r = mpq_cmp(m->rho[pa], m->rho[pb]);

	return r != 0 ? r : tie_cmp(m->c, pa, pb);
}

/*
 * One run of MES with every voter starting at b0; the selection goes to
 * sel[0..*nsel), its cost (saturated at UINT64_MAX) to *cost.
 */
static void
mes_run(struct mes *m, const mpq_t b0, size_t *sel, size_t *nsel,
        uint64_t *cost)
{
	const struct outcome_instance *in = m->c->in;
	size_t np = in->nprojects, i, n, zero = 0;
	int more = 1;

	*nsel = 0;
	*cost = 0;
	m->nval = 0;
	new_value(m);
	mpz_set_ui(m->val[0], 0);
	new_value(m);
	mpz_set(m->val[1], mpq_numref(b0));
	mpz_set(m->den, mpq_denref(b0));
	m->nsorted = 0;
	if (mpq_sgn(b0) > 0)
		m->sorted[m->nsorted++] = 1;
	for (i = 0; i < m->ngroups; i++)
		m->gval[i] = m->nsorted;
	m->ref[m->nsorted] = m->ngroups;
	/* Cost 0 with an approver: selected first, in tie order. */
	for (i = 0, n = 0; i < np; i++) {
		m->state[i] = P_GONE;
		if (m->c->votes[i] == 0)
			continue;
		if (in->projects[i].cost == 0) {
			m->order[zero++] = i;
			continue;
		}
		/* Everyone holds b0: rho = cost / (|N_p| u(p)). */
		mpq_set_ui(m->t, m->c->votes[i], 1);
		mpq_mul(m->t, m->t, b0);
		mpq_set_ui(m->u, in->projects[i].cost, 1);
		if (mpq_cmp(m->t, m->u) < 0)
			continue; /* its approvers cannot pay it */
		mpq_set_ui(m->t, m->c->votes[i], 1);
		mpq_div(m->rho[i], m->u, m->t);
		utility(m, i);
		mpq_div(m->rho[i], m->rho[i], m->u);
		m->state[i] = P_FRESH;
	}
	qsort_r(m->order, zero, sizeof(*m->order), cmp_rho, m);
	for (i = 0; i < zero; i++)
		sel[(*nsel)++] = m->order[i];
	while (more) {
		size_t best = SIZE_MAX;

		for (i = 0, n = 0; i < np; i++)
			if (m->state[i] != P_GONE)
				m->order[n++] = i;
		qsort_r(m->order, n, sizeof(*m->order), cmp_rho, m);
		for (i = 0; i < n; i++) {
			size_t p = m->order[i];

			if (best != SIZE_MAX &&
			        mpq_cmp(m->rho[p], m->rho[best]) > 0)
				break; /* its rho can only have grown */
			if (m->state[p] == P_DIRTY) {
				if (!price(m, p)) {
					m->state[p] = P_GONE; /* for good */
					continue;
				}
				m->state[p] = P_FRESH;
			}
			if (best == SIZE_MAX || cmp_rho(&p, &best, m) < 0)
				best = p;
		}
		more = best != SIZE_MAX;
		if (more) {
			uint64_t c = in->projects[best].cost;

			sel[(*nsel)++] = best;
			*cost = c > UINT64_MAX - *cost ? UINT64_MAX : *cost + c;
			m->state[best] = P_GONE;
			charge(m, best);
		}
	}
}

/* GMP's canonical "p/q" of q, malloc'd. */
static char *
q_string(const mpq_t q)
{
	size_t n = mpz_sizeinbase(mpq_numref(q), 10) +
	           mpz_sizeinbase(mpq_denref(q), 10) + 3;
	char *s = xcalloc(n, 1);

	return mpq_get_str(s, 10, q);
}

static void
mes(const struct ctx *c, struct outcome *out)
{
	const struct outcome_instance *in = c->in;
	struct mes m;
	mpq_t b0, one;
	size_t *sel = xcalloc(in->nprojects, sizeof(*sel)), nsel, i;
	size_t supported = 0;
	uint64_t cost;

	if (in->nballots == 0) {
		free(sel);
		return; /* no voter, no money */
	}
	for (i = 0; i < in->nprojects; i++)
		supported += c->votes[i] > 0;
	mes_init(&m, c);
	mpq_init(b0);
	mpq_init(one);
	mpq_set_ui(one, c->o->add1_step > 0 ? c->o->add1_step : 1, 1);
	mpq_set_ui(b0, in->budget, in->nballots);
	mpq_canonicalize(b0);
	mes_run(&m, b0, out->selected, &out->nselected, &out->cost);
	if (c->o->rule == OUTCOME_MES_ADD1) {
		while (out->nselected < supported) {
			mpq_add(b0, b0, one);
			mes_run(&m, b0, sel, &nsel, &cost);
			if (cost > in->budget) {
				mpq_sub(b0, b0, one);
				break;
			}
			memcpy(out->selected, sel, nsel * sizeof(*sel));
			out->nselected = nsel;
			out->cost = cost;
			out->steps++;
		}
	}
	out->per_voter_budget = q_string(b0);
	mpq_clears(b0, one, NULL);
	mes_release(&m);
	free(sel);
}

/* --- the API ----------------------------------------------------------- */

void
outcome_options_init(struct outcome_options *o)
{
	memset(o, 0, sizeof(*o));
	o->rule = OUTCOME_GREEDY;
	o->utility = OUTCOME_UTIL_COST;
	o->add1_step = 1;
	o->tie[0] = OUTCOME_TIE_ID;
}

static const char *const rule_names[] = {
        [OUTCOME_GREEDY] = "greedy",
        [OUTCOME_GREEDY_NO_SKIP] = "greedy-no-skip",
        [OUTCOME_GREEDY_SCORE] = "greedy-score",
        [OUTCOME_MES] = "mes",
        [OUTCOME_MES_ADD1] = "mes-add1",
};

int
outcome_rule_parse(const char *name, enum outcome_rule *rule)
{
	size_t i;

	for (i = 0; i < sizeof(rule_names) / sizeof(rule_names[0]); i++)
		if (strcmp(name, rule_names[i]) == 0) {
			*rule = (enum outcome_rule)i;
			return 0;
		}
	return -1;
}

const char *
outcome_rule_name(enum outcome_rule rule)
{
	return (size_t)rule < sizeof(rule_names) / sizeof(rule_names[0])
	               ? rule_names[rule]
	               : "?";
}

int
outcome_utility_parse(const char *name, enum outcome_utility *u)
{
	if (strcmp(name, "cost") == 0)
		*u = OUTCOME_UTIL_COST;
	else if (strcmp(name, "card") == 0)
		*u = OUTCOME_UTIL_CARD;
	else
		return -1;
	return 0;
}

const char *
outcome_utility_name(enum outcome_utility u)
{
	return u == OUTCOME_UTIL_CARD ? "card" : "cost";
}

int
outcome_tie_parse(const char *spec, enum outcome_tie tie[OUTCOME_TIE_MAX])
{
	static const struct {
		const char *name;
		enum outcome_tie key;
	} keys[] = {
	        {"id", OUTCOME_TIE_ID},
	        {"cost", OUTCOME_TIE_COST},
	        {"votes", OUTCOME_TIE_VOTES},
	};
	size_t n = 0, i, j;
	const char *s = spec;

	memset(tie, 0, OUTCOME_TIE_MAX * sizeof(*tie));
	for (;;) {
		size_t len = strcspn(s, ",");
		int found = 0;

		for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (strlen(keys[i].name) == len &&
			        memcmp(s, keys[i].name, len) == 0) {
				for (j = 0; j < n; j++)
					if (tie[j] == keys[i].key)
						return -1;
				if (n == OUTCOME_TIE_MAX - 1)
					return -1;
				tie[n++] = keys[i].key;
				found = 1;
			}
		if (!found)
			return -1;
		if (s[len] == '\0')
			return 0;
		s += len + 1;
	}
}

enum err
outcome_compute(const struct outcome_instance *in,
        const struct outcome_options *o, struct outcome *out, const char **why)
{
	struct ctx c = {in, o, NULL};
	const char *bad = NULL;

	memset(out, 0, sizeof(*out));
	if ((size_t)o->rule > OUTCOME_MES_ADD1 ||
	        (size_t)o->utility > OUTCOME_UTIL_CARD)
		bad = "unknown rule or utility";
	if (bad == NULL)
		bad = prepare(&c);
	if (bad != NULL) {
		if (why != NULL)
			*why = bad;
		free(c.votes);
		return ERR_INVALID;
	}
	out->selected = xcalloc(in->nprojects, sizeof(*out->selected));
	if (o->rule == OUTCOME_MES || o->rule == OUTCOME_MES_ADD1)
		mes(&c, out);
	else
		greedy(&c, out);
	free(c.votes);
	return ERR_OK;
}

void
outcome_release(struct outcome *out)
{
	free(out->selected);
	free(out->per_voter_budget);
	memset(out, 0, sizeof(*out));
}
