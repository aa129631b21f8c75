/*
 * test_metrics.c - participation metrics (docs/metrics.md), small-cell
 * protection (docs/suppression.md) and open data (docs/opendata.md), end
 * to end
 *
 * Three fresh collectivities, seeded through the public API with acts of
 * every kind, all of them today (so the current month and the current ISO
 * week hold the same acts):
 *
 *  - "big" (population 1000): 13 residents R0..R12, an admin and a
 *    moderator; every figure describes 11 people or more, so everything
 *    is published and every figure is checked against a literal worked
 *    out by hand below;
 *  - "mixed" (population 2000): R0..R10 join it too; 11 proposals but a
 *    support by 1 person and comments by 2: withheld, with enough of the
 *    rest that the published total gives nothing away;
 *  - "small" (population 500): 3 residents; everything about them is
 *    withheld, zeros are published.
 *
 * Then the ANCT roll-ups (GET /v1/metrics) with the anct role granted by
 * `participe admin grant-anct`, the public figures, and the open data
 * datasets. All in Europe/Paris time, as the server counts.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "client.h"
#include "contrib.h"
#include "election.h"
#include "identity.h"
#include "vote.h"
#include "wire.h"

#define NRES 13   /* residents of big */
#define NMIXED 11 /* of them, also residents of mixed */
#define NSMALL 3  /* residents of small */
#define SUPP (-1) /* a withheld figure */
#define ABSENT (-2)

/* One single-choice question. */
#define SINGLE                                                                 \
	"[{\"id\":\"nom\",\"text\":\"Le nom du parc\","                        \
	"\"options\":[{\"id\":\"tilleuls\",\"label\":\"Les Tilleuls\"},"       \
	"{\"id\":\"platanes\",\"label\":\"Les Platanes\"}],"                   \
	"\"rule\":{\"kind\":\"single\"}}]"

#define QUESTION                                                               \
	"\"questions\":[{\"id\":\"q\",\"type\":\"single_choice\",\"title\":"   \
	"\"Pour ?\",\"required\":true,\"options\":[{\"id\":\"oui\","           \
	"\"label\":\"Oui\"},{\"id\":\"non\",\"label\":\"Non\"}]}]"

static const char *const kinds[5] = {
        "response", "proposal", "support", "comment", "ballot"};

static struct {
	char big[64], mixed[64], small[64];
	char month[48], week[48]; /* first days of the current periods */
	int cohort;               /* joined_on year of the three */
	char p_prop[40], p_vote[40], p_info[40], p_mixed[40], p_small[40];
	char q1[40];              /* big's named consultation */
	char dep[64], dep_code[8]; /* the département mixed belongs to */
	char prop[12][40]; /* R0..R11's proposals in big; 11 is hidden */
	char draft[40];    /* R12's draft */
	char eid_reg[40], eid_auth[40];
	struct id_user admin, mod, anct, outsider;
	struct id_user r[NRES], s[NSMALL];
	char title[12][96];
} w;

/* ---- helpers ---- */

/* Compact JSON text of j (malloc'd). */
static char *
jdump(const json_t *j)
{
	return json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
}

/* The first days of the current month and ISO week in Europe/Paris. */
static void
paris_periods(void)
{
	time_t now = time(NULL);
	struct tm tm;

	setenv("TZ", "Europe/Paris", 1);
	tzset();
	localtime_r(&now, &tm);
	snprintf(w.month, sizeof(w.month), "%04d-%02d-01", tm.tm_year + 1900,
	        tm.tm_mon + 1);
	tm.tm_mday -= (tm.tm_wday + 6) % 7; /* back to Monday */
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	mktime(&tm);
	snprintf(w.week, sizeof(w.week), "%04d-%02d-%02d", tm.tm_year + 1900,
	        tm.tm_mon + 1, tm.tm_mday);
}

/* GET path as token: 200 JSON (new reference). */
static json_t *
mget(const char *path, const char *token)
{
	return ct_json(id_call("GET", path, token, NULL, NULL), 200);
}

/* The admin route's figures of slug for one period (from = to = start). */
static json_t *
coll_metrics(const char *slug, const char *period, const char *start,
        const char *extra, const char *token)
{
	return mget(ct_path(slug, "/metrics?period=%s&from=%s&to=%s%s", period,
	                    start, start, extra != NULL ? extra : ""),
	        token);
}

/* The only row of the only group of a collectivity's figures. */
static json_t *
only_row(json_t *m)
{
	json_t *g = json_object_get(m, "groups");

	check(json_array_size(g) == 1, "not one group: %s", jdump(m));
	g = json_object_get(json_array_get(g, 0), "rows");
	check(json_array_size(g) == 1, "not one row: %s", jdump(m));
	return json_array_get(g, 0);
}

/*
 * A published figure's value, SUPP when withheld ({"value": null,
 * "suppressed": true}), ABSENT when f is NULL; fails on any other shape.
 */
static long long
figv(const json_t *f, const char *what)
{
	const json_t *v = json_object_get(f, "value");

	if (f == NULL)
		return ABSENT;
	if (json_is_null(v)) {
		check(json_is_true(json_object_get(f, "suppressed")) &&
		                json_object_size(f) == 2,
		        "%s: null without suppressed: %s", what, jdump(f));
		return SUPP;
	}
	check(json_is_integer(v) && json_object_size(f) == 1 &&
	                json_integer_value(v) >= 0,
	        "%s: not {\"value\": n}: %s", what, jdump(f));
	return json_integer_value(v);
}

/* Member key of the figure object o (a path of up to two keys). */
static long long
fig2(const json_t *o, const char *k1, const char *k2)
{
	const json_t *f = json_object_get(o, k1);
	char what[64];

	if (k2 != NULL)
		f = json_object_get(f, k2);
	snprintf(what, sizeof(what), "%s%s%s", k1, k2 ? "." : "", k2 ? k2 : "");
	return figv(f, what);
}

/*
 * Set while checking a period's snapshot (the public and national
 * figures): protected across every collectivity at once, it may withhold
 * a figure as secondary that the collectivity's own tables publish, never
 * the reverse.
 */
static int snapshot_view;

#define expect_fig(o, k1, k2, want)                                            \
	do {                                                                   \
		long long got_ = fig2((o), (k1), (k2));                        \
		check(got_ == (want) ||                                        \
		                (snapshot_view && got_ == SUPP &&              \
		                        (want) != ABSENT),                     \
		        "%s%s%s: %lld, want %lld", (k1),                       \
		        (k2) != NULL ? "." : "", (k2) != NULL ? (k2) : "",     \
		        got_, (long long)(want));                              \
	} while (0)

/* Everything a collectivity's row should say; SUPP: withheld, ABSENT: no
 * such member. rate < 0: withheld. */
struct expect {
	long long participants;
	double rate;
	long long acts[5], total, contributors[5];
	long long new_accounts, verified_new, verified_total;
	long long processes;
	const char *by_phase; /* compact, keys sorted */
	long long published, answered, answers;
	double median; /* < 0: null */
};

static void
check_row(json_t *m, const struct expect *e)
{
	json_t *row = only_row(m), *g, *pr = json_object_get(row, "proposals");
	json_t *rate = json_object_get(row, "participation_rate");
	json_t *med = json_object_get(pr, "median_answer_days");
	char *s;
	int k;

	g = json_array_get(json_object_get(m, "groups"), 0);
	expect_fig(row, "participants", NULL, e->participants);
	if (snapshot_view && json_is_true(json_object_get(rate, "suppressed")))
		check(fig2(row, "participants", NULL) == SUPP,
		        "participation_rate withheld, not participants");
	else if (e->rate < 0)
		check(json_is_null(json_object_get(rate, "value")) &&
		                json_is_true(
		                        json_object_get(rate, "suppressed")),
		        "participation_rate not withheld: %s", jdump(rate));
	else
		check(json_is_real(json_object_get(rate, "value")) &&
		                fabs(json_real_value(
		                             json_object_get(rate, "value")) -
		                        e->rate) < 1e-9 &&
		                json_object_size(rate) == 1,
		        "participation_rate %s, want %.4f", jdump(rate),
		        e->rate);
	for (k = 0; k < 5; k++) {
		expect_fig(row, "contributions", kinds[k], e->acts[k]);
		expect_fig(row, "contributors", kinds[k], e->contributors[k]);
	}
	expect_fig(row, "contributions", "total", e->total);
	expect_fig(row, "new_accounts", NULL, e->new_accounts);
	expect_fig(row, "verified_new", NULL, e->verified_new);
	/* the stock is the admin view's only: published per period, it
	   would give each period's newly verified by subtraction */
	if (snapshot_view)
		check(json_object_get(g, "verified_total") == NULL,
		        "verified_total in a snapshot");
	else
		expect_fig(g, "verified_total", NULL, e->verified_total);
	check(ct_int(json_object_get(row, "processes"), "all") == e->processes,
	        "processes.all: %s", jdump(json_object_get(row, "processes")));
	s = jdump(
	        json_object_get(json_object_get(row, "processes"), "by_phase"));
	check(strcmp(s, e->by_phase) == 0, "processes.by_phase %s, want %s", s,
	        e->by_phase);
	free(s);
	expect_fig(pr, "published", NULL, e->published);
	expect_fig(pr, "answered", NULL, e->answered);
	check(ct_int(pr, "answers") == e->answers, "answers: %s", jdump(pr));
	if (e->median < 0)
		check(json_is_null(med), "median_answer_days: %s", jdump(pr));
	else
		check(json_is_number(med) &&
		                fabs(json_number_value(med) - e->median) < 1e-9,
		        "median_answer_days: %s", jdump(pr));
}

