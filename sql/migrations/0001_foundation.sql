-- 0001_foundation: schemas, the application role, the first tables.
--
-- Tables live in schema app, the functions the server calls in schema api.
-- The server connects as participe_app, which owns nothing: it may only
-- use what is granted here. Migrations run as the owner role.

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'participe_app') THEN
		CREATE ROLE participe_app LOGIN NOSUPERUSER NOCREATEDB
			NOCREATEROLE NOBYPASSRLS;
	END IF;
END
$$;

CREATE SCHEMA app;
CREATE SCHEMA api;
REVOKE ALL ON SCHEMA app, api FROM PUBLIC;
GRANT USAGE ON SCHEMA app, api TO participe_app;

-- A collectivity is a tenant; issue-sized migrations add its other fields.
CREATE TABLE app.collectivities (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	slug text NOT NULL UNIQUE
		CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'
			AND length(slug) BETWEEN 2 AND 63),
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	kind text NOT NULL
		CHECK (kind IN ('commune', 'epci', 'departement', 'region',
			'other')),
	created_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT, INSERT ON app.collectivities TO participe_app;

-- Accounts and sessions: the minimum the platform administrator needs;
-- registration, passwords and verification build on these.
CREATE TABLE app.accounts (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	email text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
	display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
	is_platform_admin boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accounts_email_key ON app.accounts (lower(email));
GRANT SELECT ON app.accounts TO participe_app;

-- Only the BLAKE2b-256 hash of a bearer token is stored.
CREATE TABLE app.sessions (
	token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
	account_id uuid NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	last_seen_at timestamptz NOT NULL DEFAULT now(),
	revoked_at timestamptz
);
CREATE INDEX sessions_account_idx ON app.sessions (account_id);
GRANT SELECT, UPDATE (last_seen_at, revoked_at) ON app.sessions
	TO participe_app;
