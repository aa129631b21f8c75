/*
 * test_elections.c - elections with signed ballots, end to end
 *
 * Credential-authority mode: codes made and keys derived as `participe
 * cred generate` does, the public list uploaded, opening, ballots and
 * revotes with their receipts checked, every bad ballot of the issue
 * refused with nothing appended, inclusion and consistency proofs checked
 * offline against signed tree heads, closing, the published result, the
 * export verified by `participe verify` (and a tampered export refused).
 * Registered-key mode: who may register, one key each, no revote. Drafts,
 * time windows, the automatic closing by the sweeper, and another
 * collectivity's election.
 *
 * Ballots are built and signed here with lib/election.c, as a frontend or
 * `participe ballot sign` would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "client.h"
#include "contrib.h"
#include "cred.h"
#include "election.h"
#include "identity.h"
#include "merkle.h"
#include "vote.h"
#include "wire.h"

#define NVOTERS 4

/* Two questions: approval of 1 or 2 of 3, and 5 points over 3 (3 max). */
#define QUESTIONS                                                              \
	"[{\"id\":\"parc\",\"text\":\"Quels am\\u00e9nagements ?\","          \
	"\"options\":[{\"id\":\"bancs\",\"label\":\"Bancs\"},"                 \
	"{\"id\":\"jeux\",\"label\":\"Jeux\"},"                                \
	"{\"id\":\"arbres\",\"label\":\"Arbres\"}],"                           \
	"\"rule\":{\"kind\":\"approval\",\"min\":1,\"max\":2}},"               \
	"{\"id\":\"mobilite\",\"text\":\"R\\u00e9partissez 5 points\","       \
	"\"options\":[{\"id\":\"velo\",\"label\":\"V\\u00e9lo\"},"             \
	"{\"id\":\"bus\",\"label\":\"Bus\"},"                                  \
	"{\"id\":\"marche\",\"label\":\"Marche\"}],"                           \
	"\"rule\":{\"kind\":\"cumulative\",\"total\":5,"                       \
	"\"max_per_option\":3}}]"

/* One single-choice question. */
#define SINGLE                                                                 \
	"[{\"id\":\"maire\",\"text\":\"Le nom du parc\","                      \
	"\"options\":[{\"id\":\"tilleuls\",\"label\":\"Les Tilleuls\"},"       \
	"{\"id\":\"platanes\",\"label\":\"Les Platanes\"}],"                   \
	"\"rule\":{\"kind\":\"single\"}}]"

static struct {
	char c[64], other[64];
	char pid[40], other_pid[40];
	struct id_user r1, r2, r3, member;
} w;



/* ---- helpers ---- */

/* Compact JSON text of j in one of 4 rotating static buffers. */
static const char *
jtxt(const json_t *j)
{
	static char buf[4][1024];
	static int k;
	char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s", s != NULL ? s : "");
	free(s);
	return buf[k];
}



/* A process of slug with a vote phase going on; pid receives its id. */
static void
vote_process(const char *slug, char *pid)
{
	ct_process_new(slug, ct_fmt("[%s]", ct_phase("vote", -86400, 30 * 86400)),
	        NULL, pid);
}

/* Creates a draft election; eid receives its id. */
static void
election_new(const char *slug, const char *pid, const char *mode, int revote,
        const char *questions, long opens, long closes, char *eid)
{
	char from[32], to[32];
	json_t *j;

	ct_time(opens, from, sizeof(from));
	ct_time(closes, to, sizeof(to));
	j = ct_json(id_call("POST", ct_path(slug, "/processes/%s/elections", pid),
	                    http_admin_token(), NULL,
	                    ct_fmt("{\"title\":\"Vote\",\"questions\":%s,"
	                           "\"opens_at\":\"%s\",\"closes_at\":\"%s\","
	                           "\"revote\":%s,\"credential_mode\":\"%s\"}",
	                            questions, from, to,
	                            revote ? "true" : "false", mode)),
	        201);
	assert_string_equal(id_str(j, "state"), "draft");
	assert_true(json_is_null(json_object_get(j, "fingerprint")));
	snprintf(eid, 40, "%s", id_str(j, "id"));
	json_decref(j);
}





/* Signs with `participe ballot sign --secret-key`, as from a shell. */
static void
cli_sign(const struct election *e, const struct voter *v, uint64_t seq,
        const char *choice, struct signed_ballot *out)
{
	char path[] = "/tmp/participe-desc-XXXXXX", cmd[1024], line[70000];
	char sk[129];
	const char *bin = getenv("PARTICIPE_TEST_BIN");
	int fd = mkstemp(path);
	unsigned char *bytes;
	size_t len;
	json_t *j;
	FILE *p;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, e->descriptor, e->descriptor_len),
	        (ssize_t)e->descriptor_len);
	close(fd);
	hex_encode(v->sk, 64, sk);
	snprintf(cmd, sizeof(cmd),
	        "%s ballot sign --descriptor %s --secret-key %s --seq %llu "
	        "--choice '%s' 2>/dev/null",
	        bin != NULL ? bin : "bin/participe", path, sk,
	        (unsigned long long)seq, choice);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(line, sizeof(line), p));
	assert_int_equal(pclose(p), 0);
	unlink(path);
	j = json_loads(line, 0, NULL);
	assert_non_null(j);
	out->ballot = strdup(id_str(j, "ballot"));
	out->sig = strdup(id_str(j, "signature"));
	json_decref(j);
	len = strlen(out->ballot) / 2;
	bytes = malloc(len + 1);
	assert_int_equal(hex_decode(out->ballot, bytes, len + 1, &len), 0);
	ballot_tracker(bytes, len, out->tracker);
	free(bytes);
}




