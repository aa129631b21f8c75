/*
 * cli.c - blocking helpers for subcommands
 */
#include "cli.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

PGconn *
cli_connect_owner(const char *who)
{
	const char *url = getenv("PARTICIPE_MIGRATE_DATABASE_URL");
	PGconn *pg;

	if (url == NULL || *url == '\0')
		url = getenv("PARTICIPE_DATABASE_URL");
	if (url == NULL || *url == '\0') {
		fprintf(stderr,
		        "%s: set PARTICIPE_MIGRATE_DATABASE_URL or "
		        "PARTICIPE_DATABASE_URL\n",
		        who);
		return NULL;
	}
	pg = PQconnectdb(url);
	if (PQstatus(pg) != CONNECTION_OK) {
		fprintf(stderr, "%s: cannot connect to the database: %s", who,
		        PQerrorMessage(pg));
		PQfinish(pg);
		return NULL;
	}
	PQsetNoticeProcessor(pg, NULL, NULL);
	return pg;
}

const char *
cli_install_path(const char *rel, char *buf, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0) {
		snprintf(buf, size, "%s", rel);
		return buf;
	}
	exe[n] = '\0';
	snprintf(buf, size, "%s/../%s", dirname(exe), rel);
	return buf;
}

const char *
cli_sql_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("PARTICIPE_SQL_DIR");

	if (env != NULL && *env != '\0')
		return env;
	return cli_install_path("sql", dir, sizeof(dir));
}

char *
cli_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	        fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n) {
			buf[n] = '\0';
			if (len != NULL)
				*len = (size_t)n;
		} else {
			free(buf);
			buf = NULL;
		}
	}
	fclose(f);
	return buf;
}

/* Reads all of f (malloc'd, NUL-terminated); NULL on error. */
static char *
read_stream(FILE *f, size_t *len)
{
	size_t cap = 65536, n = 0, got;
	char *buf = malloc(cap);

	while (buf != NULL) {
		if (cap - n < 2) {
			char *nb = cap > SIZE_MAX / 2 ? NULL
			                              : realloc(buf, cap * 2);

			if (nb == NULL) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				free(buf);
				return NULL;
			}
			break;
		}
	}
	if (buf != NULL)
		buf[n] = '\0';
	*len = n;
	return buf;
}

char *
cli_read_path(const char *who, const char *path, size_t *len)
{
	FILE *f = stdin;
	char *buf;

	if (strcmp(path, "-") != 0 && (f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: cannot open %s: %s\n", who, path,
		        strerror(errno));
		return NULL;
	}
	buf = read_stream(f, len);
	if (f != stdin)
		fclose(f);
	if (buf == NULL)
		fprintf(stderr, "%s: cannot read %s\n", who,
		        f == stdin ? "standard input" : path);
	return buf;
}

int
cli_exec(PGconn *pg, const char *sql, const char *what)
{
	PGresult *res = PQexec(pg, sql);
	ExecStatusType s = PQresultStatus(res);
	int rc = 0;

	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		fprintf(stderr, "%s: %s", what, PQresultErrorMessage(res));
		rc = -1;
	}
	PQclear(res);
	return rc;
}
