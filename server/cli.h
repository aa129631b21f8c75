/*
 * cli.h - shared helpers of the command-line subcommands
 *
 * Subcommands other than serve are short-lived programs: they use plain
 * blocking libpq, print to stdout/stderr and exit with a status.
 */
#ifndef PARTICIPE_CLI_H
#define PARTICIPE_CLI_H

#include <libpq-fe.h>
#include <stddef.h>

/*
 * Connects as the schema owner (PARTICIPE_MIGRATE_DATABASE_URL, else
 * PARTICIPE_DATABASE_URL); prints the reason and returns NULL on failure.
 */
PGconn *cli_connect_owner(const char *who);

/* The sql/ directory: PARTICIPE_SQL_DIR, else <binary>/../sql. */
const char *cli_sql_dir(void);

/* <binary>/../rel: files installed beside bin/ (sql/, api-spec/). */
const char *cli_install_path(const char *rel, char *buf, size_t size);

/* Reads a whole file (malloc'd, NUL-terminated); NULL on error. */
char *cli_read_file(const char *path, size_t *len);

/*
 * Reads a whole file, "-" meaning standard input (malloc'd,
 * NUL-terminated); on error prints why, prefixed by 'who', and returns
 * NULL.
 */
char *cli_read_path(const char *who, const char *path, size_t *len);

/* Runs SQL text; prints the error prefixed by 'what' and returns -1. */
int cli_exec(PGconn *pg, const char *sql, const char *what);

#endif
