-- Membership, resident verification, roles and the audit log of one
-- collectivity. Every function enters the collectivity first (api.enter),
-- so row-level security scopes what it reads and writes.

CREATE OR REPLACE FUNCTION api.member_json(p_c app.collectivities,
	m app.members)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('account_id', m.account_id,
		'display_name', (SELECT a.display_name FROM app.accounts a
			WHERE a.id = m.account_id),
		'collectivity', p_c.slug,
		'joined_at', m.joined_at,
		'verified', m.verified_at IS NOT NULL,
		'verified_at', m.verified_at,
		'verified_method', m.verified_method,
		'manual_requested_at', m.manual_requested_at,
		'manual_note', m.manual_note,
		'roles', to_json(api.roles_of(p_c.id, m.account_id)))
$$;

-- Joins the caller to the collectivity if not yet a member.
CREATE OR REPLACE FUNCTION api.member_ensure(p_c app.collectivities,
	p_acc app.accounts)
RETURNS app.members
LANGUAGE plpgsql AS $$
DECLARE
	v_m app.members;
BEGIN
	INSERT INTO app.members (collectivity_id, account_id)
	VALUES (p_c.id, p_acc.id)
	ON CONFLICT DO NOTHING;
	SELECT * INTO v_m FROM app.members
	WHERE collectivity_id = p_c.id AND account_id = p_acc.id;
	RETURN v_m;
END
$$;

-- POST /v1/collectivities/{cid}/members: the caller joins (idempotent);
-- created tells 201 from 200.
CREATE OR REPLACE FUNCTION api.member_join(p_token_hash text, p_slug text)
RETURNS TABLE (body text, created boolean)
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_new boolean;
	v_m app.members;
BEGIN
	v_new := NOT EXISTS (SELECT 1 FROM app.members
		WHERE collectivity_id = v_c.id AND account_id = v_acc.id);
	v_m := api.member_ensure(v_c, v_acc);
	RETURN QUERY SELECT api.member_json(v_c, v_m)::text, v_new;
END
$$;

