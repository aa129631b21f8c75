-- Tenant isolation, read from the catalogue (DESIGN.md section 6): every
-- table of schema app with a collectivity_id column is a tenant table; its
-- primary key, unique keys and the foreign keys that involve a tenant
-- table start with collectivity_id, and row-level security is enabled,
-- forced and has a policy. Then the policies at work, as the server role.
BEGIN;
SELECT plan(14);

CREATE TEMP VIEW tenant_tables AS
	SELECT c.oid, c.relname, c.relrowsecurity, c.relforcerowsecurity
	FROM pg_class c
	JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = 'app' AND c.relkind IN ('r', 'p')
	  AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
		AND a.attname = 'collectivity_id' AND NOT a.attisdropped);

-- The first column of a key (conkey/indkey) is collectivity_id.
CREATE TEMP VIEW tenant_keys AS
	SELECT t.relname, k.conname, k.contype,
		(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = k.conrelid
			AND a.attnum = k.conkey[1]) AS first_col,
		(SELECT a.attname FROM pg_attribute a WHERE a.attrelid = k.confrelid
			AND a.attnum = k.confkey[1]) AS ref_first_col,
		k.confrelid IN (SELECT oid FROM tenant_tables) AS refs_tenant,
		(SELECT bool_or(a.attname = 'collectivity_id') FROM pg_attribute a
			WHERE a.attrelid = k.conrelid AND a.attnum = ANY (k.conkey))
			AS involves_cid
	FROM tenant_tables t JOIN pg_constraint k ON k.conrelid = t.oid
	WHERE k.contype IN ('p', 'u', 'f');

SELECT ok((SELECT count(*) FROM tenant_tables) >= 5,
	'there are tenant tables to check');

SELECT is(ARRAY(SELECT relname::text FROM tenant_tables t
	WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k
		WHERE k.conrelid = t.oid AND k.contype = 'p') ORDER BY 1),
	ARRAY[]::text[], 'every tenant table has a primary key');

SELECT is(ARRAY(SELECT relname || '.' || conname FROM tenant_keys
	WHERE contype IN ('p', 'u') AND first_col <> 'collectivity_id'
	ORDER BY 1), ARRAY[]::text[],
	'primary and unique keys of tenant tables start with collectivity_id');

SELECT is(ARRAY(SELECT c.relname || '.' || i.relname
	FROM tenant_tables c JOIN pg_index x ON x.indrelid = c.oid
	JOIN pg_class i ON i.oid = x.indexrelid
	WHERE x.indisunique AND (SELECT a.attname FROM pg_attribute a
		WHERE a.attrelid = c.oid AND a.attnum = x.indkey[0])
		IS DISTINCT FROM 'collectivity_id'
	ORDER BY 1), ARRAY[]::text[],
	'unique indexes of tenant tables start with collectivity_id');

SELECT is(ARRAY(SELECT relname || '.' || conname FROM tenant_keys
	WHERE contype = 'f' AND (refs_tenant OR involves_cid)
	  AND (first_col <> 'collectivity_id'
		OR (refs_tenant AND ref_first_col <> 'collectivity_id'))
	ORDER BY 1), ARRAY[]::text[],
	'foreign keys between tenant tables start with collectivity_id on both sides');

SELECT is(ARRAY(SELECT relname::text FROM tenant_tables
	WHERE NOT (relrowsecurity AND relforcerowsecurity) ORDER BY 1),
	ARRAY[]::text[], 'row-level security is enabled and forced on every tenant table');

SELECT is(ARRAY(SELECT relname::text FROM tenant_tables t
	WHERE NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = t.oid
		AND pg_get_expr(p.polqual, p.polrelid) LIKE '%current_collectivity()%')
	ORDER BY 1), ARRAY[]::text[],
	'every tenant table has a policy on app.collectivity_id');

-- The policies at work, as the server's role, on the demo data (pgTAP's
-- functions live in schema public: lend it for this rolled-back test).
GRANT USAGE ON SCHEMA public TO participe_app;
SET LOCAL ROLE participe_app;

SELECT is((SELECT count(*)::int FROM app.members), 0,
	'without app.collectivity_id the server role sees no member');

SELECT set_config('app.collectivity_id', (SELECT id::text
	FROM app.collectivities WHERE slug = 'val-de-lys'), true);
SELECT is((SELECT count(DISTINCT collectivity_id)::int FROM app.members), 1,
	'in one collectivity, only its members are visible');
SELECT is((SELECT count(*)::int FROM app.members m
	JOIN app.collectivities c ON c.id = m.collectivity_id
	WHERE c.slug = 'bourg-en-lys'), 0,
	'another collectivity''s members are invisible');

SELECT throws_ok($$INSERT INTO app.members (collectivity_id, account_id)
	SELECT c.id, a.id FROM app.collectivities c, app.accounts a
	WHERE c.slug = 'bourg-en-lys' LIMIT 1$$, '42501', NULL,
	'a row of another collectivity cannot be written');

SELECT set_config('app.collectivity_id', '', true);
SELECT set_config('app.account_id', (SELECT id::text FROM app.accounts
	WHERE email = 'ines@example.org'), true);
SELECT is((SELECT count(*)::int FROM app.members), 2,
	'a person sees their own memberships in every collectivity');

RESET ROLE;
SELECT set_config('app.collectivity_id', (SELECT id::text
	FROM app.collectivities WHERE slug = 'bourg-en-lys'), true);
SELECT throws_ok($$UPDATE app.audit_log SET reason = 'rewritten'$$,
	'PT409', 'the audit log is append-only',
	'audit entries cannot be changed, even by the owner');
SELECT throws_ok($$DELETE FROM app.audit_log$$,
	'PT409', 'the audit log is append-only',
	'audit entries cannot be deleted, even by the owner');

SELECT * FROM finish();
ROLLBACK;
