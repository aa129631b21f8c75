/*
 * vote.h - helpers of the API tests that vote (test_elections.c,
 * test_budgets.c): voters' keys, ballots signed with lib/election.c as a
 * frontend would, casting with the receipt checked, `participe verify`
 * on an export
 */
#ifndef PARTICIPE_TEST_VOTE_H
#define PARTICIPE_TEST_VOTE_H

#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "cred.h"
#include "election.h"

struct voter {
	unsigned char pk[32], sk[64];
	char code[CRED_CODE_TEXT];
};

/* A signed ballot as the API takes it. */
struct signed_ballot {
	char *ballot, *sig; /* hex, malloc'd */
	unsigned char tracker[32];
};

/* Frees a signed ballot's strings. */
void sb_free(struct signed_ballot *s);

/* A problem of this status whose detail contains detail (NULL: any) and
 * naming field (NULL: any); frees r. */
#define refused(r, st, field, detail)                                          \
	refused_((r), (st), (field), (detail), __FILE__, __LINE__)
void refused_(struct http_resp *r, int status, const char *field,
        const char *detail, const char *file, int line);

/* The path of election eid of slug, then rest ("/open"). */
const char *epath(const char *slug, const char *eid, const char *rest);

/* Opens eid and parses its descriptor into e (which the caller frees). */
void election_open(const char *slug, const char *eid, struct election *e);

/* Signs a ballot of voter v, sequence seq, with this JSON choice. */
void sign_choice(const struct election *e, const struct voter *v, uint64_t seq,
        const char *choice, struct signed_ballot *out);

/* Signs raw ballot bytes (possibly invalid) with v's key. */
void sign_bytes(const unsigned char *bytes, size_t len, const struct voter *v,
        struct signed_ballot *out);

/* Encodes (fingerprint, v, seq) with these raw choices, then signs. */
void sign_raw(const struct election *e, const struct voter *v, uint64_t seq,
        size_t nq, const size_t *n, struct choice *const *c,
        struct signed_ballot *out);

/* POSTs a ballot (hex) and signature (hex) to eid's ballots. */
struct http_resp *cast_hex(
        const char *slug, const char *eid, const char *ballot, const char *sig);

/* POSTs s to eid's ballots. */
struct http_resp *cast(
        const char *slug, const char *eid, const struct signed_ballot *s);

/* Casts s (201) and checks its receipt; returns the leaf index. */
long long cast_ok(const char *slug, const char *eid, const struct election *e,
        const struct signed_ballot *s);

/*
 * Runs `participe verify` on the export of eid (optionally tampered by
 * flipping one hex digit of entry 'flip', -1: none); returns its exit
 * status and the result line it printed in result (may be NULL).
 */
int run_verify(
        const char *slug, const char *eid, int flip, char *result, size_t rsz);

#endif
