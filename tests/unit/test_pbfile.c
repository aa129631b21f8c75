/*
 * test_pbfile.c - the Pabulib reader: sections, columns in any order,
 * quoting, CRLF and LF, and every refusal with its line
 *
 * Inputs are read from exact-size heap copies so that ASan catches any
 * read past the end of the buffer (which is not NUL-terminated).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pbfile.h"

/* A small valid file; its line numbers are those of the comments. */
static const char base[] = "META\n"                             /* 1 */
                           "key;value\n"                        /* 2 */
                           "budget;100\n"                       /* 3 */
                           "vote_type;approval\n"               /* 4 */
                           "PROJECTS\n"                         /* 5 */
                           "project_id;cost;name\n"             /* 6 */
                           "1;50;\"Parc \"\"vert\"\"; nord\"\n" /* 7 */
                           "2;30;Bancs\n"                       /* 8 */
                           "VOTES\n"                            /* 9 */
                           "voter_id;vote\n"                    /* 10 */
                           "a;1,2\n"                            /* 11 */
                           "b;2\n";                             /* 12 */

static struct pbfile pb;
static struct pbfile_error err;

/* Parses an exact-size copy of s[0..len). */
static enum err
parse_n(const char *s, size_t len)
{
	char *buf = malloc(len > 0 ? len : 1);
	enum err e;

	memcpy(buf, s, len);
	pbfile_release(&pb);
	e = pbfile_parse(buf, len, &pb, &err);
	free(buf);
	return e;
}

static enum err
parse(const char *s)
{
	return parse_n(s, strlen(s));
}

/* s with its first 'from' replaced by 'to' (static, 4 in turn). */
static const char *
variant(const char *s, const char *from, const char *to)
{
	static char bufs[4][4096];
	static size_t turn;
	char *out = bufs[turn++ % 4];
	const char *at = strstr(s, from);

	assert_non_null(at);
	snprintf(out, sizeof(bufs[0]), "%.*s%s%s", (int)(at - s), s, to,
	        at + strlen(from));
	return out;
}

/* base as a cumulative file whose VOTES rows are 'votes'. */
static const char *
cumulative(const char *votes)
{
	return variant(variant(variant(base, "approval", "cumulative"),
	                       "voter_id;vote\n", "voter_id;vote;points\n"),
	        "a;1,2\nb;2\n", votes);
}

/* Expects s refused at line with a reason containing why. */
static void
refused(const char *s, size_t line, const char *why)
{
	if (parse(s) != ERR_INVALID || err.line != line ||
	        strstr(err.reason, why) == NULL)
		fail_msg("expected line %zu \"%s\", got %zu \"%s\"", line, why,
		        err.line, err.reason);
	assert_int_equal(pb.nprojects, 0);
}

static int
teardown(void **state)
{
	(void)state;
	pbfile_release(&pb);
	return 0;
}

/* Checks the file base parses to; its last vote is on vote_line. */
static void
check_base(size_t vote_line)
{
	assert_int_equal(pb.budget, 100);
	assert_string_equal(pb.vote_type, "approval");
	assert_int_equal(pb.nmeta, 2);
	assert_string_equal(pbfile_meta_get(&pb, "budget"), "100");
	assert_null(pbfile_meta_get(&pb, "rule"));
	assert_int_equal(pb.nprojects, 2);
	assert_string_equal(pb.projects[0].id, "1");
	assert_int_equal(pb.projects[0].cost, 50);
	assert_string_equal(pb.projects[0].name, "Parc \"vert\"; nord");
	assert_int_equal(pb.projects[0].votes, 1);
	assert_int_equal(pb.projects[1].votes, 2);
	assert_int_equal(pb.projects[1].line, 8);
	assert_int_equal(pb.nvotes, 2);
	assert_string_equal(pb.votes[0].voter_id, "a");
	assert_int_equal(pb.votes[0].n, 2);
	assert_int_equal(pb.votes[0].projects[0], 0);
	assert_int_equal(pb.votes[0].projects[1], 1);
	assert_null(pb.votes[0].points);
	assert_int_equal(pb.votes[1].line, vote_line);
}

