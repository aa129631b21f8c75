/*
 * cmd_vote.c - participe cred, participe ballot, participe verify
 *
 * The offline side of the voting protocol (docs/protocol.md), over
 * lib/cred.c, lib/election.c and lib/verify.c; none of it touches the
 * database.
 *
 *   participe cred generate --election ID --roll ROLL.csv
 *           --private CODES.csv --public KEYS.txt
 *
 * reads a CSV roll (RFC 4180, header row required, ',' or ';'), draws one
 * code per row and writes CODES.csv, the roll with a column "code" added
 * (mode 0600), and KEYS.txt, the rows' public keys in lowercase hex, one
 * per line, sorted: the credential list to upload. Neither file may exist
 * yet. Prints the count on standard error.
 *
 *   participe cred keypair --election ID --code CODE
 *
 * prints {"public_key": hex, "secret_key": hex} (libsodium's 64 bytes).
 *
 *   participe ballot sign --descriptor FILE (--code CODE | --secret-key HEX)
 *           --seq N --choice JSON
 *
 * prints {"ballot": hex, "signature": hex}, exactly the body to POST, on
 * standard output, and "tracker: hex", the ballot's tracker to look for
 * in the log, on standard error. FILE holds the descriptor's
 * exact text (white space at its end, as an editor or a shell leaves it,
 * is dropped: a descriptor never ends in white space), or the election as
 * GET .../elections/{eid} answers it, whose "descriptor" is taken.
 *
 *   participe verify FILE
 *
 * checks an export (GET .../elections/{eid}/export; "-" is standard
 * input) and prints "ok: ..." and the result, or "verify: FAILED: why" and
 * exits 1.
 *
 * Usage errors, including a choice the rules refuse, exit 2.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "cred.h"
#include "csv.h"
#include "election.h"
#include "verify.h"
#include "wire.h"

/* Room for one record's unquoted text, and for its fields. */
#define SCRATCH 65536
#define MAX_FIELDS 256

static int
cred_usage(FILE *f)
{
	fputs("usage: participe cred generate --election ID --roll ROLL.csv "
	      "--private CODES.csv --public KEYS.txt\n"
	      "       participe cred keypair --election ID --code CODE\n",
	        f);
	return f == stdout ? 0 : 2;
}

static int
ballot_usage(FILE *f)
{
	fputs("usage: participe ballot sign --descriptor FILE "
	      "(--code CODE | --secret-key HEX) --seq N --choice JSON\n",
	        f);
	return f == stdout ? 0 : 2;
}

static int
verify_usage(FILE *f)
{
	fputs("usage: participe verify FILE   (an election export; - for "
	      "standard input)\n",
	        f);
	return f == stdout ? 0 : 2;
}

/* One --name VALUE option (or --name=VALUE). */
struct opt {
	const char *name;
	const char *value;
};

/*
 * Fills opts[].value from argv[first..argc); every name at most once.
 * Prints the problem as who and returns -1 on anything else.
 */
static int
parse_opts(const char *who, int argc, char **argv, int first, struct opt *opts,
        size_t nopts)
{
	int i;

	for (i = first; i < argc; i++) {
		const char *a = argv[i], *eq, *val;
		size_t k, nlen;

		if (strncmp(a, "--", 2) != 0) {
			fprintf(stderr, "%s: unexpected argument \"%s\"\n", who,
			        a);
			return -1;
		}
		eq = strchr(a, '=');
		nlen = eq != NULL ? (size_t)(eq - a - 2) : strlen(a + 2);
		for (k = 0; k < nopts; k++)
			if (strlen(opts[k].name) == nlen &&
			        strncmp(a + 2, opts[k].name, nlen) == 0)
				break;
		if (k == nopts) {
			fprintf(stderr, "%s: unknown option %.*s\n", who,
			        (int)(nlen + 2), a);
			return -1;
		}
		if (eq != NULL) {
			val = eq + 1;
		} else if (i + 1 < argc) {
			val = argv[++i];
		} else {
			fprintf(stderr, "%s: --%s needs a value\n", who,
			        opts[k].name);
			return -1;
		}
		if (opts[k].value != NULL) {
			fprintf(stderr, "%s: --%s given twice\n", who,
			        opts[k].name);
			return -1;
		}
		opts[k].value = val;
	}
	return 0;
}

