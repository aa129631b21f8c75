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
	IF v_to > date_trunc(v_period, now() AT TIME ZONE 'Europe/Paris') THEN
		PERFORM api.invalid(api.field_error('to',
			'must not be after the current period'),
			'invalid query parameter "to"');
	END IF;
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

-- The raw figures of groups of collectivities, period by period: group
-- p_keys[i] holds collectivity p_ids[i] (labels p_labels[i]); p_process
-- limits them to one process (NULL: all). One JSON object the server
-- suppresses: {"period", "groups": [{"key", "label", "collectivities",
-- "population", "verified_total" (at the end of the last period), "rows":
-- [{"start", "people": {kind: n}, "acts": {kind: n}, "new_accounts",
-- "verified_new", "processes":
-- {"all", "by_phase": {kind: n}}, "proposals": {"published", "answered",
-- "answers", "median_answer_days"}}]}]}.
CREATE OR REPLACE FUNCTION api.metric_figures(p_period text,
	p_starts date[], p_ids uuid[], p_keys text[], p_labels text[],
	p_process uuid)
RETURNS json
LANGUAGE sql STABLE AS $$
	WITH g AS (
		SELECT DISTINCT ON (x.id) x.id, x.key, x.label
		FROM unnest(p_ids, p_keys, p_labels) AS x (id, key, label)
	), gs AS (
		-- the population of a group with communes is theirs (an EPCI's or
		-- a département's is its communes' again)
		SELECT g.key, min(g.label) AS label, count(*) AS collectivities,
			CASE WHEN bool_or(c.kind = 'commune')
				THEN sum(c.population) FILTER (WHERE c.kind = 'commune')
				ELSE sum(c.population) END AS population
		FROM g JOIN app.collectivities c ON c.id = g.id
		GROUP BY g.key
	), s AS (
		SELECT d AS start, (d + CASE p_period WHEN 'week'
			THEN interval '1 week' ELSE interval '1 month' END)::date
			AS stop
		FROM unnest(p_starts) d
	), cntk AS (
		-- one pass over the counters: each kind's sums side by side
		SELECT g.key, m.start,
			json_build_object(
				'any', sum(m.people) FILTER (WHERE m.kind = 'any'),
				'response', sum(m.people) FILTER (WHERE m.kind = 'response'),
				'proposal', sum(m.people) FILTER (WHERE m.kind = 'proposal'),
				'support', sum(m.people) FILTER (WHERE m.kind = 'support'),
				'comment', sum(m.people) FILTER (WHERE m.kind = 'comment'),
				'ballot', sum(m.people) FILTER (WHERE m.kind = 'ballot'))
				AS people,
			json_build_object(
				'any', sum(m.acts) FILTER (WHERE m.kind = 'any'),
				'response', sum(m.acts) FILTER (WHERE m.kind = 'response'),
				'proposal', sum(m.acts) FILTER (WHERE m.kind = 'proposal'),
				'support', sum(m.acts) FILTER (WHERE m.kind = 'support'),
				'comment', sum(m.acts) FILTER (WHERE m.kind = 'comment'),
				'ballot', sum(m.acts) FILTER (WHERE m.kind = 'ballot'))
				AS acts,
			sum(m.people) FILTER (WHERE m.kind = 'member') AS newa,
			sum(m.people) FILTER (WHERE m.kind = 'verified') AS verif,
			sum(m.acts) FILTER (WHERE m.kind = 'proposal') AS published,
			sum(m.acts) FILTER (WHERE m.kind = 'answered') AS answered
		FROM app.metric_counts m JOIN g ON g.id = m.collectivity_id
		WHERE m.period = p_period AND m.start = ANY (p_starts)
		  AND m.process_id = coalesce(p_process, api.nil_uuid())
		GROUP BY g.key, m.start
	), stock AS (
		-- verified members at the end of the last period
		SELECT g.key, sum(m.people) AS total
		FROM app.metric_counts m JOIN g ON g.id = m.collectivity_id
		WHERE m.period = p_period AND m.kind = 'verified'
		  AND m.process_id = api.nil_uuid() AND p_process IS NULL
		  AND m.start <= (SELECT max(start) FROM s)
		GROUP BY g.key
	), phases AS (
		SELECT g.key, s.start, ph.kind,
			count(DISTINCT (ph.collectivity_id, ph.process_id)) AS n
		FROM s JOIN app.metric_phases ph
			ON ph.starts_at < (s.stop::timestamp AT TIME ZONE 'Europe/Paris')
			AND ph.ends_at > (s.start::timestamp AT TIME ZONE 'Europe/Paris')
		JOIN g ON g.id = ph.collectivity_id
		WHERE p_process IS NULL OR ph.process_id = p_process
		GROUP BY GROUPING SETS ((g.key, s.start, ph.kind), (g.key, s.start))
	), phasek AS (
		SELECT key, start, max(n) FILTER (WHERE kind IS NULL) AS all_n,
			json_object_agg(kind, n) FILTER (WHERE kind IS NOT NULL)
				AS by_phase
		FROM phases GROUP BY key, start
	), delays AS (
		SELECT g.key, d.start, d.days, sum(d.answers) AS n
		FROM app.metric_answer_delays d JOIN g ON g.id = d.collectivity_id
		WHERE d.period = p_period AND d.start = ANY (p_starts)
		  AND d.process_id = coalesce(p_process, api.nil_uuid())
		GROUP BY g.key, d.start, d.days
	), cum AS (
		SELECT key, start, days, n,
			(sum(n) OVER (PARTITION BY key, start ORDER BY days))::bigint
				AS upto,
			(sum(n) OVER (PARTITION BY key, start))::bigint AS total
		FROM delays
	), median AS (
		-- the (n+1)/2-th delay, or the mean of the n/2-th and next
		SELECT key, start, max(total) AS answers,
			(min(days) FILTER (WHERE upto >= (total + 1) / 2)
			 + min(days) FILTER (WHERE upto >= total / 2 + 1))::numeric / 2
				AS days
		FROM cum GROUP BY key, start
	), rows AS (
		SELECT gs.key, json_agg(json_build_object('start', s.start,
			'people', coalesce(c.people, '{}'),
			'acts', coalesce(c.acts, '{}'),
			'new_accounts', CASE WHEN p_process IS NULL
				THEN coalesce(c.newa, 0) END,
			'verified_new', CASE WHEN p_process IS NULL
				THEN coalesce(c.verif, 0) END,
			'processes', json_build_object('all', coalesce(ph.all_n, 0),
				'by_phase', coalesce(ph.by_phase, '{}')),
			'proposals', json_build_object(
				'published', coalesce(c.published, 0),
				'answered', coalesce(c.answered, 0),
				'answers', coalesce(md.answers, 0),
				'median_answer_days', round(md.days, 1)))
			ORDER BY s.start) AS rows
		FROM gs CROSS JOIN s
		LEFT JOIN cntk c ON c.key = gs.key AND c.start = s.start
		LEFT JOIN phasek ph ON ph.key = gs.key AND ph.start = s.start
		LEFT JOIN median md ON md.key = gs.key AND md.start = s.start
		GROUP BY gs.key
	)
	SELECT json_build_object('period', p_period,
		'groups', coalesce((SELECT json_agg(json_build_object(
				'key', gs.key, 'label', gs.label,
				'collectivities', gs.collectivities,
				'population', gs.population,
				'verified_total', CASE WHEN p_process IS NULL
					THEN coalesce(st.total, 0) END,
				'rows', r.rows)
			ORDER BY gs.key)
			FROM gs JOIN rows r ON r.key = gs.key
			LEFT JOIN stock st ON st.key = gs.key), '[]'))
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
	RETURN (api.metric_figures(coalesce(p_period, 'month'), v_starts,
		ARRAY[v_c.id], ARRAY[v_c.slug], ARRAY[v_c.name], v_p.id)::jsonb
		|| jsonb_build_object('collectivity', v_c.slug,
		'process_id', v_p.id))::text;
