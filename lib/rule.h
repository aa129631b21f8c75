/*
 * rule.h - ballot rules: what a choice on one question may be
 *
 * One interface for every rule (docs/protocol.md, "The election
 * descriptor"): parse it from the descriptor, check a voter's choice,
 * count a counted choice into per-option totals. A choice is a list of
 * (option index, value) pairs with strictly increasing indices and values
 * >= 1; what a value means is the rule's (1 for single and approval, the
 * rank for ranking, points for cumulative). Knapsack is the budget rule:
 * each option has a cost, and the chosen options' costs must add up to at
 * most max_cost (the district's amount) and at least min_cost.
 */
#ifndef PARTICIPE_RULE_H
#define PARTICIPE_RULE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Most options on one question. */
#define RULE_MAX_OPTIONS 200

enum rule_kind {
	RULE_SINGLE,
	RULE_APPROVAL,
	RULE_RANKING,
	RULE_CUMULATIVE,
	RULE_KNAPSACK,
};

/* Largest cost or amount in a budget question (10^15 cents). */
#define RULE_MAX_COST 1000000000000000ULL

/* A parsed rule; fields not used by the kind are 0. */
struct rule {
	enum rule_kind kind;
	uint32_t noptions;           /* options of the question */
	uint32_t min, max;           /* approval, ranking: how many options */
	uint32_t total;              /* cumulative: most points in all */
	uint32_t per_option;         /* cumulative: most points on one option */
	uint64_t min_cost, max_cost; /* knapsack: bounds of the chosen costs */
	const uint64_t *costs; /* knapsack: noptions costs (the question's) */
};

/* One pair of a choice. */
struct choice {
	uint32_t option, value;
};

/*
 * printf into why[0..whylen) when why is not NULL: the reason the voting
 * code (rule, election, verify) gives for a refusal. Returns -1, what
 * the refusing function returns.
 */
int vote_why(char *why, size_t whylen, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* The kind's name in the descriptor ("approval"), or NULL. */
const char *rule_kind_name(enum rule_kind k);

/*
 * Parses the descriptor's "rule" object of a question with noptions
 * options. 0 on success; -1 with a reason in why (for a field error of
 * "rule") when unknown keys, a missing or out-of-range member, or
 * bounds that cannot hold.
 */
int rule_from_json(const json_t *rule, uint32_t noptions, struct rule *out,
        char *why, size_t whylen);

/*
 * (Added.) rule_from_json that also names the member at fault in *member:
 * "kind", "min", "max", "total", "max_per_option", "min_cost", "max_cost",
 * an unknown member's key (valid while rule is), or NULL for the rule
 * itself (not an object). A knapsack rule's costs are set by the caller.
 */
int rule_parse(const json_t *rule, uint32_t noptions, struct rule *out,
        const char **member, char *why, size_t whylen);

/* The rule as its canonical descriptor object (new reference). */
json_t *rule_to_json(const struct rule *r);

/*
 * Checks a choice of k pairs: indices strictly increasing and below
 * noptions, values >= 1, and the rule's own bounds. 0 when valid; -1 with
 * the reason ("3 options chosen, at most 2 allowed") in why.
 */
int rule_check(const struct rule *r, const struct choice *c, size_t k,
        char *why, size_t whylen);

/*
 * Adds a valid choice to totals (noptions entries) and, for ranking, to
 * first (first-preference counts; may be NULL for other kinds).
 */
void rule_count(const struct rule *r, const struct choice *c, size_t k,
        uint64_t *totals, uint64_t *first);

#endif