/*
 * The protection rules every published table must follow: every
 * published people figure is 0 or >= 11, and a published total of
 * contributions never leaves exactly one kind to recover by subtraction
 * (when kinds are withheld, two at least; when none is, they add up).
 */
static void
check_protected(json_t *m)
{
	static const char *const people[] = {
	        "participants", "new_accounts", "verified_new"};
	json_t *g, *row;
	size_t i, t;
	int k;

	check(ct_int(json_object_get(m, "suppression"), "threshold") == 11,
	        "no suppression threshold 11: %.300s", jdump(m));
	json_array_foreach(json_object_get(m, "groups"), i, g)
	{
		long long v = fig2(g, "verified_total", NULL);

		check(v == ABSENT || v == SUPP || v == 0 || v >= 11,
		        "group %s: verified_total %lld published",
		        id_str(g, "key"), v);
		json_array_foreach(json_object_get(g, "rows"), t, row)
		{
			long long tot = fig2(row, "contributions", "total");
			long long sum = 0;
			int withheld = 0;

			for (k = 0; k < 3; k++) {
				v = fig2(row, people[k], NULL);
				check(v == ABSENT || v == SUPP || v == 0 ||
				                v >= 11,
				        "group %s %s: %s %lld published",
				        id_str(g, "key"), id_str(row, "start"),
				        people[k], v);
			}
			for (k = 0; k < 5; k++) {
				v = fig2(row, "contributors", kinds[k]);
				check(v == SUPP || v == 0 || v >= 11,
				        "group %s %s: contributors.%s %lld "
				        "published",
				        id_str(g, "key"), id_str(row, "start"),
				        kinds[k], v);
				v = fig2(row, "contributions", kinds[k]);
				if (v == SUPP)
					withheld++;
				else
					sum += v;
			}
			if (tot == SUPP)
				continue;
			check(withheld != 1,
			        "group %s %s: the total and all kinds but one "
			        "published: %s",
			        id_str(g, "key"), id_str(row, "start"),
			        jdump(json_object_get(row, "contributions")));
			check(withheld > 0 || sum == tot,
			        "group %s %s: kinds do not add up: %s",
			        id_str(g, "key"), id_str(row, "start"),
			        jdump(json_object_get(row, "contributions")));
			/* answered proposals are withheld with published ones */
			if (fig2(json_object_get(row, "proposals"), "published",
			            NULL) == SUPP)
				check(fig2(json_object_get(row, "proposals"),
				              "answered", NULL) == SUPP,
				        "answered published with published "
				        "withheld");
		}
	}
}

/* Nobody seeded here is named in text: no e-mail, display name or id. */
static void
check_no_person(const char *text, const char *what)
{
	const struct id_user *all[NRES + NSMALL + 4];
	size_t n = 0, i;

	for (i = 0; i < NRES; i++)
		all[n++] = &w.r[i];
	for (i = 0; i < NSMALL; i++)
		all[n++] = &w.s[i];
	all[n++] = &w.admin;
	all[n++] = &w.mod;
	all[n++] = &w.anct;
	all[n++] = &w.outsider;
	for (i = 0; i < n; i++) {
		check(strcasestr(text, all[i]->email) == NULL, "%s names %s",
		        what, all[i]->email);
		check(strstr(text, all[i]->name) == NULL, "%s names \"%s\"",
		        what, all[i]->name);
		check(strcasestr(text, all[i]->id) == NULL,
		        "%s has the account id %s", what, all[i]->id);
	}
}

/* Runs `participe admin grant-anct email` (exit 0). */
static void
grant_anct(const char *email)
{
	const char *bin = getenv("PARTICIPE_TEST_BIN");
	char cmd[512];
	int rc;

	snprintf(cmd, sizeof(cmd), "%s admin grant-anct '%s' >/dev/null 2>&1",
	        bin != NULL ? bin : "bin/participe", email);
	rc = system(cmd);
	check(rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0,
	        "participe admin grant-anct %s: status %d", email, rc);
}

/*
 * Publishes period (week, month) starting start now, though it is not
 * closed: `participe metrics publish --start` (the snapshot the public and
 * national figures come from, docs/suppression.md).
 */
static void
publish_now(const char *period, const char *start)
{
	const char *bin = getenv("PARTICIPE_TEST_BIN");
	char cmd[512];
	int rc;

	snprintf(cmd, sizeof(cmd),
	        "%s metrics publish --period %s --start %s >/dev/null",
	        bin != NULL ? bin : "bin/participe", period, start);
	rc = system(cmd);
	check(rc != -1 && WIFEXITED(rc) && WEXITSTATUS(rc) == 0,
	        "participe metrics publish %s %s: status %d", period, start,
	        rc);
}

/* A draft election of process pid (as the platform admin); id into eid. */
static void
election_new(const char *slug, const char *pid, const char *mode,
        const char *title, char *eid)
{
	char from[32], to[32];
	json_t *j;

	ct_time(-60, from, sizeof(from));
	ct_time(3600, to, sizeof(to));
	j = ct_json(
	        id_call("POST", ct_path(slug, "/processes/%s/elections", pid),
	                http_admin_token(), NULL,
	                ct_fmt("{\"title\":\"%s\",\"questions\":%s,"
	                       "\"opens_at\":\"%s\",\"closes_at\":\"%s\","
	                       "\"revote\":true,\"credential_mode\":\"%s\"}",
	                        title, SINGLE, from, to, mode)),
	        201);
	snprintf(eid, 40, "%s", id_str(j, "id"));
	json_decref(j);
}

/* A consultation of process pid made by the collectivity admin; its id. */
static void
consultation_new(const char *slug, const char *pid, const char *token,
        int anonymous, char *qid)
{
	json_t *j = ct_json(
	        id_call("POST",
	                ct_path(slug, "/processes/%s/consultations", pid),
	                token, NULL,
	                ct_fmt("{\"phase\":\"proposals\",\"title\":\"Avis %s\","
	                       "\"anonymous\":%s,%s}",
	                        anonymous ? "anonyme" : "nominatif",
	                        anonymous ? "true" : "false", QUESTION)),
	        201);

	snprintf(qid, 40, "%s", id_str(j, "id"));
	json_decref(j);
}

static void
respond(const char *slug, const char *qid, const struct id_user *u)
{
	json_decref(ct_json(
	        id_call("PUT", ct_path(slug, "/consultations/%s/response", qid),
	                u->token, u->ip, "{\"answers\":{\"q\":\"oui\"}}"),
	        201));
}

static void
comment(const char *slug, const char *prop, const struct id_user *u)
{
	json_decref(ct_comment_new(slug, ct_fmt("proposals/%s", prop), u->token,
	        "Bonne idée", NULL, NULL));
}

/* ---- the data set ---- */

