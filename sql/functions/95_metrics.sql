-- Participation metrics (docs/metrics.md), read from the rollups of
-- 0008_metrics.sql. These functions return raw figures, people counts
-- included, to the server only: it suppresses small cells (lib/suppress.c,
-- docs/suppression.md) before anything is sent.

-- The nil uuid: "every process" in the metric counters.
CREATE OR REPLACE FUNCTION api.nil_uuid()
RETURNS uuid
LANGUAGE sql IMMUTABLE AS $$
	SELECT '00000000-0000-0000-0000-000000000000'::uuid
$$;

-- The period starts of a request: p_period 'week' or 'month', p_from and
-- p_to dates snapped to their period's start (defaults: the last 12
-- periods up to today); at most 260 periods. 422 naming the parameter.
CREATE OR REPLACE FUNCTION api.metric_periods(p_period text, p_from text,
	p_to text)
RETURNS date[]
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_period text := coalesce(p_period, 'month');
	v_to date;
	v_from date;
	v_step interval;
	v_out date[];
BEGIN
	IF v_period NOT IN ('week', 'month') THEN
		PERFORM api.invalid(api.field_error('period',
			'must be week or month'), 'invalid query parameter "period"');
	END IF;
	v_step := CASE v_period WHEN 'week' THEN interval '1 week'
		ELSE interval '1 month' END;
	IF p_to IS NOT NULL AND p_to !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
		PERFORM api.invalid(api.field_error('to', 'must be a date '
			'(YYYY-MM-DD)'), 'invalid query parameter "to"');
	END IF;
	IF p_from IS NOT NULL AND p_from !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
		PERFORM api.invalid(api.field_error('from', 'must be a date '
			'(YYYY-MM-DD)'), 'invalid query parameter "from"');
	END IF;
	BEGIN
		v_to := date_trunc(v_period, coalesce(p_to::date,
			(now() AT TIME ZONE 'Europe/Paris')::date))::date;
		v_from := date_trunc(v_period, coalesce(p_from::date,
			v_to - 11 * v_step))::date;
	EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
		PERFORM api.invalid(api.field_error(CASE WHEN p_from IS NOT NULL
			THEN 'from' ELSE 'to' END, 'is not a date'),
			'invalid query parameter');
	END;
	IF v_from > v_to THEN
		PERFORM api.invalid(api.field_error('from',
			'must not be after to'), 'invalid query parameter "from"');
	END IF;
	SELECT array_agg(d::date ORDER BY d) INTO v_out
	FROM generate_series(v_from, v_to, v_step) d;
	IF cardinality(v_out) > 260 THEN
		PERFORM api.invalid(api.field_error('from',
			'at most 260 periods in one request'),
			'invalid query parameter "from"');
	END IF;
	RETURN v_out;
END
$$;

-- The raw figures of collectivity c, period by period (p_starts), for
-- process p (NULL: all): one JSON object the server suppresses.
CREATE OR REPLACE FUNCTION api.metric_rows(c app.collectivities,
	p_period text, p_starts date[], p_process uuid)
