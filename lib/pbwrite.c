/*
 * pbwrite.c - writes a Pabulib .pb file
 */
#include "pbwrite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growing buffer; oom set once an allocation failed. */
struct buf {
	char *p;
	size_t len, cap;
	int oom;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *np;

		while (b->len + n + 1 > cap)
			cap *= 2;
		np = realloc(b->p, cap);
		if (np == NULL) {
			b->oom = 1;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* One field, quoted when it must be. */
static void
field(struct buf *b, const char *s)
{
	const char *c;

	if (strpbrk(s, ";\"\r\n") == NULL) {
		puts_(b, s);
		return;
	}
	put(b, "\"", 1);
	for (c = s; *c != '\0'; c++)
		put(b, *c == '"' ? "\"\"" : c, *c == '"' ? 2 : 1);
	put(b, "\"", 1);
}

static void
num(struct buf *b, uint64_t v)
{
	char s[24];

	snprintf(s, sizeof(s), "%llu", (unsigned long long)v);
	puts_(b, s);
}

char *
pbwrite_format(const struct pbwrite *w, size_t *len)
{
	struct buf b = {NULL, 0, 0, 0};
	size_t i, k;

	puts_(&b, "META\r\nkey;value\r\n");
	for (i = 0; i < w->nmeta; i++) {
		field(&b, w->meta[i].key);
		put(&b, ";", 1);
		field(&b, w->meta[i].value);
		puts_(&b, "\r\n");
	}
	puts_(&b, w->with_score ? "PROJECTS\r\nproject_id;cost;votes;score;"
	                          "name;selected\r\n"
	                        : "PROJECTS\r\nproject_id;cost;votes;name;"
	                          "selected\r\n");
	for (i = 0; i < w->nprojects; i++) {
		const struct pbwrite_project *p = &w->projects[i];

		field(&b, p->id);
		put(&b, ";", 1);
		num(&b, p->cost);
		put(&b, ";", 1);
		num(&b, p->votes);
		put(&b, ";", 1);
		if (w->with_score) {
			num(&b, p->score);
			put(&b, ";", 1);
		}
		field(&b, p->name);
		puts_(&b, p->selected ? ";1\r\n" : ";0\r\n");
	}
	puts_(&b, w->with_points ? "VOTES\r\nvoter_id;vote;points\r\n"
	                         : "VOTES\r\nvoter_id;vote\r\n");
	for (i = 0; i < w->nvotes; i++) {
		const struct pbwrite_vote *v = &w->votes[i];
		struct buf ids = {NULL, 0, 0, 0}, pts = {NULL, 0, 0, 0};

		field(&b, v->voter_id);
		put(&b, ";", 1);
		for (k = 0; k < v->n; k++) {
			if (k > 0) {
				put(&ids, ",", 1);
				put(&pts, ",", 1);
			}
			puts_(&ids, v->projects[k]);
			if (w->with_points)
				num(&pts, v->points[k]);
		}
		field(&b, ids.p != NULL ? ids.p : "");
		if (w->with_points) {
			put(&b, ";", 1);
			field(&b, pts.p != NULL ? pts.p : "");
		}
		puts_(&b, "\r\n");
		b.oom |= ids.oom | pts.oom;
		free(ids.p);
		free(pts.p);
	}
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	*len = b.len;
	return b.p;
}
