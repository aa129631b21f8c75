/*
 * metricsview.c - the published participation figures, small cells
 * withheld (metricsview.h)
 */
#include "metricsview.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metricsview_view.h"
#include "suppress.h"

static const char *const kinds[NK] = {
        "response", "proposal", "support", "comment", "ballot"};

/* A table of rows x cols figures (cells row-major), with row totals, column
   totals and a grand total where not NULL. */
struct ftable {
	size_t rows, cols;
	struct fig **cells, **rowtot, **coltot, *grand;
};

/* The figure of ft at (i, j) as suppress_at() numbers them, or NULL. */
static struct fig *
ft_fig(const struct ftable *ft, size_t i, size_t j)
{
	if (i < ft->rows && j < ft->cols)
		return ft->cells[i * ft->cols + j];
	if (i < ft->rows && j == ft->cols)
		return ft->rowtot != NULL ? ft->rowtot[i] : NULL;
	if (i == ft->rows && j < ft->cols)
		return ft->coltot != NULL ? ft->coltot[j] : NULL;
	return ft->grand;
}

/* Runs lib/suppress.c on ft; sets *changed when it withholds more. */
static int
run(const struct ftable *ft, uint64_t k, int *changed)
{
	struct suppress_table st;
	unsigned margins = (ft->rowtot ? SUPPRESS_ROW_TOTALS : 0) |
	                   (ft->coltot ? SUPPRESS_COL_TOTALS : 0) |
	                   (ft->grand ? SUPPRESS_GRAND_TOTAL : 0);
	size_t i, j;
	int rc = 0;

	suppress_table_init(&st, ft->rows, ft->cols, margins);
	for (i = 0; i <= ft->rows; i++)
		for (j = 0; j <= ft->cols; j++) {
			struct fig *f = ft_fig(ft, i, j);
			struct suppress_cell *c = suppress_at(&st, i, j);

			if (f == NULL)
				continue;
			c->value = f->value;
			c->people = f->people;
			c->why = f->withheld ? SUPPRESS_SECONDARY
			                     : SUPPRESS_NONE;
		}
	if (suppress_table(&st, k) != ERR_OK)
		rc = -1;
	for (i = 0; rc == 0 && i <= ft->rows; i++)
		for (j = 0; j <= ft->cols; j++) {
			struct fig *f = ft_fig(ft, i, j);

			if (f != NULL && !f->withheld &&
			        suppress_at(&st, i, j)->why != SUPPRESS_NONE) {
				f->withheld = 1;
				*changed = 1;
			}
		}
	suppress_table_release(&st);
	return rc;
}

/* A column of n figures (a list, no totals) or with total when not NULL. */
static int
run_list(struct fig **cells, size_t n, struct fig *total, uint64_t k,
        int *changed)
{
	struct ftable ft = {
	        n, 1, cells, NULL, total != NULL ? &total : NULL, NULL};

	return run(&ft, k, changed);
}

/* The tables of group g over its periods. */
static int
group_tables(struct view *v, size_t g, uint64_t k, int *changed,
        struct fig **cells, struct fig **tot)
{
	size_t t, j;
	struct ftable ft;
	struct fig *lists[3] = {NULL, NULL, NULL};
	int rc = 0;

	/* contributions by kind, each period's total of all kinds */
	for (t = 0; t < v->t; t++) {
		for (j = 0; j < NK; j++)
			cells[t * NK + j] = acts_at(v, g, t, j + 1);
		tot[t] = acts_at(v, g, t, 0);
	}
	ft = (struct ftable){v->t, NK, cells, tot, NULL, NULL};
	rc |= run(&ft, k, changed);
	/* contributors by kind: no totals (people are not added up) */
	for (t = 0; t < v->t; t++)
		for (j = 0; j < NK; j++)
			cells[t * NK + j] = contr_at(v, g, t, j);
	ft = (struct ftable){v->t, NK, cells, NULL, NULL, NULL};
	rc |= run(&ft, k, changed);
	lists[0] = v->part + g * v->t;
	lists[1] = v->members ? v->newa + g * v->t : NULL;
	lists[2] = v->members ? v->verif + g * v->t : NULL;
	for (j = 0; j < 3; j++) {
		if (lists[j] == NULL)
			continue;
		for (t = 0; t < v->t; t++)
			cells[t] = lists[j] + t;
		rc |= run_list(cells, v->t, NULL, k, changed);
	}
	if (v->members) {
		cells[0] = &v->stock[g];
		rc |= run_list(cells, 1, NULL, k, changed);
	}
	return rc;
}