static void
test_lf_and_crlf(void **state)
{
	char crlf[1024];
	size_t i, o = 0;

	(void)state;
	assert_int_equal(parse(base), ERR_OK);
	check_base(12);
	for (i = 0; base[i] != '\0'; i++) {
		if (base[i] == '\n')
			crlf[o++] = '\r';
		crlf[o++] = base[i];
	}
	assert_int_equal(parse_n(crlf, o), ERR_OK);
	check_base(12);
	/* no final line break, a BOM, blank lines */
	assert_int_equal(parse_n(base, strlen(base) - 1), ERR_OK);
	check_base(12);
	assert_int_equal(
	        parse(variant(base, "META\n", "\xEF\xBB\xBFMETA\n")), ERR_OK);
	check_base(12);
	assert_int_equal(
	        parse(variant(base, "VOTES\n", "\n\nVOTES\n")), ERR_OK);
	check_base(14);
}

static void
test_columns_any_order(void **state)
{
	(void)state;
	assert_int_equal(parse("META\nkey;value\nbudget;7\n"
	                       "PROJECTS\nname;selected;cost;project_id;votes\n"
	                       "Fontaine;1;5;p1;9\nBanc;0;2;p2;1\n"
	                       "VOTES\nage;vote;voter_id\n30;p2,p1;v1\n"),
	        ERR_OK);
	assert_int_equal(pb.nprojects, 2);
	assert_string_equal(pb.projects[0].id, "p1");
	assert_int_equal(pb.projects[0].cost, 5);
	assert_string_equal(pb.projects[0].name, "Fontaine");
	assert_int_equal(pbfile_column(&pb, "selected"), 1);
	assert_int_equal(pbfile_column(&pb, "category"), -1);
	assert_string_equal(pb.projects[1].fields[1], "0");
	assert_string_equal(pb.votes[0].voter_id, "v1");
	assert_int_equal(pb.votes[0].projects[0], 1);
	assert_int_equal(pb.votes[0].projects[1], 0);
	assert_string_equal(pb.vote_type, "approval");
}

static void
test_points_and_instance(void **state)
{
	struct outcome_instance in;

	(void)state;
	assert_int_equal(
	        parse(variant(
	                variant(variant(base, "approval", "cumulative"),
	                        "voter_id;vote\n", "voter_id;vote;points\n"),
	                "a;1,2\nb;2\n", "a;1,2;3,7\nb;2;10\n")),
	        ERR_OK);
	assert_int_equal(pb.votes[0].points[0], 3);
	assert_int_equal(pb.votes[0].points[1], 7);
	assert_int_equal(pb.votes[1].points[0], 10);
	pbfile_instance(&pb, &in);
	assert_int_equal(in.nprojects, 2);
	assert_int_equal(in.nballots, 2);
	assert_int_equal(in.budget, 100);
	assert_int_equal(in.ballots[0].points[1], 7);
	assert_string_equal(in.projects[1].id, "2");
	/* ordinal without points: n, n-1, ..., 1 */
	assert_int_equal(parse(variant(base, "approval", "ordinal")), ERR_OK);
	pbfile_instance(&pb, &in);
	assert_int_equal(in.ballots[0].points[0], 2);
	assert_int_equal(in.ballots[0].points[1], 1);
	assert_int_equal(in.ballots[1].points[0], 1);
	/* approval: no points, 1 each */
	assert_int_equal(parse(base), ERR_OK);
	pbfile_instance(&pb, &in);
	assert_null(in.ballots[0].points);
}

