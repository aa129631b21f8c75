-- Elections with signed ballots and their public logs (docs/protocol.md,
-- docs/elections.md). The server checks signatures and ballot rules in C
-- (lib/election.c) before anything arrives here; these functions keep the
-- credential list, the order of the log, its Merkle frontier, sequence
-- numbers and replays, under the election row's lock.

-- Byte strings of docs/protocol.md ---------------------------------------

-- F(x) = u32(len(x)) || x.
CREATE OR REPLACE FUNCTION api.lp(p bytea)
RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT int4send(octet_length(p)) || p
$$;

CREATE OR REPLACE FUNCTION api.lp_text(p text)
RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT api.lp(convert_to(p, 'UTF8'))
$$;

CREATE OR REPLACE FUNCTION api.lp_u64(p bigint)
RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT api.lp(int8send(p))
$$;

-- Milliseconds since the epoch.
CREATE OR REPLACE FUNCTION api.epoch_ms(p timestamptz)
RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT floor(extract(epoch FROM p) * 1000)::bigint
$$;

-- Lowercase hex of 32 or 64 bytes, or NULL when p is anything else.
CREATE OR REPLACE FUNCTION api.hex_or_null(p text, p_bytes int)
RETURNS bytea
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p ~ ('^[0-9a-f]{' || (2 * p_bytes) || '}$')
		THEN decode(p, 'hex') END
$$;

-- JSON text with sorted keys (bytewise) and no insignificant white space:
-- the descriptor's canonical form.
CREATE OR REPLACE FUNCTION api.canonical_json(p jsonb)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT CASE jsonb_typeof(p)
		WHEN 'object' THEN '{' || coalesce((SELECT string_agg(
			to_jsonb(k)::text || ':' || api.canonical_json(v), ','
			ORDER BY k COLLATE "C") FROM jsonb_each(p) AS e (k, v)), '')
			|| '}'
		WHEN 'array' THEN '[' || coalesce((SELECT string_agg(
			api.canonical_json(v), ',' ORDER BY n)
			FROM jsonb_array_elements(p) WITH ORDINALITY AS e (v, n)), '')
			|| ']'
		ELSE p::text END
$$;

-- The Merkle frontier (RFC 9162 2.1.1) --------------------------------------

-- Appends a leaf hash to the frontier of a tree of p_size leaves: merges
-- equal-sized subtrees as a binary counter carries.
CREATE OR REPLACE FUNCTION api.merkle_push(p_frontier bytea[], p_size bigint,
	p_leaf bytea)
RETURNS bytea[]
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	v_h bytea := p_leaf;
	v_f bytea[] := p_frontier;
	v_n bigint := p_size;
	v_k int;
BEGIN
	WHILE v_n & 1 = 1 LOOP
		v_k := cardinality(v_f);
		v_h := sha256('\x01'::bytea || v_f[v_k] || v_h);
		v_f := v_f[1:v_k - 1];
		v_n := v_n >> 1;
	END LOOP;
	RETURN array_append(v_f, v_h);
END
$$;

-- api.merkle_push of each of p_leaves in turn (one call for a batch).
CREATE OR REPLACE FUNCTION api.merkle_push_all(p_frontier bytea[],
	p_size bigint, p_leaves bytea[])
RETURNS bytea[]
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	v_f bytea[] := p_frontier;
	v_size bigint := p_size;
	v_h bytea;
	v_n bigint;
	v_k int;
	v_leaf bytea;
BEGIN
	FOREACH v_leaf IN ARRAY coalesce(p_leaves, '{}') LOOP
		v_h := v_leaf;
		v_n := v_size;
		WHILE v_n & 1 = 1 LOOP
			v_k := cardinality(v_f);
			v_h := sha256('\x01'::bytea || v_f[v_k] || v_h);
			v_f := v_f[1:v_k - 1];
			v_n := v_n >> 1;
		END LOOP;
		v_f := array_append(v_f, v_h);
		v_size := v_size + 1;
	END LOOP;
	RETURN v_f;
END
$$;

-- The tree's root from its frontier; SHA-256('') for the empty tree.
CREATE OR REPLACE FUNCTION api.merkle_root(p_frontier bytea[])
RETURNS bytea
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	v_k int := cardinality(p_frontier);
	v_r bytea;
BEGIN
	IF v_k = 0 THEN
		RETURN sha256(''::bytea);
	END IF;
	v_r := p_frontier[v_k];
	FOR i IN REVERSE v_k - 1 .. 1 LOOP
		v_r := sha256('\x01'::bytea || p_frontier[i] || v_r);
	END LOOP;
	RETURN v_r;
END
$$;

-- The log of opened election e, its row locked: appends are ordered by
-- this lock.
CREATE OR REPLACE FUNCTION api.log_of(e app.elections)
RETURNS app.election_logs
LANGUAGE sql AS $$
	SELECT * FROM app.election_logs
	WHERE collectivity_id = e.collectivity_id AND election_id = e.id
	FOR UPDATE
$$;

-- Appends one entry to a log whose row the caller has locked; the caller
-- writes l back with api.log_save (once per batch).
CREATE OR REPLACE FUNCTION api.log_append(INOUT l app.election_logs,
	p_kind text, p_entry bytea, p_tracker bytea, p_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
	v_leaf bytea := sha256('\x00'::bytea || p_entry);
BEGIN
	INSERT INTO app.election_log (collectivity_id, election_id, idx, kind,
		entry, leaf, tracker, at)
	VALUES (l.collectivity_id, l.election_id, l.tree_size, p_kind, p_entry,
		v_leaf, p_tracker, p_at);
	l.frontier := api.merkle_push(l.frontier, l.tree_size, v_leaf);
	l.tree_size := l.tree_size + 1;
END
$$;

CREATE OR REPLACE FUNCTION api.log_save(l app.election_logs)
RETURNS void
LANGUAGE sql AS $$
	UPDATE app.election_logs SET tree_size = l.tree_size,
		frontier = l.frontier, ballots = l.ballots
	WHERE collectivity_id = l.collectivity_id
	  AND election_id = l.election_id
$$;

-- Elections ---------------------------------------------------------------

-- draft, scheduled (open, not yet accepting), open, counting (closed, not
-- counted yet), closed.
CREATE OR REPLACE FUNCTION api.election_phase(e app.elections)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT CASE
		WHEN e.state = 'draft' THEN 'draft'
		WHEN e.state = 'open' AND now() < e.opens_at THEN 'scheduled'
		WHEN e.state = 'open' AND now() < e.closes_at THEN 'open'
		WHEN e.state = 'open' OR e.result IS NULL THEN 'counting'
		ELSE 'closed' END
$$;

CREATE OR REPLACE FUNCTION api.election_json(e app.elections)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', e.id, 'process_id', e.process_id,
		'title', e.title, 'description', e.description,
		'questions', e.questions, 'opens_at', e.opens_at,
		'closes_at', e.closes_at, 'revote', e.revote,
		'credential_mode', e.credential_mode,
		'state', api.election_phase(e),
		'descriptor', e.descriptor,
		'fingerprint', encode(e.fingerprint, 'hex'),
		'log_key', encode(e.log_key, 'hex'),
		'credentials', e.credentials,
		'tree_size', coalesce(l.tree_size, 0),
		'ballots', coalesce(l.ballots, 0), 'opened_at', e.opened_at,
		'closed_at', e.closed_at, 'counted_at', e.counted_at,
		'budget_id', e.budget_id,
		'created_at', e.created_at, 'updated_at', e.updated_at)
	FROM (SELECT 1) AS one
	LEFT JOIN app.election_logs l ON l.collectivity_id = e.collectivity_id
		AND l.election_id = e.id
