/*
 * vote.c - helpers of the API tests that vote (vote.h)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "contrib.h"
#include "identity.h"
#include "vote.h"
#include "wire.h"

void
sb_free(struct signed_ballot *s)
{
	free(s->ballot);
	free(s->sig);
	memset(s, 0, sizeof(*s));
}

/* A problem of this status whose detail contains detail (NULL: any) and
 * naming field (NULL: any); frees r. */
void
refused_(struct http_resp *r, int status, const char *field, const char *detail,
        const char *file, int line)
{
	json_t *p = check_problem_(r, status, NULL, file, line);

	if (field != NULL)
		check_problem_field_(p, field, NULL, file, line);
	if (detail != NULL && strstr(id_str(p, "detail"), detail) == NULL) {
		http_resp_dump(r);
		check_fail_(file, line, "detail \"%s\" lacks \"%s\"",
		        id_str(p, "detail"), detail);
	}
	json_decref(p);
	http_resp_free(r);
}

const char *
epath(const char *slug, const char *eid, const char *rest)
{
	return ct_path(slug, "/elections/%s%s", eid, rest);
}

/* Opens eid and parses its descriptor into e (which the caller frees). */
void
election_open(const char *slug, const char *eid, struct election *e)
{
	json_t *j = ct_json(id_call("POST", epath(slug, eid, "/open"),
	                            http_admin_token(), NULL, NULL),
	        200);
	const char *d = id_str(j, "descriptor");
	char why[256], fp[65];

	assert_int_equal(election_parse(d, strlen(d), e, why, sizeof(why)), 0);
	hex_encode(e->fingerprint, 32, fp);
	assert_string_equal(id_str(j, "fingerprint"), fp);
	assert_string_equal(e->id, eid);
	json_decref(j);
}

/* Signs a ballot of voter v, sequence seq, with this JSON choice. */
void
sign_choice(const struct election *e, const struct voter *v, uint64_t seq,
        const char *choice, struct signed_ballot *out)
{
	struct ballot b;
	json_t *cj = json_loads(choice, JSON_DECODE_ANY, NULL);
	unsigned char *bytes, sig[64];
	size_t len;
	char why[256];

	memset(&b, 0, sizeof(b));
	assert_non_null(cj);
	if (ballot_choice_from_json(e, cj, &b, why, sizeof(why)) != 0)
		fail_msg("choice %s: %s", choice, why);
	json_decref(cj);
	memcpy(b.fingerprint, e->fingerprint, 32);
	memcpy(b.key, v->pk, 32);
	b.seq = seq;
	assert_int_equal(ballot_encode(&b, &bytes, &len), 0);
	ballot_free(&b);
	crypto_sign_detached(sig, NULL, bytes, len, v->sk);
	ballot_tracker(bytes, len, out->tracker);
	out->ballot = hex_dup(bytes, len);
	out->sig = hex_dup(sig, 64);
	free(bytes);
}

/* Signs raw ballot bytes (possibly invalid) with v's key. */
void
sign_bytes(const unsigned char *bytes, size_t len, const struct voter *v,
        struct signed_ballot *out)
{
	unsigned char sig[64];

	crypto_sign_detached(sig, NULL, bytes, len, v->sk);
	ballot_tracker(bytes, len, out->tracker);
	out->ballot = hex_dup(bytes, len);
	out->sig = hex_dup(sig, 64);
}

/* Encodes (fingerprint, v, seq) with these raw choices, then signs. */
void
sign_raw(const struct election *e, const struct voter *v, uint64_t seq,
        size_t nq, const size_t *n, struct choice *const *c,
        struct signed_ballot *out)
{
	struct ballot b;
	unsigned char *bytes;
	size_t len, i;

