-- The published figures of closed periods (0009_metric_snapshots.sql,
-- docs/suppression.md "One pattern per period"): the input of a period's
-- snapshot, which the server protects across every grouping at once
-- (lib/metricsnap.c), its storing, and the views that read it.

-- The groupings a snapshot holds, in the order lib/metricsnap.c reads.
CREATE OR REPLACE FUNCTION api.metric_groupings()
RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY['collectivity', 'kind', 'density', 'qpv', 'departement',
		'cohort', 'all']
$$;

-- The first day after period p_period starting p_start.
CREATE OR REPLACE FUNCTION api.metric_period_end(p_period text,
	p_start date)
RETURNS date
LANGUAGE sql IMMUTABLE AS $$
	SELECT (p_start + CASE p_period WHEN 'week' THEN interval '1 week'
		ELSE interval '1 month' END)::date
$$;

-- Whether period p_period starting p_start is closed: ended, and a day of
-- grace past for late data, in Europe/Paris.
CREATE OR REPLACE FUNCTION api.metric_period_closed(p_period text,
	p_start date)
RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT api.metric_period_end(p_period, p_start) + 1
		<= (now() AT TIME ZONE 'Europe/Paris')::date
$$;

-- The raw figures of every collectivity and every group of every grouping
-- for one period, with each group's members: lib/metricsnap.c's input.
-- Raw (people counts included): for the server only.
CREATE OR REPLACE FUNCTION api.metric_snapshot_input(p_period text,
	p_start date)
RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_by text;
	v_ids uuid[];
	v_keys text[];
	v_labels text[];
	v_members jsonb;
	v_out jsonb := '{}';
BEGIN
	IF NOT EXISTS (SELECT 1 FROM app.collectivities) THEN
		RETURN NULL;
	END IF;
	FOREACH v_by IN ARRAY api.metric_groupings() LOOP
		WITH cg AS (
			SELECT c.id, c.slug, g.key, g.label
			FROM app.collectivities c, LATERAL api.metric_group(c, v_by) g
		)
		SELECT array_agg(id ORDER BY id), array_agg(key ORDER BY id),
			array_agg(label ORDER BY id),
			(SELECT jsonb_object_agg(key, m) FROM (SELECT key,
				jsonb_agg(slug ORDER BY slug) AS m FROM cg GROUP BY key) x)
		INTO v_ids, v_keys, v_labels, v_members
		FROM cg;
		v_out := v_out || jsonb_build_object(v_by, jsonb_build_object(
			'groups', (SELECT jsonb_agg(CASE WHEN v_by = 'collectivity'
					THEN gr ELSE gr || jsonb_build_object('members',
						v_members -> (gr ->> 'key')) END
					ORDER BY gr ->> 'key')
				FROM jsonb_array_elements(api.metric_figures(p_period,
					ARRAY[p_start], v_ids, v_keys, v_labels, NULL)::jsonb
					-> 'groups') gr)));
	END LOOP;
	-- provisional as read: a period that closes before its figures are
	-- stored is still published from an open period's figures
	RETURN jsonb_build_object('period', p_period, 'start', p_start,
		'provisional', NOT api.metric_period_closed(p_period, p_start),
		'groupings', v_out)::text;
END
$$;