$$;

-- The election, if the caller may see it (its process visible, and staff
-- only while a draft); 404 else.
CREATE OR REPLACE FUNCTION api.election_find(p_c app.collectivities,
	p_acc app.accounts, p_eid text, p_lock boolean DEFAULT false)
RETURNS app.elections
LANGUAGE plpgsql AS $$
DECLARE
	v_e app.elections;
BEGIN
	IF p_lock THEN
		SELECT * INTO v_e FROM app.elections
		WHERE collectivity_id = p_c.id AND id = api.uuid_or_null(p_eid)
		FOR UPDATE;
	ELSE
		SELECT * INTO v_e FROM app.elections
		WHERE collectivity_id = p_c.id AND id = api.uuid_or_null(p_eid);
	END IF;
	IF NOT FOUND OR (v_e.state = 'draft' AND NOT api.is_staff(p_c, p_acc))
			OR NOT EXISTS (SELECT 1 FROM app.processes p
				WHERE p.collectivity_id = p_c.id AND p.id = v_e.process_id
				  AND (p.status = 'published' OR api.is_staff(p_c, p_acc)))
			THEN
		RAISE EXCEPTION 'no election "%" in collectivity "%"', p_eid,
			p_c.slug USING ERRCODE = 'PT404';
	END IF;
	RETURN v_e;
END
$$;

CREATE OR REPLACE FUNCTION api.require_draft(e app.elections)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF e.state <> 'draft' THEN
		RAISE EXCEPTION 'the election is opened: nothing that changes the '
			'meaning of a ballot can change' USING ERRCODE = 'PT409';
	END IF;
END
$$;

-- The body's date-time p_key, p_old when absent; when it is not one, p_old
-- and a field error added to p_errors.
CREATE OR REPLACE FUNCTION api.body_time(p_body jsonb, p_key text,
	p_old timestamptz, INOUT p_errors jsonb, OUT t timestamptz)
LANGUAGE plpgsql STABLE AS $$
BEGIN
	t := p_old;
	IF p_body ? p_key THEN
		t := coalesce(api.try_timestamp(p_body->>p_key), p_old);
		IF api.try_timestamp(p_body->>p_key) IS NULL THEN
			p_errors := p_errors || api.field_error(p_key,
				'must be an RFC 3339 date-time');
		END IF;
	END IF;
END
$$;

-- A page cursor that is a log index or tree size; p_default when absent.
CREATE OR REPLACE FUNCTION api.index_cursor(p_after text, p_default bigint)
RETURNS bigint
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF p_after IS NULL THEN
		RETURN p_default;
	END IF;
	IF p_after !~ '^[0-9]{1,18}$' THEN
		PERFORM api.invalid(api.field_error('after',
			'is not a valid cursor'), 'invalid query parameter "after"');
	END IF;
	RETURN p_after::bigint;
END
$$;

-- Checks and writes the fields of a create or update body over e.
CREATE OR REPLACE FUNCTION api.election_apply(INOUT e app.elections,
	p_body jsonb)
LANGUAGE plpgsql AS $$
DECLARE
	v_errors jsonb := '[]';
BEGIN
	IF p_body ? 'title' THEN e.title := p_body->>'title'; END IF;
	IF p_body ? 'description' THEN
		e.description := p_body->>'description';
	END IF;
	IF p_body ? 'questions' THEN e.questions := p_body->'questions'; END IF;
	IF p_body ? 'revote' THEN e.revote := (p_body->>'revote')::boolean; END IF;
	IF p_body ? 'credential_mode' THEN
		IF NOT p_body->>'credential_mode' = ANY (ARRAY['authority',
				'registered']) THEN
			v_errors := v_errors || api.field_error('credential_mode',
				'must be authority or registered');
		ELSIF e.credential_mode IS DISTINCT FROM
				p_body->>'credential_mode' AND e.credentials > 0 THEN
			v_errors := v_errors || api.field_error('credential_mode',
				'cannot change once credentials are uploaded');
		ELSE
			e.credential_mode := p_body->>'credential_mode';
		END IF;
	END IF;
	SELECT b.t, b.p_errors INTO e.opens_at, v_errors
	FROM api.body_time(p_body, 'opens_at', e.opens_at, v_errors) b;
	SELECT b.t, b.p_errors INTO e.closes_at, v_errors
	FROM api.body_time(p_body, 'closes_at', e.closes_at, v_errors) b;
	IF jsonb_array_length(v_errors) = 0 AND e.opens_at >= e.closes_at THEN
		v_errors := v_errors || api.field_error('closes_at',
			'must be after opens_at');
	END IF;
	PERFORM api.invalid(v_errors);
	e.updated_at := now();
END
$$;

