/*
 * election.h - elections, ballots, log entries and results (protocol v1)
 *
 * Everything here follows docs/protocol.md byte for byte; the server, the
 * CLI and `participe verify` all go through these functions, so there is
 * one implementation of each check. Ed25519 and SHA-256 are libsodium's.
 */
#ifndef PARTICIPE_ELECTION_H
#define PARTICIPE_ELECTION_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "rule.h"

#define ELECTION_KEY_BYTES 32  /* Ed25519 public key */
#define ELECTION_SIG_BYTES 64  /* Ed25519 signature */
#define ELECTION_HASH_BYTES 32 /* SHA-256 */
#define ELECTION_MAX_QUESTIONS 20
#define ELECTION_ID_MAX 40 /* question and option ids: [a-z0-9_-]{1,40} */
#define BALLOT_MAX_BYTES 16384

#define TAG_ELECTION "participe/election/v1"
#define TAG_CREDENTIALS "participe/credentials/v1"
#define TAG_BALLOT "participe/ballot/v1"
#define TAG_TRACKER "participe/tracker/v1"
#define TAG_LOG_OPEN "participe/log/open/v1"
#define TAG_LOG_CREDENTIAL "participe/log/credential/v1"
#define TAG_LOG_BALLOT "participe/log/ballot/v1"
#define TAG_LOG_CLOSE "participe/log/close/v1"
#define TAG_TREE_HEAD "participe/tree-head/v1"
#define TAG_RECEIPT "participe/receipt/v1"

/*
 * How a budget question (one district of a participatory budget) is
 * decided: its amount, the outcome rule and the rule shown beside it
 * ("greedy", "greedy-no-skip", "greedy-score", "mes", "mes-add1"), the
 * utility of MES ("cost" or "card"), the tie order ("id" or
 * "cost,votes,id") and greedy-no-skip's minimum of votes.
 */
struct budget_spec {
	uint64_t amount;
	char outcome[16], compare[16], utility[8], tie[16];
	uint64_t min_votes;
};

/* One question of a descriptor. */
struct question {
	char id[ELECTION_ID_MAX + 1];
	struct rule rule;
	uint32_t noptions;
	char (*option_ids)[ELECTION_ID_MAX + 1]; /* noptions ids */
	uint64_t *costs; /* a budget question's option costs, else NULL */
	struct budget_spec budget; /* when costs is not NULL */
};

/* A parsed, valid descriptor. */
struct election {
	char *descriptor; /* the exact bytes (NUL-terminated copy) */
	size_t descriptor_len;
	unsigned char fingerprint[ELECTION_HASH_BYTES];
	char id[37], collectivity[37];
	unsigned char log_key[ELECTION_KEY_BYTES];
	int revote;     /* a credential may vote again */
	int registered; /* "registered" credentials, else "authority" */
	/* A budget's vote: every question is a budget question, and a
	   ballot chooses in 1 to districts_per_voter of them (an empty
	   choice: not voting in that district). 0 for other elections. */
	uint32_t districts_per_voter;
	size_t nquestions;
	struct question questions[ELECTION_MAX_QUESTIONS];
};

/*
 * Parses and checks the descriptor bytes (docs/protocol.md) and computes
 * the fingerprint. 0 on success; -1 with the reason in why (e is then
 * left empty: election_free is still safe).
 */
int election_parse(const char *descriptor, size_t len, struct election *e,
        char *why, size_t whylen);

/* Releases what election_parse allocated. */
void election_free(struct election *e);

/*
 * Checks the "questions" array an admin submits (the same rules as the
 * parser: ids, 1..20 questions, 2..200 options, valid rules; no budget
 * questions, which only a budget generates). 0, or -1 with a JSON
 * pointer-ish field ("questions/1/rule/max") and a reason.
 */
int election_questions_check(const json_t *questions, char *field,
        size_t fieldlen, char *why, size_t whylen);

/* Writes the fingerprint H(F(TAG_ELECTION) || F(descriptor)). */
void election_fingerprint(const char *descriptor, size_t len,
        unsigned char out[ELECTION_HASH_BYTES]);

/*
 * Writes the credential list hash of n keys (which the caller has sorted
 * ascending, without duplicates).
 */
void credentials_hash(const unsigned char (*keys)[ELECTION_KEY_BYTES], size_t n,
        unsigned char out[ELECTION_HASH_BYTES]);

/* A decoded ballot; choices point into one malloc'd array. */
struct ballot {
	unsigned char fingerprint[ELECTION_HASH_BYTES];
	unsigned char key[ELECTION_KEY_BYTES];
	uint64_t seq;
	size_t nquestions;
	size_t nchoices[ELECTION_MAX_QUESTIONS];
	struct choice *choices[ELECTION_MAX_QUESTIONS];
	struct choice *all; /* owns every choice */
};

