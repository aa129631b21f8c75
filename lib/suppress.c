/*
 * suppress.c - small-cell protection: primary suppression, then an exact
 * audit by max-flow that adds secondary suppressions until it passes
 *
 * The table is a circulation. Nodes: the source, one per row, one per
 * column, the sink. Edges, one per figure: source -> row i (row i's
 * total), row i -> column j (cell i, j), column j -> sink (column j's
 * total), sink -> source (the grand total). Conservation at every node is
 * exactly the table's relations; a margin the table does not have is an
 * edge whose figure is never published, which adds no relation. The true
 * values are one feasible flow, and every feasible flow differs from it
 * by a circulation of the residual graph over the withheld edges (forward
 * arcs unbounded, backward arcs as large as the edge's flow). So a
 * withheld edge u -> v can grow by the max-flow from v to u and shrink by
 * the max-flow from u to v (at most its value), both without the edge
 * itself; the constraint matrix is totally unimodular, so every integer
 * in between is reached as well.
 */
#include "suppress.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

/* Suppression costs: any number of interior cells is cheaper than a total. */
#define COST_TOTAL ((uint64_t)1 << 44)
#define COST_VALUE_MAX ((uint64_t)1 << 32)

struct net {
	size_t rows, cols, nv, ne;
	uint64_t *f;                 /* true value per edge */
	uint64_t *cur;               /* working flow */
	unsigned char *known;        /* published */
	unsigned char *dirty;        /* cur differs from f */
	struct suppress_cell **cell; /* NULL for an absent margin */
	size_t *off;                 /* off[v]..off[v+1]: v's slots below */
	size_t *adj;                 /* every edge at each node */
	size_t *unk, *nunk;          /* the withheld edges at each node */
	size_t *touched, ntouched;
	size_t *queue, *pedge; /* search: queue, arc into each node */
	unsigned *seen, stamp;
	uint64_t *dist; /* widen(): cost to each node */
	size_t *heap;   /* widen(): (node) heap, lazy deletion */
	uint64_t *hkey;
	size_t *work, nwork; /* suppress_table(): edges to audit */
};

static size_t
edge_from(const struct net *n, size_t e)
{
	size_t rc = n->rows * n->cols;

	if (e < rc)
		return 1 + e / n->cols;
	if (e < rc + n->rows)
		return 0;
	if (e < rc + n->rows + n->cols)
		return 1 + n->rows + (e - rc - n->rows);
	return n->nv - 1;
}

static size_t
edge_to(const struct net *n, size_t e)
{
	size_t rc = n->rows * n->cols;

	if (e < rc)
		return 1 + n->rows + e % n->cols;
	if (e < rc + n->rows)
		return 1 + (e - rc);
	if (e < rc + n->rows + n->cols)
		return n->nv - 1;
	return 0;
}

/* The edge of the figure at (i, j), as suppress_at() numbers figures. */
static size_t
edge_of(const struct net *n, size_t i, size_t j)
{
	size_t rc = n->rows * n->cols;

	if (i < n->rows && j < n->cols)
		return i * n->cols + j;
	if (i < n->rows)
		return rc + i;
	if (j < n->cols)
		return rc + n->rows + j;
	return rc + n->rows + n->cols;
}

int
suppress_has(const struct suppress_table *t, size_t i, size_t j)
{
	if (i < t->rows && j < t->cols)
		return 1;
	if (i < t->rows)
		return (t->margins & SUPPRESS_ROW_TOTALS) != 0;
	if (j < t->cols)
		return (t->margins & SUPPRESS_COL_TOTALS) != 0;
	return (t->margins & SUPPRESS_GRAND_TOTAL) != 0;
}

void
suppress_table_init(
        struct suppress_table *t, size_t rows, size_t cols, unsigned margins)
{
	size_t n;

