-- Authentication, tenancy and audit helpers shared by every api function.
--
-- A request's credentials arrive as the hex BLAKE2b-256 hash of its bearer
-- token. Errors are raised with SQLSTATE 'PT' || HTTP status; the server
-- maps them to problem+json with the message as detail, a DETAIL holding a
-- JSON array as the problem's errors, and for 429 a HINT holding the
-- seconds to wait as Retry-After.

-- Sessions expire 30 days after login, or after 14 days without use.
CREATE OR REPLACE FUNCTION api.session_account(p_token_hash text)
RETURNS app.accounts
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts;
	v_rec record;
	v_seen timestamptz;
BEGIN
	IF p_token_hash IS NULL THEN
		RAISE EXCEPTION 'this request needs a bearer token'
			USING ERRCODE = 'PT401';
	END IF;
	SELECT a AS acc, s.last_seen_at AS seen INTO v_rec
	FROM app.sessions s JOIN app.accounts a ON a.id = s.account_id
	WHERE s.token_hash = decode(p_token_hash, 'hex')
	  AND s.revoked_at IS NULL AND s.expires_at > now()
	  AND s.last_seen_at > now() - interval '14 days';
	IF NOT FOUND THEN
		RAISE EXCEPTION 'the bearer token is unknown, expired or revoked'
			USING ERRCODE = 'PT401';
	END IF;
	v_acc := v_rec.acc;
	v_seen := v_rec.seen;
	-- Idle timeout: remember use, at most once a minute per session. Not
	-- in a read-only transaction (reads served by the replica, queries.h
	-- QR): the next request on the primary remembers it.
	IF v_seen < now() - interval '1 minute'
	   AND current_setting('transaction_read_only') = 'off' THEN
		UPDATE app.sessions SET last_seen_at = now()
		WHERE token_hash = decode(p_token_hash, 'hex');
	END IF;
	PERFORM set_config('app.account_id', v_acc.id::text, true);
	RETURN v_acc;
END
$$;

-- The session's account, or NULL without a token (public routes that say
-- more to a signed-in caller).
CREATE OR REPLACE FUNCTION api.session_account_opt(p_token_hash text)
RETURNS app.accounts
LANGUAGE plpgsql AS $$
BEGIN
	IF p_token_hash IS NULL THEN
		RETURN NULL;
	END IF;
	RETURN api.session_account(p_token_hash);
END
$$;

CREATE OR REPLACE FUNCTION api.require_platform_admin(p_token_hash text)
RETURNS app.accounts
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
BEGIN
	IF NOT v_acc.is_platform_admin THEN
		RAISE EXCEPTION 'only platform administrators may do this'
			USING ERRCODE = 'PT403';
	END IF;
	RETURN v_acc;
END
$$;

-- Enters a collectivity: every tenant row this transaction sees or writes
-- is that collectivity's (row-level security reads app.collectivity_id).
CREATE OR REPLACE FUNCTION api.enter(p_slug text)
RETURNS app.collectivities
LANGUAGE plpgsql AS $$
DECLARE
	v_c app.collectivities;
BEGIN
	SELECT * INTO v_c FROM app.collectivities WHERE slug = p_slug;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'collectivity "%" does not exist', p_slug
			USING ERRCODE = 'PT404';
	END IF;
	PERFORM set_config('app.collectivity_id', v_c.id::text, true);
	RETURN v_c;
END
$$;

-- The caller's roles in the entered collectivity: 'member' once joined,
-- 'resident' once verified, plus granted 'moderator' and 'admin'.
CREATE OR REPLACE FUNCTION api.roles_of(p_collectivity uuid, p_account uuid)
RETURNS text[]
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN m.account_id IS NULL THEN ARRAY[]::text[] ELSE
		ARRAY['member'] || CASE WHEN m.verified_at IS NOT NULL
			THEN ARRAY['resident'] ELSE ARRAY[]::text[] END ||
		coalesce((SELECT array_agg(g.role ORDER BY g.role)
			FROM app.role_grants g
			WHERE g.collectivity_id = p_collectivity
			  AND g.account_id = p_account), ARRAY[]::text[]) END
	FROM (SELECT 1) one
	LEFT JOIN app.members m ON m.collectivity_id = p_collectivity
		AND m.account_id = p_account