/* Prints "who: --name is required" for the first missing option. */
static int
require(const char *who, const struct opt *opts, size_t nopts)
{
	size_t k;

	for (k = 0; k < nopts; k++)
		if (opts[k].value == NULL) {
			fprintf(stderr, "%s: --%s is required\n", who,
			        opts[k].name);
			return -1;
		}
	return 0;
}

/* Writes one CSV field, quoted when it has to be. */
static void
put_csv_field(FILE *f, const char *s, char sep)
{
	const char *p;

	if (strchr(s, sep) == NULL && strpbrk(s, "\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	putc('"', f);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			putc('"', f);
		putc(*p, f);
	}
	putc('"', f);
}

/* Creates path, which must not exist, with mode; NULL after a message. */
static FILE *
create_new(const char *path, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	FILE *f;

	if (fd < 0) {
		fprintf(stderr, "cred: cannot create %s: %s%s\n", path,
		        strerror(errno),
		        errno == EEXIST ? " (it is never overwritten)" : "");
		return NULL;
	}
	if (fchmod(fd, mode) != 0 || (f = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "cred: cannot write %s: %s\n", path,
		        strerror(errno));
		close(fd);
		unlink(path);
		return NULL;
	}
	return f;
}

static int
cmp_key(const void *a, const void *b)
{
	return memcmp(a, b, ELECTION_KEY_BYTES);
}

/* Growing array of public keys. */
struct keys {
	unsigned char (*k)[ELECTION_KEY_BYTES];
	size_t n, cap;
};

static int
keys_add(struct keys *ks, const unsigned char pk[ELECTION_KEY_BYTES])
{
	if (ks->n == ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 1024;
		unsigned char(*nk)[ELECTION_KEY_BYTES] =
		        realloc(ks->k, cap * sizeof(*nk));

		if (nk == NULL)
			return -1;
		ks->k = nk;
		ks->cap = cap;
	}
	memcpy(ks->k[ks->n++], pk, ELECTION_KEY_BYTES);
	return 0;
}

/*
 * Reads the roll in buf, writes every row plus a fresh code to priv and
 * collects the public keys. Prints the first problem.
 */
static int
generate_rows(const char *eid, const char *buf, size_t len, FILE *priv,
        struct keys *ks)
{
	static char scratch[SCRATCH];
	struct csv_field f[MAX_FIELDS];
	size_t nf, nhead, i;
	enum csv_status st;
	struct csv c;
	char sep;

	csv_init(&c, buf, len);
	c.sep = sep = csv_guess_sep(&c);
	st = csv_next(&c, scratch, sizeof(scratch), f, MAX_FIELDS, &nf);
	if (st == CSV_END) {
		fputs("cred: line 1: missing header row\n", stderr);
		return -1;
	}
	if (st == CSV_ERROR) {
		fprintf(stderr, "cred: line %zu: %s\n", c.record_line, c.error);
		return -1;
	}
	for (i = 0; i < nf; i++) {
		if (strcmp(f[i].s, "code") == 0) {
			fputs("cred: line 1: the roll already has a column "
			      "\"code\"\n",
			        stderr);
			return -1;
		}
		put_csv_field(priv, f[i].s, sep);
		putc(sep, priv);
	}
	fputs("code\n", priv);
	nhead = nf;
	while ((st = csv_next(&c, scratch, sizeof(scratch), f, MAX_FIELDS,
	                &nf)) == CSV_RECORD) {
		unsigned char pk[ELECTION_KEY_BYTES], sk[64];
		char code[CRED_CODE_TEXT];

		if (nf != nhead) {
			fprintf(stderr,
			        "cred: line %zu: expected %zu fields, found "
			        "%zu\n",
			        c.record_line, nhead, nf);
			return -1;
		}
		cred_code_random(code);
		if (cred_keypair(code, eid, pk, sk) != 0 ||
		        keys_add(ks, pk) != 0) {
			fputs("cred: cannot derive a key (out of memory?)\n",
			        stderr);
			return -1;
		}
		sodium_memzero(sk, sizeof(sk));
		for (i = 0; i < nf; i++) {
			put_csv_field(priv, f[i].s, sep);
			putc(sep, priv);
		}
		fputs(code, priv);
		putc('\n', priv);
		sodium_memzero(code, sizeof(code));
	}
	sodium_memzero(scratch, sizeof(scratch));
	if (st == CSV_ERROR) {
		fprintf(stderr, "cred: line %zu: %s\n", c.record_line, c.error);
		return -1;
	}
	return 0;
}

/* Closes f; 0, or -1 after a message when anything failed to be written. */
static int
close_checked(FILE *f, const char *path)
{
	int bad = fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0;

	if (fclose(f) != 0)
		bad = 1;
	if (bad)
		fprintf(stderr, "cred: cannot write %s: %s\n", path,
		        strerror(errno));
	return bad ? -1 : 0;
}

static int
cred_generate(int argc, char **argv)
{
	struct opt o[] = {{"election", NULL}, {"roll", NULL}, {"private", NULL},
	        {"public", NULL}};
	struct keys ks = {0};
	FILE *priv = NULL, *pub = NULL;
	char *buf = NULL, hex[2 * ELECTION_KEY_BYTES + 1];
	size_t len = 0, i;
	int rc = 1;

	if (parse_opts("cred", argc, argv, 2, o, 4) != 0 ||
	        require("cred", o, 4) != 0)
		return cred_usage(stderr);
	if (!uuid_canonical(o[0].value)) {
		fputs("cred: --election must be the election id, a lowercase "
		      "UUID\n",
		        stderr);
		return 2;
	}
	if ((buf = cli_read_path("cred", o[1].value, &len)) == NULL)
		return 1;
	if ((priv = create_new(o[2].value, 0600)) == NULL)
		goto out;
	if ((pub = create_new(o[3].value, 0644)) == NULL) {
		fclose(priv);
		priv = NULL;
		unlink(o[2].value);
		goto out;
	}
	if (generate_rows(o[0].value, buf, len, priv, &ks) != 0)
		goto fail;
	if (ks.n > 1)
		qsort(ks.k, ks.n, sizeof(*ks.k), cmp_key);
	for (i = 1; i < ks.n; i++)
		if (memcmp(ks.k[i], ks.k[i - 1], ELECTION_KEY_BYTES) == 0) {
			/* about 2^-250: a broken random generator */
			fputs("cred: two rows got the same key; nothing "
			      "written\n",
			        stderr);
			goto fail;
		}
	for (i = 0; i < ks.n; i++) {
		hex_encode(ks.k[i], ELECTION_KEY_BYTES, hex);
		fputs(hex, pub);
		putc('\n', pub);
	}
	rc = close_checked(priv, o[2].value);
	priv = NULL;
	if (close_checked(pub, o[3].value) != 0)
		rc = 1;
	pub = NULL;
	if (rc != 0)
		goto fail;
	fprintf(stderr,
	        "cred: %zu credential%s: codes in %s (private), public keys "
	        "in %s\n",
	        ks.n, ks.n == 1 ? "" : "s", o[2].value, o[3].value);
	goto out;
fail:
	rc = 1;
	if (priv != NULL)
		fclose(priv);
	if (pub != NULL)
		fclose(pub);
	unlink(o[2].value);
	unlink(o[3].value);
out:
	if (buf != NULL) {
		sodium_memzero(buf, len);
		free(buf);
	}
	free(ks.k);
	return rc;
}

static int
cred_keypair_cmd(int argc, char **argv)
{
	struct opt o[] = {{"election", NULL}, {"code", NULL}};
	unsigned char pk[32], sk[64];
	char pkh[65], skh[129];

	if (parse_opts("cred", argc, argv, 2, o, 2) != 0 ||
	        require("cred", o, 2) != 0)
		return cred_usage(stderr);
	if (!uuid_canonical(o[0].value)) {
		fputs("cred: --election must be the election id, a lowercase "
		      "UUID\n",
		        stderr);
		return 2;
	}
	if (cred_keypair(o[1].value, o[0].value, pk, sk) != 0) {
		fputs("cred: --code must be 24 characters of the base58 "
		      "alphabet (dashes and spaces aside)\n",
		        stderr);
		return 2;
	}
	hex_encode(pk, 32, pkh);
	hex_encode(sk, 64, skh);
	printf("{\"public_key\":\"%s\",\"secret_key\":\"%s\"}\n", pkh, skh);
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(skh, sizeof(skh));
	return fflush(stdout) == 0 ? 0 : 1;
}

int
cmd_cred(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fputs("cred: cannot initialise libsodium\n", stderr);
		return 1;
	}
	if (argc >= 2 && strcmp(argv[1], "generate") == 0)
		return cred_generate(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "keypair") == 0)
		return cred_keypair_cmd(argc, argv);
	if (argc == 2 && (strcmp(argv[1], "help") == 0 ||
	                         strcmp(argv[1], "--help") == 0))
		return cred_usage(stdout);
	return cred_usage(stderr);
}

