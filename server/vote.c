/*
 * vote.c - casting ballots in batches, signing tree heads, counting
 *
 * See vote.h. Everything here runs on a worker's loop except the *_work
 * functions, which run on the task pool and only read what their request
 * holds (the election descriptor they read is immutable and referenced).
 */
#include "vote.h"

#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "election.h"
#include "log.h"
#include "merkle.h"
#include "req.h"
#include "server.h"
#include "task.h"
#include "wire.h"

/* Descriptors a worker keeps before evicting unused ones. */
#define CACHE_MAX 128

/*
 * Append transactions of one election a worker keeps in flight. One: the
 * ballots that arrive meanwhile make the next batch bigger, and a batch's
 * fixed cost (about a millisecond of SQL and a commit) is paid less often.
 * Two was measured slower (tests/bench/ballots.sh: batches of 5 instead
 * of 7, 0.32 instead of 0.54 of pgbench's INSERT rate).
 */
#define BATCHES_IN_FLIGHT 1

/* Counting chains the sweeper tracks at once. */
#define COUNTING_MAX 16

static unsigned char log_sk[crypto_sign_SECRETKEYBYTES];
static unsigned char log_pk[crypto_sign_PUBLICKEYBYTES];
static char log_pk_hex[2 * crypto_sign_PUBLICKEYBYTES + 1];

struct cast;

/* A worker's view of one opened election and its queue of ballots. */
struct velection {
	struct velection *next;
	char slug[64];
	char eid[37];
	struct election e;
	int refs;                 /* casts and batches using e */
	uint64_t used;            /* worker clock at last use, for eviction */
	struct cast *head, *tail; /* checked ballots waiting for a batch */
	size_t waiting;
	struct batch *batches; /* in flight */
	int inflight;
};

/* One append transaction of a worker's ballots for one election. */
struct batch {
	struct batch *next;
	struct velection *ve;
	struct cast *casts; /* in the order sent */
};

/* Per-worker state (worker->vote). */
struct vworker {
	struct velection *elections;
	size_t n;
	uint64_t clock;
	struct event *timer;
	int sweeping;
	char counting[COUNTING_MAX][128];
};

/* One ballot being cast. */
struct cast {
	struct cast *next;
	struct req *r;
	struct velection *ve;
	unsigned char *bytes;
	size_t len;
	unsigned char sig[ELECTION_SIG_BYTES];
	struct ballot b;
	enum ballot_err berr;
	char why[256];
	unsigned char tracker[ELECTION_HASH_BYTES];
	const char *slug, *eid;
};

static uint64_t
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The log key ---------------------------------------------------------- */