/* big: the acts of R0..R12 (see test_definitions for the figures). */
static void
seed_big(void)
{
	char q1[40], q2[40], hex[65];
	struct voter v[NRES - 1], auth;
	struct election e, ea;
	struct signed_ballot s;
	size_t i;

	id_collectivity_new("metrics-big", "commune",
	        ct_fmt("\"population\":1000,\"density_class\":3,"
	               "\"has_qpv\":true,\"joined_on\":\"%d-03-01\"",
	                w.cohort),
	        w.big);
	id_member_new(&w.admin, "metrics-admin", w.big, "admin");
	id_member_new(&w.mod, "metrics-mod", w.big, "moderator");
	for (i = 0; i < NRES; i++)
		id_member_new(&w.r[i], "metrics-r", w.big, "resident");
	/* three published processes: proposals now, a vote now, and an
	   information phase now with results only in 50 days */
	ct_process_new(w.big, NULL, NULL, w.p_prop);
	ct_process_new(w.big,
	        ct_fmt("[%s]", ct_phase("vote", -86400, 30 * 86400)), NULL,
	        w.p_vote);
	ct_process_new(w.big,
	        ct_fmt("[%s,%s]", ct_phase("information", -86400, 40 * 86400),
	                ct_phase("results", 50 * 86400, 60 * 86400)),
	        NULL, w.p_info);
	/* responses: R0..R11 to a named consultation, R0..R4 to an
	   anonymous one */
	consultation_new(w.big, w.p_prop, w.admin.token, 0, q1);
	snprintf(w.q1, sizeof(w.q1), "%s", q1);
	consultation_new(w.big, w.p_prop, w.admin.token, 1, q2);
	for (i = 0; i < 12; i++)
		respond(w.big, q1, &w.r[i]);
	for (i = 0; i < 5; i++)
		respond(w.big, q2, &w.r[i]);
	/* proposals: one each by R0..R11, a draft by R12 */
	for (i = 0; i < 12; i++) {
		snprintf(w.title[i], sizeof(w.title[i]), "Proposition %zu %s",
		        i, w.big);
		json_decref(ct_proposal_new(w.big, w.p_prop, &w.r[i],
		        w.title[i], "Texte", NULL, w.prop[i]));
	}
	json_decref(ct_proposal_new(w.big, w.p_prop, &w.r[12], "Brouillon",
	        "Texte", "\"status\":\"draft\"", w.draft));
	/* supports: Ri to R(i+1)'s, R12 to R0's; R0 withdraws its own */
	for (i = 0; i < 12; i++)
		ct_support(w.big, w.prop[(i + 1) % 12], w.r[i].token, 201);
	ct_support(w.big, w.prop[0], w.r[12].token, 201);
	ct_empty(id_call("DELETE",
	                 ct_path(w.big, "/proposals/%s/support", w.prop[1]),
	                 w.r[0].token, NULL, NULL),
	        204);
	/* comments: one each by R0..R11 on their own, a second by R0 */
	for (i = 0; i < 12; i++)
		comment(w.big, w.prop[i], &w.r[i]);
	comment(w.big, w.prop[1], &w.r[0]);
	/* official answers to 0, 1, 2 (today: 0 days); 3 only evaluating */
	json_decref(ct_json(
	        id_call("POST",
	                ct_path(w.big, "/proposals/%s/answer", w.prop[0]),
	                w.mod.token, NULL,
	                "{\"state\":\"accepted\",\"answer\":"
	                "\"Retenue\",\"cost\":120000}"),
	        200));
	json_decref(ct_json(
	        id_call("POST",
	                ct_path(w.big, "/proposals/%s/answer", w.prop[1]),
	                w.mod.token, NULL,
	                "{\"state\":\"rejected\",\"answer\":"
	                "\"Non retenue\"}"),
	        200));
	json_decref(ct_json(
	        id_call("POST",
	                ct_path(w.big, "/proposals/%s/answer", w.prop[2]),
	                w.mod.token, NULL,
	                "{\"state\":\"accepted\",\"answer\":"
	                "\"Oui\"}"),
	        200));
	json_decref(ct_json(
	        id_call("POST",
	                ct_path(w.big, "/proposals/%s/answer", w.prop[3]),
	                w.mod.token, NULL, "{\"state\":\"evaluating\"}"),
	        200));
	/* the moderator hides R11's proposal: still an act, not open data */
	ct_empty(id_call("POST",
	                 ct_path(w.big, "/proposals/%s/hidden", w.prop[11]),
	                 w.mod.token, NULL, "{\"reason\":\"hors sujet\"}"),
	        204);
	/* ballots: R0..R11 register a key and vote, R0 votes again */
	memset(&e, 0, sizeof(e));
	memset(&ea, 0, sizeof(ea));
	election_new(
	        w.big, w.p_vote, "registered", "Vote enregistre", w.eid_reg);
	election_open(w.big, w.eid_reg, &e);
	for (i = 0; i < 12; i++) {
		crypto_sign_keypair(v[i].pk, v[i].sk);
		hex_encode(v[i].pk, 32, hex);
		json_decref(ct_json(
		        id_call("POST", epath(w.big, w.eid_reg, "/keys"),
		                w.r[i].token, NULL,
		                ct_fmt("{\"public_key\":\"%s\"}", hex)),
		        201));
		sign_choice(&e, &v[i], 1,
		        i % 2 ? "[\"platanes\"]" : "[\"tilleuls\"]", &s);
		cast_ok(w.big, w.eid_reg, &e, &s);
		sb_free(&s);
	}
	sign_choice(&e, &v[0], 2, "[\"platanes\"]", &s);
	cast_ok(w.big, w.eid_reg, &e, &s);
	sb_free(&s);
	/* and one ballot of an authority credential: no one known */
	election_new(
	        w.big, w.p_vote, "authority", "Vote par codes", w.eid_auth);
	crypto_sign_keypair(auth.pk, auth.sk);
	hex_encode(auth.pk, 32, hex);
	json_decref(ct_json(
	        id_call("POST", epath(w.big, w.eid_auth, "/credentials"),
	                http_admin_token(), NULL,
	                ct_fmt("{\"credentials\":[\"%s\"]}", hex)),
	        200));
	election_open(w.big, w.eid_auth, &ea);
	sign_choice(&ea, &auth, 1, "[\"tilleuls\"]", &s);
	cast_ok(w.big, w.eid_auth, &ea, &s);
	sb_free(&s);
	/* counted, for the open data */
	json_decref(ct_json(id_call("POST", epath(w.big, w.eid_reg, "/close"),
	                            http_admin_token(), NULL, NULL),
	        200));
	json_decref(ct_json(id_call("POST", epath(w.big, w.eid_auth, "/close"),
	                            http_admin_token(), NULL, NULL),
	        200));
	election_free(&e);
	election_free(&ea);
}

/* mixed: R0..R10 join and are verified; 11 proposals, 1 support by R0,
 * comments by R0 and R1. */
/*
 * A département of no cohort, with a code no other collectivity of the
 * database has (codes are unique per kind): mixed belongs to it.
 */
static void
seed_departement(void)
{
	int tries;

	for (tries = 0; tries < 200; tries++) {
		int n = 1 + (int)id_random(95);
		struct http_resp *r;

		if (n == 20)
			continue; /* Corsica is 2A and 2B */
		snprintf(w.dep_code, sizeof(w.dep_code), "%02d", n % 100);
		http_unique_slug("metrics-dep", w.dep, sizeof(w.dep));
		r = id_call("POST", "/v1/collectivities", http_admin_token(),
		        NULL,
		        ct_fmt("{\"slug\":\"%s\",\"name\":\"Test %s\","
		               "\"kind\":\"departement\",\"insee_code\":\"%s\"}",
		                w.dep, w.dep, w.dep_code));
		if (r != NULL && r->status == 201)
			return;
	}
	check(0, "no free département code");
}

static void
seed_mixed(void)
{
	char id[NMIXED][40];
	size_t i;

	seed_departement();
	id_collectivity_new("metrics-mixed", "epci",
	        ct_fmt("\"population\":2000,\"joined_on\":\"%d-06-15\","
	               "\"departement\":\"%s\"",
	                w.cohort, w.dep),
	        w.mixed);
	ct_process_new(w.mixed, NULL, NULL, w.p_mixed);
	for (i = 0; i < NMIXED; i++) {
		id_join(&w.r[i], w.mixed);
		id_verify(w.mixed, w.r[i].id, NULL);
		json_decref(ct_proposal_new(w.mixed, w.p_mixed, &w.r[i],
		        ct_fmt("Idee %zu", i), "Texte", NULL, id[i]));
	}
	ct_support(w.mixed, id[1], w.r[0].token, 201);
	comment(w.mixed, id[0], &w.r[0]);
	comment(w.mixed, id[0], &w.r[1]);
}

/* small: 3 residents, a proposal each, a comment by S0. */
static void
seed_small(void)
{
	char id[40];
	size_t i;

	id_collectivity_new("metrics-small", "commune",
	        ct_fmt("\"population\":500,\"has_qpv\":false,"
	               "\"joined_on\":\"%d-09-30\"",
	                w.cohort),
	        w.small);
	ct_process_new(w.small, NULL, NULL, w.p_small);
	for (i = 0; i < NSMALL; i++) {
		id_member_new(&w.s[i], "metrics-s", w.small, "resident");
		json_decref(ct_proposal_new(w.small, w.p_small, &w.s[i],
		        ct_fmt("Petite idee %zu", i), "Texte", NULL, id));
	}
	comment(w.small, id, &w.s[0]);
}

static int
group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	paris_periods();
	/* a year no other test uses, so that by=cohort has a group of
	   exactly these three */
	w.cohort = 1901 + (int)id_random(98);
	seed_big();
	seed_mixed();
	seed_small();
	id_user_new(&w.anct, "metrics-anct", ID_ADULT, 0);
	id_user_new(&w.outsider, "metrics-outsider", ID_ADULT, 0);
	publish_now("month", w.month);
	publish_now("week", w.week);
	return 0;
}

/* ---- tests ---- */

/*
 * big, the current month and week (every act was today, so both hold the
 * same figures):
 *
 *  - responses: R0..R11 to the named consultation (12) and R0..R4 to the
 *    anonymous one (5): 17 acts by 12 people;
 *  - proposals: R0..R11 one each, published (R11's later hidden: still
 *    an act), R12's draft is not: 12 acts by 12 people;
 *  - supports: R0..R11 one each and R12 one (R0's later withdrawn: still
 *    an act): 13 acts by 13 people;
 *  - comments: R0..R11 one each, R0 a second: 13 acts by 12 people;
 *  - ballots: R0..R11 one each in the registered election, R0 again
 *    (revote), one of an authority credential: 14 acts, by 12 known
 *    people;
 *  - total 17 + 12 + 13 + 13 + 14 = 69; participants R0..R12 = 13 (the
 *    admin and moderator only answer and hide: not acts), rate 13 / 1000
 *    = 0.0130;
 *  - new accounts: the admin, the moderator and 13 residents = 15;
 *    verified: the 13 residents, new and in all;
 *  - processes: 3 published, by phase information 1, proposals 1, vote 1
 *    (the results phase is in 50 days);
 *  - proposals: 12 published, 3 officially answered (the evaluating one
 *    has no answer), 3 answers in the period, each the same day: median
 *    0.0 days.
 */
static const struct expect big_all = {13, 0.013, {17, 12, 13, 13, 14}, 69,
        {12, 12, 13, 12, 12}, 15, 13, 13, 3,
        "{\"information\":1,\"proposals\":1,\"vote\":1}", 12, 3, 3, 0.0};

