/*
 * csv.c - the RFC 4180 reader
 */
#include "csv.h"

#include <string.h>

void
csv_init(struct csv *c, const char *buf, size_t len)
{
	memset(c, 0, sizeof(*c));
	c->buf = buf;
	c->len = len;
	c->line = 1;
	c->record_line = 1;
	c->sep = ',';
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		c->pos = 3;
}

/* Consumes the line break at pos (CRLF, LF or CR), if any; 1 if one. */
static int
eat_newline(struct csv *c)
{
	if (c->pos < c->len && c->buf[c->pos] == '\r') {
		c->pos++;
		if (c->pos < c->len && c->buf[c->pos] == '\n')
			c->pos++;
	} else if (c->pos < c->len && c->buf[c->pos] == '\n') {
		c->pos++;
	} else {
		return 0;
	}
	c->line++;
	return 1;
}

static enum csv_status
fail(struct csv *c, const char *why)
{
	c->error = why;
	return CSV_ERROR;
}

enum csv_status
csv_next(struct csv *c, char *scratch, size_t scratchsz,
        struct csv_field *fields, size_t maxfields, size_t *nfields)
{
	size_t o = 0, nf = 0;

	*nfields = 0;
	c->error = NULL;
	while (eat_newline(c))
		; /* empty lines */
	if (c->pos >= c->len)
		return CSV_END;
	c->record_line = c->line;
	for (;;) {
		size_t start = o;

		if (c->pos < c->len && c->buf[c->pos] == '"') {
			c->pos++;
			for (;;) {
				char ch;

				if (c->pos >= c->len)
					return fail(
					        c, "unterminated quoted field");
				ch = c->buf[c->pos];
				if (ch == '"') {
					if (c->pos + 1 < c->len &&
					        c->buf[c->pos + 1] == '"') {
						c->pos++; /* "" is one quote */
					} else {
						c->pos++;
						break;
					}
				} else if (ch == '\n' ||
				           (ch == '\r' &&
				                   (c->pos + 1 >= c->len ||
				                           c->buf[c->pos + 1] !=
				                                   '\n'))) {
					c->line++;
				} else if (ch == '\0') {
					return fail(c, "nul byte in input");
				}
				if (o + 1 >= scratchsz)
					return fail(c, "record too long");
				scratch[o++] = ch;
				c->pos++;
			}
			if (c->pos < c->len && c->buf[c->pos] != c->sep &&
			        c->buf[c->pos] != '\r' &&
			        c->buf[c->pos] != '\n')
				return fail(c, "unexpected character after a "
				               "closing quote");
		} else {
			while (c->pos < c->len && c->buf[c->pos] != c->sep &&
			        c->buf[c->pos] != '\r' &&
			        c->buf[c->pos] != '\n') {
				char ch = c->buf[c->pos];

				if (ch == '"')
					return fail(c, "quote inside an "
					               "unquoted field");
				if (ch == '\0')
					return fail(c, "nul byte in input");
				if (o + 1 >= scratchsz)
					return fail(c, "record too long");
				scratch[o++] = ch;
				c->pos++;
			}
		}
		if (o >= scratchsz)
			return fail(c, "record too long");
		scratch[o++] = '\0';
		if (nf == maxfields)
			return fail(c, "too many fields");
		fields[nf].s = scratch + start;
		fields[nf].len = o - 1 - start;
		nf++;
		if (c->pos < c->len && c->buf[c->pos] == c->sep) {
			c->pos++;
			continue;
		}
		eat_newline(c);
		break;
	}
	*nfields = nf;
	return CSV_RECORD;
}

char
csv_guess_sep(const struct csv *c)
{
	size_t i;
	int semi = 0;

	for (i = c->pos; i < c->len && c->buf[i] != '\n' && c->buf[i] != '\r';
	        i++) {
		if (c->buf[i] == ',')
			return ',';
		if (c->buf[i] == ';')
			semi = 1;
	}
	return semi ? ';' : ',';
}
