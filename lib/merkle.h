/*
 * merkle.h - the Merkle tree hash of RFC 9162 (Certificate Transparency 2.0)
 *
 * Exactly RFC 9162 section 2.1, with SHA-256 (libsodium crypto_hash_sha256):
 * a leaf hash is SHA-256(0x00 || entry), a node hash SHA-256(0x01 || left ||
 * right), MTH splits n leaves at the largest power of two smaller than n
 * (2.1.1), and the empty tree's hash is SHA-256 of the empty string.
 * Inclusion proofs are PATH(m, D[n]) (2.1.3.1) and consistency proofs
 * PROOF(m, D[n]) (2.1.4.1): arrays of 32-byte hashes in the RFC's order,
 * deepest first, so any RFC 9162 (or RFC 6962) verifier can check them; the
 * verifiers here are the RFC's own algorithms (2.1.3.2, 2.1.4.2).
 *
 * Functions that take leaves take the leaf hashes (merkle_leaf_hash() of
 * each entry), in log order. An output hash may alias an input hash.
 *
 * A proof does not authenticate the tree size: a proof for one size can
 * verify for another whose tree has the same shape along the path. Callers
 * must take the size and the root from the same signed tree head.
 */
#ifndef PARTICIPE_MERKLE_H
#define PARTICIPE_MERKLE_H

#include <stddef.h>
#include <stdint.h>

/* Bytes in a hash (SHA-256). */
#define MERKLE_HASH_BYTES 32

/*
 * Hashes in the longest proof of a tree of up to SIZE_MAX leaves: an
 * inclusion path has at most ceil(log2 n) hashes, a consistency proof at
 * most ceil(log2 n) + 1.
 */
#define MERKLE_MAX_PROOF (sizeof(size_t) * 8 + 1)

/* What the proof functions return on error (0 is a valid proof length). */
#define MERKLE_PROOF_ERROR SIZE_MAX

/* Writes the leaf hash of entry[0..len): SHA-256(0x00 || entry). */
void merkle_leaf_hash(const unsigned char *entry, size_t len,
        unsigned char out[MERKLE_HASH_BYTES]);

/* Writes the node hash SHA-256(0x01 || left || right). */
void merkle_node_hash(const unsigned char left[MERKLE_HASH_BYTES],
        const unsigned char right[MERKLE_HASH_BYTES],
        unsigned char out[MERKLE_HASH_BYTES]);

/*
 * Writes MTH(D[n]), the root of the tree of the n leaf hashes; for n = 0,
 * SHA-256 of the empty string. O(n) time, constant stack.
 */
void merkle_root(const unsigned char (*leaves)[MERKLE_HASH_BYTES], size_t n,
        unsigned char out[MERKLE_HASH_BYTES]);

/*
 * Writes the audit path PATH(index, D[n]) of RFC 9162 2.1.3.1 to out and
 * returns its length (at most ceil(log2 n); 0 when n = 1). Returns
 * MERKLE_PROOF_ERROR and writes nothing when index >= n or when the path
 * needs more than max hashes.
 */
size_t merkle_inclusion_proof(const unsigned char (*leaves)[MERKLE_HASH_BYTES],
        size_t n, size_t index, unsigned char (*out)[MERKLE_HASH_BYTES],
        size_t max);

/*
 * 1 when path (path_len hashes) proves that leaf, the leaf hash at index,
 * is in the tree of size n whose root is root (RFC 9162 2.1.3.2), else 0.
 */
int merkle_verify_inclusion(const unsigned char leaf[MERKLE_HASH_BYTES],
        size_t index, size_t n, const unsigned char (*path)[MERKLE_HASH_BYTES],
        size_t path_len, const unsigned char root[MERKLE_HASH_BYTES]);

/*
 * Writes the consistency proof PROOF(m, D[n]) of RFC 9162 2.1.4.1 between
 * the first m and all n leaves to out and returns its length (0 when
 * m = n). Returns MERKLE_PROOF_ERROR and writes nothing unless
 * 0 < m <= n, or when the proof needs more than max hashes.
 */
size_t merkle_consistency_proof(
        const unsigned char (*leaves)[MERKLE_HASH_BYTES], size_t n, size_t m,
        unsigned char (*out)[MERKLE_HASH_BYTES], size_t max);

/*
 * 1 when proof (proof_len hashes) proves that the tree of size m and root
 * first is a prefix of the tree of size n and root second (RFC 9162
 * 2.1.4.2), else 0. m = n is valid with an empty proof and equal roots;
 * m = 0 and m > n are never valid.
 */
int merkle_verify_consistency(size_t m, size_t n,
        const unsigned char first[MERKLE_HASH_BYTES],
        const unsigned char second[MERKLE_HASH_BYTES],
        const unsigned char (*proof)[MERKLE_HASH_BYTES], size_t proof_len);

/*
 * Every complete, aligned subtree of a tree: lv[j][i] is the root of
 * leaves [i * 2^j, (i + 1) * 2^j), lv[0] the leaf hashes themselves (not
 * copied: they must outlive it). About n hashes more than the leaves;
 * then the root of any prefix or subtree, and a consistency proof between
 * any two sizes, cost O(log n) instead of the O(n) of merkle_root() and
 * merkle_consistency_proof(): what a verifier checking many tree heads of
 * one log needs.
 */
struct merkle_levels {
	unsigned char (*lv[MERKLE_MAX_PROOF])[MERKLE_HASH_BYTES];
	size_t len[MERKLE_MAX_PROOF];
	size_t depth;
};

/* Builds the levels over n leaf hashes. 0, or -1 when out of memory (then
 * merkle_levels_free() is still needed). */
int merkle_levels_build(struct merkle_levels *l,
        unsigned char (*leaves)[MERKLE_HASH_BYTES], size_t n);

/* Frees what merkle_levels_build() allocated (not the leaves). */
void merkle_levels_free(struct merkle_levels *l);

/* Writes MTH(D[lo:lo+len]) (RFC 9162 2.1.1); lo + len <= n. */
void merkle_levels_root(const struct merkle_levels *l, size_t lo, size_t len,
        unsigned char out[MERKLE_HASH_BYTES]);

/*
 * Writes PROOF(m, D[n]) exactly as merkle_consistency_proof() would
 * (0 < m <= n <= the levels' leaves; out has MERKLE_MAX_PROOF room) and
 * returns its length.
 */
size_t merkle_levels_consistency(const struct merkle_levels *l, size_t n,
        size_t m, unsigned char (*out)[MERKLE_HASH_BYTES]);

#endif