-- POST /v1/collectivities/{cid}/processes/{pid}/elections. Times default
-- to the process's vote phase.
CREATE OR REPLACE FUNCTION api.election_create(p_token_hash text,
	p_slug text, p_pid text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_p app.processes;
	v_ph app.process_phases;
	v_e app.elections;
BEGIN
	v_p := api.process_find(v_c, v_acc, p_pid);
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	SELECT * INTO v_ph FROM app.process_phases WHERE collectivity_id = v_c.id
		AND process_id = v_p.id AND kind = 'vote';
	IF NOT FOUND THEN
		RAISE EXCEPTION 'the process has no vote phase: add one before '
			'creating an election' USING ERRCODE = 'PT409';
	END IF;
	IF (SELECT count(*) FROM app.elections WHERE collectivity_id = v_c.id
			AND process_id = v_p.id) >= 50 THEN
		RAISE EXCEPTION 'a process has at most 50 elections'
			USING ERRCODE = 'PT409';
	END IF;
	v_e.collectivity_id := v_c.id;
	v_e.id := gen_random_uuid();
	v_e.process_id := v_p.id;
	v_e.description := '';
	v_e.revote := true;
	v_e.credential_mode := 'registered';
	v_e.opens_at := v_ph.starts_at;
	v_e.closes_at := v_ph.ends_at;
	v_e.credentials := 0;
	v_e := api.election_apply(v_e, p_body);
	INSERT INTO app.elections (collectivity_id, id, process_id, title,
		description, questions, opens_at, closes_at, revote,
		credential_mode)
	VALUES (v_c.id, v_e.id, v_p.id, v_e.title, v_e.description,
		v_e.questions, v_e.opens_at, v_e.closes_at, v_e.revote,
		v_e.credential_mode)
	RETURNING * INTO v_e;
	PERFORM api.audit(v_c.id, v_acc.id, 'election.create', 'election',
		v_e.id::text, NULL, jsonb_build_object('process', v_p.id,
		'title', v_e.title));
	RETURN api.election_json(v_e)::text;
END
$$;

-- GET /v1/collectivities/{cid}/processes/{pid}/elections
CREATE OR REPLACE FUNCTION api.election_list(p_token_hash text, p_slug text,
	p_pid text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account_opt(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_p app.processes := api.process_find(v_c, v_acc, p_pid);
BEGIN
	RETURN coalesce(json_agg(api.election_json(e) ORDER BY e.created_at,
		e.id), '[]')::text
	FROM app.elections e
	WHERE e.collectivity_id = v_c.id AND e.process_id = v_p.id
	  AND (e.state <> 'draft' OR api.is_staff(v_c, v_acc));
END
$$;

-- GET /v1/collectivities/{cid}/elections/{eid}
CREATE OR REPLACE FUNCTION api.election_get(p_token_hash text, p_slug text,
	p_eid text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account_opt(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
BEGIN
	RETURN api.election_json(api.election_find(v_c, v_acc, p_eid))::text;
END
$$;

-- PATCH /v1/collectivities/{cid}/elections/{eid}: drafts only.
CREATE OR REPLACE FUNCTION api.election_update(p_token_hash text,
	p_slug text, p_eid text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_e app.elections := api.election_find(v_c, v_acc, p_eid, true);
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	PERFORM api.require_draft(v_e);
	IF v_e.budget_id IS NOT NULL AND p_body ? 'questions' THEN
		RAISE EXCEPTION 'the questions of a budget''s vote come from its '
			'projects: change the budget' USING ERRCODE = 'PT409';
	END IF;
	v_e := api.election_apply(v_e, p_body);
	UPDATE app.elections SET title = v_e.title,
		description = v_e.description, questions = v_e.questions,
		opens_at = v_e.opens_at, closes_at = v_e.closes_at,
		revote = v_e.revote, credential_mode = v_e.credential_mode,
		updated_at = v_e.updated_at
	WHERE collectivity_id = v_c.id AND id = v_e.id
	RETURNING * INTO v_e;
	PERFORM api.audit(v_c.id, v_acc.id, 'election.update', 'election',
		v_e.id::text, NULL, jsonb_build_object('fields',
		(SELECT jsonb_agg(k ORDER BY k) FROM jsonb_object_keys(p_body) k)));
	RETURN api.election_json(v_e)::text;
END
$$;

-- Credential lists ----------------------------------------------------------

-- POST /v1/collectivities/{cid}/elections/{eid}/credentials: adds a batch
-- of public keys (checked as points by the server) to a draft's list;
-- keys already there are skipped, so an upload can be retried.
CREATE OR REPLACE FUNCTION api.credentials_add(p_token_hash text,
	p_slug text, p_eid text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_e app.elections := api.election_find(v_c, v_acc, p_eid, true);
	v_added bigint;
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	PERFORM api.require_draft(v_e);
	IF v_e.credential_mode <> 'authority' THEN
		RAISE EXCEPTION 'this election uses registered keys: voters '
			'register their own' USING ERRCODE = 'PT409';
	END IF;
	INSERT INTO app.election_credentials (collectivity_id, election_id,
		public_key)
	SELECT v_c.id, v_e.id, decode(k, 'hex')
	FROM jsonb_array_elements_text(p_body->'credentials') k
	ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS v_added = ROW_COUNT;
	-- Keys already there do not count (an upload sent again near the cap
	-- adds nothing and passes); the error undoes the insert.
	IF v_e.credentials + v_added > 1000000 THEN
		RAISE EXCEPTION 'an election has at most 1000000 credentials'
			USING ERRCODE = 'PT409';
	END IF;
	UPDATE app.elections SET credentials = credentials + v_added,
		updated_at = now()
	WHERE collectivity_id = v_c.id AND id = v_e.id
	RETURNING * INTO v_e;
	PERFORM api.audit(v_c.id, v_acc.id, 'election.credentials_add',
		'election', v_e.id::text, NULL,
		jsonb_build_object('added', v_added, 'total', v_e.credentials));
	RETURN json_build_object('added', v_added,
		'credentials', v_e.credentials)::text;
END
$$;

-- DELETE /v1/collectivities/{cid}/elections/{eid}/credentials
CREATE OR REPLACE FUNCTION api.credentials_clear(p_token_hash text,
	p_slug text, p_eid text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_e app.elections := api.election_find(v_c, v_acc, p_eid, true);
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	PERFORM api.require_draft(v_e);
	DELETE FROM app.election_credentials
	WHERE collectivity_id = v_c.id AND election_id = v_e.id;
	UPDATE app.elections SET credentials = 0, updated_at = now()
	WHERE collectivity_id = v_c.id AND id = v_e.id;
	PERFORM api.audit(v_c.id, v_acc.id, 'election.credentials_clear',
		'election', v_e.id::text, NULL, '{}');
	RETURN NULL;
END
$$;

-- GET /v1/collectivities/{cid}/elections/{eid}/credentials: the public
-- list, sorted, in pages (after = the last key seen).
CREATE OR REPLACE FUNCTION api.credentials_list(p_token_hash text,
	p_slug text, p_eid text, p_limit int, p_after text)
RETURNS TABLE (body text, next text)
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account_opt(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_e app.elections := api.election_find(v_c, v_acc, p_eid);
	v_after bytea;
BEGIN
	IF p_after IS NOT NULL THEN
		v_after := api.hex_or_null(p_after, 32);
		IF v_after IS NULL THEN
			PERFORM api.invalid(api.field_error('after',
				'is not a valid cursor'), 'invalid query parameter "after"');
		END IF;
	END IF;
	RETURN QUERY
	WITH page AS (
		SELECT k.public_key FROM app.election_credentials k
		WHERE k.collectivity_id = v_c.id AND k.election_id = v_e.id
		  AND (v_after IS NULL OR k.public_key > v_after)
		ORDER BY k.public_key
		LIMIT p_limit + 1
	), shown AS (
		SELECT public_key, row_number() OVER (ORDER BY public_key) AS n
		FROM page
	)
	SELECT coalesce(json_agg(encode(public_key, 'hex') ORDER BY n)
			FILTER (WHERE n <= p_limit), '[]')::text,
		CASE WHEN count(*) > p_limit THEN encode((array_agg(public_key
			ORDER BY n DESC) FILTER (WHERE n <= p_limit))[1], 'hex') END
	FROM shown;
END
$$;

-- Opening and closing -------------------------------------------------------

-- POST /v1/collectivities/{cid}/elections/{eid}/open: fixes the
-- descriptor (canonical JSON), its fingerprint and the credential list,
-- and writes the log's opening entry. p_log_key is the server's public key.
CREATE OR REPLACE FUNCTION api.election_open(p_token_hash text,
	p_slug text, p_eid text, p_log_key text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_e app.elections := api.election_find(v_c, v_acc, p_eid, true);
	v_now timestamptz := clock_timestamp();
	v_keys bytea;
	v_list bytea;
	v_l app.election_logs;
	v_b app.budgets;
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	PERFORM api.require_draft(v_e);
	IF v_e.budget_id IS NOT NULL THEN
		-- A budget's vote lists the projects feasible now (90_budgets.sql).
		SELECT * INTO v_b FROM app.budgets WHERE collectivity_id = v_c.id
			AND id = v_e.budget_id FOR UPDATE;
		v_e.questions := api.budget_questions(v_b);
	END IF;
	IF v_e.closes_at <= v_now THEN
		RAISE EXCEPTION 'the election closes in the past: change closes_at '
			'first' USING ERRCODE = 'PT409';
	END IF;
	IF v_e.credential_mode = 'authority' AND v_e.credentials = 0 THEN
		RAISE EXCEPTION 'upload the credential list before opening'
			USING ERRCODE = 'PT409';
	END IF;
	SELECT coalesce(string_agg(public_key, ''::bytea ORDER BY public_key),
		''::bytea) INTO v_keys
	FROM app.election_credentials
	WHERE collectivity_id = v_c.id AND election_id = v_e.id;
	v_list := sha256(api.lp_text('participe/credentials/v1')
		|| api.lp_u64(v_e.credentials) || api.lp(v_keys));
	v_e.descriptor := api.canonical_json(jsonb_build_object(
		'version', 1, 'collectivity', v_c.id, 'collectivity_slug', v_c.slug,
		'election', v_e.id, 'process', v_e.process_id, 'title', v_e.title,
		'questions', v_e.questions,
		'opens_at', to_char(v_e.opens_at AT TIME ZONE 'UTC',
			'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
		'closes_at', to_char(v_e.closes_at AT TIME ZONE 'UTC',
			'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
		'revote', v_e.revote, 'credentials', v_e.credential_mode,
		'log_key', p_log_key) || CASE WHEN v_b.id IS NULL THEN '{}'
		ELSE jsonb_build_object('districts_per_voter',
			least(v_b.districts_per_voter,
				jsonb_array_length(v_e.questions))) END);
	v_e.fingerprint := sha256(api.lp_text('participe/election/v1')
		|| api.lp_text(v_e.descriptor));
	v_e.log_key := decode(p_log_key, 'hex');
	INSERT INTO app.election_logs (collectivity_id, election_id)
	VALUES (v_c.id, v_e.id)
	RETURNING * INTO v_l;
	v_l := api.log_append(v_l, 'open', api.lp_text('participe/log/open/v1')
		|| api.lp(v_e.fingerprint) || api.lp(v_list)
		|| api.lp_u64(v_e.credentials) || api.lp_u64(api.epoch_ms(v_now)),
		NULL, v_now);
	PERFORM api.log_save(v_l);
	UPDATE app.elections SET state = 'open', descriptor = v_e.descriptor,
		questions = v_e.questions,
		fingerprint = v_e.fingerprint, log_key = v_e.log_key,
		opened_at = v_now, updated_at = v_now
	WHERE collectivity_id = v_c.id AND id = v_e.id
	RETURNING * INTO v_e;
	UPDATE app.collectivities SET elections_active = true
	WHERE id = v_c.id AND NOT elections_active;
	PERFORM api.audit(v_c.id, v_acc.id, 'election.open', 'election',
		v_e.id::text, NULL, jsonb_build_object('fingerprint',
		encode(v_e.fingerprint, 'hex'), 'credentials', v_e.credentials));
	RETURN api.election_json(v_e)::text;
END
$$;

-- Writes the closing entry of a locked open election.
CREATE OR REPLACE FUNCTION api.election_close_now(INOUT e app.elections)
LANGUAGE plpgsql AS $$
DECLARE
	v_now timestamptz := clock_timestamp();
	v_l app.election_logs := api.log_of(e);
BEGIN
	v_l := api.log_append(v_l, 'close', api.lp_text('participe/log/close/v1')
		|| api.lp(e.fingerprint) || api.lp_u64(v_l.ballots)
		|| api.lp_u64(api.epoch_ms(v_now)), NULL, v_now);
	PERFORM api.log_save(v_l);
	UPDATE app.elections SET state = 'closed', closed_at = v_now,
		updated_at = v_now
	WHERE collectivity_id = e.collectivity_id AND id = e.id
	RETURNING * INTO e;
	-- every ballot in the metrics once closed
	PERFORM app.metric_ballots_sync(e.collectivity_id, e.id);
END
$$;

-- POST /v1/collectivities/{cid}/elections/{eid}/close: closes now, early
-- if need be (the closing entry records when). Counting follows.
CREATE OR REPLACE FUNCTION api.election_close(p_token_hash text,
	p_slug text, p_eid text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_e app.elections := api.election_find(v_c, v_acc, p_eid, true);
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	IF v_e.state = 'draft' THEN
		RAISE EXCEPTION 'the election was never opened'
			USING ERRCODE = 'PT409';
	END IF;
	IF v_e.state = 'closed' THEN
		RAISE EXCEPTION 'the election is already closed'
			USING ERRCODE = 'PT409';
	END IF;
	v_e := api.election_close_now(v_e);
	PERFORM api.audit(v_c.id, v_acc.id, 'election.close', 'election',
		v_e.id::text, NULL, jsonb_build_object('ballots', (SELECT l.ballots
			FROM app.election_logs l WHERE l.collectivity_id = v_c.id
			  AND l.election_id = v_e.id),
		'early', v_e.closed_at < v_e.closes_at));
	RETURN api.election_json(v_e)::text;
END
$$;

-- The sweeper's work, for the server's first worker every second: tree
-- heads to sign for open elections whose log grew, elections past their
-- closing time, closed elections not yet counted. Enters only
-- collectivities flagged elections_active, and clears the flag of those
-- with nothing left. Returns [{slug, election, action, tree_size, root,
-- fingerprint}], action 'head' or 'count' (closing happens here).
CREATE OR REPLACE FUNCTION api.elections_due()
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_c app.collectivities;
	v_e app.elections;
	v_l app.election_logs;
	v_out jsonb := '[]';
	v_any boolean;
BEGIN
	FOR v_c IN SELECT * FROM app.collectivities WHERE elections_active
		ORDER BY id
	LOOP
		PERFORM set_config('app.collectivity_id', v_c.id::text, true);
		v_any := false;
		FOR v_e IN SELECT * FROM app.elections
			WHERE collectivity_id = v_c.id AND (state = 'open'
				OR (state = 'closed' AND result IS NULL))
			ORDER BY id FOR UPDATE
		LOOP
			v_any := true;
			-- the ballots appended since the last turn, in the metrics
			PERFORM app.metric_ballots_sync(v_c.id, v_e.id);
			IF v_e.state = 'open' AND v_e.closes_at <= now() THEN
				v_e := api.election_close_now(v_e);
			END IF;
			IF v_e.state = 'closed' THEN
				v_out := v_out || jsonb_build_object('slug', v_c.slug,
					'election', v_e.id, 'action', 'count');
				CONTINUE;
			END IF;
			SELECT * INTO v_l FROM app.election_logs
			WHERE collectivity_id = v_c.id AND election_id = v_e.id;
			IF v_l.tree_size > coalesce((SELECT max(h.tree_size)
					FROM app.election_heads h
					WHERE h.collectivity_id = v_c.id
					  AND h.election_id = v_e.id), 0) THEN
				v_out := v_out || jsonb_build_object('slug', v_c.slug,
					'election', v_e.id, 'action', 'head',
					'tree_size', v_l.tree_size,
					'root', encode(api.merkle_root(v_l.frontier), 'hex'),
					'fingerprint', encode(v_e.fingerprint, 'hex'),
					'log_key', encode(v_e.log_key, 'hex'));
			END IF;
		END LOOP;
		IF NOT v_any THEN
			UPDATE app.collectivities SET elections_active = false
			WHERE id = v_c.id;
		END IF;
	END LOOP;
	PERFORM set_config('app.collectivity_id', '', true);
	RETURN v_out::text;
END
$$;

-- Saves tree heads signed by the server: [{slug, election, tree_size,
-- root, issued_ms, signature}]. A head is kept only if it is newer, by
-- size and time, than the election's latest, and matches the log.
CREATE OR REPLACE FUNCTION api.heads_save(p_heads jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_h jsonb;
	v_c app.collectivities;
	v_e app.elections;
	v_saved int := 0;
BEGIN
	FOR v_h IN SELECT * FROM jsonb_array_elements(p_heads) LOOP
		v_c := api.enter(v_h->>'slug');
		SELECT * INTO v_e FROM app.elections WHERE collectivity_id = v_c.id
			AND id = (v_h->>'election')::uuid FOR UPDATE;
		CONTINUE WHEN NOT FOUND;
		IF EXISTS (SELECT 1 FROM app.election_heads h
				WHERE h.collectivity_id = v_c.id AND h.election_id = v_e.id
				  AND (h.tree_size >= (v_h->>'tree_size')::bigint
					OR h.issued_ms > (v_h->>'issued_ms')::bigint)) THEN
			CONTINUE;
		END IF;
		IF (v_h->>'tree_size')::bigint > (SELECT l.tree_size
				FROM app.election_logs l WHERE l.collectivity_id = v_c.id
				  AND l.election_id = v_e.id) THEN
			CONTINUE;
		END IF;
		INSERT INTO app.election_heads (collectivity_id, election_id,
			tree_size, root, issued_ms, signature)
		VALUES (v_c.id, v_e.id, (v_h->>'tree_size')::bigint,
			decode(v_h->>'root', 'hex'), (v_h->>'issued_ms')::bigint,
			decode(v_h->>'signature', 'hex'));
		v_saved := v_saved + 1;
	END LOOP;
	RETURN json_build_object('saved', v_saved)::text;
END
$$;

-- What counting needs: the descriptor, the final tree and every ballot
-- entry (hex), as rows: first (descriptor, tree_size, root, NULL), then
-- (NULL, NULL, NULL, entry) in log order. Closed elections only (counting
-- again is harmless: api.election_count_save keeps the first result).
CREATE OR REPLACE FUNCTION api.election_count_input(p_slug text, p_eid text)
RETURNS TABLE (descriptor text, tree_size bigint, root text, entry text)
LANGUAGE plpgsql AS $$
DECLARE
	v_c app.collectivities := api.enter(p_slug);
	v_e app.elections;
BEGIN
	SELECT * INTO v_e FROM app.elections
	WHERE collectivity_id = v_c.id AND id = api.uuid_or_null(p_eid);
	IF NOT FOUND OR v_e.state <> 'closed' THEN
		RAISE EXCEPTION 'no election to count' USING ERRCODE = 'PT409';
	END IF;
	RETURN QUERY
	SELECT v_e.descriptor, l.tree_size,
		encode(api.merkle_root(l.frontier), 'hex'), NULL::text
	FROM app.election_logs l
	WHERE l.collectivity_id = v_c.id AND l.election_id = v_e.id
	UNION ALL
	(SELECT NULL, NULL, NULL, encode(l.entry, 'hex')
	FROM app.election_log l
	WHERE l.collectivity_id = v_c.id AND l.election_id = v_e.id
	  AND l.kind = 'ballot'
	ORDER BY l.idx);
END
$$;

-- Publishes the result with the final signed tree head (over the whole
-- log, closing included). A second call changes nothing.
CREATE OR REPLACE FUNCTION api.election_count_save(p_slug text, p_eid text,
	p_result text, p_head jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_c app.collectivities := api.enter(p_slug);
	v_e app.elections;
	v_l app.election_logs;
BEGIN
	SELECT * INTO v_e FROM app.elections
	WHERE collectivity_id = v_c.id AND id = api.uuid_or_null(p_eid)
	FOR UPDATE;
	IF NOT FOUND OR v_e.state <> 'closed' THEN
		RAISE EXCEPTION 'no election to count' USING ERRCODE = 'PT409';
	END IF;
	IF v_e.result IS NOT NULL THEN
		RETURN api.election_json(v_e)::text;
	END IF;
	SELECT * INTO v_l FROM app.election_logs
	WHERE collectivity_id = v_c.id AND election_id = v_e.id;
	IF (p_head->>'tree_size')::bigint <> v_l.tree_size
			OR decode(p_head->>'root', 'hex')
				<> api.merkle_root(v_l.frontier) THEN
		RAISE EXCEPTION 'the final tree head does not match the log'
			USING ERRCODE = 'PT409';
	END IF;
	INSERT INTO app.election_heads (collectivity_id, election_id,
		tree_size, root, issued_ms, signature)
	VALUES (v_c.id, v_e.id, v_l.tree_size, decode(p_head->>'root', 'hex'),
		(p_head->>'issued_ms')::bigint, decode(p_head->>'signature', 'hex'))
	ON CONFLICT DO NOTHING;
	UPDATE app.elections SET result = p_result, counted_at = now(),
		updated_at = now()
	WHERE collectivity_id = v_c.id AND id = v_e.id
	RETURNING * INTO v_e;
	PERFORM api.audit(v_c.id, NULL, 'election.count', 'election',
		v_e.id::text, NULL, jsonb_build_object('ballots', v_l.ballots));
	RETURN api.election_json(v_e)::text;
END
$$;

-- Registered keys and ballots -------------------------------------------

-- POST /v1/collectivities/{cid}/elections/{eid}/keys: a resident allowed
-- to vote registers their one public key (checked as a point by the
-- server); its credential entry goes into the log.
CREATE OR REPLACE FUNCTION api.key_register(p_token_hash text, p_slug text,
	p_eid text, p_key text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_e app.elections := api.election_find(v_c, v_acc, p_eid, true);
	v_p app.processes;
	v_key bytea := decode(p_key, 'hex');
	v_now timestamptz := clock_timestamp();
	v_idx bigint;
	v_l app.election_logs;
BEGIN
	SELECT * INTO v_p FROM app.processes
	WHERE collectivity_id = v_c.id AND id = v_e.process_id;
	IF v_e.credential_mode <> 'registered' THEN
		RAISE EXCEPTION 'this election uses credentials from the '
			'collectivity''s credential authority' USING ERRCODE = 'PT409';
	END IF;
	IF v_e.state <> 'open' OR v_now >= v_e.closes_at THEN
		RAISE EXCEPTION 'keys can be registered only while the election is '
			'open' USING ERRCODE = 'PT409';
	END IF;
	PERFORM api.require_can_act(v_c, v_p, v_acc, 'vote');
	IF EXISTS (SELECT 1 FROM app.election_credentials WHERE collectivity_id
			= v_c.id AND election_id = v_e.id AND account_id = v_acc.id) THEN
		RAISE EXCEPTION 'you have already registered a key for this election'
			USING ERRCODE = 'PT409';
	END IF;
	IF EXISTS (SELECT 1 FROM app.election_credentials WHERE collectivity_id
			= v_c.id AND election_id = v_e.id AND public_key = v_key) THEN
		RAISE EXCEPTION 'this key is already registered'
			USING ERRCODE = 'PT409';
	END IF;
	v_l := api.log_of(v_e);
	v_idx := v_l.tree_size;
	v_l := api.log_append(v_l, 'credential',
		api.lp_text('participe/log/credential/v1') || api.lp(v_e.fingerprint)
		|| api.lp(v_key) || api.lp_u64(api.epoch_ms(v_now)), NULL, v_now);
	PERFORM api.log_save(v_l);
	INSERT INTO app.election_credentials (collectivity_id, election_id,
		public_key, account_id, added_at)
	VALUES (v_c.id, v_e.id, v_key, v_acc.id, v_now);
	UPDATE app.elections SET credentials = credentials + 1
	WHERE collectivity_id = v_c.id AND id = v_e.id;
	RETURN json_build_object('public_key', p_key, 'index', v_idx,
		'registered_at', v_now)::text;
END
$$;

-- GET /v1/collectivities/{cid}/elections/{eid}/keys/me
CREATE OR REPLACE FUNCTION api.key_mine(p_token_hash text, p_slug text,
	p_eid text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_e app.elections := api.election_find(v_c, v_acc, p_eid);
	v_k app.election_credentials;
BEGIN
	SELECT * INTO v_k FROM app.election_credentials WHERE collectivity_id =
		v_c.id AND election_id = v_e.id AND account_id = v_acc.id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'you have not registered a key for this election'
			USING ERRCODE = 'PT404';
	END IF;
	RETURN json_build_object('public_key', encode(v_k.public_key, 'hex'),
		'last_seq', v_k.last_seq, 'registered_at', v_k.added_at)::text;
END
$$;

-- The election a ballot names, for the server's cache: its descriptor
-- (immutable once opened). A draft is not found (no ballot can be valid).
CREATE OR REPLACE FUNCTION api.election_descriptor(p_slug text, p_eid text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_c app.collectivities := api.enter(p_slug);
	v_e app.elections := api.election_find(v_c, NULL, p_eid);
BEGIN
	RETURN v_e.descriptor;
END
$$;

-- POST .../ballots, batched by the server: every ballot of p_ballots
-- ([{ballot, signature, key, seq, tracker}], already decoded and checked
-- in C) is appended or refused under one lock, in one transaction. The
-- batch is judged, numbered, appended and its keys' sequence numbers
-- moved in one statement: the cost per ballot is the executor's, not a
-- PL/pgSQL loop's. The server puts at most one ballot per key in a batch
-- (a second one waits for the next); one here anyway is refused.
-- Returns [{status, index, at_ms | detail}] in order; 201 = appended.
CREATE OR REPLACE FUNCTION api.ballots_append(p_slug text, p_eid text,
	p_ballots jsonb)
RETURNS text
LANGUAGE plpgsql
-- The one big statement's plan does not depend on the batch: plan it once
-- per connection, not at every call, and as index lookups driven by the
-- batch's rows (at most PARTICIPE_BALLOT_BATCH), whatever the statistics
-- said when it was planned: a log planned empty grows by thousands of
-- entries a second, and a scan of it would cost more each batch. So the
-- lookups are LATERAL subqueries kept apart (OFFSET 0): each one a probe of
-- a unique index, whatever a generic plan's estimates.
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
	v_c app.collectivities := api.enter(p_slug);
	v_eid uuid := api.uuid_or_null(p_eid);
	v_l app.election_logs;
	v_e record;
	v_now timestamptz;
	v_ms bigint;
	v_out text;
	v_leaves bytea[];
	v_keys bytea[];
	v_seqs bigint[];
	v_i int;
BEGIN
	-- The log's narrow row is the lock; the election's wide row is only
	-- read (opening and closing lock the log row too).
	SELECT * INTO v_l FROM app.election_logs
	WHERE collectivity_id = v_c.id AND election_id = v_eid
	FOR UPDATE;
	SELECT e.id, e.state, e.opens_at, e.closes_at, e.revote INTO v_e
	FROM app.elections e JOIN app.processes p
		ON p.collectivity_id = e.collectivity_id AND p.id = e.process_id
	WHERE e.collectivity_id = v_c.id AND e.id = v_eid
	  AND e.state <> 'draft' AND p.status = 'published';
	IF v_l.election_id IS NULL OR v_e.id IS NULL THEN
		RAISE EXCEPTION 'no election "%" in collectivity "%"', p_eid,
			v_c.slug USING ERRCODE = 'PT404';
	END IF;
	v_now := clock_timestamp();
	v_ms := api.epoch_ms(v_now);
	IF v_e.state <> 'open' OR v_now >= v_e.closes_at THEN
		RAISE EXCEPTION 'the election is closed: no more ballots'
			USING ERRCODE = 'PT409';
	END IF;
	IF v_now < v_e.opens_at THEN
		RAISE EXCEPTION 'the election opens at %: no ballots before',
			to_char(v_e.opens_at AT TIME ZONE 'UTC',
				'YYYY-MM-DD"T"HH24:MI:SS"Z"') USING ERRCODE = 'PT409';
	END IF;
	WITH input AS (
		SELECT e.n, decode(e.j->>'key', 'hex') AS key,
			(e.j->>'seq')::bigint AS seq,
			decode(e.j->>'tracker', 'hex') AS tracker,
			decode(e.j->>'ballot', 'hex') AS ballot,
			decode(e.j->>'signature', 'hex') AS sig,
			row_number() OVER (PARTITION BY e.j->>'key' ORDER BY e.n)
				AS nth
		FROM jsonb_array_elements(p_ballots) WITH ORDINALITY AS e (j, n)
	), judged AS (
		SELECT i.*, CASE
			WHEN k.public_key IS NULL THEN 422
			WHEN i.nth > 1 OR l.tracker IS NOT NULL
				OR (k.last_seq > 0 AND NOT v_e.revote)
				OR i.seq <= k.last_seq THEN 409
			ELSE 201 END AS status, CASE
			WHEN k.public_key IS NULL THEN 'the ballot''s key is not on '
				'the election''s credential list'
			WHEN l.tracker IS NOT NULL
				THEN 'this ballot is already in the log (replayed)'
			WHEN i.nth > 1 THEN 'another ballot of this credential is '
				'being appended: send this one again'
			WHEN k.last_seq > 0 AND NOT v_e.revote THEN 'this credential '
				'has voted and the election does not allow voting again'
			WHEN i.seq <= k.last_seq THEN format('sequence number %s is '
				'not higher than the credential''s last accepted one (%s)',
				i.seq, k.last_seq)
			END AS detail
		FROM input i
		LEFT JOIN LATERAL (SELECT k.public_key, k.last_seq
			FROM app.election_credentials k
			WHERE k.collectivity_id = v_c.id AND k.election_id = v_e.id
			  AND k.public_key = i.key OFFSET 0) k ON true
		LEFT JOIN LATERAL (SELECT l.tracker FROM app.election_log l
			WHERE l.collectivity_id = v_c.id AND l.election_id = v_e.id
			  AND l.tracker = i.tracker AND l.tracker IS NOT NULL
			OFFSET 0) l ON true
	), numbered AS (
		SELECT j.n, j.key, j.seq, j.tracker,
			v_l.tree_size - 1 + row_number() OVER (ORDER BY j.n) AS idx,
			api.lp_text('participe/log/ballot/v1') || api.lp(j.ballot)
				|| api.lp(j.sig) || api.lp_u64(v_ms) AS entry
		FROM judged j WHERE j.status = 201
	), appended AS (
		INSERT INTO app.election_log (collectivity_id, election_id, idx,
			kind, entry, leaf, tracker, at)
		SELECT v_c.id, v_e.id, x.idx, 'ballot', x.entry,
			sha256('\x00'::bytea || x.entry), x.tracker, v_now
		FROM numbered x
		RETURNING idx, leaf
	)
	SELECT (SELECT json_agg(CASE WHEN j.status = 201
			THEN json_build_object('status', 201, 'index', x.idx,
				'at_ms', v_ms)
			ELSE json_build_object('status', j.status, 'detail', j.detail)
			END ORDER BY j.n)
		FROM judged j LEFT JOIN numbered x ON x.n = j.n)::text,
		(SELECT array_agg(a.leaf ORDER BY a.idx) FROM appended a),
		(SELECT array_agg(x.key ORDER BY x.n) FROM numbered x),
		(SELECT array_agg(x.seq ORDER BY x.n) FROM numbered x)
	INTO v_out, v_leaves, v_keys, v_seqs;
	-- One primary-key update per accepted ballot: a plan no statistics
	-- can turn into a scan.
	FOR v_i IN 1 .. coalesce(cardinality(v_keys), 0) LOOP
		UPDATE app.election_credentials SET last_seq = v_seqs[v_i]
		WHERE collectivity_id = v_c.id AND election_id = v_eid
		  AND public_key = v_keys[v_i];
	END LOOP;
	IF v_leaves IS NOT NULL THEN
		UPDATE app.election_logs SET frontier = api.merkle_push_all(frontier,
				tree_size, v_leaves),
			tree_size = tree_size + cardinality(v_leaves),
			ballots = ballots + cardinality(v_leaves)
		WHERE collectivity_id = v_c.id AND election_id = v_eid;
	END IF;
	RETURN coalesce(v_out, '[]');
END
$$;

-- The public log ------------------------------------------------------------

-- The election, once opened, for public reads of its log; 404 else.
CREATE OR REPLACE FUNCTION api.election_public(p_token_hash text,
	p_slug text, p_eid text)
RETURNS app.elections
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account_opt(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_e app.elections := api.election_find(v_c, v_acc, p_eid);
BEGIN
	IF v_e.state = 'draft' THEN
		RAISE EXCEPTION 'the election has no log before it opens'
			USING ERRCODE = 'PT409';
	END IF;
	RETURN v_e;
END
$$;

CREATE OR REPLACE FUNCTION api.head_json(h app.election_heads)
RETURNS json
LANGUAGE sql IMMUTABLE AS $$
	SELECT json_build_object('tree_size', h.tree_size,
		'root', encode(h.root, 'hex'), 'timestamp', h.issued_ms,
		'signature', encode(h.signature, 'hex'))
$$;

-- GET .../log?after=&limit=: entries in order (after = last index seen).
CREATE OR REPLACE FUNCTION api.election_log_page(p_token_hash text,
	p_slug text, p_eid text, p_limit int, p_after text)
RETURNS TABLE (body text, next text)
LANGUAGE plpgsql AS $$
DECLARE
	v_e app.elections := api.election_public(p_token_hash, p_slug, p_eid);
	v_after bigint := api.index_cursor(p_after, -1);
BEGIN
	RETURN QUERY
	WITH page AS (
		SELECT l.idx, l.kind, l.entry, l.leaf, l.tracker, l.at
		FROM app.election_log l
		WHERE l.collectivity_id = v_e.collectivity_id
		  AND l.election_id = v_e.id AND l.idx > v_after
		ORDER BY l.idx
		LIMIT p_limit + 1
	)
	SELECT coalesce(json_agg(json_build_object('index', idx, 'kind', kind,
			'entry', encode(entry, 'hex'), 'leaf', encode(leaf, 'hex'),
			'tracker', encode(tracker, 'hex'), 'at', at) ORDER BY idx)
			FILTER (WHERE idx <= v_after + p_limit), '[]')::text,
		CASE WHEN count(*) > p_limit THEN (v_after + p_limit)::text END
	FROM page;
END
$$;

-- GET .../tree-heads?after=&limit= (after = last size seen)
CREATE OR REPLACE FUNCTION api.election_heads_page(p_token_hash text,
	p_slug text, p_eid text, p_limit int, p_after text)
RETURNS TABLE (body text, next text)
LANGUAGE plpgsql AS $$
DECLARE
	v_e app.elections := api.election_public(p_token_hash, p_slug, p_eid);
	v_after bigint := api.index_cursor(p_after, 0);
BEGIN
	RETURN QUERY
	WITH page AS (
		SELECT h, row_number() OVER (ORDER BY h.tree_size) AS n
		FROM (SELECT * FROM app.election_heads h
			WHERE h.collectivity_id = v_e.collectivity_id
			  AND h.election_id = v_e.id AND h.tree_size > v_after
			ORDER BY h.tree_size LIMIT p_limit + 1) h
	)
	SELECT coalesce(json_agg(api.head_json(h) ORDER BY n)
			FILTER (WHERE n <= p_limit), '[]')::text,
		CASE WHEN count(*) > p_limit
			THEN max((h).tree_size) FILTER (WHERE n <= p_limit)::text END
	FROM page;
END
$$;

-- GET .../tree-heads/latest
CREATE OR REPLACE FUNCTION api.election_head_latest(p_token_hash text,
	p_slug text, p_eid text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_e app.elections := api.election_public(p_token_hash, p_slug, p_eid);
	v_h app.election_heads;
BEGIN
	SELECT * INTO v_h FROM app.election_heads
	WHERE collectivity_id = v_e.collectivity_id AND election_id = v_e.id
	ORDER BY tree_size DESC LIMIT 1;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no tree head signed yet: retry in a second'
			USING ERRCODE = 'PT404';
	END IF;
	RETURN api.head_json(v_h)::text;
END
$$;

-- A signed head of the election of size p_size (latest when NULL); 404
-- when there is none.
CREATE OR REPLACE FUNCTION api.head_find(e app.elections, p_size text,
	p_field text)
RETURNS app.election_heads
LANGUAGE plpgsql AS $$
DECLARE
	v_h app.election_heads;
BEGIN
	IF p_size IS NOT NULL AND p_size !~ '^[0-9]{1,18}$' THEN
		PERFORM api.invalid(api.field_error(p_field, 'must be a tree size'),
			format('invalid query parameter "%s"', p_field));
	END IF;
	SELECT * INTO v_h FROM app.election_heads
	WHERE collectivity_id = e.collectivity_id AND election_id = e.id
	  AND (p_size IS NULL OR tree_size = p_size::bigint)
	ORDER BY tree_size DESC LIMIT 1;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no signed tree head of size %', coalesce(p_size,
			'(latest)') USING ERRCODE = 'PT404';
	END IF;
	RETURN v_h;
END
$$;

-- The leaf hashes 0..n-1 concatenated (hex), for proofs made in C.
CREATE OR REPLACE FUNCTION api.leaves_hex(e app.elections, p_n bigint)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT encode(coalesce(string_agg(l.leaf, ''::bytea ORDER BY l.idx),
		''::bytea), 'hex')
	FROM app.election_log l
	WHERE l.collectivity_id = e.collectivity_id AND l.election_id = e.id
	  AND l.idx < p_n
$$;

-- GET .../proofs/inclusion?tracker=&tree_size=: what the server needs to
-- make the proof: {index, head, leaves}.
CREATE OR REPLACE FUNCTION api.inclusion_input(p_token_hash text,
	p_slug text, p_eid text, p_tracker text, p_size text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_e app.elections := api.election_public(p_token_hash, p_slug, p_eid);
	v_tracker bytea := api.hex_or_null(p_tracker, 32);
	v_h app.election_heads;
	v_idx bigint;
BEGIN
	IF v_tracker IS NULL THEN
		PERFORM api.invalid(api.field_error('tracker',
			'must be 64 lowercase hex digits'),
			'invalid query parameter "tracker"');
	END IF;
	v_h := api.head_find(v_e, p_size, 'tree_size');
	SELECT idx INTO v_idx FROM app.election_log WHERE collectivity_id =
		v_e.collectivity_id AND election_id = v_e.id AND tracker = v_tracker;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no ballot with this tracker in the log'
			USING ERRCODE = 'PT404';
	END IF;
	IF v_idx >= v_h.tree_size THEN
		RAISE EXCEPTION 'the ballot (index %) is not in the tree of size %: '
			'use a later tree head', v_idx, v_h.tree_size
			USING ERRCODE = 'PT409';
	END IF;
	RETURN json_build_object('index', v_idx, 'tree_head', api.head_json(v_h),
		'leaves', api.leaves_hex(v_e, v_h.tree_size))::text;
END
$$;

-- GET .../proofs/consistency?first=&second=: between two signed heads.
CREATE OR REPLACE FUNCTION api.consistency_input(p_token_hash text,
	p_slug text, p_eid text, p_first text, p_second text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_e app.elections := api.election_public(p_token_hash, p_slug, p_eid);
	v_a app.election_heads;
	v_b app.election_heads;
BEGIN
	IF p_first IS NULL THEN
		PERFORM api.invalid(api.field_error('first', 'is required'),
			'invalid query parameter "first"');
	END IF;
	v_a := api.head_find(v_e, p_first, 'first');
	v_b := api.head_find(v_e, p_second, 'second');
	IF v_a.tree_size > v_b.tree_size THEN
		PERFORM api.invalid(api.field_error('first',
			'must not be larger than second'),
			'invalid query parameter "first"');
	END IF;
	RETURN json_build_object('first', api.head_json(v_a),
		'second', api.head_json(v_b),
		'leaves', api.leaves_hex(v_e, v_b.tree_size))::text;
END
$$;

-- GET .../result: only once counted.
CREATE OR REPLACE FUNCTION api.election_result(p_token_hash text,
	p_slug text, p_eid text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account_opt(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_e app.elections := api.election_find(v_c, v_acc, p_eid);
	v_h app.election_heads;
BEGIN
	IF v_e.result IS NULL THEN
		RAISE EXCEPTION 'results are published when the election has closed '
			'and been counted' USING ERRCODE = 'PT409';
	END IF;
	SELECT * INTO v_h FROM app.election_heads
	WHERE collectivity_id = v_c.id AND election_id = v_e.id
	ORDER BY tree_size DESC LIMIT 1;
	RETURN json_build_object('result', v_e.result::json,
		'tree_head', api.head_json(v_h), 'counted_at', v_e.counted_at,
		'fingerprint', encode(v_e.fingerprint, 'hex'))::text;
END
$$;

-- GET .../export: everything `participe verify` needs (lib/verify.h).
CREATE OR REPLACE FUNCTION api.election_export(p_token_hash text,
	p_slug text, p_eid text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_e app.elections := api.election_public(p_token_hash, p_slug, p_eid);
BEGIN
	RETURN json_build_object('descriptor', v_e.descriptor,
		'fingerprint', encode(v_e.fingerprint, 'hex'),
		'credentials', (SELECT coalesce(json_agg(encode(k.public_key, 'hex')
			ORDER BY k.public_key), '[]') FROM app.election_credentials k
			WHERE k.collectivity_id = v_e.collectivity_id
			  AND k.election_id = v_e.id),
		'log', (SELECT coalesce(json_agg(json_build_object('index', l.idx,
			'entry', encode(l.entry, 'hex')) ORDER BY l.idx), '[]')
			FROM app.election_log l
			WHERE l.collectivity_id = v_e.collectivity_id
			  AND l.election_id = v_e.id),
		'tree_heads', (SELECT coalesce(json_agg(api.head_json(h)
			ORDER BY h.tree_size), '[]') FROM app.election_heads h
			WHERE h.collectivity_id = v_e.collectivity_id
			  AND h.election_id = v_e.id),
		'result', v_e.result::json)::text;
END
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA api TO participe_app;