/* Why a ballot is refused. */
enum ballot_err {
	BALLOT_OK = 0,
	BALLOT_TOO_LARGE,      /* over BALLOT_MAX_BYTES */
	BALLOT_MALFORMED,      /* not the canonical encoding */
	BALLOT_WRONG_ELECTION, /* fingerprint of another election */
	BALLOT_BAD_SIGNATURE,  /* signature does not verify */
	BALLOT_RULE,           /* choice the rule does not allow */
};

/*
 * Decodes ballot bytes for election e: canonical structure, exact field
 * lengths, this election's fingerprint, as many questions as e, every
 * choice valid under its rule. The signature is not checked. On success
 * fills out (free with ballot_free); otherwise returns the reason and a
 * sentence in why ("question q2: 3 options chosen, at most 2 allowed").
 */
enum ballot_err ballot_decode(const struct election *e,
        const unsigned char *bytes, size_t len, struct ballot *out, char *why,
        size_t whylen);

/* ballot_decode, then the Ed25519 signature by the ballot's key. */
enum ballot_err ballot_check(const struct election *e,
        const unsigned char *bytes, size_t len,
        const unsigned char sig[ELECTION_SIG_BYTES], struct ballot *out,
        char *why, size_t whylen);

/* Releases a decoded ballot (safe on a zeroed one). */
void ballot_free(struct ballot *b);

/*
 * Fills b's choices from the JSON choice of docs/protocol.md (one element
 * per question: "a" / ["a"], ["a","c"], ["c","a"] in preference order,
 * {"a":3}) and checks them against the rules. Sets nquestions; does not
 * touch fingerprint, key, seq. b must be zeroed or hold choices, which are
 * replaced (freed). 0, or -1 with why (and no choices).
 */
int ballot_choice_from_json(const struct election *e, const json_t *choice,
        struct ballot *b, char *why, size_t whylen);

/* Encodes b (fingerprint, key, seq, choices) as canonical bytes. */
int ballot_encode(const struct ballot *b, unsigned char **out, size_t *len);

/* Writes the tracker H(F(TAG_TRACKER) || F(ballot bytes)). */
void ballot_tracker(const unsigned char *bytes, size_t len,
        unsigned char out[ELECTION_HASH_BYTES]);

/* Kinds of log entries. */
enum entry_kind { ENTRY_OPEN, ENTRY_CREDENTIAL, ENTRY_BALLOT, ENTRY_CLOSE };

/* A parsed log entry; pointers point into the entry bytes. */
struct log_entry {
	enum entry_kind kind;
	/* open, credential, close */
	unsigned char fingerprint[ELECTION_HASH_BYTES];
	unsigned char list_hash[ELECTION_HASH_BYTES]; /* open */
	uint64_t count; /* open: credentials; close: ballot entries */
	unsigned char key[ELECTION_KEY_BYTES]; /* credential */
	const unsigned char *ballot;           /* ballot */
	size_t ballot_len;
	unsigned char sig[ELECTION_SIG_BYTES]; /* ballot */
	uint64_t time_ms;
};

/* Parses one entry exactly (no trailing bytes). 0, or -1 if malformed. */
int log_entry_parse(
        const unsigned char *entry, size_t len, struct log_entry *out);

/* Encodes an entry of kind e->kind (fields as parsed). 0, or -1 on OOM. */
int log_entry_encode(
        const struct log_entry *e, unsigned char **out, size_t *len);

/* The message a tree head signs (malloc'd in *out). 0, or -1 on OOM. */
int tree_head_message(const unsigned char fingerprint[ELECTION_HASH_BYTES],
        uint64_t size, const unsigned char root[ELECTION_HASH_BYTES],
        uint64_t time_ms, unsigned char **out, size_t *len);

/* The message a receipt signs (malloc'd in *out). 0, or -1 on OOM. */
int receipt_message(const unsigned char fingerprint[ELECTION_HASH_BYTES],
        const unsigned char tracker[ELECTION_HASH_BYTES], uint64_t index,
        uint64_t time_ms, unsigned char **out, size_t *len);

/* Counting: last ballot per credential. */
struct tally;

/* A new, empty count for election e (which must outlive it). */
struct tally *tally_new(const struct election *e);

/*
 * Adds a decoded, valid ballot of e (copied). 0, or -1 on OOM (or when b
 * does not have e's number of questions).
 */
int tally_add(struct tally *t, const struct ballot *b);

/*
 * The result of docs/protocol.md, "The result", as canonical JSON text
 * (malloc'd), counting for each key the ballot with the highest sequence
 * number. NULL on OOM.
 */
char *tally_result(struct tally *t);

/*
 * Calls fn(arg, b) for each counted ballot (each key's highest sequence
 * number), in key order; b (its key, seq and choices) is valid during the
 * call only. Returns 0, or the first non-zero fn returned.
 */
int tally_each(struct tally *t, int (*fn)(void *arg, const struct ballot *b),
        void *arg);

/* Releases the count. */
void tally_free(struct tally *t);

#endif
