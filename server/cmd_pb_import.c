/*
 * cmd_pb_import.c - participe pb import: a Pabulib election into a process
 *
 *   participe pb import FILE.pb --collectivity SLUG --process PID
 *           [--url URL] [--token TOKEN] [--votes [--codes FILE] [--close]]
 *
 * drives a running server through its public API (URL: --url, else
 * PARTICIPE_URL, else http://127.0.0.1:8080; an admin's bearer token:
 * --token, else PARTICIPE_TOKEN). It creates the process's budget (the
 * file's budget, in euros, becomes cents; its rule the outcome rule:
 * greedy stays greedy, anything else is mes-add1, the other one beside
 * it), then one project per file project in the order of their ids as
 * strings (so that ties fall the same way: the file breaks them by id,
 * the ballot by option id), each titled by its name, described "Pabulib
 * project ID" and reviewed feasible.
 *
 * With --votes, for tests and demos, it also makes the budget's vote in
 * credential-authority mode: one fresh code per voter of the file (with
 * --codes, written there as voter_id,code, mode 0600), the public keys
 * uploaded, the vote opened, and each voter's ballot signed and cast
 * (approval: the projects named; cumulative: their points; ordinal: the
 * order given). The ballot rule accepts every vote of the file: approval
 * or ranking between the shortest and the longest vote, cumulative up to
 * the largest total and the most points on one project. --close then
 * closes the vote, which counts it.
 *
 * Prints "budget ID", "election ID", the numbers of projects and ballots
 * on standard output. A refused file prints "FILE:LINE: reason" and exits
 * 1, as does a refusal of the server (its status and detail printed);
 * usage errors exit 2.
 */
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "cred.h"
#include "election.h"
#include "httpc.h"
#include "pbfile.h"
#include "wire.h"

/* Keys uploaded in one request: about 60 kB, under a small body limit. */
#define IMPORT_KEYS_BATCH 900

/* Money in cents of a file's whole currency units, at most. */
#define IMPORT_MAX_UNITS 10000000000000ULL

/* One import under way. */
struct import {
	struct httpc h;
	const char *path, *slug, *pid, *codes;
	int votes, close;
	struct pbfile pb;
	size_t *order;  /* file projects by id as strings */
	size_t *number; /* file project index -> project number */
	char bid[40], eid[40];
	struct election e;
	unsigned char (*sk)[64];
};

static int
import_usage(void)
{
	fputs("usage: participe pb import FILE.pb --collectivity SLUG "
	      "--process PID\n"
	      "         [--url URL] [--token TOKEN] [--votes [--codes FILE] "
	      "[--close]]\n",
	        stderr);
	return 2;
}

/*
 * METHOD /v1/collectivities/SLUG + path with body; the answer's JSON (new
 * reference; JSON null for an empty body) when its status is want, else
 * NULL after printing the server's refusal.
 */
static json_t *
api(struct import *im, const char *method, const char *path, const char *body,
        int want)
{
	char full[1024];
	struct httpc_resp r;
	json_t *j;

	snprintf(full, sizeof(full), "/v1/collectivities/%s%s", im->slug, path);
	if (httpc_call(&im->h, method, full, body, &r) != 0)
		return NULL;
	if (r.status != want) {
		json_t *p = json_loads(r.body, 0, NULL);
		const char *d = json_string_value(json_object_get(p, "detail"));

		fprintf(stderr, "pb import: %s %s: %d %s\n", method, full,
		        r.status, d != NULL ? d : r.body);
		json_decref(p);
		httpc_resp_free(&r);
		return NULL;
	}
	j = r.len > 0 ? json_loads(r.body, JSON_DECODE_ANY, NULL) : json_null();
	httpc_resp_free(&r);
	return j;
}

/* api() for a body built with json_pack (stolen); the answer's member
   key copied into out (40 bytes) when out is not NULL. */
static json_t *
api_json(struct import *im, const char *method, const char *path, json_t *body,
        int want, const char *key, char *out)
{
	char *s = body != NULL ? json_dumps(body, JSON_COMPACT) : NULL;
	json_t *j = api(im, method, path, s, want);

	free(s);
	json_decref(body);
	if (j != NULL && out != NULL) {
		const char *v = json_string_value(json_object_get(j, key));

		snprintf(out, 40, "%s", v != NULL ? v : "");
	}
	return j;
}

/* s cut to at most max characters (UTF-8), in buf. */
static const char *
cut(const char *s, size_t max, char *buf, size_t len)
{
	size_t i, chars = 0;

	for (i = 0; s[i] != '\0' && i + 4 < len; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && chars++ == max)
			break;
		buf[i] = s[i];
	}
	buf[i] = '\0';
	return buf;
}