/* The tables of period t across the groups, totalled nationally. */
static int
period_tables(struct view *v, size_t t, uint64_t k, int *changed,
        struct fig **cells, struct fig **tot)
{
	struct fig *ctot[NK + 1];
	struct fig *lists[3], *ntot[3];
	struct ftable ft;
	size_t g, j;
	int rc = 0;

	for (g = 0; g < v->g; g++) {
		for (j = 0; j < NK; j++)
			cells[g * NK + j] = acts_at(v, g, t, j + 1);
		tot[g] = acts_at(v, g, t, 0);
	}
	for (j = 0; j < NK; j++)
		ctot[j] = &v->nacts[t * (NK + 1) + j + 1];
	ft = (struct ftable){
	        v->g, NK, cells, tot, ctot, &v->nacts[t * (NK + 1)]};
	rc |= run(&ft, k, changed);
	for (g = 0; g < v->g; g++)
		for (j = 0; j < NK; j++)
			cells[g * NK + j] = contr_at(v, g, t, j);
	for (j = 0; j < NK; j++)
		ctot[j] = &v->ncontr[t * NK + j];
	ft = (struct ftable){v->g, NK, cells, NULL, ctot, NULL};
	rc |= run(&ft, k, changed);
	lists[0] = v->part;
	ntot[0] = &v->npart[t];
	lists[1] = v->members ? v->newa : NULL;
	ntot[1] = &v->nnewa[t];
	lists[2] = v->members ? v->verif : NULL;
	ntot[2] = &v->nverif[t];
	for (j = 0; j < 3; j++) {
		if (lists[j] == NULL)
			continue;
		for (g = 0; g < v->g; g++)
			cells[g] = lists[j] + g * v->t + t;
		rc |= run_list(cells, v->g, ntot[j], k, changed);
	}
	return rc;
}

/*
 * Withholds the count of people behind each withheld count of acts: a
 * kind's acts are at least its contributors, and a period's acts at least
 * its participants, so a published count of people would bound a withheld
 * count of acts from below (and, through a published total, the others
 * from above). Sets *changed when it withholds more.
 */
void
withhold_people(struct view *v, int *changed)
{
	size_t g, t, j;

	for (g = 0; g < v->g; g++)
		for (t = 0; t < v->t; t++) {
			struct fig *part = &v->part[g * v->t + t];

			for (j = 0; j < NK; j++) {
				struct fig *c = contr_at(v, g, t, j);

				if (acts_at(v, g, t, j + 1)->withheld &&
				        !c->withheld) {
					c->withheld = 1;
					*changed = 1;
				}
			}
			if (acts_at(v, g, t, 0)->withheld && !part->withheld) {
				part->withheld = 1;
				*changed = 1;
			}
		}
}

/* Withholds until every table is protected. */
static int
protect(struct view *v, uint64_t k)
{
	size_t n = (v->g > v->t ? v->g : v->t) * (NK + 1) + 1;
	struct fig **cells = calloc(n, sizeof(*cells));
	struct fig **tot = calloc(n, sizeof(*tot));
	int changed, rc = 0;
	size_t i;

	if (cells == NULL || tot == NULL)
		rc = -1;
	do {
		changed = 0;
		for (i = 0; rc == 0 && i < v->g; i++)
			rc |= group_tables(v, i, k, &changed, cells, tot);
		for (i = 0; rc == 0 && v->g > 1 && i < v->t; i++)
			rc |= period_tables(v, i, k, &changed, cells, tot);
		if (rc == 0 && v->g > 1 && v->members) {
			for (i = 0; i < v->g; i++)
				cells[i] = &v->stock[i];
			rc |= run_list(cells, v->g, &v->nstock, k, &changed);
		}
		withhold_people(v, &changed);
	} while (rc == 0 && changed);
	free(cells);
	free(tot);
	return rc;
}

