/*
 * h_elections.c - elections, credential lists, registered keys, ballots,
 * the public log and its proofs (docs/protocol.md, docs/elections.md)
 *
 * Most routes are one SQL call (80_elections.sql). The C side checks what
 * SQL cannot: question definitions and public keys (lib/election.c,
 * libsodium), ballots (vote.c), and makes Merkle proofs (lib/merkle.c)
 * from the leaf hashes the database returns.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "election.h"
#include "handlers.h"
#include "merkle.h"
#include "reply.h"
#include "req.h"
#include "task.h"
#include "vote.h"
#include "wire.h"

static const struct jsonv_field election_create_fields[] = {
        {"title", JV_STRING, 1, 0, 1, 200},
        {"description", JV_STRING, 0, 0, 0, 20000},
        {"questions", JV_ARRAY, 1, 0, 1, ELECTION_MAX_QUESTIONS},
        {"opens_at", JV_STRING, 0, 0, 1, 40},
        {"closes_at", JV_STRING, 0, 0, 1, 40},
        {"revote", JV_BOOLEAN, 0, 0, 0, 0},
        {"credential_mode", JV_STRING, 0, 0, 1, 20},
};
const struct jsonv_spec election_create_body = {election_create_fields,
        sizeof(election_create_fields) / sizeof(election_create_fields[0])};

static const struct jsonv_field election_update_fields[] = {
        {"title", JV_STRING, 0, 0, 1, 200},
        {"description", JV_STRING, 0, 0, 0, 20000},
        {"questions", JV_ARRAY, 0, 0, 1, ELECTION_MAX_QUESTIONS},
        {"opens_at", JV_STRING, 0, 0, 1, 40},
        {"closes_at", JV_STRING, 0, 0, 1, 40},
        {"revote", JV_BOOLEAN, 0, 0, 0, 0},
        {"credential_mode", JV_STRING, 0, 0, 1, 20},
};
const struct jsonv_spec election_update_body = {election_update_fields,
        sizeof(election_update_fields) / sizeof(election_update_fields[0])};

/* Most keys in one upload: a larger list goes in several. */
#define CREDENTIALS_BATCH 10000

static const struct jsonv_field credentials_add_fields[] = {
        {"credentials", JV_ARRAY, 1, 0, 1, CREDENTIALS_BATCH},
};
const struct jsonv_spec credentials_add_body = {credentials_add_fields,
        sizeof(credentials_add_fields) / sizeof(credentials_add_fields[0])};

static const struct jsonv_field key_register_fields[] = {
        {"public_key", JV_STRING, 1, 0, 1, 200},
};
const struct jsonv_spec key_register_body = {key_register_fields,
        sizeof(key_register_fields) / sizeof(key_register_fields[0])};

static const struct jsonv_field ballot_fields[] = {
        {"ballot", JV_STRING, 1, 0, 1, 4 * BALLOT_MAX_BYTES},
        {"signature", JV_STRING, 1, 0, 1, 1000},
};
const struct jsonv_spec ballot_body = {
        ballot_fields, sizeof(ballot_fields) / sizeof(ballot_fields[0])};

/* "" when s is a usable Ed25519 public key in lowercase hex, else why. */
static const char *
key_problem(const char *s)
{
	unsigned char k[ELECTION_KEY_BYTES];

	if (s == NULL || hex_decode_fixed(s, k, sizeof(k)) != 0)
		return "must be 64 lowercase hexadecimal digits";
	if (!crypto_core_ed25519_is_valid_point(k))
		return "is not a valid Ed25519 public key (not canonical, not "
		       "on the curve, or of small order)";
	return "";
}

/* The body's "questions", when present, must be a valid definition. */
static int
check_questions(struct req *r)
{
	const json_t *q = json_object_get(r->json, "questions");
	char field[96], why[200];

	if (q == NULL)
		return 1;
	if (election_questions_check(
	            q, field, sizeof(field), why, sizeof(why)) == 0)
		return 1;
	problem_add_field(&r->problem, field, "%s", why);
	req_fail(r, ERR_INVALID, "request body has invalid fields");
	return 0;
}

void
h_election_list(struct req *r)
{
	reply_call(r, Q_ELECTION_LIST, reply_200, "token", ":cid", ":pid");
}

void
h_election_create(struct req *r)
{
	if (check_questions(r))
		reply_call(r, Q_ELECTION_CREATE, reply_201, "token", ":cid",
		        ":pid", "body");
}