static const struct pbfile *sort_pb;

static int
cmp_project_id(const void *a, const void *b)
{
	return strcmp(sort_pb->projects[*(const size_t *)a].id,
	        sort_pb->projects[*(const size_t *)b].id);
}

/* The budget's ballot rule, as the API takes it: every vote fits. */
static json_t *
ballot_rule(const struct pbfile *pb, const char *type)
{
	uint64_t lo = UINT64_MAX, hi = 0, sum = 0, most = 0;
	size_t i, k;

	for (i = 0; i < pb->nvotes; i++) {
		const struct pbfile_vote *v = &pb->votes[i];
		uint64_t s = 0;

		if (v->n == 0)
			continue;
		lo = v->n < lo ? v->n : lo;
		hi = v->n > hi ? v->n : hi;
		for (k = 0; v->points != NULL && k < v->n; k++) {
			s += v->points[k];
			most = v->points[k] > most ? v->points[k] : most;
		}
		sum = s > sum ? s : sum;
	}
	if (hi == 0)
		lo = hi = 1;
	if (hi > RULE_MAX_OPTIONS)
		hi = RULE_MAX_OPTIONS;
	if (lo > hi)
		lo = hi;
	if (strcmp(type, "cumulative") == 0)
		return json_pack("{s:s, s:I, s:I}", "kind", "cumulative",
		        "total", (json_int_t)(sum > 0 ? sum : 1),
		        "max_per_project", (json_int_t)(most > 0 ? most : 1));
	return json_pack("{s:s, s:I, s:I}", "kind",
	        strcmp(type, "ordinal") == 0 ? "ranking" : "approval", "min",
	        (json_int_t)lo, "max", (json_int_t)hi);
}

/* Creates the budget and its projects. */
static int
import_projects(struct import *im)
{
	const struct pbfile *pb = &im->pb;
	const char *rule = pbfile_meta_get(pb, "rule");
	const char *desc = pbfile_meta_get(pb, "description");
	const char *outcome = rule != NULL && strcmp(rule, "greedy") == 0
	                              ? "greedy"
	                              : "mes-add1";
	uint64_t min_votes = 0;
	char title[1024], bpath[128];
	size_t i;
	json_t *j;

	if (desc == NULL || *desc == '\0')
		desc = pbfile_meta_get(pb, "instance");
	if (desc == NULL || *desc == '\0')
		desc = "Pabulib";
	pbfile_threshold(pb, &min_votes);
	snprintf(bpath, sizeof(bpath), "/processes/%s/budget", im->pid);
	j = api_json(im, "POST", bpath,
	        json_pack("{s:s, s:I, s:o, s:s, s:s, s:I}", "title",
	                cut(desc, 200, title, sizeof(title)), "amount",
	                (json_int_t)(pb->budget * 100), "ballot",
	                ballot_rule(pb, pb->vote_type), "outcome", outcome,
	                "compare",
	                strcmp(outcome, "greedy") == 0 ? "mes-add1" : "greedy",
	                "min_votes", (json_int_t)min_votes),
	        201, "id", im->bid);
	if (j == NULL)
		return -1;
	json_decref(j);
	for (i = 0; i < pb->nprojects; i++) {
		const struct pbfile_project *p = &pb->projects[im->order[i]];
		char path[128], name[1024], d[512];

		if (p->cost > IMPORT_MAX_UNITS) {
			fprintf(stderr, "%s:%zu: cost %llu is too large\n",
			        im->path, p->line, (unsigned long long)p->cost);
			return -1;
		}
		snprintf(d, sizeof(d), "Pabulib project %s", p->id);
		if (p->name == NULL || *p->name == '\0')
			snprintf(name, sizeof(name), "Project %s", p->id);
		else
			cut(p->name, 200, name, sizeof(name));
		snprintf(path, sizeof(path), "/budgets/%s/projects", im->bid);
		j = api_json(im, "POST", path,
		        json_pack("{s:s, s:s, s:I}", "title", name,
		                "description", d, "cost",
		                (json_int_t)(p->cost * 100)),
		        201, NULL, NULL);
		if (j == NULL)
			return -1;
		im->number[im->order[i]] = (size_t)json_integer_value(
		        json_object_get(j, "number"));
		snprintf(path, sizeof(path), "/budgets/%s/projects/%s/review",
		        im->bid, json_string_value(json_object_get(j, "id")));
		json_decref(j);
		j = api_json(im, "POST", path,
		        json_pack("{s:s}", "feasibility", "feasible"), 200,
		        NULL, NULL);
		if (j == NULL)
			return -1;
		json_decref(j);
	}
	return 0;
}

