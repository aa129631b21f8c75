-- Areas, participatory processes, their phases and per-action rules.
-- See docs/processes.md.

-- A uuid from a path segment, or NULL when it is not one (then "not found").
CREATE OR REPLACE FUNCTION api.uuid_or_null(p text)
RETURNS uuid
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
		THEN p::uuid END
$$;

-- A timestamp in RFC 3339 form, or NULL when it is not one.
CREATE OR REPLACE FUNCTION api.try_timestamp(p text)
RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF p IS NULL OR p !~ ('^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}'
			'(:[0-9]{2}(\.[0-9]{1,6})?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)$') THEN
		RETURN NULL;
	END IF;
	RETURN p::timestamptz;
EXCEPTION WHEN others THEN
	RETURN NULL;
END
$$;

-- Whether the caller sees the collectivity's unpublished work.
CREATE OR REPLACE FUNCTION api.is_staff(p_c app.collectivities,
	p_acc app.accounts)
RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT p_acc.id IS NOT NULL AND (coalesce(p_acc.is_platform_admin, false)
		OR api.roles_of(p_c.id, p_acc.id) && ARRAY['moderator', 'admin'])
$$;

-- Areas ----------------------------------------------------------------

CREATE OR REPLACE FUNCTION api.area_json(a app.areas)
RETURNS json
LANGUAGE sql IMMUTABLE AS $$
	SELECT json_build_object('id', a.id, 'slug', a.slug, 'name', a.name,
		'created_at', a.created_at)
$$;

