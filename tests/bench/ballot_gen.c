/*
 * ballot_gen.c - pre-signed ballots for tests/bench/ballots.sh
 *
 *   ballot_gen keys N DIR          credential batches DIR/keys-K.json
 *                                  ({"credentials": [...]}, 10000 each)
 *   ballot_gen ballots OPEN N OUT  one POST body per line for the election
 *                                  that POST .../open answered (file OPEN)
 *
 * Voter i's key pair comes from the seed BLAKE2b-256("bench" || i), so
 * both steps agree without storing secret keys. Each ballot approves
 * option i mod (options) of every question it can (single and approval
 * questions only: the benchmark election has one approval question).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "election.h"
#include "wire.h"

static void
keypair(unsigned long i, unsigned char pk[32], unsigned char sk[64])
{
	unsigned char seed[32];
	char msg[32];

	snprintf(msg, sizeof(msg), "bench%lu", i);
	crypto_generichash(seed, sizeof(seed), (const unsigned char *)msg,
	        strlen(msg), NULL, 0);
	crypto_sign_seed_keypair(pk, sk, seed);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0)
		return NULL;
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n)
		return NULL;
	fclose(f);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	*len = (size_t)n;
	return buf;
}

int
main(int argc, char **argv)
{
	unsigned char pk[32], sk[64];
	unsigned long i, n;

	if (sodium_init() < 0)
		return 1;
	if (argc == 4 && strcmp(argv[1], "keys") == 0) {
		FILE *f = NULL;
		char path[4096], hex[65];

		n = strtoul(argv[2], NULL, 10);
		for (i = 0; i < n; i++) {
			if (i % 10000 == 0) {
				if (f != NULL) {
					fputs("]}\n", f);
					fclose(f);
				}
				snprintf(path, sizeof(path), "%s/keys-%lu.json",
				        argv[3], i / 10000);
				f = fopen(path, "w");
				if (f == NULL)
					return 1;
				fputs("{\"credentials\":[", f);
			}
			keypair(i, pk, sk);
			hex_encode(pk, 32, hex);
			fprintf(f, "%s\"%s\"", i % 10000 ? "," : "", hex);
		}
		if (f != NULL) {
			fputs("]}\n", f);
			fclose(f);
		}
		return 0;
	}
	if (argc == 5 && strcmp(argv[1], "ballots") == 0) {
		struct election e;
		char why[256];
		size_t len;
		char *raw = slurp(argv[2], &len);
		json_t *o = raw != NULL ? json_loads(raw, 0, NULL) : NULL;
		const char *d = json_string_value(json_object_get(o, "descriptor"));
		FILE *out = fopen(argv[4], "w");

		memset(&e, 0, sizeof(e));
		if (d == NULL || out == NULL ||
		        election_parse(d, strlen(d), &e, why, sizeof(why)) != 0) {
			fprintf(stderr, "ballot_gen: bad descriptor: %s\n",
			        d == NULL ? "unreadable" : why);
			return 1;
		}
		n = strtoul(argv[3], NULL, 10);
		for (i = 0; i < n; i++) {
			struct ballot b;
			struct choice ch[ELECTION_MAX_QUESTIONS];
			unsigned char *bytes, sig[64];
			char *bh, *sh;
			size_t q;

			memset(&b, 0, sizeof(b));
			keypair(i, pk, sk);
			memcpy(b.fingerprint, e.fingerprint, 32);
			memcpy(b.key, pk, 32);
			b.seq = 1;
			b.nquestions = e.nquestions;
			for (q = 0; q < e.nquestions; q++) {
				ch[q].option =
				        (uint32_t)(i % e.questions[q].noptions);
				ch[q].value = 1;
				b.nchoices[q] = 1;
				b.choices[q] = &ch[q];
			}
			if (ballot_encode(&b, &bytes, &len) != 0)
				return 1;
			crypto_sign_detached(sig, NULL, bytes, len, sk);
			bh = hex_dup(bytes, len);
			sh = hex_dup(sig, 64);
			fprintf(out, "{\"ballot\":\"%s\",\"signature\":\"%s\"}\n",
			        bh, sh);
			free(bh);
			free(sh);
			free(bytes);
		}
		fclose(out);
		election_free(&e);
		json_decref(o);
		free(raw);
		return 0;
	}
	fputs("usage: ballot_gen keys N DIR | ballot_gen ballots DESC N OUT\n",
	        stderr);
	return 2;
}
