-- Open data (docs/opendata.md): a collectivity's published processes,
-- proposals (nothing about their authors), official answers, published
-- consultation results and counted election results, as flat rows with a
-- fixed, documented set of columns, in CSV (RFC 4180) or JSON.

-- The columns of a dataset, in order; NULL for an unknown dataset.
CREATE OR REPLACE FUNCTION api.opendata_columns(p_dataset text)
RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE p_dataset
	WHEN 'processes' THEN ARRAY['process_id', 'title', 'description',
		'area', 'published_at', 'information_start', 'information_end',
		'proposals_start', 'proposals_end', 'review_start', 'review_end',
		'vote_start', 'vote_end', 'results_start', 'results_end']
	WHEN 'proposals' THEN ARRAY['proposal_id', 'process_id', 'title',
		'body', 'category', 'area', 'state', 'estimated_cost', 'supports',
		'comments', 'published_at', 'answered_at']
	WHEN 'answers' THEN ARRAY['proposal_id', 'process_id', 'state',
		'answer', 'answer_cost', 'answered_at']
	WHEN 'consultations' THEN ARRAY['consultation_id', 'process_id',
		'consultation_title', 'responses', 'question_id', 'question_title',
		'question_type', 'answered', 'option_id', 'option_label', 'count',
		'share', 'borda', 'mean', 'median']
	WHEN 'elections' THEN ARRAY['election_id', 'process_id',
		'election_title', 'closed_at', 'ballots', 'question_id',
		'question_text', 'option_id', 'option_label', 'total', 'winner',
		'selected']
	END
$$;

-- The rows of a dataset of collectivity c, as flat JSON objects, in a
-- stable order.
CREATE OR REPLACE FUNCTION api.opendata_rows(c app.collectivities,
	p_dataset text)
