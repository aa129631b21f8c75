-- Closed periods' snapshots (0009_metric_snapshots.sql,
-- 97_metric_snapshots.sql): which periods are closed, the input the
-- server protects, storing a snapshot whole and reading it back; the
-- blocks of a month and its weeks, and the parts of weeks across months
-- (0011_metric_parts.sql).
BEGIN;
SELECT plan(29);

SELECT is(api.metric_period_end('month', '2027-01-01'), date '2027-02-01',
	'a month ends on the first of the next');
SELECT is(api.metric_period_end('week', '2027-03-29'), date '2027-04-05',
	'a week ends seven days on');
SELECT ok(api.metric_period_closed('month', '2000-01-01'),
	'a month long past is closed');
SELECT ok(NOT api.metric_period_closed('month',
		date_trunc('month', now() AT TIME ZONE 'Europe/Paris')::date),
	'the current month is not');
SELECT ok(NOT api.metric_period_closed('week',
		((now() AT TIME ZONE 'Europe/Paris')::date - 7)),
	'a period that ended at midnight is not closed: a day of grace');
SELECT ok(api.metric_period_closed('week',
		((now() AT TIME ZONE 'Europe/Paris')::date - 8)),
	'one that ended yesterday at midnight is');

-- The input: every grouping, the members of every group but the
-- collectivities'.
CREATE TEMP TABLE snapin AS
	SELECT api.metric_snapshot_input('month', '2000-01-01')::jsonb AS j;
SELECT is(ARRAY(SELECT jsonb_object_keys(j -> 'groupings') FROM snapin
		ORDER BY 1),
	ARRAY['all', 'cohort', 'collectivity', 'density', 'departement', 'kind',
		'qpv'], 'the input has every grouping');
