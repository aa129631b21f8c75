-- The parts of weeks across a month's bounds (docs/suppression.md,
-- "Weeks and months"): a week that starts in one month and ends in the
-- next is counted again as its two parts, period 'part' starting on the
-- part's first day (the week's Monday, or the month's first day), for all
-- processes together. A month's figures are then tied exactly to its
-- weeks' when both are protected; the parts are never published, and
-- protected as figures of their own (they can be worked out).
ALTER TABLE app.metric_counts DROP CONSTRAINT metric_counts_period_check;
ALTER TABLE app.metric_counts ADD CONSTRAINT metric_counts_period_check
	CHECK (period IN ('week', 'month', 'part'));
ALTER TABLE app.metric_people DROP CONSTRAINT metric_people_period_check;
ALTER TABLE app.metric_people ADD CONSTRAINT metric_people_period_check
	CHECK (period IN ('week', 'month', 'part'));

-- The periods an act or event on local day p_day counts in, with their
-- starts: its week, its month, and its part of the week when the week
-- runs across the month's bounds.
CREATE FUNCTION app.metric_periods_of(p_day date)
RETURNS TABLE (period text, start date)
LANGUAGE sql IMMUTABLE AS $$
	SELECT x.period, x.start
	FROM (SELECT date_trunc('week', p_day::timestamp)::date AS w,
		date_trunc('month', p_day::timestamp)::date AS m) d,
	LATERAL (VALUES ('week', d.w), ('month', d.m),
		('part', CASE WHEN d.w < d.m
			OR d.w + 6 >= (d.m + interval '1 month')::date
			THEN greatest(d.w, d.m) END)) x (period, start)
	WHERE x.start IS NOT NULL
$$;

-- As in 0008_metrics.sql, every period of app.metric_periods_of (a part
-- for all processes together only).
CREATE OR REPLACE FUNCTION app.metric_act(p_c uuid, p_process uuid,
	p_kind text, p_account uuid, p_at timestamptz, p_n bigint DEFAULT 1)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_nil uuid := '00000000-0000-0000-0000-000000000000';
	v record;
	v_process uuid;
	v_kind text;
	v_new int := 0;
BEGIN
	FOR v IN SELECT * FROM app.metric_periods_of(
			(p_at AT TIME ZONE 'Europe/Paris')::date) LOOP
		FOREACH v_process IN ARRAY ARRAY[p_process, v_nil] LOOP
			CONTINUE WHEN v.period = 'part' AND v_process <> v_nil;
			FOREACH v_kind IN ARRAY ARRAY[p_kind, 'any'] LOOP
				IF p_account IS NOT NULL THEN
					INSERT INTO app.metric_people VALUES (p_c, v.period,
						v.start, v_process, v_kind, p_account)
					ON CONFLICT DO NOTHING;
					GET DIAGNOSTICS v_new = ROW_COUNT;
				END IF;
				INSERT INTO app.metric_counts AS m VALUES (p_c, v.period,
					v.start, v_process, v_kind, p_n, v_new)
				ON CONFLICT (collectivity_id, period, start, process_id,
					kind)
				DO UPDATE SET acts = m.acts + EXCLUDED.acts,
					people = m.people + EXCLUDED.people;
			END LOOP;
		END LOOP;
	END LOOP;
END
$$;

CREATE OR REPLACE FUNCTION app.metric_member(p_c uuid, p_kind text,
	p_at timestamptz)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v record;
BEGIN
	FOR v IN SELECT * FROM app.metric_periods_of(
			(p_at AT TIME ZONE 'Europe/Paris')::date) LOOP
		INSERT INTO app.metric_counts AS m VALUES (p_c, v.period, v.start,
			'00000000-0000-0000-0000-000000000000', p_kind, 1, 1)
		ON CONFLICT (collectivity_id, period, start, process_id, kind)
		DO UPDATE SET acts = m.acts + 1, people = m.people + 1;
	END LOOP;
END
$$;

-- As in 0008_metrics.sql, with the parts.
CREATE OR REPLACE FUNCTION app.metric_rebuild(p_c uuid)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	v_nil uuid := '00000000-0000-0000-0000-000000000000';
	v_n bigint;
