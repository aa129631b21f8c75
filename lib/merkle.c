/*
 * merkle.c - RFC 9162 Merkle tree hash, audit paths and consistency proofs
 *
 * The proofs are built top-down without recursion: each step of the RFC's
 * recursive definition adds the root of the sibling subtree, and the
 * siblings are written from the end of out so the deepest comes first.
 * Sibling subtrees are disjoint, so a proof costs O(n) hashes.
 */
#include "merkle.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

void
merkle_leaf_hash(const unsigned char *entry, size_t len,
        unsigned char out[MERKLE_HASH_BYTES])
{
	static const unsigned char prefix = 0x00;
	crypto_hash_sha256_state st;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, &prefix, 1);
	if (len > 0)
		crypto_hash_sha256_update(&st, entry, len);
	crypto_hash_sha256_final(&st, out);
}

void
merkle_node_hash(const unsigned char left[MERKLE_HASH_BYTES],
        const unsigned char right[MERKLE_HASH_BYTES],
        unsigned char out[MERKLE_HASH_BYTES])
{
	unsigned char buf[1 + 2 * MERKLE_HASH_BYTES];

	buf[0] = 0x01;
	memcpy(buf + 1, left, MERKLE_HASH_BYTES);
	memcpy(buf + 1 + MERKLE_HASH_BYTES, right, MERKLE_HASH_BYTES);
	crypto_hash_sha256(out, buf, sizeof(buf));
}

/* The largest power of two smaller than n (n >= 2): RFC 9162's k. */
static size_t
merkle_split(size_t n)
{
	size_t k = 1;

	while (k <= (n - 1) / 2)
		k <<= 1;
	return k;
}

void
merkle_root(const unsigned char (*leaves)[MERKLE_HASH_BYTES], size_t n,
        unsigned char out[MERKLE_HASH_BYTES])
{
	/* Roots of complete subtrees, largest first: one per bit of n. */
	unsigned char st[MERKLE_MAX_PROOF][MERKLE_HASH_BYTES];
	size_t top = 0, i, c;

	if (n == 0) {
		static const unsigned char none = 0;

		crypto_hash_sha256(out, &none, 0);
		return;
	}
	for (i = 0; i < n; i++) {
		memcpy(st[top++], leaves[i], MERKLE_HASH_BYTES);
		/* i + 1 leaves: merge once per trailing zero bit */
		for (c = i + 1; (c & 1) == 0; c >>= 1) {
			merkle_node_hash(st[top - 2], st[top - 1], st[top - 2]);
			top--;
		}
	}
	/* MTH(D[n]) = HASH(MTH(D[0:k]) || MTH(D[k:n])), right to left */
	while (top > 1) {
		merkle_node_hash(st[top - 2], st[top - 1], st[top - 2]);
		top--;
	}
	memcpy(out, st[0], MERKLE_HASH_BYTES);
}

/* The length of PATH(index, D[n]), index < n. */
static size_t
merkle_path_len(size_t index, size_t n)
{
	size_t len = 0;

	while (n > 1) {
		size_t k = merkle_split(n);

		if (index < k) {
			n = k;
		} else {
			index -= k;
			n -= k;
		}
		len++;
	}
	return len;
}

size_t
merkle_inclusion_proof(const unsigned char (*leaves)[MERKLE_HASH_BYTES],
        size_t n, size_t index, unsigned char (*out)[MERKLE_HASH_BYTES],
        size_t max)
{
	size_t len, d, lo = 0;

	if (index >= n)
		return MERKLE_PROOF_ERROR;
	len = merkle_path_len(index, n);
	if (len > max)
		return MERKLE_PROOF_ERROR;
	/* invariant: the leaf is index - lo of the subtree D[lo:lo+n] */
	for (d = len; n > 1;) {
		size_t k = merkle_split(n);

		if (index - lo < k) {
			merkle_root(leaves + lo + k, n - k, out[--d]);
			n = k;
		} else {
			merkle_root(leaves + lo, k, out[--d]);
			lo += k;
			n -= k;
		}
	}
	return len;
}

