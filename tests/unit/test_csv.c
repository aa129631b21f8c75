/*
 * test_csv.c - the RFC 4180 record reader
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

#include "csv.h"

#define MAXF 8

static char *buf;
static struct csv rd;
static char scratch[256];
static struct csv_field f[MAXF];
static size_t nf;

static int
teardown(void **state)
{
	(void)state;
	free(buf);
	buf = NULL;
	return 0;
}

static void
open_n(const char *s, size_t len)
{
	free(buf);
	buf = malloc(len > 0 ? len : 1);
	assert_non_null(buf);
	memcpy(buf, s, len);
	csv_init(&rd, buf, len);
}

static void
open_s(const char *s)
{
	open_n(s, strlen(s));
}

static enum csv_status
next(void)
{
	return csv_next(&rd, scratch, sizeof(scratch), f, MAXF, &nf);
}

/*
 * Expects the next record to be the fields of 'want', given as one string
 * with fields separated by '|', starting on 'line'.
 */
static void
expect(const char *want, size_t line)
{
	char w[256], *tok;
	size_t i = 0;

	if (next() != CSV_RECORD)
		fail_msg("no record, want \"%s\" (error %s)", want,
		        rd.error ? rd.error : "none");
	assert_int_equal(rd.record_line, line);
	strcpy(w, want);
	tok = w;
	for (;;) {
		char *bar = strchr(tok, '|');

		if (bar != NULL)
			*bar = '\0';
		if (i >= nf)
			fail_msg("record has %zu fields, want more (\"%s\")",
			        nf, want);
		if (strcmp(f[i].s, tok) != 0 || f[i].len != strlen(tok))
			fail_msg("field %zu is \"%s\", want \"%s\"", i, f[i].s,
			        tok);
		i++;
		if (bar == NULL)
			break;
		tok = bar + 1;
	}
	if (i != nf)
		fail_msg("record has %zu fields, want %zu", nf, i);
}

static void
expect_end(void)
{
	assert_int_equal(next(), CSV_END);
	assert_int_equal(nf, 0);
	/* and stays at the end */
	assert_int_equal(next(), CSV_END);
}

static void
expect_error(const char *why, size_t line)
{
	assert_int_equal(next(), CSV_ERROR);
	assert_non_null(rd.error);
	assert_string_equal(rd.error, why);
	assert_int_equal(rd.record_line, line);
}

static void
test_simple(void **state)
{
	(void)state;
	open_s("a,b,c\r\n1,2,3\r\n");
	expect("a|b|c", 1);
	expect("1|2|3", 2);
	expect_end();
	/* LF, lone CR, and no final line break */
	open_s("a,b\n1,2\r3,4");
	expect("a|b", 1);
	expect("1|2", 2);
	expect("3|4", 3);
	expect_end();
	open_s("one");
	expect("one", 1);
	expect_end();
}

static void
test_empty_fields(void **state)
{
	(void)state;
	open_s(",\r\na,,b\r\n,,\r\nx,\r\n");
	expect("|", 1);
	expect("a||b", 2);
	expect("||", 3);
	expect("x|", 4);
	expect_end();
	open_s("\"\",\"\"\n");
	expect("|", 1);
	expect_end();
}

static void
test_empty_input_and_lines(void **state)
{
	(void)state;
	open_n("", 0);
	expect_end();
	open_s("\r\n\n\r");
	expect_end();
	/* empty lines are skipped; line numbers still count them */
	open_s("\n\na,b\r\n\r\n\r\nc,d\n\n");
	expect("a|b", 3);
	expect("c|d", 6);
	expect_end();
	/* a line of spaces is a record */
	open_s(" \n");
	expect(" ", 1);
	expect_end();
}

static void
test_quoted(void **state)
{
	(void)state;
	open_s("\"a\",\"b,c\",\"d\"\"e\"\r\n");
	expect("a|b,c|d\"e", 1);
	expect_end();
	/* line breaks inside quotes belong to the field */
	open_s("\"line1\r\nline2\",x\r\n\"a\nb\rc\",y\r\nnext,z\r\n");
	expect("line1\r\nline2|x", 1);
	expect("a\nb\rc|y", 3);
	expect("next|z", 6);
	expect_end();
	open_s("\"\"\"\"\n\"\"\"x\"\"\"\n");
	expect("\"", 1);
	expect("\"x\"", 2);
	expect_end();
	/* a quoted field at the very end, no line break */
	open_s("a,\"b\"");
	expect("a|b", 1);
	expect_end();
	/* spaces are data, outside quotes too */
	open_s(" a , b \n");
	expect(" a | b ", 1);
	expect_end();
	/* UTF-8 passes through */
	open_s("\"Le Floc’h\",Éléonore\n");
	expect("Le Floc’h|Éléonore", 1);
	expect_end();
}