/* Parses a decimal sequence number 1..2^64-1; 0 when not one. */
static uint64_t
parse_seq(const char *s)
{
	uint64_t v = 0;
	size_t i;

	if (s[0] == '\0')
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - d) / 10)
			return 0;
		v = v * 10 + d;
	}
	return v;
}

/* Signs and prints the ballot of b with sk; 0, or 1 after a message. */
static int
sign_and_print(
        const struct election *e, struct ballot *b, const unsigned char sk[64])
{
	unsigned char *bytes = NULL, sig[64], tracker[32];
	char *bh, sh[129], th[65], why[256];
	struct ballot check;
	size_t len;

	if (ballot_encode(b, &bytes, &len) != 0) {
		fputs("ballot: out of memory\n", stderr);
		return 1;
	}
	crypto_sign_detached(sig, NULL, bytes, len, sk);
	/* what the server will check, checked here first */
	if (ballot_check(e, bytes, len, sig, &check, why, sizeof(why)) !=
	        BALLOT_OK) {
		fprintf(stderr, "ballot: %s\n", why);
		free(bytes);
		return 1;
	}
	ballot_free(&check);
	ballot_tracker(bytes, len, tracker);
	bh = hex_dup(bytes, len);
	free(bytes);
	if (bh == NULL) {
		fputs("ballot: out of memory\n", stderr);
		return 1;
	}
	hex_encode(sig, 64, sh);
	hex_encode(tracker, 32, th);
	printf("{\"ballot\":\"%s\",\"signature\":\"%s\"}\n", bh, sh);
	fprintf(stderr, "tracker: %s\n", th);
	free(bh);
	return fflush(stdout) == 0 ? 0 : 1;
}

