/*
 * pbfile.h - reading a Pabulib .pb file (a participatory budget's data)
 *
 * The format (tests/data/pabulib/README.md): UTF-8 text, CRLF or LF line
 * ends, ';'-separated fields, '"' quoting with "" for a quote (lib/csv.h).
 * Three sections in this order, each a title line (META, PROJECTS, VOTES)
 * then a header line:
 *   - META: key;value rows; budget is required, a positive integer;
 *   - PROJECTS: a row per project; project_id and cost (a positive
 *     integer) are required, other columns (name, votes, selected, ...)
 *     come in any order and are kept as text;
 *   - VOTES: a row per voter; voter_id and vote (comma-separated project
 *     ids, best first for ordinal ballots) are required, and points
 *     (comma-separated positive integers, one per project of vote) when
 *     vote_type is cumulative or scoring.
 * A malformed or inconsistent file is refused with the 1-based line of
 * the fault and why: missing section or header, missing or repeated
 * column, wrong field count, duplicate project or voter id, cost or
 * budget not a positive integer (decimal digits only: no sign, space or
 * point; at most UINT64_MAX), a vote naming an unknown project or one project twice,
 * points not matching the vote, an empty file, or a limit below passed.
 * The caller bounds the file's size.
 */
#ifndef PARTICIPE_PBFILE_H
#define PARTICIPE_PBFILE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "outcome.h"

/* Most projects in one file. */
#define PBFILE_MAX_PROJECTS 100000

/* Most voters in one file. */
#define PBFILE_MAX_VOTERS 10000000

/* Most columns in a section's header. */
#define PBFILE_MAX_COLUMNS 256

/* Longest line (a record, unquoted). */
#define PBFILE_MAX_LINE (1024 * 1024)

/* One META row. */
struct pbfile_meta {
	const char *key, *value;
};

/*
 * One project: its id, cost, name ("" without a name column), and
 * every field of its row, in the order of pbfile.project_columns.
 * votes counts the ballots naming it.
 */
struct pbfile_project {
	const char *id;
	uint64_t cost;
	const char *name;
	const char **fields;
	size_t votes;
	size_t line;
};

/*
 * One voter's ballot: project indices in the order of the vote and, with
 * a points column, the points of each (else NULL).
 */
struct pbfile_vote {
	const char *voter_id;
	size_t *projects;
	uint64_t *points;
	size_t n;
	size_t line;
};

/* A parsed file; everything lives until pbfile_release(). */
struct pbfile {
	struct pbfile_meta *meta;
	size_t nmeta;
	uint64_t budget;
	const char *vote_type; /* META vote_type, "approval" if absent */
	const char **project_columns;
	size_t ncolumns;
	struct pbfile_project *projects;
	size_t nprojects;
	struct pbfile_vote *votes;
	size_t nvotes;
	struct arena *arena;
};

/* Why a file was refused: the line (from 1) and the reason. */
struct pbfile_error {
	size_t line;
	char reason[200];
};

/*
 * Parses buf[0..len) into pb. ERR_INVALID with e filled when the file is
 * refused (pb is then empty); ERR_OK otherwise. pbfile_release() pb in
 * both cases.
 */
enum err pbfile_parse(
        const char *buf, size_t len, struct pbfile *pb, struct pbfile_error *e);

/* The value of META key, or NULL. */
const char *pbfile_meta_get(const struct pbfile *pb, const char *key);

/* The index of column name in PROJECTS, or -1. */
int pbfile_column(const struct pbfile *pb, const char *name);

/*
 * The outcome instance of pb (in pb's memory): its projects, budget and
 * ballots; an ordinal ballot without points gives its n projects
 * n, n-1, ..., 1 points, as Pabulib scores them.
 */
void pbfile_instance(struct pbfile *pb, struct outcome_instance *in);

/*
 * The min_project_score_threshold of META as a count of votes; 0 when
 * it is absent. -1 when it is there but not a whole number.
 */
int pbfile_threshold(const struct pbfile *pb, uint64_t *min_votes);

/* Frees everything of pb; pb may be all zero. */
void pbfile_release(struct pbfile *pb);

#endif
