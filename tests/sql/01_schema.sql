-- Schema, roles and privileges: the server's role owns nothing and can do
-- only what migrations grant it.
BEGIN;
SELECT plan(14);

SELECT has_schema('app');
SELECT has_schema('api');
SELECT has_table('meta', 'migrations', 'migrations are recorded');
SELECT has_table('app'::name, 'collectivities'::name);
SELECT has_role('participe_app');

SELECT is((SELECT rolsuper FROM pg_roles WHERE rolname = 'participe_app'),
	false, 'the server role is not superuser');
SELECT is((SELECT rolbypassrls FROM pg_roles WHERE rolname = 'participe_app'),
	false, 'the server role does not bypass row-level security');
SELECT is((SELECT count(*)::int FROM pg_class c
	JOIN pg_roles r ON r.oid = c.relowner
	WHERE r.rolname = 'participe_app'), 0,
	'the server role owns no relation');
SELECT is((SELECT count(*)::int FROM pg_proc p
	JOIN pg_roles r ON r.oid = p.proowner
	WHERE r.rolname = 'participe_app'), 0,
	'the server role owns no function');
SELECT ok(NOT has_table_privilege('participe_app', 'meta.migrations',
	'SELECT'), 'the server role cannot read the migration records');
SELECT ok(NOT has_table_privilege('participe_app', 'app.collectivities',
	'DELETE'), 'the server role cannot delete collectivities');
SELECT ok(NOT has_column_privilege('participe_app', 'app.sessions',
	'account_id', 'UPDATE') AND NOT has_table_privilege('participe_app',
	'app.sessions', 'DELETE'),
	'the server role cannot re-point or erase a session');
SELECT ok((SELECT count(*) FROM meta.migrations
	WHERE checksum ~ '^[0-9a-f]{64}$') >= 1,
	'each migration is recorded with a SHA-256 checksum');
SELECT ok(has_function_privilege('participe_app',
	'api.collectivity_list(int, text)', 'EXECUTE'),
	'the server role may call the api functions');

SELECT * FROM finish();
ROLLBACK;