-- GET /v1/collectivities/{cid}/members?status=&limit=&after=: moderators
-- and admins; ordered by join time then account id (keyset).
CREATE OR REPLACE FUNCTION api.member_list(p_token_hash text, p_slug text,
	p_status text, p_limit int, p_after text)
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
		BEGIN
			v_at := split_part(p_after, '_', 1)::timestamptz;
			v_id := split_part(p_after, '_', 2)::uuid;
		EXCEPTION WHEN others THEN
			PERFORM api.invalid(api.field_error('after',
				'is not a valid cursor'), 'invalid query parameter "after"');
		END;
	END IF;
	RETURN QUERY
	WITH page AS (
		SELECT m FROM app.members m
		WHERE m.collectivity_id = v_c.id
		  AND (p_status = 'all'
			OR (p_status = 'verified' AND m.verified_at IS NOT NULL)
			OR (p_status = 'unverified' AND m.verified_at IS NULL)
			OR (p_status = 'pending' AND m.verified_at IS NULL
				AND m.manual_requested_at IS NOT NULL))
		  AND (v_at IS NULL OR (m.joined_at, m.account_id) > (v_at, v_id))
		ORDER BY m.joined_at, m.account_id
		LIMIT p_limit + 1
	), shown AS (
		SELECT m, row_number() OVER (ORDER BY (m).joined_at,
			(m).account_id) AS n FROM page
	)
	SELECT coalesce(json_agg(api.member_json(v_c, m) ORDER BY n)
			FILTER (WHERE n <= p_limit), '[]')::text,
		CASE WHEN count(*) > p_limit THEN (SELECT
			to_char((s.m).joined_at AT TIME ZONE 'UTC',
				'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '_' || (s.m).account_id
			FROM shown s WHERE s.n = p_limit) END
	FROM shown;
END
$$;

-- Marks the caller a verified resident after the age check.
CREATE OR REPLACE FUNCTION api.member_set_verified(p_c app.collectivities,
	p_account uuid, p_birth date, p_method text, p_by uuid, p_reason text)
RETURNS app.members
LANGUAGE plpgsql AS $$
DECLARE
	v_m app.members;
BEGIN
	IF p_c.minimum_age > 0 THEN
		IF p_birth IS NULL THEN
			RAISE EXCEPTION 'collectivity "%" verifies residents aged % '
				'or more: the account needs a birth date first',
				p_c.slug, p_c.minimum_age
				USING ERRCODE = 'PT422', DETAIL = api.field_error(
					'birth_date', 'is required')::text;
		END IF;
		IF api.age(p_birth) < p_c.minimum_age THEN
			RAISE EXCEPTION 'collectivity "%" verifies residents aged % '
				'or more', p_c.slug, p_c.minimum_age
				USING ERRCODE = 'PT403';
		END IF;
	END IF;
	UPDATE app.members SET verified_at = now(), verified_method = p_method,
		verified_by = p_by
	WHERE collectivity_id = p_c.id AND account_id = p_account
	  AND verified_at IS NULL
	RETURNING * INTO v_m;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'this person is already a verified resident of "%"',
			p_c.slug USING ERRCODE = 'PT409';
	END IF;
	PERFORM api.audit(p_c.id, coalesce(p_by, p_account), 'member.verify',
		'account', p_account::text, p_reason,
		jsonb_build_object('method', p_method));
	RETURN v_m;
END
$$;

CREATE OR REPLACE FUNCTION api.require_method(p_c app.collectivities,
	p_method text)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF NOT p_method = ANY (api.collectivity_methods(p_c)) THEN
		RAISE EXCEPTION 'collectivity "%" does not verify residents by %',
			p_c.slug, p_method USING ERRCODE = 'PT403';
	END IF;
END
$$;

-- A resident-facing verification needs a confirmed e-mail address.
CREATE OR REPLACE FUNCTION api.require_confirmed(p_acc app.accounts)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF p_acc.email_verified_at IS NULL THEN
		RAISE EXCEPTION 'confirm your e-mail address first'
			USING ERRCODE = 'PT403';
	END IF;
END
$$;

DROP FUNCTION IF EXISTS api.verification_start(app.collectivities,
	app.accounts, text, text);

-- The common start of a resident-facing verification: the method is
-- offered, the address confirmed, the caller becomes a member if not yet,
-- and is not verified already.
CREATE OR REPLACE FUNCTION api.verification_start(p_c app.collectivities,
	p_acc app.accounts, p_method text)
RETURNS app.members
LANGUAGE plpgsql AS $$
DECLARE
	v_m app.members;
BEGIN
	PERFORM api.require_method(p_c, p_method);
	PERFORM api.require_confirmed(p_acc);
	v_m := api.member_ensure(p_c, p_acc);
	IF v_m.verified_at IS NOT NULL THEN
		RAISE EXCEPTION 'you are already a verified resident of "%"',
			p_c.slug USING ERRCODE = 'PT409';
	END IF;
	RETURN v_m;
END
$$;

-- POST /v1/collectivities/{cid}/verification/code
CREATE OR REPLACE FUNCTION api.verify_code(p_token_hash text, p_slug text,
	p_code_hash text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_m app.members;
BEGIN
	v_m := api.verification_start(v_c, v_acc, 'code');
	UPDATE app.verification_codes SET redeemed_by = v_acc.id,
		redeemed_at = now()
	WHERE collectivity_id = v_c.id AND code_hash = decode(p_code_hash, 'hex')
	  AND redeemed_at IS NULL;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'this code is unknown or already used'
			USING ERRCODE = 'PT422', DETAIL = api.field_error('code',
				'is unknown or already used')::text;
	END IF;
	v_m := api.member_set_verified(v_c, v_acc.id, v_acc.birth_date, 'code',
		NULL, NULL);
	RETURN api.member_json(v_c, v_m)::text;
END
$$;

-- The roll key, for the server to hash a resident's identifiers (never
-- returned to a resident). Requires a session and the roll method. This
-- first step of a roll match commits on its own, so it is where attempts
-- are counted: identities can be guessed, unlike codes (80 random bits)
-- and tokens (256), whose failed attempts roll back with their request.
CREATE OR REPLACE FUNCTION api.roll_key_for(p_token_hash text, p_slug text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
BEGIN
	PERFORM api.rate_hit('roll:acct:' || v_acc.id, 10, 3600);
	PERFORM api.require_method(v_c, 'roll');
	PERFORM api.require_confirmed(v_acc);
	RETURN encode(v_c.roll_key, 'hex');
END
$$;

-- POST /v1/collectivities/{cid}/verification/roll, after the server hashed
-- the identifiers with the key: the first unused matching entry is used.
CREATE OR REPLACE FUNCTION api.verify_roll(p_token_hash text, p_slug text,
	p_entry_hash text, p_birth_date text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_m app.members;
BEGIN
	v_m := api.verification_start(v_c, v_acc, 'roll');
	UPDATE app.roll_entries SET used_by = v_acc.id, used_at = now()
	WHERE collectivity_id = v_c.id
	  AND entry_hash = decode(p_entry_hash, 'hex') AND used_at IS NULL;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no unused entry of the roll matches these '
			'identifiers' USING ERRCODE = 'PT422';
	END IF;
	-- The roll's birth date is the one that counts for the minimum age.
	v_m := api.member_set_verified(v_c, v_acc.id, p_birth_date::date,
		'roll', NULL, NULL);
	RETURN api.member_json(v_c, v_m)::text;
END
$$;

-- POST /v1/collectivities/{cid}/verification/manual: asks a moderator.
CREATE OR REPLACE FUNCTION api.verify_manual_request(p_token_hash text,
	p_slug text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_m app.members;
BEGIN
	v_m := api.verification_start(v_c, v_acc, 'manual');
	UPDATE app.members SET manual_requested_at = now(),
		manual_note = p_body->>'note'
	WHERE collectivity_id = v_c.id AND account_id = v_acc.id
	RETURNING * INTO v_m;
	RETURN api.member_json(v_c, v_m)::text;
END
$$;

-- POST /v1/collectivities/{cid}/members/{account}/verify: a moderator's
-- manual approval.
CREATE OR REPLACE FUNCTION api.member_verify(p_token_hash text, p_slug text,
	p_account text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_m app.members;
	v_birth date;
BEGIN
	-- The object first: someone else's member is "not found" to anyone
	-- here, whatever their role (the isolation matrix relies on it).
	SELECT m.* INTO v_m FROM app.members m
	WHERE m.collectivity_id = v_c.id
	  AND m.account_id::text = lower(p_account);
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no member "%" in collectivity "%"', p_account,
			v_c.slug USING ERRCODE = 'PT404';
	END IF;
	PERFORM api.require_role(v_c, v_acc, ARRAY['moderator', 'admin']);
	PERFORM api.require_method(v_c, 'manual');
	SELECT birth_date INTO v_birth FROM app.accounts WHERE id = v_m.account_id;
	v_m := api.member_set_verified(v_c, v_m.account_id, v_birth, 'manual',
		v_acc.id, p_body->>'reason');
	RETURN api.member_json(v_c, v_m)::text;
END
$$;

-- POST /v1/collectivities/{cid}/verification-codes: the server generated
-- the codes and passes their hashes; the clear codes are shown once.
CREATE OR REPLACE FUNCTION api.codes_create(p_token_hash text, p_slug text,
	p_hashes text[])
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_batch uuid := gen_random_uuid();
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	INSERT INTO app.verification_codes (collectivity_id, code_hash, batch_id)
	SELECT v_c.id, decode(h, 'hex'), v_batch FROM unnest(p_hashes) h;
	PERFORM api.audit(v_c.id, v_acc.id, 'codes.create', 'code_batch',
		v_batch::text, NULL,
		jsonb_build_object('count', cardinality(p_hashes)));
	RETURN json_build_object('batch_id', v_batch,
		'count', cardinality(p_hashes), 'created_at', now())::text;
END
$$;

-- GET /v1/collectivities/{cid}/roll/key: the key the admins hash their
-- roll with (participe roll hash).
CREATE OR REPLACE FUNCTION api.roll_key_get(p_token_hash text, p_slug text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	RETURN json_build_object('key', encode(v_c.roll_key, 'hex'),
		'algorithm', 'participe/roll/v1 keyed BLAKE2b-256')::text;
END
$$;

-- POST /v1/collectivities/{cid}/roll: adds hashed entries (or replaces the
-- unused ones with replace=true). Entries already used stay used.
CREATE OR REPLACE FUNCTION api.roll_upload(p_token_hash text, p_slug text,
	p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_bad int;
	v_added int;
	v_removed int := 0;
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	SELECT count(*) INTO v_bad FROM jsonb_array_elements(p_body->'entries') e
	WHERE jsonb_typeof(e) <> 'string' OR e #>> '{}' !~ '^[0-9a-f]{64}$';
	IF v_bad > 0 THEN
		PERFORM api.invalid(api.field_error('entries',
			format('%s entries are not 64 lowercase hex digits', v_bad)));
	END IF;
	IF coalesce((p_body->>'replace')::boolean, false) THEN
		DELETE FROM app.roll_entries
		WHERE collectivity_id = v_c.id AND used_at IS NULL;
		GET DIAGNOSTICS v_removed = ROW_COUNT;
	END IF;
	INSERT INTO app.roll_entries (collectivity_id, entry_hash)
	SELECT v_c.id, decode(e, 'hex')
	FROM jsonb_array_elements_text(p_body->'entries') e
	ON CONFLICT DO NOTHING;
	GET DIAGNOSTICS v_added = ROW_COUNT;
	PERFORM api.audit(v_c.id, v_acc.id, 'roll.upload', 'roll', v_c.slug,
		NULL, jsonb_build_object('added', v_added, 'removed', v_removed));
	RETURN json_build_object('added', v_added, 'removed', v_removed,
		'total', (SELECT count(*) FROM app.roll_entries
			WHERE collectivity_id = v_c.id),
		'used', (SELECT count(*) FROM app.roll_entries
			WHERE collectivity_id = v_c.id AND used_at IS NOT NULL))::text;
END
$$;

-- Roles -----------------------------------------------------------------

CREATE OR REPLACE FUNCTION api.grant_json(g app.role_grants)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('account_id', g.account_id,
		'display_name', (SELECT a.display_name FROM app.accounts a
			WHERE a.id = g.account_id),
		'role', g.role, 'granted_by', g.granted_by,
		'granted_at', g.granted_at)
$$;

-- GET /v1/collectivities/{cid}/roles
CREATE OR REPLACE FUNCTION api.role_list(p_token_hash text, p_slug text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	RETURN (SELECT coalesce(json_agg(api.grant_json(g)
			ORDER BY g.granted_at, g.account_id, g.role), '[]')
		FROM app.role_grants g WHERE g.collectivity_id = v_c.id)::text;
END
$$;

-- POST /v1/collectivities/{cid}/roles {account_id, role, reason}: roles go
-- to members of the collectivity; anyone else is "not found" here.
CREATE OR REPLACE FUNCTION api.role_grant(p_token_hash text, p_slug text,
	p_body jsonb)
RETURNS TABLE (body text, created boolean)
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_g app.role_grants;
	v_target uuid;
BEGIN
	SELECT m.account_id INTO v_target FROM app.members m
	WHERE m.collectivity_id = v_c.id
	  AND m.account_id::text = lower(p_body->>'account_id');
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no member "%" in collectivity "%"',
			p_body->>'account_id', v_c.slug USING ERRCODE = 'PT404';
	END IF;
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	IF NOT (p_body->>'role' = ANY (ARRAY['moderator', 'admin'])) THEN
		PERFORM api.invalid(api.field_error('role',
			'must be moderator or admin'));
	END IF;
	INSERT INTO app.role_grants (collectivity_id, account_id, role,
		granted_by)
	VALUES (v_c.id, v_target, p_body->>'role', v_acc.id)
	ON CONFLICT DO NOTHING
	RETURNING * INTO v_g;
	IF v_g.account_id IS NULL THEN
		SELECT * INTO v_g FROM app.role_grants
		WHERE collectivity_id = v_c.id AND account_id = v_target
		  AND role = p_body->>'role';
		RETURN QUERY SELECT api.grant_json(v_g)::text, false;
		RETURN;
	END IF;
	PERFORM api.audit(v_c.id, v_acc.id, 'role.grant', 'account',
		v_target::text, p_body->>'reason',
		jsonb_build_object('role', v_g.role));
	RETURN QUERY SELECT api.grant_json(v_g)::text, true;
END
$$;

-- DELETE /v1/collectivities/{cid}/roles/{account}/{role}?reason=
CREATE OR REPLACE FUNCTION api.role_revoke(p_token_hash text, p_slug text,
	p_account text, p_role text, p_reason text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_g app.role_grants;
BEGIN
	-- The object first (another collectivity's grant is "not found" to
	-- every role), then the caller's role, as it was before the change.
	SELECT * INTO v_g FROM app.role_grants
	WHERE collectivity_id = v_c.id AND account_id::text = lower(p_account)
	  AND role = p_role;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'member "%" has no role "%" in collectivity "%"',
			p_account, p_role, v_c.slug USING ERRCODE = 'PT404';
	END IF;
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	DELETE FROM app.role_grants
	WHERE collectivity_id = v_c.id AND account_id = v_g.account_id
	  AND role = p_role;
	IF p_role = 'admin' AND NOT EXISTS (SELECT 1 FROM app.role_grants
			WHERE collectivity_id = v_c.id AND role = 'admin') THEN
		RAISE EXCEPTION 'collectivity "%" would have no admin left',
			v_c.slug USING ERRCODE = 'PT409';
	END IF;
	PERFORM api.audit(v_c.id, v_acc.id, 'role.revoke', 'account',
		v_g.account_id::text, p_reason, jsonb_build_object('role', p_role));
	RETURN '';
END
$$;

-- GET /v1/collectivities/{cid}/audit?limit=&after=: newest first.
CREATE OR REPLACE FUNCTION api.audit_list(p_token_hash text, p_slug text,
	p_limit int, p_after text)
RETURNS TABLE (body text, next text)
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_after bigint;
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	IF p_after IS NOT NULL THEN
		IF p_after !~ '^[0-9]{1,18}$' THEN
			PERFORM api.invalid(api.field_error('after',
				'is not a valid cursor'), 'invalid query parameter "after"');
		END IF;
		v_after := p_after::bigint;
	END IF;
	RETURN QUERY
	WITH page AS (
		SELECT l FROM app.audit_log l
		WHERE l.collectivity_id = v_c.id
		  AND (v_after IS NULL OR l.seq < v_after)
		ORDER BY l.seq DESC
		LIMIT p_limit + 1
	), shown AS (
		SELECT l, row_number() OVER (ORDER BY (l).seq DESC) AS n FROM page
	)
	SELECT coalesce(json_agg(json_build_object('seq', (l).seq,
			'at', (l).at, 'actor_id', (l).actor_id,
			'action', (l).action, 'object_type', (l).object_type,
			'object_id', (l).object_id, 'reason', (l).reason,
			'details', (l).details) ORDER BY n)
			FILTER (WHERE n <= p_limit), '[]')::text,
		CASE WHEN count(*) > p_limit
			THEN min((l).seq) FILTER (WHERE n <= p_limit)::text END
	FROM shown;
END
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA api TO participe_app;