static long long
tree_size(const char *slug, const char *eid)
{
	json_t *j = ct_get(epath(slug, eid, ""), http_admin_token());
	long long n = ct_int(j, "tree_size");

	json_decref(j);
	return n;
}

/* Waits (up to 10 s) for a signed tree head of at least n entries, checks
 * its signature and returns it (new reference). */
static json_t *
head_at_least(const char *slug, const char *eid, const struct election *e,
        long long n)
{
	long long until = http_now_ms() + 10000;

	for (;;) {
		struct http_resp *r = id_call("GET",
		        epath(slug, eid, "/tree-heads/latest"), NULL, NULL, NULL);

		if (r->status == 200) {
			json_t *h = ct_json(r, 200);
			unsigned char root[32], sig[64], *m;
			size_t len;

			if (ct_int(h, "tree_size") >= n) {
				assert_int_equal(hex_decode_fixed(
				                         id_str(h, "root"), root, 32),
				        0);
				assert_int_equal(hex_decode_fixed(id_str(h,
				                                          "signature"),
				                         sig, 64),
				        0);
				assert_int_equal(
				        tree_head_message(e->fingerprint,
				                (uint64_t)ct_int(h, "tree_size"),
				                root,
				                (uint64_t)ct_int(h, "timestamp"), &m,
				                &len),
				        0);
				if (crypto_sign_verify_detached(
				            sig, m, len, e->log_key) != 0)
					fail_msg("tree head signature");
				free(m);
				return h;
			}
			json_decref(h);
		} else
			http_resp_free(r);
		if (http_now_ms() > until)
			fail_msg("no tree head of size %lld within 10 s", n);
		http_sleep_ms(100);
	}
}

static void
hashes_of(json_t *arr, unsigned char (*out)[32], size_t max, size_t *n)
{
	size_t i;

	*n = json_array_size(arr);
	assert_true(*n <= max);
	for (i = 0; i < *n; i++)
		assert_int_equal(hex_decode_fixed(json_string_value(
		                                          json_array_get(arr, i)),
		                         out[i], 32),
		        0);
}

/* The inclusion proof of s against head verifies offline. */
static void
check_inclusion(const char *slug, const char *eid, json_t *head,
        const struct signed_ballot *s, long long idx)
{
	char tr[65];
	json_t *p;
	unsigned char path[64][32], leaf[32], root[32];
	size_t n;
	long long size = ct_int(head, "tree_size");

	hex_encode(s->tracker, 32, tr);
	p = ct_get(epath(slug, eid,
	                   ct_fmt("/proofs/inclusion?tracker=%s&tree_size=%lld",
	                           tr, size)),
	        NULL);
	assert_int_equal(ct_int(p, "index"), idx);
	hashes_of(json_object_get(p, "audit_path"), path, 64, &n);
	assert_int_equal(hex_decode_fixed(id_str(p, "leaf_hash"), leaf, 32), 0);
	assert_int_equal(hex_decode_fixed(id_str(head, "root"), root, 32), 0);
	assert_true(merkle_verify_inclusion(leaf, (size_t)idx, (size_t)size,
	        (const unsigned char(*)[32])path, n, root));
	/* the leaf is the hash of a log entry holding this very ballot */
	{
		json_t *log = ct_get(epath(slug, eid,
		                             ct_fmt("/log?after=%lld&limit=1",
		                                     idx - 1)),
		        NULL);
		json_t *ent = json_array_get(log, 0);
		const char *hex = id_str(ent, "entry");
		size_t hl = strlen(hex), len;
		unsigned char *bytes = malloc(hl / 2 + 1), lh[32];
		struct log_entry le;

		assert_int_equal(hex_decode(hex, bytes, hl / 2 + 1, &len), 0);
		merkle_leaf_hash(bytes, len, lh);
		assert_memory_equal(lh, leaf, 32);
		assert_int_equal(log_entry_parse(bytes, len, &le), 0);
		assert_int_equal(le.kind, ENTRY_BALLOT);
		assert_int_equal(strlen(s->ballot), 2 * le.ballot_len);
		free(bytes);
		json_decref(log);
	}
	json_decref(p);
}


/* ---- setup ---- */

static int
group_setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	id_collectivity_new("elect", "commune", NULL, w.c);
	id_collectivity_new("elect-other", "commune", NULL, w.other);
	id_member_new(&w.r1, "elect-r1", w.c, "resident");
	id_member_new(&w.r2, "elect-r2", w.c, "resident");
	id_member_new(&w.r3, "elect-r3", w.c, "resident");
	id_member_new(&w.member, "elect-member", w.c, "member");
	vote_process(w.c, w.pid);
	vote_process(w.other, w.other_pid);
	return 0;
}

/* ---- tests ---- */

