/*
 * queries.h - every statement the server can run, in one place
 *
 * Expanded once into enum query and once into the table each new database
 * connection prepares. Statements call SQL functions of schema api that run
 * a whole request's transaction and return its response body as json text.
 * No SQL is ever built from strings at run time.
 */
/* clang-format off */
/* name                  params  sql */
Q(PING,                  0,      "SELECT 1")
Q(COLLECTIVITY_LIST,     2,      "SELECT body, next FROM api.collectivity_list($1::int, $2::text)")
Q(COLLECTIVITY_GET,      1,      "SELECT api.collectivity_get($1::text)")
Q(COLLECTIVITY_CREATE,   2,      "SELECT api.collectivity_create($1::text, $2::jsonb)")
/* clang-format on */