CREATE OR REPLACE FUNCTION api.area_list(p_slug text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_c app.collectivities := api.enter(p_slug);
BEGIN
	RETURN (SELECT coalesce(json_agg(api.area_json(a) ORDER BY a.slug), '[]')
		FROM app.areas a WHERE a.collectivity_id = v_c.id)::text;
END
$$;

CREATE OR REPLACE FUNCTION api.area_create(p_token_hash text, p_slug text,
	p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_a app.areas;
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	IF NOT (p_body->>'slug' ~ '^[a-z0-9]+(-[a-z0-9]+)*$') THEN
		PERFORM api.invalid(api.field_error('slug', 'must be lowercase '
			'letters and digits in words joined by single hyphens'));
	END IF;
	INSERT INTO app.areas (collectivity_id, slug, name)
	VALUES (v_c.id, p_body->>'slug', p_body->>'name')
	RETURNING * INTO v_a;
	PERFORM api.audit(v_c.id, v_acc.id, 'area.create', 'area', v_a.slug,
		NULL, p_body);
	RETURN api.area_json(v_a)::text;
EXCEPTION WHEN unique_violation THEN
	RAISE EXCEPTION 'area "%" already exists in "%"', p_body->>'slug', p_slug
		USING ERRCODE = 'PT409';
END
$$;

-- Rules ------------------------------------------------------------------

-- Every action with its rule, defaults filled in: verified residents, no
-- age beyond the collectivity's own minimum for verification.
CREATE OR REPLACE FUNCTION api.rules_full(p_rules jsonb)
RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
	SELECT jsonb_object_agg(a, jsonb_build_object(
		'who', coalesce(p_rules->a->>'who', 'verified'),
		'min_age', coalesce((p_rules->a->>'min_age')::int, 0)))
	FROM unnest(ARRAY['answer', 'propose', 'support', 'comment', 'vote']) a
$$;

CREATE OR REPLACE FUNCTION api.rules_check(p_rules jsonb)
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	v_errors jsonb := '[]';
	k text;
	v jsonb;
BEGIN
	IF jsonb_typeof(p_rules) <> 'object' THEN
		RETURN api.field_error('rules', 'must be an object');
	END IF;
	FOR k, v IN SELECT * FROM jsonb_each(p_rules) LOOP
		IF NOT k = ANY (ARRAY['answer', 'propose', 'support', 'comment',
				'vote']) THEN
			v_errors := v_errors || api.field_error('rules.' || k,
				'is not an action (answer, propose, support, comment, vote)');
		ELSIF jsonb_typeof(v) <> 'object' OR EXISTS (SELECT 1
				FROM jsonb_object_keys(v) m WHERE m NOT IN ('who', 'min_age')) THEN
			v_errors := v_errors || api.field_error('rules.' || k,
				'must be an object with "who" and "min_age"');
		ELSE
			IF v ? 'who' AND NOT (v->>'who' = ANY (ARRAY['any', 'verified'])
					AND jsonb_typeof(v->'who') = 'string') THEN
				v_errors := v_errors || api.field_error('rules.' || k || '.who',
					'must be any or verified');
			END IF;
			IF v ? 'min_age' AND NOT (jsonb_typeof(v->'min_age') = 'number'
					AND (v->>'min_age') ~ '^[0-9]{1,3}$'
					AND (v->>'min_age')::int <= 120) THEN
				v_errors := v_errors || api.field_error(
					'rules.' || k || '.min_age',
					'must be an integer between 0 and 120');
			END IF;
		END IF;
	END LOOP;
	RETURN v_errors;
END
$$;

-- The one place that decides whether someone may act (answer, propose,
-- support, comment, vote) in a process: its rule for the action, then the
-- age. Phases are checked by each action, as they differ.
CREATE OR REPLACE FUNCTION api.require_can_act(p_c app.collectivities,
	p_process app.processes, p_acc app.accounts, p_action text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_rule jsonb := api.rules_full(p_process.rules)->p_action;
	v_min int := (v_rule->>'min_age')::int;
BEGIN
	PERFORM api.require_not_blocked(p_c, p_acc);
	IF v_rule->>'who' = 'verified' AND NOT EXISTS (SELECT 1
			FROM app.members m WHERE m.collectivity_id = p_c.id
			  AND m.account_id = p_acc.id AND m.verified_at IS NOT NULL) THEN
		RAISE EXCEPTION 'only verified residents of "%" may % in this '
			'process', p_c.slug, p_action USING ERRCODE = 'PT403';
	END IF;
	IF v_min > 0 THEN
		IF p_acc.birth_date IS NULL THEN
			RAISE EXCEPTION 'this process needs participants aged % or '
				'more: the account needs a birth date first', v_min
				USING ERRCODE = 'PT403';
		END IF;
		IF api.age(p_acc.birth_date) < v_min THEN
			RAISE EXCEPTION 'this process needs participants aged % or more',
				v_min USING ERRCODE = 'PT403';
		END IF;
	END IF;
END
$$;

-- Phases ------------------------------------------------------------------

CREATE OR REPLACE FUNCTION api.phase_rank(p_kind text)
RETURNS int
LANGUAGE sql IMMUTABLE AS $$
	SELECT array_position(ARRAY['information', 'proposals', 'review', 'vote',
		'results'], p_kind)
$$;

-- Checks a phases array [{kind, starts_at, ends_at}]: known kinds, each
-- once, real times, starts before ends, in order, not overlapping.
CREATE OR REPLACE FUNCTION api.phases_check(p_phases jsonb)
RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_errors jsonb := '[]';
	v_prev_end timestamptz;
	v_prev_rank int := 0;
	v_prev_kind text;
	r record;
	v_s timestamptz;
	v_e timestamptz;
BEGIN
	FOR r IN SELECT e, i - 1 AS i FROM jsonb_array_elements(p_phases)
		WITH ORDINALITY AS t (e, i) LOOP
		IF jsonb_typeof(r.e) <> 'object' OR EXISTS (SELECT 1
				FROM jsonb_object_keys(r.e) k
				WHERE k NOT IN ('kind', 'starts_at', 'ends_at')) THEN
			v_errors := v_errors || api.field_error(format('phases[%s]', r.i),
				'must be an object with kind, starts_at, ends_at');
			CONTINUE;
		END IF;
		IF api.phase_rank(r.e->>'kind') IS NULL THEN
			v_errors := v_errors || api.field_error(
				format('phases[%s].kind', r.i), 'must be one of information, '
				'proposals, review, vote, results');
			CONTINUE;
		END IF;
		v_s := api.try_timestamp(r.e->>'starts_at');
		v_e := api.try_timestamp(r.e->>'ends_at');
		IF v_s IS NULL THEN
			v_errors := v_errors || api.field_error(
				format('phases[%s].starts_at', r.i),
				'must be an RFC 3339 date-time with a time zone');
		END IF;
		IF v_e IS NULL THEN
			v_errors := v_errors || api.field_error(
				format('phases[%s].ends_at', r.i),
				'must be an RFC 3339 date-time with a time zone');
		END IF;
		IF v_s IS NULL OR v_e IS NULL THEN
			CONTINUE;
		END IF;
		IF v_s >= v_e THEN
			v_errors := v_errors || api.field_error(
				format('phases[%s].ends_at', r.i), 'must be after starts_at');
		END IF;
		IF api.phase_rank(r.e->>'kind') <= v_prev_rank THEN
			v_errors := v_errors || api.field_error(
				format('phases[%s].kind', r.i), format('phase "%s" must come '
				'after "%s" and only once (order: information, proposals, '
				'review, vote, results)', r.e->>'kind', v_prev_kind));
		ELSIF v_prev_end IS NOT NULL AND v_s < v_prev_end THEN
			v_errors := v_errors || api.field_error(
				format('phases[%s].starts_at', r.i), format('overlaps phase '
				'"%s", which ends at %s', v_prev_kind, v_prev_end));
		END IF;
		v_prev_rank := greatest(v_prev_rank, api.phase_rank(r.e->>'kind'));
		v_prev_kind := r.e->>'kind';
		v_prev_end := v_e;
	END LOOP;
	RETURN v_errors;
END
$$;

-- The phase going on now (closed phases are over), or NULL.
CREATE OR REPLACE FUNCTION api.current_phase(p_c uuid, p_process uuid)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT kind FROM app.process_phases
	WHERE collectivity_id = p_c AND process_id = p_process
	  AND starts_at <= now() AND now() < coalesce(closed_at, ends_at)
	LIMIT 1
$$;

CREATE OR REPLACE FUNCTION api.phase_state(ph app.process_phases)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN now() < ph.starts_at THEN 'upcoming'
		WHEN now() < coalesce(ph.closed_at, ph.ends_at) THEN 'current'
		ELSE 'over' END
$$;

-- Processes ---------------------------------------------------------------

CREATE OR REPLACE FUNCTION api.process_json(p app.processes)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', p.id,
		'collectivity', (SELECT c.slug FROM app.collectivities c
			WHERE c.id = p.collectivity_id),
		'title', p.title, 'description', p.description,
		'image_url', p.image_url,
		'area', (SELECT a.slug FROM app.areas a
			WHERE a.collectivity_id = p.collectivity_id AND a.id = p.area_id),
		'status', p.status,
		'current_phase', api.current_phase(p.collectivity_id, p.id),
		'phases', (SELECT coalesce(json_agg(json_build_object(
				'kind', ph.kind, 'starts_at', ph.starts_at,
				'ends_at', ph.ends_at, 'closed_at', ph.closed_at,
				'state', api.phase_state(ph))
				ORDER BY api.phase_rank(ph.kind)), '[]')
			FROM app.process_phases ph
			WHERE ph.collectivity_id = p.collectivity_id
			  AND ph.process_id = p.id),
		'rules', api.rules_full(p.rules),
		'categories', p.categories, 'support_limit', p.support_limit,
		'support_threshold', p.support_threshold,
		'consultations', (SELECT coalesce(json_agg(json_build_object(
				'id', q.id, 'title', q.title, 'phase', q.phase)
				ORDER BY q.created_at, q.id), '[]')
			FROM app.consultations q
			WHERE q.collectivity_id = p.collectivity_id
			  AND q.process_id = p.id),
		'created_at', p.created_at, 'updated_at', p.updated_at,
		'published_at', p.published_at)
$$;

-- The process, if the caller may see it (published, or staff); 404 else.
CREATE OR REPLACE FUNCTION api.process_find(p_c app.collectivities,
	p_acc app.accounts, p_pid text)
RETURNS app.processes
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_p app.processes;
BEGIN
	SELECT * INTO v_p FROM app.processes
	WHERE collectivity_id = p_c.id AND id = api.uuid_or_null(p_pid);
	IF NOT FOUND OR (v_p.status <> 'published'
			AND NOT api.is_staff(p_c, p_acc)) THEN
		RAISE EXCEPTION 'no process "%" in collectivity "%"', p_pid, p_c.slug
			USING ERRCODE = 'PT404';
	END IF;
	RETURN v_p;
END
$$;

-- Writes a process's phases from a checked array, replacing them all, but
-- history stays: a phase that is over (ended, or closed early) keeps its
-- dates and closing, and a phase with consultations cannot be dropped.
CREATE OR REPLACE FUNCTION api.phases_write(p_c uuid, p_process uuid,
	p_phases jsonb)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_old app.process_phases;
	v_new jsonb;
BEGIN
	FOR v_old IN SELECT * FROM app.process_phases
		WHERE collectivity_id = p_c AND process_id = p_process
	LOOP
		SELECT e INTO v_new FROM jsonb_array_elements(p_phases) e
		WHERE e->>'kind' = v_old.kind;
		IF v_new IS NULL AND EXISTS (SELECT 1 FROM app.consultations q
				WHERE q.collectivity_id = p_c AND q.process_id = p_process
				  AND q.phase = v_old.kind) THEN
			RAISE EXCEPTION 'phase "%" has consultations and cannot be '
				'removed', v_old.kind USING ERRCODE = 'PT409';
		END IF;
		IF api.phase_state(v_old) = 'over' AND (v_new IS NULL
				OR (v_new->>'starts_at')::timestamptz <> v_old.starts_at
				OR (v_new->>'ends_at')::timestamptz <> v_old.ends_at) THEN
			RAISE EXCEPTION 'phase "%" is over: it can be neither moved nor '
				'removed', v_old.kind USING ERRCODE = 'PT409';
		END IF;
	END LOOP;
	INSERT INTO app.process_phases AS ph (collectivity_id, process_id, kind,
		starts_at, ends_at)
	SELECT p_c, p_process, e->>'kind', (e->>'starts_at')::timestamptz,
		(e->>'ends_at')::timestamptz
	FROM jsonb_array_elements(p_phases) e
	ON CONFLICT (collectivity_id, process_id, kind) DO UPDATE
		SET starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at;
	DELETE FROM app.process_phases
	WHERE collectivity_id = p_c AND process_id = p_process
	  AND NOT kind IN (SELECT e->>'kind' FROM jsonb_array_elements(p_phases) e);
END
$$;

-- Checks area, phases, rules and status of a create or edit body.
CREATE OR REPLACE FUNCTION api.process_body_check(p_c app.collectivities,
	p_body jsonb, OUT p_area uuid)
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_errors jsonb := '[]';
BEGIN
	IF p_body ? 'area' AND jsonb_typeof(p_body->'area') <> 'null' THEN
		SELECT id INTO p_area FROM app.areas
		WHERE collectivity_id = p_c.id AND slug = p_body->>'area';
		IF NOT FOUND THEN
			v_errors := v_errors || api.field_error('area',
				format('no area "%s" in "%s"', p_body->>'area', p_c.slug));
		END IF;
	END IF;
	IF p_body ? 'phases' THEN
		v_errors := v_errors || api.phases_check(p_body->'phases');
	END IF;
	IF p_body ? 'rules' THEN
		v_errors := v_errors || api.rules_check(p_body->'rules');
	END IF;
	IF p_body ? 'status' AND NOT (p_body->>'status' = ANY (ARRAY['draft',
			'published'])) THEN
		v_errors := v_errors || api.field_error('status',
			'must be draft or published');
	END IF;
	IF p_body ? 'categories' AND (jsonb_typeof(p_body->'categories') <> 'array'
			OR jsonb_array_length(p_body->'categories') > 50
			OR EXISTS (SELECT 1 FROM jsonb_array_elements(p_body->'categories') k
				WHERE jsonb_typeof(k) <> 'object'
				   OR NOT (k ?& ARRAY['slug', 'name'])
				   OR (SELECT count(*) FROM jsonb_object_keys(k)) <> 2
				   OR coalesce(k->>'slug', '') !~ '^[a-z0-9]+(-[a-z0-9]+)*$'
				   OR length(k->>'slug') > 63
				   OR length(coalesce(k->>'name', '')) NOT BETWEEN 1 AND 100)
			OR (SELECT count(DISTINCT k->>'slug') FROM jsonb_array_elements(
				p_body->'categories') k) <> jsonb_array_length(
				p_body->'categories')) THEN
		v_errors := v_errors || api.field_error('categories', 'must be at '
			'most 50 {"slug", "name"} objects with distinct slugs');
	END IF;
	IF p_body ? 'image_url' AND jsonb_typeof(p_body->'image_url') = 'string'
			AND p_body->>'image_url' !~ '^https?://[^[:space:]]+$' THEN
		v_errors := v_errors || api.field_error('image_url',
			'must be an http or https URL');
	END IF;
	PERFORM api.invalid(v_errors);
END
$$;

-- POST /v1/collectivities/{cid}/processes
CREATE OR REPLACE FUNCTION api.process_create(p_token_hash text,
	p_slug text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_p app.processes;
	v_area uuid;
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	v_area := api.process_body_check(v_c, p_body);
	INSERT INTO app.processes (collectivity_id, area_id, title, description,
		image_url, status, rules, created_by, published_at, categories,
		support_limit, support_threshold)
	VALUES (v_c.id, v_area, p_body->>'title',
		coalesce(p_body->>'description', ''), p_body->>'image_url',
		coalesce(p_body->>'status', 'draft'),
		coalesce(p_body->'rules', '{}'), v_acc.id,
		CASE WHEN p_body->>'status' = 'published' THEN now() END,
		coalesce(p_body->'categories', '[]'),
		(p_body->>'support_limit')::int, (p_body->>'support_threshold')::int)
	RETURNING * INTO v_p;
	IF p_body ? 'phases' THEN
		PERFORM api.phases_write(v_c.id, v_p.id, p_body->'phases');
	END IF;
	PERFORM api.audit(v_c.id, v_acc.id, 'process.create', 'process',
		v_p.id::text, NULL, jsonb_build_object('title', v_p.title));
	RETURN api.process_json(v_p)::text;
END
$$;

-- PATCH /v1/collectivities/{cid}/processes/{pid}: phases replace the old
-- ones; a published process cannot go back to draft.
CREATE OR REPLACE FUNCTION api.process_update(p_token_hash text,
	p_slug text, p_pid text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_p app.processes;
	v_area uuid;
BEGIN
	-- The object first: another collectivity's process is "not found" to
	-- anyone here, whatever their role (the isolation matrix relies on it).
	v_p := api.process_find(v_c, v_acc, p_pid);
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	v_area := api.process_body_check(v_c, p_body);
	IF v_p.status = 'published' AND p_body->>'status' = 'draft' THEN
		RAISE EXCEPTION 'a published process cannot go back to draft'
			USING ERRCODE = 'PT409';
	END IF;
	UPDATE app.processes SET
		title = coalesce(p_body->>'title', title),
		description = coalesce(p_body->>'description', description),
		image_url = CASE WHEN p_body ? 'image_url' THEN p_body->>'image_url'
			ELSE image_url END,
		area_id = CASE WHEN p_body ? 'area' THEN v_area ELSE area_id END,
		rules = coalesce(p_body->'rules', rules),
		categories = coalesce(p_body->'categories', categories),
		support_limit = CASE WHEN p_body ? 'support_limit'
			THEN (p_body->>'support_limit')::int ELSE support_limit END,
		support_threshold = CASE WHEN p_body ? 'support_threshold'
			THEN (p_body->>'support_threshold')::int ELSE support_threshold END,
		status = coalesce(p_body->>'status', status),
		published_at = CASE WHEN published_at IS NULL
			AND p_body->>'status' = 'published' THEN now()
			ELSE published_at END,
		updated_at = now()
	WHERE collectivity_id = v_c.id AND id = v_p.id
	RETURNING * INTO v_p;
	IF p_body ? 'phases' THEN
		PERFORM api.phases_write(v_c.id, v_p.id, p_body->'phases');
	END IF;
	PERFORM api.audit(v_c.id, v_acc.id, 'process.update', 'process',
		v_p.id::text, NULL, p_body - 'description');
	RETURN api.process_json(v_p)::text;
END
$$;

-- POST /v1/collectivities/{cid}/processes/{pid}/phases/{phase}/close
CREATE OR REPLACE FUNCTION api.phase_close(p_token_hash text, p_slug text,
	p_pid text, p_kind text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_p app.processes;
BEGIN
	v_p := api.process_find(v_c, v_acc, p_pid);
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	IF NOT EXISTS (SELECT 1 FROM app.process_phases WHERE collectivity_id =
			v_c.id AND process_id = v_p.id AND kind = p_kind) THEN
		RAISE EXCEPTION 'process "%" has no phase "%"', p_pid, p_kind
			USING ERRCODE = 'PT404';
	END IF;
	UPDATE app.process_phases SET closed_at = now()
	WHERE collectivity_id = v_c.id AND process_id = v_p.id AND kind = p_kind
	  AND starts_at <= now() AND now() < coalesce(closed_at, ends_at);
	IF NOT FOUND THEN
		RAISE EXCEPTION 'phase "%" is not going on: only the current phase '
			'can be closed early', p_kind USING ERRCODE = 'PT409';
	END IF;
	PERFORM api.audit(v_c.id, v_acc.id, 'phase.close', 'process',
		v_p.id::text, p_body->>'reason', jsonb_build_object('phase', p_kind));
	RETURN api.process_json(v_p)::text;
END
$$;

-- GET /v1/collectivities/{cid}/processes/{pid}
CREATE OR REPLACE FUNCTION api.process_get(p_token_hash text, p_slug text,
	p_pid text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account_opt(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
BEGIN
	RETURN api.process_json(api.process_find(v_c, v_acc, p_pid))::text;
END
$$;

-- GET /v1/collectivities/{cid}/processes?phase=&area=&limit=&after=:
-- newest first; drafts only for staff. phase filters on the current
-- phase, "none" for processes between or outside their phases.
CREATE OR REPLACE FUNCTION api.process_list(p_token_hash text, p_slug text,
	p_phase text, p_area text, p_limit int, p_after text)
RETURNS TABLE (body text, next text)
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account_opt(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_staff boolean := api.is_staff(v_c, v_acc);
	v_area uuid;
	v_at timestamptz;
	v_id uuid;
BEGIN
	IF p_area IS NOT NULL THEN
		SELECT id INTO v_area FROM app.areas
		WHERE collectivity_id = v_c.id AND slug = p_area;
		IF NOT FOUND THEN
			PERFORM api.invalid(api.field_error('area', format(
				'no area "%s" in "%s"', p_area, p_slug)),
				'invalid query parameter "area"');
		END IF;
	END IF;
	IF p_after IS NOT NULL THEN
		v_at := api.try_timestamp(split_part(p_after, '_', 1));
		v_id := api.uuid_or_null(split_part(p_after, '_', 2));
		IF v_at IS NULL OR v_id IS NULL THEN
			PERFORM api.invalid(api.field_error('after',
				'is not a valid cursor'), 'invalid query parameter "after"');
		END IF;
	END IF;
	RETURN QUERY
	WITH page AS (
		SELECT p FROM app.processes p
		WHERE p.collectivity_id = v_c.id
		  AND (v_staff OR p.status = 'published')
		  AND (v_area IS NULL OR p.area_id = v_area)
		  AND (p_phase IS NULL OR coalesce(api.current_phase(v_c.id, p.id),
			'none') = p_phase)
		  AND (v_at IS NULL OR (p.created_at, p.id) < (v_at, v_id))
		ORDER BY p.created_at DESC, p.id DESC
		LIMIT p_limit + 1
	), shown AS (
		SELECT p, row_number() OVER (ORDER BY (p).created_at DESC,
			(p).id DESC) AS n FROM page
	)
	SELECT coalesce(json_agg(api.process_json(p) ORDER BY n)
			FILTER (WHERE n <= p_limit), '[]')::text,
		CASE WHEN count(*) > p_limit THEN (SELECT
			to_char((s.p).created_at AT TIME ZONE 'UTC',
				'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '_' || (s.p).id
			FROM shown s WHERE s.n = p_limit) END
	FROM shown;
END
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA api TO participe_app;
