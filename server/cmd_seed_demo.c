/*
 * cmd_seed_demo.c - participe seed-demo: load every file of sql/demo (idempotent)
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"

static int
sql_file(const struct dirent *d)
{
	size_t l = strlen(d->d_name);

	return l > 4 && strcmp(d->d_name + l - 4, ".sql") == 0;
}

int
cmd_seed_demo(int argc, char **argv)
{
	char path[4096];
	struct dirent **list = NULL;
	PGconn *pg;
	int n, i, rc = 0;

	(void)argc;
	(void)argv;
	if ((pg = cli_connect_owner("seed-demo")) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/demo", cli_sql_dir());
	n = scandir(path, &list, sql_file, alphasort);
	if (n < 0) {
		fprintf(stderr, "seed-demo: cannot read \"%s\"\n", path);
		PQfinish(pg);
		return 1;
	}
	for (i = 0; i < n; i++) {
		char file[4352];
		char *sql;

		snprintf(file, sizeof(file), "%s/%s", path, list[i]->d_name);
		if (rc == 0) {
			sql = cli_read_file(file, NULL);
			if (sql == NULL ||
			        cli_exec(pg, "BEGIN", "seed-demo") != 0 ||
			        cli_exec(pg, sql, list[i]->d_name) != 0 ||
			        cli_exec(pg, "COMMIT", "seed-demo") != 0) {
				cli_exec(pg, "ROLLBACK", "seed-demo");
				rc = 1;
			} else {
				printf("seed-demo: loaded %s\n",
				        list[i]->d_name);
			}
			free(sql);
		}
		free(list[i]);
	}
	free(list);
	PQfinish(pg);
	return rc;
}