$$;

-- Requires one of p_roles in the entered collectivity (platform admins
-- pass). Someone with no tie to the collectivity gets 404, as if what they
-- asked for did not exist; a member without the role gets 403.
CREATE OR REPLACE FUNCTION api.require_role(p_c app.collectivities,
	p_acc app.accounts, p_roles text[])
RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
	v_roles text[] := api.roles_of(p_c.id, p_acc.id);
BEGIN
	IF p_acc.is_platform_admin OR v_roles && p_roles THEN
		RETURN v_roles;
	END IF;
	IF cardinality(v_roles) = 0 THEN
		RAISE EXCEPTION 'no such resource in collectivity "%"', p_c.slug
			USING ERRCODE = 'PT404';
	END IF;
	RAISE EXCEPTION 'this needs the % role in collectivity "%"',
		array_to_string(p_roles, ' or '), p_c.slug
		USING ERRCODE = 'PT403';
END
$$;

-- Appends to the entered collectivity's audit log.
CREATE OR REPLACE FUNCTION api.audit(p_c uuid, p_actor uuid, p_action text,
	p_object_type text, p_object_id text, p_reason text,
	p_details jsonb DEFAULT '{}')
RETURNS void
LANGUAGE sql AS $$
	INSERT INTO app.audit_log (collectivity_id, actor_id, action,
		object_type, object_id, reason, details)
	VALUES (p_c, p_actor, p_action, p_object_type, p_object_id,
		nullif(p_reason, ''), coalesce(p_details, '{}'))
$$;

-- Fixed-window rate limit: counts a hit in p_bucket and refuses (429, with
-- the seconds left in the window as HINT) beyond p_limit hits per window.
CREATE OR REPLACE FUNCTION api.rate_hit(p_bucket text, p_limit int,
	p_window_s int)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_start timestamptz := to_timestamp(
		floor(extract(epoch FROM now()) / p_window_s) * p_window_s);
	v_hits int;
BEGIN
	INSERT INTO app.rate_limits AS r (bucket, window_start, hits)
	VALUES (p_bucket, v_start, 1)
	ON CONFLICT (bucket, window_start) DO UPDATE SET hits = r.hits + 1
	RETURNING hits INTO v_hits;
	IF v_hits > p_limit THEN
		RAISE EXCEPTION 'too many attempts; try again later'
			USING ERRCODE = 'PT429', HINT = greatest(1, ceil(
				extract(epoch FROM v_start - now()) + p_window_s))::int;
	END IF;
	-- Keep the table small: now and then, forget past windows.
	IF random() < 0.01 THEN
		DELETE FROM app.rate_limits WHERE window_start < now() - interval '1 day';
	END IF;
END
$$;

-- A 422 naming fields, from a jsonb array of {field, message}.
CREATE OR REPLACE FUNCTION api.invalid(p_errors jsonb,
	p_message text DEFAULT 'request body has invalid fields')
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF jsonb_array_length(p_errors) > 0 THEN
		RAISE EXCEPTION '%', p_message
			USING ERRCODE = 'PT422', DETAIL = p_errors::text;
	END IF;
END
$$;

CREATE OR REPLACE FUNCTION api.field_error(p_field text, p_message text)
RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
	SELECT jsonb_build_array(jsonb_build_object('field', p_field,
		'message', p_message))
$$;

-- Age in whole years on today's date.
CREATE OR REPLACE FUNCTION api.age(p_birth date)
RETURNS int
LANGUAGE sql STABLE AS $$
	SELECT extract(year FROM age(current_date, p_birth))::int
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA api TO participe_app;