/* Question definitions are checked before anything is stored. */
static void
test_definitions(void **state)
{
	static const struct {
		const char *questions, *field;
	} bad[] = {
	        {"[]", "questions"},
	        {"[{\"id\":\"q\",\"text\":\"t\",\"options\":[{\"id\":\"a\","
	         "\"label\":\"A\"}],\"rule\":{\"kind\":\"single\"}}]",
	                NULL},
	        {"[{\"id\":\"q\",\"text\":\"t\",\"options\":[{\"id\":\"a\","
	         "\"label\":\"A\"},{\"id\":\"a\",\"label\":\"B\"}],"
	         "\"rule\":{\"kind\":\"single\"}}]",
	                NULL},
	        {"[{\"id\":\"q\",\"text\":\"t\",\"options\":[{\"id\":\"a\","
	         "\"label\":\"A\"},{\"id\":\"b\",\"label\":\"B\"}],"
	         "\"rule\":{\"kind\":\"approval\",\"min\":2,\"max\":1}}]",
	                NULL},
	        {"[{\"id\":\"q\",\"text\":\"t\",\"options\":[{\"id\":\"a\","
	         "\"label\":\"A\"},{\"id\":\"b\",\"label\":\"B\"}],"
	         "\"rule\":{\"kind\":\"borda\"}}]",
	                NULL},
	        {"[{\"id\":\"Q!\",\"text\":\"t\",\"options\":[{\"id\":\"a\","
	         "\"label\":\"A\"},{\"id\":\"b\",\"label\":\"B\"}],"
	         "\"rule\":{\"kind\":\"single\"}}]",
	                NULL},
	};
	char from[32], to[32];
	size_t i;

	(void)state;
	ct_time(-60, from, sizeof(from));
	ct_time(3600, to, sizeof(to));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ct_problem(id_call("POST",
		                   ct_path(w.c, "/processes/%s/elections", w.pid),
		                   http_admin_token(), NULL,
		                   ct_fmt("{\"title\":\"Bad\",\"questions\":%s}",
		                           bad[i].questions)),
		        422, bad[i].field);
	/* times */
	ct_problem(id_call("POST", ct_path(w.c, "/processes/%s/elections", w.pid),
	                   http_admin_token(), NULL,
	                   ct_fmt("{\"title\":\"Bad\",\"questions\":%s,"
	                          "\"opens_at\":\"%s\",\"closes_at\":\"%s\"}",
	                           SINGLE, to, from)),
	        422, "closes_at");
	ct_problem(id_call("POST", ct_path(w.c, "/processes/%s/elections", w.pid),
	                   http_admin_token(), NULL,
	                   ct_fmt("{\"title\":\"Bad\",\"questions\":%s,"
	                          "\"credential_mode\":\"magic\"}",
	                           SINGLE)),
	        422, "credential_mode");
	/* an election needs a vote phase in its process */
	{
		char pid[40];

		ct_process_new(w.c, NULL, NULL, pid); /* proposals only */
		refused(id_call("POST",
		                ct_path(w.c, "/processes/%s/elections", pid),
		                http_admin_token(), NULL,
		                ct_fmt("{\"title\":\"No vote\",\"questions\":%s}",
		                        SINGLE)),
		        409, NULL, "vote phase");
	}
	/* a resident may not create one; a member of nothing is not told */
	ct_problem(id_call("POST", ct_path(w.c, "/processes/%s/elections", w.pid),
	                   w.r1.token, NULL,
	                   ct_fmt("{\"title\":\"Mine\",\"questions\":%s}",
	                           SINGLE)),
	        403, NULL);
	{
		/* defaults: the vote phase's times, revote, registered keys */
		json_t *j = ct_json(
		        id_call("POST",
		                ct_path(w.c, "/processes/%s/elections", w.pid),
		                http_admin_token(), NULL,
		                ct_fmt("{\"title\":\"Defaults\",\"questions\":%s}",
		                        SINGLE)),
		        201);

		assert_true(json_is_true(json_object_get(j, "revote")));
		assert_string_equal(id_str(j, "credential_mode"), "registered");
		/* a draft is invisible to the public */
		ct_problem(id_call("GET", epath(w.c, id_str(j, "id"), ""), NULL,
		                   NULL, NULL),
		        404, NULL);
		ct_problem(id_call("GET", epath(w.c, id_str(j, "id"), "/result"),
		                   NULL, NULL, NULL),
		        404, NULL);
		json_decref(j);
	}
}

