/*
 * pwhash_rate.c - the machine's Argon2id limit, for tests/bench/login.sh
 *
 *   pwhash_rate OPSLIMIT MEMLIMIT SECONDS THREADS
 *       hashes with libsodium's crypto_pwhash_str_alg (Argon2id) for
 *       SECONDS on THREADS threads and prints
 *       "PWHASH threads=N hashes=N seconds=F per_hash_ms=F rate=F"
 *   pwhash_rate --hash OPSLIMIT MEMLIMIT PASSWORD
 *       prints one hash of PASSWORD (to seed benchmark accounts)
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned long long ops;
static size_t mem;
static double until;
static long counts[64];

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *
run(void *arg)
{
	long *n = arg;
	char out[crypto_pwhash_STRBYTES];

	while (now() < until) {
		if (crypto_pwhash_str_alg(out, "correct horse battery staple",
		            28, ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
			abort();
		(*n)++;
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	pthread_t th[64];
	double t0, secs;
	long total = 0;
	int i, nt;

	if (sodium_init() < 0)
		return 1;
	if (argc == 5 && strcmp(argv[1], "--hash") == 0) {
		char out[crypto_pwhash_STRBYTES];

		if (crypto_pwhash_str_alg(out, argv[4], strlen(argv[4]),
		            strtoull(argv[2], NULL, 10),
		            strtoull(argv[3], NULL, 10),
		            crypto_pwhash_ALG_ARGON2ID13) != 0)
			return 1;
		puts(out);
		return 0;
	}
	if (argc != 5) {
		fputs("usage: pwhash_rate OPSLIMIT MEMLIMIT SECONDS THREADS\n",
		        stderr);
		return 2;
	}
	ops = strtoull(argv[1], NULL, 10);
	mem = strtoull(argv[2], NULL, 10);
	nt = atoi(argv[4]);
	if (nt < 1 || nt > 64)
		return 2;
	t0 = now();
	until = t0 + atof(argv[3]);
	for (i = 0; i < nt; i++)
		pthread_create(&th[i], NULL, run, &counts[i]);
	for (i = 0; i < nt; i++) {
		pthread_join(th[i], NULL);
		total += counts[i];
	}
	secs = now() - t0;
	printf("PWHASH threads=%d hashes=%ld seconds=%.3f per_hash_ms=%.2f "
	       "rate=%.2f\n",
	        nt, total, secs, secs * 1000.0 * nt / (double)total,
	        (double)total / secs);
	return 0;
}