static void
test_definitions(void **state)
{
	json_t *m;

	(void)state;
	m = coll_metrics(w.big, "month", w.month, NULL, w.admin.token);
	check(strcmp(id_str(m, "collectivity"), w.big) == 0 &&
	                strcmp(id_str(m, "period"), "month") == 0 &&
	                json_is_null(json_object_get(m, "process_id")),
	        "month: %s", jdump(m));
	check(strcmp(id_str(only_row(m), "start"), w.month) == 0,
	        "month start: %s", id_str(only_row(m), "start"));
	check(ct_int(json_array_get(json_object_get(m, "groups"), 0),
	              "population") == 1000,
	        "population: %s", jdump(m));
	check_row(m, &big_all);
	check_protected(m);
	json_decref(m);
	m = coll_metrics(w.big, "week", w.week, NULL, w.admin.token);
	check(strcmp(id_str(only_row(m), "start"), w.week) == 0,
	        "week start: %s, want %s", id_str(only_row(m), "start"),
	        w.week);
	check_row(m, &big_all);
	json_decref(m);
	/* the platform admin too */
	m = coll_metrics(w.big, "month", w.month, NULL, http_admin_token());
	check_row(m, &big_all);
	json_decref(m);
}

/*
 * ?process= gives that process's figures only. The vote process: the 14
 * ballots by 12 known people, nothing else; participants 12 (rate
 * 0.0120); no member figures (those are not per process); 1 process, in
 * its vote phase. The proposals process: responses, proposals, supports
 * and comments (55 acts) by R0..R12.
 */
static void
test_process_filter(void **state)
{
	static const struct expect vote = {12, 0.012, {0, 0, 0, 0, 14}, 14,
	        {0, 0, 0, 0, 12}, ABSENT, ABSENT, ABSENT, 1, "{\"vote\":1}", 0,
	        0, 0, -1};
	static const struct expect prop = {13, 0.013, {17, 12, 13, 13, 0}, 55,
	        {12, 12, 13, 12, 0}, ABSENT, ABSENT, ABSENT, 1,
	        "{\"proposals\":1}", 12, 3, 3, 0.0};
	static const struct expect info = {0, 0.0, {0, 0, 0, 0, 0}, 0,
	        {0, 0, 0, 0, 0}, ABSENT, ABSENT, ABSENT, 1,
	        "{\"information\":1}", 0, 0, 0, -1};
	json_t *m;

	(void)state;
	m = coll_metrics(w.big, "month", w.month,
	        ct_fmt("&process=%s", w.p_vote), w.admin.token);
	check(strcmp(id_str(m, "process_id"), w.p_vote) == 0, "process_id: %s",
	        jdump(m));
	check_row(m, &vote);
	json_decref(m);
	m = coll_metrics(w.big, "week", w.week, ct_fmt("&process=%s", w.p_prop),
	        w.admin.token);
	check_row(m, &prop);
	json_decref(m);
	m = coll_metrics(w.big, "month", w.month,
	        ct_fmt("&process=%s", w.p_info), w.admin.token);
	check_row(m, &info);
	json_decref(m);
	/* another collectivity's process is not one of big's */
	ct_problem(
	        id_call("GET", ct_path(w.big, "/metrics?process=%s", w.p_small),
	                w.admin.token, NULL, NULL),
	        404, NULL);
}

/* Refused requests. */
static void
test_refusals(void **state)
{
	struct http_resp *r;
	json_t *m;

	(void)state;
	ct_problem(id_call("GET", ct_path(w.big, "/metrics?period=day"),
	                   w.admin.token, NULL, NULL),
	        422, "period");
	ct_problem(id_call("GET", ct_path(w.big, "/metrics?from=2026-13-01"),
	                   w.admin.token, NULL, NULL),
	        422, "from");
	ct_problem(id_call("GET", ct_path(w.big, "/metrics?to=2026-02-30"),
	                   w.admin.token, NULL, NULL),
	        422, "to");
	ct_problem(id_call("GET", ct_path(w.big, "/metrics?from=yesterday"),
	                   w.admin.token, NULL, NULL),
	        422, "from");
	ct_problem(id_call("GET",
	                   ct_path(w.big, "/metrics?from=2026-05-01"
	                                  "&to=2026-01-01"),
	                   w.admin.token, NULL, NULL),
	        422, "from");
	/* 2000-01-03 to now: well over 260 weeks */
	ct_problem(id_call("GET",
	                   ct_path(w.big, "/metrics?period=week"
	                                  "&from=2000-01-01"),
	                   w.admin.token, NULL, NULL),
	        422, "from");
	ct_problem(id_call("GET", ct_path(w.big, "/metrics?format=xml"),
	                   w.admin.token, NULL, NULL),
	        422, "format");
	/* exactly 260 months is allowed: 2000-01 .. 2021-08 */
	m = mget(ct_path(w.big, "/metrics?from=2000-01-01&to=2021-08-31"),
	        w.admin.token);
	check(json_array_size(json_object_get(
	              json_array_get(json_object_get(m, "groups"), 0),
	              "rows")) == 260,
	        "260 months: %zu rows",
	        json_array_size(json_object_get(
	                json_array_get(json_object_get(m, "groups"), 0),
	                "rows")));
	json_decref(m);
	/* the default: the last 12 months, up to this one */
	m = mget(ct_path(w.big, "/metrics"), w.admin.token);
	{
		json_t *rows = json_object_get(
		        json_array_get(json_object_get(m, "groups"), 0),
		        "rows");

		check(json_array_size(rows) == 12 &&
		                strcmp(id_str(json_array_get(rows, 11),
		                               "start"),
		                        w.month) == 0,
		        "default periods: %s", jdump(rows));
	}
	json_decref(m);
	/* who */
	ct_problem(id_call("GET", ct_path(w.big, "/metrics"), w.r[0].token,
	                   NULL, NULL),
	        403, NULL);
	ct_problem(id_call("GET", ct_path(w.big, "/metrics"), w.mod.token, NULL,
	                   NULL),
	        403, NULL);
	ct_problem(id_call("GET", ct_path(w.small, "/metrics"), w.admin.token,
	                   NULL, NULL),
	        404, NULL);
	ct_problem(id_call("GET", ct_path(w.big, "/metrics"), NULL, NULL, NULL),
	        401, NULL);
	ct_problem(
	        id_call("GET", "/v1/collectivities/no-such-place-xyz/metrics",
	                http_admin_token(), NULL, NULL),
	        404, NULL);
	ct_problem(
	        id_call("GET",
	                "/v1/collectivities/no-such-place-xyz/metrics/public",
	                NULL, NULL, NULL),
	        404, NULL);
	r = id_call("GET",
	        "/v1/collectivities/no-such-place-xyz/opendata/"
	        "proposals",
	        NULL, NULL, NULL);
	check_status(r, 404);
	http_resp_free(r);
}

/* The CSV header of the figures (lib/metricsview.c). */
#define CSV_HEAD                                                               \
	"group,label,collectivities,population,start,participants,"            \
	"participation_rate,contributions_response,contributions_proposal,"    \
	"contributions_support,contributions_comment,contributions_ballot,"    \
	"contributions_total,contributors_response,contributors_proposal,"     \
	"contributors_support,contributors_comment,contributors_ballot,"       \
	"new_accounts,verified_new,processes,proposals_published,"             \
	"proposals_answered,answers,median_answer_days,suppressed"

/* Splits a CSV line without quotes into fields (modifies line). */
static size_t
csv_split(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (n < max) {
		f[n++] = p;
		p = strchr(p, ',');
		if (p == NULL)
			break;
		*p++ = '\0';
	}
	return n;
}

/* GET path as token in CSV: 200 text/csv; the body (malloc'd). */
static char *
csv_get(const char *path, const char *token)
{
	struct http_resp *r = id_call("GET", path, token, NULL, NULL);
	const char *ct;
	char *body;

	check_status(r, 200);
	ct = http_resp_header(r, "content-type");
	check(ct != NULL && strncmp(ct, "text/csv", 8) == 0,
	        "%s: Content-Type %s", path, ct != NULL ? ct : "(none)");
	body = strdup(r->body);
	http_resp_free(r);
	return body;
}

/* format=csv: the header, then one line per group and period. */
static void
test_csv(void **state)
{
	char *csv, *f[40], *line2;
	size_t n;

	(void)state;
	csv = csv_get(ct_path(w.big, "/metrics?format=csv&from=%s&to=%s",
	                      w.month, w.month),
	        w.admin.token);
	check(strncmp(csv, CSV_HEAD "\r\n", strlen(CSV_HEAD) + 2) == 0,
	        "CSV header: %.400s", csv);
	line2 = csv + strlen(CSV_HEAD) + 2;
	check(strlen(line2) > 2 &&
	                strcmp(line2 + strlen(line2) - 2, "\r\n") == 0 &&
	                strstr(line2, "\r\n") == line2 + strlen(line2) - 2,
	        "CSV: not one CRLF-ended row: %s", line2);
	line2[strlen(line2) - 2] = '\0';
	n = csv_split(line2, f, 40);
	check(n == 26, "CSV row of %zu fields: %s", n, csv);
	check(strcmp(f[0], w.big) == 0 && strcmp(f[3], "1000") == 0 &&
	                strcmp(f[4], w.month) == 0 && strcmp(f[5], "13") == 0 &&
	                strcmp(f[6], "0.0130") == 0 &&
	                strcmp(f[7], "17") == 0 && strcmp(f[11], "14") == 0 &&
	                strcmp(f[12], "69") == 0 && strcmp(f[15], "13") == 0 &&
	                strcmp(f[18], "15") == 0 && strcmp(f[19], "13") == 0 &&
	                strcmp(f[20], "3") == 0 && strcmp(f[21], "12") == 0 &&
	                strcmp(f[22], "3") == 0 && strcmp(f[23], "3") == 0 &&
	                strcmp(f[24], "0.0") == 0 && strcmp(f[25], "") == 0,
	        "CSV row of big");
	free(csv);
	/* small: empty fields and the withheld columns named */
	csv = csv_get(ct_path(w.small, "/metrics?format=csv&from=%s&to=%s",
	                      w.month, w.month),
	        http_admin_token());
	line2 = csv + strlen(CSV_HEAD) + 2;
	line2[strcspn(line2, "\r")] = '\0';
	n = csv_split(line2, f, 40);
	check(n == 26 && strcmp(f[5], "") == 0 && strcmp(f[6], "") == 0 &&
	                strcmp(f[7], "0") == 0 && strcmp(f[8], "") == 0 &&
	                strcmp(f[12], "") == 0 &&
	                strstr(f[25], "participants") != NULL &&
	                strstr(f[25], "contributions_proposal") != NULL &&
	                strstr(f[25], "new_accounts") != NULL,
	        "CSV row of small: %s", csv);
	free(csv);
}