/* The unsigned integer member key of o (0 when absent or null). */
static uint64_t
num(const json_t *o, const char *key)
{
	json_int_t n = json_integer_value(json_object_get(o, key));

	return n > 0 ? (uint64_t)n : 0;
}

/* A people figure of value and people n. */
static void
set_fig(struct fig *f, uint64_t value, uint64_t people)
{
	f->value = value;
	f->people = people;
	f->withheld = 0;
}

/* Reads raw's groups into v; -1 when they are not of the shape. */
int
view_read(struct view *v, const json_t *groups)
{
	size_t g, t, j;
	const json_t *first =
	        json_object_get(json_array_get(groups, 0), "rows");

	memset(v, 0, sizeof(*v));
	v->g = json_array_size(groups);
	v->t = json_array_size(first);
	if (v->g == 0 || v->t == 0)
		return 0;
	v->members = json_is_integer(
	        json_object_get(json_array_get(first, 0), "new_accounts"));
	v->acts = calloc(v->g * v->t * (NK + 1), sizeof(*v->acts));
	v->contr = calloc(v->g * v->t * NK, sizeof(*v->contr));
	v->part = calloc(v->g * v->t, sizeof(*v->part));
	v->newa = calloc(v->g * v->t, sizeof(*v->newa));
	v->verif = calloc(v->g * v->t, sizeof(*v->verif));
	v->stock = calloc(v->g, sizeof(*v->stock));
	v->nacts = calloc(v->t * (NK + 1), sizeof(*v->nacts));
	v->ncontr = calloc(v->t * NK, sizeof(*v->ncontr));
	v->npart = calloc(v->t, sizeof(*v->npart));
	v->nnewa = calloc(v->t, sizeof(*v->nnewa));
	v->nverif = calloc(v->t, sizeof(*v->nverif));
	if (!v->acts || !v->contr || !v->part || !v->newa || !v->verif ||
	        !v->stock || !v->nacts || !v->ncontr || !v->npart ||
	        !v->nnewa || !v->nverif)
		return -1;
	for (g = 0; g < v->g; g++) {
		const json_t *rows =
		        json_object_get(json_array_get(groups, g), "rows");

		if (json_array_size(rows) != v->t)
			return -1;
		for (t = 0; t < v->t; t++) {
			const json_t *r = json_array_get(rows, t);
			const json_t *pe = json_object_get(r, "people");
			const json_t *ac = json_object_get(r, "acts");
			uint64_t sum = 0;

			for (j = 0; j < NK; j++) {
				set_fig(acts_at(v, g, t, j + 1),
				        num(ac, kinds[j]), num(pe, kinds[j]));
				set_fig(contr_at(v, g, t, j), num(pe, kinds[j]),
				        num(pe, kinds[j]));
				sum += num(ac, kinds[j]);
			}
			/* all kinds: their sum (the table adds up), described
			   by the participants */
			set_fig(acts_at(v, g, t, 0), sum, num(pe, "any"));
			set_fig(&v->part[g * v->t + t], num(pe, "any"),
			        num(pe, "any"));
			set_fig(&v->newa[g * v->t + t], num(r, "new_accounts"),
			        num(r, "new_accounts"));
			set_fig(&v->verif[g * v->t + t], num(r, "verified_new"),
			        num(r, "verified_new"));
		}
		set_fig(&v->stock[g],
		        num(json_array_get(groups, g), "verified_total"),
		        num(json_array_get(groups, g), "verified_total"));
	}
	/* national sums: every group's figure added */
	for (t = 0; t < v->t; t++)
		for (g = 0; g < v->g; g++) {
			for (j = 0; j <= NK; j++) {
				v->nacts[t * (NK + 1) + j].value +=
				        acts_at(v, g, t, j)->value;
				v->nacts[t * (NK + 1) + j].people +=
				        acts_at(v, g, t, j)->people;
			}
			for (j = 0; j < NK; j++) {
				v->ncontr[t * NK + j].value +=
				        contr_at(v, g, t, j)->value;
				v->ncontr[t * NK + j].people +=
				        contr_at(v, g, t, j)->people;
			}
			v->npart[t].value += v->part[g * v->t + t].value;
			v->npart[t].people += v->part[g * v->t + t].people;
			v->nnewa[t].value += v->newa[g * v->t + t].value;
			v->nnewa[t].people += v->newa[g * v->t + t].people;
			v->nverif[t].value += v->verif[g * v->t + t].value;
			v->nverif[t].people += v->verif[g * v->t + t].people;
			if (t == 0) {
				v->nstock.value += v->stock[g].value;
				v->nstock.people += v->stock[g].people;
			}
		}
	return 0;
}

