/*
 * test_merkle.c - RFC 9162 Merkle tree hash, inclusion and consistency
 *
 * Known answers: SHA-256 of "", and the leaves, roots and proofs of the
 * Certificate Transparency reference test tree (RFC 6962 and 9162 trees
 * are the same). Then, on random trees of 1 to 64 leaves, every proof is
 * compared with the RFC's recursive definitions (written out here, apart
 * from lib/merkle.c), must verify, and must not once anything is changed.
 *
 * A proof does not bind the tree size: a proof for size n also verifies
 * for a size n' where the RFC's definition takes the same turns. The
 * wrong-size checks expect exactly that: success when the reference shapes
 * agree, failure otherwise.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "merkle.h"

#define H MERKLE_HASH_BYTES
#define MAXN 64

static int
setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

static void
hex(const unsigned char h[H], char out[2 * H + 1])
{
	sodium_bin2hex(out, 2 * H + 1, h, H);
}

static void
assert_hash(const unsigned char h[H], const char *want)
{
	char got[2 * H + 1];

	hex(h, got);
	assert_string_equal(got, want);
}

/* The largest power of two smaller than n (n >= 2), by the RFC's words. */
static size_t
ref_split(size_t n)
{
	size_t k = 1;

	while (k * 2 < n)
		k *= 2;
	return k;
}

/* MTH(D[n]) of RFC 9162 2.1.1, recursively. */
static void
ref_mth(const unsigned char (*d)[H], size_t n, unsigned char out[H])
{
	unsigned char l[H], r[H];
	size_t k;

	if (n == 0) {
		crypto_hash_sha256(out, (const unsigned char *)"", 0);
		return;
	}
	if (n == 1) {
		memcpy(out, d[0], H);
		return;
	}
	k = ref_split(n);
	ref_mth(d, k, l);
	ref_mth(d + k, n - k, r);
	merkle_node_hash(l, r, out);
}

/*
 * PATH(m, D[n]) of RFC 9162 2.1.3.1, recursively: appends the hashes to
 * out (when d is not NULL) and to shape 'L' or 'R', the side each sibling
 * is on.
 */
static void
ref_path(size_t m, const unsigned char (*d)[H], size_t n,
        unsigned char (*out)[H], size_t *len, char *shape)
{
	size_t k;

	if (n <= 1)
		return;
	k = ref_split(n);
	if (m < k) {
		ref_path(m, d, k, out, len, shape);
		if (d != NULL)
			ref_mth(d + k, n - k, out[*len]);
		shape[*len] = 'R';
	} else {
		ref_path(m - k, d == NULL ? NULL : d + k, n - k, out, len,
		        shape);
		if (d != NULL)
			ref_mth(d, k, out[*len]);
		shape[*len] = 'L';
	}
	shape[++*len] = '\0';
}

/*
 * SUBPROOF(m, D[n], b) of RFC 9162 2.1.4.1, recursively, as ref_path();
 * the shared subtree {MTH(D[m])} is marked 'F' in shape.
 */
static void
ref_subproof(size_t m, const unsigned char (*d)[H], size_t n, int b,
        unsigned char (*out)[H], size_t *len, char *shape)
{
	size_t k;

	if (m == n) {
		if (!b) {
			if (d != NULL)
				ref_mth(d, n, out[*len]);
			shape[*len] = 'F';
			shape[++*len] = '\0';
		}
		return;
	}
	k = ref_split(n);
	if (m <= k) {
		ref_subproof(m, d, k, b, out, len, shape);
		if (d != NULL)
			ref_mth(d + k, n - k, out[*len]);
		shape[*len] = 'R';
	} else {
		ref_subproof(m - k, d == NULL ? NULL : d + k, n - k, 0, out,
		        len, shape);
		if (d != NULL)
			ref_mth(d, k, out[*len]);
		shape[*len] = 'L';
	}
	shape[++*len] = '\0';
}

static void
path_shape(size_t m, size_t n, char shape[MERKLE_MAX_PROOF + 1])
{
	size_t len = 0;

	shape[0] = '\0';
	ref_path(m, NULL, n, NULL, &len, shape);
}

