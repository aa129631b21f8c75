-- Consultations (surveys) of a process: definitions (checked by
-- lib/survey.c before they arrive), responses, results, exports.
-- See docs/processes.md.

-- upcoming, open or closed: open while the process is published and the
-- consultation's phase is going on.
CREATE OR REPLACE FUNCTION api.consultation_state(q app.consultations)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE
		WHEN ph.kind IS NULL OR p.status <> 'published' THEN 'upcoming'
		WHEN now() < ph.starts_at THEN 'upcoming'
		WHEN now() < coalesce(ph.closed_at, ph.ends_at) THEN 'open'
		ELSE 'closed' END
	FROM app.processes p
	LEFT JOIN app.process_phases ph ON ph.collectivity_id = p.collectivity_id
		AND ph.process_id = p.id AND ph.kind = q.phase
	WHERE p.collectivity_id = q.collectivity_id AND p.id = q.process_id
$$;

CREATE OR REPLACE FUNCTION api.consultation_json(q app.consultations)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', q.id, 'process_id', q.process_id,
		'phase', q.phase, 'title', q.title, 'description', q.description,
		'questions', q.questions, 'allow_changes', q.allow_changes,
		'anonymous', q.anonymous, 'state', api.consultation_state(q),
		'results_published', q.results_published_at IS NOT NULL,
		'results_published_at', q.results_published_at,
		'created_at', q.created_at, 'updated_at', q.updated_at)
$$;

-- The consultation, if the caller may see its process; 404 else.
CREATE OR REPLACE FUNCTION api.consultation_find(p_c app.collectivities,
	p_acc app.accounts, p_qid text, OUT q app.consultations,
	OUT p app.processes)
LANGUAGE plpgsql STABLE AS $$
BEGIN
	SELECT * INTO q FROM app.consultations
	WHERE collectivity_id = p_c.id AND id = api.uuid_or_null(p_qid);
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no consultation "%" in collectivity "%"', p_qid,
			p_c.slug USING ERRCODE = 'PT404';
	END IF;
	SELECT * INTO p FROM app.processes
	WHERE collectivity_id = p_c.id AND id = q.process_id;
	IF p.status <> 'published' AND NOT api.is_staff(p_c, p_acc) THEN
		RAISE EXCEPTION 'no consultation "%" in collectivity "%"', p_qid,
			p_c.slug USING ERRCODE = 'PT404';
	END IF;
END
$$;