END
$$;

-- The group key of collectivity c for a national roll-up p_by, and its
-- label; NULL for an unknown p_by.
CREATE OR REPLACE FUNCTION api.metric_group(c app.collectivities,
	p_by text, OUT key text, OUT label text)
LANGUAGE sql STABLE AS $$
	SELECT k, coalesce(l, k) FROM (SELECT CASE p_by
		WHEN 'all' THEN 'all'
		WHEN 'collectivity' THEN c.slug
		WHEN 'kind' THEN c.kind
		WHEN 'density' THEN coalesce(c.density_class::text, 'unknown')
		WHEN 'qpv' THEN CASE WHEN c.has_qpv THEN 'qpv' ELSE 'no-qpv' END
		WHEN 'departement' THEN coalesce(CASE WHEN c.kind = 'departement'
				THEN c.insee_code END,
			(SELECT d.insee_code FROM app.collectivities d
				WHERE d.id = c.departement_id), 'unknown')
		WHEN 'cohort' THEN coalesce(extract(year FROM c.joined_on)::text,
			'unknown')
		END AS k,
		CASE p_by WHEN 'all' THEN 'Programme'
			WHEN 'collectivity' THEN c.name
			WHEN 'departement' THEN coalesce(CASE WHEN c.kind = 'departement'
					THEN c.name END,
				(SELECT d.name FROM app.collectivities d
					WHERE d.id = c.departement_id))
			END AS l) x
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA api TO participe_app;
