/*
 * metricsnap.c - a period's figures across every grouping, protected as
 * one system (metricsnap.h)
 *
 * Each grouping's groups are read as a view (metricsview_view.h) of one
 * period. The figures then form systems protected by lib/lpaudit.c: the
 * acts, participants and contributors of each kind together (each unit's
 * kinds add up to its total, each group's figure is its members', and a
 * collectivity's counts of people bound each other and its acts), the
 * people behind withheld acts withheld first as a guess; then new
 * accounts, and newly verified residents, each group's figure its
 * members'. A block's periods (a month and its weeks) are in one system
 * of each family, a collectivity's month tied to its weeks and to the
 * parts of the weeks across the month's bounds (month_relations()).
 */
#include "metricsnap.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lpaudit.h"
#include "metricsview_view.h"
#include "suppress.h"

/* The groupings, in the order they are protected and written. */
static const char *const bys[] = {"collectivity", "kind", "density", "qpv",
        "departement", "cohort", "all"};
#define NBY (sizeof(bys) / sizeof(bys[0]))

struct snap {
	const json_t *groups[NBY]; /* NULL: a grouping not given */
	struct view v[NBY];
	size_t **members; /* [b][g]: offsets into mem */
	size_t *mem;      /* member collectivity indices */
};

/* A family of figures: ncols per unit, from at(). */
typedef struct fig *(*fam_at)(const struct view *v, size_t g, size_t j);

/* The people family's columns: the acts (all kinds, then each), the
   participants, the contributors of each kind. */
#define COL_PART (NK + 1)
#define COL_CONTR (NK + 2)
#define NPEOPLE (2 * NK + 2)

static struct fig *
fam_people(const struct view *v, size_t g, size_t j)
{
	if (j <= NK)
		return acts_at(v, g, 0, j);
	if (j == COL_PART)
		return &v->part[g];
	return contr_at(v, g, 0, j - COL_CONTR);
}

static struct fig *
fam_newa(const struct view *v, size_t g, size_t j)
{
	(void)j;
	return &v->newa[g];
}

static struct fig *
fam_verif(const struct view *v, size_t g, size_t j)
{
	(void)j;
	return &v->verif[g];
}

/* The tier of grouping b's column j (a collectivity's total of acts: j
   0 of a family with a row). */
static enum lpaudit_tier
tier(size_t b, size_t j, int row)
{
	if (strcmp(bys[b], "all") == 0)
		return LPAUDIT_NATIONAL;
	if (b != 0)
		return LPAUDIT_GROUP;
	return row && j == 0 ? LPAUDIT_TOTAL : LPAUDIT_CELL;
}

/*
 * What anyone knows of a collectivity's counts of people, as
 * inequalities (docs/suppression.md): the contributors of a kind are at
 * most the participants and at most its acts (each did one at least, an
 * act has one author at most), the participants at most all kinds'
 * contributors and at most all acts. base is the unit's first figure in
 * the people family.
 */
static void
people_relations(struct lpaudit *a, size_t base)
{
	size_t j, part = base + COL_PART, acts = base, contr[NK];

	for (j = 0; j < NK; j++) {
		size_t c = base + COL_CONTR + j, act = base + 1 + j;

		contr[j] = c;
		lpaudit_le(a, &c, 1, &part, 1);
		lpaudit_le(a, &c, 1, &act, 1);
	}
	lpaudit_le(a, &part, 1, contr, NK);
	lpaudit_le(a, &part, 1, &acts, 1);
}

/* A month and the weeks whose Sunday is in it, protected together
   (docs/suppression.md, "Weeks and months"); one period alone has no
   weeks. */
#define NPER 6

/* The parts of weeks across the month's bounds, per collectivity: the
   days of its first week before the month (known to anyone, as is
   assumed), those inside it (never published), and the days inside it
   of the week after the block (known). */
enum { PART_HEAD_OUT, PART_HEAD_IN, PART_TAIL_IN, NPART };

struct block {
	size_t np;               /* periods: [0] the month, then its weeks */
	struct snap s[NPER];     /* each period's groupings */
	const json_t *in[NPER];  /* each period's input */
	struct view part[NPART]; /* collectivity level, one period */
	int has[NPART];
};

