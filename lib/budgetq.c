/*
 * budgetq.c - the result of a budget question, over lib/outcome.c
 */
#include "budgetq.h"

#include <stdlib.h>
#include <string.h>

#include "outcome.h"

/* Sets o[k] = v (stolen); -1 when v is NULL or on OOM. */
static int
set(json_t *o, const char *k, json_t *v)
{
	return v == NULL || json_object_set_new(o, k, v) != 0 ? -1 : 0;
}

/* The options of rule name for question q (names checked by the parser). */
static int
options_of(
        const struct question *q, const char *name, struct outcome_options *oo)
{
	outcome_options_init(oo);
	if (outcome_rule_parse(name, &oo->rule) != 0 ||
	        outcome_utility_parse(q->budget.utility, &oo->utility) != 0 ||
	        outcome_tie_parse(q->budget.tie, oo->tie) != 0)
		return -1;
	oo->min_votes = q->budget.min_votes;
	oo->add1_step = BUDGETQ_ADD1_STEP;
	return 0;
}

/* The outcome object of one rule (new reference), or NULL. */
static json_t *
outcome_json(const struct question *q, const struct outcome_instance *in,
        const char *name, const struct outcome_options *oo,
        unsigned char *selected)
{
	struct outcome out;
	json_t *o = NULL, *sel;
	size_t i;

	memset(&out, 0, sizeof(out));
	if (outcome_compute(in, oo, &out, NULL) != ERR_OK)
		goto done;
	o = json_object();
	sel = json_array();
	if (o == NULL || set(o, "selected", sel) != 0)
		goto fail;
	for (i = 0; i < out.nselected; i++) {
		if (json_array_append_new(sel,
		            json_string(q->option_ids[out.selected[i]])) != 0)
			goto fail;
		if (selected != NULL)
			selected[out.selected[i]] = 1;
	}
	if (set(o, "rule", json_string(name)) != 0 ||
	        set(o, "cost", json_integer((json_int_t)out.cost)) != 0)
		goto fail;
	if ((oo->rule == OUTCOME_MES || oo->rule == OUTCOME_MES_ADD1) &&
	        set(o, "utility",
	                json_string(outcome_utility_name(oo->utility))) != 0)
		goto fail;
	if (oo->rule == OUTCOME_MES_ADD1 &&
	        (set(o, "steps", json_integer((json_int_t)out.steps)) != 0 ||
	                set(o, "per_voter_budget",
	                        json_string(out.per_voter_budget != NULL
	                                            ? out.per_voter_budget
	                                            : "0")) != 0))
		goto fail;
	goto done;
fail:
	json_decref(o);
	o = NULL;
done:
	outcome_release(&out);
	return o;
}

int
budgetq_result(json_t *o, const struct question *q,
        const struct choice *const *c, const size_t *n, size_t nballots)
{
	struct outcome_project *pr = calloc(q->noptions, sizeof(*pr));
	struct outcome_ballot *ob = calloc(nballots + 1, sizeof(*ob));
	size_t *idx = NULL,
	       *approvals = calloc(q->noptions, sizeof(*approvals));
	uint64_t *pts = NULL;
	unsigned char *won = calloc(q->noptions, 1);
	struct outcome_instance in;
	struct outcome_options oo, co;
	size_t i, k, total = 0, voters = 0, used = 0;
	json_t *ap = NULL, *w = NULL;
	int rc = -1;

	for (i = 0; i < nballots; i++)
		total += n[i];
	idx = malloc((total + 1) * sizeof(*idx));
	pts = malloc((total + 1) * sizeof(*pts));
	if (pr == NULL || ob == NULL || idx == NULL || pts == NULL ||
	        approvals == NULL || won == NULL)
		goto out;
	for (i = 0; i < q->noptions; i++) {
		pr[i].id = q->option_ids[i];
		pr[i].cost = q->costs[i];
	}
	for (i = 0; i < nballots; i++) {
		if (n[i] == 0)
			continue;
		ob[voters].projects = idx + used;
		ob[voters].points =
		        q->rule.kind == RULE_CUMULATIVE ? pts + used : NULL;
		ob[voters].n = n[i];
		for (k = 0; k < n[i]; k++) {
			if (c[i][k].option >= q->noptions)
				goto out;
			idx[used + k] = c[i][k].option;
			pts[used + k] = c[i][k].value;
			approvals[c[i][k].option]++;
		}
		used += n[i];
		voters++;
	}
	in.projects = pr;
	in.nprojects = q->noptions;
	in.ballots = ob;
	in.nballots = voters;
	in.budget = q->budget.amount;
	if (options_of(q, q->budget.outcome, &oo) != 0 ||
	        options_of(q, q->budget.compare, &co) != 0)
		goto out;
	ap = json_array();
	w = json_array();
	if (ap == NULL || w == NULL)
		goto out;
	for (i = 0; i < q->noptions; i++)
		if (json_array_append_new(
		            ap, json_integer((json_int_t)approvals[i])) != 0)
			goto out;
	if (set(o, "outcome",
	            outcome_json(q, &in, q->budget.outcome, &oo, won)) != 0 ||
	        set(o, "compare",
	                outcome_json(q, &in, q->budget.compare, &co, NULL)) !=
	                0)
		goto out;
	for (i = 0; i < q->noptions; i++)
		if (won[i] && json_array_append_new(
		                      w, json_string(q->option_ids[i])) != 0)
			goto out;
	if (set(o, "approvals", ap) != 0) {
		ap = NULL;
		goto out;
	}
	ap = NULL;
	if (set(o, "winners", w) != 0) {
		w = NULL;
		goto out;
	}
	w = NULL;
	if (set(o, "amount", json_integer((json_int_t)q->budget.amount)) != 0 ||
	        set(o, "voters", json_integer((json_int_t)voters)) != 0)
		goto out;
	rc = 0;
out:
	json_decref(ap);
	json_decref(w);
	free(pr);
	free(ob);
	free(idx);
	free(pts);
	free(approvals);
	free(won);
	return rc;
}