-- POST /v1/collectivities/{cid}/processes/{pid}/consultations
CREATE OR REPLACE FUNCTION api.consultation_create(p_token_hash text,
	p_slug text, p_pid text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_p app.processes;
	v_q app.consultations;
BEGIN
	-- The object first: another collectivity's process or consultation is
	-- "not found" to anyone here, whatever their role (the isolation
	-- matrix relies on it). Likewise below.
	v_p := api.process_find(v_c, v_acc, p_pid);
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	IF api.phase_rank(p_body->>'phase') IS NULL THEN
		PERFORM api.invalid(api.field_error('phase', 'must be one of '
			'information, proposals, review, vote, results'));
	END IF;
	IF NOT EXISTS (SELECT 1 FROM app.process_phases WHERE collectivity_id =
			v_c.id AND process_id = v_p.id AND kind = p_body->>'phase') THEN
		PERFORM api.invalid(api.field_error('phase', format(
			'the process has no phase "%s"', p_body->>'phase')));
	END IF;
	IF coalesce((p_body->>'anonymous')::boolean, false)
			AND coalesce((p_body->>'allow_changes')::boolean, false) THEN
		PERFORM api.invalid(api.field_error('allow_changes',
			'must be false for an anonymous consultation: an anonymous '
			'response cannot be found again to be changed'));
	END IF;
	INSERT INTO app.consultations (collectivity_id, process_id, phase, title,
		description, questions, allow_changes, anonymous)
	VALUES (v_c.id, v_p.id, p_body->>'phase', p_body->>'title',
		coalesce(p_body->>'description', ''), p_body->'questions',
		coalesce((p_body->>'allow_changes')::boolean, false),
		coalesce((p_body->>'anonymous')::boolean, false))
	RETURNING * INTO v_q;
	PERFORM api.audit(v_c.id, v_acc.id, 'consultation.create',
		'consultation', v_q.id::text, NULL,
		jsonb_build_object('process', v_p.id, 'title', v_q.title));
	RETURN api.consultation_json(v_q)::text;
END
$$;

-- GET /v1/collectivities/{cid}/consultations/{qid}
CREATE OR REPLACE FUNCTION api.consultation_get(p_token_hash text,
	p_slug text, p_qid text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account_opt(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
BEGIN
	RETURN api.consultation_json((api.consultation_find(v_c, v_acc,
		p_qid)).q)::text;
END
$$;

-- PATCH /v1/collectivities/{cid}/consultations/{qid}: questions and the
-- response options only until the first response.
CREATE OR REPLACE FUNCTION api.consultation_update(p_token_hash text,
	p_slug text, p_qid text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_q app.consultations;
	v_anon boolean;
	v_changes boolean;
BEGIN
	v_q := (api.consultation_find(v_c, v_acc, p_qid)).q;
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	IF (p_body ? 'questions' OR p_body ? 'anonymous'
			OR p_body ? 'allow_changes') AND EXISTS (SELECT 1
			FROM app.consultation_participants WHERE collectivity_id = v_c.id
			  AND consultation_id = v_q.id) THEN
		RAISE EXCEPTION 'the questions and response options cannot change '
			'once someone has answered' USING ERRCODE = 'PT409';
	END IF;
	v_anon := coalesce((p_body->>'anonymous')::boolean, v_q.anonymous);
	v_changes := coalesce((p_body->>'allow_changes')::boolean,
		v_q.allow_changes);
	IF v_anon AND v_changes THEN
		PERFORM api.invalid(api.field_error('allow_changes',
			'must be false for an anonymous consultation'));
	END IF;
	UPDATE app.consultations SET title = coalesce(p_body->>'title', title),
		description = coalesce(p_body->>'description', description),
		questions = coalesce(p_body->'questions', questions),
		anonymous = v_anon, allow_changes = v_changes, updated_at = now()
	WHERE collectivity_id = v_c.id AND id = v_q.id
	RETURNING * INTO v_q;
	PERFORM api.audit(v_c.id, v_acc.id, 'consultation.update',
		'consultation', v_q.id::text, NULL, p_body - 'questions'
		- 'description');
	RETURN api.consultation_json(v_q)::text;
END
$$;

-- Responses ---------------------------------------------------------------

-- First step of answering: checks that the caller may answer now and
-- returns the questions (for lib/survey.c) and their version.
CREATE OR REPLACE FUNCTION api.response_begin(p_token_hash text,
	p_slug text, p_qid text)
RETURNS TABLE (questions text, version text)
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_f record;
BEGIN
	SELECT * INTO v_f FROM api.consultation_find(v_c, v_acc, p_qid);
	PERFORM api.response_allowed(v_c, v_f.q, v_f.p, v_acc);
	RETURN QUERY SELECT (v_f.q).questions::text,
		to_char((v_f.q).updated_at AT TIME ZONE 'UTC',
			'YYYY-MM-DD"T"HH24:MI:SS.US');
END
$$;

-- Open, allowed by the process's rule for "answer", and not answered
-- already unless changes are allowed.
CREATE OR REPLACE FUNCTION api.response_allowed(p_c app.collectivities,
	p_q app.consultations, p_p app.processes, p_acc app.accounts)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_state text := api.consultation_state(p_q);
BEGIN
	IF v_state <> 'open' THEN
		RAISE EXCEPTION 'consultation "%" is %: answers are taken only '
			'while it is open', p_q.id, v_state USING ERRCODE = 'PT409';
	END IF;
	PERFORM api.require_can_act(p_c, p_p, p_acc, 'answer');
	IF NOT p_q.allow_changes AND EXISTS (SELECT 1
			FROM app.consultation_participants WHERE collectivity_id = p_c.id
			  AND consultation_id = p_q.id AND account_id = p_acc.id) THEN
		RAISE EXCEPTION 'you have already answered this consultation, and '
			'answers cannot be changed' USING ERRCODE = 'PT409';
	END IF;
END
$$;

-- PUT /v1/collectivities/{cid}/consultations/{qid}/response, second step:
-- the answers were checked and normalized against the questions of
-- p_version. created tells 201 (first answer) from 200 (changed).
CREATE OR REPLACE FUNCTION api.response_put(p_token_hash text, p_slug text,
	p_qid text, p_version text, p_answers jsonb)
RETURNS TABLE (body text, created boolean)
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_f record;
	v_r app.responses;
	v_new boolean;
	v_old jsonb;
BEGIN
	SELECT * INTO v_f FROM api.consultation_find(v_c, v_acc, p_qid);
	IF to_char((v_f.q).updated_at AT TIME ZONE 'UTC',
			'YYYY-MM-DD"T"HH24:MI:SS.US') <> p_version THEN
		RAISE EXCEPTION 'the questions changed while you answered; '
			'reload them and answer again' USING ERRCODE = 'PT409';
	END IF;
	PERFORM api.response_allowed(v_c, v_f.q, v_f.p, v_acc);
	INSERT INTO app.consultation_participants (collectivity_id,
		consultation_id, account_id)
	VALUES (v_c.id, (v_f.q).id, v_acc.id)
	ON CONFLICT DO NOTHING;
	v_new := FOUND;
	IF (v_f.q).anonymous THEN
		IF NOT v_new THEN
			RAISE EXCEPTION 'you have already answered this consultation'
				USING ERRCODE = 'PT409';
		END IF;
		-- No account, and only the day: nothing links it to the person.
		INSERT INTO app.responses (collectivity_id, consultation_id,
			account_id, answers, submitted_at)
		VALUES (v_c.id, (v_f.q).id, NULL, p_answers, date_trunc('day', now()))
		RETURNING * INTO v_r;
		RETURN QUERY SELECT json_build_object('consultation_id', (v_f.q).id,
			'anonymous', true, 'answered', true,
			'submitted_at', v_r.submitted_at)::text, true;
		RETURN;
	END IF;
	SELECT answers INTO v_old FROM app.responses
	WHERE collectivity_id = v_c.id AND consultation_id = (v_f.q).id
	  AND account_id = v_acc.id;
	INSERT INTO app.responses (collectivity_id, consultation_id, account_id,
		answers, submitted_at)
	VALUES (v_c.id, (v_f.q).id, v_acc.id, p_answers, now())
	ON CONFLICT (collectivity_id, consultation_id, account_id) DO UPDATE
		SET answers = EXCLUDED.answers, updated_at = now()
	RETURNING * INTO v_r;
	-- A text the moderators hid stays hidden while it is unchanged; a new
	-- text is a new answer.
	DELETE FROM app.hidden_texts h
	WHERE h.collectivity_id = v_c.id AND h.consultation_id = (v_f.q).id
	  AND h.response_id = v_r.id
	  AND (v_old->h.question_id) IS DISTINCT FROM (p_answers->h.question_id);
	RETURN QUERY SELECT api.response_json(v_r)::text, v_new;
END
$$;

CREATE OR REPLACE FUNCTION api.response_json(r app.responses)
RETURNS json
LANGUAGE sql IMMUTABLE AS $$
	SELECT json_build_object('consultation_id', r.consultation_id,
		'id', r.id, 'answers', r.answers, 'submitted_at', r.submitted_at,
		'updated_at', r.updated_at)
$$;

-- GET /v1/collectivities/{cid}/consultations/{qid}/response: the caller's
-- own response; for an anonymous consultation only whether they answered.
CREATE OR REPLACE FUNCTION api.response_get(p_token_hash text, p_slug text,
	p_qid text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_q app.consultations := (api.consultation_find(v_c, v_acc, p_qid)).q;
	v_r app.responses;
BEGIN
	IF v_q.anonymous THEN
		IF EXISTS (SELECT 1 FROM app.consultation_participants
				WHERE collectivity_id = v_c.id AND consultation_id = v_q.id
				  AND account_id = v_acc.id) THEN
			RETURN json_build_object('consultation_id', v_q.id,
				'anonymous', true, 'answered', true,
				'submitted_at', NULL)::text;
		END IF;
	ELSE
		SELECT * INTO v_r FROM app.responses
		WHERE collectivity_id = v_c.id AND consultation_id = v_q.id
		  AND account_id = v_acc.id;
		IF FOUND THEN
			RETURN api.response_json(v_r)::text;
		END IF;
	END IF;
	RAISE EXCEPTION 'you have not answered consultation "%"', p_qid
		USING ERRCODE = 'PT404';
END
$$;

-- Results -----------------------------------------------------------------

-- The stored answers to one question (responses that answered it).
CREATE OR REPLACE FUNCTION api.answers_of(p_q app.consultations, p_id text)
RETURNS TABLE (response_id uuid, a jsonb)
LANGUAGE sql STABLE AS $$
	SELECT r.id, r.answers->p_id FROM app.responses r
	WHERE r.collectivity_id = p_q.collectivity_id
	  AND r.consultation_id = p_q.id AND r.answers ? p_id
$$;

-- One question's figures (docs/processes.md gives the definitions).
CREATE OR REPLACE FUNCTION api.question_result(p_q app.consultations,
	p_question jsonb, p_staff boolean)
RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_id text := p_question->>'id';
	v_type text := p_question->>'type';
	v_answered bigint;
	v_n int := jsonb_array_length(coalesce(p_question->'options', '[]'));
	v_out jsonb;
BEGIN
	SELECT count(*) INTO v_answered FROM api.answers_of(p_q, v_id);
	v_out := jsonb_build_object('id', v_id, 'type', v_type,
		'title', p_question->>'title', 'answered', v_answered);
	IF v_type IN ('single_choice', 'multiple_choice') THEN
		v_out := v_out || jsonb_build_object('options', (SELECT
			jsonb_agg(jsonb_build_object('id', o->>'id',
				'label', o->>'label', 'count', c.n,
				'share', CASE WHEN v_answered > 0
					THEN round(c.n::numeric / v_answered, 4) END)
				ORDER BY i)
			FROM jsonb_array_elements(p_question->'options')
				WITH ORDINALITY AS t (o, i),
			LATERAL (SELECT count(*) AS n FROM api.answers_of(p_q, v_id) qa
				WHERE (v_type = 'single_choice' AND a #>> '{}' = o->>'id')
				   OR (v_type = 'multiple_choice' AND a ? (o->>'id'))) c));
	ELSIF v_type = 'ranking' THEN
		-- Borda: first of n options n - 1 points, ..., unranked 0.
		v_out := v_out || jsonb_build_object('options', (SELECT
			jsonb_agg(jsonb_build_object('id', o->>'id',
				'label', o->>'label', 'ranked', s.ranked,
				'borda', s.borda, 'mean_position', s.mean_pos)
				ORDER BY s.borda DESC, i)
			FROM jsonb_array_elements(p_question->'options')
				WITH ORDINALITY AS t (o, i),
			LATERAL (SELECT count(x.pos) AS ranked,
					coalesce(sum(v_n - x.pos), 0) AS borda,
					round(avg(x.pos), 4) AS mean_pos
				FROM api.answers_of(p_q, v_id) qa,
				LATERAL jsonb_array_elements_text(a) WITH ORDINALITY
					AS x (opt, pos)
				WHERE x.opt = o->>'id') s));
	ELSIF v_type = 'scale' THEN
		v_out := v_out || jsonb_build_object(
			'distribution', (SELECT jsonb_agg(jsonb_build_object(
					'value', v, 'count', (SELECT count(*) FROM api.answers_of(p_q, v_id) qa
						WHERE (a #>> '{}')::int = v)) ORDER BY v)
				FROM generate_series((p_question->>'min')::int,
					(p_question->>'max')::int) v),
			'mean', (SELECT round(avg((a #>> '{}')::numeric), 4)
				FROM api.answers_of(p_q, v_id) qa),
			'median', (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY
				(a #>> '{}')::numeric) FROM api.answers_of(p_q, v_id) qa));
	ELSIF v_type = 'number' THEN
		v_out := v_out || (SELECT jsonb_build_object(
			'mean', round(avg((a #>> '{}')::numeric), 4),
			'median', percentile_cont(0.5) WITHIN GROUP (ORDER BY
				(a #>> '{}')::numeric),
			'min', min((a #>> '{}')::numeric),
			'max', max((a #>> '{}')::numeric)) FROM api.answers_of(p_q, v_id) qa);
	ELSE
		-- Free texts, oldest response first; hidden ones only for staff.
		v_out := v_out || jsonb_build_object('texts', (SELECT
			coalesce(jsonb_agg(jsonb_build_object('response_id',
				qa.response_id, 'text', qa.a #>> '{}',
				'hidden', h.response_id IS NOT NULL)
				ORDER BY r.submitted_at, qa.response_id), '[]')
			FROM api.answers_of(p_q, v_id) qa
			JOIN app.responses r ON r.collectivity_id = p_q.collectivity_id
				AND r.consultation_id = p_q.id AND r.id = qa.response_id
			LEFT JOIN app.hidden_texts h
				ON h.collectivity_id = p_q.collectivity_id
				AND h.consultation_id = p_q.id
				AND h.response_id = qa.response_id AND h.question_id = v_id
			WHERE p_staff OR h.response_id IS NULL));
	END IF;
	RETURN v_out;
END
$$;

-- GET /v1/collectivities/{cid}/consultations/{qid}/results: staff at any
-- time, everyone once published.
CREATE OR REPLACE FUNCTION api.results_get(p_token_hash text, p_slug text,
	p_qid text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account_opt(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_q app.consultations := (api.consultation_find(v_c, v_acc, p_qid)).q;
	v_staff boolean := api.is_staff(v_c, v_acc);
BEGIN
	IF v_q.results_published_at IS NULL AND NOT v_staff THEN
		RAISE EXCEPTION 'the results of consultation "%" are not published',
			p_qid USING ERRCODE = 'PT403';
	END IF;
	RETURN json_build_object('consultation_id', v_q.id,
		'state', api.consultation_state(v_q),
		'published', v_q.results_published_at IS NOT NULL,
		'responses', (SELECT count(*) FROM app.responses r
			WHERE r.collectivity_id = v_c.id AND r.consultation_id = v_q.id),
		'questions', (SELECT coalesce(jsonb_agg(api.question_result(v_q, e,
			v_staff) ORDER BY i), '[]')
			FROM jsonb_array_elements(v_q.questions) WITH ORDINALITY
				AS t (e, i)))::text;
END
$$;

-- POST /v1/collectivities/{cid}/consultations/{qid}/results/publish:
-- once the consultation is closed.
CREATE OR REPLACE FUNCTION api.results_publish(p_token_hash text,
	p_slug text, p_qid text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_q app.consultations;
BEGIN
	v_q := (api.consultation_find(v_c, v_acc, p_qid)).q;
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	IF api.consultation_state(v_q) <> 'closed' THEN
		RAISE EXCEPTION 'results are published once the consultation is '
			'closed; it is %', api.consultation_state(v_q)
			USING ERRCODE = 'PT409';
	END IF;
	UPDATE app.consultations SET results_published_at =
		coalesce(results_published_at, now())
	WHERE collectivity_id = v_c.id AND id = v_q.id RETURNING * INTO v_q;
	PERFORM api.audit(v_c.id, v_acc.id, 'results.publish', 'consultation',
		v_q.id::text, NULL);
	RETURN api.consultation_json(v_q)::text;
END
$$;

-- POST (hide) and DELETE (restore) /v1/collectivities/{cid}/
-- consultations/{qid}/responses/{rid}/texts/{question}: moderators.
CREATE OR REPLACE FUNCTION api.text_hide(p_token_hash text, p_slug text,
	p_qid text, p_rid text, p_question text, p_hide boolean, p_reason text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_q app.consultations;
	v_r app.responses;
BEGIN
	v_q := (api.consultation_find(v_c, v_acc, p_qid)).q;
	SELECT * INTO v_r FROM app.responses
	WHERE collectivity_id = v_c.id AND consultation_id = v_q.id
	  AND id = api.uuid_or_null(p_rid);
	-- IS DISTINCT FROM: a question the response did not answer (NULL) is
	-- no text to hide either.
	IF NOT FOUND
			OR jsonb_typeof(v_r.answers->p_question) IS DISTINCT FROM 'string'
			OR NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v_q.questions) e
				WHERE e->>'id' = p_question
				  AND e->>'type' IN ('short_text', 'long_text')) THEN
		RAISE EXCEPTION 'no free-text answer "%" in response "%"', p_question,
			p_rid USING ERRCODE = 'PT404';
	END IF;
	PERFORM api.require_role(v_c, v_acc, ARRAY['moderator', 'admin']);
	IF p_hide THEN
		INSERT INTO app.hidden_texts (collectivity_id, consultation_id,
			response_id, question_id, hidden_by, reason)
		VALUES (v_c.id, v_q.id, v_r.id, p_question, v_acc.id, p_reason)
		ON CONFLICT DO NOTHING;
	ELSE
		DELETE FROM app.hidden_texts WHERE collectivity_id = v_c.id
		  AND consultation_id = v_q.id AND response_id = v_r.id
		  AND question_id = p_question;
	END IF;
	PERFORM api.audit(v_c.id, v_acc.id, CASE WHEN p_hide THEN 'text.hide'
		ELSE 'text.restore' END, 'response', v_r.id::text, p_reason,
		jsonb_build_object('consultation', v_q.id, 'question', p_question));
	RETURN '';
END
$$;

-- Export -------------------------------------------------------------------

-- An RFC 4180 field: quoted when it holds a comma, quote, CR or LF.
CREATE OR REPLACE FUNCTION api.csv_field(p text)
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p IS NULL THEN ''
		WHEN p ~ '[,"\r\n]' THEN '"' || replace(p, '"', '""') || '"'
		ELSE p END
$$;

-- One answer as CSV text: choices joined with ";", rankings with ">".
CREATE OR REPLACE FUNCTION api.csv_answer(p_a jsonb, p_type text)
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p_a IS NULL OR jsonb_typeof(p_a) = 'null' THEN NULL
		WHEN jsonb_typeof(p_a) = 'array' THEN (SELECT string_agg(x,
			CASE WHEN p_type = 'ranking' THEN '>' ELSE ';' END ORDER BY i)
			FROM jsonb_array_elements_text(p_a) WITH ORDINALITY AS t (x, i))
		ELSE p_a #>> '{}' END
$$;

-- GET /v1/collectivities/{cid}/consultations/{qid}/export?format=csv|json:
-- admins; anonymous consultations have no account column.
CREATE OR REPLACE FUNCTION api.responses_export(p_token_hash text,
	p_slug text, p_qid text, p_format text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_q app.consultations;
BEGIN
	v_q := (api.consultation_find(v_c, v_acc, p_qid)).q;
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	PERFORM api.audit(v_c.id, v_acc.id, 'responses.export', 'consultation',
		v_q.id::text, NULL, jsonb_build_object('format', p_format));
	IF p_format = 'json' THEN
		RETURN json_build_object('consultation_id', v_q.id,
			'anonymous', v_q.anonymous, 'questions', v_q.questions,
			'responses', (SELECT coalesce(json_agg(json_strip_nulls(
				json_build_object('id', r.id,
					'account_id', CASE WHEN NOT v_q.anonymous
						THEN r.account_id END,
					'submitted_at', r.submitted_at,
					'updated_at', r.updated_at))::jsonb
				|| jsonb_build_object('answers', r.answers)
				ORDER BY r.submitted_at, r.id), '[]')
			FROM app.responses r WHERE r.collectivity_id = v_c.id
			  AND r.consultation_id = v_q.id))::text;
	END IF;
	RETURN (SELECT string_agg(line, E'\r\n' ORDER BY n) || E'\r\n' FROM (
		SELECT 0 AS n, concat_ws(',', 'response_id', 'submitted_at',
			CASE WHEN NOT v_q.anonymous THEN 'account_id' END,
			(SELECT string_agg(api.csv_field(e->>'id'), ',' ORDER BY i)
			 FROM jsonb_array_elements(v_q.questions) WITH ORDINALITY
				AS t (e, i))) AS line
		UNION ALL
		SELECT row_number() OVER (ORDER BY r.submitted_at, r.id),
			concat_ws(',', r.id::text,
				to_char(r.submitted_at AT TIME ZONE 'UTC',
					'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
				CASE WHEN NOT v_q.anonymous
					THEN coalesce(r.account_id::text, '') END,
				(SELECT string_agg(api.csv_field(api.csv_answer(
					r.answers->(e->>'id'), e->>'type')), ',' ORDER BY i)
				 FROM jsonb_array_elements(v_q.questions) WITH ORDINALITY
					AS t (e, i)))
		FROM app.responses r
		WHERE r.collectivity_id = v_c.id AND r.consultation_id = v_q.id) l);
END
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA api TO participe_app;