/* Adds units g's ncols figures of family at in v, each role r (tier by
   grouping b and whether the family has a row); a figure already
   withheld is so again, or hidden when an earlier pass than fixed
   withheld it (not audited again). Returns the first. */
static size_t
add_unit(struct lpaudit *a, const struct view *v, fam_at at, size_t g,
        size_t ncols, size_t b, int row, enum lpaudit_role r, int fixed)
{
	size_t j, first = a->n;

	for (j = 0; j < ncols; j++) {
		const struct fig *f = at(v, g, j);
		enum lpaudit_tier t = tier(b, j, row);

		if (r != LPAUDIT_FIGURE)
			lpaudit_quantity(a, f->value, f->people, t, r);
		else if (f->withheld && f->withheld <= fixed)
			lpaudit_quantity(
			        a, f->value, f->people, t, LPAUDIT_HIDDEN);
		else
			lpaudit_fig(a, f->value, f->people, t,
			        f->withheld ? SUPPRESS_SECONDARY
			                    : SUPPRESS_NONE);
	}
	return first;
}

/* A unit's own relations at base: its row adds up (nrow > 0), and its
   people bound each other (people). */
static void
unit_relations(
        struct lpaudit *a, size_t base, size_t nrow, int people, size_t *tmp)
{
	size_t j;

	if (nrow > 0) {
		for (j = 1; j < nrow; j++)
			tmp[j - 1] = base + j;
		lpaudit_sum(a, base, tmp, nrow - 1);
	}
	if (people)
		people_relations(a, base);
}

/*
 * What ties a collectivity's month to its weeks, column j of each unit
 * at month, week[0..nw-1] (the first one's parts head_out and head_in
 * when it starts before the month, SIZE_MAX otherwise) and tail_in
 * (SIZE_MAX: none). The month is made of its pieces: the first week's
 * days in it, the other weeks, the next week's days in it. A count of
 * acts (additive) is their sum, and the first week the sum of its two
 * parts; a count of people is at least each piece's and at most their
 * sum, and the first week's at least each part's, at most theirs.
 */
static void
month_relations(struct lpaudit *a, size_t month, const size_t *week, size_t nw,
        size_t head_out, size_t head_in, size_t tail_in, size_t j, int additive)
{
	size_t pieces[NPER + 1], n = 0, i, parts[2];
	size_t m = month + j, w = week[0] + j;
	int head = head_in != SIZE_MAX;

	pieces[n++] = head ? head_in + j : w;
	for (i = 1; i < nw; i++)
		pieces[n++] = week[i] + j;
	if (tail_in != SIZE_MAX)
		pieces[n++] = tail_in + j;
	parts[0] = head_out + j;
	parts[1] = head_in + j;
	if (additive) {
		lpaudit_sum(a, m, pieces, n);
		if (head)
			lpaudit_sum(a, w, parts, 2);
		return;
	}
	for (i = 0; i < n; i++)
		lpaudit_le(a, &pieces[i], 1, &m, 1);
	lpaudit_le(a, &m, 1, pieces, n);
	if (head) {
		lpaudit_le(a, &w, 1, parts, 2);
		lpaudit_le(a, &parts[0], 1, &w, 1);
		lpaudit_le(a, &parts[1], 1, &w, 1);
	}
}

/*
 * Protects one family over the block's periods: ncols figures per unit,
 * the first nrow of them a unit's total and what adds up to it (0:
 * none), the first nadd counts of acts (the others of people), and the
 * people relations when people. Pass 1 protects the published
 * figures, the parts of weeks outside the month taken as known and the
 * first week's part inside it hidden. Pass 2, over a block with parts,
 * protects every part as a figure anyone could work out, none of them
 * known, what pass 1 withheld fixed. Pass 3, as pass 1, makes what pass
 * 2 withheld keep its room too (docs/suppression.md, "Weeks and
 * months"). A figure withheld is marked with the pass that withheld it.
 * Returns how many it withheld, or -1 when it does not add up or the
 * solver failed.
 */
