-- The ballot log's SQL side: the Merkle frontier (api.merkle_push,
-- api.merkle_root) against RFC 9162's recursive definition for every size
-- from 1 to 64, the field encoding of docs/protocol.md, the canonical
-- descriptor JSON, and the log's append-only guard.
BEGIN;
SELECT plan(8);

-- MTH(D[n]) straight from RFC 9162 2.1.1: split at the largest power of
-- two smaller than n.
CREATE FUNCTION pg_temp.mth(p bytea[])
RETURNS bytea
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	n int := cardinality(p);
	k int := 1;
BEGIN
	IF n = 0 THEN
		RETURN sha256(''::bytea);
	END IF;
	IF n = 1 THEN
		RETURN p[1];
	END IF;
	WHILE k * 2 < n LOOP
		k := k * 2;
	END LOOP;
	RETURN sha256('\x01'::bytea || pg_temp.mth(p[1:k])
		|| pg_temp.mth(p[k + 1:n]));
END
$$;

CREATE TEMP TABLE sizes AS
WITH RECURSIVE leaves (i, leaf) AS (
	SELECT i, sha256('\x00'::bytea || convert_to('entry ' || i, 'UTF8'))
	FROM generate_series(0, 63) i
), grow (n, frontier) AS (
	SELECT 0, '{}'::bytea[]
	UNION ALL
	SELECT g.n + 1, api.merkle_push(g.frontier, g.n, l.leaf)
	FROM grow g JOIN leaves l ON l.i = g.n
	WHERE g.n < 64
)
SELECT g.n, api.merkle_root(g.frontier) AS root,
	pg_temp.mth(ARRAY(SELECT leaf FROM leaves WHERE i < g.n ORDER BY i))
		AS expected,
	cardinality(g.frontier) AS subtrees
FROM grow g;

SELECT is((SELECT count(*)::int FROM sizes WHERE n BETWEEN 1 AND 64
	AND root = expected), 64,
	'the frontier root equals MTH for every size from 1 to 64');
SELECT is((SELECT root FROM sizes WHERE n = 0), sha256(''::bytea),
	'the empty tree hashes the empty string');
SELECT is((SELECT count(*)::int FROM sizes WHERE subtrees <>
	length(replace((n::bit(8))::text, '0', ''))), 0,
	'the frontier holds one subtree per set bit of the size');

SELECT is(api.lp_text('abc'), '\x00000003616263'::bytea,
	'a field is its 4-byte big-endian length, then its bytes');
SELECT is(api.lp_u64(258), '\x000000080000000000000102'::bytea,
	'a u64 field is 8 big-endian bytes');
SELECT is(api.canonical_json('{"b": [1, {"y": null, "x": "\u00e9"}],
	"a": true, "B": 1.50}'::jsonb),
	'{"B":1.50,"a":true,"b":[1,{"x":"é","y":null}]}',
	'canonical JSON: keys sorted bytewise, no white space');

SELECT throws_ok($$TRUNCATE app.election_log$$, 'PT409',
	'the ballot log and its tree heads are append-only',
	'the log cannot be truncated');
SELECT throws_ok($$TRUNCATE app.election_heads$$, 'PT409',
	'the ballot log and its tree heads are append-only',
	'tree heads cannot be truncated');

SELECT * FROM finish();
ROLLBACK;
