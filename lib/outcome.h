/*
 * outcome.h - the outcome rules of a participatory budget, exactly
 *
 * Which projects a participatory budget funds, from the projects' costs,
 * the budget and the ballots, as tests/data/pabulib/README.md defines each
 * rule (docs/budgets.md explains them in plain words). The instance is
 * plain memory, whatever it was read from: a Pabulib file (lib/pbfile.h)
 * or database rows.
 *
 * Every rule but greedy-score reads a ballot as the set of projects it
 * names (approvals).
 *   - greedy: projects by decreasing approvals; each one that still fits
 *     in what is left of the budget is taken, the others skipped.
 *   - greedy-no-skip: projects with fewer than min_votes approvals are
 *     dropped; then as greedy, but the first project that does not fit
 *     ends the selection.
 *   - greedy-score: as greedy, by decreasing total points.
 *   - mes: the Method of Equal Shares. Each voter holds budget/n. In
 *     each round, every remaining project p whose approvers N_p still
 *     hold cost(p) together gets the smallest rho with
 *     sum over i in N_p of min(b_i, rho * u(p)) = cost(p), where u(p) is
 *     cost(p) (OUTCOME_UTIL_COST) or 1 (OUTCOME_UTIL_CARD); a project its
 *     approvers cannot pay is dropped for good. The smallest rho wins,
 *     each approver pays min(b_i, rho * u(p)), and rounds go on until no
 *     project can be paid. Projects of cost 0 that have an approver are
 *     selected first.
 *   - mes-add1: mes with each voter's starting budget budget/n + k for
 *     k = 0, 1, 2, ...: the outcome of the last k whose total cost is
 *     within the budget. Should an outcome buy every project that has an
 *     approver while within the budget (no larger k can overspend), it is
 *     that outcome. k may have to reach about the largest cost over the
 *     number of voters, one MES run each: instances are the caller's to
 *     bound.
 * Ties (equal approvals, points or rho) go by the keys of
 * outcome_options.tie in turn, the project id last in any case.
 *
 * Every decision is made in exact rational arithmetic (GMP): budgets per
 * voter reach numerators and denominators of about 200 bits, where a
 * double or a 128-bit fraction would compare wrongly. Voters with the
 * same set of approvals always hold the same budget under MES, so MES
 * works on distinct ballots with their multiplicities.
 */
#ifndef PARTICIPE_OUTCOME_H
#define PARTICIPE_OUTCOME_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Most tie-breaking keys in one order. */
#define OUTCOME_TIE_MAX 4

/* One project: its id (ties compare it as bytes) and integer cost. */
struct outcome_project {
	const char *id;
	uint64_t cost;
};

/*
 * One ballot: the indices of the projects it names, each once, and, when
 * points is not NULL, the points it gives each of them (greedy-score; a
 * ballot without points gives 1 to each).
 */
struct outcome_ballot {
	const size_t *projects;
	const uint64_t *points;
	size_t n;
};

/* What the rules read; nothing of it is changed. */
struct outcome_instance {
	const struct outcome_project *projects;
	size_t nprojects;
	const struct outcome_ballot *ballots;
	size_t nballots;
	uint64_t budget;
};

/* The rules of outcome.h's comment. */
enum outcome_rule {
	OUTCOME_GREEDY,
	OUTCOME_GREEDY_NO_SKIP,
	OUTCOME_GREEDY_SCORE,
	OUTCOME_MES,
	OUTCOME_MES_ADD1,
};

/* What a voter gains from a funded project, for MES: its cost, or 1. */
enum outcome_utility {
	OUTCOME_UTIL_COST,
	OUTCOME_UTIL_CARD,
};

/* One key of a tie-breaking order; OUTCOME_TIE_END ends the list. */
enum outcome_tie {
	OUTCOME_TIE_END = 0,
	OUTCOME_TIE_ID,    /* smaller id, as a byte string ("10" < "9") */
	OUTCOME_TIE_COST,  /* lower cost */
	OUTCOME_TIE_VOTES, /* more approvals */
};

/*
 * How to decide. outcome_options_init() sets the defaults: greedy, cost
 * utility, no threshold, a +1 of 1, ties by id alone.
 */
struct outcome_options {
	enum outcome_rule rule;
	enum outcome_utility utility;
	uint64_t min_votes; /* greedy-no-skip: fewer approvals, dropped */
	uint64_t add1_step; /* mes-add1's +1, in units of the costs (1) */
	enum outcome_tie tie[OUTCOME_TIE_MAX];
};

/*
 * What a rule selected, owned by the caller (outcome_release()). For
 * mes and mes-add1, steps is k (0 for mes) and per_voter_budget the exact
 * starting budget per voter of the run returned, GMP's canonical "p/q"
 * ("83128/469", "250" for an integer); NULL for the greedy rules and
 * when there is no ballot.
 */
struct outcome {
	size_t *selected; /* project indices, in selection order */
	size_t nselected;
	uint64_t cost; /* total cost of the selected projects */
	uint64_t steps;
	char *per_voter_budget;
};

/* The defaults of struct outcome_options. */
void outcome_options_init(struct outcome_options *o);

/*
 * Parses a rule name ("greedy", "greedy-no-skip", "greedy-score", "mes",
 * "mes-add1"); 0 on success, -1 for an unknown name.
 */
int outcome_rule_parse(const char *name, enum outcome_rule *rule);

/* The name outcome_rule_parse() reads, for output. */
const char *outcome_rule_name(enum outcome_rule rule);

/* Parses "cost" or "card"; 0 on success, -1 otherwise. */
int outcome_utility_parse(const char *name, enum outcome_utility *u);

/* The name outcome_utility_parse() reads, for output. */
const char *outcome_utility_name(enum outcome_utility u);

/*
 * Parses a tie-breaking order: comma-separated keys "id", "cost",
 * "votes", each at most once ("id", "cost,votes,id"). 0 on success, -1
 * for an unknown or repeated key or more than OUTCOME_TIE_MAX - 1 keys.
 */
int outcome_tie_parse(const char *spec, enum outcome_tie tie[OUTCOME_TIE_MAX]);

/*
 * Applies o's rule to in and fills out (set it up with nothing: it is
 * overwritten). ERR_INVALID, with a static reason in *why when why is
 * not NULL, when a ballot names a project out of range or twice, or the
 * options are out of range; out is then empty.
 */
enum err outcome_compute(const struct outcome_instance *in,
        const struct outcome_options *o, struct outcome *out, const char **why);

/* Frees what outcome_compute() allocated; out may be all zero. */
void outcome_release(struct outcome *out);

#endif