static long
protect_family(struct block *bk, fam_at at, size_t ncols, size_t nrow,
        size_t nadd, int people, int pass, uint64_t k)
{
	struct lpaudit a;
	size_t *base[NPER][NBY] = {{NULL}}, *pbase[NPART] = {NULL};
	size_t b, g, j, m, p, *tmp, most = ncols;
	size_t nc = bk->s[0].v[0].g;
	long rc = 0, added = 0;

	lpaudit_init(&a);
	for (p = 0; p < bk->np; p++) {
		struct snap *s = &bk->s[p];

		for (b = 0; b < NBY; b++) {
			if (s->groups[b] == NULL)
				continue;
			base[p][b] = malloc((s->v[b].g + 1) * sizeof(size_t));
			if (base[p][b] == NULL)
				abort();
			for (g = 0; g < s->v[b].g; g++)
				base[p][b][g] = add_unit(&a, &s->v[b], at, g,
				        ncols, b, nrow > 0, LPAUDIT_FIGURE,
				        pass == 1   ? 0
				        : pass == 2 ? INT_MAX
				                    : 1);
		}
	}
	for (j = 0; j < NPART; j++) {
		if (!bk->has[j])
			continue;
		pbase[j] = malloc((nc + 1) * sizeof(size_t));
		if (pbase[j] == NULL)
			abort();
		for (g = 0; g < nc; g++)
			pbase[j][g] = add_unit(&a, &bk->part[j], at, g, ncols,
			        0, nrow > 0,
			        pass == 2           ? LPAUDIT_PART
			        : j == PART_HEAD_IN ? LPAUDIT_HIDDEN
			                            : LPAUDIT_GIVEN,
			        0);
	}
	if (nc > most)
		most = nc;
	tmp = malloc((most + 1) * sizeof(*tmp));
	if (tmp == NULL)
		abort();
	for (p = 0; p < bk->np; p++) {
		struct snap *s = &bk->s[p];

		for (b = 0; b < NBY; b++) {
			if (s->groups[b] == NULL)
				continue;
			for (g = 0; g < s->v[b].g; g++) {
				if (b == 0) {
					unit_relations(&a, base[p][b][g], nrow,
					        people, tmp);
					continue;
				}
				if (nrow > 0)
					unit_relations(&a, base[p][b][g], nrow,
					        0, tmp);
				for (j = 0; j < ncols; j++) {
					size_t n = 0;

					for (m = s->members[b][g];
					        m < s->members[b][g + 1]; m++)
						tmp[n++] =
						        base[p][0][s->mem[m]] +
						        j;
					lpaudit_sum(
					        &a, base[p][b][g] + j, tmp, n);
				}
			}
		}
	}
	for (j = 0; j < NPART; j++)
		for (g = 0; bk->has[j] && g < nc; g++)
			unit_relations(&a, pbase[j][g], nrow, people, tmp);
	for (g = 0; bk->np > 1 && g < nc; g++) {
		size_t week[NPER];

		for (p = 1; p < bk->np; p++)
			week[p - 1] = base[p][0][g];
		for (j = 0; j < ncols; j++)
			month_relations(&a, base[0][0][g], week, bk->np - 1,
			        bk->has[PART_HEAD_IN] ? pbase[PART_HEAD_OUT][g]
			                              : SIZE_MAX,
			        bk->has[PART_HEAD_IN] ? pbase[PART_HEAD_IN][g]
			                              : SIZE_MAX,
			        bk->has[PART_TAIL_IN] ? pbase[PART_TAIL_IN][g]
			                              : SIZE_MAX,
			        j, j < nadd);
	}
	if (lpaudit_protect(&a, k) != ERR_OK)
		rc = -1;
	for (p = 0; rc == 0 && p < bk->np; p++) {
		struct snap *s = &bk->s[p];

		for (b = 0; b < NBY; b++) {
			if (s->groups[b] == NULL)
				continue;
			for (g = 0; g < s->v[b].g; g++)
				for (j = 0; j < ncols; j++) {
					struct fig *f = at(&s->v[b], g, j);

					if (!f->withheld &&
					        a.figs[base[p][b][g] + j].why !=
					                SUPPRESS_NONE) {
						f->withheld = pass;
						added++;
					}
				}
		}
	}
	for (p = 0; p < bk->np; p++)
		for (b = 0; b < NBY; b++)
			free(base[p][b]);
	for (j = 0; j < NPART; j++)
		free(pbase[j]);
	free(tmp);
	lpaudit_release(&a);
	return rc < 0 ? rc : added;
}