void
h_election_get(struct req *r)
{
	reply_call(r, Q_ELECTION_GET, reply_200, "token", ":cid", ":eid");
}

void
h_election_update(struct req *r)
{
	if (check_questions(r))
		reply_call(r, Q_ELECTION_UPDATE, reply_200, "token", ":cid",
		        ":eid", "body");
}

void
h_election_open(struct req *r)
{
	reply_call(r, Q_ELECTION_OPEN, reply_200, "token", ":cid", ":eid",
	        arena_printf(r->arena, "=%s", vote_log_key_hex()));
}

static void
closed(struct req *r, PGresult *res)
{
	(void)res;
	vote_count(r->w, r, req_param(r, "cid"), req_param(r, "eid"));
}

void
h_election_close(struct req *r)
{
	reply_call(r, Q_ELECTION_CLOSE, closed, "token", ":cid", ":eid");
}

void
h_credentials_list(struct req *r)
{
	const char **p = call_params(r, 3);

	p[2] = req_param(r, "eid");
	if (page_params_max(r, &p[3], &p[4], "", 1000))
		db_call(r, Q_CREDENTIALS_LIST, reply_page, p);
}

/* On the pool: every key of the upload is a valid point. */
static void
keys_work(struct req *r, void *arg)
{
	const json_t *keys = json_object_get(r->json, "credentials");
	const json_t *k;
	size_t i;
	int *bad = arg;

	json_array_foreach(keys, i, k)
	{
		const char *why = key_problem(json_string_value(k));

		if (*why != '\0' && (*bad)++ < 20)
			problem_add_field(&r->problem,
			        arena_printf(r->arena, "credentials/%zu", i),
			        "%s", why);
	}
}

static void
keys_checked(struct req *r, void *arg)
{
	int *bad = arg;

	if (*bad > 0) {
		req_fail(r, ERR_INVALID, "%d of the keys are not valid", *bad);
		return;
	}
	reply_call(r, Q_CREDENTIALS_ADD, reply_200, "token", ":cid", ":eid",
	        "body");
}

void
h_credentials_add(struct req *r)
{
	int *bad = arena_calloc(r->arena, 1, sizeof(*bad));

	req_task(r, keys_work, keys_checked, bad);
}

void
h_credentials_clear(struct req *r)
{
	reply_call(r, Q_CREDENTIALS_CLEAR, reply_204, "token", ":cid", ":eid");
}

void
h_key_register(struct req *r)
{
	const char *k =
	        json_string_value(json_object_get(r->json, "public_key"));
	const char *why = key_problem(k);

	if (*why != '\0') {
		problem_add_field(&r->problem, "public_key", "%s", why);
		req_fail(r, ERR_INVALID, "request body has invalid fields");
		return;
	}
	reply_call(r, Q_KEY_REGISTER, reply_201, "token", ":cid", ":eid",
	        arena_printf(r->arena, "=%s", k));
}

void
h_key_mine(struct req *r)
{
	reply_call(r, Q_KEY_MINE, reply_200, "token", ":cid", ":eid");
}

void
h_ballot_cast(struct req *r)
{
	vote_cast(r, req_param(r, "cid"), req_param(r, "eid"));
}

void
h_election_log(struct req *r)
{
	const char **p = call_params(r, 3);

	p[2] = req_param(r, "eid");
	if (page_params_max(r, &p[3], &p[4], "", 1000))
		db_call(r, Q_ELECTION_LOG, reply_page, p);
}

void
h_election_heads(struct req *r)
{
	const char **p = call_params(r, 3);

	p[2] = req_param(r, "eid");
	if (page_params_max(r, &p[3], &p[4], "", 1000))
		db_call(r, Q_ELECTION_HEADS, reply_page, p);
}

void
h_election_head_latest(struct req *r)
{
	reply_call(
	        r, Q_ELECTION_HEAD_LATEST, reply_200, "token", ":cid", ":eid");
}

/* Proofs ---------------------------------------------------------------- */

/* A proof being made from the database's answer (text, parsed into input
 * on the pool: it holds every leaf hash up to the tree size). */
struct proof {
	const char *text;
	json_t *input;
	int consistency;
	json_t *out;
	const char *err;
};

static void
proof_free(void *p)
{
	struct proof *pf = p;

	json_decref(pf->input);
	json_decref(pf->out);
}