int
vote_init(const struct config *cfg)
{
	unsigned char seed[crypto_sign_SEEDBYTES];
	char hex[2 * crypto_sign_SEEDBYTES + 2];
	const char *path = cfg->log_key_file;
	FILE *f = fopen(path, "r");

	if (f != NULL) {
		size_t n = fread(hex, 1, sizeof(hex) - 1, f);

		fclose(f);
		hex[n] = '\0';
		if (n > 0 && hex[n - 1] == '\n')
			hex[--n] = '\0';
		if (hex_decode_fixed(hex, seed, sizeof(seed)) != 0) {
			log_msg("error",
			        "PARTICIPE_LOG_KEY_FILE \"%s\" does not hold "
			        "64 "
			        "lowercase hex digits",
			        path);
			return -1;
		}
	} else if (errno == ENOENT) {
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);

		randombytes_buf(seed, sizeof(seed));
		hex_encode(seed, sizeof(seed), hex);
		strcat(hex, "\n");
		if (fd < 0 ||
		        write(fd, hex, strlen(hex)) != (ssize_t)strlen(hex) ||
		        fsync(fd) != 0) {
			log_msg("error",
			        "cannot write the log key to \"%s\": %s", path,
			        strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
		close(fd);
		log_msg("info", "made a new log key in \"%s\"", path);
	} else {
		log_msg("error", "cannot read the log key \"%s\": %s", path,
		        strerror(errno));
		return -1;
	}
	crypto_sign_seed_keypair(log_pk, log_sk, seed);
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(hex, sizeof(hex));
	hex_encode(log_pk, sizeof(log_pk), log_pk_hex);
	return 0;
}

const char *
vote_log_key_hex(void)
{
	return log_pk_hex;
}

void
vote_sign(const unsigned char *m, size_t len, unsigned char sig[64])
{
	crypto_sign_detached(sig, NULL, m, len, log_sk);
}

/* Signs a tree head and returns it as the JSON heads_save takes. */
static json_t *
signed_head(const char *slug, const char *eid,
        const unsigned char fp[ELECTION_HASH_BYTES], uint64_t size,
        const unsigned char root[ELECTION_HASH_BYTES])
{
	uint64_t ms = wall_ms();
	unsigned char *m, sig[ELECTION_SIG_BYTES];
	char root_hex[65], sig_hex[129];
	size_t len;

	if (tree_head_message(fp, size, root, ms, &m, &len) != 0)
		return NULL;
	vote_sign(m, len, sig);
	free(m);
	hex_encode(root, ELECTION_HASH_BYTES, root_hex);
	hex_encode(sig, sizeof(sig), sig_hex);
	return json_pack("{s:s, s:s, s:I, s:s, s:I, s:s}", "slug", slug,
	        "election", eid, "tree_size", (json_int_t)size, "root",
	        root_hex, "issued_ms", (json_int_t)ms, "signature", sig_hex);
}

/* The worker's election cache ------------------------------------------ */

static struct vworker *
vw_of(struct worker *w)
{
	if (w->vote == NULL) {
		w->vote = calloc(1, sizeof(struct vworker));
		if (w->vote == NULL)
			abort();
	}
	return w->vote;
}

static struct velection *
cache_find(struct vworker *vw, const char *slug, const char *eid)
{
	struct velection *ve;

	for (ve = vw->elections; ve != NULL; ve = ve->next)
		if (strcmp(ve->eid, eid) == 0 && strcmp(ve->slug, slug) == 0) {
			ve->used = ++vw->clock;
			return ve;
		}
	return NULL;
}

/* Drops the least recently used idle entry when the cache is full. */
static void
cache_trim(struct vworker *vw)
{
	struct velection **pp, **victim = NULL;

	if (vw->n < CACHE_MAX)
		return;
	for (pp = &vw->elections; *pp != NULL; pp = &(*pp)->next) {
		struct velection *ve = *pp;

		if (ve->refs == 0 && ve->inflight == 0 && ve->waiting == 0 &&
		        (victim == NULL || ve->used < (*victim)->used))
			victim = pp;
	}
	if (victim != NULL) {
		struct velection *ve = *victim;

		*victim = ve->next;
		election_free(&ve->e);
		free(ve);
		vw->n--;
	}
}

static void
cast_unref(void *p)
{
	struct cast *c = p;

	ballot_free(&c->b);
	if (c->ve != NULL)
		c->ve->refs--;
}

/* Batches ---------------------------------------------------------------- */

static void flush(struct worker *w, struct velection *ve);

/* Answers one cast of a batch; status 201 carries index and at_ms. */
static void
cast_answer(struct cast *c, int status, const char *detail, json_int_t index,
        json_int_t at_ms, const struct problem *pb)
{
	struct req *r = c->r;
	unsigned char *m, sig[ELECTION_SIG_BYTES];
	char tr[65], sh[129], fp[65];
	size_t len;
	json_t *o;
	char *s;

	r->pending--;
	if (!req_wanted(r)) {
		req_release(r);
		return;
	}
	if (pb != NULL) {
		r->problem.retry_after = pb->retry_after;
		req_fail(r, pb->err, "%s", pb->detail);
		return;
	}
	if (status != 201) {
		req_fail(r, problem_err_from_status(status), "%s", detail);
		return;
	}
	if (receipt_message(c->ve->e.fingerprint, c->tracker, (uint64_t)index,
	            (uint64_t)at_ms, &m, &len) != 0) {
		req_fail(r, ERR_INTERNAL, "out of memory");
		return;
	}
	vote_sign(m, len, sig);
	free(m);
	hex_encode(c->tracker, sizeof(c->tracker), tr);
	hex_encode(sig, sizeof(sig), sh);
	hex_encode(c->ve->e.fingerprint, ELECTION_HASH_BYTES, fp);
	o = json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:I}", "tracker", tr,
	        "index", index, "timestamp", at_ms, "signature", sh,
	        "fingerprint", fp, "log_key", log_pk_hex, "seq",
	        (json_int_t)c->b.seq);
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (s == NULL) {
		req_fail(r, ERR_INTERNAL, "out of memory");
		return;
	}
	req_reply_json(r, 201, s);
	free(s);
}