void
view_free(struct view *v)
{
	free(v->acts);
	free(v->contr);
	free(v->part);
	free(v->newa);
	free(v->verif);
	free(v->stock);
	free(v->nacts);
	free(v->ncontr);
	free(v->npart);
	free(v->nnewa);
	free(v->nverif);
}

/* {"value": n} or {"value": null, "suppressed": true}. */
static json_t *
fig_json(const struct fig *f)
{
	return f->withheld ? json_pack("{s:n, s:b}", "value", "suppressed", 1)
	                   : json_pack("{s:I}", "value", (json_int_t)f->value);
}

/* One published row of group g, period t (raw row r). */
json_t *
row_json(const struct view *v, size_t g, size_t t, const json_t *r,
        uint64_t population)
{
	const struct fig *part = &v->part[g * v->t + t];
	const struct fig *prop = acts_at(v, g, t, 2);
	const json_t *pr = json_object_get(r, "proposals");
	json_t *o = json_object(), *c = json_object(), *p = json_object();
	json_t *rate;
	size_t j;

	for (j = 0; j < NK; j++) {
		json_object_set_new(
		        c, kinds[j], fig_json(acts_at(v, g, t, j + 1)));
		json_object_set_new(
		        p, kinds[j], fig_json(contr_at(v, g, t, j)));
	}
	json_object_set_new(c, "total", fig_json(acts_at(v, g, t, 0)));
	if (part->withheld)
		rate = json_pack("{s:n, s:b}", "value", "suppressed", 1);
	else if (population == 0)
		rate = json_pack("{s:n}", "value");
	else
		rate = json_pack("{s:f}", "value",
		        round((double)part->value / (double)population * 1e4) /
		                1e4);
	json_object_set_new(
	        o, "start", json_deep_copy(json_object_get(r, "start")));
	json_object_set_new(o, "participants", fig_json(part));
	json_object_set_new(o, "participation_rate", rate);
	json_object_set_new(o, "contributions", c);
	json_object_set_new(o, "contributors", p);
	if (v->members) {
		json_object_set_new(
		        o, "new_accounts", fig_json(&v->newa[g * v->t + t]));
		json_object_set_new(
		        o, "verified_new", fig_json(&v->verif[g * v->t + t]));
	}
	json_object_set_new(o, "processes",
	        json_deep_copy(json_object_get(r, "processes")));
	/* proposals published are the contribution of that kind; answered
	   ones are withheld with it */
	json_object_set_new(o, "proposals",
	        json_pack("{s:o, s:o, s:O?, s:O?}", "published", fig_json(prop),
	                "answered",
	                prop->withheld
	                        ? json_pack("{s:n, s:b}", "value", "suppressed",
	                                  1)
	                        : json_pack("{s:I}", "value",
	                                  (json_int_t)num(pr, "answered")),
	                "answers", json_object_get(pr, "answers"),
	                "median_answer_days",
	                json_object_get(pr, "median_answer_days")));
	return o;
}