/* The whole flow with credentials from a credential authority. */
static void
test_authority(void **state)
{
	struct voter v[NVOTERS], stranger;
	struct election e, other;
	struct signed_ballot b[6], s;
	char eid[40], eid2[40], keys[NVOTERS * 70 + 64], result[4096];
	long long idx[6], size_before;
	json_t *j, *h1, *h2;
	size_t i, off = 0;

	(void)state;
	memset(&e, 0, sizeof(e));
	memset(&other, 0, sizeof(other));
	election_new(w.c, w.pid, "authority", 1, QUESTIONS, -60, 3600, eid);
	/* the authority's credentials, derived as `participe cred` does */
	off += (size_t)snprintf(keys + off, sizeof(keys) - off, "[");
	for (i = 0; i < NVOTERS; i++) {
		char hex[65];

		cred_code_random(v[i].code);
		assert_int_equal(cred_keypair(v[i].code, eid, v[i].pk, v[i].sk), 0);
		hex_encode(v[i].pk, 32, hex);
		off += (size_t)snprintf(keys + off, sizeof(keys) - off,
		        "%s\"%s\"", i > 0 ? "," : "", hex);
	}
	snprintf(keys + off, sizeof(keys) - off, "]");
	crypto_sign_keypair(stranger.pk, stranger.sk);
	/* not open: no log, no ballot */
	ct_problem(id_call("POST", epath(w.c, eid, "/open"), http_admin_token(),
	                   NULL, NULL),
	        409, NULL);
	ct_problem(id_call("GET", epath(w.c, eid, "/log"), http_admin_token(),
	                   NULL, NULL),
	        409, NULL);
	/* bad keys are named; nothing is added */
	ct_problem(id_call("POST", epath(w.c, eid, "/credentials"),
	                   http_admin_token(), NULL,
	                   "{\"credentials\":[\"00\",\"" /* small order: */
	                   "0000000000000000000000000000000000000000000000000"
	                   "000000000000000\"]}"),
	        422, "credentials/1");
	ct_problem(id_call("POST", epath(w.c, eid, "/credentials"),
	                   http_admin_token(), NULL,
	                   "{\"credentials\":[\"ZZ\"]}"),
	        422, "credentials/0");
	/* a draft does not exist for a resident */
	ct_problem(id_call("POST", epath(w.c, eid, "/credentials"), w.r1.token,
	                   NULL, ct_fmt("{\"credentials\":%s}", keys)),
	        404, NULL);
	j = ct_json(id_call("POST", epath(w.c, eid, "/credentials"),
	                    http_admin_token(), NULL,
	                    ct_fmt("{\"credentials\":%s}", keys)),
	        200);
	assert_int_equal(ct_int(j, "added"), NVOTERS);
	json_decref(j);
	/* an upload again adds nothing */
	j = ct_json(id_call("POST", epath(w.c, eid, "/credentials"),
	                    http_admin_token(), NULL,
	                    ct_fmt("{\"credentials\":%s}", keys)),
	        200);
	assert_int_equal(ct_int(j, "added"), 0);
	assert_int_equal(ct_int(j, "credentials"), NVOTERS);
	json_decref(j);
	/* residents cannot register keys in this mode */
	election_open(w.c, eid, &e);
	ct_problem(id_call("POST", epath(w.c, eid, "/keys"), w.r1.token, NULL,
	                   "{\"public_key\":\"3d4017c3e843895a92b70aa74d1b7ebc9c"
	                   "982ccf2ec4968cc0cd55f12af4660c\"}"),
	        409, NULL);
	/* opened: fixed */
	ct_problem(id_call("PATCH", epath(w.c, eid, ""), http_admin_token(),
	                   NULL, "{\"title\":\"Changed\"}"),
	        409, NULL);
	ct_problem(id_call("POST", epath(w.c, eid, "/credentials"),
	                   http_admin_token(), NULL,
	                   ct_fmt("{\"credentials\":%s}", keys)),
	        409, NULL);
	ct_problem(id_call("DELETE", epath(w.c, eid, "/credentials"),
	                   http_admin_token(), NULL, NULL),
	        409, NULL);
	/* the public credential list is the sorted upload */
	{
		json_t *list = id_list_all(epath(w.c, eid, "/credentials?limit=2"), NULL, 2);

		assert_int_equal(json_array_size(list), NVOTERS);
		for (i = 1; i < NVOTERS; i++)
			assert_true(strcmp(json_string_value(json_array_get(
			                           list, i - 1)),
			                    json_string_value(
			                            json_array_get(list, i))) < 0);
		json_decref(list);
	}
	/* results are not visible before closing */
	ct_problem(id_call("GET", epath(w.c, eid, "/result"), NULL, NULL, NULL),
	        409, NULL);

	/* valid ballots, a revote with a higher sequence number */
	sign_choice(&e, &v[0], 1, "[[\"bancs\"],{\"velo\":3,\"bus\":2}]", &b[0]);
	sign_choice(&e, &v[1], 1, "[[\"jeux\",\"arbres\"],{\"marche\":1}]",
	        &b[1]);
	sign_choice(&e, &v[0], 5, "[[\"jeux\"],{\"bus\":3}]", &b[2]);
	sign_choice(&e, &v[2], 1, "[[\"jeux\",\"bancs\"],{\"velo\":1,"
	                          "\"bus\":1,\"marche\":3}]",
	        &b[3]);
	for (i = 0; i < 4; i++)
		idx[i] = cast_ok(w.c, eid, &e, &b[i]);
	assert_int_equal(idx[0], 1); /* after the opening entry */
	assert_int_equal(idx[3], 4);
	size_before = tree_size(w.c, eid);
	assert_int_equal(size_before, 5);

	/* every bad ballot, refused, nothing appended */
	refused(cast(w.c, eid, &b[2]), 409, NULL, "already in the log");
	sign_choice(&e, &v[0], 4, "[[\"arbres\"],{\"bus\":1}]", &s);
	refused(cast(w.c, eid, &s), 409, NULL, "not higher");
	sb_free(&s);
	sign_choice(&e, &v[0], 5, "[[\"arbres\"],{\"bus\":1}]", &s);
	refused(cast(w.c, eid, &s), 409, NULL, "not higher");
	sb_free(&s);
	sign_choice(&e, &stranger, 1, "[[\"arbres\"],{\"bus\":1}]", &s);
	refused(cast(w.c, eid, &s), 422, NULL, "credential list");
	sb_free(&s);
	{
		/* a signature by another key, a flipped signature bit */
		struct signed_ballot t;

		sign_choice(&e, &v[3], 1, "[[\"arbres\"],{\"bus\":1}]", &s);
		sign_choice(&e, &stranger, 1, "[[\"arbres\"],{\"bus\":1}]", &t);
		refused(cast_hex(w.c, eid, s.ballot, t.sig), 422, "signature",
		        "signature");
		s.sig[10] = s.sig[10] == 'a' ? 'b' : 'a';
		refused(cast(w.c, eid, &s), 422, "signature", "signature");
		/* uppercase hex is not the canonical encoding */
		s.sig[10] = s.sig[10] == 'a' ? 'b' : 'a';
		for (i = 0; s.ballot[i] != '\0'; i++)
			if (s.ballot[i] >= 'a' && s.ballot[i] <= 'f') {
				s.ballot[i] = (char)(s.ballot[i] - 'a' + 'A');
				break;
			}
		refused(cast(w.c, eid, &s), 422, "ballot", "malformed");
		sb_free(&t);
		sb_free(&s);
	}
	{
		/* truncated, one byte more (signed), oversized, odd length */
		unsigned char *bytes;
		size_t len;
		struct ballot bb;
		json_t *cj = json_loads("[[\"arbres\"],{\"bus\":1}]", 0, NULL);
		char why[256];
		char *big;

		memset(&bb, 0, sizeof(bb));
		assert_int_equal(ballot_choice_from_json(&e, cj, &bb, why,
		                         sizeof(why)),
		        0);
		json_decref(cj);
		memcpy(bb.fingerprint, e.fingerprint, 32);
		memcpy(bb.key, v[3].pk, 32);
		bb.seq = 1;
		assert_int_equal(ballot_encode(&bb, &bytes, &len), 0);
		ballot_free(&bb);
		sign_bytes(bytes, len - 1, &v[3], &s);
		refused(cast(w.c, eid, &s), 422, "ballot", "malformed");
		sb_free(&s);
		bytes = realloc(bytes, len + 1);
		bytes[len] = 0;
		sign_bytes(bytes, len + 1, &v[3], &s);
		refused(cast(w.c, eid, &s), 422, "ballot", "malformed");
		sb_free(&s);
		free(bytes);
		big = malloc(2 * BALLOT_MAX_BYTES + 3);
		memset(big, 'a', 2 * BALLOT_MAX_BYTES + 2);
		big[2 * BALLOT_MAX_BYTES + 2] = '\0';
		refused(cast_hex(w.c, eid, big,
		                "00000000000000000000000000000000000000000000000"
		                "00000000000000000000000000000000000000000000000"
		                "0000000000000000000000000000000000"),
		        422, "ballot", "too large");
		big[5] = '\0';
		refused(cast_hex(w.c, eid, big,
		                "00000000000000000000000000000000000000000000000"
		                "00000000000000000000000000000000000000000000000"
		                "0000000000000000000000000000000000"),
		        422, "ballot", "malformed");
		free(big);
		refused(cast_hex(w.c, eid, "00", "abc"), 422, "signature", NULL);
	}
	{
		/* choices that break the rules: too many, too few, an unknown
		   option, points over the total, over the per-option maximum,
		   a missing question, indices out of order */
		struct choice three[3] = {{0, 1}, {1, 1}, {2, 1}};
		struct choice pts_over[2] = {{0, 3}, {1, 3}};
		struct choice pts_one_over[1] = {{0, 4}};
		struct choice pts_ok[1] = {{0, 1}};
		struct choice unknown[1] = {{7, 1}};
		struct choice desc[2] = {{1, 1}, {0, 1}};
		struct choice *c[2];
		size_t n[2];

		c[0] = three, n[0] = 3, c[1] = pts_ok, n[1] = 1;
		sign_raw(&e, &v[3], 1, 2, n, c, &s);
		refused(cast(w.c, eid, &s), 422, "ballot", "rule");
		sb_free(&s);
		c[0] = three, n[0] = 0;
		sign_raw(&e, &v[3], 1, 2, n, c, &s);
		refused(cast(w.c, eid, &s), 422, "ballot", "rule");
		sb_free(&s);
		c[0] = unknown, n[0] = 1;
		sign_raw(&e, &v[3], 1, 2, n, c, &s);
		refused(cast(w.c, eid, &s), 422, "ballot", "rule");
		sb_free(&s);
		c[0] = three, n[0] = 1, c[1] = pts_over, n[1] = 2;
		sign_raw(&e, &v[3], 1, 2, n, c, &s);
		refused(cast(w.c, eid, &s), 422, "ballot", "rule");
		sb_free(&s);
		c[1] = pts_one_over, n[1] = 1;
		sign_raw(&e, &v[3], 1, 2, n, c, &s);
		refused(cast(w.c, eid, &s), 422, "ballot", "rule");
		sb_free(&s);
		c[1] = pts_ok;
		sign_raw(&e, &v[3], 1, 1, n, c, &s);
		refused(cast(w.c, eid, &s), 422, "ballot", "malformed");
		sb_free(&s);
		c[0] = desc, n[0] = 2;
		sign_raw(&e, &v[3], 1, 2, n, c, &s);
		refused(cast(w.c, eid, &s), 422, "ballot", "malformed");
		sb_free(&s);
	}
	{
		/* a ballot made for another election, and this election's
		   ballot sent to another collectivity */
		election_new(w.c, w.pid, "authority", 1, QUESTIONS, -60, 3600,
		        eid2);
		json_decref(ct_json(id_call("POST", epath(w.c, eid2, "/credentials"),
		                http_admin_token(), NULL,
		                ct_fmt("{\"credentials\":%s}", keys)),
		        200));
		election_open(w.c, eid2, &other);
		sign_choice(&other, &v[3], 1, "[[\"arbres\"],{\"bus\":1}]", &s);
		refused(cast(w.c, eid, &s), 422, "ballot", "another election");
		refused(cast(w.other, eid, &s), 404, NULL, NULL);
		refused(cast(w.other, eid2, &s), 404, NULL, NULL);
		cast_ok(w.c, eid2, &other, &s); /* where it belongs */
		sb_free(&s);
		refused(cast(w.c, "00000000-0000-4000-8000-000000000000", &b[0]),
		        404, NULL, NULL);
	}
	assert_int_equal(tree_size(w.c, eid), size_before);

	/* a fifth ballot, then proofs against signed heads */
	sign_choice(&e, &v[3], 1, "[[\"bancs\",\"arbres\"],{\"velo\":2}]",
	        &b[4]);
	h1 = head_at_least(w.c, eid, &e, size_before);
	idx[4] = cast_ok(w.c, eid, &e, &b[4]);
	h2 = head_at_least(w.c, eid, &e, idx[4] + 1);
	for (i = 0; i < 4; i++)
		check_inclusion(w.c, eid, h1, &b[i], idx[i]);
	check_inclusion(w.c, eid, h2, &b[4], idx[4]);
	{
		/* the first head's tree is a prefix of the second's */
		long long m = ct_int(h1, "tree_size"), n = ct_int(h2, "tree_size");
		json_t *p = ct_get(epath(w.c, eid,
		                           ct_fmt("/proofs/consistency?first=%lld&"
		                                  "second=%lld",
		                                   m, n)),
		        NULL);
		unsigned char proof[64][32], r1[32], r2[32];
		size_t plen;

		hashes_of(json_object_get(p, "proof"), proof, 64, &plen);
		assert_int_equal(hex_decode_fixed(id_str(h1, "root"), r1, 32), 0);
		assert_int_equal(hex_decode_fixed(id_str(h2, "root"), r2, 32), 0);
		assert_true(merkle_verify_consistency((size_t)m, (size_t)n, r1,
		        r2, (const unsigned char(*)[32])proof, plen));
		json_decref(p);
		ct_problem(id_call("GET",
		                   epath(w.c, eid,
		                           ct_fmt("/proofs/consistency?first=%lld&"
		                                  "second=%lld",
		                                   n, m)),
		                   NULL, NULL, NULL),
		        422, "first");
		ct_problem(id_call("GET",
		                   epath(w.c, eid,
		                           "/proofs/consistency?first=1&second=3"),
		                   NULL, NULL, NULL),
		        404, NULL);
	}
	ct_problem(id_call("GET", epath(w.c, eid, "/proofs/inclusion?tracker=xyz"),
	                   NULL, NULL, NULL),
	        422, "tracker");
	ct_problem(id_call("GET",
	                   epath(w.c, eid,
	                           "/proofs/inclusion?tracker=000000000000000000"
	                           "00000000000000000000000000000000000000000000"
	                           "00"),
	                   NULL, NULL, NULL),
	        404, NULL);

	/* closing: a resident may not, the admin may (early) */
	ct_problem(id_call("POST", epath(w.c, eid, "/close"), w.r1.token, NULL,
	                   NULL),
	        403, NULL);
	j = ct_json(id_call("POST", epath(w.c, eid, "/close"), http_admin_token(),
	                    NULL, NULL),
	        200);
	assert_string_equal(id_str(j, "state"), "closed");
	json_decref(j);
	ct_problem(id_call("POST", epath(w.c, eid, "/close"), http_admin_token(),
	                   NULL, NULL),
	        409, NULL);
	sign_choice(&e, &v[3], 9, "[[\"bancs\"],{\"velo\":2}]", &s);
	refused(cast(w.c, eid, &s), 409, NULL, "closed");
	sb_free(&s);

	/* the result: v0's revote (seq 5) counts, not its first ballot */
	j = ct_get(epath(w.c, eid, "/result"), NULL);
	{
		json_t *res = json_object_get(j, "result");
		json_t *q0 = json_array_get(json_object_get(res, "questions"), 0);
		json_t *q1 = json_array_get(json_object_get(res, "questions"), 1);
		char *txt = json_dumps(res, JSON_COMPACT | JSON_SORT_KEYS);

		assert_int_equal(ct_int(res, "ballots"), 4);
		assert_int_equal(ct_int(res, "cast"), 5);
		/* parc: bancs v2 v3; jeux v0 v1 v2; arbres v1 v3 */
		assert_string_equal(
		        jtxt(json_object_get(q0, "totals")),
		        "[2,3,2]");
		/* mobilite: velo 1+2, bus 3+1, marche 1+3 */
		assert_string_equal(
		        jtxt(json_object_get(q1, "totals")),
		        "[3,4,4]");
		assert_string_equal(
		        jtxt(json_object_get(q1, "winners")),
		        "[\"bus\",\"marche\"]");
		/* the final head covers the whole log, closing included */
		assert_int_equal(ct_int(json_object_get(j, "tree_head"),
		                         "tree_size"),
		        tree_size(w.c, eid));

		/* participe verify recomputes exactly the published result */
		assert_int_equal(run_verify(w.c, eid, -1, result, sizeof(result)),
		        0);
		assert_string_equal(result, txt);
		/* a tampered byte in any entry fails loudly */
		assert_int_equal(run_verify(w.c, eid, 2, NULL, 0), 1);
		assert_int_equal(run_verify(w.c, eid, 0, NULL, 0), 1);
		free(txt);
	}
	json_decref(j);
	json_decref(h1);
	json_decref(h2);
	for (i = 0; i < 5; i++)
		sb_free(&b[i]);
	election_free(&e);
	election_free(&other);
}