static void
test_threshold(void **state)
{
	uint64_t t = 9;

	(void)state;
	assert_int_equal(parse(base), ERR_OK);
	assert_int_equal(pbfile_threshold(&pb, &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(
	        parse(variant(base, "budget;100\n",
	                "budget;100\nmin_project_score_threshold;2\n")),
	        ERR_OK);
	assert_int_equal(pbfile_threshold(&pb, &t), 0);
	assert_int_equal(t, 2);
	assert_int_equal(
	        parse(variant(base, "budget;100\n",
	                "budget;100\nmin_project_score_threshold;x\n")),
	        ERR_OK);
	assert_int_equal(pbfile_threshold(&pb, &t), -1);
}

static void
test_refused_sections(void **state)
{
	(void)state;
	refused("", 1, "empty file");
	refused("\n\r\n", 1, "empty file");
	refused(base + strlen("META\nkey;value\nbudget;100\n"
	                      "vote_type;approval\n"),
	        1, "missing section 'META'");
	refused(variant(base, "META\n", "META;x\n"), 1,
	        "missing section 'META'");
	refused("META\n", 1, "section 'META' has no header line");
	refused("META\nkey;value\nbudget;1\n", 3, "missing section 'PROJECTS'");
	refused(variant(base,
	                "PROJECTS\nproject_id;cost;name\n1;50;\"Parc "
	                "\"\"vert\"\"; nord\"\n2;30;Bancs\n",
	                ""),
	        5, "missing section 'PROJECTS'");
	refused(variant(base,
	                "project_id;cost;name\n1;50;\"Parc "
	                "\"\"vert\"\"; nord\"\n2;30;Bancs\n",
	                ""),
	        6, "section 'PROJECTS' has no header line");
	refused(variant(base, "VOTES\nvoter_id;vote\na;1,2\nb;2\n", ""), 8,
	        "missing section 'VOTES'");
	refused(variant(base, "voter_id;vote\na;1,2\nb;2\n", ""), 9,
	        "section 'VOTES' has no header line");
	refused(variant(base, "2;30;Bancs\n", "2;30;\"Bancs\n"), 8,
	        "unterminated quoted field");
	refused(variant(base, "2;30;Bancs\n", "2;30;Ba\"ncs\n"), 8,
	        "quote inside an unquoted field");
}

static void
test_refused_meta(void **state)
{
	(void)state;
	refused(variant(base, "budget;100\n", ""), 1, "META has no 'budget'");
	refused(variant(base, "budget;100\n", "budget;x\n"), 3,
	        "budget 'x' is not a positive integer");
	refused(variant(base, "budget;100\n", "budget;0\n"), 3,
	        "not a positive integer");
	refused(variant(base, "budget;100\n", "budget;+100\n"), 3,
	        "not a positive integer");
	refused(variant(base, "budget;100\n", "budget;100.5\n"), 3,
	        "not a positive integer");
	refused(variant(base, "budget;100\n", "budget;18446744073709551616\n"),
	        3, "not a positive integer");
	refused(variant(base, "vote_type;approval\n",
	                "vote_type;approval\nbudget;5\n"),
	        5, "META key 'budget' is repeated");
	refused(variant(base, "vote_type;approval\n", "vote_type\n"), 4,
	        "META row has 1 fields");
}

static void
test_refused_projects(void **state)
{
	(void)state;
	refused(variant(base, "project_id;cost;name", "id;cost;name"), 6,
	        "PROJECTS has no column 'project_id'");
	refused(variant(base, "project_id;cost;name", "project_id;price;name"),
	        6, "PROJECTS has no column 'cost'");
	refused(variant(base, "project_id;cost;name", "project_id;cost;cost"),
	        6, "PROJECTS has column 'cost' twice");
	refused(variant(base, "project_id;cost;name",
	                "project_id;cost;name;name"),
	        6, "PROJECTS has column 'name' twice");
	refused(variant(base, "2;30;Bancs", "1;30;Bancs"), 8,
	        "duplicate project_id '1'");
	refused(variant(base, "2;30;Bancs", "2;0;Bancs"), 8,
	        "cost '0' of project '2' is not a positive integer");
	refused(variant(base, "2;30;Bancs", "2;+30;Bancs"), 8, "cost '+30'");
	refused(variant(base, "2;30;Bancs", "2;-30;Bancs"), 8, "cost '-30'");
	refused(variant(base, "2;30;Bancs", "2;30.5;Bancs"), 8, "cost '30.5'");
	refused(variant(base, "2;30;Bancs", "2; 30;Bancs"), 8, "cost ' 30'");
	refused(variant(base, "2;30;Bancs", "2;;Bancs"), 8, "cost ''");
	refused(variant(base, "2;30;Bancs", "2;18446744073709551616;Bancs"), 8,
	        "not a positive integer");
	refused(variant(base, "2;30;Bancs", "2;30"), 8,
	        "project row has 2 fields, the header 3");
	refused(variant(base, "2;30;Bancs", ";30;Bancs"), 8,
	        "empty project_id");
	/* the largest cost is taken */
	assert_int_equal(parse(variant(base, "2;30;Bancs",
	                         "2;18446744073709551615;Bancs")),
	        ERR_OK);
	assert_int_equal(pb.projects[1].cost, UINT64_MAX);
}

static void
test_refused_votes(void **state)
{
	(void)state;
	refused(variant(base, "voter_id;vote\n", "voter;vote\n"), 10,
	        "VOTES has no column 'voter_id'");
	refused(variant(base, "voter_id;vote\n", "voter_id;votes\n"), 10,
	        "VOTES has no column 'vote'");
	refused(variant(base, "b;2\n", "a;2\n"), 12, "duplicate voter_id 'a'");
	refused(variant(base, "b;2\n", "b;3\n"), 12,
	        "vote names unknown project '3'");
	refused(variant(base, "a;1,2\n", "a;1,2,1\n"), 11,
	        "vote names project '1' twice");
	refused(variant(base, "a;1,2\n", "a;1,,2\n"), 11,
	        "vote has an empty project id");
	refused(variant(base, "b;2\n", "b;2;x\n"), 12,
	        "vote row has 3 fields, the header 2");
	refused(variant(base, "b;2\n", ";2\n"), 12, "empty voter_id");
	refused(variant(base, "approval", "cumulative"), 10,
	        "VOTES has no column 'points'");
	refused(variant(base, "approval", "scoring"), 10,
	        "VOTES has no column 'points'");
	refused(cumulative("a;1,2;3,7\nb;2;4,4\n"), 12,
	        "2 points for 1 projects in vote");
	refused(cumulative("a;1,2;3,0\nb;2;4\n"), 11,
	        "points '0' are not a positive integer");
	refused(cumulative("a;1,2;3,7\nb;2;x\n"), 12,
	        "points 'x' are not a positive integer");
	/* spaces around ids in a vote are dropped; an empty vote is empty */
	assert_int_equal(parse(variant(base, "a;1,2\n", "a;1, 2 \n")), ERR_OK);
	assert_int_equal(pb.votes[0].projects[1], 1);
	assert_int_equal(parse(variant(base, "a;1,2\n", "a;\n")), ERR_OK);
	assert_int_equal(pb.votes[0].n, 0);
	assert_int_equal(pb.nvotes, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_teardown(test_lf_and_crlf, teardown),
	        cmocka_unit_test_teardown(test_columns_any_order, teardown),
	        cmocka_unit_test_teardown(test_points_and_instance, teardown),
	        cmocka_unit_test_teardown(test_threshold, teardown),
	        cmocka_unit_test_teardown(test_refused_sections, teardown),
	        cmocka_unit_test_teardown(test_refused_meta, teardown),
	        cmocka_unit_test_teardown(test_refused_projects, teardown),
	        cmocka_unit_test_teardown(test_refused_votes, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
