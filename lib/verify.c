/*
 * verify.c - the checks of docs/protocol.md, "What participe verify checks"
 *
 * One pass per step over the decoded log. Tree heads are checked in their
 * order. The hashes of every complete subtree are computed once (about one
 * hash per entry), so the root of each head and the RFC 9162 consistency
 * proof between consecutive heads (made as lib/merkle.c makes them, and
 * checked with its verifier) cost O(log n) each: an export of 100,000
 * entries with a head every second verifies in the time of its
 * signatures.
 */
#include "verify.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "election.h"
#include "merkle.h"
#include "wire.h"

/* A 32-byte value and the entry it comes from, for sorting. */
struct keyed {
	unsigned char h[32];
	size_t entry;
};

/* Everything verify_export allocates. */
struct ctx {
	struct election e;
	int have_e;
	unsigned char (*creds)[ELECTION_KEY_BYTES];
	size_t ncreds;
	size_t n;               /* log entries */
	unsigned char **bytes;  /* each entry's bytes */
	size_t *lens;           /* and length */
	struct log_entry *ents; /* parsed, pointing into bytes */
	unsigned char (*leaves)[MERKLE_HASH_BYTES];
	size_t nballots;        /* ballot entries */
	size_t *reg_at;         /* per credential: registering entry */
	size_t *last_entry;     /* per credential: its last ballot entry */
	uint64_t *last_seq;     /* and that ballot's sequence number */
	struct keyed *trackers; /* nballots of them */
	struct tally *tally;
	char *result;
};

static int
cmp_key(const void *a, const void *b)
{
	return memcmp(a, b, ELECTION_KEY_BYTES);
}

static int
cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = memcmp(x->h, y->h, 32);

	if (c != 0)
		return c;
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/* Step 1: the descriptor parses and the fingerprint is its hash. */
static int
check_descriptor(struct ctx *c, const json_t *x, char *why, size_t whylen)
{
	const json_t *d = json_object_get(x, "descriptor");
	unsigned char fp[ELECTION_HASH_BYTES];
	char ewhy[256];

	if (!json_is_string(d))
		return vote_why(
		        why, whylen, "the export has no descriptor (a string)");
	if (hex_decode_fixed(
	            json_string_value(json_object_get(x, "fingerprint")), fp,
	            sizeof(fp)) != 0)
		return vote_why(why, whylen,
		        "the export's fingerprint is not 64 lowercase "
		        "hexadecimal digits");
	if (election_parse(json_string_value(d), json_string_length(d), &c->e,
	            ewhy, sizeof(ewhy)) != 0)
		return vote_why(why, whylen, "%s", ewhy);
	c->have_e = 1;
	if (memcmp(fp, c->e.fingerprint, sizeof(fp)) != 0)
		return vote_why(why, whylen,
		        "the fingerprint is not the hash of the descriptor");
	return 0;
}

/* Step 2, first part: the list is sorted, unique, of valid points. */
static int
check_credentials(struct ctx *c, const json_t *x, char *why, size_t whylen)
{
	const json_t *a = json_object_get(x, "credentials"), *v;
	size_t i;

	if (!json_is_array(a))
		return vote_why(why, whylen,
		        "the export has no credentials (an array)");
	c->ncreds = json_array_size(a);
	c->creds = malloc((c->ncreds + 1) * sizeof(*c->creds));
	if (c->creds == NULL)
		return vote_why(why, whylen, "out of memory");
	json_array_foreach(a, i, v)
	{
		if (hex_decode_fixed(json_string_value(v), c->creds[i],
		            ELECTION_KEY_BYTES) != 0)
			return vote_why(why, whylen,
			        "credential %zu is not 64 lowercase "
			        "hexadecimal digits",
			        i);
		if (i > 0) {
			int k = memcmp(c->creds[i - 1], c->creds[i],
			        ELECTION_KEY_BYTES);

			if (k == 0)
				return vote_why(why, whylen,
				        "credential %zu is a duplicate of "
				        "credential %zu",
				        i, i - 1);
			if (k > 0)
				return vote_why(why, whylen,
				        "the credential list is not sorted "
				        "(credential %zu)",
				        i);
		}
		if (!crypto_core_ed25519_is_valid_point(c->creds[i]))
			return vote_why(why, whylen,
			        "credential %zu is not a valid Ed25519 public "
			        "key",
			        i);
	}
	return 0;
}