SELECT is((SELECT jsonb_array_length(j #> '{groupings,collectivity,groups}')
		FROM snapin), (SELECT count(*)::integer FROM app.collectivities),
	'a group per collectivity');
SELECT is((SELECT jsonb_array_length(j #> '{groupings,all,groups,0,members}')
		FROM snapin), (SELECT count(*)::integer FROM app.collectivities),
	'the programme''s group has every collectivity as a member');

-- Storing replaces a snapshot whole; the views read it.
SELECT api.metric_snapshot_store('{"period": "month", "start": "2000-01-01",
	"threshold": 11, "withheld": 1, "rows": [
	{"by": "all", "key": "all", "label": "Programme", "collectivities": 5,
	 "population": 100, "row": {"start": "2000-01-01",
	 "participants": {"value": 42}}},
	{"by": "kind", "key": "commune", "label": "commune",
	 "collectivities": 3, "population": 90, "row": {"start": "2000-01-01",
	 "participants": {"value": null, "suppressed": true}}}]}');
SELECT api.metric_snapshot_store('{"period": "month", "start": "2000-01-01",
	"threshold": 11, "withheld": 0, "rows": [
	{"by": "all", "key": "all", "label": "Programme", "collectivities": 5,
	 "population": 100, "row": {"start": "2000-01-01",
	 "participants": {"value": 43}}}]}');
SELECT is((SELECT count(*)::integer FROM app.metric_published
		WHERE period = 'month' AND start = '2000-01-01'), 1,
	'a second publication of a period replaces the first whole');
SELECT is(api.metric_published_view('month',
		ARRAY[date '2000-01-01', date '2000-02-01'], 'all', NULL)
		#> '{groups,0,rows,0,participants,value}', '43'::jsonb,
	'the view reads the stored figures');
SELECT is(api.metric_published_view('month',
		ARRAY[date '2000-01-01', date '2000-02-01'], 'all', NULL)
		-> 'unpublished', '["2000-02-01"]'::jsonb,
	'a period without a snapshot is listed as unpublished');
SELECT is((SELECT provisional FROM app.metric_snapshots
		WHERE period = 'month' AND start = '2000-01-01'), false,
	'a closed period''s snapshot is not provisional');

-- The next period to publish: the latest closed one without a final
-- snapshot; a provisional one is published again.
DELETE FROM app.metric_snapshots;
SELECT set_config('app.collectivity_id',
	(SELECT id::text FROM app.collectivities WHERE slug = 'val-de-lys'),
	true);
INSERT INTO app.metric_counts (collectivity_id, period, start, process_id,
	kind, acts, people)
VALUES (app.current_collectivity(), 'month', '2001-03-01', api.nil_uuid(),
	'any', 1, 1) ON CONFLICT DO NOTHING;
SELECT set_config('app.collectivity_id', '', true);
CREATE TEMP TABLE nxt AS SELECT api.metric_snapshot_next()::jsonb AS j;
SELECT ok((SELECT j ->> 'provisional' FROM nxt) = 'false'
	AND (SELECT api.metric_period_closed(j ->> 'period',
		(j ->> 'start')::date) FROM nxt),
	'the next period to publish is a closed one');
SELECT api.metric_snapshot_store(jsonb_build_object('period', j -> 'period',
	'start', j -> 'start', 'provisional', true, 'threshold', 11,
	'withheld', 0, 'rows', '[]'::jsonb)::text) FROM nxt;
SELECT is((SELECT jsonb_build_array(x -> 'period', x -> 'start')
		FROM (SELECT api.metric_snapshot_next()::jsonb AS x) y),
	(SELECT jsonb_build_array(j -> 'period', j -> 'start') FROM nxt),
	'a provisional snapshot of a closed period is published again');
SELECT api.metric_snapshot_store(jsonb_build_object('period', j -> 'period',
	'start', j -> 'start', 'provisional', false, 'threshold', 11,
	'withheld', 0, 'rows', '[]'::jsonb)::text) FROM nxt;
SELECT isnt((SELECT jsonb_build_array(x -> 'period', x -> 'start')
		FROM (SELECT api.metric_snapshot_next()::jsonb AS x) y),
	(SELECT jsonb_build_array(j -> 'period', j -> 'start') FROM nxt),
	'a final one is not');
-- A period whose protection failed is skipped for a day, then tried again.
CREATE TEMP TABLE nxt2 AS SELECT api.metric_snapshot_next()::jsonb AS j;
SELECT api.metric_snapshot_failed(j ->> 'period', (j ->> 'start')::date,
	'test') FROM nxt2;
SELECT isnt((SELECT jsonb_build_array(x -> 'period', x -> 'start')
		FROM (SELECT api.metric_snapshot_next()::jsonb AS x) y),
	(SELECT jsonb_build_array(j -> 'period', j -> 'start') FROM nxt2),
	'a period that failed is skipped');
UPDATE app.metric_snapshot_failures SET failed_at = now() - interval '25 hours';
SELECT is((SELECT jsonb_build_array(x -> 'period', x -> 'start')
		FROM (SELECT api.metric_snapshot_next()::jsonb AS x) y),
	(SELECT jsonb_build_array(j -> 'period', j -> 'start') FROM nxt2),
	'and tried again a day later');

-- The parts of weeks across a month's bounds.
SELECT is(ARRAY(SELECT period || ' ' || start
		FROM app.metric_periods_of('2027-04-01') ORDER BY 1),
	ARRAY['month 2027-04-01', 'part 2027-04-01', 'week 2027-03-29'],
	'a day of a week across two months counts in its part of the week');
SELECT is(ARRAY(SELECT period || ' ' || start
		FROM app.metric_periods_of('2027-03-31') ORDER BY 1),
	ARRAY['month 2027-03-01', 'part 2027-03-29', 'week 2027-03-29'],
	'the part before the month starts on the week''s Monday');
SELECT is(ARRAY(SELECT period FROM app.metric_periods_of('2027-02-10')
		ORDER BY 1), ARRAY['month', 'week'],
	'a day of a week inside its month has no part');
SELECT set_config('app.collectivity_id',
	(SELECT id::text FROM app.collectivities WHERE slug = 'val-de-lys'),
	true);
SELECT app.metric_act(app.current_collectivity(), gen_random_uuid(),
	'comment', (SELECT id FROM app.accounts LIMIT 1),
	'2027-03-31 12:00+02');
SELECT is((SELECT array_agg(process_id = api.nil_uuid() ORDER BY kind)
		FROM app.metric_counts WHERE period = 'part'
		AND start = '2027-03-29' AND collectivity_id = app.current_collectivity()),
	ARRAY[true, true],
	'an act counts in its part for all processes only, its kind and any');
SELECT is((SELECT count(*)::integer FROM app.metric_people
		WHERE period = 'part' AND start = '2027-03-29'
		AND collectivity_id = app.current_collectivity()), 2,
	'and its author in the part''s people');
SELECT set_config('app.collectivity_id', '', true);

-- A block: a month and the weeks whose Sunday is in it, with the parts.
CREATE TEMP TABLE blk AS SELECT p, s, api.metric_block_input(p, s::date)::jsonb AS j
	FROM (VALUES ('week', '2027-03-29'), ('month', '2027-02-01'),
		('month', '2027-03-15')) x (p, s);
SELECT is((SELECT ARRAY(SELECT e ->> 'period' || ' ' || (e ->> 'start')
		FROM jsonb_array_elements(j -> 'periods') e) FROM blk
		WHERE p = 'week'),
	ARRAY['month 2027-04-01', 'week 2027-03-29', 'week 2027-04-05',
		'week 2027-04-12', 'week 2027-04-19'],
	'a week''s block is the month of its Sunday, then its weeks');
SELECT is((SELECT ARRAY(SELECT jsonb_object_keys(j -> 'parts') ORDER BY 1)
		FROM blk WHERE p = 'week'), ARRAY['head_in', 'head_out', 'tail_in'],
	'April 2027 has both a first week from March and a week into May');
SELECT is((SELECT jsonb_array_length(j -> 'periods') || ' '
		|| (j -> 'parts')::text FROM blk WHERE s = '2027-02-01'), '5 {}',
	'February 2027: four whole weeks, no part');
SELECT is((SELECT ARRAY(SELECT jsonb_object_keys(j -> 'parts')) FROM blk
		WHERE s = '2027-03-15'), ARRAY['tail_in'],
	'March 2027 starts on a Monday: only the week into April');
SELECT is((SELECT array_agg(DISTINCT e ->> 'provisional')
		FROM jsonb_array_elements(api.metric_block_input('month',
			(now() AT TIME ZONE 'Europe/Paris')::date)::jsonb -> 'periods') e),
	ARRAY['true'],
	'the current month''s block is provisional, its closed weeks too');
SELECT api.metric_snapshot_store('{"period": "month", "start": "2002-01-01",
	"snapshots": [
	{"period": "month", "start": "2002-01-01", "threshold": 11,
	 "withheld": 0, "rows": []},
	{"period": "week", "start": "2001-12-31", "threshold": 11,
	 "withheld": 0, "rows": []}]}');
SELECT is((SELECT array_agg(period || ' ' || start ORDER BY period)
		FROM app.metric_snapshots WHERE start IN ('2002-01-01', '2001-12-31')),
	ARRAY['month 2002-01-01', 'week 2001-12-31'],
	'a block is stored as each of its periods');

SELECT * FROM finish();
ROLLBACK;
