/*
 * pbfile.c - the Pabulib reader, over lib/csv.c
 */
#include "pbfile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "csv.h"

/* A set of strings, for ids: open addressing, indices + 1 (0 empty). */
struct idset {
	size_t *slot;
	size_t cap;
	const char **key; /* key[i] is the string of index i */
};

static size_t
hash(const char *s)
{
	size_t h = 1469598103934665603u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return h;
}

/* The slot of s: where it is, or the empty one where it would go. */
static size_t *
idset_slot(const struct idset *set, const char *s)
{
	size_t i = hash(s) & (set->cap - 1);

	while (set->slot[i] != 0 && strcmp(set->key[set->slot[i] - 1], s) != 0)
		i = (i + 1) & (set->cap - 1);
	return &set->slot[i];
}

/* Index of s among the n keys, or -1. */
static long
idset_find(const struct idset *set, const char *s)
{
	size_t v = set->cap ? *idset_slot(set, s) : 0;

	return v == 0 ? -1 : (long)(v - 1);
}

/*
 * Adds key[n] (the caller has stored it); grows the table to keep it at
 * most half full. 0, or -1 when an equal key is there already.
 */
static int
idset_add(struct idset *set, const char **key, size_t n)
{
	size_t *s, i;

	set->key = key;
	if (2 * (n + 1) > set->cap) {
		size_t old = set->cap, *was = set->slot;

		set->cap = old ? 2 * old : 64;
		set->slot = calloc(set->cap, sizeof(*set->slot));
		if (set->slot == NULL)
			abort();
		for (i = 0; i < old; i++)
			if (was[i] != 0)
				*idset_slot(set, key[was[i] - 1]) = was[i];
		free(was);
	}
	s = idset_slot(set, key[n]);
	if (*s != 0)
		return -1;
	*s = n + 1;
	return 0;
}

/* The reader's state. */
struct rd {
	struct csv csv;
	char *scratch;
	struct csv_field f[PBFILE_MAX_COLUMNS];
	size_t nf;
	size_t last_line; /* line of the last record read */
	int end;
	struct pbfile *pb;
	struct pbfile_error *e;
	const char **voter_ids;
	struct idset projects, voters;
};

