-- tests/bench/metrics.sh: the counters of every collectivity at once,
-- set-based (app.metric_rebuild does one collectivity, and also fills
-- app.metric_people, which only later acts need; the dashboard reads the
-- counters alone). Run as the superuser, across collectivities.
SET synchronous_commit = off;
SET work_mem = '256MB';
TRUNCATE app.metric_counts, app.metric_answer_delays;
CREATE TEMP TABLE acts AS
WITH a (collectivity_id, process_id, kind, account_id, at) AS (
	SELECT p.collectivity_id, q.process_id, 'response', p.account_id,
		r.submitted_at
	FROM app.consultation_participants p
	JOIN app.consultations q ON q.collectivity_id = p.collectivity_id
		AND q.id = p.consultation_id
	LEFT JOIN app.responses r ON r.collectivity_id = p.collectivity_id
		AND r.consultation_id = p.consultation_id
		AND r.account_id = p.account_id
	UNION ALL
	SELECT collectivity_id, process_id, 'proposal', author_id, published_at
	FROM app.proposals WHERE published_at IS NOT NULL
	UNION ALL
	SELECT collectivity_id, process_id, 'support', account_id, created_at
	FROM app.supports
	UNION ALL
	SELECT collectivity_id, process_id, 'comment', author_id, created_at
	FROM app.comments
)
SELECT collectivity_id, process_id, kind, account_id, v.period, v.start
FROM a CROSS JOIN LATERAL app.metric_periods_of(
	(coalesce(at, now()) AT TIME ZONE 'Europe/Paris')::date) v;
INSERT INTO app.metric_counts (collectivity_id, period, start, process_id,
	kind, acts, people)
SELECT collectivity_id, period, start,
	coalesce(process_id, '00000000-0000-0000-0000-000000000000'),
	coalesce(kind, 'any'), count(*), count(DISTINCT account_id)
FROM acts
GROUP BY collectivity_id, period, start,
	GROUPING SETS ((process_id, kind), (process_id), (kind), ())
HAVING period <> 'part' OR GROUPING(process_id) = 1;
INSERT INTO app.metric_counts (collectivity_id, period, start, process_id,
	kind, acts, people)
SELECT m.collectivity_id, v.period, v.start,
	'00000000-0000-0000-0000-000000000000'::uuid, m.kind, count(*), count(*)
FROM (SELECT collectivity_id, joined_at AS t, 'member' AS kind
	FROM app.members
	UNION ALL
	SELECT collectivity_id, verified_at, 'verified' FROM app.members
	WHERE verified_at IS NOT NULL) m
CROSS JOIN LATERAL app.metric_periods_of(
	(m.t AT TIME ZONE 'Europe/Paris')::date) v
GROUP BY 1, 2, 3, 4, 5;
SELECT count(*) FROM (SELECT app.metric_answer(collectivity_id, process_id,
	published_at, answered_at) FROM app.proposals
	WHERE published_at IS NOT NULL AND answered_at IS NOT NULL) x;
SELECT count(*) FROM (SELECT app.metric_phases_of(collectivity_id, id)
	FROM app.processes) x;
ANALYZE app.metric_counts;