static int
ballot_sign(int argc, char **argv)
{
	struct opt o[] = {{"descriptor", NULL}, {"seq", NULL}, {"choice", NULL},
	        {"code", NULL}, {"secret-key", NULL}};
	unsigned char pk[32], sk[64];
	struct election e;
	struct ballot b;
	json_error_t jerr;
	json_t *choice = NULL;
	char *desc, why[512];
	size_t len;
	uint64_t seq;
	int rc = 2;

	if (parse_opts("ballot", argc, argv, 2, o, 5) != 0 ||
	        require("ballot", o, 3) != 0)
		return ballot_usage(stderr);
	if ((o[3].value == NULL) == (o[4].value == NULL)) {
		fputs("ballot: give either --code or --secret-key\n", stderr);
		return ballot_usage(stderr);
	}
	if ((seq = parse_seq(o[1].value)) == 0) {
		fputs("ballot: --seq must be a whole number from 1 to "
		      "18446744073709551615\n",
		        stderr);
		return 2;
	}
	if ((desc = cli_read_path("ballot", o[0].value, &len)) == NULL)
		return 1;
	while (len > 0 && strchr(" \t\r\n", desc[len - 1]) != NULL)
		len--;
	desc[len] = '\0';
	{
		/* The API's election object: its "descriptor" member. */
		json_t *api = json_loads(desc, 0, NULL);
		const char *inner =
		        json_string_value(json_object_get(api, "descriptor"));

		if (inner != NULL &&
		        json_object_get(api, "fingerprint") != NULL) {
			char *copy = strdup(inner);

			if (copy != NULL) {
				free(desc);
				desc = copy;
				len = strlen(desc);
			}
		}
		json_decref(api);
	}
	if (election_parse(desc, len, &e, why, sizeof(why)) != 0) {
		fprintf(stderr, "ballot: %s: %s\n", o[0].value, why);
		free(desc);
		return 1;
	}
	free(desc);
	memset(&b, 0, sizeof(b));
	if (o[3].value != NULL) {
		if (cred_keypair(o[3].value, e.id, pk, sk) != 0) {
			fputs("ballot: --code must be 24 characters of the "
			      "base58 alphabet (dashes and spaces aside)\n",
			        stderr);
			goto out;
		}
	} else {
		unsigned char given[64];
		int same;

		if (hex_decode_fixed(o[4].value, given, 64) != 0) {
			fputs("ballot: --secret-key must be 128 lowercase "
			      "hexadecimal digits\n",
			        stderr);
			goto out;
		}
		/* libsodium's secret key: the seed, then its public key */
		crypto_sign_seed_keypair(pk, sk, given);
		same = sodium_memcmp(sk, given, 64) == 0;
		sodium_memzero(given, sizeof(given));
		if (!same) {
			fputs("ballot: --secret-key is not a key pair (its "
			      "second half is not its seed's public key)\n",
			        stderr);
			goto out;
		}
	}
	choice = json_loads(o[2].value, JSON_REJECT_DUPLICATES, &jerr);
	if (choice == NULL) {
		fprintf(stderr, "ballot: --choice is not JSON: %s\n",
		        jerr.text);
		goto out;
	}
	if (ballot_choice_from_json(&e, choice, &b, why, sizeof(why)) != 0) {
		fprintf(stderr, "ballot: invalid choice: %s\n", why);
		goto out;
	}
	memcpy(b.fingerprint, e.fingerprint, ELECTION_HASH_BYTES);
	memcpy(b.key, pk, ELECTION_KEY_BYTES);
	b.seq = seq;
	rc = sign_and_print(&e, &b, sk);
out:
	sodium_memzero(sk, sizeof(sk));
	json_decref(choice);
	ballot_free(&b);
	election_free(&e);
	return rc;
}

