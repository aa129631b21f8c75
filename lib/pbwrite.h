/*
 * pbwrite.h - writes a Pabulib .pb file (the format lib/pbfile.c reads)
 *
 * UTF-8, CRLF line ends, ';' between fields; a field holding ';', '"',
 * CR or LF is quoted with '"' (a '"' doubled). Sections META (the pairs
 * given, in order), PROJECTS (project_id;cost;votes;name;selected, and
 * score when asked for) and VOTES (voter_id;vote, and points when asked
 * for), each a title line then a header line.
 */
#ifndef PARTICIPE_PBWRITE_H
#define PARTICIPE_PBWRITE_H

#include <stddef.h>
#include <stdint.h>

/* One META pair. */
struct pbwrite_meta {
	const char *key, *value;
};

/* One project row. */
struct pbwrite_project {
	const char *id, *name;
	uint64_t cost, votes, score;
	int selected;
};

/* One ballot: project ids in the vote's order, and their points. */
struct pbwrite_vote {
	const char *voter_id;
	const char *const *projects;
	const uint64_t *points; /* n, when the file has points */
	size_t n;
};

/* What to write. */
struct pbwrite {
	const struct pbwrite_meta *meta;
	size_t nmeta;
	const struct pbwrite_project *projects;
	size_t nprojects;
	int with_score;
	const struct pbwrite_vote *votes;
	size_t nvotes;
	int with_points;
};

/*
 * The file's bytes (malloc'd, NUL-terminated, length in *len), or NULL
 * on OOM.
 */
char *pbwrite_format(const struct pbwrite *w, size_t *len);

#endif
