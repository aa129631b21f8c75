-- The collectivity functions: pagination, errors raised with PT codes.
BEGIN;
SELECT plan(9);

INSERT INTO app.collectivities (slug, name, kind) VALUES
	('aaa-test', 'A', 'commune'), ('aab-test', 'B', 'epci'),
	('aac-test', 'C', 'region');

SELECT is((SELECT json_array_length(body::json) FROM
	api.collectivity_list(2, 'aa')), 2, 'a page holds at most limit items');
SELECT is((SELECT next FROM api.collectivity_list(2, 'aa')), 'aab-test',
	'next is the last slug shown when more remain');
SELECT is((SELECT next FROM api.collectivity_list(1000, NULL)), NULL,
	'no next cursor on the last page');
SELECT is((SELECT body FROM api.collectivity_list(5, 'zzzz')), '[]',
	'an empty page is an empty array');
SELECT is(api.collectivity_get('no-such-one'), NULL,
	'unknown slug gives NULL (the server answers 404)');
SELECT throws_ok($$SELECT api.collectivity_create(repeat('0', 64),
	'{"slug":"x-y","name":"X","kind":"commune"}')$$, 'PT401', NULL,
	'an unknown token is refused with PT401');

INSERT INTO app.accounts (id, email, display_name)
	VALUES ('00000000-0000-0000-0000-000000000001', 'r@example.org', 'R');
INSERT INTO app.sessions (token_hash, account_id, expires_at)
	VALUES (decode(repeat('ab', 32), 'hex'),
		'00000000-0000-0000-0000-000000000001', now() + interval '1 day');
SELECT throws_ok($$SELECT api.collectivity_create(repeat('ab', 32),
	'{"slug":"x-y","name":"X","kind":"commune"}')$$, 'PT403', NULL,
	'a non-admin session is refused with PT403');
UPDATE app.accounts SET is_platform_admin = true
	WHERE id = '00000000-0000-0000-0000-000000000001';
SELECT throws_ok($$SELECT api.collectivity_create(repeat('ab', 32),
	'{"slug":"Bad Slug","name":"X","kind":"commune"}')$$, 'PT422', NULL,
	'a bad slug is refused with PT422');
SELECT throws_ok($$SELECT api.collectivity_create(repeat('ab', 32),
	'{"slug":"aaa-test","name":"X","kind":"commune"}')$$, 'PT409', NULL,
	'a duplicate slug is refused with PT409');

SELECT * FROM finish();
ROLLBACK;