/* Column 0 of ballots_append: one outcome per ballot of the batch. */
static void
batch_done(struct req *carrier, PGresult *res)
{
	struct batch *bt = carrier->ctx;
	json_t *out = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	struct cast *c = bt->casts, *next;
	size_t i = 0;

	bt->casts = NULL;
	atomic_fetch_add(&g_server.ballot_batches, 1);
	for (; c != NULL; c = next, i++) {
		json_t *o = json_array_get(out, i);
		json_int_t st =
		        json_integer_value(json_object_get(o, "status"));

		next = c->next;
		if (st == 201)
			atomic_fetch_add(&g_server.ballots_appended, 1);
		if (o == NULL)
			cast_answer(c, 500, "the ballot log did not answer", 0,
			        0, NULL);
		else
			cast_answer(c, (int)st,
			        json_string_value(json_object_get(o, "detail")),
			        json_integer_value(json_object_get(o, "index")),
			        json_integer_value(json_object_get(o, "at_ms")),
			        NULL);
	}
	json_decref(out);
	req_reply(carrier, 200, NULL, "", 0);
}

/* The batch's transaction ended (done or failed): next batch. */
static void
batch_answered(struct req *carrier)
{
	struct batch *bt = carrier->ctx, **bp;
	struct velection *ve = bt->ve;
	struct cast *c, *next;

	for (c = bt->casts; c != NULL; c = next) {
		next = c->next;
		cast_answer(c, 0, NULL, 0, 0, &carrier->problem);
	}
	for (bp = &ve->batches; *bp != NULL; bp = &(*bp)->next)
		if (*bp == bt) {
			*bp = bt->next;
			break;
		}
	ve->inflight--;
	ve->refs--;
	flush(carrier->w, ve);
}

/* 1 when a ballot of key is in flight or in the batch being made. */
static int
key_in_flight(const struct velection *ve, const struct cast *building,
        const unsigned char key[ELECTION_KEY_BYTES])
{
	const struct batch *bt;
	const struct cast *f;

	for (f = building; f != NULL; f = f->next)
		if (memcmp(f->b.key, key, ELECTION_KEY_BYTES) == 0)
			return 1;
	for (bt = ve->batches; bt != NULL; bt = bt->next)
		for (f = bt->casts; f != NULL; f = f->next)
			if (memcmp(f->b.key, key, ELECTION_KEY_BYTES) == 0)
				return 1;
	return 0;
}

/*
 * Sends the waiting ballots (up to PARTICIPE_BALLOT_BATCH) as one append;
 * returns 0 when none could go.
 */