RETURNS SETOF jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF p_dataset = 'processes' THEN
		RETURN QUERY
		SELECT jsonb_build_object('process_id', p.id, 'title', p.title,
			'description', p.description, 'area', a.slug,
			'published_at', p.published_at)
			|| coalesce((SELECT jsonb_object_agg(ph.kind || '_start',
					ph.starts_at) || jsonb_object_agg(ph.kind || '_end',
					coalesce(ph.closed_at, ph.ends_at))
				FROM app.process_phases ph
				WHERE ph.collectivity_id = c.id AND ph.process_id = p.id),
				'{}')
		FROM app.processes p
		LEFT JOIN app.areas a ON a.collectivity_id = c.id AND a.id = p.area_id
		WHERE p.collectivity_id = c.id AND p.status = 'published'
		ORDER BY p.published_at, p.id;
	ELSIF p_dataset IN ('proposals', 'answers') THEN
		RETURN QUERY
		SELECT CASE p_dataset WHEN 'proposals' THEN jsonb_build_object(
				'proposal_id', pr.id, 'process_id', pr.process_id,
				'title', pr.title, 'body', pr.body,
				'category', pr.category, 'area', a.slug,
				'state', pr.state, 'estimated_cost', pr.estimated_cost,
				'supports', pr.supports, 'comments', pr.comments,
				'published_at', pr.published_at,
				'answered_at', pr.answered_at)
			ELSE jsonb_build_object('proposal_id', pr.id,
				'process_id', pr.process_id, 'state', pr.state,
				'answer', pr.answer, 'answer_cost', pr.answer_cost,
				'answered_at', pr.answered_at) END
		FROM app.proposals pr
		JOIN app.processes p ON p.collectivity_id = c.id
			AND p.id = pr.process_id AND p.status = 'published'
		LEFT JOIN app.areas a ON a.collectivity_id = c.id
			AND a.id = pr.area_id
		WHERE pr.collectivity_id = c.id AND pr.published_at IS NOT NULL
		  AND pr.hidden_at IS NULL
		  AND pr.state IN ('published', 'evaluating', 'accepted', 'rejected')
		  AND (p_dataset = 'proposals' OR pr.answered_at IS NOT NULL)
		ORDER BY pr.published_at, pr.id;
	ELSIF p_dataset = 'consultations' THEN
		-- Published results only, and no free text: counts per option,
		-- shares, Borda scores, means and medians (docs/processes.md).
		RETURN QUERY
		SELECT jsonb_build_object('consultation_id', q.id,
			'process_id', q.process_id, 'consultation_title', q.title,
			'responses', (SELECT count(*) FROM app.responses r
				WHERE r.collectivity_id = c.id
				  AND r.consultation_id = q.id),
			'question_id', res->>'id', 'question_title', res->>'title',
			'question_type', res->>'type', 'answered', res->'answered',
			'option_id', o->>'id', 'option_label', o->>'label',
			'count', o->'count', 'share', o->'share', 'borda', o->'borda',
			'mean', res->'mean', 'median', res->'median')
		FROM app.consultations q
		JOIN app.processes p ON p.collectivity_id = c.id
			AND p.id = q.process_id AND p.status = 'published'
		CROSS JOIN LATERAL jsonb_array_elements(q.questions)
			WITH ORDINALITY AS t (qe, qi)
		CROSS JOIN LATERAL api.question_result(q, qe, false) AS res
		LEFT JOIN LATERAL jsonb_array_elements(coalesce(res->'options',
			(SELECT jsonb_agg(jsonb_build_object('id', d->>'value',
				'label', d->>'value', 'count', d->'count'))
			FROM jsonb_array_elements(res->'distribution') d),
			'[null]')) WITH ORDINALITY AS u (o, oi) ON true
		WHERE q.collectivity_id = c.id
		  AND q.results_published_at IS NOT NULL
		  AND NOT res ? 'texts'
		ORDER BY q.results_published_at, q.id, qi, oi;
	ELSIF p_dataset = 'elections' THEN
		RETURN QUERY
		SELECT jsonb_build_object('election_id', e.id,
			'process_id', e.process_id, 'election_title', e.title,
			'closed_at', e.closed_at,
			'ballots', (e.result::jsonb)->'ballots',
			'question_id', dq->>'id', 'question_text', dq->>'text',
			'option_id', opt->>'id', 'option_label', opt->>'label',
			'total', rq->'totals'->(oi::int - 1),
			'winner', rq->'winners' ? (opt->>'id'),
			'selected', CASE WHEN rq ? 'outcome' THEN
				rq->'outcome'->'selected' ? (opt->>'id') END)
		FROM app.elections e
		JOIN app.processes p ON p.collectivity_id = c.id
			AND p.id = e.process_id AND p.status = 'published'
		CROSS JOIN LATERAL jsonb_array_elements(
			(e.descriptor::jsonb)->'questions') WITH ORDINALITY AS t (dq, qi)
		CROSS JOIN LATERAL (SELECT x FROM jsonb_array_elements(
				(e.result::jsonb)->'questions') x
			WHERE x->>'id' = dq->>'id') AS r (rq)
		CROSS JOIN LATERAL jsonb_array_elements(dq->'options')
			WITH ORDINALITY AS u (opt, oi)
		WHERE e.collectivity_id = c.id AND e.result IS NOT NULL
		ORDER BY e.closed_at, e.id, qi, oi;
	END IF;
END
$$;

-- GET /v1/collectivities/{cid}/opendata/{dataset}?format=csv|json:
-- public. CSV: a header row of the dataset's columns, then one row each,
-- CRLF line ends; JSON: an array of objects with exactly those members.
CREATE OR REPLACE FUNCTION api.opendata_get(p_token_hash text,
	p_slug text, p_dataset text, p_format text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account_opt(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_cols text[] := api.opendata_columns(p_dataset);
BEGIN
	IF v_cols IS NULL THEN
		RAISE EXCEPTION 'no dataset "%": processes, proposals, answers, '
			'consultations, elections', p_dataset USING ERRCODE = 'PT404';
	END IF;
	IF p_format = 'json' THEN
		RETURN (SELECT coalesce(jsonb_agg((SELECT jsonb_object_agg(k,
				coalesce(row_data->k, 'null'::jsonb))
				FROM unnest(v_cols) k)), '[]')
			FROM api.opendata_rows(v_c, p_dataset) row_data)::text;
	END IF;
	RETURN (SELECT array_to_string(v_cols, ',') || E'\r\n' ||
		coalesce(string_agg((SELECT string_agg(api.csv_field(
				row_data->>k), ',' ORDER BY i)
			FROM unnest(v_cols) WITH ORDINALITY AS t (k, i)), E'\r\n')
			|| E'\r\n', '')
		FROM api.opendata_rows(v_c, p_dataset) row_data);
END
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA api TO participe_app;
