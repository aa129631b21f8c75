-- Accounts and sessions: registration, e-mail confirmation, login,
-- logout, password reset, the caller's own data (read, edit, export,
-- erase).
--
-- Functions that send mail return it as a second column 'mail': a JSON
-- object {to, template, link_path} that the server hands to the mail
-- transport, appending ?token=... to link_path. Nothing here ever sees a
-- clear token: the server generates it and passes its BLAKE2b-256 hash.
--
-- Rate limits (fixed windows): see docs/identity.md.

CREATE OR REPLACE FUNCTION api.email_bucket(p_email text)
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT encode(sha256(convert_to(lower(p_email), 'UTF8')), 'hex')
$$;

-- p_with_token: the server appends ?token= (the token it generated and
-- whose hash this transaction stored) to link_path.
CREATE OR REPLACE FUNCTION api.mail(p_acc app.accounts, p_template text,
	p_link_path text, p_with_token boolean)
RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO app.outbox (account_id, template)
	VALUES (p_acc.id, p_template);
	RETURN json_build_object('to', p_acc.email, 'template', p_template,
		'link_path', p_link_path, 'with_token', p_with_token)::text;
END
$$;

CREATE OR REPLACE FUNCTION api.account_registered_body()
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT '{"status":"accepted","message":"if this address can be '
		'registered, a message with a confirmation link has been sent '
		'to it"}'
$$;

-- POST /v1/accounts. The same answer whether or not the address already
-- has an account (no enumeration); the owner of an existing account is
-- told by mail instead. The password was hashed before either path.
CREATE OR REPLACE FUNCTION api.account_register(p_ip text, p_body jsonb,
	p_password_hash text, p_token_hash text, p_ttl_ms int)
RETURNS TABLE (body text, mail text)
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts;
	v_birth date;
BEGIN
	PERFORM api.rate_hit('register:ip:' || p_ip, 20, 3600);
	PERFORM api.rate_hit('register:acct:' ||
		api.email_bucket(p_body->>'email'), 5, 3600);
	IF p_body ? 'birth_date' AND jsonb_typeof(p_body->'birth_date') <> 'null' THEN
		v_birth := api.try_date(p_body->>'birth_date');
		IF v_birth IS NULL OR v_birth > current_date
				OR v_birth < '1900-01-01' THEN
			PERFORM api.invalid(api.field_error('birth_date',
				'must be a past date (YYYY-MM-DD) after 1900-01-01'));
		END IF;
	END IF;
	SELECT * INTO v_acc FROM app.accounts
	WHERE lower(email) = lower(p_body->>'email');
	IF FOUND THEN
		RETURN QUERY SELECT api.account_registered_body(),
			api.mail(v_acc, 'already_registered', '/reset-password', false);
		RETURN;
	END IF;
	INSERT INTO app.accounts (email, display_name, password_hash, birth_date)
	VALUES (p_body->>'email', p_body->>'display_name', p_password_hash,
		v_birth)
	RETURNING * INTO v_acc;
	INSERT INTO app.account_tokens (token_hash, account_id, purpose,
		expires_at)
	VALUES (decode(p_token_hash, 'hex'), v_acc.id, 'confirm_email',
		now() + p_ttl_ms * interval '1 millisecond');
	RETURN QUERY SELECT api.account_registered_body(),
		api.mail(v_acc, 'confirm_email', '/confirm-email', true);
END
$$;

-- Uses a single-use token of the given purpose in one UPDATE; NULL when
-- it is unknown, expired or already used.
CREATE OR REPLACE FUNCTION api.token_use(p_token_hash text, p_purpose text)
RETURNS uuid
LANGUAGE sql AS $$
	UPDATE app.account_tokens SET used_at = now()
	WHERE token_hash = decode(p_token_hash, 'hex') AND purpose = p_purpose
	  AND used_at IS NULL AND expires_at > now()
	RETURNING account_id
$$;

CREATE OR REPLACE FUNCTION api.token_refused()
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the token is invalid, expired or already used'
		USING ERRCODE = 'PT422',
		DETAIL = api.field_error('token',
			'is invalid, expired or already used')::text;
END
$$;