int
cmd_ballot(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fputs("ballot: cannot initialise libsodium\n", stderr);
		return 1;
	}
	if (argc >= 2 && strcmp(argv[1], "sign") == 0)
		return ballot_sign(argc, argv);
	if (argc == 2 && (strcmp(argv[1], "help") == 0 ||
	                         strcmp(argv[1], "--help") == 0))
		return ballot_usage(stdout);
	return ballot_usage(stderr);
}

int
cmd_verify(int argc, char **argv)
{
	struct verify_report rep;
	json_error_t jerr;
	json_t *x;
	char *buf, why[1024];
	size_t len;
	int rc;

	if (argc == 2 && (strcmp(argv[1], "help") == 0 ||
	                         strcmp(argv[1], "--help") == 0 ||
	                         strcmp(argv[1], "-h") == 0))
		return verify_usage(stdout);
	if (argc != 2)
		return verify_usage(stderr);
	if (sodium_init() < 0) {
		fputs("verify: cannot initialise libsodium\n", stderr);
		return 1;
	}
	if ((buf = cli_read_path("verify", argv[1], &len)) == NULL)
		return 1;
	x = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	free(buf);
	if (x == NULL) {
		fprintf(stderr,
		        "verify: FAILED: the export is not JSON: %s (line "
		        "%d)\n",
		        jerr.text, jerr.line);
		return 1;
	}
	rc = verify_export(x, &rep, why, sizeof(why));
	json_decref(x);
	if (rc != 0) {
		fprintf(stderr, "verify: FAILED: %s\n", why);
		return 1;
	}
	printf("ok: %zu entries, %zu ballots, %zu counted, %zu credentials, "
	       "%zu tree heads\n%s\n",
	        rep.entries, rep.ballots, rep.counted, rep.credentials,
	        rep.tree_heads, rep.result != NULL ? rep.result : "null");
	free(rep.result);
	return fflush(stdout) == 0 ? 0 : 1;
}
