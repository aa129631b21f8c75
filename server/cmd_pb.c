/*
 * cmd_pb.c - participe pb: participatory budgets from Pabulib files
 *
 *   participe pb tally FILE.pb --rule RULE [--utility cost|card]
 *           [--tie id|cost,votes,id] [--min-votes N] [--json] [--time]
 *
 * reads a Pabulib file (lib/pbfile.h; "-" is standard input) and prints
 * the projects RULE selects (lib/outcome.h: greedy, greedy-no-skip,
 * greedy-score, mes, mes-add1) in selection order, one line each (id,
 * cost, votes, name), then the money spent, the budget and what is left;
 * for mes and mes-add1 also the +1 steps and the final budget per voter.
 * greedy-no-skip drops projects below the file's
 * min_project_score_threshold, or --min-votes N. --json prints one
 * object instead: rule, utility, tie, budget, selected (ids in order),
 * cost, left, steps and per_voter_budget (null for the greedy rules),
 * and projects (id, cost, votes, name of each selected one). --time
 * prints the time the rule took (the file's reading apart) on standard
 * error, for tests/bench/pb.sh.
 *
 *   participe pb import FILE.pb --collectivity SLUG --process PID ...
 *
 * loads the file into a process through the API (cmd_pb_import.c).
 *
 * A file refused prints "FILE:LINE: reason" on standard error and exits
 * 1; usage errors exit 2. The subcommands are one table: a new one is a
 * row.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmd.h"
#include "outcome.h"
#include "pbfile.h"

/* Largest file read. */
#define PB_MAX_FILE (256u * 1024 * 1024)

static int pb_tally(int argc, char **argv);

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *args;
} pb_cmds[] = {
        {"tally", pb_tally,
                "FILE.pb --rule RULE [--utility cost|card] "
                "[--tie id|cost,votes,id] [--min-votes N] [--json] "
                "[--time]"},
        {"import", pb_import,
                "FILE.pb --collectivity SLUG --process PID [--url URL] "
                "[--token TOKEN] [--votes [--codes FILE] [--close]]"},
};

static int
pb_usage(FILE *f)
{
	size_t i;

	for (i = 0; i < sizeof(pb_cmds) / sizeof(pb_cmds[0]); i++)
		fprintf(f, "%s participe pb %s %s\n",
		        i ? "      " : "usage:", pb_cmds[i].name,
		        pb_cmds[i].args);
	fputs("rules: greedy, greedy-no-skip, greedy-score, mes, mes-add1\n",
	        f);
	return f == stdout ? 0 : 2;
}

int
cmd_pb(int argc, char **argv)
{
	size_t i;

	if (argc >= 2 && (strcmp(argv[1], "help") == 0 ||
	                         strcmp(argv[1], "--help") == 0 ||
	                         strcmp(argv[1], "-h") == 0))
		return pb_usage(stdout);
	for (i = 0; argc >= 2 && i < sizeof(pb_cmds) / sizeof(pb_cmds[0]); i++)
		if (strcmp(argv[1], pb_cmds[i].name) == 0)
			return pb_cmds[i].fn(argc - 1, argv + 1);
	return pb_usage(stderr);
}

/* What pb tally was asked. */
struct tally_args {
	const char *path, *tie_spec;
	struct outcome_options o;
	int json, min_votes_set, time;
};

/* Parses argv; 0, or 2 (usage) after printing why. */
static int
tally_args(int argc, char **argv, struct tally_args *a)
{
	int i, rule = 0;

	memset(a, 0, sizeof(*a));
	outcome_options_init(&a->o);
	a->tie_spec = "id";
	for (i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end;

		if (strcmp(argv[i], "--json") == 0) {
			a->json = 1;
			continue;
		}
		if (strcmp(argv[i], "--time") == 0) {
			a->time = 1;
			continue;
		}
		if (argv[i][0] != '-' || strcmp(argv[i], "-") == 0) {
			if (a->path != NULL)
				goto usage;
			a->path = argv[i];
			continue;
		}
		if (v == NULL)
			goto usage;
		i++;
		if (strcmp(argv[i - 1], "--rule") == 0) {
			if (outcome_rule_parse(v, &a->o.rule) != 0) {
				fprintf(stderr, "pb: unknown rule \"%s\"\n", v);
				return 2;
			}
			rule = 1;
		} else if (strcmp(argv[i - 1], "--utility") == 0) {
			if (outcome_utility_parse(v, &a->o.utility) != 0) {
				fprintf(stderr, "pb: unknown utility \"%s\"\n",
				        v);
				return 2;
			}
		} else if (strcmp(argv[i - 1], "--tie") == 0) {
			if (outcome_tie_parse(v, a->o.tie) != 0) {
				fprintf(stderr,
				        "pb: bad tie order \"%s\" (keys id, "
				        "cost, votes, each once)\n",
				        v);
				return 2;
			}
			a->tie_spec = v;
		} else if (strcmp(argv[i - 1], "--min-votes") == 0) {
			a->o.min_votes = strtoull(v, &end, 10);
			if (*v < '0' || *v > '9' || *end != '\0') {
				fprintf(stderr, "pb: bad --min-votes \"%s\"\n",
				        v);
				return 2;
			}
			a->min_votes_set = 1;
		} else {
			goto usage;
		}
	}
	if (a->path != NULL && rule)
		return 0;
usage:
	pb_usage(stderr);
	return 2;
}

