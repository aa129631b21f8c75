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
 * members'.
 */
#include "metricsnap.h"

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

/*
 * Protects one family: ncols figures per unit, the first nrow of them a
 * unit's total and what adds up to it (0: none), and the people
 * relations when people. 0, or -1 when it does not add up or the solver
 * failed.
 */
static int
protect_family(struct snap *s, fam_at at, size_t ncols, size_t nrow, int people,
        uint64_t k)
{
	struct lpaudit a;
	size_t *base[NBY] = {NULL}, b, g, j, m, *tmp;
	size_t most = ncols;
	int rc = 0;

	lpaudit_init(&a);
	for (b = 0; b < NBY; b++) {
		if (s->groups[b] == NULL)
			continue;
		base[b] = malloc((s->v[b].g + 1) * sizeof(size_t));
		if (base[b] == NULL)
			abort();
		for (g = 0; g < s->v[b].g; g++) {
			base[b][g] = a.n;
			for (j = 0; j < ncols; j++) {
				struct fig *f = at(&s->v[b], g, j);

				lpaudit_fig(&a, f->value, f->people,
				        tier(b, j, nrow > 0),
				        f->withheld ? SUPPRESS_SECONDARY
				                    : SUPPRESS_NONE);
			}
		}
	}
	if (s->v[0].g > most)
		most = s->v[0].g;
	tmp = malloc((most + 1) * sizeof(*tmp));
	if (tmp == NULL)
		abort();
	for (b = 0; b < NBY; b++) {
		if (s->groups[b] == NULL)
			continue;
		for (g = 0; g < s->v[b].g; g++) {
			if (nrow > 0) {
				for (j = 1; j < nrow; j++)
					tmp[j - 1] = base[b][g] + j;
				lpaudit_sum(&a, base[b][g], tmp, nrow - 1);
			}
			if (b == 0) {
				if (people)
					people_relations(&a, base[b][g]);
				continue;
			}
			for (j = 0; j < ncols; j++) {
				size_t n = 0;

				for (m = s->members[b][g];
				        m < s->members[b][g + 1]; m++)
					tmp[n++] = base[0][s->mem[m]] + j;
				lpaudit_sum(&a, base[b][g] + j, tmp, n);
			}
		}
	}
	if (lpaudit_protect(&a, k) != ERR_OK)
		rc = -1;
	for (b = 0; rc == 0 && b < NBY; b++) {
		if (s->groups[b] == NULL)
			continue;
		for (g = 0; g < s->v[b].g; g++)
			for (j = 0; j < ncols; j++)
				at(&s->v[b], g, j)->withheld =
				        a.figs[base[b][g] + j].why !=
				        SUPPRESS_NONE;
	}
	for (b = 0; b < NBY; b++)
		free(base[b]);
	free(tmp);
	lpaudit_release(&a);
	return rc;
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
			n += acts_at(v, g, 0, j)->withheld;
		for (j = 0; j < NK; j++)
			n += contr_at(v, g, 0, j)->withheld;
		n += v->part[g].withheld + v->newa[g].withheld +
		     v->verif[g].withheld;
	}
	return n;
}

json_t *
metricsnap_publish(const json_t *in, uint64_t k)
{
	struct snap s;
	json_t *out = NULL, *rows;
	size_t b, g, withheld = 0;
	int changed = 0, rc;

	memset(&s, 0, sizeof(s));
	if (!json_is_object(in) || snap_read(&s, in) != 0)
		goto done;
	rc = guess_rows(&s, k);
	/* the people behind withheld acts withheld too, as a first guess;
	   then acts, participants and contributors as one system, their
	   inequalities included */
	for (b = 0; rc == 0 && b < NBY; b++)
		if (s.groups[b] != NULL)
			withhold_people(&s.v[b], &changed);
	if (rc == 0)
		rc = protect_family(&s, fam_people, NPEOPLE, NK + 1, 1, k);
	if (rc == 0)
		rc = protect_family(&s, fam_newa, 1, 0, 0, k);
	if (rc == 0)
		rc = protect_family(&s, fam_verif, 1, 0, 0, k);
	if (rc != 0)
		goto done;
	rows = json_array();
	for (b = 0; b < NBY; b++) {
		const json_t *gr;

		if (s.groups[b] == NULL)
			continue;
		withheld += count_withheld(&s.v[b]);
		json_array_foreach(s.groups[b], g, gr)
		{
			json_t *row = row_json(&s.v[b], g, 0,
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
	out = json_pack("{s:O?, s:O?, s:O?, s:I, s:I, s:o}", "period",
	        json_object_get(in, "period"), "start",
	        json_object_get(in, "start"), "provisional",
	        json_object_get(in, "provisional"), "threshold", (json_int_t)k,
	        "withheld", (json_int_t)withheld, "rows", rows);
done:
	snap_free(&s);
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
		run->withheld =
		        json_integer_value(json_object_get(out, "withheld"));
		run->out =
		        json_dumps(out, JSON_COMPACT | JSON_REAL_PRECISION(6));
	}
	json_decref(out);
	json_decref(j);
}
