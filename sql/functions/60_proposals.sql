-- Proposals and supports: create, edit, withdraw, official answers,
-- supports with a per-process limit and a threshold, listing with filters,
-- sorts, French full-text search and keyset cursors. docs/proposals.md.

-- What full-text search matches: the title (weight A) and the body (B),
-- analysed in French with accents ignored (app.french_unaccent, 0005).
CREATE OR REPLACE FUNCTION api.proposal_search(p_title text, p_body text)
RETURNS tsvector
LANGUAGE sql IMMUTABLE AS $$
	SELECT setweight(to_tsvector('app.french_unaccent', p_title), 'A') ||
		setweight(to_tsvector('app.french_unaccent', p_body), 'B')
$$;

-- Someone's public face: display name, or NULL once the account is erased.
CREATE OR REPLACE FUNCTION api.person_json(p_id uuid)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN p_id IS NULL THEN NULL ELSE (SELECT json_build_object(
		'id', a.id, 'display_name', a.display_name)
		FROM app.accounts a WHERE a.id = p_id) END
$$;

CREATE OR REPLACE FUNCTION api.proposal_json(p app.proposals,
	p_viewer uuid, p_staff boolean)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', p.id, 'process_id', p.process_id,
		'title', p.title, 'body', p.body, 'category', p.category,
		'area', (SELECT a.slug FROM app.areas a
			WHERE a.collectivity_id = p.collectivity_id AND a.id = p.area_id),
		'latitude', p.latitude, 'longitude', p.longitude,
		'estimated_cost', p.estimated_cost, 'attachments', p.attachments,
		'state', p.state, 'author', api.person_json(p.author_id),
		'answer', CASE WHEN p.answered_at IS NOT NULL THEN json_build_object(
			'text', p.answer, 'cost', p.answer_cost,
			'answered_at', p.answered_at) END,
		'supports', p.supports, 'comments', p.comments,
		'threshold_reached', p.threshold_reached_at IS NOT NULL,
		'supported', CASE WHEN p_viewer IS NULL THEN NULL ELSE EXISTS (
			SELECT 1 FROM app.supports s
			WHERE s.collectivity_id = p.collectivity_id
			  AND s.proposal_id = p.id AND s.account_id = p_viewer) END,
		'hidden', p.hidden_at IS NOT NULL,
		'created_at', p.created_at, 'published_at', p.published_at,
		'updated_at', p.updated_at)
$$;

-- Visible to the caller: drafts, and drafts withdrawn before they were
-- ever published (no published_at), to their author only; hidden
-- proposals to staff and their author.
CREATE OR REPLACE FUNCTION api.proposal_visible(p app.proposals,
	p_acc app.accounts, p_staff boolean)
RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN p.state = 'draft' OR p.published_at IS NULL
			THEN p.author_id = p_acc.id
		WHEN p.hidden_at IS NOT NULL THEN p_staff OR p.author_id = p_acc.id
		ELSE true END IS TRUE
$$;

CREATE OR REPLACE FUNCTION api.proposal_find(p_c app.collectivities,
	p_acc app.accounts, p_id text, OUT pr app.proposals,
	OUT process app.processes)
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_staff boolean := api.is_staff(p_c, p_acc);
BEGIN
	SELECT * INTO pr FROM app.proposals
	WHERE collectivity_id = p_c.id AND id = api.uuid_or_null(p_id);
	IF FOUND THEN
		SELECT * INTO process FROM app.processes
		WHERE collectivity_id = p_c.id AND id = pr.process_id;
	END IF;
	IF pr.id IS NULL OR (process.status <> 'published'
			AND NOT v_staff)
			OR NOT api.proposal_visible(pr, p_acc, v_staff) THEN
		RAISE EXCEPTION 'no proposal "%" in collectivity "%"', p_id, p_c.slug
			USING ERRCODE = 'PT404';
	END IF;
END
$$;

-- The proposals phase must be going on.
CREATE OR REPLACE FUNCTION api.require_phase(p_c app.collectivities,
	p_process app.processes, p_phase text, p_what text)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF p_process.status <> 'published'
			OR api.current_phase(p_c.id, p_process.id) IS DISTINCT FROM p_phase THEN
		RAISE EXCEPTION '% only during the % phase of the process', p_what,
			p_phase USING ERRCODE = 'PT409';
	END IF;
