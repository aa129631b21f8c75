/*
 * fuzz_pbfile.c - libFuzzer driver for the Pabulib reader (lib/pbfile.c)
 * and the outcome rules on what it accepts (lib/outcome.c)
 *
 * Invariants: an accepted file's votes name known projects, each once; it
 * writes back (lib/pbwrite.c) to a file that reads the same (projects,
 * costs, votes); greedy and MES select distinct projects within the
 * budget.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outcome.h"
#include "pbfile.h"
#include "pbwrite.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",       \
			        __FILE__, __LINE__, #cond);                    \
			abort();                                               \
		}                                                              \
	} while (0)

/* The rule's selection is of distinct projects, within the budget. */
static void
check_rule(const struct outcome_instance *in, enum outcome_rule rule)
{
	struct outcome_options o;
	struct outcome out;
	unsigned char *seen = calloc(in->nprojects + 1, 1);
	uint64_t cost = 0;
	size_t i;

	outcome_options_init(&o);
	o.rule = rule;
	memset(&out, 0, sizeof(out));
	if (outcome_compute(in, &o, &out, NULL) == ERR_OK) {
		for (i = 0; i < out.nselected; i++) {
			CHECK(out.selected[i] < in->nprojects);
			CHECK(!seen[out.selected[i]]);
			seen[out.selected[i]] = 1;
			cost += in->projects[out.selected[i]].cost;
		}
		CHECK(cost == out.cost);
		CHECK(cost <= in->budget);
	}
	outcome_release(&out);
	free(seen);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pbfile pb, again;
	struct pbfile_error err;
	struct outcome_instance in;
	struct pbwrite w;
	struct pbwrite_project *pr;
	struct pbwrite_vote *vo;
	const char **ids;
	char *text, *buf = malloc(size + 1);
	size_t i, k, len, used = 0, total = 0;

	memcpy(buf, data, size);
	buf[size] = '\0';
	if (pbfile_parse(buf, size, &pb, &err) != ERR_OK) {
		free(buf);
		return 0;
	}
	for (i = 0; i < pb.nvotes; i++) {
		for (k = 0; k < pb.votes[i].n; k++)
			CHECK(pb.votes[i].projects[k] < pb.nprojects);
		total += pb.votes[i].n;
	}
	/* written back, it reads the same */
	pr = calloc(pb.nprojects + 1, sizeof(*pr));
	vo = calloc(pb.nvotes + 1, sizeof(*vo));
	ids = calloc(total + 1, sizeof(*ids));
	for (i = 0; i < pb.nprojects; i++) {
		pr[i].id = pb.projects[i].id;
		pr[i].name = pb.projects[i].name != NULL ? pb.projects[i].name
		                                         : "";
		pr[i].cost = pb.projects[i].cost;
	}
	for (i = 0; i < pb.nvotes; i++) {
		vo[i].voter_id = pb.votes[i].voter_id;
		vo[i].projects = ids + used;
		vo[i].points = pb.votes[i].points;
		vo[i].n = pb.votes[i].n;
		for (k = 0; k < pb.votes[i].n; k++)
			ids[used + k] = pb.projects[pb.votes[i].projects[k]].id;
		used += pb.votes[i].n;
	}
	memset(&w, 0, sizeof(w));
	{
		char budget[24];
		struct pbwrite_meta m[2] = {{"budget", budget},
		        {"vote_type", pb.vote_type}};

		snprintf(budget, sizeof(budget), "%llu",
		        (unsigned long long)pb.budget);
		w.meta = m;
		w.nmeta = 2;
		w.projects = pr;
		w.nprojects = pb.nprojects;
		w.votes = vo;
		w.nvotes = pb.nvotes;
		w.with_points = pb.nvotes > 0 && pb.votes[0].points != NULL;
		text = pbwrite_format(&w, &len);
	}
	if (text != NULL) {
		/* (a file whose votes differ in having points is not
		   written back as it was read) */
		int all_points = 1;

		for (i = 0; i < pb.nvotes; i++)
			all_points &= (pb.votes[i].points != NULL) == w.with_points;
		if (all_points &&
		        pbfile_parse(text, len, &again, &err) == ERR_OK) {
			CHECK(again.nprojects == pb.nprojects);
			CHECK(again.nvotes == pb.nvotes);
			CHECK(again.budget == pb.budget);
			for (i = 0; i < pb.nprojects; i++) {
				CHECK(strcmp(again.projects[i].id,
				              pb.projects[i].id) == 0);
				CHECK(again.projects[i].cost ==
				        pb.projects[i].cost);
			}
			for (i = 0; i < pb.nvotes; i++)
				CHECK(again.votes[i].n == pb.votes[i].n);
			pbfile_release(&again);
		}
	}
	free(text);
	free(pr);
	free(vo);
	free(ids);
	/* the rules, on small instances (MES+1 may take long on others) */
	pbfile_instance(&pb, &in);
	if (pb.nprojects <= 20 && pb.nvotes <= 50) {
		check_rule(&in, OUTCOME_GREEDY);
		check_rule(&in, OUTCOME_GREEDY_NO_SKIP);
		check_rule(&in, OUTCOME_MES);
	}
	pbfile_release(&pb);
	free(buf);
	return 0;
}
