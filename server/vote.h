/*
 * vote.h - casting ballots in batches, signing tree heads, counting
 *
 * The server's half of docs/protocol.md. One Ed25519 log key per server
 * (PARTICIPE_LOG_KEY_FILE) signs tree heads and receipts. Each worker
 * keeps the descriptors of the elections it has seen (immutable once
 * opened) and, per election, a queue of checked ballots: while one append
 * transaction is in flight the next ballots wait, and they go together in
 * the next one, so the commit rate bounds batches, not ballots. Worker 0
 * also runs the sweeper: every PARTICIPE_TREE_HEAD_INTERVAL it signs a
 * tree head of each open election whose log grew, closes elections whose
 * time is over, and counts closed ones.
 */
#ifndef PARTICIPE_VOTE_H
#define PARTICIPE_VOTE_H

#include <stddef.h>

#include "config.h"

struct req;
struct worker;

/*
 * Loads the log key from cfg->log_key_file, or makes one and writes it
 * (mode 0600) when the file does not exist. 0, or -1 after logging why.
 */
int vote_init(const struct config *cfg);

/* The log key's public half in hex (64 digits). */
const char *vote_log_key_hex(void);

/* Signs m with the log key. */
void vote_sign(const unsigned char *m, size_t len, unsigned char sig[64]);

/* On w's thread before its loop runs: the sweeper timer on worker 0. */
void vote_worker_start(struct worker *w);

/* After w's loop has ended: frees what vote_worker_start and casts made. */
void vote_worker_stop(struct worker *w);

/*
 * Casts the ballot of r (body checked: "ballot" and "signature" hex) into
 * election eid of collectivity slug: decode and verify on the task pool,
 * then the next batched append. Answers r with the receipt or a problem.
 */
void vote_cast(struct req *r, const char *slug, const char *eid);

/*
 * Counts closed election eid of collectivity slug from its log, publishes
 * the result with the final signed tree head, and answers waiter (if not
 * NULL) with the election as api.election_count_save returns it.
 */
void vote_count(struct worker *w, struct req *waiter, const char *slug,
        const char *eid);

#endif