END
$$;

-- Checks the fields of a create or edit body SQL can judge; returns the
-- area's id.
CREATE OR REPLACE FUNCTION api.proposal_body_check(p_c app.collectivities,
	p_process app.processes, p_body jsonb, OUT p_area uuid)
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_errors jsonb := '[]';
	v_bad int;
BEGIN
	IF p_body ? 'category' AND jsonb_typeof(p_body->'category') <> 'null'
			AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(
				p_process.categories) k WHERE k->>'slug' = p_body->>'category') THEN
		v_errors := v_errors || api.field_error('category', format(
			'must be one of the process''s categories (%s)', coalesce((SELECT
			string_agg(k->>'slug', ', ') FROM jsonb_array_elements(
				p_process.categories) k), 'none')));
	END IF;
	IF p_body ? 'area' AND jsonb_typeof(p_body->'area') <> 'null' THEN
		SELECT id INTO p_area FROM app.areas
		WHERE collectivity_id = p_c.id AND slug = p_body->>'area';
		IF NOT FOUND THEN
			v_errors := v_errors || api.field_error('area',
				format('no area "%s" in "%s"', p_body->>'area', p_c.slug));
		END IF;
	END IF;
	IF p_body ? 'attachments' THEN
		SELECT count(*) INTO v_bad
		FROM jsonb_array_elements(p_body->'attachments') e
		WHERE jsonb_typeof(e) <> 'string' OR length(e #>> '{}') > 2000
		   OR e #>> '{}' !~ '^https?://[^[:space:]]+$';
		IF v_bad > 0 THEN
			v_errors := v_errors || api.field_error('attachments',
				'must be http or https URLs of at most 2000 characters');
		END IF;
	END IF;
	-- Both or neither, and both null or both numbers; each one in range.
	IF (p_body ? 'latitude') <> (p_body ? 'longitude') THEN
		v_errors := v_errors || api.field_error(CASE WHEN p_body ? 'latitude'
			THEN 'longitude' ELSE 'latitude' END,
			'latitude and longitude go together');
	ELSIF p_body ? 'latitude' AND (jsonb_typeof(p_body->'latitude') = 'null')
			<> (jsonb_typeof(p_body->'longitude') = 'null') THEN
		v_errors := v_errors || api.field_error(CASE WHEN
			jsonb_typeof(p_body->'latitude') = 'null' THEN 'latitude'
			ELSE 'longitude' END, 'latitude and longitude go together');
	END IF;
	IF jsonb_typeof(p_body->'latitude') = 'number'
			AND NOT (p_body->>'latitude')::double precision BETWEEN -90 AND 90 THEN
		v_errors := v_errors || api.field_error('latitude',
			'must be between -90 and 90');
	END IF;
	IF jsonb_typeof(p_body->'longitude') = 'number'
			AND NOT (p_body->>'longitude')::double precision
				BETWEEN -180 AND 180 THEN
		v_errors := v_errors || api.field_error('longitude',
			'must be between -180 and 180');
	END IF;
	IF p_body ? 'status' AND NOT (p_body->>'status' = ANY (ARRAY['draft',
			'published'])) THEN
		v_errors := v_errors || api.field_error('status',
			'must be draft or published');
	END IF;
	PERFORM api.invalid(v_errors);
END
$$;

-- POST /v1/collectivities/{cid}/processes/{pid}/proposals
CREATE OR REPLACE FUNCTION api.proposal_create(p_token_hash text,
	p_slug text, p_pid text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_process app.processes := api.process_find(v_c, v_acc, p_pid);
	v_area uuid;
	v_p app.proposals;
BEGIN
	PERFORM api.require_phase(v_c, v_process, 'proposals',
		'proposals are made');
	PERFORM api.require_can_act(v_c, v_process, v_acc, 'propose');
	v_area := api.proposal_body_check(v_c, v_process, p_body);
	INSERT INTO app.proposals (collectivity_id, process_id, author_id, title,
		body, search, category, area_id, latitude, longitude, estimated_cost,
		attachments, state, published_at)
	VALUES (v_c.id, v_process.id, v_acc.id, p_body->>'title',
		p_body->>'body', api.proposal_search(p_body->>'title',
			p_body->>'body'), p_body->>'category', v_area,
		(p_body->>'latitude')::double precision,
		(p_body->>'longitude')::double precision,
		(p_body->>'estimated_cost')::bigint,
		coalesce(p_body->'attachments', '[]'),
		coalesce(p_body->>'status', 'draft'),
		CASE WHEN p_body->>'status' = 'published' THEN now() END)
	RETURNING * INTO v_p;
	-- Authors follow their proposal.
	INSERT INTO app.follows (collectivity_id, account_id, target_type,
		target_id)
	VALUES (v_c.id, v_acc.id, 'proposal', v_p.id) ON CONFLICT DO NOTHING;
	RETURN api.proposal_json(v_p, v_acc.id, false)::text;
END
$$;

-- GET /v1/collectivities/{cid}/proposals/{id}
CREATE OR REPLACE FUNCTION api.proposal_get(p_token_hash text, p_slug text,
	p_id text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account_opt(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_f record;
BEGIN
	SELECT * INTO v_f FROM api.proposal_find(v_c, v_acc, p_id);
	RETURN api.proposal_json(v_f.pr, v_acc.id,
		api.is_staff(v_c, v_acc))::text;
END
$$;

-- PATCH /v1/collectivities/{cid}/proposals/{id}: the author, while the
-- proposals phase is on and nobody has supported it yet; a draft can be
-- published this way.
CREATE OR REPLACE FUNCTION api.proposal_update(p_token_hash text,
	p_slug text, p_id text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_f record;
	v_p app.proposals;
	v_area uuid;
BEGIN
	SELECT * INTO v_f FROM api.proposal_find(v_c, v_acc, p_id);
	v_p := v_f.pr;
	IF v_p.author_id IS DISTINCT FROM v_acc.id THEN
		RAISE EXCEPTION 'only the author edits a proposal'
			USING ERRCODE = 'PT403';
	END IF;
	IF v_p.state NOT IN ('draft', 'published') THEN
		RAISE EXCEPTION 'a % proposal cannot be edited', v_p.state
			USING ERRCODE = 'PT409';
	END IF;
	IF v_p.supports > 0 THEN
		RAISE EXCEPTION 'a proposal cannot be edited once it has supports'
			USING ERRCODE = 'PT409';
	END IF;
	PERFORM api.require_phase(v_c, v_f.process, 'proposals',
		'proposals are edited');
	-- Editing (and publishing a draft) is acting: blocked participants
	-- and those the rule no longer lets propose are refused.
	PERFORM api.require_can_act(v_c, v_f.process, v_acc, 'propose');
	IF v_p.state = 'published' AND p_body->>'status' = 'draft' THEN
		RAISE EXCEPTION 'a published proposal cannot go back to draft'
			USING ERRCODE = 'PT409';
	END IF;
	v_area := api.proposal_body_check(v_c, v_f.process, p_body);
	UPDATE app.proposals SET
		title = coalesce(p_body->>'title', title),
		body = coalesce(p_body->>'body', body),
		search = api.proposal_search(coalesce(p_body->>'title', title),
			coalesce(p_body->>'body', body)),
		category = CASE WHEN p_body ? 'category' THEN p_body->>'category'
			ELSE category END,
		area_id = CASE WHEN p_body ? 'area' THEN v_area ELSE area_id END,
		latitude = CASE WHEN p_body ? 'latitude'
			THEN (p_body->>'latitude')::double precision ELSE latitude END,
		longitude = CASE WHEN p_body ? 'longitude'
			THEN (p_body->>'longitude')::double precision ELSE longitude END,
		estimated_cost = CASE WHEN p_body ? 'estimated_cost'
			THEN (p_body->>'estimated_cost')::bigint ELSE estimated_cost END,
		attachments = coalesce(p_body->'attachments', attachments),
		state = coalesce(p_body->>'status', state),
		published_at = CASE WHEN published_at IS NULL
			AND p_body->>'status' = 'published' THEN now()
			ELSE published_at END,
		updated_at = now()
	WHERE collectivity_id = v_c.id AND id = v_p.id
	RETURNING * INTO v_p;
	RETURN api.proposal_json(v_p, v_acc.id, false)::text;
END
$$;

-- Tells the followers of a proposal and of its process (not the actor).
CREATE OR REPLACE FUNCTION api.notify_followers(p_p app.proposals,
	p_kind text, p_actor uuid, p_payload jsonb)
RETURNS void
LANGUAGE sql AS $$
	INSERT INTO app.notifications (collectivity_id, account_id, kind,
		target_type, target_id, payload)
	SELECT DISTINCT p_p.collectivity_id, f.account_id, p_kind, 'proposal',
		p_p.id, p_payload || jsonb_build_object('title', p_p.title,
			'process_id', p_p.process_id)
	FROM app.follows f
	WHERE f.collectivity_id = p_p.collectivity_id
	  AND ((f.target_type = 'proposal' AND f.target_id = p_p.id)
		OR (f.target_type = 'process' AND f.target_id = p_p.process_id))
	  AND f.account_id IS DISTINCT FROM p_actor
$$;

-- POST /v1/collectivities/{cid}/proposals/{id}/withdraw: the author.
CREATE OR REPLACE FUNCTION api.proposal_withdraw(p_token_hash text,
	p_slug text, p_id text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_f record;
	v_p app.proposals;
BEGIN
	SELECT * INTO v_f FROM api.proposal_find(v_c, v_acc, p_id);
	v_p := v_f.pr;
	IF v_p.author_id IS DISTINCT FROM v_acc.id THEN
		RAISE EXCEPTION 'only the author withdraws a proposal'
			USING ERRCODE = 'PT403';
	END IF;
	PERFORM api.require_not_blocked(v_c, v_acc);
	IF v_p.state NOT IN ('draft', 'published', 'evaluating') THEN
		RAISE EXCEPTION 'a % proposal cannot be withdrawn', v_p.state
			USING ERRCODE = 'PT409';
	END IF;
	UPDATE app.proposals SET state = 'withdrawn', updated_at = now()
	WHERE collectivity_id = v_c.id AND id = v_p.id RETURNING * INTO v_p;
	-- A draft that was never published stays private: nobody is told.
	IF v_p.published_at IS NOT NULL THEN
		PERFORM api.notify_followers(v_p, 'proposal_state', v_acc.id,
			jsonb_build_object('state', 'withdrawn'));
	END IF;
	RETURN api.proposal_json(v_p, v_acc.id, false)::text;
END
$$;

-- POST /v1/collectivities/{cid}/proposals/{id}/answer: moderators and
-- admins move a proposal to evaluating, accepted or rejected; accepted and
-- rejected need the official answer's text.
CREATE OR REPLACE FUNCTION api.proposal_answer(p_token_hash text,
	p_slug text, p_id text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_f record;
	v_p app.proposals;
	v_state text := p_body->>'state';
BEGIN
	SELECT * INTO v_f FROM api.proposal_find(v_c, v_acc, p_id);
	PERFORM api.require_role(v_c, v_acc, ARRAY['moderator', 'admin']);
	v_p := v_f.pr;
	IF NOT v_state = ANY (ARRAY['evaluating', 'accepted', 'rejected']) THEN
		PERFORM api.invalid(api.field_error('state',
			'must be evaluating, accepted or rejected'));
	END IF;
	IF v_state <> 'evaluating' AND coalesce(p_body->>'answer', '') = '' THEN
		PERFORM api.invalid(api.field_error('answer', format(
			'is required to mark a proposal %s', v_state)));
	END IF;
	IF p_body ? 'cost' AND v_state <> 'accepted' THEN
		PERFORM api.invalid(api.field_error('cost',
			'goes with an accepted proposal only'));
	END IF;
	IF v_p.state NOT IN ('published', 'evaluating')
			OR (v_p.state = 'evaluating' AND v_state = 'evaluating') THEN
		RAISE EXCEPTION 'a % proposal cannot be marked %', v_p.state, v_state
			USING ERRCODE = 'PT409';
	END IF;
	UPDATE app.proposals SET state = v_state,
		answer = coalesce(p_body->>'answer', answer),
		answer_cost = CASE WHEN v_state = 'accepted'
			THEN (p_body->>'cost')::bigint ELSE answer_cost END,
		answered_at = CASE WHEN p_body->>'answer' IS NOT NULL THEN now()
			ELSE answered_at END,
		answered_by = CASE WHEN p_body->>'answer' IS NOT NULL THEN v_acc.id
			ELSE answered_by END,
		updated_at = now()
	WHERE collectivity_id = v_c.id AND id = v_p.id RETURNING * INTO v_p;
	PERFORM api.notify_followers(v_p, 'proposal_state', v_acc.id,
		jsonb_build_object('state', v_state));
	IF p_body->>'answer' IS NOT NULL THEN
		PERFORM api.notify_followers(v_p, 'proposal_answer', v_acc.id,
			jsonb_build_object('state', v_state));
	END IF;
	PERFORM api.audit(v_c.id, v_acc.id, 'proposal.answer', 'proposal',
		v_p.id::text, p_body->>'answer', jsonb_build_object('state', v_state,
		'cost', p_body->'cost'));
	RETURN api.proposal_json(v_p, v_acc.id, true)::text;
END
$$;

-- PUT /v1/collectivities/{cid}/proposals/{id}/support: while the
-- proposals phase is on; created tells 201 from 200 (already supported).
CREATE OR REPLACE FUNCTION api.support_add(p_token_hash text, p_slug text,
	p_id text)
RETURNS TABLE (body text, created boolean)
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_f record;
	v_p app.proposals;
	v_used int;
BEGIN
	SELECT * INTO v_f FROM api.proposal_find(v_c, v_acc, p_id);
	v_p := v_f.pr;
	IF v_p.state NOT IN ('published', 'evaluating') OR v_p.hidden_at IS NOT NULL THEN
		RAISE EXCEPTION 'a % proposal cannot be supported', CASE
			WHEN v_p.hidden_at IS NOT NULL THEN 'hidden' ELSE v_p.state END
			USING ERRCODE = 'PT409';
	END IF;
	PERFORM api.require_phase(v_c, v_f.process, 'proposals',
		'proposals are supported');
	PERFORM api.require_can_act(v_c, v_f.process, v_acc, 'support');
	IF EXISTS (SELECT 1 FROM app.supports WHERE collectivity_id = v_c.id
			AND proposal_id = v_p.id AND account_id = v_acc.id) THEN
		RETURN QUERY SELECT api.proposal_json(v_p, v_acc.id, false)::text,
			false;
		RETURN;
	END IF;
	IF (v_f.process).support_limit IS NOT NULL THEN
		SELECT count(*) INTO v_used FROM app.supports
		WHERE collectivity_id = v_c.id AND process_id = v_p.process_id
		  AND account_id = v_acc.id;
		IF v_used >= (v_f.process).support_limit THEN
			RAISE EXCEPTION 'you have used your % supports in this process; '
				'withdraw one to support another', (v_f.process).support_limit
				USING ERRCODE = 'PT409';
		END IF;
	END IF;
	INSERT INTO app.supports (collectivity_id, proposal_id, process_id,
		account_id)
	VALUES (v_c.id, v_p.id, v_p.process_id, v_acc.id);
	UPDATE app.proposals SET supports = supports + 1,
		threshold_reached_at = CASE WHEN threshold_reached_at IS NULL
			AND (v_f.process).support_threshold IS NOT NULL
			AND supports + 1 >= (v_f.process).support_threshold
			THEN now() ELSE threshold_reached_at END
	WHERE collectivity_id = v_c.id AND id = v_p.id RETURNING * INTO v_p;
	RETURN QUERY SELECT api.proposal_json(v_p, v_acc.id, false)::text, true;
END
$$;

-- DELETE /v1/collectivities/{cid}/proposals/{id}/support: while the phase
-- is on. A threshold once reached stays reached.
CREATE OR REPLACE FUNCTION api.support_remove(p_token_hash text,
	p_slug text, p_id text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_f record;
BEGIN
	SELECT * INTO v_f FROM api.proposal_find(v_c, v_acc, p_id);
	PERFORM api.require_phase(v_c, v_f.process, 'proposals',
		'supports are withdrawn');
	PERFORM api.require_not_blocked(v_c, v_acc);
	DELETE FROM app.supports WHERE collectivity_id = v_c.id
	  AND proposal_id = (v_f.pr).id AND account_id = v_acc.id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'you do not support proposal "%"', p_id
			USING ERRCODE = 'PT404';
	END IF;
	UPDATE app.proposals SET supports = supports - 1
	WHERE collectivity_id = v_c.id AND id = (v_f.pr).id;
	RETURN '';
END
$$;

-- GET /v1/collectivities/{cid}/processes/{pid}/proposals: filters (state,
-- category, area, author, q), sort recent | supports | comments | random
-- (with seed), keyset cursor "<key>_<id>" of the sort. Drafts are listed
-- only to their author (author=me); hidden ones only to staff.
CREATE OR REPLACE FUNCTION api.proposal_list(p_token_hash text, p_slug text,
	p_pid text, p_filters jsonb, p_limit int, p_after text)
RETURNS TABLE (body text, next text)
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account_opt(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_process app.processes := api.process_find(v_c, v_acc, p_pid);
	v_staff boolean := api.is_staff(v_c, v_acc);
	v_sort text := coalesce(p_filters->>'sort', 'recent');
	v_seed text := coalesce(p_filters->>'seed', '');
	v_state text := p_filters->>'state';
	v_author uuid;
	v_area uuid;
	v_q tsquery;
	v_key text;
	v_at timestamptz;
	v_id uuid;
	v_rows app.proposals[];
BEGIN
	IF p_filters->>'author' = 'me' THEN
		IF v_acc.id IS NULL THEN
			RAISE EXCEPTION 'author=me needs a bearer token'
				USING ERRCODE = 'PT401';
		END IF;
		v_author := v_acc.id;
	ELSIF p_filters ? 'author' THEN
		v_author := api.uuid_or_null(p_filters->>'author');
		IF v_author IS NULL THEN
			PERFORM api.invalid(api.field_error('author',
				'must be an account id or "me"'), 'invalid query parameter "author"');
		END IF;
	END IF;
	IF v_state = 'draft' AND v_author IS DISTINCT FROM v_acc.id THEN
		PERFORM api.invalid(api.field_error('state',
			'drafts are listed only with author=me'),
			'invalid query parameter "state"');
	END IF;
	IF p_filters ? 'area' THEN
		SELECT id INTO v_area FROM app.areas
		WHERE collectivity_id = v_c.id AND slug = p_filters->>'area';
		IF NOT FOUND THEN
			PERFORM api.invalid(api.field_error('area', format(
				'no area "%s" in "%s"', p_filters->>'area', p_slug)),
				'invalid query parameter "area"');
		END IF;
	END IF;
	IF p_filters ? 'q' THEN
		v_q := websearch_to_tsquery('app.french_unaccent', p_filters->>'q');
	END IF;
	IF p_after IS NOT NULL THEN
		v_key := substring(p_after FROM '^(.*)_[^_]*$');
		v_id := api.uuid_or_null(substring(p_after FROM '_([^_]*)$'));
		IF v_key IS NULL OR v_id IS NULL OR (v_sort IN ('supports', 'comments')
				AND v_key !~ '^[0-9]{1,9}$') OR (v_sort = 'recent'
				AND v_key <> 'none' AND api.try_timestamp(v_key) IS NULL) THEN
			PERFORM api.invalid(api.field_error('after',
				'is not a valid cursor'), 'invalid query parameter "after"');
		END IF;
		-- "none": the cursor row was never published (a draft, or a draft
		-- withdrawn); those come first in published_at DESC order.
		IF v_sort = 'recent' AND v_key <> 'none' THEN
			v_at := api.try_timestamp(v_key);
		END IF;
	END IF;
	-- One branch per sort so each walks its own index.
	IF v_sort = 'recent' THEN
		SELECT array_agg(p ORDER BY p.published_at DESC, p.id DESC) INTO v_rows
		FROM (SELECT p.* FROM app.proposals p
			WHERE p.collectivity_id = v_c.id AND p.process_id = v_process.id
			  AND api.proposal_listed(p, v_acc.id, v_staff, v_state, v_author,
				v_area, p_filters->>'category', v_q)
			  AND (v_key IS NULL
				OR (v_key = 'none' AND (p.published_at IS NOT NULL
					OR p.id < v_id))
				OR (v_key <> 'none' AND (p.published_at, p.id) < (v_at, v_id)))
			ORDER BY p.published_at DESC, p.id DESC
			LIMIT p_limit + 1) p;
	ELSIF v_sort = 'supports' THEN
		SELECT array_agg(p ORDER BY p.supports DESC, p.id DESC) INTO v_rows
		FROM (SELECT p.* FROM app.proposals p
			WHERE p.collectivity_id = v_c.id AND p.process_id = v_process.id
			  AND api.proposal_listed(p, v_acc.id, v_staff, v_state, v_author,
				v_area, p_filters->>'category', v_q)
			  AND (v_key IS NULL OR (p.supports, p.id) < (v_key::int, v_id))
			ORDER BY p.supports DESC, p.id DESC
			LIMIT p_limit + 1) p;
	ELSIF v_sort = 'comments' THEN
		SELECT array_agg(p ORDER BY p.comments DESC, p.id DESC) INTO v_rows
		FROM (SELECT p.* FROM app.proposals p
			WHERE p.collectivity_id = v_c.id AND p.process_id = v_process.id
			  AND api.proposal_listed(p, v_acc.id, v_staff, v_state, v_author,
				v_area, p_filters->>'category', v_q)
			  AND (v_key IS NULL OR (p.comments, p.id) < (v_key::int, v_id))
			ORDER BY p.comments DESC, p.id DESC
			LIMIT p_limit + 1) p;
	ELSE
		-- random: a stable shuffle for the client's seed. No index holds
		-- md5(seed || id) for every seed, so every page hashes and sorts
		-- all the listed proposals of the process: it sorts (key, id) only,
		-- each key computed once (OFFSET 0 keeps it in the subquery), and
		-- fetches the page's rows after.
		SELECT array_agg(p ORDER BY k.key, k.id) INTO v_rows
		FROM (SELECT r.id, r.key
			FROM (SELECT p.id, md5(v_seed || p.id::text) AS key
				FROM app.proposals p
				WHERE p.collectivity_id = v_c.id AND p.process_id = v_process.id
				  AND api.proposal_listed(p, v_acc.id, v_staff, v_state,
					v_author, v_area, p_filters->>'category', v_q)
				OFFSET 0) r
			WHERE v_key IS NULL OR (r.key, r.id) > (v_key, v_id)
			ORDER BY r.key, r.id
			LIMIT p_limit + 1) k
		JOIN app.proposals p ON p.collectivity_id = v_c.id AND p.id = k.id;
	END IF;
	RETURN QUERY SELECT
		coalesce((SELECT json_agg(api.proposal_json(v_rows[n], v_acc.id,
			v_staff) ORDER BY n) FROM generate_series(1,
			least(coalesce(cardinality(v_rows), 0), p_limit)) n)::text, '[]'),
		CASE WHEN cardinality(v_rows) > p_limit THEN
			CASE v_sort WHEN 'recent' THEN coalesce(to_char(
					(v_rows[p_limit]).published_at AT TIME ZONE 'UTC',
					'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'none')
				WHEN 'supports' THEN (v_rows[p_limit]).supports::text
				WHEN 'comments' THEN (v_rows[p_limit]).comments::text
				ELSE md5(v_seed || (v_rows[p_limit]).id::text) END
			|| '_' || (v_rows[p_limit]).id END;
END
$$;

-- The list filters. Withdrawn proposals are listed only when asked for.
CREATE OR REPLACE FUNCTION api.proposal_listed(p app.proposals,
	p_viewer uuid, p_staff boolean, p_state text, p_author uuid,
	p_area uuid, p_category text, p_q tsquery)
RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT (CASE WHEN p_state IS NULL THEN p.state NOT IN ('draft',
			'withdrawn')
		ELSE p.state = p_state END)
	  AND (p.published_at IS NOT NULL OR p.author_id = p_viewer)
	  AND (p.hidden_at IS NULL OR p_staff OR p.author_id = p_viewer)
	  AND (p_author IS NULL OR p.author_id = p_author)
	  AND (p_area IS NULL OR p.area_id = p_area)
	  AND (p_category IS NULL OR p.category = p_category)
	  AND (p_q IS NULL OR p.search @@ p_q)
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA api TO participe_app;
