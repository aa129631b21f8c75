/*
 * cmd_admin.c - participe admin: platform administration from a shell
 *
 *   participe admin create-platform-admin EMAIL [DISPLAY NAME]
 *
 * creates (or finds) the account, makes it a platform administrator, opens
 * a 30-day session and prints its bearer token on stdout. Only the token's
 * BLAKE2b-256 hash is stored. This is how the first administrator of an
 * installation is made, and how the tests get one.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"

int
cmd_admin(int argc, char **argv)
{
	unsigned char tok[32], hash[32];
	char b64[64], hex[65];
	const char *params[3];
	PGconn *pg;
	PGresult *res;
	int rc = 1;

	if (argc < 3 || strcmp(argv[1], "create-platform-admin") != 0) {
		fputs("usage: participe admin create-platform-admin EMAIL "
		      "[DISPLAY NAME]\n",
		        stderr);
		return 2;
	}
	if (sodium_init() < 0 || (pg = cli_connect_owner("admin")) == NULL)
		return 1;
	randombytes_buf(tok, sizeof(tok));
	sodium_bin2base64(b64, sizeof(b64), tok, sizeof(tok),
	        sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	crypto_generichash(hash, sizeof(hash), (const unsigned char *)b64,
	        strlen(b64), NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
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
		printf("%s\n", b64);
		rc = 0;
	}
	PQclear(res);
	PQfinish(pg);
	return rc;
}