/*
 * small: 3 residents who joined and were verified today, 3 proposals by
 * 3 people and 1 comment by 1: every figure about 1..10 people is
 * withheld, the rate and verified_total with them; the zeros (responses,
 * supports, ballots, their contributors) are published; the count of
 * processes (1, in its proposals phase) describes no one.
 */
static void
test_suppression_small(void **state)
{
	static const struct expect small = {SUPP, -1, {0, SUPP, 0, SUPP, 0},
	        SUPP, {0, SUPP, 0, SUPP, 0}, SUPP, SUPP, SUPP, 1,
	        "{\"proposals\":1}", SUPP, SUPP, 0, -1};
	json_t *m;

	(void)state;
	m = coll_metrics(w.small, "month", w.month, NULL, http_admin_token());
	check_row(m, &small);
	check_protected(m);
	check(json_object_get(m, "suppression") != NULL, "no suppression");
	json_decref(m);
	m = coll_metrics(w.small, "week", w.week, NULL, http_admin_token());
	check_row(m, &small);
	json_decref(m);
	/* and over a year of months: every row protected */
	m = mget(ct_path(w.small, "/metrics?period=month"), http_admin_token());
	check_protected(m);
	json_decref(m);
}

/*
 * mixed: 11 proposals by 11 people, 1 support by R0, 2 comments by R0 and
 * R1: 0 | 11 | 1 | 2 | 0 || 14, participants R0..R10 = 11. The support
 * and the comments are withheld; the total is published, so at least one
 * more kind must be (else 14 - 11 - 0 - 0 = 3 would give support +
 * comments); participants, 11 new and verified members are published.
 */
static void
test_suppression_mixed(void **state)
{
	static const long long truth[5] = {0, 11, 1, 2, 0};
	json_t *m, *row, *c;
	long long tot, rest = 0;
	int k, withheld = 0;

	(void)state;
	m = coll_metrics(w.mixed, "month", w.month, NULL, http_admin_token());
	check_protected(m);
	row = only_row(m);
	c = json_object_get(row, "contributions");
	expect_fig(row, "participants", NULL, 11);
	expect_fig(row, "new_accounts", NULL, 11);
	expect_fig(row, "verified_new", NULL, 11);
	expect_fig(json_array_get(json_object_get(m, "groups"), 0),
	        "verified_total", NULL, 11);
	/* proposals (11 contributors) are withheld to protect the support
	   and the comments, and so are the people behind them: published,
	   11 contributors would bound the withheld count from below */
	expect_fig(row, "contributors", "proposal", SUPP);
	expect_fig(row, "contributors", "support", SUPP);
	expect_fig(row, "contributors", "comment", SUPP);
	expect_fig(row, "contributions", "support", SUPP);
	expect_fig(row, "contributions", "comment", SUPP);
	check(fabs(json_real_value(json_object_get(
	                   json_object_get(row, "participation_rate"),
	                   "value")) -
	              0.0055) < 1e-9,
	        "rate 11/2000: %s",
	        jdump(json_object_get(row, "participation_rate")));
	tot = fig2(c, "total", NULL);
	if (tot != SUPP) {
		check(tot == 14, "total %lld", tot);
		rest = tot;
		for (k = 0; k < 5; k++) {
			long long v = fig2(c, kinds[k], NULL);

			if (v == SUPP)
				withheld++;
			else {
				check(v == truth[k], "%s: %lld", kinds[k], v);
				rest -= v;
			}
		}
		check(withheld >= 2, "one kind withheld: %s", jdump(c));
		/* what the total leaves is no single withheld kind */
		for (k = 0; k < 5; k++)
			if (fig2(c, kinds[k], NULL) == SUPP)
				check(rest != truth[k],
				        "%s recoverable: %lld = total - "
				        "published",
				        kinds[k], rest);
	}
	json_decref(m);
}

/*
 * The people behind a kind of acts bound it from below: n acts of a kind
 * have at most n authors, and a withheld count of contributors (those
 * tables have no totals: never secondary) means 1 to 10 of them, so at
 * least one act. In mixed, with contributions withheld but the total
 * published, these bounds must still leave each withheld primary figure
 * (the support, 1 person; the comments, 2) an interval of 11 values or
 * more (docs/suppression.md § 3), for someone who reads both tables.
 */
static void
test_suppression_across_tables(void **state)
{
	json_t *m, *row, *c, *p;
	long long tot, rest, lo[5], hi;
	int k, j, withheld[5];

	(void)state;
	m = coll_metrics(w.mixed, "month", w.month, NULL, http_admin_token());
	row = only_row(m);
	c = json_object_get(row, "contributions");
	p = json_object_get(row, "contributors");
	tot = fig2(c, "total", NULL);
	if (tot == SUPP) {
		json_decref(m);
		return;
	}
	rest = tot;
	for (k = 0; k < 5; k++) {
		long long v = fig2(c, kinds[k], NULL);
		long long who = fig2(p, kinds[k], NULL);

		withheld[k] = v == SUPP;
		if (!withheld[k])
			rest -= v;
		lo[k] = who == SUPP ? 1 : who;
	}
	/* the support (k = 2) and the comments (k = 3) are primary */
	for (k = 2; k <= 3; k++) {
		if (!withheld[k])
			continue;
		hi = rest;
		for (j = 0; j < 5; j++)
			if (j != k && withheld[j])
				hi -= lo[j];
		if (hi - lo[k] < 11) {
			char *s = jdump(row);

			print_message(
			        "SERVER BUG (small-cell protection): in "
			        "%s, contributions.%s is withheld but lies "
			        "in [%lld, %lld]: the published total %lld "
			        "minus the published kinds, minus the other "
			        "withheld kinds' lower bounds (acts >= "
			        "published contributors, >= 1 for withheld "
			        "ones): %s\n",
			        w.mixed, kinds[k], lo[k], hi, tot, s);
			free(s);
			json_decref(m);
			fail_msg("a withheld contribution can be bounded");
		}
	}
	json_decref(m);
}

/* The group of key in a roll-up, or NULL. */
static json_t *
group_of(json_t *m, const char *key)
{
	json_t *g;
	size_t i;

	json_array_foreach(json_object_get(m, "groups"), i, g)
	{
		if (strcmp(id_str(g, "key"), key) == 0)
			return g;
	}
	return NULL;
}

/* GET /v1/metrics?by=by for the current month as token. */
static json_t *
national(const char *by, const char *token)
{
	return mget(
	        ct_fmt("/v1/metrics?by=%s&from=%s&to=%s", by, w.month, w.month),
	        token);
}

/* Every group's key matches what by= documents; no account id is one. */
static void
check_keys(json_t *m, const char *by)
{
	static const char *const kind_keys[] = {
	        "commune", "epci", "departement", "region", "other", NULL};
	json_t *g;
	size_t i;
	int ok, k;

	check(strcmp(id_str(m, "by"), by) == 0, "by: %s", id_str(m, "by"));
	json_array_foreach(json_object_get(m, "groups"), i, g)
	{
		const char *key = id_str(g, "key");
		long long n = ct_int(g, "collectivities");

		check(n >= 1, "group %s of %lld collectivities", key, n);
		check(json_is_array(json_object_get(g, "rows")) &&
		                json_array_size(json_object_get(g, "rows")) ==
		                        1,
		        "group %s rows", key);
		if (strcmp(by, "all") == 0)
			ok = strcmp(key, "all") == 0 &&
			     strcmp(id_str(g, "label"), "Programme") == 0;
		else if (strcmp(by, "kind") == 0) {
			for (ok = 0, k = 0; kind_keys[k] != NULL; k++)
				ok |= strcmp(key, kind_keys[k]) == 0;
		} else if (strcmp(by, "density") == 0)
			ok = (strlen(key) == 1 && key[0] >= '1' &&
			             key[0] <= '7') ||
			     strcmp(key, "unknown") == 0;
		else if (strcmp(by, "qpv") == 0)
			ok = strcmp(key, "qpv") == 0 ||
			     strcmp(key, "no-qpv") == 0;
		else if (strcmp(by, "cohort") == 0)
			ok = (strlen(key) == 4 &&
			             strspn(key, "0123456789") == 4) ||
			     strcmp(key, "unknown") == 0;
		else if (strcmp(by, "departement") == 0)
			ok = strcmp(key, "unknown") == 0 ||
			     (strlen(key) >= 2 && strlen(key) <= 3);
		else /* collectivity: one each, keyed by slug, not an id */
			ok = n == 1 &&
			     strspn(key,
			             "abcdefghijklmnopqrstuvwxyz0123456789-") ==
			             strlen(key) &&
			     !(strlen(key) == 36 && key[8] == '-' &&
			             key[13] == '-' && key[18] == '-' &&
			             key[23] == '-' &&
			             strspn(key, "0123456789abcdef-") == 36);
		check(ok, "by=%s: group key \"%s\" (label \"%s\")", by, key,
		        id_str(g, "label"));
	}
}

