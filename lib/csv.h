/*
 * csv.h - an RFC 4180 record reader over a buffer
 *
 * Reads records one at a time from bytes in memory. Fields are separated
 * by 'sep' (',' by default; ';' is what spreadsheets write in French
 * locales); a field may be quoted with '"', and then holds separators,
 * line breaks and doubled quotes ("" for one '"'). Records end with CRLF,
 * LF or a lone CR, or at the end of the buffer. Departures from RFC 4180,
 * all lenient: a UTF-8 byte order mark at the start is skipped, empty
 * lines are skipped (so a record is never a single empty field), and the
 * last record needs no line break. Errors: a quote inside an unquoted
 * field, anything but a separator or line break after a closing quote, an
 * unterminated quoted field, a NUL byte, more fields or bytes than the
 * caller has room for. Encoding is the caller's business.
 */
#ifndef PARTICIPE_CSV_H
#define PARTICIPE_CSV_H

#include <stddef.h>

/* The state of a reader; set up with csv_init(). */
struct csv {
	const char *buf;
	size_t len;
	size_t pos;         /* next byte to read */
	size_t line;        /* physical line of buf[pos], from 1 */
	size_t record_line; /* line where the last record read begins */
	char sep;           /* field separator */
	const char *error;  /* why csv_next() returned CSV_ERROR */
};

/* One field of a record: NUL-terminated, len excludes the NUL. */
struct csv_field {
	const char *s;
	size_t len;
};

/* What csv_next() read. */
enum csv_status {
	CSV_RECORD, /* a record */
	CSV_END,    /* nothing left */
	CSV_ERROR,  /* malformed input, see c->error and c->record_line */
};

/* Starts reading buf[0..len) with separator ','. */
void csv_init(struct csv *c, const char *buf, size_t len);

/*
 * The separator of the line at c's position: ';' when it has semicolons
 * and no commas (as spreadsheets write CSV in French), else ','.
 */
char csv_guess_sep(const struct csv *c);

/*
 * Reads the next record into fields[0..*nfields), at most maxfields of
 * them; their text is unquoted into scratch[0..scratchsz), each field
 * NUL-terminated, and stays valid until the next call with that scratch.
 * After CSV_ERROR the reader is not meant to be used further.
 */
enum csv_status csv_next(struct csv *c, char *scratch, size_t scratchsz,
        struct csv_field *fields, size_t maxfields, size_t *nfields);

#endif