/*
 * A first guess for the acts: each unit's kinds and total protected as
 * their own table by lib/suppress.c (exact, and cheap). The system's
 * audit then only has the sums across units left to widen.
 */
static int
guess_rows(struct snap *s, uint64_t k)
{
	struct suppress_table t;
	size_t b, g, j;
	int rc = 0;

	suppress_table_init(&t, 1, NK, SUPPRESS_ROW_TOTALS);
	for (b = 0; rc == 0 && b < NBY; b++) {
		if (s->groups[b] == NULL)
			continue;
		for (g = 0; rc == 0 && g < s->v[b].g; g++) {
			for (j = 0; j <= NK; j++) {
				struct fig *f = acts_at(&s->v[b], g, 0, j);
				struct suppress_cell *c =
				        suppress_at(&t, 0, j == 0 ? NK : j - 1);

				c->value = f->value;
				c->people = f->people;
				c->why = SUPPRESS_NONE;
			}
			if (suppress_table(&t, k) != ERR_OK)
				rc = -1;
			for (j = 0; rc == 0 && j <= NK; j++)
				acts_at(&s->v[b], g, 0, j)->withheld =
				        suppress_at(&t, 0, j == 0 ? NK : j - 1)
				                ->why != SUPPRESS_NONE;
		}
	}
	suppress_table_release(&t);
	return rc;
}

/* Reads in's groupings and their members; -1 when not of the shape. */
static int
snap_read(struct snap *s, const json_t *in)
{
	const json_t *gs = json_object_get(in, "groupings"), *gr, *slug;
	size_t b, g, i, total = 0, at = 0;

	if (!json_is_object(gs))
		return -1;
	for (b = 0; b < NBY; b++) {
		const json_t *o = json_object_get(gs, bys[b]);

		if (o == NULL)
			continue;
		s->groups[b] = json_object_get(o, "groups");
		if (!json_is_array(s->groups[b]) ||
		        json_array_size(s->groups[b]) == 0)
			return -1;
		if (view_read(&s->v[b], s->groups[b]) != 0 || s->v[b].t != 1 ||
		        !s->v[b].members)
			return -1;
		json_array_foreach(s->groups[b], g, gr) total +=
		        json_array_size(json_object_get(gr, "members"));
	}
	if (s->groups[0] == NULL)
		return -1;
	s->members = calloc(NBY, sizeof(*s->members));
	s->mem = malloc((total + 1) * sizeof(*s->mem));
	if (s->members == NULL || s->mem == NULL)
		abort();
	for (b = 1; b < NBY; b++) {
		if (s->groups[b] == NULL)
			continue;
		s->members[b] = malloc((s->v[b].g + 1) * sizeof(size_t));
		if (s->members[b] == NULL)
			abort();
		json_array_foreach(s->groups[b], g, gr)
		{
			const json_t *ms = json_object_get(gr, "members");
			size_t first = at, z;

			s->members[b][g] = at;
			if (!json_is_array(ms) || json_array_size(ms) == 0 ||
			        json_array_size(ms) > s->v[0].g)
				return -1;
			json_array_foreach(ms, i, slug)
			{
				size_t c;
				const char *want = json_string_value(slug);

				for (c = 0; c < s->v[0].g; c++)
					if (want != NULL &&
					        json_equal(
					                json_object_get(
					                        json_array_get(
					                                s->groups
					                                        [0],
					                                c),
					                        "key"),
					                slug))
						break;
				if (c == s->v[0].g)
					return -1;
				for (z = first; z < at; z++)
					if (s->mem[z] == c)
						return -1; /* a member twice */
				s->mem[at++] = c;
			}
		}
		s->members[b][s->v[b].g] = at;
	}
	return 0;
}