/*
 * ANCT: the role given by `participe admin grant-anct` reads every roll-up;
 * nobody else does. No person is named, groups are collectivities or
 * their groupings, and every people figure published is 0 or >= 11.
 */
static void
test_anct(void **state)
{
	static const char *const bys[] = {"all", "collectivity", "kind",
	        "density", "qpv", "departement", "cohort"};
	json_t *m, *g;
	char *s;
	size_t i;

	(void)state;
	/* before the grant, and for everyone else */
	ct_problem(id_call("GET", "/v1/metrics", w.anct.token, NULL, NULL), 403,
	        NULL);
	ct_problem(id_call("GET", "/v1/metrics", w.r[0].token, NULL, NULL), 403,
	        NULL);
	ct_problem(id_call("GET", "/v1/metrics?by=collectivity", w.admin.token,
	                   NULL, NULL),
	        403, NULL);
	ct_problem(id_call("GET", "/v1/metrics", NULL, NULL, NULL), 401, NULL);
	grant_anct(w.anct.email);
	ct_problem(id_call("GET", "/v1/metrics?by=person", w.anct.token, NULL,
	                   NULL),
	        422, "by");
	for (i = 0; i < sizeof(bys) / sizeof(bys[0]); i++) {
		m = national(bys[i], w.anct.token);
		s = jdump(m);
		check_no_person(s, bys[i]);
		free(s);
		check_keys(m, bys[i]);
		check_protected(m);
		json_decref(m);
	}
	/* by=collectivity lists ours, named by slug and name; small's
	   people are withheld there too */
	m = national("collectivity", w.anct.token);
	g = group_of(m, w.big);
	check(g != NULL &&
	                strcmp(id_str(g, "label"), ct_fmt("Test %s", w.big)) ==
	                        0 &&
	                ct_int(g, "population") == 1000,
	        "big in by=collectivity");
	check(group_of(m, w.mixed) != NULL && group_of(m, w.small) != NULL,
	        "mixed and small in by=collectivity");
	{
		json_t *row = json_array_get(
		        json_object_get(group_of(m, w.small), "rows"), 0);

		expect_fig(row, "participants", NULL, SUPP);
		expect_fig(row, "contributions", "proposal", SUPP);
		check(json_object_get(group_of(m, w.small), "verified_total") ==
		                NULL,
		        "verified_total in a snapshot");
	}
	/* what big publishes there is what its own figures say */
	{
		json_t *row = json_array_get(json_object_get(g, "rows"), 0);
		long long v = fig2(row, "participants", NULL);

		check(v == SUPP || v == 13, "big's participants: %lld", v);
		v = fig2(row, "contributions", "total");
		check(v == SUPP || v == 69, "big's contributions: %lld", v);
	}
	json_decref(m);
	/* by=kind: big and small are communes, mixed an EPCI */
	m = national("kind", w.anct.token);
	check(group_of(m, "commune") != NULL && group_of(m, "epci") != NULL,
	        "by=kind groups");
	json_decref(m);
	m = national("density", w.anct.token);
	check(group_of(m, "3") != NULL && group_of(m, "unknown") != NULL,
	        "by=density groups");
	json_decref(m);
	m = national("qpv", w.anct.token);
	check(group_of(m, "qpv") != NULL && group_of(m, "no-qpv") != NULL,
	        "by=qpv groups");
	json_decref(m);
	m = national("departement", w.anct.token);
	check(group_of(m, "unknown") != NULL, "by=departement groups");
	/* mixed's département: itself and mixed, named after it; its
	   figures are mixed's (the département has none), so mixed's page
	   and the group cannot both publish what the other withholds */
	g = group_of(m, w.dep_code);
	check(g != NULL && ct_int(g, "collectivities") == 2 &&
	                strcmp(id_str(g, "label"), ct_fmt("Test %s", w.dep)) ==
	                        0 &&
	                ct_int(g, "population") == 2000,
	        "département %s: %s", w.dep_code, g ? jdump(g) : "none");
	if (g != NULL) {
		json_t *byc = national("collectivity", w.anct.token);
		json_t *grow = json_array_get(json_object_get(g, "rows"), 0);
		json_t *mrow = json_array_get(
		        json_object_get(group_of(byc, w.mixed), "rows"), 0);
		json_t *drow = json_array_get(
		        json_object_get(group_of(byc, w.dep), "rows"), 0);
		static const char *const f[][2] = {{"participants", NULL},
		        {"contributions", "proposal"},
		        {"contributions", "support"},
		        {"contributions", "comment"},
		        {"contributions", "total"}};
		size_t k;

		for (k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
			long long gv = fig2(grow, f[k][0], f[k][1]);
			long long mv = fig2(mrow, f[k][0], f[k][1]);
			long long dv = fig2(drow, f[k][0], f[k][1]);

			check(gv == SUPP || (mv == SUPP) == (dv == SUPP),
			        "%s%s%s: the département publishes %lld, mixed "
			        "%lld, the département itself %lld",
			        f[k][0], f[k][1] ? "." : "",
			        f[k][1] ? f[k][1] : "", gv, mv, dv);
			check(gv == SUPP || mv == SUPP || gv == mv,
			        "%s: the group %lld is not mixed's %lld", f[k][0],
			        gv, mv);
		}
		json_decref(byc);
	}
	json_decref(m);
	/* the cohort of the three: their sums where published
	   (participants 13 + 11 + 3 = 27, acts 69 + 14 + 4 = 87) */
	m = national("cohort", w.anct.token);
	g = group_of(m, ct_fmt("%d", w.cohort));
	check(g != NULL, "no cohort %d", w.cohort);
	if (ct_int(g, "collectivities") == 3) {
		json_t *row = json_array_get(json_object_get(g, "rows"), 0);
		long long v = fig2(row, "participants", NULL);

		/* a group with communes counts their population only (the
		   EPCI's is theirs again): big 1000 + small 500 */
		check(ct_int(g, "population") == 1500, "cohort population");
		check(v == SUPP || v == 27, "cohort participants %lld", v);
		v = fig2(row, "contributions", "total");
		check(v == SUPP || v == 87, "cohort contributions %lld", v);
	}
	json_decref(m);
	/* the platform admin may read them too; CSV as well */
	json_decref(national("all", http_admin_token()));
	s = csv_get(ct_fmt("/v1/metrics?by=kind&format=csv&from=%s&to=%s",
	                    w.month, w.month),
	        w.anct.token);
	check(strncmp(s, CSV_HEAD "\r\n", strlen(CSV_HEAD) + 2) == 0 &&
	                strstr(s, "\r\ncommune,") != NULL,
	        "national CSV: %.600s", s);
	check_no_person(s, "national CSV");
	free(s);
	s = csv_get(ct_fmt("/v1/metrics?by=collectivity&format=csv&from=%s"
	                   "&to=%s",
	                    w.month, w.month),
	        w.anct.token);
	check(strstr(s, ct_fmt("\r\n%s,", w.small)) != NULL,
	        "small not in the national CSV");
	check_no_person(s, "national CSV by collectivity");
	free(s);
}

/*
 * A group's figure is the sum of its collectivities' (docs/metrics.md),
 * so the roll-ups and by=collectivity are protected as one system, in the
 * period's snapshot (docs/suppression.md, "One pattern per period"): the
 * cohort of the three, published, minus the collectivities published,
 * must not give small's figures away.
 */