static json_t *
hashes_json(const unsigned char (*h)[MERKLE_HASH_BYTES], size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		char hex[2 * MERKLE_HASH_BYTES + 1];

		hex_encode(h[i], MERKLE_HASH_BYTES, hex);
		json_array_append_new(a, json_string(hex));
	}
	return a;
}

static void
proof_work(struct req *r, void *arg)
{
	struct proof *pf = arg;
	const char *hex;
	size_t hl, len, n, plen;
	unsigned char(*leaves)[MERKLE_HASH_BYTES];
	unsigned char path[MERKLE_MAX_PROOF][MERKLE_HASH_BYTES];

	(void)r;
	pf->input = json_loads(pf->text, 0, NULL);
	hex = json_string_value(json_object_get(pf->input, "leaves"));
	hl = hex != NULL ? strlen(hex) : 0;
	leaves = malloc(hl / 2 + 1);
	if (hex == NULL || leaves == NULL ||
	        hex_decode(hex, (unsigned char *)leaves, hl / 2 + 1, &len) !=
	                0 ||
	        len % MERKLE_HASH_BYTES != 0) {
		pf->err = "bad leaves";
		free(leaves);
		return;
	}
	n = len / MERKLE_HASH_BYTES;
	if (pf->consistency) {
		json_t *first = json_object_get(pf->input, "first");
		size_t m = (size_t)json_integer_value(
		        json_object_get(first, "tree_size"));

		plen = merkle_consistency_proof(
		        leaves, n, m, path, MERKLE_MAX_PROOF);
		if (plen == MERKLE_PROOF_ERROR)
			pf->err = "no proof";
		else
			pf->out = json_pack("{s:O, s:O, s:o}", "first", first,
			        "second", json_object_get(pf->input, "second"),
			        "proof", hashes_json(path, plen));
	} else {
		size_t idx = (size_t)json_integer_value(
		        json_object_get(pf->input, "index"));
		char leaf[2 * MERKLE_HASH_BYTES + 1];

		plen = merkle_inclusion_proof(
		        leaves, n, idx, path, MERKLE_MAX_PROOF);
		if (plen == MERKLE_PROOF_ERROR || idx >= n)
			pf->err = "no proof";
		else {
			hex_encode(leaves[idx], MERKLE_HASH_BYTES, leaf);
			pf->out = json_pack("{s:I, s:s, s:O, s:o}", "index",
			        (json_int_t)idx, "leaf_hash", leaf, "tree_head",
			        json_object_get(pf->input, "tree_head"),
			        "audit_path", hashes_json(path, plen));
		}
	}
	free(leaves);
}

static void
proof_made(struct req *r, void *arg)
{
	struct proof *pf = arg;
	char *s;

	if (pf->err != NULL || pf->out == NULL) {
		req_fail(r, ERR_INTERNAL, "the proof could not be made");
		return;
	}
	s = json_dumps(pf->out, JSON_COMPACT);
	if (s == NULL) {
		req_fail(r, ERR_INTERNAL, "out of memory");
		return;
	}
	req_reply_json(r, 200, s);
	free(s);
}

static void
proof_input(struct req *r, PGresult *res)
{
	struct proof *pf = r->ctx;

	pf->text = PQgetvalue(res, 0, 0);
	req_task(r, proof_work, proof_made, pf);
}

static void
proof_start(struct req *r, int consistency, const char *a, const char *b)
{
	const char *qa, *qb;
	const char **p = call_params(r, 3);
	struct proof *pf = arena_calloc(r->arena, 1, sizeof(*pf));

	if (!query_word(r, a, NULL, &qa) || !query_word(r, b, NULL, &qb))
		return;
	pf->consistency = consistency;
	arena_defer(r->arena, proof_free, pf);
	r->ctx = pf;
	p[2] = req_param(r, "eid");
	p[3] = qa;
	p[4] = qb;
	db_call(r, consistency ? Q_CONSISTENCY_INPUT : Q_INCLUSION_INPUT,
	        proof_input, p);
}

void
h_proof_inclusion(struct req *r)
{
	proof_start(r, 0, "tracker", "tree_size");
}

void
h_proof_consistency(struct req *r)
{
	proof_start(r, 1, "first", "second");
}

void
h_election_result(struct req *r)
{
	reply_call(r, Q_ELECTION_RESULT, reply_200, "token", ":cid", ":eid");
}

void
h_election_export(struct req *r)
{
	reply_call(r, Q_ELECTION_EXPORT, reply_200, "token", ":cid", ":eid");
}
