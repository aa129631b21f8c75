-- Comments (threaded to depth 3, stances, votes, edit window, deletion),
-- reports and moderation (automatic hiding, queue, hide and restore,
-- blocks), follows and notifications. docs/proposals.md.

-- Authors may edit a comment for this long after posting it.
CREATE OR REPLACE FUNCTION api.comment_edit_window()
RETURNS interval
LANGUAGE sql IMMUTABLE AS $$ SELECT interval '15 minutes' $$;

CREATE OR REPLACE FUNCTION api.comment_json(cm app.comments, p_viewer uuid)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', cm.id, 'parent_id', cm.parent_id,
		'depth', cm.depth, 'proposal_id', cm.proposal_id,
		'process_id', cm.process_id,
		'author', CASE WHEN cm.deleted_at IS NULL
			THEN api.person_json(cm.author_id) END,
		'stance', cm.stance,
		'body', CASE WHEN cm.deleted_at IS NULL THEN cm.body END,
		'deleted', cm.deleted_at IS NOT NULL,
		'hidden', cm.hidden_at IS NOT NULL,
		'up', (SELECT count(*) FROM app.comment_votes v
			WHERE v.collectivity_id = cm.collectivity_id
			  AND v.comment_id = cm.id AND v.value = 1),
		'down', (SELECT count(*) FROM app.comment_votes v
			WHERE v.collectivity_id = cm.collectivity_id
			  AND v.comment_id = cm.id AND v.value = -1),
		'my_vote', CASE WHEN p_viewer IS NULL THEN NULL ELSE (SELECT v.value
			FROM app.comment_votes v
			WHERE v.collectivity_id = cm.collectivity_id
			  AND v.comment_id = cm.id AND v.account_id = p_viewer) END,
		'created_at', cm.created_at, 'edited_at', cm.edited_at)
$$;

-- The thread a comments route names: a proposal (p_kind 'proposal') or a
-- process itself ('process'). Returns the process and the proposal id.
CREATE OR REPLACE FUNCTION api.thread_find(p_c app.collectivities,
	p_acc app.accounts, p_kind text, p_id text, OUT process app.processes,
	OUT proposal app.proposals)
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_f record;
BEGIN
	IF p_kind = 'proposal' THEN
		SELECT * INTO v_f FROM api.proposal_find(p_c, p_acc, p_id);
		process := v_f.process;
		proposal := v_f.pr;
	ELSE
		process := api.process_find(p_c, p_acc, p_id);
	END IF;
END
$$;