int
merkle_verify_inclusion(const unsigned char leaf[MERKLE_HASH_BYTES],
        size_t index, size_t n, const unsigned char (*path)[MERKLE_HASH_BYTES],
        size_t path_len, const unsigned char root[MERKLE_HASH_BYTES])
{
	unsigned char r[MERKLE_HASH_BYTES];
	size_t fn, sn, i;

	if (index >= n)
		return 0;
	fn = index;
	sn = n - 1;
	memcpy(r, leaf, MERKLE_HASH_BYTES);
	for (i = 0; i < path_len; i++) {
		if (sn == 0)
			return 0;
		if ((fn & 1) != 0 || fn == sn) {
			merkle_node_hash(path[i], r, r);
			while ((fn & 1) == 0 && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			merkle_node_hash(r, path[i], r);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && memcmp(r, root, MERKLE_HASH_BYTES) == 0;
}

/*
 * Walks SUBPROOF(m, D[n], true) top-down. With out NULL, only counts the
 * hashes; else writes them, the last one at out[len - 1].
 */
static size_t
merkle_subproof(const unsigned char (*leaves)[MERKLE_HASH_BYTES], size_t n,
        size_t m, unsigned char (*out)[MERKLE_HASH_BYTES], size_t len)
{
	size_t lo = 0, d = len, count = 0;
	int b = 1;

	/* invariant: m of the n leaves of D[lo:lo+n] are in the old tree */
	while (m != n) {
		size_t k = merkle_split(n);

		if (m <= k) {
			if (out != NULL)
				merkle_root(leaves + lo + k, n - k, out[--d]);
			n = k;
		} else {
			if (out != NULL)
				merkle_root(leaves + lo, k, out[--d]);
			lo += k;
			m -= k;
			n -= k;
			b = 0;
		}
		count++;
	}
	if (!b) {
		/* the subtree both trees share: SUBPROOF's {MTH(D[m])} */
		if (out != NULL)
			merkle_root(leaves + lo, n, out[--d]);
		count++;
	}
	return count;
}

size_t
merkle_consistency_proof(const unsigned char (*leaves)[MERKLE_HASH_BYTES],
        size_t n, size_t m, unsigned char (*out)[MERKLE_HASH_BYTES], size_t max)
{
	size_t len;

	if (m == 0 || m > n)
		return MERKLE_PROOF_ERROR;
	len = merkle_subproof(leaves, n, m, NULL, 0);
	if (len > max)
		return MERKLE_PROOF_ERROR;
	merkle_subproof(leaves, n, m, out, len);
	return len;
}

int
merkle_verify_consistency(size_t m, size_t n,
        const unsigned char first[MERKLE_HASH_BYTES],
        const unsigned char second[MERKLE_HASH_BYTES],
        const unsigned char (*proof)[MERKLE_HASH_BYTES], size_t proof_len)
{
	unsigned char fr[MERKLE_HASH_BYTES], sr[MERKLE_HASH_BYTES];
	size_t fn, sn, i = 0;

	if (m == 0 || m > n)
		return 0;
	if (m == n)
		return proof_len == 0 &&
		       memcmp(first, second, MERKLE_HASH_BYTES) == 0;
	if (proof_len == 0)
		return 0;
	/* a power of two: first_hash is the proof's implicit first value */
	if ((m & (m - 1)) == 0) {
		memcpy(fr, first, MERKLE_HASH_BYTES);
	} else {
		memcpy(fr, proof[0], MERKLE_HASH_BYTES);
		i = 1;
	}
	memcpy(sr, fr, MERKLE_HASH_BYTES);
	fn = m - 1;
	sn = n - 1;
	while ((fn & 1) != 0) {
		fn >>= 1;
		sn >>= 1;
	}
	for (; i < proof_len; i++) {
		if (sn == 0)
			return 0;
		if ((fn & 1) != 0 || fn == sn) {
			merkle_node_hash(proof[i], fr, fr);
			merkle_node_hash(proof[i], sr, sr);
			while ((fn & 1) == 0 && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			merkle_node_hash(sr, proof[i], sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && memcmp(fr, first, MERKLE_HASH_BYTES) == 0 &&
	       memcmp(sr, second, MERKLE_HASH_BYTES) == 0;
}

int
merkle_levels_build(struct merkle_levels *l,
        unsigned char (*leaves)[MERKLE_HASH_BYTES], size_t n)
{
	memset(l, 0, sizeof(*l));
	l->lv[0] = leaves;
	l->len[0] = n;
	l->depth = 1;
	while (l->len[l->depth - 1] >= 2) {
		size_t j = l->depth, k = l->len[j - 1] / 2, i;

		l->lv[j] = malloc(k * MERKLE_HASH_BYTES);
		if (l->lv[j] == NULL)
			return -1;
		for (i = 0; i < k; i++)
			merkle_node_hash(l->lv[j - 1][2 * i],
			        l->lv[j - 1][2 * i + 1], l->lv[j][i]);
		l->len[j] = k;
		l->depth++;
	}
	return 0;
}

void
merkle_levels_free(struct merkle_levels *l)
{
	size_t j;

	for (j = 1; j < l->depth; j++)
		free(l->lv[j]);
}

void
merkle_levels_root(const struct merkle_levels *l, size_t lo, size_t len,
        unsigned char out[MERKLE_HASH_BYTES])
{
	unsigned char st[MERKLE_MAX_PROOF][MERKLE_HASH_BYTES];
	size_t top = 0, j;

	if (len == 0) {
		crypto_hash_sha256(out, (const unsigned char *)"", 0);
		return;
	}
	while (len > 0) {
		for (j = 0; (len >> j) > 1; j++)
			;
		if (lo % ((size_t)1 << j) != 0) {
			merkle_root((const unsigned char(*)[MERKLE_HASH_BYTES])
			                            l->lv[0] +
			                    lo,
			        len, st[top++]);
			break;
		}
		memcpy(st[top++], l->lv[j][lo >> j], MERKLE_HASH_BYTES);
		lo += (size_t)1 << j;
		len -= (size_t)1 << j;
	}
	if (top == 0)
		return; /* not reached: len > 0 */
	memcpy(out, st[top - 1], MERKLE_HASH_BYTES);
	while (--top > 0)
		merkle_node_hash(st[top - 1], out, out);
}

size_t
merkle_levels_consistency(const struct merkle_levels *l, size_t n, size_t m,
        unsigned char (*out)[MERKLE_HASH_BYTES])
{
	size_t lo = 0, len = 0, d, nn = n, mm = m;
	int b = 1;

	/* first the length, then the hashes */
	while (mm != nn) {
		size_t k = merkle_split(nn);

		if (mm <= k) {
			nn = k;
		} else {
			mm -= k;
			nn -= k;
			b = 0;
		}
		len++;
	}
	len += !b;
	d = len;
	b = 1;
	while (m != n) {
		size_t k = merkle_split(n);

		if (m <= k) {
			merkle_levels_root(l, lo + k, n - k, out[--d]);
			n = k;
		} else {
			merkle_levels_root(l, lo, k, out[--d]);
			lo += k;
			m -= k;
			n -= k;
			b = 0;
		}
	}
	if (!b)
		merkle_levels_root(l, lo, n, out[--d]);
	return len;
}