RETURNS json
LANGUAGE sql STABLE AS $$
	WITH s AS (
		SELECT d AS start, (d + CASE p_period WHEN 'week'
			THEN interval '1 week' ELSE interval '1 month' END)::date
			AS stop
		FROM unnest(p_starts) d
	), bounds AS (
		SELECT s.start, s.stop,
			(s.start::timestamp AT TIME ZONE 'Europe/Paris') AS t0,
			(s.stop::timestamp AT TIME ZONE 'Europe/Paris') AS t1
		FROM s
	)
	SELECT json_build_object('period', p_period,
		'population', c.population,
		'rows', coalesce(json_agg(json_build_object(
			'start', b.start,
			'people', (SELECT coalesce(json_object_agg(m.kind, m.people)
					FILTER (WHERE m.kind NOT IN ('member', 'verified')),
					'{}')
				FROM app.metric_counts m
				WHERE m.collectivity_id = c.id AND m.period = p_period
				  AND m.start = b.start
				  AND m.process_id = coalesce(p_process, api.nil_uuid())),
			'acts', (SELECT coalesce(json_object_agg(m.kind, m.acts)
					FILTER (WHERE m.kind NOT IN ('member', 'verified')),
					'{}')
				FROM app.metric_counts m
				WHERE m.collectivity_id = c.id AND m.period = p_period
				  AND m.start = b.start
				  AND m.process_id = coalesce(p_process, api.nil_uuid())),
			'new_accounts', (SELECT coalesce(sum(m.people), 0)
				FROM app.metric_counts m
				WHERE m.collectivity_id = c.id AND m.period = p_period
				  AND m.start = b.start AND p_process IS NULL
				  AND m.process_id = api.nil_uuid() AND m.kind = 'member'),
			'verified_new', (SELECT coalesce(sum(m.people), 0)
				FROM app.metric_counts m
				WHERE m.collectivity_id = c.id AND m.period = p_period
				  AND m.start = b.start AND p_process IS NULL
				  AND m.process_id = api.nil_uuid()
				  AND m.kind = 'verified'),
			'verified_total', (SELECT coalesce(sum(m.people), 0)
				FROM app.metric_counts m
				WHERE m.collectivity_id = c.id AND m.period = p_period
				  AND m.start <= b.start AND p_process IS NULL
				  AND m.process_id = api.nil_uuid()
				  AND m.kind = 'verified'),
			'processes', (SELECT json_build_object('all',
					count(DISTINCT ph.process_id),
					'by_phase', coalesce((SELECT json_object_agg(k, n)
						FROM (SELECT ph2.kind AS k,
							count(DISTINCT ph2.process_id) AS n
						FROM app.process_phases ph2
						JOIN app.processes p2
							ON p2.collectivity_id = ph2.collectivity_id
							AND p2.id = ph2.process_id
						WHERE ph2.collectivity_id = c.id
						  AND p2.status = 'published'
						  AND (p_process IS NULL OR p2.id = p_process)
						  AND ph2.starts_at < b.t1
						  AND coalesce(ph2.closed_at, ph2.ends_at) > b.t0
						GROUP BY ph2.kind) x), '{}'))
				FROM app.process_phases ph
				JOIN app.processes p ON p.collectivity_id = ph.collectivity_id
					AND p.id = ph.process_id
				WHERE ph.collectivity_id = c.id AND p.status = 'published'
				  AND (p_process IS NULL OR p.id = p_process)
				  AND ph.starts_at < b.t1
				  AND coalesce(ph.closed_at, ph.ends_at) > b.t0),
			'proposals', (SELECT json_build_object(
					'published', count(*) FILTER (WHERE pr.published_at
						>= b.t0 AND pr.published_at < b.t1),
					'answered', count(*) FILTER (WHERE pr.published_at
						>= b.t0 AND pr.published_at < b.t1
						AND pr.answered_at IS NOT NULL),
					'authors', count(DISTINCT pr.author_id) FILTER (
						WHERE pr.published_at >= b.t0
						AND pr.published_at < b.t1),
					'answers_in_period', count(*) FILTER (WHERE
						pr.answered_at >= b.t0 AND pr.answered_at < b.t1),
					'median_answer_days', round((percentile_cont(0.5)
						WITHIN GROUP (ORDER BY extract(epoch FROM
							pr.answered_at - pr.published_at) / 86400)
						FILTER (WHERE pr.answered_at >= b.t0
							AND pr.answered_at < b.t1))::numeric, 1))
				FROM app.proposals pr
				WHERE pr.collectivity_id = c.id
				  AND pr.published_at IS NOT NULL
				  AND (p_process IS NULL OR pr.process_id = p_process)
				  AND (pr.published_at < b.t1)
				  AND (pr.published_at >= b.t0 OR pr.answered_at >= b.t0)))
			ORDER BY b.start), '[]'))
	FROM bounds b
$$;

-- GET /v1/collectivities/{cid}/metrics?period=&from=&to=&process=: the
-- collectivity's admins (and platform administrators). Raw: the server
-- suppresses it.
CREATE OR REPLACE FUNCTION api.metrics_collectivity(p_token_hash text,
	p_slug text, p_period text, p_from text, p_to text, p_process text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_p app.processes;
	v_starts date[];
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	v_starts := api.metric_periods(p_period, p_from, p_to);
	IF p_process IS NOT NULL THEN
		v_p := api.process_find(v_c, v_acc, p_process);
	END IF;
	RETURN (api.metric_rows(v_c, coalesce(p_period, 'month'), v_starts,
		v_p.id)::jsonb || jsonb_build_object('collectivity', v_c.slug,
		'process_id', v_p.id))::text;
END
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA api TO participe_app;
