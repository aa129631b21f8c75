/*
 * cmd_roll.c - participe roll: a collectivity's roll, hashed
 *
 *   participe roll hash KEYHEX [FILE]
 *
 * reads a CSV roll (RFC 4180, UTF-8) from FILE, or standard input when
 * FILE is absent or "-", whose header row names the columns family_name,
 * given_name, birth_date and postcode (in any order; ';' may separate them
 * instead of ','), and prints the keyed hash of each person's canonical
 * identity (lib/roll.h), one lowercase hex hash per line, sorted, without
 * duplicates: what the server stores instead of the roll. Exits 1 with
 * "roll: line N: ..." on the first bad row, 2 on a usage error.
 *
 *   participe roll new-key
 *
 * prints a new random key in hex.
 */
#include <errno.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "csv.h"
#include "problem.h"
#include "roll.h"

/* The columns, in canonical order. */
static const char *const columns[4] = {
        "family_name", "given_name", "birth_date", "postcode"};

/* Room for one record's unquoted text, and for its fields. */
#define SCRATCH 8192
#define MAX_FIELDS 64

static int
usage(FILE *f)
{
	fputs("usage: participe roll hash KEYHEX [FILE]\n"
	      "       participe roll new-key\n",
	        f);
	return f == stdout ? 0 : 2;
}

/* Hex hashes, 64 characters each, no terminator. */
struct hashes {
	char (*h)[64];
	size_t n, cap;
};

static int
hashes_add(struct hashes *hs, const char hex[65])
{
	if (hs->n == hs->cap) {
		size_t cap = hs->cap ? hs->cap * 2 : 1024;
		char(*nh)[64] = realloc(hs->h, cap * sizeof(*nh));

		if (nh == NULL)
			return -1;
		hs->h = nh;
		hs->cap = cap;
	}
	memcpy(hs->h[hs->n++], hex, 64);
	return 0;
}

static int
cmp64(const void *a, const void *b)
{
	return memcmp(a, b, 64);
}

/* "family_name must ...; postcode must ..." from a problem's fields. */
static void
problem_text(const struct problem *p, char *out, size_t size)
{
	size_t i, o = 0;
	json_t *e;

	out[0] = '\0';
	json_array_foreach(p->errors, i, e)
	{
		int k = snprintf(out + o, size - o, "%s%s %s", i ? "; " : "",
		        json_string_value(json_object_get(e, "field")),
		        json_string_value(json_object_get(e, "message")));

		if (k < 0 || (size_t)k >= size - o)
			break;
		o += (size_t)k;
	}
	if (o == 0)
		snprintf(out, size, "%s", p->detail);
}

/*
 * Maps the header's columns to canonical positions: col[i] is the field
 * index of columns[i]. Prints the problem and returns -1 when it is not
 * exactly the four columns.
 */
static int
read_header(const struct csv_field *f, size_t nf, size_t col[4])
{
	size_t i, k;
	int seen[4] = {0, 0, 0, 0};

	for (i = 0; i < nf; i++) {
		for (k = 0; k < 4; k++)
			if (strcmp(f[i].s, columns[k]) == 0)
				break;
		if (k == 4) {
			fprintf(stderr,
			        "roll: line 1: unknown column \"%s\" (the "
			        "columns are family_name, given_name, "
			        "birth_date, postcode)\n",
			        f[i].s);
			return -1;
		}
		if (seen[k]) {
			fprintf(stderr,
			        "roll: line 1: column \"%s\" appears twice\n",
			        f[i].s);
			return -1;
		}
		seen[k] = 1;
		col[k] = i;
	}
	for (k = 0; k < 4; k++)
		if (!seen[k]) {
			fprintf(stderr, "roll: line 1: missing column \"%s\"\n",
			        columns[k]);
			return -1;
		}
	return 0;
}

/* Hashes every row of buf into hs; prints the first problem. */
static int
hash_rows(const unsigned char key[ROLL_KEY_BYTES], const char *buf, size_t len,
        struct hashes *hs)
{
	static char scratch[SCRATCH];
	struct csv_field f[MAX_FIELDS];
	size_t nf, col[4], nhead;
	struct csv c;
	enum csv_status st;