	memset(&b, 0, sizeof(b));
	memcpy(b.fingerprint, e->fingerprint, 32);
	memcpy(b.key, v->pk, 32);
	b.seq = seq;
	b.nquestions = nq;
	for (i = 0; i < nq; i++) {
		b.nchoices[i] = n[i];
		b.choices[i] = c[i];
	}
	assert_int_equal(ballot_encode(&b, &bytes, &len), 0);
	sign_bytes(bytes, len, v, out);
	free(bytes);
}

struct http_resp *
cast_hex(const char *slug, const char *eid, const char *ballot, const char *sig)
{
	size_t n = strlen(ballot) + strlen(sig) + 64;
	char *body = malloc(n);
	struct http_resp *r;

	snprintf(body, n, "{\"ballot\":\"%s\",\"signature\":\"%s\"}", ballot,
	        sig);
	r = id_call("POST", epath(slug, eid, "/ballots"), NULL, NULL, body);
	free(body);
	return r;
}

struct http_resp *
cast(const char *slug, const char *eid, const struct signed_ballot *s)
{
	return cast_hex(slug, eid, s->ballot, s->sig);
}

/* Casts s (201) and checks its receipt; returns the leaf index. */
long long
cast_ok(const char *slug, const char *eid, const struct election *e,
        const struct signed_ballot *s)
{
	json_t *j = ct_json(cast(slug, eid, s), 201);
	unsigned char sig[64], tracker[32], *m;
	size_t len;
	long long idx = ct_int(j, "index");
	char fp[65];

	assert_int_equal(
	        hex_decode_fixed(id_str(j, "tracker"), tracker, 32), 0);
	assert_memory_equal(tracker, s->tracker, 32);
	hex_encode(e->fingerprint, 32, fp);
	assert_string_equal(id_str(j, "fingerprint"), fp);
	assert_int_equal(hex_decode_fixed(id_str(j, "signature"), sig, 64), 0);
	assert_int_equal(receipt_message(e->fingerprint, tracker, (uint64_t)idx,
	                         (uint64_t)ct_int(j, "timestamp"), &m, &len),
	        0);
	if (crypto_sign_verify_detached(sig, m, len, e->log_key) != 0)
		fail_msg("the receipt's signature does not verify");
	free(m);
	json_decref(j);
	return idx;
}

/* Runs `participe verify` on the export of eid (optionally tampered by
 * flipping one hex digit of entry 'flip', -1: none); returns its exit
 * status and the result line it printed in result (may be NULL). */
int
run_verify(
        const char *slug, const char *eid, int flip, char *result, size_t rsz)
{
	struct http_resp *r =
	        id_call("GET", epath(slug, eid, "/export"), NULL, NULL, NULL);
	char path[] = "/tmp/participe-export-XXXXXX", cmd[512], line[8192];
	const char *bin = getenv("PARTICIPE_TEST_BIN");
	json_t *ex = id_json(r, 200);
	FILE *f, *p;
	int fd = mkstemp(path), st;

	assert_true(fd >= 0);
	if (flip >= 0) {
		json_t *ent = json_array_get(
		        json_object_get(ex, "log"), (size_t)flip);
		char *hex = strdup(id_str(ent, "entry"));
		size_t k = strlen(hex) - 3;

		hex[k] = hex[k] == '0' ? '1' : '0';
		json_object_set_new(ent, "entry", json_string(hex));
		free(hex);
	}
	f = fdopen(fd, "w");
	json_dumpf(ex, f, JSON_COMPACT);
	fclose(f);
	json_decref(ex);
	http_resp_free(r);
	snprintf(cmd, sizeof(cmd), "%s verify %s 2>&1",
	        bin != NULL ? bin : "bin/participe", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (result != NULL)
		result[0] = '\0';
	while (fgets(line, sizeof(line), p) != NULL) {
		print_message("  verify: %s", line);
		if (result != NULL && line[0] == '{') {
			size_t k = strcspn(line, "\n");

			if (k >= rsz)
				k = rsz - 1;
			memcpy(result, line, k);
			result[k] = '\0';
		}
	}
	st = pclose(p);
	unlink(path);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