/* Residents register their own keys; no revoting here. */
static void
test_registered(void **state)
{
	struct voter v1, v2, v3;
	struct election e;
	struct signed_ballot s;
	char eid[40], hex[65], result[4096];
	json_t *j;

	(void)state;
	memset(&e, 0, sizeof(e));
	crypto_sign_keypair(v1.pk, v1.sk);
	crypto_sign_keypair(v2.pk, v2.sk);
	crypto_sign_keypair(v3.pk, v3.sk);
	election_new(w.c, w.pid, "registered", 0, SINGLE, -60, 3600, eid);
	hex_encode(v1.pk, 32, hex);
	/* not before opening */
	ct_problem(id_call("POST", epath(w.c, eid, "/keys"), w.r1.token, NULL,
	                   ct_fmt("{\"public_key\":\"%s\"}", hex)),
	        404, NULL);
	ct_problem(id_call("POST", epath(w.c, eid, "/credentials"),
	                   http_admin_token(), NULL,
	                   ct_fmt("{\"credentials\":[\"%s\"]}", hex)),
	        409, NULL);
	election_open(w.c, eid, &e);
	assert_int_equal(e.registered, 1);
	/* bad keys */
	ct_problem(id_call("POST", epath(w.c, eid, "/keys"), w.r1.token, NULL,
	                   "{\"public_key\":\"0100000000000000000000000000000000"
	                   "000000000000000000000000000000\"}"),
	        422, "public_key");
	ct_problem(id_call("POST", epath(w.c, eid, "/keys"), w.r1.token, NULL,
	                   "{\"public_key\":\"nothex\"}"),
	        422, "public_key");
	ct_problem(id_call("POST", epath(w.c, eid, "/keys"), NULL, NULL,
	                   ct_fmt("{\"public_key\":\"%s\"}", hex)),
	        401, NULL);
	/* a member who is not a verified resident may not vote */
	ct_problem(id_call("POST", epath(w.c, eid, "/keys"), w.member.token,
	                   NULL, ct_fmt("{\"public_key\":\"%s\"}", hex)),
	        403, NULL);
	j = ct_json(id_call("POST", epath(w.c, eid, "/keys"), w.r1.token, NULL,
	                    ct_fmt("{\"public_key\":\"%s\"}", hex)),
	        201);
	assert_int_equal(ct_int(j, "index"), 1);
	json_decref(j);
	/* one key each, one resident each */
	ct_problem(id_call("POST", epath(w.c, eid, "/keys"), w.r2.token, NULL,
	                   ct_fmt("{\"public_key\":\"%s\"}", hex)),
	        409, NULL);
	hex_encode(v2.pk, 32, hex);
	ct_problem(id_call("POST", epath(w.c, eid, "/keys"), w.r1.token, NULL,
	                   ct_fmt("{\"public_key\":\"%s\"}", hex)),
	        409, NULL);
	json_decref(ct_json(id_call("POST", epath(w.c, eid, "/keys"), w.r2.token, NULL,
	                ct_fmt("{\"public_key\":\"%s\"}", hex)),
	        201));
	j = ct_get(epath(w.c, eid, "/keys/me"), w.r2.token);
	assert_string_equal(id_str(j, "public_key"), hex);
	json_decref(j);
	ct_problem(id_call("GET", epath(w.c, eid, "/keys/me"), w.r3.token, NULL,
	                   NULL),
	        404, NULL);
	/* votes; an unregistered key is refused; no second ballot */
	sign_choice(&e, &v1, 1, "[\"tilleuls\"]", &s);
	cast_ok(w.c, eid, &e, &s);
	sb_free(&s);
	sign_choice(&e, &v1, 2, "[\"platanes\"]", &s);
	refused(cast(w.c, eid, &s), 409, NULL, "does not allow voting again");
	sb_free(&s);
	sign_choice(&e, &v3, 1, "[\"platanes\"]", &s);
	refused(cast(w.c, eid, &s), 422, NULL, "credential list");
	sb_free(&s);
	cli_sign(&e, &v2, 1, "[\"platanes\"]", &s); /* from a shell */
	cast_ok(w.c, eid, &e, &s);
	sb_free(&s);
	{
		/* single choice: exactly one option */
		struct choice two[2] = {{0, 1}, {1, 1}};
		struct choice *c[1] = {two};
		size_t n[1] = {2};

		sign_raw(&e, &v2, 2, 1, n, c, &s);
		refused(cast(w.c, eid, &s), 422, "ballot", "rule");
		sb_free(&s);
	}
	/* the log: opening, two credentials, two ballots */
	j = ct_get(epath(w.c, eid, "/log?limit=1000"), NULL);
	assert_int_equal(json_array_size(j), 5);
	assert_string_equal(id_str(json_array_get(j, 0), "kind"), "open");
	assert_string_equal(id_str(json_array_get(j, 1), "kind"), "credential");
	assert_string_equal(id_str(json_array_get(j, 4), "kind"), "ballot");
	json_decref(j);
	json_decref(ct_json(id_call("POST", epath(w.c, eid, "/close"), http_admin_token(),
	                NULL, NULL),
	        200));
	ct_problem(id_call("POST", epath(w.c, eid, "/keys"), w.r3.token, NULL,
	                   ct_fmt("{\"public_key\":\"%s\"}", hex)),
	        409, NULL);
	j = ct_get(epath(w.c, eid, "/result"), NULL);
	{
		json_t *q = json_array_get(json_object_get(json_object_get(j,
		                                                   "result"),
		                                   "questions"),
		        0);
		char *txt = json_dumps(json_object_get(j, "result"),
		        JSON_COMPACT | JSON_SORT_KEYS);

		assert_string_equal(
		        jtxt(json_object_get(q, "totals")),
		        "[1,1]");
		assert_int_equal(run_verify(w.c, eid, -1, result, sizeof(result)),
		        0);
		assert_string_equal(result, txt);
		assert_int_equal(run_verify(w.c, eid, 1, NULL, 0), 1);
		free(txt);
	}
	json_decref(j);
	election_free(&e);
}