	if (rows == 0 || cols == 0 || cols + 1 > SIZE_MAX / (rows + 1))
		abort();
	n = (rows + 1) * (cols + 1);
	t->rows = rows;
	t->cols = cols;
	t->margins = margins;
	t->cells = xreallocarray(NULL, n, sizeof(*t->cells));
	memset(t->cells, 0, n * sizeof(*t->cells));
}

void
suppress_table_release(struct suppress_table *t)
{
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

struct suppress_cell *
suppress_at(const struct suppress_table *t, size_t i, size_t j)
{
	return &t->cells[i * (t->cols + 1) + j];
}

/*
 * Checks the table and computes every edge's true value into f (one per
 * edge, edges numbered as edge_of()).
 */
static enum err
check_table(const struct suppress_table *t, uint64_t **fp)
{
	size_t i, j, rc, ne;
	uint64_t *f, sum = 0;

	*fp = NULL;
	if (t->rows == 0 || t->cols == 0 || t->cells == NULL ||
	        (t->margins & ~7u) != 0 ||
	        t->cols + 1 > SIZE_MAX / 4 / (t->rows + 1))
		return ERR_INVALID;
	rc = t->rows * t->cols;
	ne = (t->rows + 1) * (t->cols + 1);
	f = xreallocarray(NULL, ne, sizeof(*f));
	memset(f, 0, ne * sizeof(*f));
	for (i = 0; i < t->rows; i++)
		for (j = 0; j < t->cols; j++) {
			uint64_t v = suppress_at(t, i, j)->value;

			if (v > SUPPRESS_VALUE_MAX - sum)
				goto fail;
			sum += v;
			f[i * t->cols + j] = v;
			f[rc + i] += v;
			f[rc + t->rows + j] += v;
		}
	f[ne - 1] = sum;
	for (i = 0; i < t->rows; i++)
		if ((t->margins & SUPPRESS_ROW_TOTALS) &&
		        suppress_at(t, i, t->cols)->value != f[rc + i])
			goto fail;
	for (j = 0; j < t->cols; j++)
		if ((t->margins & SUPPRESS_COL_TOTALS) &&
		        suppress_at(t, t->rows, j)->value !=
		                f[rc + t->rows + j])
			goto fail;
	if ((t->margins & SUPPRESS_GRAND_TOTAL) &&
	        suppress_at(t, t->rows, t->cols)->value != sum)
		goto fail;
	*fp = f;
	return ERR_OK;
fail:
	free(f);
	return ERR_INVALID;
}

static void
net_free(struct net *n)
{
	free(n->f);
	free(n->cur);
	free(n->known);
	free(n->dirty);
	free(n->cell);
	free(n->off);
	free(n->adj);
	free(n->unk);
	free(n->nunk);
	free(n->touched);
	free(n->queue);
	free(n->pedge);
	free(n->seen);
	free(n->dist);
	free(n->heap);
	free(n->hkey);
	free(n->work);
}

static void *
zalloc(size_t count, size_t size)
{
	void *p = xreallocarray(NULL, count, size);

	memset(p, 0, count * size);
	return p;
}

static void
mark_unknown(struct net *n, size_t e)
{
	size_t a = edge_from(n, e), b = edge_to(n, e);

	n->known[e] = 0;
	n->unk[n->off[a] + n->nunk[a]++] = e;
	n->unk[n->off[b] + n->nunk[b]++] = e;
}

/* The network of t, with f from check_table() (taken over). */
static void
net_build(struct net *n, const struct suppress_table *t, uint64_t *f)
{
	size_t e, v, i, j, *fill;

	memset(n, 0, sizeof(*n));
	n->rows = t->rows;
	n->cols = t->cols;
	n->nv = t->rows + t->cols + 2;
	n->ne = (t->rows + 1) * (t->cols + 1);
	n->f = f;
	n->cur = xreallocarray(NULL, n->ne, sizeof(*n->cur));
	memcpy(n->cur, f, n->ne * sizeof(*f));
	n->known = zalloc(n->ne, 1);
	n->dirty = zalloc(n->ne, 1);
	n->cell = zalloc(n->ne, sizeof(*n->cell));
	n->off = zalloc(n->nv + 1, sizeof(*n->off));
	n->adj = zalloc(2 * n->ne, sizeof(*n->adj));
	n->unk = zalloc(2 * n->ne, sizeof(*n->unk));
	n->nunk = zalloc(n->nv, sizeof(*n->nunk));
	n->touched = zalloc(n->ne, sizeof(*n->touched));
	n->queue = zalloc(n->nv, sizeof(*n->queue));
	n->pedge = zalloc(n->nv, sizeof(*n->pedge));
	n->seen = zalloc(n->nv, sizeof(*n->seen));
	n->dist = zalloc(n->nv, sizeof(*n->dist));
	n->heap = zalloc(2 * n->ne + 1, sizeof(*n->heap));
	n->hkey = zalloc(2 * n->ne + 1, sizeof(*n->hkey));
	n->work = zalloc(n->ne, sizeof(*n->work));
	for (e = 0; e < n->ne; e++) {
		n->off[edge_from(n, e) + 1]++;
		n->off[edge_to(n, e) + 1]++;
	}
	for (v = 0; v < n->nv; v++)
		n->off[v + 1] += n->off[v];
	fill = zalloc(n->nv, sizeof(*fill));
	for (e = 0; e < n->ne; e++) {
		size_t a = edge_from(n, e), b = edge_to(n, e);

		n->adj[n->off[a] + fill[a]++] = e;
		n->adj[n->off[b] + fill[b]++] = e;
	}
	free(fill);
	for (i = 0; i <= t->rows; i++)
		for (j = 0; j <= t->cols; j++) {
			e = edge_of(n, i, j);
			if (suppress_has(t, i, j))
				n->cell[e] = suppress_at(t, i, j);
			if (n->cell[e] != NULL &&
			        n->cell[e]->why == SUPPRESS_NONE)
				n->known[e] = 1;
			else
				mark_unknown(n, e);
		}
}

static void
set_flow(struct net *n, size_t e, uint64_t v)
{
	if (!n->dirty[e]) {
		n->dirty[e] = 1;
		n->touched[n->ntouched++] = e;
	}
	n->cur[e] = v;
}

/* Back to the true flow. */
static void
reset_flow(struct net *n)
{
	while (n->ntouched > 0) {
		size_t e = n->touched[--n->ntouched];

		n->dirty[e] = 0;
		n->cur[e] = n->f[e];
	}
}

/*
 * Where the residual arc of edge e leaves node a for: forward always,
 * backward while the edge carries flow; SIZE_MAX for none (or e == skip).
 */
static size_t
arc(const struct net *n, size_t a, size_t e, size_t skip)
{
	if (e == skip)
		return SIZE_MAX;
	if (edge_from(n, e) == a)
		return edge_to(n, e);
	return n->cur[e] > 0 ? edge_from(n, e) : SIZE_MAX;
}

/*
 * Breadth-first search for a residual path from src to dst over withheld
 * edges other than skip; pedge[] holds the path. 1 if dst was reached.
 */
static int
find_path(struct net *n, size_t src, size_t dst, size_t skip)
{
	size_t head = 0, tail = 0, k;

	n->stamp++;
	n->seen[src] = n->stamp;
	n->queue[tail++] = src;
	while (head < tail) {
		size_t a = n->queue[head++];

		for (k = 0; k < n->nunk[a]; k++) {
			size_t e = n->unk[n->off[a] + k];
			size_t b = arc(n, a, e, skip);

			if (b == SIZE_MAX || n->seen[b] == n->stamp)
				continue;
			n->seen[b] = n->stamp;
			n->pedge[b] = e;
			if (b == dst)
				return 1;
			n->queue[tail++] = b;
		}
	}
	return 0;
}

/*
 * Pushes up to cap units from src to dst through withheld edges other
 * than skip (Edmonds-Karp); returns how much went (cap when unbounded).
 * The flow stays changed until reset_flow().
 */
static uint64_t
push(struct net *n, size_t src, size_t dst, size_t skip, uint64_t cap)
{
	uint64_t total = 0;

	while (total < cap && find_path(n, src, dst, skip)) {
		uint64_t b = cap - total;
		size_t w;

		for (w = dst; w != src;) {
			size_t e = n->pedge[w];

			if (edge_to(n, e) == w) {
				w = edge_from(n, e);
			} else {
				if (n->cur[e] < b)
					b = n->cur[e];
				w = edge_to(n, e);
			}
		}
		for (w = dst; w != src;) {
			size_t e = n->pedge[w];

			if (edge_to(n, e) == w) {
				uint64_t c = n->cur[e];

				set_flow(n, e,
				        c > UINT64_MAX - b ? UINT64_MAX
				                           : c + b);
				w = edge_from(n, e);
			} else {
				set_flow(n, e, n->cur[e] - b);
				w = edge_to(n, e);
			}
		}
		total += b;
	}
	return total;
}

/* What withholding edge e costs: fewest totals first, then small values. */
static uint64_t
cost(const struct net *n, size_t e)
{
	uint64_t v = n->f[e] < COST_VALUE_MAX ? n->f[e] : COST_VALUE_MAX;

	return (e >= n->rows * n->cols ? COST_TOTAL : 0) + 1 + v;
}

static int
heap_less(const struct net *n, size_t a, size_t b)
{
	if (n->hkey[a] != n->hkey[b])
		return n->hkey[a] < n->hkey[b];
	return n->heap[a] < n->heap[b];
}

static void
heap_swap(struct net *n, size_t a, size_t b)
{
	size_t v = n->heap[a];
	uint64_t k = n->hkey[a];

	n->heap[a] = n->heap[b];
	n->hkey[a] = n->hkey[b];
	n->heap[b] = v;
	n->hkey[b] = k;
}

static void
heap_push(struct net *n, size_t *len, size_t v, uint64_t key)
{
	size_t i = (*len)++;

	n->heap[i] = v;
	n->hkey[i] = key;
	while (i > 0 && heap_less(n, i, (i - 1) / 2)) {
		heap_swap(n, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static size_t
heap_pop(struct net *n, size_t *len, uint64_t *key)
{
	size_t v = n->heap[0], i = 0;

	*key = n->hkey[0];
	(*len)--;
	n->heap[0] = n->heap[*len];
	n->hkey[0] = n->hkey[*len];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < *len && heap_less(n, l, m))
			m = l;
		if (r < *len && heap_less(n, r, m))
			m = r;
		if (m == i)
			break;
		heap_swap(n, i, m);
		i = m;
	}
	return v;
}

/*
 * Withholds the published edges of the cheapest residual path from src
 * to dst (Dijkstra; withheld arcs cost nothing, a published edge its
 * cost()), other than skip: the cheapest way to carry more flow. Such a
 * path always exists (forward arcs alone close a cycle through every
 * edge). Returns how many edges it withheld.
 */
static size_t
widen(struct net *n, size_t src, size_t dst, size_t skip)
{
	size_t len = 0, v, added = 0;
	uint64_t d;

	for (v = 0; v < n->nv; v++)
		n->dist[v] = UINT64_MAX;
	n->stamp++;
	n->dist[src] = 0;
	heap_push(n, &len, src, 0);
	while (len > 0) {
		size_t a = heap_pop(n, &len, &d), k;

		if (n->seen[a] == n->stamp || d != n->dist[a])
			continue;
		n->seen[a] = n->stamp;
		if (a == dst)
			break;
		for (k = n->off[a]; k < n->off[a + 1]; k++) {
			size_t e = n->adj[k], b = arc(n, a, e, skip);
			uint64_t nd;

			if (b == SIZE_MAX)
				continue;
			nd = d + (n->known[e] ? cost(n, e) : 0);
			if (n->seen[b] != n->stamp && nd < n->dist[b]) {
				n->dist[b] = nd;
				n->pedge[b] = e;
				heap_push(n, &len, b, nd);
			}
		}
	}
	if (n->dist[dst] == UINT64_MAX)
		return 0;
	for (v = dst; v != src;) {
		size_t e = n->pedge[v];

		if (n->known[e]) {
			mark_unknown(n, e);
			n->cell[e]->why = SUPPRESS_SECONDARY;
			n->work[n->nwork++] = e;
			added++;
		}
		v = edge_to(n, e) == v ? edge_from(n, e) : edge_to(n, e);
	}
	return added;
}

/*
 * Makes withheld edge e's interval at least need wide (hi - lo), adding
 * secondary suppressions as needed.
 */
static enum err
protect(struct net *n, size_t e, uint64_t need)
{
	size_t u = edge_from(n, e), v = edge_to(n, e);

	for (;;) {
		uint64_t down, up;

		down = push(n, u, v, e, n->f[e] < need ? n->f[e] : need);
		reset_flow(n);
		if (down >= need)
			return ERR_OK;
		up = push(n, v, u, e, need - down);
		if (up >= need - down) {
			reset_flow(n);
			return ERR_OK;
		}
		/* The residual flow left by push() is what widen() extends. */
		if (widen(n, v, u, e) == 0) {
			reset_flow(n);
			return ERR_INTERNAL;
		}
		reset_flow(n);
	}
}

enum err
suppress_table(struct suppress_table *t, uint64_t k)
{
	struct net n;
	uint64_t *f;
	enum err err;
	size_t i, j, e, w;

	if ((err = check_table(t, &f)) != ERR_OK)
		return err;
	for (i = 0; i <= t->rows; i++)
		for (j = 0; j <= t->cols; j++) {
			struct suppress_cell *c = suppress_at(t, i, j);

			if (!suppress_has(t, i, j))
				continue;
			c->why = c->people > 0 && c->people < k
			                 ? SUPPRESS_PRIMARY
			         : c->why == SUPPRESS_SECONDARY
			                 ? SUPPRESS_SECONDARY
			                 : SUPPRESS_NONE;
		}
	net_build(&n, t, f);
	/* primary figures first, then those withheld elsewhere */
	for (e = 0; e < n.ne; e++)
		if (n.cell[e] != NULL && n.cell[e]->why == SUPPRESS_PRIMARY)
			n.work[n.nwork++] = e;
	for (e = 0; e < n.ne; e++)
		if (n.cell[e] != NULL && n.cell[e]->why == SUPPRESS_SECONDARY)
			n.work[n.nwork++] = e;
	/* Adding suppressions only widens intervals: one pass suffices. */
	for (w = 0; w < n.nwork; w++) {
		e = n.work[w];
		err = protect(
		        &n, e, n.cell[e]->why == SUPPRESS_PRIMARY ? k : 1);
		if (err != ERR_OK)
			break;
	}
	net_free(&n);
	return err;
}

enum err
suppress_range(const struct suppress_table *t, size_t i, size_t j, uint64_t *lo,
        uint64_t *hi)
{
	struct net n;
	uint64_t *f, down, up;
	enum err err;
	size_t e;

	if ((err = check_table(t, &f)) != ERR_OK)
		return err;
	if (i > t->rows || j > t->cols || !suppress_has(t, i, j)) {
		free(f);
		return ERR_INVALID;
	}
	net_build(&n, t, f);
	e = edge_of(&n, i, j);
	if (n.known[e]) {
		*lo = *hi = n.f[e];
	} else {
		down = push(&n, edge_from(&n, e), edge_to(&n, e), e, n.f[e]);
		reset_flow(&n);
		up = push(&n, edge_to(&n, e), edge_from(&n, e), e, UINT64_MAX);
		*lo = n.f[e] - down;
		*hi = up > UINT64_MAX - n.f[e] ? UINT64_MAX : n.f[e] + up;
	}
	net_free(&n);
	return ERR_OK;
}