/* RFC 3339 UTC of now + offset seconds. */
static void
rfc3339(long offset, char out[32])
{
	time_t t = time(NULL) + offset;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Creates the vote, one credential per voter (codes written to
   im->codes when set), uploads the keys and opens the vote. */
static int
import_open(struct import *im)
{
	const struct pbfile *pb = &im->pb;
	char path[128], from[32], to[32], hex[65], why[256];
	FILE *codes = NULL;
	json_t *j, *keys = NULL;
	const char *d;
	size_t i;
	int rc = -1;

	rfc3339(-60, from);
	rfc3339(30 * 86400, to);
	snprintf(path, sizeof(path), "/budgets/%s/vote", im->bid);
	j = api_json(im, "POST", path,
	        json_pack("{s:s, s:s, s:s}", "credential_mode", "authority",
	                "opens_at", from, "closes_at", to),
	        201, "id", im->eid);
	if (j == NULL)
		return -1;
	json_decref(j);
	if (im->codes != NULL) {
		int fd = open(im->codes, O_WRONLY | O_CREAT | O_EXCL, 0600);

		if (fd < 0 || (codes = fdopen(fd, "w")) == NULL) {
			fprintf(stderr, "pb import: %s: cannot create it\n",
			        im->codes);
			if (fd >= 0)
				close(fd);
			return -1;
		}
		fputs("voter_id,code\n", codes);
	}
	im->sk = calloc(pb->nvotes + 1, sizeof(*im->sk));
	if (im->sk == NULL)
		goto out;
	snprintf(path, sizeof(path), "/elections/%s/credentials", im->eid);
	for (i = 0; i < pb->nvotes; i++) {
		char code[CRED_CODE_TEXT];
		unsigned char pk[32];

		cred_code_random(code);
		if (cred_keypair(code, im->eid, pk, im->sk[i]) != 0)
			goto out;
		if (codes != NULL)
			fprintf(codes, "%s,%s\n", pb->votes[i].voter_id, code);
		if (keys == NULL && (keys = json_array()) == NULL)
			goto out;
		hex_encode(pk, 32, hex);
		json_array_append_new(keys, json_string(hex));
		if (json_array_size(keys) == IMPORT_KEYS_BATCH ||
		        i + 1 == pb->nvotes) {
			j = api_json(im, "POST", path,
			        json_pack("{s:o}", "credentials", keys), 200,
			        NULL, NULL);
			keys = NULL;
			if (j == NULL)
				goto out;
			json_decref(j);
		}
	}
	snprintf(path, sizeof(path), "/elections/%s/open", im->eid);
	if ((j = api(im, "POST", path, NULL, 200)) == NULL)
		goto out;
	d = json_string_value(json_object_get(j, "descriptor"));
	if (d == NULL ||
	        election_parse(d, strlen(d), &im->e, why, sizeof(why)) != 0) {
		fprintf(stderr, "pb import: the vote's descriptor: %s\n",
		        d == NULL ? "missing" : why);
		json_decref(j);
		goto out;
	}
	json_decref(j);
	rc = 0;
out:
	json_decref(keys);
	if (codes != NULL && fclose(codes) != 0)
		rc = -1;
	return rc;
}

/* The JSON choice of file vote v on the vote's one question. */
static json_t *
vote_choice(const struct import *im, const struct pbfile_vote *v)
{
	int cumulative = strcmp(im->pb.vote_type, "cumulative") == 0;
	json_t *c = cumulative ? json_object() : json_array();
	size_t k;

	for (k = 0; k < v->n; k++) {
		char id[16];

		snprintf(id, sizeof(id), "p%06zu", im->number[v->projects[k]]);
		if (cumulative)
			json_object_set_new(c, id,
			        json_integer((json_int_t)(v->points != NULL
			                                          ? v->points[k]
			                                          : 1)));
		else
			json_array_append_new(c, json_string(id));
	}
	return json_pack("[o]", c);
}

/* Signs and casts every voter's ballot; the number cast in *cast. */
static int
import_ballots(struct import *im, size_t *cast)
{
	char path[128], why[256];
	size_t i;

	*cast = 0;
	snprintf(path, sizeof(path), "/elections/%s/ballots", im->eid);
	for (i = 0; i < im->pb.nvotes; i++) {
		const struct pbfile_vote *v = &im->pb.votes[i];
		json_t *choice, *j;
		struct ballot b;
		unsigned char *bytes, sig[64];
		size_t len;
		char *bh, *sh;
		int ok;

		if (v->n == 0)
			continue;
		memset(&b, 0, sizeof(b));
		choice = vote_choice(im, v);
		ok = ballot_choice_from_json(
		             &im->e, choice, &b, why, sizeof(why)) == 0;
		json_decref(choice);
		if (!ok) {
			fprintf(stderr, "%s:%zu: the vote is refused: %s\n",
			        im->path, v->line, why);
			return -1;
		}
		memcpy(b.fingerprint, im->e.fingerprint, 32);
		crypto_sign_ed25519_sk_to_pk(b.key, im->sk[i]);
		b.seq = 1;
		ok = ballot_encode(&b, &bytes, &len) == 0;
		ballot_free(&b);
		if (!ok)
			return -1;
		crypto_sign_detached(sig, NULL, bytes, len, im->sk[i]);
		bh = hex_dup(bytes, len);
		sh = hex_dup(sig, 64);
		free(bytes);
		j = bh != NULL && sh != NULL
		            ? api_json(im, "POST", path,
		                      json_pack("{s:s, s:s}", "ballot", bh,
		                              "signature", sh),
		                      201, NULL, NULL)
		            : NULL;
		free(bh);
		free(sh);
		if (j == NULL)
			return -1;
		json_decref(j);
		(*cast)++;
	}
	return 0;
}

/* Reads argv into im; 0, or 2 after the usage. */
static int
import_args(int argc, char **argv, struct import *im, const char **url,
        const char **token)
{
	int i;

	*url = getenv("PARTICIPE_URL");
	*token = getenv("PARTICIPE_TOKEN");
	for (i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(argv[i], "--votes") == 0)
			im->votes = 1;
		else if (strcmp(argv[i], "--close") == 0)
			im->close = 1;
		else if (argv[i][0] != '-' || strcmp(argv[i], "-") == 0) {
			if (im->path != NULL)
				return import_usage();
			im->path = argv[i];
		} else if (v == NULL)
			return import_usage();
		else if (strcmp(argv[i], "--collectivity") == 0)
			im->slug = argv[++i];
		else if (strcmp(argv[i], "--process") == 0)
			im->pid = argv[++i];
		else if (strcmp(argv[i], "--url") == 0)
			*url = argv[++i];
		else if (strcmp(argv[i], "--token") == 0)
			*token = argv[++i];
		else if (strcmp(argv[i], "--codes") == 0)
			im->codes = argv[++i];
		else
			return import_usage();
	}
	if (im->path == NULL || im->slug == NULL || im->pid == NULL ||
	        ((im->close || im->codes != NULL) && !im->votes))
		return import_usage();
	if (*url == NULL)
		*url = "http://127.0.0.1:8080";
	return 0;
}

