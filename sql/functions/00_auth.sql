-- Authentication helpers shared by every api function.
--
-- A request's credentials arrive as the hex BLAKE2b-256 hash of its bearer
-- token. Errors are raised with SQLSTATE 'PT' || HTTP status; the server
-- maps them to problem+json with the message as detail.

CREATE OR REPLACE FUNCTION api.session_account(p_token_hash text)
RETURNS app.accounts
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts;
BEGIN
	SELECT a.* INTO v_acc
	FROM app.sessions s JOIN app.accounts a ON a.id = s.account_id
	WHERE s.token_hash = decode(p_token_hash, 'hex')
	  AND s.revoked_at IS NULL AND s.expires_at > now();
	IF NOT FOUND THEN
		RAISE EXCEPTION 'the bearer token is unknown, expired or revoked'
			USING ERRCODE = 'PT401';
	END IF;
	RETURN v_acc;
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

GRANT EXECUTE ON FUNCTION api.session_account(text),
	api.require_platform_admin(text) TO participe_app;
