-- 0002_identity: collectivity details, accounts with passwords, single-use
-- tokens, the mail outbox, rate limits, membership, roles, verification of
-- residents and the audit log. See docs/identity.md.
--
-- Tenant tables (those with a collectivity_id column) put collectivity_id
-- first in every primary, unique and foreign key that involves a tenant
-- table, and have row-level security enabled and forced: a transaction sees
-- the rows of the collectivity named by set_config('app.collectivity_id'),
-- plus, where a row belongs to a person, that person's own rows
-- (set_config('app.account_id')). Foreign keys to the global tables
-- (accounts, collectivities) are allowed: they are reference tables.

-- Collectivities -----------------------------------------------------------

ALTER TABLE app.collectivities
	ADD COLUMN insee_code text
		CHECK (insee_code ~ '^([0-9]{2}|2A|2B|97[1-8])[0-9]{0,3}$'),
	ADD COLUMN cog_year smallint CHECK (cog_year BETWEEN 1943 AND 2100),
	ADD COLUMN siren text CHECK (siren ~ '^[0-9]{9}$'),
	ADD COLUMN population integer CHECK (population BETWEEN 0 AND 100000000),
	ADD COLUMN density_class smallint CHECK (density_class BETWEEN 1 AND 7),
	ADD COLUMN has_qpv boolean NOT NULL DEFAULT false,
	ADD COLUMN joined_on date,
	ADD COLUMN epci_id uuid REFERENCES app.collectivities (id),
	ADD COLUMN departement_id uuid REFERENCES app.collectivities (id),
	ADD COLUMN verify_codes boolean NOT NULL DEFAULT true,
	ADD COLUMN verify_roll boolean NOT NULL DEFAULT false,
	ADD COLUMN verify_manual boolean NOT NULL DEFAULT true,
	ADD COLUMN minimum_age smallint NOT NULL DEFAULT 16
		CHECK (minimum_age BETWEEN 0 AND 120),
	-- Key of the roll hashes (keyed BLAKE2b-256): only admins read it.
	ADD COLUMN roll_key bytea NOT NULL DEFAULT sha256(convert_to(
		gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')),
	ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
	ADD CHECK (epci_id IS DISTINCT FROM id),
	ADD CHECK (departement_id IS DISTINCT FROM id),
	ADD CHECK (cog_year IS NULL OR insee_code IS NOT NULL);
CREATE UNIQUE INDEX collectivities_siren_key ON app.collectivities (siren);
CREATE UNIQUE INDEX collectivities_cog_key
	ON app.collectivities (kind, insee_code);
GRANT UPDATE (name, kind, insee_code, cog_year, siren, population,
	density_class, has_qpv, joined_on, epci_id, departement_id,
	verify_codes, verify_roll, verify_manual, minimum_age, updated_at)
	ON app.collectivities TO participe_app;

-- Accounts -----------------------------------------------------------------

ALTER TABLE app.accounts
	ADD COLUMN password_hash text CHECK (length(password_hash) < 256),
	ADD COLUMN email_verified_at timestamptz,
	ADD COLUMN birth_date date CHECK (birth_date >= '1900-01-01'),
	ADD COLUMN is_anct boolean NOT NULL DEFAULT false,
	ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
GRANT INSERT (email, display_name, password_hash, birth_date),
	UPDATE (display_name, password_hash, email_verified_at, birth_date,
		updated_at),
	DELETE ON app.accounts TO participe_app;
GRANT INSERT ON app.sessions TO participe_app;

-- Single-use tokens for e-mail confirmation and password reset: only the
-- BLAKE2b-256 hash of the token is stored; use is one UPDATE.
CREATE TABLE app.account_tokens (
	token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
	account_id uuid NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE,
	purpose text NOT NULL
		CHECK (purpose IN ('confirm_email', 'reset_password')),
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	used_at timestamptz
);
CREATE INDEX account_tokens_account_idx ON app.account_tokens (account_id);
GRANT SELECT, INSERT, UPDATE (used_at) ON app.account_tokens
	TO participe_app;

-- What was mailed to whom. The secret link itself goes only to the mail
-- transport (or the server's log when no mailer is configured).
CREATE TABLE app.outbox (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	account_id uuid NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE,
	template text NOT NULL CHECK (template IN ('confirm_email',
		'already_registered', 'reset_password', 'password_changed')),
	created_at timestamptz NOT NULL DEFAULT now(),
	delivered_at timestamptz
);
CREATE INDEX outbox_account_idx ON app.outbox (account_id);
GRANT SELECT, INSERT ON app.outbox TO participe_app;

-- Fixed-window counters: bucket is e.g. 'login:ip:192.0.2.1' or
-- 'login:acct:<hash of the e-mail>'. Unlogged: losing them in a crash only
-- resets the windows.
CREATE UNLOGGED TABLE app.rate_limits (
	bucket text NOT NULL CHECK (length(bucket) <= 200),
	window_start timestamptz NOT NULL,
	hits integer NOT NULL,
	PRIMARY KEY (bucket, window_start)
);
GRANT SELECT, INSERT, UPDATE, DELETE ON app.rate_limits TO participe_app;

-- Membership, roles and verification (tenant tables) -----------------------

-- A person who joined a collectivity; verified residents have verified_at.
CREATE TABLE app.members (
	collectivity_id uuid NOT NULL REFERENCES app.collectivities (id),
	account_id uuid NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE,
	joined_at timestamptz NOT NULL DEFAULT now(),
	verified_at timestamptz,
	verified_method text CHECK (verified_method IN ('code', 'roll', 'manual')),
	verified_by uuid, -- the moderator, for manual approval (no FK: erasure)
	manual_requested_at timestamptz,
	manual_note text CHECK (length(manual_note) <= 500),
	PRIMARY KEY (collectivity_id, account_id),
	CHECK ((verified_at IS NULL) = (verified_method IS NULL))
);
CREATE INDEX members_account_idx ON app.members (account_id);
GRANT SELECT, INSERT, UPDATE (verified_at, verified_method, verified_by,
	manual_requested_at, manual_note) ON app.members TO participe_app;

-- Moderator and admin roles; revocation deletes the row, the audit log
-- keeps the history.
CREATE TABLE app.role_grants (
	collectivity_id uuid NOT NULL,
	account_id uuid NOT NULL,
	role text NOT NULL CHECK (role IN ('moderator', 'admin')),
	granted_by uuid,
	granted_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (collectivity_id, account_id, role),
	FOREIGN KEY (collectivity_id, account_id)
		REFERENCES app.members (collectivity_id, account_id)
		ON DELETE CASCADE
);
GRANT SELECT, INSERT, DELETE ON app.role_grants TO participe_app;

-- Append-only: nobody, the owner included, can change or remove an entry.
CREATE TABLE app.audit_log (
	collectivity_id uuid NOT NULL REFERENCES app.collectivities (id),
	seq bigint GENERATED ALWAYS AS IDENTITY,
	at timestamptz NOT NULL DEFAULT now(),
	actor_id uuid, -- pseudonymous; no FK, so it outlives an erased account
	action text NOT NULL CHECK (length(action) <= 64),
	object_type text NOT NULL CHECK (length(object_type) <= 64),
	object_id text CHECK (length(object_id) <= 200),
	reason text CHECK (length(reason) <= 1000),
	details jsonb NOT NULL DEFAULT '{}',
	PRIMARY KEY (collectivity_id, seq)
);
GRANT SELECT, INSERT ON app.audit_log TO participe_app;

CREATE FUNCTION app.audit_log_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the audit log is append-only'
		USING ERRCODE = 'PT409';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON app.audit_log
	FOR EACH ROW EXECUTE FUNCTION app.audit_log_immutable();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON app.audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION app.audit_log_immutable();

-- Single-use identification codes mailed to households (hash only).
CREATE TABLE app.verification_codes (
	collectivity_id uuid NOT NULL REFERENCES app.collectivities (id),
	code_hash bytea NOT NULL CHECK (length(code_hash) = 32),
	batch_id uuid NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	redeemed_by uuid REFERENCES app.accounts (id) ON DELETE SET NULL,
	redeemed_at timestamptz,
	PRIMARY KEY (collectivity_id, code_hash)
);
GRANT SELECT, INSERT, UPDATE (redeemed_by, redeemed_at)
	ON app.verification_codes TO participe_app;

-- The roll as keyed hashes of normalized identifiers (lib/roll.h); the
-- server never sees the clear roll.
CREATE TABLE app.roll_entries (
	collectivity_id uuid NOT NULL REFERENCES app.collectivities (id),
	entry_hash bytea NOT NULL CHECK (length(entry_hash) = 32),
	uploaded_at timestamptz NOT NULL DEFAULT now(),
	used_by uuid REFERENCES app.accounts (id) ON DELETE SET NULL,
	used_at timestamptz,
	PRIMARY KEY (collectivity_id, entry_hash)
);
GRANT SELECT, INSERT, UPDATE (used_by, used_at), DELETE
	ON app.roll_entries TO participe_app;

-- Row-level security on every tenant table ----------------------------------

CREATE FUNCTION app.current_collectivity() RETURNS uuid
LANGUAGE sql STABLE AS $$
	SELECT nullif(current_setting('app.collectivity_id', true), '')::uuid
$$;
CREATE FUNCTION app.current_account() RETURNS uuid
LANGUAGE sql STABLE AS $$
	SELECT nullif(current_setting('app.account_id', true), '')::uuid
$$;
GRANT EXECUTE ON FUNCTION app.current_collectivity(), app.current_account()
	TO participe_app;

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['members', 'role_grants', 'audit_log',
		'verification_codes', 'roll_entries']
	LOOP
		EXECUTE format('ALTER TABLE app.%I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('ALTER TABLE app.%I FORCE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY tenant ON app.%I USING '
			'(collectivity_id = app.current_collectivity())', t);
	END LOOP;
END
$$;
-- A person reads their own membership and roles in every collectivity
-- (GET /v1/me, export); writes stay scoped to one collectivity.
CREATE POLICY own_rows ON app.members FOR SELECT
	USING (account_id = app.current_account());
CREATE POLICY own_rows ON app.role_grants FOR SELECT
	USING (account_id = app.current_account());
CREATE POLICY own_rows ON app.verification_codes FOR SELECT
	USING (redeemed_by = app.current_account());