int
pb_import(int argc, char **argv)
{
	struct import im;
	struct pbfile_error err;
	const char *url, *token;
	char *buf;
	size_t len, i, cast = 0;
	int rc;

	memset(&im, 0, sizeof(im));
	if ((rc = import_args(argc, argv, &im, &url, &token)) != 0)
		return rc;
	if (httpc_init(&im.h, url, token) != 0) {
		fprintf(stderr, "pb import: %s is not an http:// URL\n", url);
		return 2;
	}
	if (sodium_init() < 0 ||
	        (buf = cli_read_path("pb import", im.path, &len)) == NULL)
		return 1;
	if (pbfile_parse(buf, len, &im.pb, &err) != ERR_OK) {
		fprintf(stderr, "%s:%zu: %s\n", im.path, err.line, err.reason);
		free(buf);
		return 1;
	}
	rc = 1;
	im.order = calloc(im.pb.nprojects + 1, sizeof(*im.order));
	im.number = calloc(im.pb.nprojects + 1, sizeof(*im.number));
	if (im.order == NULL || im.number == NULL)
		goto out;
	for (i = 0; i < im.pb.nprojects; i++)
		im.order[i] = i;
	sort_pb = &im.pb;
	qsort(im.order, im.pb.nprojects, sizeof(*im.order), cmp_project_id);
	if (import_projects(&im) != 0)
		goto out;
	if (im.votes &&
	        (import_open(&im) != 0 || import_ballots(&im, &cast) != 0))
		goto out;
	if (im.close) {
		char path[128];
		json_t *j;

		snprintf(path, sizeof(path), "/elections/%s/close", im.eid);
		if ((j = api(&im, "POST", path, NULL, 200)) == NULL)
			goto out;
		json_decref(j);
	}
	printf("budget %s\nelection %s\nprojects %zu\nballots %zu\n", im.bid,
	        im.votes ? im.eid : "-", im.pb.nprojects, cast);
	rc = 0;
out:
	httpc_close(&im.h);
	election_free(&im.e);
	pbfile_release(&im.pb);
	free(im.order);
	free(im.number);
	free(im.sk);
	free(buf);
	return rc;
}