/* Step 3: every entry decodes and parses, in its place. */
static int
check_entries(struct ctx *c, const json_t *x, char *why, size_t whylen)
{
	const json_t *a = json_object_get(x, "log"), *v;
	size_t i;

	if (!json_is_array(a))
		return vote_why(
		        why, whylen, "the export has no log (an array)");
	c->n = json_array_size(a);
	if (c->n == 0)
		return vote_why(why, whylen, "the log is empty");
	c->bytes = calloc(c->n, sizeof(*c->bytes));
	c->lens = calloc(c->n, sizeof(*c->lens));
	c->ents = calloc(c->n, sizeof(*c->ents));
	c->leaves = malloc(c->n * sizeof(*c->leaves));
	if (c->bytes == NULL || c->lens == NULL || c->ents == NULL ||
	        c->leaves == NULL)
		return vote_why(why, whylen, "out of memory");
	json_array_foreach(a, i, v)
	{
		const json_t *idx = json_object_get(v, "index");
		const char *hex =
		        json_string_value(json_object_get(v, "entry"));
		struct log_entry *le = &c->ents[i];
		size_t hl;

		if (!json_is_integer(idx) || json_integer_value(idx) < 0 ||
		        (unsigned long long)json_integer_value(idx) != i)
			return vote_why(why, whylen,
			        "log element %zu does not have index %zu", i,
			        i);
		hl = hex != NULL ? strlen(hex) : 0;
		c->bytes[i] = malloc(hl / 2 + 1);
		if (c->bytes[i] == NULL)
			return vote_why(why, whylen, "out of memory");
		if (hex_decode(hex, c->bytes[i], hl / 2, &c->lens[i]) != 0)
			return vote_why(why, whylen,
			        "entry %zu is not lowercase hexadecimal", i);
		merkle_leaf_hash(c->bytes[i], c->lens[i], c->leaves[i]);
		if (log_entry_parse(c->bytes[i], c->lens[i], le) != 0)
			return vote_why(
			        why, whylen, "entry %zu does not parse", i);
		if (i == 0 && le->kind != ENTRY_OPEN)
			return vote_why(why, whylen,
			        "entry 0 is not the opening entry");
		if (i > 0 && le->kind == ENTRY_OPEN)
			return vote_why(why, whylen,
			        "entry %zu is a second opening entry", i);
		if (le->kind != ENTRY_BALLOT &&
		        memcmp(le->fingerprint, c->e.fingerprint,
		                ELECTION_HASH_BYTES) != 0)
			return vote_why(why, whylen,
			        "entry %zu has the fingerprint of another "
			        "election",
			        i);
		if (le->kind == ENTRY_CREDENTIAL && !c->e.registered)
			return vote_why(why, whylen,
			        "entry %zu registers a key, but the election's "
			        "credentials are from the authority",
			        i);
		if (le->kind == ENTRY_CLOSE && i != c->n - 1)
			return vote_why(why, whylen,
			        "entry %zu is a closing entry but not the last "
			        "one",
			        i);
		if (le->kind == ENTRY_CLOSE && le->count != c->nballots)
			return vote_why(why, whylen,
			        "entry %zu closes with %llu ballot entries, "
			        "the log has %zu",
			        i, (unsigned long long)le->count, c->nballots);
		if (le->kind == ENTRY_BALLOT)
			c->nballots++;
	}
	return 0;
}

/*
 * Step 2, second part: authority mode, the list is the opening's;
 * registered mode, the opening's list is empty and the exported list is
 * exactly the set of keys the log registers. Sets reg_at.
 */