BEGIN
	PERFORM set_config('app.collectivity_id', p_c::text, true);
	DELETE FROM app.metric_people WHERE collectivity_id = p_c;
	DELETE FROM app.metric_counts WHERE collectivity_id = p_c;
	DELETE FROM app.metric_answer_delays WHERE collectivity_id = p_c;
	DELETE FROM app.metric_ballot_sync WHERE collectivity_id = p_c;
	CREATE TEMP TABLE metric_acts_tmp ON COMMIT DROP AS
	WITH acts (process_id, kind, account_id, at) AS (
		SELECT q.process_id, 'response', p.account_id,
			coalesce((SELECT min(r.submitted_at) FROM app.responses r
				WHERE r.collectivity_id = p_c
				  AND r.consultation_id = p.consultation_id
				  AND r.account_id = p.account_id), now())
		FROM app.consultation_participants p
		JOIN app.consultations q ON q.collectivity_id = p_c
			AND q.id = p.consultation_id
		WHERE p.collectivity_id = p_c
		UNION ALL
		SELECT process_id, 'proposal', author_id, published_at
		FROM app.proposals
		WHERE collectivity_id = p_c AND published_at IS NOT NULL
		UNION ALL
		SELECT process_id, 'support', account_id, created_at
		FROM app.supports WHERE collectivity_id = p_c
		UNION ALL
		SELECT process_id, 'comment', author_id, created_at
		FROM app.comments WHERE collectivity_id = p_c
	)
	SELECT a.process_id, a.kind, a.account_id, v.period, v.start
	FROM acts a CROSS JOIN LATERAL app.metric_periods_of(
		(a.at AT TIME ZONE 'Europe/Paris')::date) v;
	SELECT count(*) INTO v_n FROM metric_acts_tmp WHERE period = 'week';
	INSERT INTO app.metric_counts (collectivity_id, period, start,
		process_id, kind, acts, people)
	SELECT p_c, period, start, coalesce(process_id, v_nil),
		coalesce(kind, 'any'), count(*), count(DISTINCT account_id)
	FROM metric_acts_tmp
	GROUP BY period, start,
		GROUPING SETS ((process_id, kind), (process_id), (kind), ())
	HAVING period <> 'part' OR GROUPING(process_id) = 1;
	INSERT INTO app.metric_people
	SELECT DISTINCT p_c, t.period, t.start, x.process_id, x.kind,
		t.account_id
	FROM metric_acts_tmp t
	CROSS JOIN LATERAL (VALUES (t.process_id, t.kind),
		(t.process_id, 'any'), (v_nil, t.kind), (v_nil, 'any'))
		AS x (process_id, kind)
	WHERE t.account_id IS NOT NULL
	  AND (t.period <> 'part' OR x.process_id = v_nil);
	DROP TABLE metric_acts_tmp;
	PERFORM app.metric_ballots_sync(p_c, id)
	FROM app.elections WHERE collectivity_id = p_c;
	v_n := v_n + (SELECT count(*) FROM app.election_log
		WHERE collectivity_id = p_c AND kind = 'ballot');
	PERFORM app.metric_member(p_c, 'member', joined_at)
	FROM app.members WHERE collectivity_id = p_c;
	PERFORM app.metric_member(p_c, 'verified', verified_at)
	FROM app.members WHERE collectivity_id = p_c AND verified_at IS NOT NULL;
	PERFORM app.metric_answer(p_c, process_id, published_at, answered_at)
	FROM app.proposals
	WHERE collectivity_id = p_c AND published_at IS NOT NULL
	  AND answered_at IS NOT NULL;
	PERFORM app.metric_phases_of(p_c, id)
	FROM app.processes WHERE collectivity_id = p_c;
	RETURN v_n;
END
$$;
REVOKE EXECUTE ON FUNCTION app.metric_rebuild(uuid) FROM PUBLIC;

-- The parts of what was there before this migration.
SELECT app.metric_rebuild(id) FROM app.collectivities;

-- Snapshots made before blocks: every month is published again with its
-- weeks (api.metric_snapshot_next takes a provisional month), the weeks
-- published on their own withdrawn until then. What was public stays
-- comparable with what replaces it (docs/suppression.md § 6).
UPDATE app.metric_snapshots SET provisional = true WHERE period = 'month';
DELETE FROM app.metric_snapshots WHERE period = 'week';
