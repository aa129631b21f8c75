/*
 * cmd_admin.c - participe admin: platform administration from a shell
 *
 *   participe admin create-platform-admin EMAIL [DISPLAY NAME]
 *       creates (or finds) the account, makes it a platform administrator,
 *       opens a 30-day session and prints its bearer token on stdout. Only
 *       the token's BLAKE2b-256 hash is stored. This is how the first
 *       administrator of an installation is made, and how the tests get one.
 *   participe admin grant-anct EMAIL | revoke-anct EMAIL
 *       gives or takes the national, read-only "anct" role of an existing
 *       account (ANCT staff reading aggregated metrics).
 *   participe admin revoke-platform-admin EMAIL
 *       takes the platform administrator role away.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "token.h"

static int
usage(void)
{
	fputs("usage: participe admin create-platform-admin EMAIL [DISPLAY "
	      "NAME]\n"
	      "       participe admin grant-anct EMAIL\n"
	      "       participe admin revoke-anct EMAIL\n"
	      "       participe admin revoke-platform-admin EMAIL\n",
	        stderr);
	return 2;
}

static int
create_platform_admin(PGconn *pg, int argc, char **argv)
{
	char tok[TOKEN_TEXT_LEN + 1], hex[65];
	const char *params[3];
	PGresult *res;
	int rc = 1;

	token_new(tok);
	token_hash_hex(tok, strlen(tok), hex);
	params[0] = argv[2];
	params[1] = argc > 3 ? argv[3] : argv[2];
	params[2] = hex;
	res = PQexecParams(pg,
	        "WITH a AS ("
	        " INSERT INTO app.accounts (email, display_name, "
	        "  is_platform_admin) VALUES ($1, $2, true)"
	        " ON CONFLICT (lower(email)) DO UPDATE SET is_platform_admin = "
	        "true"
	        " RETURNING id)"
	        "INSERT INTO app.sessions (token_hash, account_id, expires_at)"
	        " SELECT decode($3, 'hex'), id, now() + interval '30 days' "
	        "FROM a",
	        3, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		fprintf(stderr, "admin: %s", PQresultErrorMessage(res));
	else {
		printf("%s\n", tok);
		rc = 0;
	}
	PQclear(res);
	return rc;
}

/* Sets a national flag column of an existing account. */
static int
set_flag(PGconn *pg, const char *sql, const char *email, const char *what)
{
	const char *params[1] = {email};
	PGresult *res = PQexecParams(pg, sql, 1, NULL, params, NULL, NULL, 0);
	int rc = 1;

	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		fprintf(stderr, "admin: %s", PQresultErrorMessage(res));
	else if (strcmp(PQcmdTuples(res), "1") != 0)
		fprintf(stderr, "admin: no account with e-mail \"%s\"\n",
		        email);
	else {
		printf("admin: %s: %s\n", email, what);
		rc = 0;
	}
	PQclear(res);
	return rc;
}

int
cmd_admin(int argc, char **argv)
{
	PGconn *pg;
	int rc;

	if (argc < 3)
		return usage();
	if (strcmp(argv[1], "create-platform-admin") != 0 &&
	        strcmp(argv[1], "grant-anct") != 0 &&
	        strcmp(argv[1], "revoke-anct") != 0 &&
	        strcmp(argv[1], "revoke-platform-admin") != 0)
		return usage();
	if (sodium_init() < 0 || (pg = cli_connect_owner("admin")) == NULL)
		return 1;
	if (strcmp(argv[1], "create-platform-admin") == 0)
		rc = create_platform_admin(pg, argc, argv);
	else if (strcmp(argv[1], "grant-anct") == 0)
		rc = set_flag(pg,
		        "UPDATE app.accounts SET is_anct = true "
		        "WHERE lower(email) = lower($1)",
		        argv[2], "anct role granted");
	else if (strcmp(argv[1], "revoke-anct") == 0)
		rc = set_flag(pg,
		        "UPDATE app.accounts SET is_anct = false "
		        "WHERE lower(email) = lower($1)",
		        argv[2], "anct role revoked");
	else
		rc = set_flag(pg,
		        "UPDATE app.accounts SET is_platform_admin = false "
		        "WHERE lower(email) = lower($1)",
		        argv[2], "platform administrator role revoked");
	PQfinish(pg);
	return rc;
}