static int
flush_one(struct worker *w, struct velection *ve)
{
	struct req *carrier;
	struct wbuf b = {0};
	struct batch *bt;
	struct cast *c, *building = NULL, **tail = &building, **pp,
	                *prev = NULL;
	const char **p;
	int n = 0;

	carrier = req_new_internal(w, "ballots", batch_answered);
	bt = arena_calloc(carrier->arena, 1, sizeof(*bt));
	bt->ve = ve;
	carrier->ctx = bt;
	wbuf_raw(&b, "[", 1);
	pp = &ve->head;
	while (*pp != NULL && n < g_server.cfg.ballot_batch) {
		char key[65], tr[65], *hex, *sig, *item;

		/* One ballot per key in flight: a second one (a quick revote)
		   waits for the next batch, so a key's ballots are judged in
		   the order they came. */
		c = *pp;
		if (key_in_flight(ve, building, c->b.key)) {
			prev = c;
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		if (ve->tail == c)
			ve->tail = prev;
		ve->waiting--;
		c->next = NULL;
		*tail = c;
		tail = &c->next;
		hex_encode(c->b.key, sizeof(c->b.key), key);
		hex_encode(c->tracker, sizeof(c->tracker), tr);
		hex = hex_dup(c->bytes, c->len);
		sig = hex_dup(c->sig, sizeof(c->sig));
		item = arena_printf(carrier->arena,
		        "%s{\"ballot\":\"%s\",\"signature\":\"%s\","
		        "\"key\":\"%s\",\"seq\":%llu,\"tracker\":\"%s\"}",
		        n > 0 ? "," : "", hex ? hex : "", sig ? sig : "", key,
		        (unsigned long long)c->b.seq, tr);
		free(hex);
		free(sig);
		wbuf_raw(&b, item, strlen(item));
		n++;
	}
	wbuf_raw(&b, "]", 2); /* with the NUL */
	if (n == 0) {
		free(b.p);
		carrier->on_answer = NULL;
		req_reply(carrier, 200, NULL, "", 0);
		return 0;
	}
	bt->casts = building;
	bt->next = ve->batches;
	ve->batches = bt;
	ve->inflight++;
	ve->refs++;
	p = arena_calloc(carrier->arena, 3, sizeof(*p));
	p[0] = ve->slug;
	p[1] = ve->eid;
	p[2] = b.oom ? "[]" : arena_strdup(carrier->arena, (char *)b.p);
	free(b.p);
	db_call(carrier, Q_BALLOTS_APPEND, batch_done, p);
	return 1;
}

/* Starts append transactions while there are ballots and room. */
static void
flush(struct worker *w, struct velection *ve)
{
	while (ve->inflight < BATCHES_IN_FLIGHT && ve->head != NULL)
		if (!flush_one(w, ve))
			return;
}

/* Casting ----------------------------------------------------------------- */

static void
cast_work(struct req *r, void *arg)
{
	struct cast *c = arg;

	(void)r;
	c->berr = ballot_check(&c->ve->e, c->bytes, c->len, c->sig, &c->b,
	        c->why, sizeof(c->why));
	if (c->berr == BALLOT_OK)
		ballot_tracker(c->bytes, c->len, c->tracker);
}

static void
cast_checked(struct req *r, void *arg)
{
	struct cast *c = arg;
	struct velection *ve = c->ve;

	if (c->berr != BALLOT_OK) {
		problem_add_field(&r->problem,
		        c->berr == BALLOT_BAD_SIGNATURE ? "signature"
		                                        : "ballot",
		        "%s", c->why);
		req_fail(r, ERR_INVALID, "%s",
		        c->berr == BALLOT_BAD_SIGNATURE
		                ? "the ballot's signature does not verify"
		        : c->berr == BALLOT_WRONG_ELECTION
		                ? "the ballot is for another election"
		        : c->berr == BALLOT_RULE
		                ? "the ballot's choice breaks a question's rule"
		        : c->berr == BALLOT_TOO_LARGE
		                ? "the ballot is too large"
		                : "the ballot is malformed");
		return;
	}
	r->pending++;
	if (ve->tail != NULL)
		ve->tail->next = c;
	else
		ve->head = c;
	ve->tail = c;
	ve->waiting++;
	flush(r->w, ve);
}

static void
cast_start(struct req *r, struct cast *c, struct velection *ve)
{
	c->ve = ve;
	ve->refs++;
	arena_defer(r->arena, cast_unref, c);
	req_task(r, cast_work, cast_checked, c);
}

/* The descriptor arrived: parse it once for this worker, then cast. */
static void
descriptor_done(struct req *r, PGresult *res)
{
	struct cast *c = r->ctx;
	struct vworker *vw = vw_of(r->w);
	struct velection *ve = cache_find(vw, c->slug, c->eid);
	const char *d = PQgetvalue(res, 0, 0);
	char why[256];

	if (ve == NULL) {
		ve = calloc(1, sizeof(*ve));
		if (ve == NULL)
			abort();
		if (election_parse(d, strlen(d), &ve->e, why, sizeof(why)) !=
		        0) {
			free(ve);
			log_msg("error", "election %s: bad descriptor: %s",
			        c->eid, why);
			req_fail(r, ERR_INTERNAL, "the election is damaged");
			return;
		}
		snprintf(ve->slug, sizeof(ve->slug), "%s", c->slug);
		snprintf(ve->eid, sizeof(ve->eid), "%s", c->eid);
		cache_trim(vw);
		ve->next = vw->elections;
		vw->elections = ve;
		vw->n++;
		ve->used = ++vw->clock;
	}
	cast_start(r, c, ve);
}

void
vote_cast(struct req *r, const char *slug, const char *eid)
{
	struct cast *c = arena_calloc(r->arena, 1, sizeof(*c));
	const char *bh = json_string_value(json_object_get(r->json, "ballot"));
	const char *sh =
	        json_string_value(json_object_get(r->json, "signature"));
	size_t hl = strlen(bh);
	struct velection *ve;

	c->r = r;
	c->slug = slug;
	c->eid = eid;
	if (hl > 2 * BALLOT_MAX_BYTES) {
		problem_add_field(&r->problem, "ballot",
		        "is %zu bytes, at most %d", hl / 2, BALLOT_MAX_BYTES);
		req_fail(r, ERR_INVALID, "the ballot is too large");
		return;
	}
	c->bytes = arena_alloc(r->arena, hl / 2 + 1);
	if (hex_decode(bh, c->bytes, hl / 2 + 1, &c->len) != 0) {
		problem_add_field(&r->problem, "ballot",
		        "must be lowercase hexadecimal, an even number of "
		        "digits");
		req_fail(r, ERR_INVALID, "the ballot is malformed");
		return;
	}
	if (hex_decode_fixed(sh, c->sig, sizeof(c->sig)) != 0) {
		problem_add_field(&r->problem, "signature",
		        "must be 128 lowercase hexadecimal digits");
		req_fail(r, ERR_INVALID, "the signature is malformed");
		return;
	}
	ve = cache_find(vw_of(r->w), slug, eid);
	if (ve != NULL) {
		cast_start(r, c, ve);
		return;
	}
	r->ctx = c;
	{
		const char **p = arena_calloc(r->arena, 2, sizeof(*p));

		p[0] = slug;
		p[1] = eid;
		db_call(r, Q_ELECTION_DESCRIPTOR, descriptor_done, p);
	}
}

/* Counting ---------------------------------------------------------------- */

struct count {
	struct req *waiter;
	const char *slug, *eid;
	PGresult *input;
	char *result; /* malloc'd */
	json_t *head;
	char err[256];
	const char *body; /* count_save's answer */
};

/*
 * The sweeper's set of elections being counted on this worker: op > 0
 * adds slug/eid, op < 0 removes it, op == 0 asks. Returns 1 when it is
 * there, or when asking and the set is full (wait for a free slot).
 */
static int
counting(struct worker *w, const char *slug, const char *eid, int op)
{
	struct vworker *vw = vw_of(w);
	char key[128];
	int i, free_slot = -1, used = 0;

	snprintf(key, sizeof(key), "%s/%s", slug, eid);
	for (i = 0; i < COUNTING_MAX; i++) {
		if (strcmp(vw->counting[i], key) == 0) {
			if (op < 0)
				vw->counting[i][0] = '\0';
			return 1;
		}
		if (vw->counting[i][0] == '\0') {
			if (free_slot < 0)
				free_slot = i;
		} else
			used++;
	}
	if (op > 0 && free_slot >= 0)
		snprintf(vw->counting[free_slot], sizeof(vw->counting[0]), "%s",
		        key);
	return op == 0 && used == COUNTING_MAX;
}

static void
count_free(void *p)
{
	struct count *ct = p;

	free(ct->result);
	json_decref(ct->head);
}

/* On the pool: decode every ballot entry, count, sign the final head. */
static void
count_work(struct req *r, void *arg)
{
	struct count *ct = arg;
	PGresult *res = ct->input;
	int i, n = PQntuples(res);
	struct election e;
	struct tally *t = NULL;
	unsigned char root[ELECTION_HASH_BYTES];
	const char *d;

	(void)r;
	memset(&e, 0, sizeof(e));
	if (n < 1 || PQgetisnull(res, 0, 0)) {
		snprintf(ct->err, sizeof(ct->err), "no descriptor");
		return;
	}
	d = PQgetvalue(res, 0, 0);
	if (election_parse(d, strlen(d), &e, ct->err, sizeof(ct->err)) != 0)
		return;
	if (memcmp(e.log_key, log_pk, sizeof(log_pk)) != 0) {
		snprintf(ct->err, sizeof(ct->err),
		        "the election's log key is not this server's");
		goto out;
	}
	t = tally_new(&e);
	for (i = 1; t != NULL && i < n; i++) {
		const char *hex = PQgetvalue(res, i, 3);
		size_t hl = strlen(hex), len;
		unsigned char *bytes = malloc(hl / 2 + 1);
		struct log_entry le;
		struct ballot b;
		char why[256];
		int bad = bytes == NULL ||
		          hex_decode(hex, bytes, hl / 2 + 1, &len) != 0 ||
		          log_entry_parse(bytes, len, &le) != 0 ||
		          le.kind != ENTRY_BALLOT;

		memset(&b, 0, sizeof(b));
		if (!bad && (ballot_decode(&e, le.ballot, le.ballot_len, &b,
		                     why, sizeof(why)) != BALLOT_OK ||
		                    tally_add(t, &b) != 0))
			bad = 1;
		ballot_free(&b);
		free(bytes);
		if (bad) {
			snprintf(ct->err, sizeof(ct->err),
			        "ballot entry %d cannot be counted", i - 1);
			goto out;
		}
	}
	ct->result = t != NULL ? tally_result(t) : NULL;
	if (ct->result == NULL) {
		snprintf(ct->err, sizeof(ct->err), "out of memory");
		goto out;
	}
	if (hex_decode_fixed(PQgetvalue(res, 0, 2), root, sizeof(root)) != 0) {
		snprintf(ct->err, sizeof(ct->err), "bad root");
		goto out;
	}
	ct->head = signed_head(ct->slug, ct->eid, e.fingerprint,
	        strtoull(PQgetvalue(res, 0, 1), NULL, 10), root);
	if (ct->head == NULL)
		snprintf(ct->err, sizeof(ct->err), "out of memory");
out:
	tally_free(t);
	election_free(&e);
}

static void
count_saved(struct req *r, PGresult *res)
{
	struct count *ct = r->ctx;

	ct->body = PQgetvalue(res, 0, 0);
	req_reply(r, 200, "application/json", ct->body, strlen(ct->body));
}

static void
count_worked(struct req *r, void *arg)
{
	struct count *ct = arg;
	const char **p;
	char *head;

	if (ct->err[0] != '\0') {
		log_msg("error", "counting election %s: %s", ct->eid, ct->err);
		req_fail(r, ERR_INTERNAL, "the election could not be counted");
		return;
	}
	head = json_dumps(ct->head, JSON_COMPACT);
	p = arena_calloc(r->arena, 4, sizeof(*p));
	p[0] = ct->slug;
	p[1] = ct->eid;
	p[2] = ct->result;
	p[3] = arena_strdup(r->arena, head != NULL ? head : "{}");
	free(head);
	db_call(r, Q_ELECTION_COUNT_SAVE, count_saved, p);
}

static void
count_input_done(struct req *r, PGresult *res)
{
	struct count *ct = r->ctx;

	ct->input = res;
	req_task(r, count_work, count_worked, ct);
}

static void
count_answered(struct req *carrier)
{
	struct count *ct = carrier->ctx;
	struct req *w = ct->waiter;

	counting(carrier->w, ct->slug, ct->eid, -1);
	if (w == NULL)
		return;
	w->pending--;
	if (!req_wanted(w)) {
		req_release(w);
		return;
	}
	if (carrier->status == 200 && ct->body != NULL)
		req_reply_json(w, 200, ct->body);
	else {
		w->problem.retry_after = carrier->problem.retry_after;
		req_fail(
		        w, carrier->problem.err, "%s", carrier->problem.detail);
	}
}

void
vote_count(
        struct worker *w, struct req *waiter, const char *slug, const char *eid)
{
	struct req *carrier = req_new_internal(w, "count", count_answered);
	struct count *ct = arena_calloc(carrier->arena, 1, sizeof(*ct));
	const char **p = arena_calloc(carrier->arena, 2, sizeof(*p));

	ct->waiter = waiter;
	ct->slug = arena_strdup(carrier->arena, slug);
	ct->eid = arena_strdup(carrier->arena, eid);
	arena_defer(carrier->arena, count_free, ct);
	carrier->ctx = ct;
	if (waiter != NULL)
		waiter->pending++;
	counting(w, slug, eid, 1);
	p[0] = ct->slug;
	p[1] = ct->eid;
	db_call(carrier, Q_ELECTION_COUNT_INPUT, count_input_done, p);
}

/* The sweeper (worker 0) -------------------------------------------------- */

static void
sweep_answered(struct req *carrier)
{
	struct vworker *vw = vw_of(carrier->w);

	vw->sweeping = 0;
	if (carrier->status != 200)
		log_msg("warn", "tree head sweep failed: %s",
		        carrier->problem.detail);
}

static void
heads_saved(struct req *r, PGresult *res)
{
	(void)res;
	req_reply(r, 200, NULL, "", 0);
}

static void
due_done(struct req *r, PGresult *res)
{
	json_t *due = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	json_t *heads = json_array();
	json_t *item;
	size_t i;

	json_array_foreach(due, i, item)
	{
		const char *slug =
		        json_string_value(json_object_get(item, "slug"));
		const char *eid =
		        json_string_value(json_object_get(item, "election"));
		const char *action =
		        json_string_value(json_object_get(item, "action"));
		unsigned char fp[32], root[32];
		json_t *h;

		if (slug == NULL || eid == NULL || action == NULL)
			continue;
		if (strcmp(action, "count") == 0) {
			if (!counting(r->w, slug, eid, 0))
				vote_count(r->w, NULL, slug, eid);
			continue;
		}
		if (strcmp(json_string_value(json_object_get(item, "log_key")),
		            log_pk_hex) != 0 ||
		        hex_decode_fixed(json_string_value(json_object_get(
		                                 item, "fingerprint")),
		                fp, 32) != 0 ||
		        hex_decode_fixed(json_string_value(
		                                 json_object_get(item, "root")),
		                root, 32) != 0)
			continue;
		h = signed_head(slug, eid, fp,
		        (uint64_t)json_integer_value(
		                json_object_get(item, "tree_size")),
		        root);
		if (h != NULL)
			json_array_append_new(heads, h);
	}
	json_decref(due);
	if (json_array_size(heads) > 0) {
		char *s = json_dumps(heads, JSON_COMPACT);
		const char **p = arena_calloc(r->arena, 1, sizeof(*p));

		p[0] = arena_strdup(r->arena, s != NULL ? s : "[]");
		free(s);
		json_decref(heads);
		db_call(r, Q_HEADS_SAVE, heads_saved, p);
		return;
	}
	json_decref(heads);
	req_reply(r, 200, NULL, "", 0);
}

static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct worker *w = arg;
	struct vworker *vw = vw_of(w);
	struct req *carrier;

	(void)fd;
	(void)what;
	if (vw->sweeping || w->draining || dbpool_connected(w->db) == 0)
		return;
	vw->sweeping = 1;
	carrier = req_new_internal(w, "sweep", sweep_answered);
	db_call(carrier, Q_ELECTIONS_DUE, due_done,
	        arena_calloc(carrier->arena, 1, sizeof(char *)));
}

void
vote_worker_start(struct worker *w)
{
	struct vworker *vw = vw_of(w);
	int ms = g_server.cfg.tree_head_interval_ms;
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};

	if (w->id != 0)
		return;
	vw->timer = event_new(w->base, -1, EV_PERSIST, on_tick, w);
	if (vw->timer == NULL)
		abort();
	evtimer_add(vw->timer, &tv);
}

void
vote_worker_stop(struct worker *w)
{
	struct vworker *vw = w->vote;
	struct velection *ve, *next;

	if (vw == NULL)
		return;
	if (vw->timer != NULL)
		event_free(vw->timer);
	for (ve = vw->elections; ve != NULL; ve = next) {
		next = ve->next;
		election_free(&ve->e);
		free(ve);
	}
	free(vw);
	w->vote = NULL;
}