json_t *
metricsview_publish(const json_t *raw, uint64_t k)
{
	const json_t *groups = json_object_get(raw, "groups"), *gr, *val;
	const char *key;
	struct view v;
	json_t *out = NULL, *og;
	size_t g, t;

	if (!json_is_object(raw) || !json_is_array(groups))
		return NULL;
	if (view_read(&v, groups) != 0 || protect(&v, k) != 0)
		goto done;
	out = json_object();
	json_object_foreach((json_t *)raw, key, val)
	{
		if (strcmp(key, "groups") != 0)
			json_object_set_new(out, key, json_deep_copy(val));
	}
	json_object_set_new(out, "suppression",
	        json_pack("{s:I}", "threshold", (json_int_t)k));
	og = json_array();
	json_object_set_new(out, "groups", og);
	json_array_foreach(groups, g, gr)
	{
		const json_t *rows = json_object_get(gr, "rows");
		uint64_t population = num(gr, "population");
		json_t *o = json_pack("{s:O?, s:O?, s:O?, s:O?}", "key",
		        json_object_get(gr, "key"), "label",
		        json_object_get(gr, "label"), "collectivities",
		        json_object_get(gr, "collectivities"), "population",
		        json_object_get(gr, "population"));
		json_t *orows = json_array();

		for (t = 0; t < v.t; t++)
			json_array_append_new(orows,
			        row_json(&v, g, t, json_array_get(rows, t),
			                population));
		if (v.members && v.t > 0)
			json_object_set_new(
			        o, "verified_total", fig_json(&v.stock[g]));
		json_object_set_new(o, "rows", orows);
		json_array_append_new(og, o);
	}
done:
	view_free(&v);
	return out;
}

/* Appends the CSV field s (RFC 4180 quoting) to the growing line. */
static void
csv_put(json_t *line, const char *s)
{
	json_array_append_new(line, json_string(s != NULL ? s : ""));
}

/* A JSON number as CSV text (decimals: how many for a real), or "". */
static void
csv_number(json_t *line, const json_t *v, int decimals)
{
	char buf[32];

	if (json_is_integer(v))
		snprintf(buf, sizeof(buf), "%lld",
		        (long long)json_integer_value(v));
	else if (json_is_number(v))
		snprintf(buf, sizeof(buf), "%.*f", decimals,
		        json_number_value(v));
	else
		buf[0] = '\0';
	csv_put(line, buf);
}

/* A figure's CSV field, and its column name in withheld when it is. */
static void
csv_fig(json_t *line, const json_t *f, const char *name, json_t *withheld)
{
	if (json_is_true(json_object_get(f, "suppressed")))
		json_array_append_new(withheld, json_string(name));
	csv_number(line, json_object_get(f, "value"), 4);
}

/* A plain number's CSV field. */
static void
csv_num(json_t *line, const json_t *v)
{
	csv_number(line, v, 1);
}

/* Writes the fields of line, quoted as RFC 4180 wants, then CRLF. */
static int
csv_line(char **buf, size_t *len, size_t *cap, const json_t *line)
{
	const json_t *f;
	size_t i;

	json_array_foreach(line, i, f)
	{
		const char *s = json_string_value(f), *c;
		int quote = strpbrk(s, ",\"\r\n") != NULL;
		size_t need = 2 * strlen(s) + 8;

		if (*len + need >= *cap) {
			size_t ncap = (*cap + need) * 2;
			char *nb = realloc(*buf, ncap);

			if (nb == NULL)
				return -1;
			*buf = nb;
			*cap = ncap;
		}
		if (i > 0)
			(*buf)[(*len)++] = ',';
		if (quote)
			(*buf)[(*len)++] = '"';
		for (c = s; *c != '\0'; c++) {
			if (*c == '"')
				(*buf)[(*len)++] = '"';
			(*buf)[(*len)++] = *c;
		}
		if (quote)
			(*buf)[(*len)++] = '"';
	}
	if (*len + 3 >= *cap) {
		char *nb = realloc(*buf, *cap + 64);

		if (nb == NULL)
			return -1;
		*buf = nb;
		*cap += 64;
	}
	(*buf)[(*len)++] = '\r';
	(*buf)[(*len)++] = '\n';
	(*buf)[*len] = '\0';
	return 0;
}