/* A JSON number for n, or its text beyond json_int_t. */
static json_t *
json_u64(uint64_t n)
{
	char buf[24];

	if (n <= INT64_MAX)
		return json_integer((json_int_t)n);
	snprintf(buf, sizeof(buf), "%" PRIu64, n);
	return json_string(buf);
}

static int
is_mes(enum outcome_rule r)
{
	return r == OUTCOME_MES || r == OUTCOME_MES_ADD1;
}

static void
print_json(const struct tally_args *a, const struct pbfile *pb,
        const struct outcome *out)
{
	json_t *o = json_object(), *ids = json_array(), *ps = json_array();
	size_t i;
	char *s;

	for (i = 0; i < out->nselected; i++) {
		const struct pbfile_project *p =
		        &pb->projects[out->selected[i]];

		json_array_append_new(ids, json_string(p->id));
		json_array_append_new(
		        ps, json_pack("{s:s, s:o, s:I, s:s}", "id", p->id,
		                    "cost", json_u64(p->cost), "votes",
		                    (json_int_t)p->votes, "name", p->name));
	}
	json_object_set_new(
	        o, "rule", json_string(outcome_rule_name(a->o.rule)));
	json_object_set_new(
	        o, "utility", json_string(outcome_utility_name(a->o.utility)));
	json_object_set_new(o, "tie", json_string(a->tie_spec));
	json_object_set_new(o, "budget", json_u64(pb->budget));
	json_object_set_new(o, "selected", ids);
	json_object_set_new(o, "cost", json_u64(out->cost));
	json_object_set_new(o, "left", json_u64(pb->budget - out->cost));
	json_object_set_new(o, "steps",
	        is_mes(a->o.rule) ? json_u64(out->steps) : json_null());
	json_object_set_new(o, "per_voter_budget",
	        out->per_voter_budget ? json_string(out->per_voter_budget)
	                              : json_null());
	json_object_set_new(o, "projects", ps);
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (s != NULL)
		puts(s);
	free(s);
	json_decref(o);
}

static void
print_text(const struct tally_args *a, const struct pbfile *pb,
        const struct outcome *out)
{
	size_t i;

	for (i = 0; i < out->nselected; i++) {
		const struct pbfile_project *p =
		        &pb->projects[out->selected[i]];

		printf("%-12s %12" PRIu64 " %8zu  %s\n", p->id, p->cost,
		        p->votes, p->name);
	}
	printf("spent %" PRIu64 " of %" PRIu64 ", left %" PRIu64 "\n",
	        out->cost, pb->budget, pb->budget - out->cost);
	if (is_mes(a->o.rule) && out->per_voter_budget != NULL)
		printf("per-voter budget %s after %" PRIu64 " +1 steps\n",
		        out->per_voter_budget, out->steps);
}

static int
pb_tally(int argc, char **argv)
{
	struct tally_args a;
	struct pbfile pb;
	struct pbfile_error e;
	struct outcome_instance in;
	struct outcome out;
	struct timespec t0, t1;
	const char *why = NULL;
	char *buf;
	size_t len;
	int rc;

	if ((rc = tally_args(argc, argv, &a)) != 0)
		return rc;
	if ((buf = cli_read_path("pb", a.path, &len)) == NULL)
		return 1;
	if (len > PB_MAX_FILE) {
		fprintf(stderr, "%s: file larger than %u bytes\n", a.path,
		        PB_MAX_FILE);
		free(buf);
		return 1;
	}
	rc = pbfile_parse(buf, len, &pb, &e) == ERR_OK ? 0 : 1;
	free(buf);
	if (rc != 0) {
		fprintf(stderr, "%s:%zu: %s\n", a.path, e.line, e.reason);
		pbfile_release(&pb);
		return 1;
	}
	if (a.o.rule == OUTCOME_GREEDY_NO_SKIP && !a.min_votes_set &&
	        pbfile_threshold(&pb, &a.o.min_votes) != 0) {
		fprintf(stderr,
		        "%s: min_project_score_threshold is not a whole "
		        "number\n",
		        a.path);
		pbfile_release(&pb);
		return 1;
	}
	pbfile_instance(&pb, &in);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (outcome_compute(&in, &a.o, &out, &why) != ERR_OK) {
		fprintf(stderr, "%s: %s\n", a.path, why);
		pbfile_release(&pb);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (a.time)
		fprintf(stderr, "pb: rule computed in %.3f ms\n",
		        (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		                (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	if (a.json)
		print_json(&a, &pb, &out);
	else
		print_text(&a, &pb, &out);
	outcome_release(&out);
	pbfile_release(&pb);
	return 0;
}