static void
proof_shape(size_t m, size_t n, char shape[MERKLE_MAX_PROOF + 1])
{
	size_t len = 0;

	shape[0] = '\0';
	ref_subproof(m, NULL, n, 1, NULL, &len, shape);
}

/* ceil(log2 n) */
static size_t
ceil_log2(size_t n)
{
	size_t l = 0;

	while (((size_t)1 << l) < n)
		l++;
	return l;
}

/* The CT reference tree: its 8 entries, leaf hashes and roots. */
static const char *const ct_entries[8] = {"", "00", "10", "2021", "3031",
        "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};

static const char *const ct_roots[8] = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

static void
ct_leaves(unsigned char leaves[8][H])
{
	unsigned char e[16];
	size_t i, len;

	for (i = 0; i < 8; i++) {
		assert_int_equal(
		        sodium_hex2bin(e, sizeof(e), ct_entries[i],
		                strlen(ct_entries[i]), NULL, &len, NULL),
		        0);
		merkle_leaf_hash(e, len, leaves[i]);
	}
}

static void
random_leaves(unsigned char (*leaves)[H], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		merkle_leaf_hash(
		        (const unsigned char *)&i, sizeof(i), leaves[i]);
	/* and some random bytes so every run tries other trees */
	for (i = 0; i < n; i += 3)
		randombytes_buf(leaves[i], H);
}

static void
test_merkle_hashes(void **state)
{
	unsigned char h[H], l[H], r[H], buf[1 + 2 * H];
	static const unsigned char e[3] = {'a', 'b', 'c'};

	(void)state;
	/* the empty tree */
	merkle_root(NULL, 0, h);
	assert_hash(h, "e3b0c44298fc1c149afbf4c8996fb924"
	               "27ae41e4649b934ca495991b7852b855");
	/* leaf: SHA-256(0x00 || entry) */
	merkle_leaf_hash(NULL, 0, h);
	assert_hash(h, "6e340b9cffb37a989ca544e6bb780a2c"
	               "78901d3fb33738768511a30617afa01d");
	buf[0] = 0x00;
	memcpy(buf + 1, e, 3);
	crypto_hash_sha256(l, buf, 4);
	merkle_leaf_hash(e, 3, h);
	assert_memory_equal(h, l, H);
	/* node: SHA-256(0x01 || left || right), output may alias */
	randombytes_buf(l, H);
	randombytes_buf(r, H);
	buf[0] = 0x01;
	memcpy(buf + 1, l, H);
	memcpy(buf + 1 + H, r, H);
	crypto_hash_sha256(h, buf, sizeof(buf));
	merkle_node_hash(l, r, l);
	assert_memory_equal(l, h, H);
	memcpy(l, buf + 1, H);
	merkle_node_hash(l, r, r);
	assert_memory_equal(r, h, H);
	/* one leaf: the root is the leaf hash */
	merkle_leaf_hash(e, 3, l);
	merkle_root((const unsigned char(*)[H])l, 1, h);
	assert_memory_equal(h, l, H);
}

static void
test_merkle_ct_vectors(void **state)
{
	unsigned char leaves[8][H], root[H], p[MERKLE_MAX_PROOF][H];
	size_t n, len;

	(void)state;
	ct_leaves(leaves);
	assert_hash(leaves[1], "96a296d224f285c67bee93c30f8a3091"
	                       "57f0daa35dc5b87e410b78630a09cfc7");
	for (n = 1; n <= 8; n++) {
		merkle_root((const unsigned char(*)[H])leaves, n, root);
		assert_hash(root, ct_roots[n - 1]);
	}
	/* inclusion of leaf 0 in the 8-leaf tree */
	len = merkle_inclusion_proof(
	        (const unsigned char(*)[H])leaves, 8, 0, p, MERKLE_MAX_PROOF);
	assert_int_equal(len, 3);
	assert_hash(p[0], "96a296d224f285c67bee93c30f8a3091"
	                  "57f0daa35dc5b87e410b78630a09cfc7");
	assert_hash(p[1], "5f083f0a1a33ca076a95279832580db3"
	                  "e0ef4584bdff1f54c8a360f50de3031e");
	assert_hash(p[2], "6b47aaf29ee3c2af9af889bc1fb9254d"
	                  "abd31177f16232dd6aab035ca39bf6e4");
	/* consistency 1 -> 8 is the same path */
	len = merkle_consistency_proof(
	        (const unsigned char(*)[H])leaves, 8, 1, p, MERKLE_MAX_PROOF);
	assert_int_equal(len, 3);
	assert_hash(p[0], "96a296d224f285c67bee93c30f8a3091"
	                  "57f0daa35dc5b87e410b78630a09cfc7");
	assert_hash(p[1], "5f083f0a1a33ca076a95279832580db3"
	                  "e0ef4584bdff1f54c8a360f50de3031e");
	assert_hash(p[2], "6b47aaf29ee3c2af9af889bc1fb9254d"
	                  "abd31177f16232dd6aab035ca39bf6e4");
	/* consistency 6 -> 8 */
	len = merkle_consistency_proof(
	        (const unsigned char(*)[H])leaves, 8, 6, p, MERKLE_MAX_PROOF);
	assert_int_equal(len, 3);
	assert_hash(p[0], "0ebc5d3437fbe2db158b9f126a1d118e"
	                  "308181031d0a949f8dededebc558ef6a");
	assert_hash(p[1], "ca854ea128ed050b41b35ffc1b87b8eb"
	                  "2bde461e9e3b5596ece6b9d5975a0ae0");
	assert_hash(p[2], "d37ee418976dd95753c1c73862b9398f"
	                  "a2a2cf9b4ff0fdfe8b30cd95209614b7");
	/* consistency 2 -> 5 */
	len = merkle_consistency_proof(
	        (const unsigned char(*)[H])leaves, 5, 2, p, MERKLE_MAX_PROOF);
	assert_int_equal(len, 2);
	assert_hash(p[0], "5f083f0a1a33ca076a95279832580db3"
	                  "e0ef4584bdff1f54c8a360f50de3031e");
	assert_hash(p[1], "bc1a0643b12e4d2d7c77918f44e0f4f7"
	                  "9a838b6cf9ec5b5c283e1f4d88599e6b");
}

static void
test_merkle_root_random(void **state)
{
	unsigned char leaves[MAXN][H], got[H], want[H];
	size_t n;

	(void)state;
	random_leaves(leaves, MAXN);
	for (n = 0; n <= MAXN; n++) {
		merkle_root((const unsigned char(*)[H])leaves, n, got);
		ref_mth((const unsigned char(*)[H])leaves, n, want);
		assert_memory_equal(got, want, H);
	}
	/* a larger tree than any proof test */
	{
		static unsigned char big[1000][H];

		random_leaves(big, 1000);
		for (n = 995; n <= 1000; n++) {
			merkle_root((const unsigned char(*)[H])big, n, got);
			ref_mth((const unsigned char(*)[H])big, n, want);
			assert_memory_equal(got, want, H);
		}
	}
}

/* Verifies the inclusion of leaves[i] in a tree of n. */
static int
vinc(const unsigned char (*leaves)[H], size_t i, size_t n,
        unsigned char (*p)[H], size_t len, const unsigned char root[H])
{
	return merkle_verify_inclusion(
	        leaves[i], i, n, (const unsigned char(*)[H])p, len, root);
}

static void
test_merkle_inclusion(void **state)
{
	unsigned char leaves[MAXN][H], root[H], leaf[H];
	unsigned char p[MERKLE_MAX_PROOF + 1][H], want[MERKLE_MAX_PROOF][H];
	char shape[MERKLE_MAX_PROOF + 1], other[MERKLE_MAX_PROOF + 1];
	const unsigned char(*d)[H] = (const unsigned char(*)[H])leaves;
	size_t n, i, j, b, len, wlen, n2;

	(void)state;
	random_leaves(leaves, MAXN);
	for (n = 1; n <= MAXN; n++) {
		merkle_root(d, n, root);
		for (i = 0; i < n; i++) {
			len = merkle_inclusion_proof(
			        d, n, i, p, MERKLE_MAX_PROOF);
			wlen = 0;
			ref_path(i, d, n, want, &wlen, shape);
			/* exactly the RFC's PATH(i, D[n]) */
			assert_int_equal(len, wlen);
			if (len > 0)
				assert_memory_equal(p, want, len * H);
			assert_true(len <= ceil_log2(n));
			if ((n & (n - 1)) == 0)
				assert_int_equal(len, ceil_log2(n));
			assert_int_equal(vinc(d, i, n, p, len, root), 1);

			/* a changed leaf, path hash or root */
			for (b = 0; b < H; b += 7) {
				memcpy(leaf, leaves[i], H);
				leaf[b] ^= 0x01;
				assert_int_equal(
				        merkle_verify_inclusion(leaf, i, n,
				                (const unsigned char(*)[H])p,
				                len, root),
				        0);
				memcpy(leaf, root, H);
				leaf[b] ^= 0x80;
				assert_int_equal(
				        vinc(d, i, n, p, len, leaf), 0);
			}
			for (j = 0; j < len; j++) {
				p[j][j % H] ^= 0x01;
				assert_int_equal(
				        vinc(d, i, n, p, len, root), 0);
				p[j][j % H] ^= 0x01;
			}
			/* a shorter or longer path */
			if (len > 0)
				assert_int_equal(
				        vinc(d, i, n, p, len - 1, root), 0);
			memcpy(p[len], root, H);
			assert_int_equal(vinc(d, i, n, p, len + 1, root), 0);
			/* another index, with the leaf moved there too */
			for (j = 0; j <= n; j++) {
				if (j == i)
					continue;
				assert_int_equal(
				        merkle_verify_inclusion(leaves[i], j, n,
				                (const unsigned char(*)[H])p,
				                len, root),
				        0);
				if (j < n)
					assert_int_equal(
					        vinc(d, j, n, p, len, root), 0);
			}
			/* another size: only where the RFC's path has the
			 * same shape */
			for (n2 = 0; n2 <= MAXN + 1; n2++) {
				int same;

				if (n2 == n)
					continue;
				same = 0;
				if (i < n2) {
					path_shape(i, n2, other);
					same = strcmp(shape, other) == 0;
				}
				assert_int_equal(
				        vinc(d, i, n2, p, len, root), same);
			}
		}
	}
	/* the one-leaf tree: an empty path, and no path in no tree */
	assert_int_equal(merkle_inclusion_proof(d, 1, 0, p, 0), 0);
	merkle_root(d, 1, root);
	assert_int_equal(vinc(d, 0, 1, p, 0, root), 1);
	assert_int_equal(vinc(d, 0, 0, p, 0, root), 0);
}

static void
test_merkle_inclusion_errors(void **state)
{
	unsigned char leaves[MAXN][H], p[MERKLE_MAX_PROOF][H], z[H];
	const unsigned char(*d)[H] = (const unsigned char(*)[H])leaves;
	size_t i;

	(void)state;
	random_leaves(leaves, MAXN);
	memset(z, 0xAA, H);
	memset(p, 0xAA, sizeof(p));
	assert_int_equal(merkle_inclusion_proof(d, 0, 0, p, MERKLE_MAX_PROOF),
	        MERKLE_PROOF_ERROR);
	assert_int_equal(merkle_inclusion_proof(d, 5, 5, p, MERKLE_MAX_PROOF),
	        MERKLE_PROOF_ERROR);
	assert_int_equal(
	        merkle_inclusion_proof(d, 5, SIZE_MAX, p, MERKLE_MAX_PROOF),
	        MERKLE_PROOF_ERROR);
	/* leaf 0 of 8 needs 3 hashes; leaf 4 of 5 needs 1 */
	assert_int_equal(
	        merkle_inclusion_proof(d, 8, 0, p, 2), MERKLE_PROOF_ERROR);
	assert_int_equal(
	        merkle_inclusion_proof(d, 5, 0, p, 0), MERKLE_PROOF_ERROR);
	for (i = 0; i < MERKLE_MAX_PROOF; i++)
		assert_memory_equal(p[i], z, H);
	/* max exactly the length: only the path is written */
	assert_int_equal(merkle_inclusion_proof(d, 5, 4, p, 1), 1);
	for (i = 1; i < MERKLE_MAX_PROOF; i++)
		assert_memory_equal(p[i], z, H);
	assert_int_equal(merkle_inclusion_proof(d, 8, 0, p, 3), 3);
	for (i = 3; i < MERKLE_MAX_PROOF; i++)
		assert_memory_equal(p[i], z, H);
}

static int
vcon(size_t m, size_t n, const unsigned char *first,
        const unsigned char *second, unsigned char (*p)[H], size_t len)
{
	return merkle_verify_consistency(
	        m, n, first, second, (const unsigned char(*)[H])p, len);
}

static void
test_merkle_consistency(void **state)
{
	unsigned char leaves[MAXN][H], roots[MAXN + 1][H], x[H];
	unsigned char p[MERKLE_MAX_PROOF + 1][H], want[MERKLE_MAX_PROOF][H];
	char shape[MERKLE_MAX_PROOF + 1], other[MERKLE_MAX_PROOF + 1];
	const unsigned char(*d)[H] = (const unsigned char(*)[H])leaves;
	size_t n, m, j, len, wlen, m2, n2, b;

	(void)state;
	random_leaves(leaves, MAXN);
	for (n = 0; n <= MAXN; n++)
		merkle_root(d, n, roots[n]);
	for (n = 1; n <= MAXN; n++) {
		for (m = 1; m <= n; m++) {
			len = merkle_consistency_proof(
			        d, n, m, p, MERKLE_MAX_PROOF);
			wlen = 0;
			shape[0] = '\0';
			ref_subproof(m, d, n, 1, want, &wlen, shape);
			/* exactly the RFC's PROOF(m, D[n]) */
			assert_int_equal(len, wlen);
			if (len > 0)
				assert_memory_equal(p, want, len * H);
			if (m == n)
				assert_int_equal(len, 0);
			else
				assert_true(
				        len >= 1 && len <= ceil_log2(n) + 1);
			assert_int_equal(
			        vcon(m, n, roots[m], roots[n], p, len), 1);

			/* a changed first or second root */
			for (b = 0; b < H; b += 11) {
				memcpy(x, roots[m], H);
				x[b] ^= 0x01;
				assert_int_equal(
				        vcon(m, n, x, roots[n], p, len), 0);
				memcpy(x, roots[n], H);
				x[b] ^= 0x01;
				assert_int_equal(
				        vcon(m, n, roots[m], x, p, len), 0);
			}
			/* a changed proof hash */
			for (j = 0; j < len; j++) {
				for (b = 0; b < H; b += 13) {
					p[j][b] ^= 0x40;
					assert_int_equal(
					        vcon(m, n, roots[m], roots[n],
					                p, len),
					        0);
					p[j][b] ^= 0x40;
				}
			}
			/* a shorter or longer proof */
			if (len > 0)
				assert_int_equal(vcon(m, n, roots[m], roots[n],
				                         p, len - 1),
				        0);
			memcpy(p[len], roots[m], H);
			assert_int_equal(
			        vcon(m, n, roots[m], roots[n], p, len + 1), 0);
			/* other sizes: only where the RFC's proof has the same
			 * shape (it would be computed the same way) */
			for (m2 = m > 2 ? m - 2 : 0; m2 <= m + 2; m2++) {
				for (n2 = n > 2 ? n - 2 : 0; n2 <= n + 2;
				        n2++) {
					int same = 0;

					if (m2 == m && n2 == n)
						continue;
					if (m2 > 0 && m2 <= n2) {
						proof_shape(m2, n2, other);
						same = strcmp(shape, other) ==
						       0;
					}
					assert_int_equal(
					        vcon(m2, n2, roots[m], roots[n],
					                p, len),
					        same);
				}
			}
			/* old and new swapped */
			if (m != n)
				assert_int_equal(
				        vcon(n, m, roots[n], roots[m], p, len),
				        0);
		}
	}
}

static void
test_merkle_consistency_edges(void **state)
{
	unsigned char leaves[MAXN][H], p[MERKLE_MAX_PROOF][H], z[H];
	unsigned char r4[H], r7[H], r8[H];
	const unsigned char(*d)[H] = (const unsigned char(*)[H])leaves;
	size_t i;

	(void)state;
	random_leaves(leaves, MAXN);
	merkle_root(d, 4, r4);
	merkle_root(d, 7, r7);
	merkle_root(d, 8, r8);
	memset(z, 0xAA, H);
	memset(p, 0xAA, sizeof(p));
	/* not 0 < m <= n, or max too small: nothing written */
	assert_int_equal(merkle_consistency_proof(d, 8, 0, p, MERKLE_MAX_PROOF),
	        MERKLE_PROOF_ERROR);
	assert_int_equal(merkle_consistency_proof(d, 0, 0, p, MERKLE_MAX_PROOF),
	        MERKLE_PROOF_ERROR);
	assert_int_equal(merkle_consistency_proof(d, 7, 8, p, MERKLE_MAX_PROOF),
	        MERKLE_PROOF_ERROR);
	/* 7 -> 8: 3 hashes, 4 -> 8: 1 */
	assert_int_equal(
	        merkle_consistency_proof(d, 8, 7, p, 2), MERKLE_PROOF_ERROR);
	assert_int_equal(
	        merkle_consistency_proof(d, 8, 4, p, 0), MERKLE_PROOF_ERROR);
	for (i = 0; i < MERKLE_MAX_PROOF; i++)
		assert_memory_equal(p[i], z, H);
	assert_int_equal(merkle_consistency_proof(d, 8, 8, p, 0), 0);
	assert_int_equal(merkle_consistency_proof(d, 8, 4, p, 1), 1);
	assert_int_equal(vcon(4, 8, r4, r8, p, 1), 1);
	assert_int_equal(merkle_consistency_proof(d, 8, 7, p, 4), 4);
	assert_int_equal(vcon(7, 8, r7, r8, p, 4), 1);

	/* m = n: valid with an empty proof and equal roots only */
	assert_int_equal(vcon(8, 8, r8, r8, NULL, 0), 1);
	assert_int_equal(vcon(8, 8, r8, r7, NULL, 0), 0);
	assert_int_equal(vcon(8, 8, r8, r8, p, 1), 0);
	/* m = 0 is never valid, nor m > n, nor m < n without a proof */
	assert_int_equal(vcon(0, 8, r8, r8, NULL, 0), 0);
	assert_int_equal(vcon(0, 0, r8, r8, NULL, 0), 0);
	assert_int_equal(vcon(0, 8, r4, r8, p, 1), 0);
	assert_int_equal(vcon(9, 8, r8, r8, NULL, 0), 0);
	assert_int_equal(vcon(4, 8, r4, r8, NULL, 0), 0);
	assert_int_equal(vcon(7, 8, r7, r8, NULL, 0), 0);
}

/* The levels give the same roots (of every prefix and subtree) and the
 * same consistency proofs as the direct functions, for every size. */
static void
test_merkle_levels(void **state)
{
	unsigned char leaves[MAXN][H], got[H], want[H];
	unsigned char p[MERKLE_MAX_PROOF][H], q[MERKLE_MAX_PROOF][H];
	struct merkle_levels l;
	size_t n, m, lo, len, plen, qlen;

	(void)state;
	random_leaves(leaves, MAXN);
	for (n = 1; n <= MAXN; n++) {
		assert_int_equal(merkle_levels_build(&l, leaves, n), 0);
		for (lo = 0; lo < n; lo++)
			for (len = 0; lo + len <= n; len++) {
				merkle_levels_root(&l, lo, len, got);
				ref_mth((const unsigned char(*)[H])leaves + lo,
				        len, want);
				assert_memory_equal(got, want, H);
			}
		for (m = 1; m <= n; m++) {
			plen = merkle_levels_consistency(&l, n, m, p);
			qlen = merkle_consistency_proof(
			        (const unsigned char(*)[H])leaves, n, m, q,
			        MERKLE_MAX_PROOF);
			assert_int_equal(plen, qlen);
			if (plen > 0)
				assert_memory_equal(p, q, plen * H);
		}
		merkle_levels_free(&l);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_merkle_hashes),
	        cmocka_unit_test(test_merkle_ct_vectors),
	        cmocka_unit_test(test_merkle_root_random),
	        cmocka_unit_test(test_merkle_inclusion),
	        cmocka_unit_test(test_merkle_inclusion_errors),
	        cmocka_unit_test(test_merkle_consistency),
	        cmocka_unit_test(test_merkle_consistency_edges),
	        cmocka_unit_test(test_merkle_levels),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