-- The month whose block holds period p_period starting p_start: a week
-- is published with the month of its Sunday (docs/suppression.md, "Weeks
-- and months").
CREATE OR REPLACE FUNCTION api.metric_block_month(p_period text,
	p_start date)
RETURNS date
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE p_period WHEN 'week'
		THEN date_trunc('month', (p_start + 6)::timestamp)::date
		ELSE date_trunc('month', p_start::timestamp)::date END
$$;

-- The raw parts (period 'part') of every collectivity starting p_start,
-- as api.metric_figures' groups, ordered as api.metric_snapshot_input
-- orders collectivities.
CREATE OR REPLACE FUNCTION api.metric_part_groups(p_start date)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT (SELECT jsonb_agg(gr ORDER BY gr ->> 'key')
		FROM jsonb_array_elements(api.metric_figures('part',
			ARRAY[p_start], x.ids, x.keys, x.keys, NULL)::jsonb
			-> 'groups') gr)
	FROM (SELECT array_agg(id ORDER BY id) AS ids,
		array_agg(slug ORDER BY id) AS keys FROM app.collectivities) x
$$;

-- The input of the block of period p_period starting p_start, for
-- lib/metricsnap.c: its month and the weeks whose Sunday is in it, each
-- as api.metric_snapshot_input, and the parts of the weeks across the
-- month's bounds: the first week's days before the month and in it, the
-- days in it of the week after. NULL when there is no collectivity.
CREATE OR REPLACE FUNCTION api.metric_block_input(p_period text,
	p_start date)
RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_month date := api.metric_block_month(p_period, p_start);
	v_last date := api.metric_period_end('month', v_month) - 1;
	v_first date := date_trunc('week', v_month)::date;
	v_tail date := date_trunc('week', v_last)::date;
	v_periods jsonb;
	v_parts jsonb := '{}';
BEGIN
	IF NOT EXISTS (SELECT 1 FROM app.collectivities) THEN
		RETURN NULL;
	END IF;
	-- a block is provisional, all its periods with it, until its month
	-- has closed: it is then published again, whole
	SELECT jsonb_agg(api.metric_snapshot_input(x.period, x.start)::jsonb
		|| jsonb_build_object('provisional',
			NOT api.metric_period_closed('month', v_month))
		ORDER BY x.period = 'week', x.start)
	INTO v_periods
	FROM (SELECT 'month' AS period, v_month AS start
		UNION ALL
		SELECT 'week', w::date FROM generate_series(v_first, v_last - 6,
			interval '1 week') w) x;
	IF v_first < v_month THEN
		v_parts := v_parts || jsonb_build_object(
			'head_out', api.metric_part_groups(v_first),
			'head_in', api.metric_part_groups(v_month));
	END IF;
	IF v_tail + 6 > v_last THEN
		v_parts := v_parts || jsonb_build_object(
			'tail_in', api.metric_part_groups(v_tail));
	END IF;
	RETURN jsonb_build_object('period', 'month', 'start', v_month,
		'provisional', NOT api.metric_period_closed('month', v_month),
		'periods', v_periods, 'parts', v_parts)::text;
END
$$;

-- The next block to publish: the latest closed month, since the first
-- one with any figure, that has no snapshot or only a provisional one
-- (published before it closed), and whose protection has not failed in
-- the last day; its block's input (api.metric_block_input), or NULL when
-- there is none. A month and the weeks whose Sunday is in it are
-- published together, when the month closes.
CREATE OR REPLACE FUNCTION api.metric_snapshot_next()
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT api.metric_block_input('month', due.start)
	FROM (SELECT s::date AS start
		FROM (SELECT min(m.start) AS first FROM app.metric_counts m
			WHERE m.period = 'month'
			  AND m.process_id = api.nil_uuid()) f,
		LATERAL generate_series(f.first,
			date_trunc('month', now() AT TIME ZONE 'Europe/Paris'),
			interval '1 month') s
		WHERE f.first IS NOT NULL
		  AND api.metric_period_closed('month', s::date)
		  AND NOT EXISTS (SELECT 1 FROM app.metric_snapshots n
			WHERE n.period = 'month' AND n.start = s::date
			  AND NOT n.provisional)
		  AND NOT EXISTS (SELECT 1 FROM app.metric_snapshot_failures x
			WHERE x.period = 'month' AND x.start = s::date
			  AND x.failed_at > now() - interval '1 day')
		ORDER BY s DESC
		LIMIT 1) due
$$;

-- Stores a period's published rows (lib/metricsnap.c's output), or a
-- block's ({"snapshots": [each period's]}), replacing any earlier
-- snapshot of each whole; provisional when the period was not closed
-- when its figures were read. Two stores of one period (the server's job
-- and an operator) take turns.
CREATE OR REPLACE FUNCTION api.metric_snapshot_store(p_out text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v jsonb := p_out::jsonb;
	v_period text := v ->> 'period';
	v_start date := (v ->> 'start')::date;
	v_one jsonb;
BEGIN
	IF v ? 'snapshots' THEN
		FOR v_one IN SELECT * FROM jsonb_array_elements(v -> 'snapshots')
		LOOP
			PERFORM api.metric_snapshot_store(v_one::text);
		END LOOP;
		RETURN;
	END IF;
	PERFORM pg_advisory_xact_lock(hashtext('metric_snapshot'),
		hashtext(v_period || v_start));
	DELETE FROM app.metric_snapshots
	WHERE period = v_period AND start = v_start;
	DELETE FROM app.metric_snapshot_failures
	WHERE period = v_period AND start = v_start;
	INSERT INTO app.metric_snapshots (period, start, threshold, withheld,
		provisional)
	VALUES (v_period, v_start, (v ->> 'threshold')::integer,
		(v ->> 'withheld')::integer,
		coalesce((v ->> 'provisional')::boolean,
			NOT api.metric_period_closed(v_period, v_start)));
	INSERT INTO app.metric_published (period, start, by, key, label,
		collectivities, population, figures)
	SELECT v_period, v_start, r ->> 'by', r ->> 'key', r ->> 'label',
		(r ->> 'collectivities')::integer, (r ->> 'population')::bigint,
		r -> 'row'
	FROM jsonb_array_elements(v -> 'rows') r;
END
$$;

-- Records that period p_period starting p_start could not be protected
-- (p_reason): api.metric_snapshot_next skips it for a day.
CREATE OR REPLACE FUNCTION api.metric_snapshot_failed(p_period text,
	p_start date, p_reason text)
RETURNS void
LANGUAGE sql AS $$
	INSERT INTO app.metric_snapshot_failures (period, start, reason)
	VALUES (p_period, p_start, p_reason)
	ON CONFLICT (period, start) DO UPDATE
	SET failed_at = now(), reason = excluded.reason
$$;

-- The published figures of grouping p_by (one key, or all when p_key is
-- NULL) over periods p_starts: the metrics API's object, already
-- protected. "unpublished" lists the periods asked for that have no
-- snapshot yet (the current one, or closed ones not yet computed).
CREATE OR REPLACE FUNCTION api.metric_published_view(p_period text,
	p_starts date[], p_by text, p_key text)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
	WITH pub AS (
		SELECT p.* FROM app.metric_published p
		WHERE p.by = p_by AND p.period = p_period
		  AND p.start = ANY (p_starts) AND (p_key IS NULL OR p.key = p_key)
	), byk AS (
		-- one pass: each group's rows, and its latest name and size
		SELECT key, jsonb_agg(figures ORDER BY start) AS rows,
			(array_agg(label ORDER BY start DESC))[1] AS label,
			(array_agg(collectivities ORDER BY start DESC))[1]
				AS collectivities,
			(array_agg(population ORDER BY start DESC))[1] AS population
		FROM pub GROUP BY key
	)
	SELECT jsonb_build_object('period', p_period, 'published', true,
		'suppression', jsonb_build_object('threshold',
			coalesce((SELECT max(n.threshold) FROM app.metric_snapshots n
				WHERE n.period = p_period AND n.start = ANY (p_starts)), 11)),
		'provisional', coalesce((SELECT jsonb_agg(n.start ORDER BY n.start)
			FROM app.metric_snapshots n WHERE n.period = p_period
			AND n.start = ANY (p_starts) AND n.provisional), '[]'),
		'unpublished', coalesce((SELECT jsonb_agg(d ORDER BY d)
			FROM unnest(p_starts) d WHERE NOT EXISTS (SELECT 1
				FROM app.metric_snapshots n
				WHERE n.period = p_period AND n.start = d)), '[]'),
		'groups', coalesce((SELECT jsonb_agg(jsonb_build_object(
				'key', l.key, 'label', l.label,
				'collectivities', l.collectivities,
				'population', l.population, 'rows', l.rows)
			ORDER BY l.key) FROM byk l), '[]'))
$$;

-- GET /v1/collectivities/{cid}/metrics/public?period=&from=&to=: anyone;
-- the collectivity's published figures, all processes together, from
-- the periods' snapshots.
CREATE OR REPLACE FUNCTION api.metrics_public(p_token_hash text,
	p_slug text, p_period text, p_from text, p_to text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account_opt(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_starts date[] := api.metric_periods(p_period, p_from, p_to);
BEGIN
	PERFORM v_acc;
	RETURN (api.metric_published_view(coalesce(p_period, 'month'),
		v_starts, 'collectivity', v_c.slug)
		|| jsonb_build_object('collectivity', v_c.slug))::text;
END
$$;

-- GET /v1/metrics?by=&period=&from=&to=: the ANCT role (and platform
-- administrators): every collectivity's published figures, or their
-- roll-up by kind, density class, QPV presence, département or cohort,
-- or the whole programme (by=all, the default), from the periods'
-- snapshots.
CREATE OR REPLACE FUNCTION api.metrics_national(p_token_hash text,
	p_by text, p_period text, p_from text, p_to text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_by text := coalesce(p_by, 'all');
	v_starts date[];
BEGIN
	IF NOT (v_acc.is_anct OR v_acc.is_platform_admin) THEN
		RAISE EXCEPTION 'national metrics need the anct role'
			USING ERRCODE = 'PT403';
	END IF;
	IF v_by <> ALL (api.metric_groupings()) THEN
		PERFORM api.invalid(api.field_error('by', 'must be all, '
			'collectivity, kind, density, qpv, departement or cohort'),
			'invalid query parameter "by"');
	END IF;
	v_starts := api.metric_periods(p_period, p_from, p_to);
	RETURN (api.metric_published_view(coalesce(p_period, 'month'),
		v_starts, v_by, NULL) || jsonb_build_object('by', v_by))::text;
END
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA api TO participe_app;