static void
test_rollups_across_requests(void **state)
{
	static const char *const figs[][2] = {{"participants", NULL},
	        {"new_accounts", NULL}, {"verified_new", NULL},
	        {"contributions", "response"}, {"contributions", "proposal"},
	        {"contributions", "support"}, {"contributions", "comment"},
	        {"contributions", "ballot"}, {"contributions", "total"},
	        {"contributors", "response"}, {"contributors", "proposal"},
	        {"contributors", "support"}, {"contributors", "comment"},
	        {"contributors", "ballot"}};
	const char *slugs[3] = {w.big, w.mixed, w.small};
	json_t *byc, *byk, *g, *row[3], *grow;
	size_t i, m;

	(void)state;
	grant_anct(w.anct.email);
	byk = national("cohort", w.anct.token);
	byc = national("collectivity", w.anct.token);
	g = group_of(byk, ct_fmt("%d", w.cohort));
	if (g == NULL || ct_int(g, "collectivities") != 3) {
		json_decref(byk);
		json_decref(byc);
		skip(); /* another run's collectivities share the year */
	}
	grow = json_array_get(json_object_get(g, "rows"), 0);
	for (m = 0; m < 3; m++)
		row[m] = json_array_get(
		        json_object_get(group_of(byc, slugs[m]), "rows"), 0);
	check(fig2(row[2], "participants", NULL) == SUPP,
	        "small's participants published");
	/* the cohort's figure minus its published members' is the sum of
	   the withheld ones: never one alone, and never small enough to pin
	   small's (which describes 3 people at most) below 11 */
	for (i = 0; i < sizeof(figs) / sizeof(figs[0]); i++) {
		long long tot = fig2(grow, figs[i][0], figs[i][1]), rest;
		int withheld = 0;

		if (tot == SUPP)
			continue;
		rest = tot;
		for (m = 0; m < 3; m++) {
			long long v = fig2(row[m], figs[i][0], figs[i][1]);

			if (v == SUPP)
				withheld++;
			else
				rest -= v;
		}
		check(withheld != 1,
		        "%s%s%s: by=cohort %lld and all its collectivities "
		        "but one published: that one is %lld",
		        figs[i][0], figs[i][1] ? "." : "",
		        figs[i][1] ? figs[i][1] : "", tot, rest);
		check(fig2(row[2], figs[i][0], figs[i][1]) != SUPP ||
		                rest >= 11,
		        "%s%s%s: small's withheld figure is at most %lld",
		        figs[i][0], figs[i][1] ? "." : "",
		        figs[i][1] ? figs[i][1] : "", rest);
	}
	json_decref(byk);
	json_decref(byc);
}

/* The public figures: anyone, all processes, the admin route's figures. */
/*
 * A public row against the admin's row of the same period: every figure
 * the snapshot publishes is the collectivity's own, and a count of acts
 * is published only with 0 or 11 contributors or more behind it.
 */
static void
check_public_row(const json_t *pub, const json_t *adm, const char *slug)
{
	static const char *const one[][2] = {{"participants", NULL},
	        {"new_accounts", NULL}, {"verified_new", NULL},
	        {"proposals", "published"}, {"proposals", "answered"},
	        {"contributions", "total"}};
	size_t i;
	int k;

	for (i = 0; i < sizeof(one) / sizeof(one[0]); i++) {
		const json_t *o = pub, *a = adm;
		const char *k1 = one[i][0], *k2 = one[i][1];
		long long p, v;

		if (strcmp(k1, "proposals") == 0) {
			o = json_object_get(pub, k1);
			a = json_object_get(adm, k1);
			k1 = k2;
			k2 = NULL;
		}
		p = fig2(o, k1, k2);
		v = fig2(a, k1, k2);
		check(p == SUPP || p == v, "%s public %s%s%s %lld, own %lld",
		        slug, k1, k2 ? "." : "", k2 ? k2 : "", p, v);
	}
	for (k = 0; k < 5; k++) {
		long long p = fig2(pub, "contributions", kinds[k]);
		long long who = fig2(adm, "contributors", kinds[k]);

		check(p == SUPP || p == fig2(adm, "contributions", kinds[k]),
		        "%s public contributions.%s %lld", slug, kinds[k], p);
		check(p == SUPP || who == 0 || who >= 11,
		        "%s publishes %lld %s by %lld people", slug, p,
		        kinds[k], who);
		p = fig2(pub, "contributors", kinds[k]);
		check(p == SUPP || p == who, "%s public contributors.%s %lld",
		        slug, kinds[k], p);
	}
}

static void
test_public(void **state)
{
	const char *slugs[3] = {w.big, w.mixed, w.small};
	json_t *pub, *adm, *g;
	char *a;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		pub = mget(ct_path(slugs[i], "/metrics/public?from=%s&to=%s",
		                   w.month, w.month),
		        NULL);
		adm = coll_metrics(
		        slugs[i], "month", w.month, NULL, http_admin_token());
		g = json_array_get(json_object_get(pub, "groups"), 0);
		check(json_array_size(json_object_get(pub, "groups")) == 1 &&
		                strcmp(id_str(g, "key"), slugs[i]) == 0,
		        "public %s: %s", slugs[i], jdump(pub));
		check_public_row(only_row(pub), only_row(adm), slugs[i]);
		check(strcmp(id_str(pub, "collectivity"), slugs[i]) == 0 &&
		                json_object_get(pub, "process_id") == NULL,
		        "public: %s", jdump(pub));
		/* published before the month closed: provisional */
		a = jdump(json_object_get(pub, "provisional"));
		check(strcmp(a, ct_fmt("[\"%s\"]", w.month)) == 0,
		        "provisional: %s", a);
		free(a);
		check(json_array_size(json_object_get(pub, "unpublished")) == 0,
		        "unpublished: %s", jdump(pub));
		a = jdump(json_object_get(pub, "groups"));
		check_no_person(a, "public figures");
		check_protected(pub);
		free(a);
		json_decref(pub);
		json_decref(adm);
	}
	/* small's people are withheld there too */
	pub = mget(ct_path(w.small, "/metrics/public?from=%s&to=%s", w.month,
	                   w.month),
	        NULL);
	expect_fig(only_row(pub), "participants", NULL, SUPP);
	expect_fig(only_row(pub), "contributions", "proposal", SUPP);
	json_decref(pub);
	/* signed in too, any week; refusals as on the admin route */
	pub = mget(ct_path(w.big, "/metrics/public?period=week&from=%s&to=%s",
	                   w.week, w.week),
	        w.outsider.token);
	snapshot_view = 1;
	check_row(pub, &big_all);
	snapshot_view = 0;
	json_decref(pub);
	/* a period nobody has published: no figures, and said so */
	pub = mget(ct_path(w.big, "/metrics/public?from=2001-01-01&to="
	                          "2001-02-01"),
	        NULL);
	a = jdump(json_object_get(pub, "unpublished"));
	check(strcmp(a, "[\"2001-01-01\",\"2001-02-01\"]") == 0 &&
	                json_array_size(json_object_get(pub, "groups")) == 0,
	        "unpublished periods: %s", jdump(pub));
	free(a);
	json_decref(pub);
	ct_problem(id_call("GET", ct_path(w.big, "/metrics/public?period=year"),
	                   NULL, NULL, NULL),
	        422, "period");
	{
		char *csv = csv_get(
		        ct_path(w.big, "/metrics/public?format=csv"), NULL);

		check(strncmp(csv, CSV_HEAD "\r\n", strlen(CSV_HEAD) + 2) == 0,
		        "public CSV: %.300s", csv);
		free(csv);
	}
}

/*
 * The server's job publishes closed periods by itself: tests/cli/
 * test_metrics.sh left counters three months back (43 participants in
 * all, 3 of them in cli-metrics-small) and that month unpublished
 * (PARTICIPE_TEST_SNAPSHOT_JOB says so); the server, run with
 * PARTICIPE_METRICS_SNAPSHOT_INTERVAL=1s, must publish it, not
 * provisional, the small collectivity withheld.
 */
static void
test_snapshot_job(void **state)
{
	char month[32];
	int y, mo, i;
	json_t *m = NULL, *g;

	(void)state;
	if (getenv("PARTICIPE_TEST_SNAPSHOT_JOB") == NULL)
		skip(); /* run without tests/cli/test_metrics.sh before */
	grant_anct(w.anct.email);
	check(sscanf(w.month, "%d-%d", &y, &mo) == 2, "month %s", w.month);
	mo -= 3;
	if (mo < 1) {
		mo += 12;
		y--;
	}
	snprintf(month, sizeof(month), "%04d-%02d-01", y % 10000, mo % 100);
	for (i = 0; i < 200; i++) {
		json_decref(m);
		m = mget(ct_fmt("/v1/metrics?by=collectivity&from=%s&to=%s",
		                 month, month),
		        w.anct.token);
		if (json_array_size(json_object_get(m, "unpublished")) == 0)
			break;
		usleep(100000);
	}
	check(json_array_size(json_object_get(m, "unpublished")) == 0,
	        "the server's job did not publish %s in 20 s: %s", month,
	        jdump(m));
	check(json_array_size(json_object_get(m, "provisional")) == 0,
	        "a closed month published as provisional");
	g = group_of(m, "cli-metrics-small");
	check(g != NULL, "cli-metrics-small in %s", month);
	expect_fig(json_array_get(json_object_get(g, "rows"), 0),
	        "participants", NULL, SUPP);
	json_decref(m);
	m = mget(ct_fmt("/v1/metrics?by=all&from=%s&to=%s", month, month),
	        w.anct.token);
	/* 43 on run.sh's fresh database; more where earlier runs left
	   theirs */
	check(fig2(only_row(m), "participants", NULL) >= 43,
	        "the programme's participants: %s", jdump(only_row(m)));
	json_decref(m);
	/* with the month, its weeks (those whose Sunday is in it: the
	   weeks of its 1st to its 22nd), final; the week of its second
	   Monday withholds cli-metrics-small's 3 commenters */
	m = mget(ct_fmt("/v1/metrics?by=collectivity&period=week&from=%s&to="
	                "%.8s22",
	                 month, month),
	        w.anct.token);
	check(json_array_size(json_object_get(m, "unpublished")) == 0 &&
	                json_array_size(json_object_get(m, "provisional")) ==
	                        0,
	        "the month's weeks published with it: %s",
	        jdump(json_object_get(m, "unpublished")));
	g = group_of(m, "cli-metrics-small");
	check(g != NULL && json_array_size(json_object_get(g, "rows")) >= 4,
	        "cli-metrics-small's weeks of %s", month);
	for (i = 0; i < (int)json_array_size(json_object_get(g, "rows")); i++) {
		json_t *r = json_array_get(json_object_get(g, "rows"), (size_t)i);

		if (json_equal(json_object_get(json_object_get(
		                       json_object_get(r, "contributors"),
		                       "comment"),
		                       "suppressed"),
		            json_true()))
			break;
	}
	check(i < (int)json_array_size(json_object_get(g, "rows")),
	        "a week withholds cli-metrics-small's 3 commenters");
	json_decref(m);
}