/* Not before opens_at; closed by the sweeper at closes_at, then counted. */
static void
test_times(void **state)
{
	struct voter v;
	struct election e;
	struct signed_ballot s;
	char eid[40], hex[65];
	long long until;
	json_t *j;

	(void)state;
	memset(&e, 0, sizeof(e));
	crypto_sign_keypair(v.pk, v.sk);
	hex_encode(v.pk, 32, hex);
	election_new(w.c, w.pid, "authority", 1, SINGLE, 3600, 7200, eid);
	json_decref(ct_json(id_call("POST", epath(w.c, eid, "/credentials"),
	                http_admin_token(), NULL,
	                ct_fmt("{\"credentials\":[\"%s\"]}", hex)),
	        200));
	election_open(w.c, eid, &e);
	j = ct_get(epath(w.c, eid, ""), NULL);
	assert_string_equal(id_str(j, "state"), "scheduled");
	json_decref(j);
	sign_choice(&e, &v, 1, "[\"tilleuls\"]", &s);
	refused(cast(w.c, eid, &s), 409, NULL, "opens at");
	sb_free(&s);
	election_free(&e);

	/* closes in 2 s: the sweeper closes and counts it */
	election_new(w.c, w.pid, "authority", 1, SINGLE, -60, 2, eid);
	json_decref(ct_json(id_call("POST", epath(w.c, eid, "/credentials"),
	                http_admin_token(), NULL,
	                ct_fmt("{\"credentials\":[\"%s\"]}", hex)),
	        200));
	election_open(w.c, eid, &e);
	sign_choice(&e, &v, 1, "[\"platanes\"]", &s);
	cast_ok(w.c, eid, &e, &s);
	sb_free(&s);
	until = http_now_ms() + 15000;
	for (;;) {
		j = ct_get(epath(w.c, eid, ""), NULL);
		if (strcmp(id_str(j, "state"), "closed") == 0)
			break;
		json_decref(j);
		if (http_now_ms() > until)
			fail_msg("not closed and counted 15 s later");
		http_sleep_ms(200);
	}
	json_decref(j);
	sign_choice(&e, &v, 2, "[\"tilleuls\"]", &s);
	refused(cast(w.c, eid, &s), 409, NULL, "closed");
	sb_free(&s);
	j = ct_get(epath(w.c, eid, "/result"), NULL);
	assert_int_equal(ct_int(json_object_get(j, "result"), "ballots"), 1);
	json_decref(j);
	assert_int_equal(run_verify(w.c, eid, -1, NULL, 0), 0);
	election_free(&e);
}