static void
snap_free(struct snap *s)
{
	size_t b;

	for (b = 0; b < NBY; b++)
		if (s->groups[b] != NULL)
			view_free(&s->v[b]);
	if (s->members != NULL)
		for (b = 0; b < NBY; b++)
			free(s->members[b]);
	free(s->members);
	free(s->mem);
}

/* Counts the withheld figures of v. */
static size_t
count_withheld(const struct view *v)
{
	size_t g, j, n = 0;

	for (g = 0; g < v->g; g++) {
		for (j = 0; j <= NK; j++)
			n += acts_at(v, g, 0, j)->withheld != 0;
		for (j = 0; j < NK; j++)
			n += contr_at(v, g, 0, j)->withheld != 0;
		n += (v->part[g].withheld != 0) + (v->newa[g].withheld != 0) +
		     (v->verif[g].withheld != 0);
	}
	return n;
}

/* The published output of one period of the block (its input in). */
static json_t *
snap_output(struct snap *s, const json_t *in, uint64_t k)
{
	json_t *rows = json_array();
	size_t b, g, withheld = 0;

	for (b = 0; b < NBY; b++) {
		const json_t *gr;

		if (s->groups[b] == NULL)
			continue;
		withheld += count_withheld(&s->v[b]);
		json_array_foreach(s->groups[b], g, gr)
		{
			json_t *row = row_json(&s->v[b], g, 0,
			        json_array_get(json_object_get(gr, "rows"), 0),
			        (uint64_t)json_integer_value(
			                json_object_get(gr, "population")));

			json_array_append_new(rows,
			        json_pack("{s:s, s:O?, s:O?, s:O?, s:O?, s:o}",
			                "by", bys[b], "key",
			                json_object_get(gr, "key"), "label",
			                json_object_get(gr, "label"),
			                "collectivities",
			                json_object_get(gr, "collectivities"),
			                "population",
			                json_object_get(gr, "population"),
			                "row", row));
		}
	}
	return json_pack("{s:O?, s:O?, s:O?, s:I, s:I, s:o}", "period",
	        json_object_get(in, "period"), "start",
	        json_object_get(in, "start"), "provisional",
	        json_object_get(in, "provisional"), "threshold", (json_int_t)k,
	        "withheld", (json_int_t)withheld, "rows", rows);
}

/* Whether groups lists the collectivities of the block, in its order. */
static int
same_units(const json_t *groups, const json_t *first)
{
	size_t g;

	if (json_array_size(groups) != json_array_size(first))
		return 0;
	for (g = 0; g < json_array_size(first); g++)
		if (!json_equal(
		            json_object_get(json_array_get(groups, g), "key"),
		            json_object_get(json_array_get(first, g), "key")))
			return 0;
	return 1;
}

/*
 * Reads in: a block ({"periods": [the month's input, then its weeks'],
 * "parts": {"head_out", "head_in", "tail_in": raw collectivity groups}})
 * or one period's input alone. -1 when not of the shape.
 */
static int
block_read(struct block *bk, const json_t *in)
{
	static const char *const names[NPART] = {
	        "head_out", "head_in", "tail_in"};
	const json_t *ps = json_object_get(in, "periods");
	const json_t *parts = json_object_get(in, "parts"), *first;
	size_t p, j;

	if (!json_is_object(in))
		return -1;
	bk->np = ps == NULL ? 1 : json_array_size(ps);
	if (bk->np == 0 || bk->np > NPER || (ps != NULL && !json_is_array(ps)))
		return -1;
	for (p = 0; p < bk->np; p++) {
		bk->in[p] = ps == NULL ? in : json_array_get(ps, p);
		if (snap_read(&bk->s[p], bk->in[p]) != 0)
			return -1;
		if (!same_units(bk->s[p].groups[0], bk->s[0].groups[0]))
			return -1;
	}
	first = bk->s[0].groups[0];
	for (j = 0; j < NPART; j++) {
		const json_t *gs = json_object_get(parts, names[j]);

		if (gs == NULL)
			continue;
		if (bk->np < 2 || !same_units(gs, first) ||
		        view_read(&bk->part[j], gs) != 0 ||
		        bk->part[j].t != 1 ||
		        bk->part[j].members != bk->s[0].v[0].members)
			return -1;
		bk->has[j] = 1;
	}
	/* a first week across the month's start has both its parts */
	if (bk->has[PART_HEAD_OUT] != bk->has[PART_HEAD_IN])
		return -1;
	return 0;
}