/* The datasets and their documented columns (docs/opendata.md). */
static const struct {
	const char *name, *cols;
} datasets[] = {
        {"processes", "process_id,title,description,area,published_at,"
                      "information_start,information_end,proposals_start,"
                      "proposals_end,review_start,review_end,vote_start,"
                      "vote_end,results_start,results_end"},
        {"proposals", "proposal_id,process_id,title,body,category,area,"
                      "state,estimated_cost,supports,comments,published_at,"
                      "answered_at"},
        {"answers",
                "proposal_id,process_id,state,answer,answer_cost,answered_at"},
        {"consultations",
                "consultation_id,process_id,consultation_title,responses,"
                "question_id,question_title,question_type,answered,"
                "option_id,option_label,count,share,borda,mean,median"},
        {"elections", "election_id,process_id,election_title,closed_at,"
                      "ballots,question_id,question_text,option_id,"
                      "option_label,total,winner,selected"},
};

/* The objects of arr whose member key is value. */
static size_t
count_eq(json_t *arr, const char *key, const char *value)
{
	return ct_count(arr, key, value);
}

static void
test_opendata(void **state)
{
	size_t d, i;
	char *csv, *s;
	json_t *j, *o;

	(void)state;
	for (d = 0; d < sizeof(datasets) / sizeof(datasets[0]); d++) {
		const char *name = datasets[d].name;
		char cols[512], *tok, *save = NULL;
		size_t ncols = 0;

		/* CSV, the default */
		csv = csv_get(ct_path(w.big, "/opendata/%s", name), NULL);
		check(strncmp(csv, datasets[d].cols,
		              strlen(datasets[d].cols)) == 0 &&
		                strncmp(csv + strlen(datasets[d].cols), "\r\n",
		                        2) == 0,
		        "%s: CSV header %.300s", name, csv);
		check(strlen(csv) >= 2 &&
		                strcmp(csv + strlen(csv) - 2, "\r\n") == 0,
		        "%s: CSV not CRLF-ended", name);
		check_no_person(csv, name);
		free(csv);
		csv = csv_get(ct_path(w.big, "/opendata/%s?format=csv", name),
		        w.outsider.token);
		free(csv);
		/* JSON: objects with exactly those members */
		j = mget(
		        ct_path(w.big, "/opendata/%s?format=json", name), NULL);
		check(json_is_array(j), "%s: not an array", name);
		snprintf(cols, sizeof(cols), "%s", datasets[d].cols);
		for (tok = strtok_r(cols, ",", &save); tok != NULL;
		        tok = strtok_r(NULL, ",", &save))
			ncols++;
		json_array_foreach(j, i, o)
		{
			check(json_object_size(o) == ncols,
			        "%s: %zu members, want %zu", name,
			        json_object_size(o), ncols);
			snprintf(cols, sizeof(cols), "%s", datasets[d].cols);
			for (tok = strtok_r(cols, ",", &save); tok != NULL;
			        tok = strtok_r(NULL, ",", &save))
				check(json_object_get(o, tok) != NULL,
				        "%s: no member %s", name, tok);
		}
		s = jdump(j);
		check_no_person(s, name);
		free(s);
		json_decref(j);
	}
	/* consultations: the named one's results once published (the
	   phase closed early): 12 answered "oui", none "non" */
	json_decref(ct_json(id_call("POST",
	                            ct_path(w.big, "/processes/%s/phases/"
	                                           "proposals/close",
	                                    w.p_prop),
	                            w.admin.token, NULL,
	                            "{\"reason\":\"test\"}"),
	        200));
	json_decref(ct_json(id_call("POST",
	                            ct_path(w.big,
	                                    "/consultations/%s/results/publish",
	                                    w.q1),
	                            w.admin.token, NULL, NULL),
	        200));
	j = mget(ct_path(w.big, "/opendata/consultations?format=json"), NULL);
	check(json_array_size(j) == 2 &&
	                count_eq(j, "consultation_id", w.q1) == 2 &&
	                count_eq(j, "option_id", "oui") == 1 &&
	                count_eq(j, "option_id", "non") == 1,
	        "consultations: %s", jdump(j));
	json_array_foreach(j, i, o)
	{
		int oui = strcmp(id_str(o, "option_id"), "oui") == 0;

		check(ct_int(o, "responses") == 12 &&
		                strcmp(id_str(o, "question_id"), "q") == 0 &&
		                ct_int(o, "count") == (oui ? 12 : 0),
		        "consultation row: %s", jdump(o));
	}
	json_decref(j);
	csv = csv_get(ct_path(w.big, "/opendata/consultations"), NULL);
	check(strstr(csv, ct_fmt("\r\n%s,", w.q1)) != NULL,
	        "consultations CSV: %.400s", csv);
	free(csv);
	/* processes: the three of big */
	j = mget(ct_path(w.big, "/opendata/processes?format=json"), NULL);
	check(json_array_size(j) == 3 &&
	                count_eq(j, "process_id", w.p_vote) == 1,
	        "processes: %s", jdump(j));
	json_decref(j);
	/* proposals: R0..R10's, not the hidden one nor the draft */
	j = mget(ct_path(w.big, "/opendata/proposals?format=json"), NULL);
	check(json_array_size(j) == 11, "%zu proposals", json_array_size(j));
	for (i = 0; i < 11; i++)
		check(count_eq(j, "title", w.title[i]) == 1 &&
		                count_eq(j, "proposal_id", w.prop[i]) == 1,
		        "proposal %zu missing", i);
	check(count_eq(j, "proposal_id", w.prop[11]) == 0 &&
	                count_eq(j, "title", w.title[11]) == 0,
	        "the hidden proposal is open data");
	check(count_eq(j, "proposal_id", w.draft) == 0, "the draft is there");
	o = json_array_get(j, 0); /* R0's: answered, supported by R11, R12 */
	check(strcmp(id_str(o, "proposal_id"), w.prop[0]) == 0 &&
	                strcmp(id_str(o, "state"), "accepted") == 0 &&
	                ct_int(o, "supports") == 2 &&
	                ct_int(o, "comments") == 1 &&
	                json_is_string(json_object_get(o, "answered_at")),
	        "R0's proposal: %s", jdump(o));
	json_decref(j);
	csv = csv_get(ct_path(w.big, "/opendata/proposals"), NULL);
	for (i = 0; i < 11; i++)
		check(strstr(csv, w.title[i]) != NULL, "CSV lacks %s",
		        w.title[i]);
	check(strstr(csv, w.title[11]) == NULL &&
	                strstr(csv, w.prop[11]) == NULL,
	        "the hidden proposal is in the CSV");
	free(csv);
	/* answers: the three official ones */
	j = mget(ct_path(w.big, "/opendata/answers?format=json"), NULL);
	check(json_array_size(j) == 3 &&
	                count_eq(j, "proposal_id", w.prop[0]) &&
	                count_eq(j, "proposal_id", w.prop[1]) &&
	                count_eq(j, "proposal_id", w.prop[2]) &&
	                ct_int(json_array_get(j, 0), "answer_cost") == 120000,
	        "answers: %s", jdump(j));
	json_decref(j);
	/* elections: both counted, one question of two options each */
	j = mget(ct_path(w.big, "/opendata/elections?format=json"), NULL);
	check(json_array_size(j) == 4 &&
	                count_eq(j, "election_id", w.eid_reg) == 2 &&
	                count_eq(j, "election_id", w.eid_auth) == 2,
	        "elections: %s", jdump(j));
	json_decref(j);
	/* another collectivity's rows are not big's */
	j = mget(ct_path(w.small, "/opendata/proposals?format=json"), NULL);
	check(json_array_size(j) == 3, "small's proposals: %s", jdump(j));
	for (i = 0; i < 12; i++)
		check(count_eq(j, "proposal_id", w.prop[i]) == 0,
		        "big's proposal in small's data");
	json_decref(j);
	/* unknown datasets and formats */
	ct_problem(id_call("GET", ct_path(w.big, "/opendata/accounts"), NULL,
	                   NULL, NULL),
	        404, NULL);
	ct_problem(
	        id_call("GET", ct_path(w.big, "/opendata/members?format=json"),
	                NULL, NULL, NULL),
	        404, NULL);
	ct_problem(
	        id_call("GET", ct_path(w.big, "/opendata/proposals?format=xml"),
	                NULL, NULL, NULL),
	        422, "format");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_definitions),
	        cmocka_unit_test(test_process_filter),
	        cmocka_unit_test(test_refusals),
	        cmocka_unit_test(test_csv),
	        cmocka_unit_test(test_suppression_small),
	        cmocka_unit_test(test_suppression_mixed),
	        cmocka_unit_test(test_suppression_across_tables),
	        cmocka_unit_test(test_anct),
	        cmocka_unit_test(test_rollups_across_requests),
	        cmocka_unit_test(test_public),
	        cmocka_unit_test(test_snapshot_job),
	        cmocka_unit_test(test_opendata),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
