/*
 * cmd_migrate.c - participe migrate
 *
 * Applies sql/migrations/NNNN_name.sql in order, each in its own
 * transaction together with its record (name, SHA-256 checksum) in
 * meta.migrations. A recorded file whose checksum changed is an error:
 * applied migrations are never edited. Then re-applies every file of
 * sql/functions (CREATE OR REPLACE) in one transaction. Concurrent runs
 * serialise on an advisory lock; a second run is a no-op.
 */
#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"

static int
is_migration_name(const char *n)
{
	size_t l = strlen(n), i;

	if (l < 10 || strcmp(n + l - 4, ".sql") != 0 || n[4] != '_')
		return 0;
	for (i = 0; i < 4; i++)
		if (n[i] < '0' || n[i] > '9')
			return 0;
	for (i = 5; i < l - 4; i++)
		if (!((n[i] >= 'a' && n[i] <= 'z') ||
		            (n[i] >= '0' && n[i] <= '9') || n[i] == '_'))
			return 0;
	return 1;
}

static int
sql_file(const struct dirent *d)
{
	size_t l = strlen(d->d_name);

	return l > 4 && strcmp(d->d_name + l - 4, ".sql") == 0;
}

static void
checksum(const char *buf, size_t len, char hex[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)buf, len);
	sodium_bin2hex(hex, 65, h, sizeof(h));
}

/* Returns 1 applied, 0 already applied, -1 error. */
static int
apply_one(PGconn *pg, const char *dir, const char *name)
{
	char path[4096], hex[65];
	const char *params[2];
	PGresult *res;
	size_t len;
	char *sql;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/migrations/%s", dir, name);
	if ((sql = cli_read_file(path, &len)) == NULL) {
		fprintf(stderr, "migrate: cannot read \"%s\"\n", path);
		return -1;
	}
	checksum(sql, len, hex);
	params[0] = name;
	res = PQexecParams(pg,
	        "SELECT checksum FROM meta.migrations WHERE name = $1", 1, NULL,
	        params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "migrate: %s", PQresultErrorMessage(res));
		goto done;
	}
	if (PQntuples(res) == 1) {
		if (strcmp(PQgetvalue(res, 0, 0), hex) != 0) {
			fprintf(stderr,
			        "migrate: \"%s\" was changed after it was "
			        "applied (checksum %s, recorded %s); add a new "
			        "migration instead\n",
			        name, hex, PQgetvalue(res, 0, 0));
			goto done;
		}
		rc = 0;
		goto done;
	}
	PQclear(res);
	res = NULL;
	if (cli_exec(pg, "BEGIN", "migrate") != 0)
		goto done;
	if (cli_exec(pg, sql, name) != 0) {
		cli_exec(pg, "ROLLBACK", "migrate");
		fprintf(stderr,
		        "migrate: \"%s\" failed; nothing of it was "
		        "applied\n",
		        name);
		goto done;
	}
	params[1] = hex;
	res = PQexecParams(pg,
	        "INSERT INTO meta.migrations (name, checksum) VALUES ($1, $2)",
	        2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK ||
	        cli_exec(pg, "COMMIT", "migrate") != 0) {
		fprintf(stderr, "migrate: %s", PQresultErrorMessage(res));
		cli_exec(pg, "ROLLBACK", "migrate");
		goto done;
	}
	printf("migrate: applied %s\n", name);
	rc = 1;
done:
	PQclear(res);
	free(sql);
	return rc;
}

static int
apply_functions(PGconn *pg, const char *dir)
{
	char path[4096];
	struct dirent **list = NULL;
	int n, i, rc = 0;

	snprintf(path, sizeof(path), "%s/functions", dir);
	n = scandir(path, &list, sql_file, alphasort);
	if (n < 0)
		return 0; /* no functions directory */
	if (cli_exec(pg, "BEGIN", "migrate") != 0)
		rc = -1;
	for (i = 0; i < n; i++) {
		char file[4352];
		char *sql;

		snprintf(file, sizeof(file), "%s/%s", path, list[i]->d_name);
		if (rc == 0) {
			sql = cli_read_file(file, NULL);
			if (sql == NULL || cli_exec(pg, sql, list[i]->d_name)) {
				fprintf(stderr,
				        "migrate: functions from \"%s\" "
				        "failed\n",
				        list[i]->d_name);
				rc = -1;
			}
			free(sql);
		}
		free(list[i]);
	}
	free(list);
	if (rc == 0 && cli_exec(pg, "COMMIT", "migrate") != 0)
		rc = -1;
	if (rc != 0)
		cli_exec(pg, "ROLLBACK", "migrate");
	else
		printf("migrate: functions applied (%d files)\n", n);
	return rc;
}

int
cmd_migrate(int argc, char **argv)
{
	const char *dir = cli_sql_dir();
	char path[4096];
	struct dirent **list = NULL;
	PGconn *pg;
	int n, i, applied = 0, rc = 0;

	(void)argv;
	if (argc > 1) {
		fputs("usage: participe migrate\n", stderr);
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	if ((pg = cli_connect_owner("migrate")) == NULL)
		return 1;
	if (cli_exec(pg,
	            "SET client_min_messages = warning;"
	            "SELECT pg_advisory_lock(7266756);"
	            "CREATE SCHEMA IF NOT EXISTS meta;"
	            "CREATE TABLE IF NOT EXISTS meta.migrations ("
	            " name text PRIMARY KEY,"
	            " checksum text NOT NULL,"
	            " applied_at timestamptz NOT NULL DEFAULT now())",
	            "migrate") != 0) {
		PQfinish(pg);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/migrations", dir);
	n = scandir(path, &list, sql_file, alphasort);
	if (n < 0) {
		fprintf(stderr, "migrate: cannot read directory \"%s\"\n",
		        path);
		PQfinish(pg);
		return 1;
	}
	for (i = 0; i < n; i++) {
		int r;

		if (rc == 0 && !is_migration_name(list[i]->d_name)) {
			fprintf(stderr,
			        "migrate: \"%s\" is not named NNNN_name.sql\n",
			        list[i]->d_name);
			rc = 1;
		}
		if (rc == 0) {
			r = apply_one(pg, dir, list[i]->d_name);
			if (r < 0)
				rc = 1;
			else
				applied += r;
		}
		free(list[i]);
	}
	free(list);
	if (rc == 0 && apply_functions(pg, dir) != 0)
		rc = 1;
	if (rc == 0)
		printf("migrate: %d migration%s applied, %d already there\n",
		        applied, applied == 1 ? "" : "s", n - applied);
	PQfinish(pg);
	return rc;
}