static int
check_list_against_log(struct ctx *c, char *why, size_t whylen)
{
	const struct log_entry *open = &c->ents[0];
	unsigned char h[ELECTION_HASH_BYTES];
	struct keyed *reg = NULL;
	size_t i, nreg = 0;
	int rc = -1;

	c->reg_at = calloc(c->ncreds + 1, sizeof(*c->reg_at));
	if (c->reg_at == NULL)
		return vote_why(why, whylen, "out of memory");
	if (!c->e.registered) {
		credentials_hash(
		        (const unsigned char(*)[ELECTION_KEY_BYTES])c->creds,
		        c->ncreds, h);
		if (open->count != c->ncreds)
			return vote_why(why, whylen,
			        "the credential list has %zu keys, the opening "
			        "entry %llu",
			        c->ncreds, (unsigned long long)open->count);
		if (memcmp(h, open->list_hash, sizeof(h)) != 0)
			return vote_why(why, whylen,
			        "the credential list's hash is not the opening "
			        "entry's");
		return 0;
	}
	credentials_hash(NULL, 0, h);
	if (open->count != 0 || memcmp(h, open->list_hash, sizeof(h)) != 0)
		return vote_why(why, whylen,
		        "the opening entry of a registered-credentials "
		        "election does not have the empty list");
	reg = malloc((c->n + 1) * sizeof(*reg));
	if (reg == NULL)
		return vote_why(why, whylen, "out of memory");
	for (i = 0; i < c->n; i++)
		if (c->ents[i].kind == ENTRY_CREDENTIAL) {
			memcpy(reg[nreg].h, c->ents[i].key, 32);
			reg[nreg++].entry = i;
		}
	if (nreg > 1)
		qsort(reg, nreg, sizeof(*reg), cmp_keyed);
	for (i = 1; i < nreg; i++)
		if (memcmp(reg[i].h, reg[i - 1].h, 32) == 0) {
			vote_why(why, whylen,
			        "entry %zu registers the key entry %zu already "
			        "registered",
			        reg[i].entry, reg[i - 1].entry);
			goto out;
		}
	if (nreg != c->ncreds) {
		vote_why(why, whylen,
		        "the credential list has %zu keys, the log registers "
		        "%zu",
		        c->ncreds, nreg);
		goto out;
	}
	for (i = 0; i < nreg; i++) {
		if (memcmp(reg[i].h, c->creds[i], 32) != 0) {
			vote_why(why, whylen,
			        "credential %zu is not a key the log registers",
			        i);
			goto out;
		}
		c->reg_at[i] = reg[i].entry;
	}
	rc = 0;
out:
	free(reg);
	return rc;
}

/* Step 4: every ballot, in log order; counts the valid ones. */
static int
check_ballots(struct ctx *c, char *why, size_t whylen)
{
	size_t i, nt = 0;

	c->last_entry = calloc(c->ncreds + 1, sizeof(*c->last_entry));
	c->last_seq = calloc(c->ncreds + 1, sizeof(*c->last_seq));
	c->trackers = malloc((c->nballots + 1) * sizeof(*c->trackers));
	c->tally = tally_new(&c->e);
	if (c->last_entry == NULL || c->last_seq == NULL ||
	        c->trackers == NULL || c->tally == NULL)
		return vote_why(why, whylen, "out of memory");
	for (i = 0; i < c->n; i++) {
		const struct log_entry *le = &c->ents[i];
		const unsigned char(*k)[ELECTION_KEY_BYTES];
		struct ballot b;
		char bwhy[256];
		size_t p;

		if (le->kind != ENTRY_BALLOT)
			continue;
		if (ballot_check(&c->e, le->ballot, le->ballot_len, le->sig, &b,
		            bwhy, sizeof(bwhy)) != BALLOT_OK)
			return vote_why(why, whylen, "entry %zu: %s", i, bwhy);
		k = c->ncreds > 0 ? bsearch(b.key, c->creds, c->ncreds,
		                            sizeof(*c->creds), cmp_key)
		                  : NULL;
		if (k == NULL) {
			ballot_free(&b);
			return vote_why(why, whylen,
			        "entry %zu: the ballot's key is not %s", i,
			        c->e.registered ? "registered"
			                        : "on the credential list");
		}
		p = (size_t)(k - c->creds);
		if (c->e.registered && c->reg_at[p] > i) {
			ballot_free(&b);
			return vote_why(why, whylen,
			        "entry %zu: the ballot's key is registered "
			        "only later, by entry %zu",
			        i, c->reg_at[p]);
		}
		if (c->last_seq[p] > 0 && !c->e.revote) {
			ballot_free(&b);
			return vote_why(why, whylen,
			        "entry %zu: a second ballot of the key of "
			        "entry %zu, and revoting is not allowed",
			        i, c->last_entry[p]);
		}
		if (c->last_seq[p] > 0 && b.seq <= c->last_seq[p]) {
			unsigned long long seq = b.seq;

			ballot_free(&b);
			return vote_why(why, whylen,
			        "entry %zu: sequence number %llu is not higher "
			        "than %llu of the same key's entry %zu",
			        i, seq, (unsigned long long)c->last_seq[p],
			        c->last_entry[p]);
		}
		c->last_seq[p] = b.seq;
		c->last_entry[p] = i;
		ballot_tracker(le->ballot, le->ballot_len, c->trackers[nt].h);
		c->trackers[nt++].entry = i;
		if (tally_add(c->tally, &b) != 0) {
			ballot_free(&b);
			return vote_why(why, whylen, "out of memory");
		}
		ballot_free(&b);
	}
	if (nt > 1)
		qsort(c->trackers, nt, sizeof(*c->trackers), cmp_keyed);
	for (i = 1; i < nt; i++)
		if (memcmp(c->trackers[i].h, c->trackers[i - 1].h, 32) == 0)
			return vote_why(why, whylen,
			        "entry %zu: the same ballot (tracker) as entry "
			        "%zu",
			        c->trackers[i].entry, c->trackers[i - 1].entry);
	return 0;
}

