/*
 * test_metricsnap_lp.c - lib/metricsnap.c against an attacker who also
 * knows how the families of figures bound each other: random periods of 3
 * to 5 collectivities over three cross-cutting groupings, published, then
 * every withheld collectivity figure audited by the attacker's own linear
 * program (GLPK, built here from the published rows only) with the sums
 * and with "contributors of a kind <= its acts", "<= the participants",
 * "participants <= all kinds' contributors", "<= all acts" and "answered
 * <= published proposals". A primary figure must keep 11 values of room,
 * any other withheld one more than one. Written for a review of the
 * snapshots, which it caught leaking through those inequalities.
 */
#include <glpk.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "metricsnap.h"

#define NK 5
#define MAXC 8
static const char *kinds[NK] = {
        "response", "proposal", "support", "comment", "ballot"};
static int NC;
struct coll {
	int part, c[NK], a[NK], ans;
};
static struct coll cs[MAXC];
static int grp[4][MAXC]; /* kind, cohort, density, all */
static const char *bynames[4] = {"kind", "cohort", "density", "all"};
static unsigned rnd_state = 1;
static int
rnd(int n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (int)((rnd_state >> 8) % (unsigned)n);
}

static json_t *
raw(const char *key, unsigned mask, int with_members)
{
	json_t *pe = json_object(), *ac = json_object(), *ms = json_array();
	int part = 0, c[NK] = {0}, a[NK] = {0}, ans = 0, sum = 0, n = 0, i, k;
	char slug[16];
	for (i = 0; i < NC; i++)
		if (mask & (1u << i)) {
			n++;
			part += cs[i].part;
			ans += cs[i].ans;
			for (k = 0; k < NK; k++) {
				c[k] += cs[i].c[k];
				a[k] += cs[i].a[k];
			}
			snprintf(slug, sizeof slug, "c%d", i);
			json_array_append_new(ms, json_string(slug));
		}
	for (k = 0; k < NK; k++) {
		json_object_set_new(pe, kinds[k], json_integer(c[k]));
		json_object_set_new(ac, kinds[k], json_integer(a[k]));
		sum += a[k];
	}
	json_object_set_new(pe, "any", json_integer(part));
	json_object_set_new(ac, "any", json_integer(sum));
	json_t *g = json_pack("{s:s,s:s,s:i,s:i,s:[{s:s,s:o,s:o,s:i,s:i,s:{s:i,"
	                      "s:{}},s:{s:i,s:i,s:i,s:n}}]}",
	        "key", key, "label", key, "collectivities", n, "population",
	        1000 * n, "rows", "start", "2026-10-01", "people", pe, "acts",
	        ac, "new_accounts", 20 * n, "verified_new", 20 * n, "processes",
	        "all", 1, "by_phase", "proposals", "published", a[1],
	        "answered", ans, "answers", 0, "median_answer_days");
	if (with_members)
		json_object_set_new(g, "members", ms);
	else
		json_decref(ms);
	return g;
}
static json_t *
input(void)
{
	json_t *gs = json_object(), *coll = json_array();
	int i, b, v;
	char key[16];
	for (i = 0; i < NC; i++) {
		snprintf(key, sizeof key, "c%d", i);
		json_array_append_new(coll, raw(key, 1u << i, 0));
	}
	json_object_set_new(
	        gs, "collectivity", json_pack("{s:o}", "groups", coll));
	for (b = 0; b < 4; b++) {
		json_t *arr = json_array();
		for (v = 0; v < NC; v++) {
			unsigned m = 0;
			for (i = 0; i < NC; i++)
				if (grp[b][i] == v)
					m |= 1u << i;
			if (!m)
				continue;
			snprintf(key, sizeof key, "%s%d", bynames[b], v);
			json_array_append_new(arr, raw(key, m, 1));
		}
		json_object_set_new(
		        gs, bynames[b], json_pack("{s:o}", "groups", arr));
	}
	return json_pack("{s:s,s:s,s:o}", "period", "month", "start",
	        "2026-10-01", "groupings", gs);
}
static const json_t *
row_of(const json_t *out, const char *by, const char *key)
{
	const json_t *r;
	size_t i;
	json_array_foreach(json_object_get(out, "rows"), i,
	        r) if (!strcmp(json_string_value(json_object_get(r, "by")),
	                       by) &&
	               !strcmp(json_string_value(json_object_get(r, "key")),
	                       key)) return json_object_get(r, "row");
	return NULL;
}
static long
fv(const json_t *row, const char *k1, const char *k2)
{
	const json_t *f = json_object_get(row, k1);
	if (k2)
		f = json_object_get(f, k2);
	if (!f) {
		fprintf(stderr, "missing %s.%s\n", k1, k2 ? k2 : "");
		exit(3);
	}
	if (json_is_true(json_object_get(f, "suppressed")))
		return -1;
	return (long)json_integer_value(json_object_get(f, "value"));
}
/* variables per collectivity: a[5] c[5] part ans  => 12 */
#define NV 12
#define VA(i, k) ((i)*NV + (k) + 1)
#define VC(i, k) ((i)*NV + NK + (k) + 1)
#define VP(i) ((i)*NV + 2 * NK + 1)
#define VN(i) ((i)*NV + 2 * NK + 2)
static glp_prob *lp;
static int ia[100000], ja[100000];
static double ar[100000];
static int nz;
static void
row_(double lo, double hi, int type, int n, const int *v, const double *c)
{
	int r = glp_add_rows(lp, 1), i;
	glp_set_row_bnds(lp, r, type, lo, hi);
	for (i = 0; i < n; i++) {
		ia[++nz] = r;
		ja[nz] = v[i];
		ar[nz] = c[i];
	}
}
/* the figure (k1,k2) of a unit as a list of variables with coefficients */
static int
figvars(unsigned mask, int what, int k, int *v, double *c)
{
	int n = 0, i, j;
	for (i = 0; i < NC; i++)
		if (mask & (1u << i)) {
			if (what == 0) {
				v[n] = VA(i, k);
				c[n++] = 1;
			} else if (what == 1) {
				for (j = 0; j < NK; j++) {
					v[n] = VA(i, j);
					c[n++] = 1;
				}
			} else if (what == 2) {
				v[n] = VC(i, k);
				c[n++] = 1;
			} else if (what == 3) {
				v[n] = VP(i);
				c[n++] = 1;
			} else {
				v[n] = VN(i);
				c[n++] = 1;
			}
		}
	return n;
}
static int coupling;
static void
build(const json_t *out)
{
	int b, v, i, k, w;
	char key[16];
	lp = glp_create_prob();
	nz = 0;
	glp_add_cols(lp, NC * NV);
	for (i = 1; i <= NC * NV; i++)
		glp_set_col_bnds(lp, i, GLP_LO, 0, 0);
	for (b = -1; b < 4; b++)
		for (v = 0; v < NC; v++) {
			unsigned m = 0;
			const json_t *row;
			if (b < 0) {
				m = 1u << v;
				snprintf(key, sizeof key, "c%d", v);
				row = row_of(out, "collectivity", key);
			} else {
				for (i = 0; i < NC; i++)
					if (grp[b][i] == v)
						m |= 1u << i;
				if (!m)
					continue;
				snprintf(
				        key, sizeof key, "%s%d", bynames[b], v);
				row = row_of(out, bynames[b], key);
			}
			for (w = 0; w < 5; w++)
				for (k = 0; k < (w == 0 || w == 2 ? NK : 1);
				        k++) {
					long x;
					int vv[64];
					double cc[64];
					int n;
					if (w == 0)
						x = fv(row, "contributions",
						        kinds[k]);
					else if (w == 1)
						x = fv(row, "contributions",
						        "total");
					else if (w == 2)
						x = fv(row, "contributors",
						        kinds[k]);
					else if (w == 3)
						x = fv(row, "participants",
						        NULL);
					else
						x = fv(json_object_get(row,
						               "proposals"),
						        "answered", NULL);
					if (x < 0)
						continue;
					n = figvars(m, w, k, vv, cc);
					row_(x, x, GLP_FX, n, vv, cc);
				}
		}
	if (coupling)
		for (i = 0; i < NC; i++) {
			int vv[16];
			double cc[16];
			int M = getenv("MASK") ? atoi(getenv("MASK")) : 31;
			for (k = 0; k < NK; k++) {
				vv[0] = VC(i, k);
				cc[0] = 1;
				vv[1] = VA(i, k);
				cc[1] = -1;
				if (M & 1)
					row_(0, 0, GLP_UP, 2, vv, cc);
				vv[1] = VP(i);
				if (M & 2)
					row_(0, 0, GLP_UP, 2, vv, cc);
			}
			vv[0] = VP(i);
			cc[0] = 1;
			for (k = 0; k < NK; k++) {
				vv[k + 1] = VC(i, k);
				cc[k + 1] = -1;
			}
			if (M & 4)
				row_(0, 0, GLP_UP, NK + 1, vv, cc);
			for (k = 0; k < NK; k++) {
				vv[k + 1] = VA(i, k);
			}
			if (M & 8)
				row_(0, 0, GLP_UP, NK + 1, vv, cc);
			vv[0] = VN(i);
			cc[0] = 1;
			vv[1] = VA(i, 1);
			cc[1] = -1;
			if (M & 16)
				row_(0, 0, GLP_UP, 2, vv, cc);
		}
	glp_load_matrix(lp, nz, ia, ja, ar);
}
static void
range(int col, double *lo, double *hi)
{
	glp_smcp p;
	glp_init_smcp(&p);
	p.msg_lev = GLP_MSG_OFF;
	for (int i = 1; i <= NC * NV; i++)
		glp_set_obj_coef(lp, i, 0);
	glp_set_obj_coef(lp, col, 1);
	glp_set_obj_dir(lp, GLP_MAX);
	glp_simplex(lp, &p);
	*hi = glp_get_status(lp) == GLP_UNBND ? 1e18 : glp_get_obj_val(lp);
	if (glp_get_status(lp) != GLP_OPT && glp_get_status(lp) != GLP_UNBND) {
		*hi = -1;
	}
	glp_set_obj_dir(lp, GLP_MIN);
	glp_simplex(lp, &p);
	*lo = glp_get_obj_val(lp);
}
int
main(int argc, char **argv)
{
	if (argc < 2) {
		static char *def[] = {"test", "300", "1", NULL};
		argv = def;
		argc = 3;
	}
	int iter, N = argc > 1 ? atoi(argv[1]) : 200, found = 0;
	rnd_state = argc > 2 ? atoi(argv[2]) : 1;
	for (iter = 0; iter < N; iter++) {
		int i, k, b;
		NC = 3 + rnd(3);
		for (i = 0; i < NC; i++) {
			int nact = 1 + rnd(2);
			cs[i].part = 0;
			memset(&cs[i], 0, sizeof cs[i]);
			for (int t = 0; t < nact; t++) {
				k = rnd(NK);
				int c = rnd(3) == 0 ? 1 + rnd(10)
				                    : 11 + rnd(30);
				cs[i].c[k] = c;
				cs[i].a[k] = c + (rnd(2) ? 0 : rnd(40));
			}
			int mx = 0, sm = 0;
			for (k = 0; k < NK; k++) {
				if (cs[i].c[k] > mx)
					mx = cs[i].c[k];
				sm += cs[i].c[k];
			}
			cs[i].part = mx + (sm > mx ? rnd(sm - mx + 1) : 0);
			cs[i].ans = cs[i].a[1] ? rnd(cs[i].a[1] + 1) : 0;
		}
		for (b = 0; b < 3; b++)
			for (i = 0; i < NC; i++)
				grp[b][i] = rnd(2);
		for (i = 0; i < NC; i++)
			grp[3][i] = 0;
		json_t *in = input(), *out = metricsnap_publish(in, 11);
		if (!out) {
			printf("iter %d: publish failed\n", iter);
			json_decref(in);
			continue;
		}
		for (coupling = 1; coupling <= 1; coupling++) {
			build(out);
			for (i = 0; i < NC; i++) {
				char key[16];
				snprintf(key, sizeof key, "c%d", i);
				const json_t *row =
				        row_of(out, "collectivity", key);
				struct {
					const char *k1, *k2;
					int col;
					long people;
				} f[12];
				int nf = 0;
				for (k = 0; k < NK; k++) {
					f[nf].k1 = "contributions";
					f[nf].k2 = kinds[k];
					f[nf].col = VA(i, k);
					f[nf++].people = cs[i].c[k];
				}
				for (k = 0; k < NK; k++) {
					f[nf].k1 = "contributors";
					f[nf].k2 = kinds[k];
					f[nf].col = VC(i, k);
					f[nf++].people = cs[i].c[k];
				}
				f[nf].k1 = "participants";
				f[nf].k2 = NULL;
				f[nf].col = VP(i);
				f[nf++].people = cs[i].part;
				for (int j = 0; j < nf; j++) {
					if (fv(row, f[j].k1, f[j].k2) >= 0)
						continue;
					double lo, hi;
					range(f[j].col, &lo, &hi);
					long L = (long)ceil(lo - 1e-6),
					     H = hi > 1e17 ? 1000000
					                   : (long)floor(
					                             hi + 1e-6);
					int primary = f[j].people > 0 &&
					              f[j].people < 11;
					if ((primary && H - L < 11) || H == L) {
						found++;
						if (found <= 6) {
							printf("iter %d c%d "
							       "%s.%s people "
							       "%ld: [%ld,%ld] "
							       "%s\n",
							        iter, i,
							        f[j].k1,
							        f[j].k2 ? f[j].k2
							                : "",
							        f[j].people, L,
							        H,
							        primary ? "PRIM"
							                  "ARY"
							                : "seco"
							                  "ndar"
							                  "y");
							for (int q = 0; q < NC;
							        q++)
								printf("   c%d "
								       "part "
								       "%d "
								       "c={%d,%"
								       "d,%d,%"
								       "d,%d} "
								       "a={%d,%"
								       "d,%d,%"
								       "d,%d} "
								       "groups "
								       "k%d "
								       "co%d "
								       "d%d\n",
								        q,
								        cs[q].part,
								        cs[q].c[0],
								        cs[q].c[1],
								        cs[q].c[2],
								        cs[q].c[3],
								        cs[q].c[4],
								        cs[q].a[0],
								        cs[q].a[1],
								        cs[q].a[2],
								        cs[q].a[3],
								        cs[q].a[4],
								        grp[0]
								           [q],
								        grp[1]
								           [q],
								        grp[2]
								           [q]);
						}
					}
				}
			}
			glp_delete_prob(lp);
		}
		json_decref(in);
		json_decref(out);
	}
	glp_free_env();
	printf("%d leaks in %d instances\n", found, N);
	if (found) {
		printf("[  FAILED  ] 1 test(s)\n");
		return 1;
	}
	printf("[==========] 1 test(s) run.\n[  PASSED  ] 1 test(s).\n");
	return 0;
}