static void
test_bom(void **state)
{
	(void)state;
	open_s("\xef\xbb\xbf"
	       "family_name,given_name\r\n");
	expect("family_name|given_name", 1);
	expect_end();
	open_s("\xef\xbb\xbf");
	expect_end();
	/* only at the start */
	open_s("a\n\xef\xbb\xbf"
	       "b\n");
	expect("a", 1);
	expect("\xef\xbb\xbf"
	       "b",
	        2);
	expect_end();
	/* a partial BOM is data */
	open_n("\xef\xbb", 2);
	expect("\xef\xbb", 1);
}

static void
test_separator(void **state)
{
	(void)state;
	open_s("a;b,c;\"d;e\"\r\n");
	rd.sep = ';';
	expect("a|b,c|d;e", 1);
	expect_end();
	open_s("a\tb\n");
	rd.sep = '\t';
	expect("a|b", 1);
}

static void
test_errors(void **state)
{
	(void)state;
	open_s("a,b\n\"unterminated,c\n");
	expect("a|b", 1);
	expect_error("unterminated quoted field", 2);
	open_s("\"");
	expect_error("unterminated quoted field", 1);
	open_s("a\"b,c\n");
	expect_error("quote inside an unquoted field", 1);
	open_s("ab\",c\n");
	expect_error("quote inside an unquoted field", 1);
	open_s("\"a\"b,c\n");
	expect_error("unexpected character after a closing quote", 1);
	open_s("\"a\" ,c\n");
	expect_error("unexpected character after a closing quote", 1);
	open_n("a,b\0c\n", 6);
	expect_error("nul byte in input", 1);
	open_n("\"a\0\"\n", 5);
	expect_error("nul byte in input", 1);
	open_s("1,2,3,4,5,6,7,8\n1,2,3,4,5,6,7,8,9\n");
	expect("1|2|3|4|5|6|7|8", 1);
	expect_error("too many fields", 2);
	/* the line of a record starting after a multi-line field */
	open_s("\"a\nb\nc\",d\n\"x\n");
	expect("a\nb\nc|d", 1);
	expect_error("unterminated quoted field", 4);
}

static void
test_scratch_limits(void **state)
{
	char line[600];
	char small[8];

	(void)state;
	/* fields and their NULs must fit: 3 + 1 + 3 + 1 = 8 */
	open_s("abc,def\nabc,defg\n");
	assert_int_equal(
	        csv_next(&rd, small, sizeof(small), f, MAXF, &nf), CSV_RECORD);
	assert_int_equal(nf, 2);
	assert_string_equal(f[0].s, "abc");
	assert_string_equal(f[1].s, "def");
	assert_int_equal(
	        csv_next(&rd, small, sizeof(small), f, MAXF, &nf), CSV_ERROR);
	assert_string_equal(rd.error, "record too long");
	open_s("\"abcdefgh\"\n");
	assert_int_equal(
	        csv_next(&rd, small, sizeof(small), f, MAXF, &nf), CSV_ERROR);
	assert_string_equal(rd.error, "record too long");
	open_s("a\n");
	assert_int_equal(csv_next(&rd, small, 0, f, MAXF, &nf), CSV_ERROR);
	assert_string_equal(rd.error, "record too long");
	open_s("a\n");
	assert_int_equal(csv_next(&rd, small, 1, f, MAXF, &nf), CSV_ERROR);
	assert_string_equal(rd.error, "record too long");
	open_s("a\n");
	assert_int_equal(csv_next(&rd, small, 2, f, MAXF, &nf), CSV_RECORD);
	assert_string_equal(f[0].s, "a");
	open_s("a\n");
	assert_int_equal(
	        csv_next(&rd, small, sizeof(small), f, 0, &nf), CSV_ERROR);
	assert_string_equal(rd.error, "too many fields");
	/* a record longer than the test's scratch */
	memset(line, 'x', sizeof(line) - 2);
	line[sizeof(line) - 2] = '\n';
	line[sizeof(line) - 1] = '\0';
	open_s(line);
	expect_error("record too long", 1);
}

/* Every prefix of a tricky input reads without overrunning the buffer. */
static void
test_prefixes(void **state)
{
	static const char in[] = "\xef\xbb\xbf\"a\"\"b\",c\r\n\r\n\"x\ny\","
	                         "\r\nlast,\"\"\r";
	size_t n, k;

	(void)state;
	for (n = 0; n <= sizeof(in) - 1; n++) {
		open_n(in, n);
		for (k = 0; k < 10; k++) {
			enum csv_status st = next();

			if (st != CSV_RECORD)
				break;
		}
		assert_true(k < 10);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_teardown(test_simple, teardown),
	        cmocka_unit_test_teardown(test_empty_fields, teardown),
	        cmocka_unit_test_teardown(test_empty_input_and_lines, teardown),
	        cmocka_unit_test_teardown(test_quoted, teardown),
	        cmocka_unit_test_teardown(test_bom, teardown),
	        cmocka_unit_test_teardown(test_separator, teardown),
	        cmocka_unit_test_teardown(test_errors, teardown),
	        cmocka_unit_test_teardown(test_scratch_limits, teardown),
	        cmocka_unit_test_teardown(test_prefixes, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
