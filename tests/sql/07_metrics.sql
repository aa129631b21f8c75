-- The metric counters: kept act by act by the triggers of 0008_metrics.sql,
-- they equal what app.metric_rebuild computes set-based from the acts;
-- periods in Europe/Paris time; distinct people once per period.
BEGIN;
SELECT plan(7);

SELECT set_config('app.collectivity_id',
	(SELECT id::text FROM app.collectivities WHERE slug = 'bourg-en-lys'),
	true);

-- Acts of the demo's members: each publishes a proposal on 2027-03-31
-- 23:30 Paris time (a Wednesday: March, week of the 29th), supports
-- every proposal, and comments twice.
INSERT INTO app.proposals (collectivity_id, process_id, author_id, title,
	body, state, published_at, search)
SELECT app.current_collectivity(), 'd3a0c0de-0000-4000-8000-000000000001',
	m.account_id, 'Idée ' || row_number() OVER (), 'Texte', 'published',
	'2027-03-31 23:30:00 Europe/Paris', to_tsvector('simple', 'idée')
FROM app.members m WHERE m.collectivity_id = app.current_collectivity();
INSERT INTO app.supports (collectivity_id, proposal_id, process_id,
	account_id, created_at)
SELECT app.current_collectivity(), p.id, p.process_id, m.account_id,
	'2027-04-01 00:30:00 Europe/Paris'
FROM app.proposals p CROSS JOIN app.members m
WHERE p.collectivity_id = app.current_collectivity()
  AND m.collectivity_id = app.current_collectivity()
  AND p.title LIKE 'Idée %';
INSERT INTO app.comments (collectivity_id, process_id, proposal_id, depth,
	sort_key, author_id, body, created_at)
SELECT app.current_collectivity(), p.process_id, p.id, 1,
	lpad(n::text, 4, '0'), p.author_id, 'Bien', p.published_at
FROM app.proposals p CROSS JOIN generate_series(1, 2) n
WHERE p.collectivity_id = app.current_collectivity()
  AND p.title LIKE 'Idée %';

CREATE TEMP TABLE live AS SELECT * FROM app.metric_counts
	WHERE collectivity_id = app.current_collectivity();

SELECT is((SELECT acts FROM live WHERE period = 'month'
		AND start = '2027-03-01' AND kind = 'proposal'
		AND process_id = api.nil_uuid()),
	(SELECT count(*) FROM app.members
		WHERE collectivity_id = app.current_collectivity()),
	'proposals of 23:30 Paris time on March 31 count in March');
SELECT is((SELECT people FROM live WHERE period = 'month'
		AND start = '2027-04-01' AND kind = 'support'
		AND process_id = api.nil_uuid()),
	(SELECT count(*) FROM app.members
		WHERE collectivity_id = app.current_collectivity()),
	'supporters of April 1 Paris time in April, each once');
SELECT is((SELECT acts FROM live WHERE period = 'week'
		AND start = '2027-03-29' AND kind = 'comment'
		AND process_id = api.nil_uuid()),
	2 * (SELECT count(*) FROM app.members
		WHERE collectivity_id = app.current_collectivity()),
	'two comments each in the week of Monday March 29');
SELECT is((SELECT people FROM live WHERE period = 'week'
		AND start = '2027-03-29' AND kind = 'any'
		AND process_id = api.nil_uuid()),
	(SELECT count(*) FROM app.members
		WHERE collectivity_id = app.current_collectivity()),
	'participants of the week: each member once, whatever they did');

SELECT is(app.metric_rebuild(app.current_collectivity()),
	(SELECT count(*) FROM app.members
		WHERE collectivity_id = app.current_collectivity()) * (1 + 2)
	+ (SELECT count(*) * count(*) FROM app.members
		WHERE collectivity_id = app.current_collectivity()),
	'the rebuild counts every act');
SELECT is_empty($$
	(SELECT period, start, process_id, kind, acts, people FROM live
	 EXCEPT SELECT period, start, process_id, kind, acts, people
		FROM app.metric_counts
		WHERE collectivity_id = app.current_collectivity())
	UNION ALL
	(SELECT period, start, process_id, kind, acts, people
		FROM app.metric_counts
		WHERE collectivity_id = app.current_collectivity()
	 EXCEPT SELECT period, start, process_id, kind, acts, people FROM live)
$$, 'the counters kept act by act are those the rebuild computes');

-- The median delay to an answer, from the whole-day histogram: answers 2,
-- 3, 4 and 5 days after publication give 3.5.
INSERT INTO app.proposals (collectivity_id, process_id, author_id, title,
	body, state, published_at, answered_at, answer, search)
SELECT app.current_collectivity(), 'd3a0c0de-0000-4000-8000-000000000001',
	NULL, 'Délai ' || d, 'Texte', 'accepted',
	timestamptz '2027-06-10 12:00 Europe/Paris' - d * interval '1 day',
	'2027-06-10 12:00 Europe/Paris', 'Oui', to_tsvector('simple', 'delai')
FROM generate_series(2, 5) d;
SELECT is((api.metric_figures('month', ARRAY[date '2027-06-01'],
		ARRAY[app.current_collectivity()], ARRAY['c'], ARRAY['c'],
		NULL)->'groups'->0->'rows'->0->'proposals'->>
		'median_answer_days')::numeric, 3.5,
	'the median delay of answers after 2, 3, 4 and 5 days is 3.5');

SELECT * FROM finish();
ROLLBACK;