char *
metricsview_csv(const json_t *pub)
{
	static const char *const head[] = {"group", "label", "collectivities",
	        "population", "start", "participants", "participation_rate",
	        "contributions_response", "contributions_proposal",
	        "contributions_support", "contributions_comment",
	        "contributions_ballot", "contributions_total",
	        "contributors_response", "contributors_proposal",
	        "contributors_support", "contributors_comment",
	        "contributors_ballot", "new_accounts", "verified_new",
	        "processes", "proposals_published", "proposals_answered",
	        "answers", "median_answer_days", "suppressed", NULL};
	const json_t *gr, *r;
	size_t g, t, i, len = 0, cap = 4096;
	char *buf = malloc(cap), name[64];
	json_t *line = json_array();
	int rc = 0;

	if (buf == NULL || line == NULL) {
		free(buf);
		json_decref(line);
		return NULL;
	}
	buf[0] = '\0';
	for (i = 0; head[i] != NULL; i++)
		csv_put(line, head[i]);
	rc |= csv_line(&buf, &len, &cap, line);
	json_array_foreach(json_object_get(pub, "groups"), g, gr)
	{
		json_array_foreach(json_object_get(gr, "rows"), t, r)
		{
			json_t *withheld = json_array(), *w;
			const json_t *c = json_object_get(r, "contributions");
			const json_t *p = json_object_get(r, "contributors");
			const json_t *pr = json_object_get(r, "proposals");
			char *list = NULL;
			size_t wl = 0, j;

			json_array_clear(line);
			csv_put(line,
			        json_string_value(json_object_get(gr, "key")));
			csv_put(line, json_string_value(
			                      json_object_get(gr, "label")));
			csv_num(line, json_object_get(gr, "collectivities"));
			csv_num(line, json_object_get(gr, "population"));
			csv_put(line,
			        json_string_value(json_object_get(r, "start")));
			csv_fig(line, json_object_get(r, "participants"),
			        "participants", withheld);
			csv_fig(line, json_object_get(r, "participation_rate"),
			        "participation_rate", withheld);
			for (j = 0; j < NK; j++) {
				snprintf(name, sizeof(name), "contributions_%s",
				        kinds[j]);
				csv_fig(line, json_object_get(c, kinds[j]),
				        name, withheld);
			}
			csv_fig(line, json_object_get(c, "total"),
			        "contributions_total", withheld);
			for (j = 0; j < NK; j++) {
				snprintf(name, sizeof(name), "contributors_%s",
				        kinds[j]);
				csv_fig(line, json_object_get(p, kinds[j]),
				        name, withheld);
			}
			csv_fig(line, json_object_get(r, "new_accounts"),
			        "new_accounts", withheld);
			csv_fig(line, json_object_get(r, "verified_new"),
			        "verified_new", withheld);
			csv_num(line,
			        json_object_get(json_object_get(r, "processes"),
			                "all"));
			csv_fig(line, json_object_get(pr, "published"),
			        "proposals_published", withheld);
			csv_fig(line, json_object_get(pr, "answered"),
			        "proposals_answered", withheld);
			csv_num(line, json_object_get(pr, "answers"));
			csv_num(line,
			        json_object_get(pr, "median_answer_days"));
			json_array_foreach(withheld, j, w)
			{
				const char *s = json_string_value(w);
				char *nl = realloc(list, wl + strlen(s) + 2);

				if (nl == NULL)
					break;
				list = nl;
				if (wl > 0)
					list[wl++] = ' ';
				memcpy(list + wl, s, strlen(s) + 1);
				wl += strlen(s);
			}
			csv_put(line, list != NULL ? list : "");
			free(list);
			json_decref(withheld);
			rc |= csv_line(&buf, &len, &cap, line);
		}
	}
	json_decref(line);
	if (rc != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
