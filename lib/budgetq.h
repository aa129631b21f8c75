/*
 * budgetq.h - the result of a budget question (docs/protocol.md, "The
 * result")
 *
 * A budget question is one district of a participatory budget's vote: its
 * options are projects with costs, and its result names the projects its
 * outcome rule selects, and those of the rule shown beside it, computed
 * by lib/outcome.c from the counted ballots that chose in the district.
 */
#ifndef PARTICIPE_BUDGETQ_H
#define PARTICIPE_BUDGETQ_H

#include <jansson.h>
#include <stddef.h>

#include "election.h"

/* mes-add1's +1: one currency unit, in cents. */
#define BUDGETQ_ADD1_STEP 100

/*
 * Adds to o, the result object of budget question q, its members amount,
 * voters, approvals, outcome, compare, and sets winners to the outcome's
 * selection in option order. The counted ballots' choices on q are
 * c[i][0..n[i]) for i < nballots; empty ones (not voting in this
 * district) are skipped. 0, or -1 (out of memory, or a choice out of
 * range).
 */
int budgetq_result(json_t *o, const struct question *q,
        const struct choice *const *c, const size_t *n, size_t nballots);

#endif