static void
block_free(struct block *bk)
{
	size_t p, j;

	for (p = 0; p < NPER; p++)
		snap_free(&bk->s[p]);
	for (j = 0; j < NPART; j++)
		view_free(&bk->part[j]);
}

/* Family f (0 acts and people, 1 new accounts, 2 newly verified) in
   pass pass; added plus the figures it withheld, or -1. */
static long
fam_protect(struct block *bk, int f, int pass, uint64_t k, long added)
{
	long n = f == 0 ? protect_family(bk, fam_people, NPEOPLE, NK + 1,
	                          NK + 1, 1, pass, k)
	                : protect_family(bk, f == 1 ? fam_newa : fam_verif, 1,
	                          0, 1, 0, pass, k);

	return n < 0 ? -1 : added + n;
}

json_t *
metricsnap_publish(const json_t *in, uint64_t k)
{
	struct block bk;
	json_t *out = NULL;
	size_t b, p;
	int changed = 0, rc = 0, pass, f, more = 0;

	memset(&bk, 0, sizeof(bk));
	if (block_read(&bk, in) != 0)
		goto done;
	/* each period's rows first (suppress.c); the people behind
	   withheld acts withheld too, as a first guess; then acts,
	   participants and contributors as one system, their inequalities
	   included */
	for (p = 0; rc == 0 && p < bk.np; p++) {
		rc = guess_rows(&bk.s[p], k);
		for (b = 0; rc == 0 && b < NBY; b++)
			if (bk.s[p].groups[b] != NULL)
				withhold_people(&bk.s[p].v[b], &changed);
	}
	/* each family's figures; a block's parts, then what they withheld */
	for (pass = 1; rc == 0 && pass <= 3; pass++) {
		long added = 0;

		if (pass > 1 && !bk.has[PART_HEAD_IN] && !bk.has[PART_TAIL_IN])
			break;
		if (pass == 3 && !more)
			break;
		for (f = 0; added >= 0 && f < 3; f++)
			added = fam_protect(&bk, f, pass, k, added);
		rc = added < 0 ? -1 : 0;
		more = added > 0;
	}
	if (rc != 0)
		goto done;
	if (json_object_get(in, "periods") == NULL) {
		out = snap_output(&bk.s[0], in, k);
		goto done;
	}
	out = json_pack("{s:O?, s:O?, s:[]}", "period",
	        json_object_get(in, "period"), "start",
	        json_object_get(in, "start"), "snapshots");
	for (p = 0; p < bk.np; p++)
		json_array_append_new(json_object_get(out, "snapshots"),
		        snap_output(&bk.s[p], bk.in[p], k));
done:
	block_free(&bk);
	return out;
}

void
metricsnap_run(const char *in, uint64_t k, struct metricsnap_run *run)
{
	json_t *j = json_loads(in, 0, NULL), *out;
	const char *period = json_string_value(json_object_get(j, "period"));
	const char *start = json_string_value(json_object_get(j, "start"));
	struct timespec t0, t1;

	memset(run, 0, sizeof(*run));
	snprintf(run->period, sizeof(run->period), "%s",
	        period != NULL ? period : "");
	snprintf(run->start, sizeof(run->start), "%s",
	        start != NULL ? start : "");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	out = j != NULL ? metricsnap_publish(j, k) : NULL;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	run->ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	          (t1.tv_nsec - t0.tv_nsec) / 1000000;
	if (out != NULL) {
		const json_t *ss = json_object_get(out, "snapshots");
		size_t i;

		run->withheld =
		        json_integer_value(json_object_get(out, "withheld"));
		for (i = 0; i < json_array_size(ss); i++)
			run->withheld += json_integer_value(json_object_get(
			        json_array_get(ss, i), "withheld"));
		run->out =
		        json_dumps(out, JSON_COMPACT | JSON_REAL_PRECISION(6));
	}
	json_decref(out);
	json_decref(j);
}