/* A tree head of the export. */
struct head {
	uint64_t size, time;
	unsigned char root[MERKLE_HASH_BYTES];
	unsigned char sig[ELECTION_SIG_BYTES];
};

/* Reads tree head i of the export. */
static int
read_head(const json_t *h, size_t i, struct head *out, char *why, size_t whylen)
{
	const json_t *s = json_object_get(h, "tree_size");
	const json_t *t = json_object_get(h, "timestamp");

	if (!json_is_integer(s) || json_integer_value(s) < 0)
		return vote_why(why, whylen,
		        "tree head %zu: tree_size is not a non-negative "
		        "integer",
		        i);
	if (!json_is_integer(t) || json_integer_value(t) < 0)
		return vote_why(why, whylen,
		        "tree head %zu: timestamp is not a non-negative "
		        "integer",
		        i);
	if (hex_decode_fixed(json_string_value(json_object_get(h, "root")),
	            out->root, MERKLE_HASH_BYTES) != 0)
		return vote_why(why, whylen,
		        "tree head %zu: root is not 64 lowercase hexadecimal "
		        "digits",
		        i);
	if (hex_decode_fixed(json_string_value(json_object_get(h, "signature")),
	            out->sig, ELECTION_SIG_BYTES) != 0)
		return vote_why(why, whylen,
		        "tree head %zu: signature is not 128 lowercase "
		        "hexadecimal digits",
		        i);
	out->size = (uint64_t)json_integer_value(s);
	out->time = (uint64_t)json_integer_value(t);
	return 0;
}

/* Step 5: signed, right roots, never shrinking, consistent. */
static int
check_heads(struct ctx *c, const json_t *x, size_t *nheads, struct head *last,
        char *why, size_t whylen)
{
	const json_t *a = json_object_get(x, "tree_heads"), *v;
	unsigned char(*proof)[MERKLE_HASH_BYTES] = NULL;
	struct merkle_levels *l = NULL;
	struct head h, prev;
	size_t i;
	int rc = -1;

	*nheads = 0;
	if (!json_is_array(a))
		return vote_why(
		        why, whylen, "the export has no tree_heads (an array)");
	l = calloc(1, sizeof(*l));
	proof = malloc(MERKLE_MAX_PROOF * sizeof(*proof));
	if (l == NULL || proof == NULL ||
	        merkle_levels_build(l, c->leaves, c->n) != 0) {
		vote_why(why, whylen, "out of memory");
		goto out;
	}
	memset(&prev, 0, sizeof(prev));
	json_array_foreach(a, i, v)
	{
		unsigned char root[MERKLE_HASH_BYTES], *msg = NULL;
		size_t msglen = 0, plen;
		int ok;

		if (read_head(v, i, &h, why, whylen) != 0)
			goto out;
		if (h.size > c->n) {
			vote_why(why, whylen,
			        "tree head %zu: size %llu is over the %zu "
			        "entries of the log",
			        i, (unsigned long long)h.size, c->n);
			goto out;
		}
		if (i > 0 && h.size < prev.size) {
			vote_why(why, whylen,
			        "tree head %zu: size %llu is smaller than the "
			        "previous head's %llu",
			        i, (unsigned long long)h.size,
			        (unsigned long long)prev.size);
			goto out;
		}
		if (i > 0 && h.time < prev.time) {
			vote_why(why, whylen,
			        "tree head %zu: time is before the last head's",
			        i);
			goto out;
		}
		if (tree_head_message(c->e.fingerprint, h.size, h.root, h.time,
		            &msg, &msglen) != 0) {
			vote_why(why, whylen, "out of memory");
			goto out;
		}
		ok = crypto_sign_verify_detached(
		             h.sig, msg, msglen, c->e.log_key) == 0;
		free(msg);
		if (!ok) {
			vote_why(why, whylen,
			        "tree head %zu: signature does not verify", i);
			goto out;
		}
		merkle_levels_root(l, 0, (size_t)h.size, root);
		if (memcmp(root, h.root, MERKLE_HASH_BYTES) != 0) {
			vote_why(why, whylen,
			        "tree head %zu: root is not the Merkle root of "
			        "the first %llu entries",
			        i, (unsigned long long)h.size);
			goto out;
		}
		if (i > 0 && prev.size > 0) {
			plen = merkle_levels_consistency(
			        l, (size_t)h.size, (size_t)prev.size, proof);
			if (!merkle_verify_consistency((size_t)prev.size,
			            (size_t)h.size, prev.root, h.root,
			            (const unsigned char(*)[32])proof, plen)) {
				vote_why(why, whylen,
				        "tree heads %zu and %zu are not "
				        "consistent",
				        i - 1, i);
				goto out;
			}
		}
		prev = h;
	}
	*nheads = json_array_size(a);
	*last = prev;
	rc = 0;
out:
	if (l != NULL)
		merkle_levels_free(l);
	free(l);
	free(proof);
	return rc;
}