-- POST /v1/accounts/confirm
CREATE OR REPLACE FUNCTION api.account_confirm(p_ip text, p_token_hash text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_id uuid;
BEGIN
	v_id := api.token_use(p_token_hash, 'confirm_email');
	IF v_id IS NULL THEN
		PERFORM api.token_refused();
	END IF;
	UPDATE app.accounts SET email_verified_at = coalesce(email_verified_at,
		now()), updated_at = now()
	WHERE id = v_id;
	RETURN '{"status":"confirmed"}';
END
$$;

-- POST /v1/sessions, first half: counts the attempt against the IP and the
-- account (whether or not it exists) and returns what the server needs to
-- check the password off the event loop. No row: no such account.
CREATE OR REPLACE FUNCTION api.login_begin(p_ip text, p_email text)
RETURNS TABLE (account_id uuid, password_hash text)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM api.rate_hit('login:ip:' || p_ip, 100, 900);
	PERFORM api.rate_hit('login:acct:' || api.email_bucket(p_email), 10, 900);
	RETURN QUERY SELECT a.id, a.password_hash FROM app.accounts a
	WHERE lower(a.email) = lower(p_email) AND a.password_hash IS NOT NULL;
END
$$;

-- POST /v1/sessions, second half, once the password matched: opens the
-- session and stores a new hash when the parameters changed.
CREATE OR REPLACE FUNCTION api.login_finish(p_account uuid,
	p_new_hash text, p_token_hash text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_s app.sessions;
BEGIN
	IF p_new_hash IS NOT NULL THEN
		UPDATE app.accounts SET password_hash = p_new_hash
		WHERE id = p_account;
	END IF;
	INSERT INTO app.sessions (token_hash, account_id, expires_at)
	VALUES (decode(p_token_hash, 'hex'), p_account,
		now() + interval '30 days')
	RETURNING * INTO v_s;
	RETURN json_build_object('expires_at', v_s.expires_at,
		'idle_timeout_s', 14 * 86400,
		'account_id', p_account)::text;
END
$$;

-- DELETE /v1/sessions/current and DELETE /v1/sessions (everywhere).
CREATE OR REPLACE FUNCTION api.session_logout(p_token_hash text,
	p_everywhere boolean)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
BEGIN
	UPDATE app.sessions SET revoked_at = now()
	WHERE revoked_at IS NULL AND (token_hash = decode(p_token_hash, 'hex')
		OR (p_everywhere AND account_id = v_acc.id));
	RETURN '';
END
$$;

-- POST /v1/password-resets: always the same answer.
CREATE OR REPLACE FUNCTION api.password_reset_request(p_ip text,
	p_email text, p_token_hash text, p_ttl_ms int)
RETURNS TABLE (body text, mail text)
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts;
	v_body text := '{"status":"accepted","message":"if this address has '
		'an account, a message with a reset link has been sent to it"}';
BEGIN
	PERFORM api.rate_hit('reset:ip:' || p_ip, 20, 3600);
	PERFORM api.rate_hit('reset:acct:' || api.email_bucket(p_email), 3, 3600);
	SELECT * INTO v_acc FROM app.accounts WHERE lower(email) = lower(p_email);
	IF NOT FOUND THEN
		RETURN QUERY SELECT v_body, NULL::text;
		RETURN;
	END IF;
	INSERT INTO app.account_tokens (token_hash, account_id, purpose,
		expires_at)
	VALUES (decode(p_token_hash, 'hex'), v_acc.id, 'reset_password',
		now() + p_ttl_ms * interval '1 millisecond');
	RETURN QUERY SELECT v_body,
		api.mail(v_acc, 'reset_password', '/reset-password', true);
END
$$;

-- POST /v1/password-resets/confirm: sets the new password, confirms the
-- address (the link reached its mailbox) and closes every session.
CREATE OR REPLACE FUNCTION api.password_reset(p_ip text, p_token_hash text,
	p_password_hash text)
RETURNS TABLE (body text, mail text)
LANGUAGE plpgsql AS $$
DECLARE
	v_id uuid;
	v_acc app.accounts;
BEGIN
	v_id := api.token_use(p_token_hash, 'reset_password');
	IF v_id IS NULL THEN
		PERFORM api.token_refused();
	END IF;
	UPDATE app.accounts SET password_hash = p_password_hash,
		email_verified_at = coalesce(email_verified_at, now()),
		updated_at = now()
	WHERE id = v_id RETURNING * INTO v_acc;
	UPDATE app.sessions SET revoked_at = now()
	WHERE account_id = v_id AND revoked_at IS NULL;
	-- Other outstanding reset links die with this one.
	UPDATE app.account_tokens SET used_at = now()
	WHERE account_id = v_id AND purpose = 'reset_password'
	  AND used_at IS NULL;
	RETURN QUERY SELECT '{"status":"password_changed"}'::text,
		api.mail(v_acc, 'password_changed', NULL, false);
END
$$;

-- The caller's memberships, every collectivity (RLS: own rows).
CREATE OR REPLACE FUNCTION api.memberships_json(p_account uuid)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT coalesce(json_agg(json_build_object(
		'collectivity', c.slug, 'name', c.name,
		'joined_at', m.joined_at,
		'verified', m.verified_at IS NOT NULL,
		'verified_at', m.verified_at,
		'verified_method', m.verified_method,
		'manual_requested_at', m.manual_requested_at,
		'manual_note', m.manual_note,
		'roles', to_json(api.roles_of(c.id, m.account_id)))
		ORDER BY c.slug), '[]')
	FROM app.members m JOIN app.collectivities c ON c.id = m.collectivity_id
	WHERE m.account_id = p_account
$$;

CREATE OR REPLACE FUNCTION api.me_json(a app.accounts)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', a.id, 'email', a.email,
		'display_name', a.display_name, 'birth_date', a.birth_date,
		'email_verified', a.email_verified_at IS NOT NULL,
		'is_platform_admin', a.is_platform_admin,
		'is_anct', a.is_anct, 'created_at', a.created_at,
		'memberships', api.memberships_json(a.id))
$$;

-- GET /v1/me
CREATE OR REPLACE FUNCTION api.me_get(p_token_hash text)
RETURNS text
LANGUAGE sql AS $$
	SELECT api.me_json(api.session_account(p_token_hash))::text
$$;

-- PATCH /v1/me: display name and birth date (the body spec rejects any
-- other field, role and e-mail included).
CREATE OR REPLACE FUNCTION api.me_update(p_token_hash text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_birth date := v_acc.birth_date;
BEGIN
	IF p_body ? 'birth_date' THEN
		v_birth := api.try_date(p_body->>'birth_date');
		IF jsonb_typeof(p_body->'birth_date') <> 'null' AND (v_birth IS NULL
				OR v_birth > current_date OR v_birth < '1900-01-01') THEN
			PERFORM api.invalid(api.field_error('birth_date',
				'must be a past date (YYYY-MM-DD) after 1900-01-01'));
		END IF;
	END IF;
	UPDATE app.accounts SET
		display_name = coalesce(p_body->>'display_name', display_name),
		birth_date = v_birth, updated_at = now()
	WHERE id = v_acc.id RETURNING * INTO v_acc;
	RETURN api.me_json(v_acc)::text;
END
$$;

-- GET /v1/me/export: every personal datum held about the caller.
CREATE OR REPLACE FUNCTION api.me_export(p_token_hash text)
RETURNS text
LANGUAGE sql AS $$
	WITH a AS (SELECT (api.session_account(p_token_hash)).*)
	SELECT json_build_object(
		'format', 'participe/export/v1',
		'exported_at', now(),
		'account', json_build_object('id', a.id, 'email', a.email,
			'display_name', a.display_name, 'birth_date', a.birth_date,
			'email_verified_at', a.email_verified_at,
			'is_platform_admin', a.is_platform_admin,
			'is_anct', a.is_anct, 'created_at', a.created_at,
			'updated_at', a.updated_at),
		'memberships', api.memberships_json(a.id),
		'sessions', (SELECT coalesce(json_agg(json_build_object(
				'created_at', s.created_at,
				'last_seen_at', s.last_seen_at,
				'expires_at', s.expires_at,
				'revoked_at', s.revoked_at) ORDER BY s.created_at), '[]')
			FROM app.sessions s WHERE s.account_id = a.id),
		'verification_codes_redeemed', (SELECT coalesce(json_agg(
				json_build_object('collectivity', c.slug,
					'redeemed_at', v.redeemed_at)
				ORDER BY v.redeemed_at), '[]')
			FROM app.verification_codes v
			JOIN app.collectivities c ON c.id = v.collectivity_id
			WHERE v.redeemed_by = a.id),
		'mail_sent', (SELECT coalesce(json_agg(json_build_object(
				'template', o.template, 'created_at', o.created_at)
				ORDER BY o.id), '[]')
			FROM app.outbox o WHERE o.account_id = a.id),
		'consultation_responses', (SELECT coalesce(json_agg(
				json_build_object('collectivity', c.slug,
					'consultation_id', r.consultation_id,
					'response_id', r.id, 'answers', r.answers,
					'submitted_at', r.submitted_at,
					'updated_at', r.updated_at)
				ORDER BY r.submitted_at, r.id), '[]')
			FROM app.responses r
			JOIN app.collectivities c ON c.id = r.collectivity_id
			WHERE r.account_id = a.id),
		'anonymous_participations', (SELECT coalesce(json_agg(
				json_build_object('collectivity', c.slug,
					'consultation_id', p.consultation_id)
				ORDER BY c.slug, p.consultation_id), '[]')
			FROM app.consultation_participants p
			JOIN app.consultations q ON q.collectivity_id = p.collectivity_id
				AND q.id = p.consultation_id AND q.anonymous
			JOIN app.collectivities c ON c.id = p.collectivity_id
			WHERE p.account_id = a.id),
		'proposals', (SELECT coalesce(json_agg(json_build_object(
				'collectivity', c.slug, 'id', pr.id,
				'process_id', pr.process_id, 'title', pr.title,
				'body', pr.body, 'state', pr.state,
				'created_at', pr.created_at)
				ORDER BY pr.created_at, pr.id), '[]')
			FROM app.proposals pr
			JOIN app.collectivities c ON c.id = pr.collectivity_id
			WHERE pr.author_id = a.id),
		'comments', (SELECT coalesce(json_agg(json_build_object(
				'collectivity', c.slug, 'id', cm.id,
				'proposal_id', cm.proposal_id, 'process_id', cm.process_id,
				'body', CASE WHEN cm.deleted_at IS NULL THEN cm.body END,
				'created_at', cm.created_at, 'deleted_at', cm.deleted_at)
				ORDER BY cm.created_at, cm.id), '[]')
			FROM app.comments cm
			JOIN app.collectivities c ON c.id = cm.collectivity_id
			WHERE cm.author_id = a.id),
		'supports', (SELECT coalesce(json_agg(json_build_object(
				'collectivity', c.slug, 'proposal_id', s.proposal_id,
				'created_at', s.created_at)
				ORDER BY s.created_at, s.proposal_id), '[]')
			FROM app.supports s
			JOIN app.collectivities c ON c.id = s.collectivity_id
			WHERE s.account_id = a.id))::text
	FROM a
$$;

-- DELETE /v1/me: erasure. The account row goes, and with it sessions,
-- tokens, mail records, memberships and roles; what points to the account
-- from public contributions becomes NULL ("deleted participant"); the
-- audit log keeps its pseudonymous id, which now points to nobody.
CREATE OR REPLACE FUNCTION api.me_delete(p_token_hash text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_m record;
BEGIN
	IF v_acc.is_platform_admin THEN
		RAISE EXCEPTION 'a platform administrator must be demoted before '
			'erasing their account'
			USING ERRCODE = 'PT409';
	END IF;
	FOR v_m IN SELECT g.collectivity_id, c.slug FROM app.role_grants g
		JOIN app.collectivities c ON c.id = g.collectivity_id
		WHERE g.account_id = v_acc.id AND g.role = 'admin'
	LOOP
		PERFORM set_config('app.collectivity_id',
			v_m.collectivity_id::text, true);
		IF NOT EXISTS (SELECT 1 FROM app.role_grants g
				WHERE g.collectivity_id = v_m.collectivity_id
				  AND g.role = 'admin' AND g.account_id <> v_acc.id) THEN
			RAISE EXCEPTION 'you are the only admin of "%": grant the admin '
				'role to someone else before erasing your account', v_m.slug
				USING ERRCODE = 'PT409';
		END IF;
	END LOOP;
	FOR v_m IN SELECT collectivity_id FROM app.members
		WHERE account_id = v_acc.id
	LOOP
		PERFORM set_config('app.collectivity_id',
			v_m.collectivity_id::text, true);
		PERFORM api.audit(v_m.collectivity_id, v_acc.id,
			'account.erase', 'account', v_acc.id::text, NULL);
	END LOOP;
	DELETE FROM app.accounts WHERE id = v_acc.id;
	RETURN '';
END
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA api TO participe_app;