/* A ranking question end to end: Borda totals and first preferences,
 * recomputed by participe verify. */
static void
test_ranking(void **state)
{
	static const char *questions =
	        "[{\"id\":\"ordre\",\"text\":\"Classez les projets\","
	        "\"options\":[{\"id\":\"a\",\"label\":\"A\"},"
	        "{\"id\":\"b\",\"label\":\"B\"},{\"id\":\"c\",\"label\":\"C\"}],"
	        "\"rule\":{\"kind\":\"ranking\",\"min\":1,\"max\":3}}]";
	struct voter v[3];
	struct election e;
	struct signed_ballot s;
	char eid[40], keys[256], hex[3][65], result[4096];
	static const char *choices[3] = {"[[\"b\",\"a\",\"c\"]]",
	        "[[\"b\",\"c\"]]", "[[\"a\"]]"};
	json_t *j, *q;
	size_t i;

	(void)state;
	memset(&e, 0, sizeof(e));
	election_new(w.c, w.pid, "authority", 1, questions, -60, 3600, eid);
	for (i = 0; i < 3; i++) {
		crypto_sign_keypair(v[i].pk, v[i].sk);
		hex_encode(v[i].pk, 32, hex[i]);
	}
	snprintf(keys, sizeof(keys), "{\"credentials\":[\"%s\",\"%s\",\"%s\"]}",
	        hex[0], hex[1], hex[2]);
	json_decref(ct_json(id_call("POST", epath(w.c, eid, "/credentials"),
	                            http_admin_token(), NULL, keys),
	        200));
	election_open(w.c, eid, &e);
	/* a rank given twice is not a ranking */
	{
		struct choice twice[2] = {{0, 1}, {1, 1}};
		struct choice *c[1] = {twice};
		size_t n[1] = {2};

		sign_raw(&e, &v[0], 1, 1, n, c, &s);
		refused(cast(w.c, eid, &s), 422, "ballot", "rule");
		sb_free(&s);
	}
	for (i = 0; i < 3; i++) {
		sign_choice(&e, &v[i], 1, choices[i], &s);
		cast_ok(w.c, eid, &e, &s);
		sb_free(&s);
	}
	json_decref(ct_json(id_call("POST", epath(w.c, eid, "/close"),
	                            http_admin_token(), NULL, NULL),
	        200));
	j = ct_get(epath(w.c, eid, "/result"), NULL);
	q = json_array_get(
	        json_object_get(json_object_get(j, "result"), "questions"), 0);
	assert_string_equal(id_str(q, "kind"), "ranking");
	/* of 3 options, rank r scores 3 - r: a 1+0+2, b 2+2+0, c 0+1+0 */
	assert_string_equal(jtxt(json_object_get(q, "totals")), "[3,4,1]");
	assert_string_equal(jtxt(json_object_get(q, "first")), "[1,2,0]");
	assert_string_equal(jtxt(json_object_get(q, "winners")), "[\"b\"]");
	assert_int_equal(run_verify(w.c, eid, -1, result, sizeof(result)), 0);
	assert_string_equal(result,
	        jtxt(json_object_get(j, "result")) /* compact, keys sorted */);
	json_decref(j);
	election_free(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_definitions),
	        cmocka_unit_test(test_authority),
	        cmocka_unit_test(test_registered),
	        cmocka_unit_test(test_ranking),
	        cmocka_unit_test(test_times),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
