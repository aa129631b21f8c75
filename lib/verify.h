/*
 * verify.h - universal verification of an exported election
 *
 * The export is the JSON object GET .../elections/{eid}/export returns:
 *
 *   {"descriptor": "<the descriptor's exact text>",
 *    "fingerprint": hex, "credentials": [hex, ...],
 *    "log": [{"index": 0, "entry": hex}, ...],
 *    "tree_heads": [{"tree_size": n, "root": hex, "timestamp": ms,
 *                    "signature": hex}, ...],
 *    "result": <the published result object, or null before closing>}
 *
 * verify_export() performs every check of docs/protocol.md, "What
 * participe verify checks", in that order, and stops at the first failure.
 */
#ifndef PARTICIPE_VERIFY_H
#define PARTICIPE_VERIFY_H

#include <jansson.h>
#include <stddef.h>

/* What a successful verification found. */
struct verify_report {
	size_t entries, ballots, counted, credentials, tree_heads;
	int closed;
	char *result; /* recomputed result (canonical JSON, malloc'd) or NULL
	                 when the election is not closed */
};

/*
 * Checks the export. 0 when everything holds (fills rep; free rep->result);
 * -1 with the first failure in why ("entry 17: signature does not
 * verify").
 */
int verify_export(const json_t *export, struct verify_report *rep, char *why,
        size_t whylen);

#endif