static enum err fail(struct rd *r, size_t line, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static enum err
fail(struct rd *r, size_t line, const char *fmt, ...)
{
	va_list ap;

	r->e->line = line;
	va_start(ap, fmt);
	vsnprintf(r->e->reason, sizeof(r->e->reason), fmt, ap);
	va_end(ap);
	return ERR_INVALID;
}

/* Reads the next record; r->end at the end of the buffer. */
static enum err
next(struct rd *r)
{
	enum csv_status st = csv_next(&r->csv, r->scratch, PBFILE_MAX_LINE,
	        r->f, PBFILE_MAX_COLUMNS, &r->nf);

	if (st == CSV_ERROR)
		return fail(r, r->csv.record_line, "%s", r->csv.error);
	r->end = st == CSV_END;
	if (!r->end)
		r->last_line = r->csv.record_line;
	return ERR_OK;
}

static size_t
line(const struct rd *r)
{
	return r->csv.record_line;
}

/* The section the current record is the title of, or NULL. */
static const char *
title(const struct rd *r)
{
	static const char *const titles[] = {"META", "PROJECTS", "VOTES"};
	size_t i;

	if (r->end)
		return NULL;
	for (i = 1; i < r->nf; i++)
		if (r->f[i].len != 0)
			return NULL;
	for (i = 0; i < 3; i++)
		if (strcmp(r->f[0].s, titles[i]) == 0)
			return titles[i];
	return NULL;
}

/* Expects the title of section name, then its header line. */
static enum err
section(struct rd *r, const char *name)
{
	const char *t = title(r);
	enum err e;

	if (r->end)
		return fail(r, r->last_line, "missing section '%s'", name);
	if (t == NULL || strcmp(t, name) != 0)
		return fail(r, line(r), "missing section '%s'%s", name,
		        t == NULL ? " (expected its title line)" : "");
	if ((e = next(r)) != ERR_OK)
		return e;
	if (r->end || title(r) != NULL)
		return fail(r, r->end ? r->last_line : line(r),
		        "section '%s' has no header line", name);
	return ERR_OK;
}

/*
 * Parses a positive integer of decimal digits (no sign, no space) at most
 * UINT64_MAX; 0 and anything else is -1.
 */
static int
positive(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return v > 0 ? 0 : -1;
}

/* Index of column name in the header just read, or -1; -2 if repeated. */
static int
header_find(const struct rd *r, const char *name)
{
	int found = -1;
	size_t i;

	for (i = 0; i < r->nf; i++)
		if (strcmp(r->f[i].s, name) == 0) {
			if (found >= 0)
				return -2;
			found = (int)i;
		}
	return found;
}

/* Finds a required column of section sec; -1 after fail(). */
static int
need_column(struct rd *r, const char *sec, const char *name, enum err *e)
{
	int i = header_find(r, name);

	if (i == -1)
		*e = fail(r, line(r), "%s has no column '%s'", sec, name);
	else if (i == -2)
		*e = fail(r, line(r), "%s has column '%s' twice", sec, name);
	return i < 0 ? -1 : i;
}

static enum err
read_meta(struct rd *r)
{
	struct pbfile *pb = r->pb;
	size_t cap = 0, meta_line = line(r), i;
	const char *budget = NULL;
	size_t budget_line = 0;
	enum err e;

	if ((e = section(r, "META")) != ERR_OK)
		return e;
	for (;;) {
		if ((e = next(r)) != ERR_OK)
			return e;
		if (r->end || title(r) != NULL)
			break;
		if (r->nf != 2)
			return fail(r, line(r),
			        "META row has %zu fields, expected key;value",
			        r->nf);
		if (pbfile_meta_get(pb, r->f[0].s) != NULL)
			return fail(r, line(r), "META key '%s' is repeated",
			        r->f[0].s);
		if (pb->nmeta == cap) {
			cap = cap ? 2 * cap : 32;
			pb->meta =
			        xreallocarray(pb->meta, cap, sizeof(*pb->meta));
		}
		pb->meta[pb->nmeta].key = arena_strdup(pb->arena, r->f[0].s);
		pb->meta[pb->nmeta].value = arena_strdup(pb->arena, r->f[1].s);
		if (strcmp(r->f[0].s, "budget") == 0) {
			budget = pb->meta[pb->nmeta].value;
			budget_line = line(r);
		}
		pb->nmeta++;
	}
	if (budget == NULL)
		return fail(r, meta_line, "META has no 'budget'");
	if (positive(budget, strlen(budget), &pb->budget) != 0)
		return fail(r, budget_line,
		        "budget '%s' is not a positive integer", budget);
	for (i = 0; i < pb->nmeta; i++)
		if (strcmp(pb->meta[i].key, "vote_type") == 0)
			pb->vote_type = pb->meta[i].value;
	if (pb->vote_type == NULL)
		pb->vote_type = "approval";
	return ERR_OK;
}

static enum err
read_projects(struct rd *r)
{
	struct pbfile *pb = r->pb;
	size_t cap = 0, i, nc;
	int cid, ccost, cname;
	const char **ids = NULL;
	enum err e = ERR_OK;

	if ((e = section(r, "PROJECTS")) != ERR_OK)
		return e;
	if ((cid = need_column(r, "PROJECTS", "project_id", &e)) < 0 ||
	        (ccost = need_column(r, "PROJECTS", "cost", &e)) < 0)
		return e;
	nc = pb->ncolumns = r->nf;
	pb->project_columns = arena_alloc(pb->arena, nc * sizeof(char *));
	for (i = 0; i < nc; i++) {
		pb->project_columns[i] = arena_strdup(pb->arena, r->f[i].s);
		if (header_find(r, r->f[i].s) == -2)
			return fail(r, line(r),
			        "PROJECTS has column '%s' twice", r->f[i].s);
	}
	cname = header_find(r, "name");
	for (;;) {
		struct pbfile_project *p;

		if ((e = next(r)) != ERR_OK)
			goto done;
		if (r->end || title(r) != NULL)
			break;
		if (r->nf != nc) {
			e = fail(r, line(r),
			        "project row has %zu fields, the header %zu",
			        r->nf, nc);
			goto done;
		}
		if (pb->nprojects == PBFILE_MAX_PROJECTS) {
			e = fail(r, line(r), "more than %d projects",
			        PBFILE_MAX_PROJECTS);
			goto done;
		}
		if (pb->nprojects == cap) {
			cap = cap ? 2 * cap : 64;
			pb->projects = xreallocarray(
			        pb->projects, cap, sizeof(*pb->projects));
			ids = xreallocarray(ids, cap, sizeof(*ids));
		}
		p = &pb->projects[pb->nprojects];
		memset(p, 0, sizeof(*p));
		p->line = line(r);
		p->fields = arena_alloc(pb->arena, nc * sizeof(char *));
		for (i = 0; i < nc; i++)
			p->fields[i] = arena_strdup(pb->arena, r->f[i].s);
		p->id = ids[pb->nprojects] = p->fields[cid];
		p->name = cname >= 0 ? p->fields[cname] : "";
		if (r->f[cid].len == 0) {
			e = fail(r, line(r), "empty project_id");
			goto done;
		}
		if (idset_add(&r->projects, ids, pb->nprojects) != 0) {
			e = fail(
			        r, line(r), "duplicate project_id '%s'", p->id);
			goto done;
		}
		if (positive(r->f[ccost].s, r->f[ccost].len, &p->cost) != 0) {
			e = fail(r, line(r),
			        "cost '%s' of project '%s' is not a positive "
			        "integer",
			        r->f[ccost].s, p->id);
			goto done;
		}
		pb->nprojects++;
	}
done:
	if (e != ERR_OK) {
		free(ids);
		r->projects.key = NULL;
		return e;
	}
	/* The set keeps pointing at ids: copy them where they live on. */
	r->projects.key = arena_alloc(pb->arena,
	        (pb->nprojects ? pb->nprojects : 1) * sizeof(char *));
	if (pb->nprojects > 0)
		memcpy(r->projects.key, ids, pb->nprojects * sizeof(char *));
	free(ids);
	return ERR_OK;
}

/* Splits s at ',' in place: pieces, without ASCII spaces around each. */
static size_t
split(char *s, char **out, size_t max)
{
	size_t n = 0;
	char *p = s;

	if (*s == '\0')
		return 0;
	for (;;) {
		char *end = strchr(p, ','), *q;

		if (end != NULL)
			*end = '\0';
		while (*p == ' ')
			p++;
		q = p + strlen(p);
		while (q > p && q[-1] == ' ')
			*--q = '\0';
		if (n < max)
			out[n] = p;
		n++;
		if (end == NULL)
			return n;
		p = end + 1;
	}
}

/* Counts the pieces split() will make. */
static size_t
pieces(const char *s)
{
	size_t n = *s != '\0';

	for (; *s != '\0'; s++)
		n += *s == ',';
	return n;
}

/* Parses the current VOTES row into v. */
static enum err
read_vote(struct rd *r, struct pbfile_vote *v, int cvote, int cpoints,
        size_t *stamp, size_t voter)
{
	struct pbfile *pb = r->pb;
	size_t i, n = pieces(r->f[cvote].s);
	char **item = arena_alloc(pb->arena, (n ? n : 1) * sizeof(char *));

	v->n = split((char *)r->f[cvote].s, item, n);
	v->projects = arena_alloc(pb->arena, (n ? n : 1) * sizeof(size_t));
	for (i = 0; i < n; i++) {
		long p;

		if (item[i][0] == '\0')
			return fail(r, line(r), "vote has an empty project id");
		if ((p = idset_find(&r->projects, item[i])) < 0)
			return fail(r, line(r),
			        "vote names unknown project '%s'", item[i]);
		if (stamp[p] == voter + 1)
			return fail(r, line(r), "vote names project '%s' twice",
			        item[i]);
		stamp[p] = voter + 1;
		pb->projects[p].votes++;
		v->projects[i] = (size_t)p;
	}
	if (cpoints < 0)
		return ERR_OK;
	if (pieces(r->f[cpoints].s) != n)
		return fail(r, line(r), "%zu points for %zu projects in vote",
		        pieces(r->f[cpoints].s), n);
	split((char *)r->f[cpoints].s, item, n);
	v->points = arena_alloc(pb->arena, (n ? n : 1) * sizeof(uint64_t));
	for (i = 0; i < n; i++)
		if (positive(item[i], strlen(item[i]), &v->points[i]) != 0)
			return fail(r, line(r),
			        "points '%s' are not a positive integer",
			        item[i]);
	return ERR_OK;
}

static enum err
read_votes(struct rd *r)
{
	struct pbfile *pb = r->pb;
	size_t cap = 0, nc, *stamp;
	int cvoter, cvote, cpoints = -1;
	enum err e = ERR_OK;
	int need_points = strcmp(pb->vote_type, "cumulative") == 0 ||
	                  strcmp(pb->vote_type, "scoring") == 0;

	if ((e = section(r, "VOTES")) != ERR_OK)
		return e;
	if ((cvoter = need_column(r, "VOTES", "voter_id", &e)) < 0 ||
	        (cvote = need_column(r, "VOTES", "vote", &e)) < 0)
		return e;
	if (need_points || header_find(r, "points") != -1)
		if ((cpoints = need_column(r, "VOTES", "points", &e)) < 0)
			return e;
	nc = r->nf;
	stamp = calloc(pb->nprojects ? pb->nprojects : 1, sizeof(*stamp));
	if (stamp == NULL)
		abort();
	for (;;) {
		struct pbfile_vote *v;

		if ((e = next(r)) != ERR_OK || r->end)
			break;
		if (r->nf != nc) {
			e = fail(r, line(r),
			        "vote row has %zu fields, the header %zu",
			        r->nf, nc);
			break;
		}
		if (pb->nvotes == PBFILE_MAX_VOTERS) {
			e = fail(r, line(r), "more than %d voters",
			        PBFILE_MAX_VOTERS);
			break;
		}
		if (pb->nvotes == cap) {
			cap = cap ? 2 * cap : 1024;
			pb->votes = xreallocarray(
			        pb->votes, cap, sizeof(*pb->votes));
			r->voter_ids = xreallocarray(
			        r->voter_ids, cap, sizeof(char *));
		}
		v = &pb->votes[pb->nvotes];
		memset(v, 0, sizeof(*v));
		v->line = line(r);
		v->voter_id = r->voter_ids[pb->nvotes] =
		        arena_strdup(pb->arena, r->f[cvoter].s);
		if (r->f[cvoter].len == 0) {
			e = fail(r, line(r), "empty voter_id");
			break;
		}
		if (idset_add(&r->voters, r->voter_ids, pb->nvotes) != 0) {
			e = fail(r, line(r), "duplicate voter_id '%s'",
			        v->voter_id);
			break;
		}
		if ((e = read_vote(r, v, cvote, cpoints, stamp, pb->nvotes)) !=
		        ERR_OK)
			break;
		pb->nvotes++;
	}
	free(stamp);
	return e;
}

enum err
pbfile_parse(
        const char *buf, size_t len, struct pbfile *pb, struct pbfile_error *e)
{
	struct rd *r = calloc(1, sizeof(*r));
	enum err err;

	if (r == NULL)
		abort();
	memset(pb, 0, sizeof(*pb));
	memset(e, 0, sizeof(*e));
	pb->arena = arena_new(len + 4096);
	r->pb = pb;
	r->e = e;
	r->last_line = 1;
	r->scratch = malloc(PBFILE_MAX_LINE);
	if (r->scratch == NULL)
		abort();
	csv_init(&r->csv, buf, len);
	r->csv.sep = ';';
	if ((err = next(r)) == ERR_OK && r->end)
		err = fail(r, 1, "empty file");
	if (err == ERR_OK)
		err = read_meta(r);
	if (err == ERR_OK)
		err = read_projects(r);
	if (err == ERR_OK)
		err = read_votes(r);
	free(r->projects.slot);
	free(r->voters.slot);
	free(r->voter_ids);
	free(r->scratch);
	free(r);
	if (err != ERR_OK) {
		pbfile_release(pb);
		return err;
	}
	return ERR_OK;
}

const char *
pbfile_meta_get(const struct pbfile *pb, const char *key)
{
	size_t i;

	for (i = 0; i < pb->nmeta; i++)
		if (strcmp(pb->meta[i].key, key) == 0)
			return pb->meta[i].value;
	return NULL;
}

int
pbfile_column(const struct pbfile *pb, const char *name)
{
	size_t i;

	for (i = 0; i < pb->ncolumns; i++)
		if (strcmp(pb->project_columns[i], name) == 0)
			return (int)i;
	return -1;
}

void
pbfile_instance(struct pbfile *pb, struct outcome_instance *in)
{
	struct outcome_project *p;
	struct outcome_ballot *b;
	int ordinal = strcmp(pb->vote_type, "ordinal") == 0;
	size_t i, j;

	p = arena_alloc(pb->arena, (pb->nprojects + 1) * sizeof(*p));
	b = arena_alloc(pb->arena, (pb->nvotes + 1) * sizeof(*b));
	for (i = 0; i < pb->nprojects; i++) {
		p[i].id = pb->projects[i].id;
		p[i].cost = pb->projects[i].cost;
	}
	for (i = 0; i < pb->nvotes; i++) {
		const struct pbfile_vote *v = &pb->votes[i];
		uint64_t *pts = v->points;

		if (pts == NULL && ordinal) {
			pts = arena_alloc(pb->arena, (v->n + 1) * sizeof(*pts));
			for (j = 0; j < v->n; j++)
				pts[j] = v->n - j;
		}
		b[i].projects = v->projects;
		b[i].points = pts;
		b[i].n = v->n;
	}
	in->projects = p;
	in->nprojects = pb->nprojects;
	in->ballots = b;
	in->nballots = pb->nvotes;
	in->budget = pb->budget;
}

int
pbfile_threshold(const struct pbfile *pb, uint64_t *min_votes)
{
	const char *t = pbfile_meta_get(pb, "min_project_score_threshold");

	*min_votes = 0;
	if (t == NULL || *t == '\0')
		return 0;
	if (strcmp(t, "0") == 0)
		return 0;
	return positive(t, strlen(t), min_votes);
}

void
pbfile_release(struct pbfile *pb)
{
	free(pb->meta);
	free(pb->projects);
	free(pb->votes);
	arena_free(pb->arena);
	memset(pb, 0, sizeof(*pb));
}