/* Step 6: a closed log is covered by the last head; the result. */
static int
check_result(struct ctx *c, const json_t *x, size_t nheads,
        const struct head *last, char *why, size_t whylen)
{
	const json_t *r = json_object_get(x, "result");
	int closed = c->ents[c->n - 1].kind == ENTRY_CLOSE;
	char *pub;
	int same;

	if (!closed) {
		if (r != NULL && !json_is_null(r))
			return vote_why(why, whylen,
			        "the election is not closed, yet a result is "
			        "published");
		return 0;
	}
	if (nheads == 0)
		return vote_why(why, whylen,
		        "the election is closed but has no tree head");
	if (last->size != c->n)
		return vote_why(why, whylen,
		        "the election is closed but the last tree head covers "
		        "%llu of the %zu entries",
		        (unsigned long long)last->size, c->n);
	c->result = tally_result(c->tally);
	if (c->result == NULL)
		return vote_why(why, whylen, "out of memory");
	if (!json_is_object(r))
		return vote_why(why, whylen,
		        "the election is closed but the result is not a JSON "
		        "object");
	pub = json_dumps(r, JSON_COMPACT | JSON_SORT_KEYS);
	if (pub == NULL)
		return vote_why(why, whylen, "out of memory");
	same = strcmp(pub, c->result) == 0;
	free(pub);
	if (!same)
		return vote_why(why, whylen,
		        "the published result is not the recomputed one: %s",
		        c->result);
	return 0;
}

static void
ctx_free(struct ctx *c)
{
	size_t i;

	if (c->have_e)
		election_free(&c->e);
	free(c->creds);
	for (i = 0; c->bytes != NULL && i < c->n; i++)
		free(c->bytes[i]);
	free(c->bytes);
	free(c->lens);
	free(c->ents);
	free(c->leaves);
	free(c->reg_at);
	free(c->last_entry);
	free(c->last_seq);
	free(c->trackers);
	tally_free(c->tally);
	free(c->result);
}

int
verify_export(const json_t *export, struct verify_report *rep, char *why,
        size_t whylen)
{
	struct ctx c;
	struct head last;
	size_t nheads = 0, i;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	memset(rep, 0, sizeof(*rep));
	memset(&last, 0, sizeof(last));
	if (!json_is_object(export)) {
		vote_why(why, whylen, "the export is not a JSON object");
		return -1;
	}
	if (check_descriptor(&c, export, why, whylen) != 0 ||
	        check_credentials(&c, export, why, whylen) != 0 ||
	        check_entries(&c, export, why, whylen) != 0 ||
	        check_list_against_log(&c, why, whylen) != 0 ||
	        check_ballots(&c, why, whylen) != 0 ||
	        check_heads(&c, export, &nheads, &last, why, whylen) != 0 ||
	        check_result(&c, export, nheads, &last, why, whylen) != 0)
		goto out;
	rep->entries = c.n;
	rep->ballots = c.nballots;
	rep->credentials = c.ncreds;
	rep->tree_heads = nheads;
	for (i = 0; i < c.ncreds; i++)
		if (c.last_seq[i] > 0)
			rep->counted++;
	rep->closed = c.result != NULL;
	rep->result = c.result;
	c.result = NULL;
	rc = 0;
out:
	ctx_free(&c);
	return rc;
}