-- The ids of a comment's ancestors, from its sort_key: every segment but
-- the last is "<time>_<id>" of one of them.
CREATE OR REPLACE FUNCTION api.comment_ancestors(p_key text)
RETURNS uuid[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(array_agg(substring(k FROM '_([^_]*)$')::uuid), '{}')
	FROM unnest(string_to_array(p_key, '/')) WITH ORDINALITY AS s (k, n)
	WHERE n < cardinality(string_to_array(p_key, '/'))
$$;

-- Shown to everyone but staff: neither the comment nor one of its
-- ancestors is hidden (a few primary key lookups, however long the
-- thread); its author still sees their own hidden comment (not the
-- replies under it). p_viewer NULL: the public.
CREATE OR REPLACE FUNCTION api.comment_shown(cm app.comments,
	p_viewer uuid)
RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT (cm.hidden_at IS NULL OR coalesce(cm.author_id = p_viewer, false))
	  AND (cm.parent_id IS NULL OR NOT EXISTS (
		SELECT 1 FROM app.comments h
		WHERE h.collectivity_id = cm.collectivity_id
		  AND h.id = ANY (api.comment_ancestors(cm.sort_key))
		  AND h.hidden_at IS NOT NULL))
$$;

-- Out of the public thread: hidden itself, or a reply under a hidden
-- comment.
CREATE OR REPLACE FUNCTION api.comment_hidden_above(cm app.comments)
RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT NOT api.comment_shown(cm, NULL)
$$;

-- GET .../proposals/{id}/comments and .../processes/{pid}/comments: the
-- thread depth first, oldest first, keyset on sort_key. Hidden comments
-- and their replies are left out but for staff. A page is one range scan
-- of comments_thread_idx from the cursor: hence a branch per kind of
-- thread (proposal_id = or IS NULL; IS NOT DISTINCT FROM is no index
-- condition) and sort_key > '' on the first page (every key is longer),
-- as an OR with "p_after IS NULL" is no index condition either in a
-- generic plan.
CREATE OR REPLACE FUNCTION api.comment_list(p_token_hash text, p_slug text,
	p_kind text, p_id text, p_limit int, p_after text)
RETURNS TABLE (body text, next text)
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account_opt(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_t record;
	v_staff boolean := api.is_staff(v_c, v_acc);
	v_process uuid;
	v_proposal uuid;
	v_after text := coalesce(p_after, '');
	v_rows app.comments[];
BEGIN
	SELECT * INTO v_t FROM api.thread_find(v_c, v_acc, p_kind, p_id);
	v_process := (v_t.process).id;
	v_proposal := (v_t.proposal).id;
	-- (A regular expression repeats at most 255 times: {1,400} is an error.)
	IF p_after IS NOT NULL AND (length(p_after) > 400
			OR p_after !~ '^[0-9a-f/_-]+$') THEN
		PERFORM api.invalid(api.field_error('after', 'is not a valid cursor'),
			'invalid query parameter "after"');
	END IF;
	IF v_proposal IS NOT NULL THEN
		SELECT array_agg(cm ORDER BY cm.sort_key) INTO v_rows FROM (
			SELECT cm.* FROM app.comments cm
			WHERE cm.collectivity_id = v_c.id AND cm.process_id = v_process
			  AND cm.proposal_id = v_proposal AND cm.sort_key > v_after
			  AND (v_staff OR api.comment_shown(cm, v_acc.id))
			ORDER BY cm.sort_key
			LIMIT p_limit + 1) cm;
	ELSE
		SELECT array_agg(cm ORDER BY cm.sort_key) INTO v_rows FROM (
			SELECT cm.* FROM app.comments cm
			WHERE cm.collectivity_id = v_c.id AND cm.process_id = v_process
			  AND cm.proposal_id IS NULL AND cm.sort_key > v_after
			  AND (v_staff OR api.comment_shown(cm, v_acc.id))
			ORDER BY cm.sort_key
			LIMIT p_limit + 1) cm;
	END IF;
	RETURN QUERY SELECT
		coalesce((SELECT json_agg(api.comment_json(v_rows[n], v_acc.id)
			ORDER BY n) FROM generate_series(1,
			least(coalesce(cardinality(v_rows), 0), p_limit)) n)::text, '[]'),
		CASE WHEN cardinality(v_rows) > p_limit
			THEN (v_rows[p_limit]).sort_key END;
END
$$;

-- The key of a comment in its thread: 20 digits of time, then the id.
CREATE OR REPLACE FUNCTION api.comment_key(p_at timestamptz, p_id uuid)
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT lpad((extract(epoch FROM p_at) * 1000000)::bigint::text, 20, '0')
		|| '_' || p_id
$$;

-- POST .../proposals/{id}/comments and .../processes/{pid}/comments:
-- while the process is published, by the "comment" rule; replies nest to
-- depth 3.
CREATE OR REPLACE FUNCTION api.comment_create(p_token_hash text,
	p_slug text, p_kind text, p_id text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_t record;
	v_parent app.comments;
	v_cm app.comments;
	v_id uuid := gen_random_uuid();
BEGIN
	SELECT * INTO v_t FROM api.thread_find(v_c, v_acc, p_kind, p_id);
	IF (v_t.process).status <> 'published' THEN
		RAISE EXCEPTION 'comments open once the process is published'
			USING ERRCODE = 'PT409';
	END IF;
	IF p_kind = 'proposal' AND ((v_t.proposal).state IN ('draft', 'withdrawn')
			OR (v_t.proposal).hidden_at IS NOT NULL) THEN
		RAISE EXCEPTION 'a % proposal takes no comments', CASE WHEN
			(v_t.proposal).hidden_at IS NOT NULL THEN 'hidden'
			ELSE (v_t.proposal).state END USING ERRCODE = 'PT409';
	END IF;
	PERFORM api.require_can_act(v_c, v_t.process, v_acc, 'comment');
	IF p_body ? 'parent_id' AND jsonb_typeof(p_body->'parent_id') <> 'null' THEN
		SELECT * INTO v_parent FROM app.comments
		WHERE collectivity_id = v_c.id
		  AND id = api.uuid_or_null(p_body->>'parent_id')
		  AND process_id = (v_t.process).id
		  AND proposal_id IS NOT DISTINCT FROM (v_t.proposal).id;
		IF NOT FOUND OR api.comment_hidden_above(v_parent) THEN
			RAISE EXCEPTION 'no comment "%" in this thread', p_body->>'parent_id'
				USING ERRCODE = 'PT404';
		END IF;
		IF v_parent.depth >= 3 THEN
			PERFORM api.invalid(api.field_error('parent_id',
				'replies nest at most 3 levels deep'));
		END IF;
		IF v_parent.deleted_at IS NOT NULL THEN
			RAISE EXCEPTION 'a deleted comment takes no replies'
				USING ERRCODE = 'PT409';
		END IF;
	END IF;
	INSERT INTO app.comments (collectivity_id, id, process_id, proposal_id,
		parent_id, depth, sort_key, author_id, stance, body)
	VALUES (v_c.id, v_id, (v_t.process).id, (v_t.proposal).id, v_parent.id,
		coalesce(v_parent.depth + 1, 1),
		CASE WHEN v_parent.id IS NULL THEN api.comment_key(now(), v_id)
			ELSE v_parent.sort_key || '/' || api.comment_key(now(), v_id) END,
		v_acc.id, coalesce(p_body->>'stance', 'neutral'), p_body->>'body')
	RETURNING * INTO v_cm;
	IF v_cm.proposal_id IS NOT NULL THEN
		UPDATE app.proposals SET comments = comments + 1
		WHERE collectivity_id = v_c.id AND id = v_cm.proposal_id;
	END IF;
	IF v_parent.author_id IS NOT NULL AND v_parent.author_id <> v_acc.id THEN
		INSERT INTO app.notifications (collectivity_id, account_id, kind,
			target_type, target_id, payload)
		VALUES (v_c.id, v_parent.author_id, 'comment_reply', 'comment',
			v_cm.id, jsonb_build_object('parent_id', v_parent.id,
				'proposal_id', v_cm.proposal_id,
				'process_id', v_cm.process_id));
	END IF;
	RETURN api.comment_json(v_cm, v_acc.id)::text;
END
$$;

CREATE OR REPLACE FUNCTION api.comment_find(p_c app.collectivities,
	p_acc app.accounts, p_id text)
RETURNS app.comments
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_cm app.comments;
BEGIN
	SELECT * INTO v_cm FROM app.comments
	WHERE collectivity_id = p_c.id AND id = api.uuid_or_null(p_id);
	IF NOT FOUND OR (api.comment_hidden_above(v_cm) AND NOT api.is_staff(p_c,
			p_acc) AND v_cm.author_id IS DISTINCT FROM p_acc.id) THEN
		RAISE EXCEPTION 'no comment "%" in collectivity "%"', p_id, p_c.slug
			USING ERRCODE = 'PT404';
	END IF;
	-- Its thread must be visible too (a draft process, a draft proposal).
	IF v_cm.proposal_id IS NOT NULL THEN
		PERFORM api.proposal_find(p_c, p_acc, v_cm.proposal_id::text);
	ELSE
		PERFORM api.process_find(p_c, p_acc, v_cm.process_id::text);
	END IF;
	RETURN v_cm;
END
$$;

-- PATCH /v1/collectivities/{cid}/comments/{id}: the author, within the
-- edit window.
CREATE OR REPLACE FUNCTION api.comment_update(p_token_hash text,
	p_slug text, p_id text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_cm app.comments := api.comment_find(v_c, v_acc, p_id);
BEGIN
	IF v_cm.author_id IS DISTINCT FROM v_acc.id THEN
		RAISE EXCEPTION 'only the author edits a comment'
			USING ERRCODE = 'PT403';
	END IF;
	IF v_cm.deleted_at IS NOT NULL OR api.comment_hidden_above(v_cm)
			OR now() > v_cm.created_at + api.comment_edit_window() THEN
		RAISE EXCEPTION 'a comment can be edited for % after posting, while '
			'it is neither deleted nor hidden', api.comment_edit_window()
			USING ERRCODE = 'PT409';
	END IF;
	PERFORM api.require_can_act(v_c, (SELECT p FROM app.processes p
		WHERE p.collectivity_id = v_c.id AND p.id = v_cm.process_id),
		v_acc, 'comment');
	UPDATE app.comments SET body = coalesce(p_body->>'body', body),
		edited_at = now()
	WHERE collectivity_id = v_c.id AND id = v_cm.id RETURNING * INTO v_cm;
	RETURN api.comment_json(v_cm, v_acc.id)::text;
END
$$;

-- Keeps a proposal's comment count to its visible comments: neither
-- deleted nor hidden, nor under a hidden comment. Creating adds one;
-- deleting, hiding and restoring count again (one range of the thread
-- index).
CREATE OR REPLACE FUNCTION api.comment_count_add(p_cm app.comments, p_n int)
RETURNS void
LANGUAGE sql AS $$
	UPDATE app.proposals SET comments = greatest(comments + p_n, 0)
	WHERE collectivity_id = p_cm.collectivity_id AND id = p_cm.proposal_id
$$;

CREATE OR REPLACE FUNCTION api.comment_count_refresh(p_c uuid,
	p_proposal uuid)
RETURNS void
LANGUAGE sql AS $$
	UPDATE app.proposals p SET comments = (SELECT count(*)
		FROM app.comments cm
		WHERE cm.collectivity_id = p_c AND cm.process_id = p.process_id
		  AND cm.proposal_id = p_proposal AND cm.deleted_at IS NULL
		  AND api.comment_shown(cm, NULL))
	WHERE p.collectivity_id = p_c AND p.id = p_proposal
$$;

-- DELETE /v1/collectivities/{cid}/comments/{id}: the author; the comment
-- stays in the thread as "deleted", its text erased.
CREATE OR REPLACE FUNCTION api.comment_delete(p_token_hash text,
	p_slug text, p_id text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_cm app.comments := api.comment_find(v_c, v_acc, p_id);
BEGIN
	IF v_cm.author_id IS DISTINCT FROM v_acc.id THEN
		RAISE EXCEPTION 'only the author deletes a comment'
			USING ERRCODE = 'PT403';
	END IF;
	IF v_cm.deleted_at IS NOT NULL THEN
		RAISE EXCEPTION 'comment "%" is already deleted', p_id
			USING ERRCODE = 'PT409';
	END IF;
	UPDATE app.comments SET deleted_at = now(), body = ''
	WHERE collectivity_id = v_c.id AND id = v_cm.id;
	IF v_cm.proposal_id IS NOT NULL THEN
		PERFORM api.comment_count_refresh(v_c.id, v_cm.proposal_id);
	END IF;
	RETURN '';
END
$$;

-- POST /v1/collectivities/{cid}/comments/{id}/vote {value: 1 | -1}: one
-- vote per participant (409 for a second; DELETE it to change), not on
-- one's own comment.
CREATE OR REPLACE FUNCTION api.comment_vote(p_token_hash text, p_slug text,
	p_id text, p_value int)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_cm app.comments := api.comment_find(v_c, v_acc, p_id);
BEGIN
	IF p_value IS NULL OR p_value NOT IN (-1, 1) THEN
		PERFORM api.invalid(api.field_error('value', 'must be 1 or -1'));
	END IF;
	IF v_cm.deleted_at IS NOT NULL OR api.comment_hidden_above(v_cm) THEN
		RAISE EXCEPTION 'a deleted or hidden comment takes no votes'
			USING ERRCODE = 'PT409';
	END IF;
	IF v_cm.author_id = v_acc.id THEN
		RAISE EXCEPTION 'you cannot vote on your own comment'
			USING ERRCODE = 'PT403';
	END IF;
	PERFORM api.require_can_act(v_c, (SELECT p FROM app.processes p
		WHERE p.collectivity_id = v_c.id AND p.id = v_cm.process_id),
		v_acc, 'comment');
	INSERT INTO app.comment_votes (collectivity_id, comment_id, account_id,
		value)
	VALUES (v_c.id, v_cm.id, v_acc.id, p_value) ON CONFLICT DO NOTHING;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'you have already voted on this comment; delete '
			'your vote to change it' USING ERRCODE = 'PT409';
	END IF;
	RETURN api.comment_json(v_cm, v_acc.id)::text;
END
$$;

-- DELETE /v1/collectivities/{cid}/comments/{id}/vote
CREATE OR REPLACE FUNCTION api.comment_unvote(p_token_hash text,
	p_slug text, p_id text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_cm app.comments := api.comment_find(v_c, v_acc, p_id);
BEGIN
	DELETE FROM app.comment_votes WHERE collectivity_id = v_c.id
	  AND comment_id = v_cm.id AND account_id = v_acc.id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'you have not voted on comment "%"', p_id
			USING ERRCODE = 'PT404';
	END IF;
	RETURN '';
END
$$;

-- Moderation --------------------------------------------------------------

-- Hides (p_hide) or restores a proposal or comment, keeping the
-- proposal's count of visible comments right (a hidden comment takes its
-- replies out with it).
CREATE OR REPLACE FUNCTION api.set_hidden(p_c app.collectivities,
	p_type text, p_id uuid, p_hide boolean, p_reason text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_proposal uuid;
BEGIN
	IF p_type = 'proposal' THEN
		UPDATE app.proposals SET
			hidden_at = CASE WHEN p_hide THEN coalesce(hidden_at, now()) END,
			hidden_reason = CASE WHEN p_hide THEN p_reason END
		WHERE collectivity_id = p_c.id AND id = p_id;
	ELSE
		UPDATE app.comments SET
			hidden_at = CASE WHEN p_hide THEN coalesce(hidden_at, now()) END,
			hidden_reason = CASE WHEN p_hide THEN p_reason END
		WHERE collectivity_id = p_c.id AND id = p_id
		RETURNING proposal_id INTO v_proposal;
		IF v_proposal IS NOT NULL THEN
			PERFORM api.comment_count_refresh(p_c.id, v_proposal);
		END IF;
	END IF;
END
$$;

-- A moderator's hide or restore: resolves the item's open reports and
-- writes the audit log.
CREATE OR REPLACE FUNCTION api.moderate(p_c app.collectivities,
	p_actor uuid, p_type text, p_id uuid, p_hide boolean, p_reason text)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM api.set_hidden(p_c, p_type, p_id, p_hide, p_reason);
	UPDATE app.reports SET resolved_at = now(), resolved_by = p_actor,
		resolution = CASE WHEN p_hide THEN 'hidden' ELSE 'restored' END
	WHERE collectivity_id = p_c.id AND target_type = p_type
	  AND target_id = p_id AND resolved_at IS NULL;
	PERFORM api.audit(p_c.id, p_actor, p_type || CASE WHEN p_hide
		THEN '.hide' ELSE '.restore' END, p_type, p_id::text, p_reason);
END
$$;

-- POST /v1/collectivities/{cid}/reports: anyone signed in, once per item;
-- at the collectivity's report_threshold distinct open reports the item
-- is hidden pending review.
CREATE OR REPLACE FUNCTION api.report_create(p_token_hash text,
	p_slug text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_type text := p_body->>'target_type';
	v_id uuid;
	v_open int;
	v_hidden boolean;
	v_r app.reports;
BEGIN
	PERFORM api.require_not_blocked(v_c, v_acc);
	IF NOT v_type = ANY (ARRAY['proposal', 'comment']) THEN
		PERFORM api.invalid(api.field_error('target_type',
			'must be proposal or comment'));
	END IF;
	IF NOT p_body->>'reason' = ANY (ARRAY['spam', 'offensive', 'off_topic',
			'personal_data', 'other']) THEN
		PERFORM api.invalid(api.field_error('reason', 'must be one of spam, '
			'offensive, off_topic, personal_data, other'));
	END IF;
	IF v_type = 'proposal' THEN
		v_id := ((api.proposal_find(v_c, v_acc, p_body->>'target_id')).pr).id;
		SELECT hidden_at IS NOT NULL INTO v_hidden FROM app.proposals
		WHERE collectivity_id = v_c.id AND id = v_id;
	ELSE
		v_id := (api.comment_find(v_c, v_acc, p_body->>'target_id')).id;
		SELECT hidden_at IS NOT NULL INTO v_hidden FROM app.comments
		WHERE collectivity_id = v_c.id AND id = v_id;
	END IF;
	INSERT INTO app.reports (collectivity_id, target_type, target_id,
		reporter_id, reason, note)
	VALUES (v_c.id, v_type, v_id, v_acc.id, p_body->>'reason',
		p_body->>'note')
	ON CONFLICT DO NOTHING RETURNING * INTO v_r;
	IF v_r.id IS NULL THEN
		RAISE EXCEPTION 'you have already reported this %', v_type
			USING ERRCODE = 'PT409';
	END IF;
	SELECT count(*) INTO v_open FROM app.reports
	WHERE collectivity_id = v_c.id AND target_type = v_type
	  AND target_id = v_id AND resolved_at IS NULL;
	IF NOT v_hidden AND v_open >= v_c.report_threshold THEN
		-- Hidden pending review: the reports stay open for moderators.
		PERFORM api.set_hidden(v_c, v_type, v_id, true, format(
			'hidden automatically after %s reports', v_open));
		PERFORM api.audit(v_c.id, NULL, 'auto.hide', v_type, v_id::text,
			format('%s distinct reports', v_open));
		v_hidden := true;
	END IF;
	RETURN json_build_object('id', v_r.id, 'target_type', v_type,
		'target_id', v_id, 'reason', v_r.reason, 'note', v_r.note,
		'created_at', v_r.created_at, 'hidden', v_hidden)::text;
END
$$;

-- GET /v1/collectivities/{cid}/moderation/queue: items with open reports,
-- oldest first report first; keyset "<first report time>_<id>".
CREATE OR REPLACE FUNCTION api.moderation_queue(p_token_hash text,
	p_slug text, p_limit int, p_after text)
RETURNS TABLE (body text, next text)
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_at timestamptz;
	v_id uuid;
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['moderator', 'admin']);
	IF p_after IS NOT NULL THEN
		v_at := api.try_timestamp(split_part(p_after, '_', 1));
		v_id := api.uuid_or_null(split_part(p_after, '_', 2));
		IF v_at IS NULL OR v_id IS NULL THEN
			PERFORM api.invalid(api.field_error('after',
				'is not a valid cursor'), 'invalid query parameter "after"');
		END IF;
	END IF;
	RETURN QUERY
	WITH items AS (
		SELECT r.target_type, r.target_id, min(r.created_at) AS first_at,
			max(r.created_at) AS last_at, count(*) AS n
		FROM app.reports r
		WHERE r.collectivity_id = v_c.id AND r.resolved_at IS NULL
		GROUP BY r.target_type, r.target_id
	), page AS (
		SELECT i.*, row_number() OVER (ORDER BY i.first_at, i.target_id) AS k
		FROM items i
		WHERE v_at IS NULL OR (i.first_at, i.target_id) > (v_at, v_id)
		ORDER BY i.first_at, i.target_id
		LIMIT p_limit + 1
	)
	SELECT coalesce(json_agg(json_build_object(
			'target_type', p.target_type, 'target_id', p.target_id,
			'open_reports', p.n,
			'reasons', (SELECT jsonb_object_agg(x.reason, x.c) FROM (
				SELECT r.reason, count(*) AS c FROM app.reports r
				WHERE r.collectivity_id = v_c.id AND r.resolved_at IS NULL
				  AND r.target_type = p.target_type
				  AND r.target_id = p.target_id GROUP BY r.reason) x),
			'first_reported_at', p.first_at, 'last_reported_at', p.last_at,
			'hidden', CASE p.target_type
				WHEN 'proposal' THEN (SELECT pr.hidden_at IS NOT NULL
					FROM app.proposals pr WHERE pr.collectivity_id = v_c.id
					  AND pr.id = p.target_id)
				ELSE (SELECT cm.hidden_at IS NOT NULL FROM app.comments cm
					WHERE cm.collectivity_id = v_c.id AND cm.id = p.target_id)
				END,
			'excerpt', CASE p.target_type
				WHEN 'proposal' THEN (SELECT left(pr.title, 200)
					FROM app.proposals pr WHERE pr.collectivity_id = v_c.id
					  AND pr.id = p.target_id)
				ELSE (SELECT left(cm.body, 200) FROM app.comments cm
					WHERE cm.collectivity_id = v_c.id AND cm.id = p.target_id)
				END) ORDER BY p.k) FILTER (WHERE p.k <= p_limit), '[]')::text,
		CASE WHEN count(*) > p_limit THEN (SELECT to_char(q.first_at AT TIME
				ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '_' || q.target_id
			FROM page q WHERE q.k = p_limit) END
	FROM page p;
END
$$;

-- POST (hide) and DELETE (restore) /v1/collectivities/{cid}/proposals/
-- {id}/hidden and .../comments/{id}/hidden: moderators, with a reason.
CREATE OR REPLACE FUNCTION api.item_hide(p_token_hash text, p_slug text,
	p_type text, p_id text, p_hide boolean, p_reason text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_id uuid;
BEGIN
	IF p_type = 'proposal' THEN
		v_id := ((api.proposal_find(v_c, v_acc, p_id)).pr).id;
	ELSE
		v_id := (api.comment_find(v_c, v_acc, p_id)).id;
	END IF;
	PERFORM api.require_role(v_c, v_acc, ARRAY['moderator', 'admin']);
	IF p_hide AND coalesce(p_reason, '') = '' THEN
		PERFORM api.invalid(api.field_error('reason', 'is required to hide'));
	END IF;
	PERFORM api.moderate(v_c, v_acc.id, p_type, v_id, p_hide, p_reason);
	RETURN '';
END
$$;

-- Blocks -----------------------------------------------------------------

-- A blocked participant cannot act in the collectivity (403).
CREATE OR REPLACE FUNCTION api.require_not_blocked(p_c app.collectivities,
	p_acc app.accounts)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM app.blocks WHERE collectivity_id = p_c.id
			AND account_id = p_acc.id) THEN
		RAISE EXCEPTION 'you are blocked in "%" and cannot act there',
			p_c.slug USING ERRCODE = 'PT403';
	END IF;
END
$$;

CREATE OR REPLACE FUNCTION api.block_json(b app.blocks)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('account', api.person_json(b.account_id),
		'reason', b.reason, 'blocked_by', b.blocked_by,
		'created_at', b.created_at)
$$;

-- GET /v1/collectivities/{cid}/blocks
CREATE OR REPLACE FUNCTION api.block_list(p_token_hash text, p_slug text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['moderator', 'admin']);
	RETURN (SELECT coalesce(json_agg(api.block_json(b)
		ORDER BY b.created_at, b.account_id), '[]')
		FROM app.blocks b WHERE b.collectivity_id = v_c.id)::text;
END
$$;

-- POST /v1/collectivities/{cid}/blocks {account_id, reason}: someone who
-- took part here (a member, or an author of a contribution); not staff.
CREATE OR REPLACE FUNCTION api.block_create(p_token_hash text, p_slug text,
	p_body jsonb)
RETURNS TABLE (body text, created boolean)
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_target uuid := api.uuid_or_null(p_body->>'account_id');
	v_b app.blocks;
BEGIN
	IF v_target IS NULL OR NOT (EXISTS (SELECT 1 FROM app.members
			WHERE collectivity_id = v_c.id AND account_id = v_target)
		OR EXISTS (SELECT 1 FROM app.proposals WHERE collectivity_id = v_c.id
			AND author_id = v_target)
		OR EXISTS (SELECT 1 FROM app.comments WHERE collectivity_id = v_c.id
			AND author_id = v_target)) THEN
		RAISE EXCEPTION 'no participant "%" in collectivity "%"',
			p_body->>'account_id', v_c.slug USING ERRCODE = 'PT404';
	END IF;
	PERFORM api.require_role(v_c, v_acc, ARRAY['moderator', 'admin']);
	IF api.roles_of(v_c.id, v_target) && ARRAY['moderator', 'admin'] THEN
		RAISE EXCEPTION 'moderators and admins are not blocked; revoke the '
			'role first' USING ERRCODE = 'PT409';
	END IF;
	INSERT INTO app.blocks (collectivity_id, account_id, blocked_by, reason)
	VALUES (v_c.id, v_target, v_acc.id, p_body->>'reason')
	ON CONFLICT DO NOTHING RETURNING * INTO v_b;
	IF v_b.account_id IS NULL THEN
		SELECT * INTO v_b FROM app.blocks
		WHERE collectivity_id = v_c.id AND account_id = v_target;
		RETURN QUERY SELECT api.block_json(v_b)::text, false;
		RETURN;
	END IF;
	PERFORM api.audit(v_c.id, v_acc.id, 'participant.block', 'account',
		v_target::text, p_body->>'reason');
	RETURN QUERY SELECT api.block_json(v_b)::text, true;
END
$$;

-- DELETE /v1/collectivities/{cid}/blocks/{aid}?reason=
CREATE OR REPLACE FUNCTION api.block_delete(p_token_hash text, p_slug text,
	p_account text, p_reason text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
BEGIN
	IF NOT EXISTS (SELECT 1 FROM app.blocks WHERE collectivity_id = v_c.id
			AND account_id = api.uuid_or_null(p_account)) THEN
		RAISE EXCEPTION 'participant "%" is not blocked in "%"', p_account,
			v_c.slug USING ERRCODE = 'PT404';
	END IF;
	PERFORM api.require_role(v_c, v_acc, ARRAY['moderator', 'admin']);
	DELETE FROM app.blocks WHERE collectivity_id = v_c.id
	  AND account_id = api.uuid_or_null(p_account);
	PERFORM api.audit(v_c.id, v_acc.id, 'participant.unblock', 'account',
		p_account, p_reason);
	RETURN '';
END
$$;

-- PATCH /v1/collectivities/{cid}/moderation {report_threshold}: admins.
CREATE OR REPLACE FUNCTION api.moderation_settings_update(p_token_hash text,
	p_slug text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	UPDATE app.collectivities SET report_threshold = coalesce(
		(p_body->>'report_threshold')::int, report_threshold),
		updated_at = now()
	WHERE id = v_c.id RETURNING * INTO v_c;
	PERFORM api.audit(v_c.id, v_acc.id, 'moderation.settings',
		'collectivity', v_c.slug, NULL, p_body);
	RETURN json_build_object('report_threshold', v_c.report_threshold)::text;
END
$$;

-- Follows and notifications -------------------------------------------------

-- PUT (follow) and DELETE (unfollow) .../proposals/{id}/follow and
-- .../processes/{pid}/follow.
CREATE OR REPLACE FUNCTION api.follow_set(p_token_hash text, p_slug text,
	p_type text, p_id text, p_follow boolean)
RETURNS TABLE (body text, created boolean)
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_id uuid;
	v_new boolean;
BEGIN
	IF p_type = 'proposal' THEN
		v_id := ((api.proposal_find(v_c, v_acc, p_id)).pr).id;
	ELSE
		v_id := (api.process_find(v_c, v_acc, p_id)).id;
	END IF;
	PERFORM api.require_not_blocked(v_c, v_acc);
	IF p_follow THEN
		INSERT INTO app.follows (collectivity_id, account_id, target_type,
			target_id)
		VALUES (v_c.id, v_acc.id, p_type, v_id) ON CONFLICT DO NOTHING;
		v_new := FOUND;
	ELSE
		DELETE FROM app.follows WHERE collectivity_id = v_c.id
		  AND account_id = v_acc.id AND target_type = p_type
		  AND target_id = v_id;
		IF NOT FOUND THEN
			RAISE EXCEPTION 'you do not follow this %', p_type
				USING ERRCODE = 'PT404';
		END IF;
		v_new := false;
	END IF;
	RETURN QUERY SELECT json_build_object('target_type', p_type,
		'target_id', v_id, 'following', p_follow)::text, v_new;
END
$$;

-- GET /v1/me/notifications?unread=&limit=&after=: newest first, every
-- collectivity.
CREATE OR REPLACE FUNCTION api.notification_list(p_token_hash text,
	p_unread boolean, p_limit int, p_after text)
RETURNS TABLE (body text, next text)
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_at timestamptz;
	v_id uuid;
BEGIN
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
		SELECT n, row_number() OVER (ORDER BY n.created_at DESC, n.id DESC) AS k
		FROM app.notifications n
		WHERE n.account_id = v_acc.id
		  AND (NOT coalesce(p_unread, false) OR n.read_at IS NULL)
		  AND (v_at IS NULL OR (n.created_at, n.id) < (v_at, v_id))
		ORDER BY n.created_at DESC, n.id DESC
		LIMIT p_limit + 1
	)
	SELECT coalesce(json_agg(json_build_object('id', (p.n).id,
			'collectivity', (SELECT c.slug FROM app.collectivities c
				WHERE c.id = (p.n).collectivity_id),
			'kind', (p.n).kind, 'target_type', (p.n).target_type,
			'target_id', (p.n).target_id, 'payload', (p.n).payload,
			'created_at', (p.n).created_at, 'read_at', (p.n).read_at)
			ORDER BY p.k) FILTER (WHERE p.k <= p_limit), '[]')::text,
		CASE WHEN count(*) > p_limit THEN (SELECT to_char((q.n).created_at
				AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '_'
				|| (q.n).id FROM page q WHERE q.k = p_limit) END
	FROM page p;
END
$$;

-- POST /v1/me/notifications/read {ids: [...]} or {all: true}
CREATE OR REPLACE FUNCTION api.notification_read(p_token_hash text,
	p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_n int;
BEGIN
	IF coalesce((p_body->>'all')::boolean, false) = (p_body ? 'ids') THEN
		PERFORM api.invalid(api.field_error('ids',
			'give either ids or "all": true'));
	END IF;
	UPDATE app.notifications SET read_at = now()
	WHERE account_id = v_acc.id AND read_at IS NULL
	  AND (coalesce((p_body->>'all')::boolean, false)
		OR id::text IN (SELECT lower(x)
			FROM jsonb_array_elements_text(p_body->'ids') x));
	GET DIAGNOSTICS v_n = ROW_COUNT;
	RETURN json_build_object('marked', v_n)::text;
END
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA api TO participe_app;