	csv_init(&c, buf, len);
	c.sep = csv_guess_sep(&c);
	st = csv_next(&c, scratch, sizeof(scratch), f, MAX_FIELDS, &nf);
	if (st == CSV_END) {
		fputs("roll: line 1: missing header row "
		      "family_name,given_name,birth_date,postcode\n",
		        stderr);
		return -1;
	}
	if (st == CSV_ERROR) {
		fprintf(stderr, "roll: line %zu: %s\n", c.record_line, c.error);
		return -1;
	}
	if (read_header(f, nf, col) != 0)
		return -1;
	nhead = nf;
	while ((st = csv_next(&c, scratch, sizeof(scratch), f, MAX_FIELDS,
	                &nf)) == CSV_RECORD) {
		char canon[ROLL_CANON_MAX], hex[65], msg[512];
		struct problem p = {0};
		size_t clen;

		if (nf != nhead) {
			fprintf(stderr,
			        "roll: line %zu: expected %zu fields, found "
			        "%zu\n",
			        c.record_line, nhead, nf);
			return -1;
		}
		if (roll_canonical(f[col[0]].s, f[col[1]].s, f[col[2]].s,
		            f[col[3]].s, canon, sizeof(canon), &clen,
		            &p) != ERR_OK) {
			problem_text(&p, msg, sizeof(msg));
			fprintf(stderr, "roll: line %zu: %s\n", c.record_line,
			        msg);
			problem_clear(&p);
			return -1;
		}
		roll_hash_hex(key, canon, clen, hex);
		sodium_memzero(canon, sizeof(canon));
		if (hashes_add(hs, hex) != 0) {
			fputs("roll: out of memory\n", stderr);
			return -1;
		}
	}
	sodium_memzero(scratch, sizeof(scratch));
	if (st == CSV_ERROR) {
		fprintf(stderr, "roll: line %zu: %s\n", c.record_line, c.error);
		return -1;
	}
	return 0;
}

static int
roll_hash(int argc, char **argv)
{
	unsigned char key[ROLL_KEY_BYTES];
	struct hashes hs = {0};
	const char *path = argc > 3 ? argv[3] : "-";
	size_t len = 0, i;
	char *buf;
	int rc = 1;

	if (argc < 3 || argc > 4)
		return usage(stderr);
	if (!roll_key_from_hex(argv[2], key)) {
		fputs("roll: KEYHEX must be 64 hexadecimal digits\n", stderr);
		return 2;
	}
	if ((buf = cli_read_path("roll", path, &len)) == NULL) {
		sodium_memzero(key, sizeof(key));
		return 1;
	}
	if (hash_rows(key, buf, len, &hs) == 0) {
		if (hs.n > 0)
			qsort(hs.h, hs.n, sizeof(*hs.h), cmp64);
		for (i = 0; i < hs.n; i++)
			if (i == 0 || memcmp(hs.h[i], hs.h[i - 1], 64) != 0) {
				fwrite(hs.h[i], 1, 64, stdout);
				putchar('\n');
			}
		if (fflush(stdout) != 0 || ferror(stdout))
			fputs("roll: cannot write the hashes\n", stderr);
		else
			rc = 0;
	}
	sodium_memzero(key, sizeof(key));
	sodium_memzero(buf, len);
	free(buf);
	free(hs.h);
	return rc;
}

static int
roll_new_key(int argc)
{
	unsigned char key[ROLL_KEY_BYTES];
	char hex[2 * ROLL_KEY_BYTES + 1];

	if (argc != 2)
		return usage(stderr);
	roll_key_new(key);
	sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));
	printf("%s\n", hex);
	sodium_memzero(key, sizeof(key));
	sodium_memzero(hex, sizeof(hex));
	return fflush(stdout) == 0 ? 0 : 1;
}

int
cmd_roll(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fputs("roll: cannot initialise libsodium\n", stderr);
		return 1;
	}
	if (argc >= 2 && strcmp(argv[1], "hash") == 0)
		return roll_hash(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "new-key") == 0)
		return roll_new_key(argc);
	if (argc == 2 && strcmp(argv[1], "help") == 0)
		return usage(stdout);
	return usage(stderr);
}
