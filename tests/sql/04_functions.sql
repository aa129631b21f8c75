-- The pure helpers of the api schema: COG codes by kind, phase checks,
-- rule checks, CSV fields, comment keys, rate limits.
BEGIN;
SELECT plan(27);

SELECT ok(api.cog_valid('commune', '01053'), 'a commune code');
SELECT ok(api.cog_valid('commune', '2A004'), 'a Corsican commune code');
SELECT ok(NOT api.cog_valid('commune', '20004'), 'no département 20');
SELECT ok(api.cog_valid('commune', '97411'), 'an overseas commune code');
SELECT ok(api.cog_valid('departement', '2B'), 'a Corsican département');
SELECT ok(NOT api.cog_valid('departement', '977'), 'no département 977');
SELECT ok(NOT api.cog_valid('epci', '01053'), 'an EPCI has no COG code');

SELECT is(api.phases_check('[{"kind": "information",
	"starts_at": "2026-01-01T00:00:00Z", "ends_at": "2026-02-01T00:00:00Z"},
	{"kind": "vote", "starts_at": "2026-02-01T00:00:00Z",
	"ends_at": "2026-03-01T00:00:00+01:00"}]'), '[]'::jsonb,
	'phases in order, touching, are fine');
SELECT is(api.phases_check('[{"kind": "vote",
	"starts_at": "2026-02-01T00:00:00Z", "ends_at": "2026-03-01T00:00:00Z"},
	{"kind": "information", "starts_at": "2026-01-01T00:00:00Z",
	"ends_at": "2026-01-02T00:00:00Z"}]')->0->>'field', 'phases[1].kind',
	'phases out of order are refused');
SELECT is(api.phases_check('[{"kind": "information",
	"starts_at": "2026-01-01T00:00:00Z", "ends_at": "2026-02-01T00:00:00Z"},
	{"kind": "proposals", "starts_at": "2026-01-15T00:00:00Z",
	"ends_at": "2026-03-01T00:00:00Z"}]')->0->>'field', 'phases[1].starts_at',
	'overlapping phases are refused');
SELECT is(api.phases_check('[{"kind": "vote", "starts_at": "yesterday",
	"ends_at": "2026-03-01T00:00:00Z"}]')->0->>'field', 'phases[0].starts_at',
	'a time that is not RFC 3339 is refused');
SELECT is(api.phases_check('[{"kind": "vote",
	"starts_at": "2026-03-01T00:00:00Z",
	"ends_at": "2026-02-01T00:00:00Z"}]')->0->>'field', 'phases[0].ends_at',
	'a phase ending before it starts is refused');

SELECT is(api.rules_check('{"answer": {"who": "any", "min_age": 16}}'),
	'[]'::jsonb, 'a valid rule');
SELECT is(api.rules_check('{"dance": {}}')->0->>'field', 'rules.dance',
	'an unknown action is refused');
SELECT is(api.rules_check('{"vote": {"who": "all"}}')->0->>'field',
	'rules.vote.who', 'an unknown "who" is refused');
SELECT is(api.rules_full('{}')->'vote', '{"who": "verified", "min_age": 0}'::jsonb,
	'rules default to verified residents');

SELECT is(api.csv_field('plain'), 'plain', 'a plain CSV field is unquoted');
SELECT is(api.csv_field('a,b'), '"a,b"', 'a comma quotes the field');
SELECT is(api.csv_field('say "hi"'), '"say ""hi"""', 'quotes are doubled');
SELECT is(api.csv_answer('["a", "b"]', 'ranking'), 'a>b',
	'rankings are joined with >');

SELECT ok(api.comment_key('2026-01-01T00:00:00Z', gen_random_uuid())
	< api.comment_key('2026-01-01T00:00:00.000001Z', gen_random_uuid()),
	'comment keys sort by time');
SELECT is(length(split_part(api.comment_key(now(), gen_random_uuid()), '_', 1)),
	20, 'the time part of a comment key has 20 digits');

SELECT ok(api.proposal_search('Une nouvelle école', 'pour le quartier')
	@@ websearch_to_tsquery('app.french_unaccent', 'ecole'),
	'search ignores accents: ecole finds école');
SELECT ok(api.proposal_search('Des arbres', 'plantés')
	@@ websearch_to_tsquery('app.french_unaccent', 'arbre plante'),
	'search stems French words');
SELECT ok(NOT api.proposal_search('Des arbres', 'sur la place')
	@@ websearch_to_tsquery('app.french_unaccent', 'piscine'),
	'search does not match other words');

SELECT lives_ok($$SELECT api.rate_hit('test:bucket', 2, 3600);
	SELECT api.rate_hit('test:bucket', 2, 3600)$$,
	'hits up to the limit pass');
SELECT throws_ok($$SELECT api.rate_hit('test:bucket', 2, 3600)$$, 'PT429',
	NULL, 'the hit beyond the limit is refused with 429');

SELECT * FROM finish();
ROLLBACK;
