-- 0006_elections: elections with signed ballots, their credential lists,
-- their append-only RFC 9162 logs and signed tree heads. Byte formats in
-- docs/protocol.md; tenant tables as DESIGN.md section 6 says.

-- Collectivities with an election that is open or closed but not yet
-- counted: the server's sweeper (tree heads, automatic closing, counting)
-- enters only those.
ALTER TABLE app.collectivities
	ADD COLUMN elections_active boolean NOT NULL DEFAULT false;
GRANT UPDATE (elections_active) ON app.collectivities TO participe_app;

CREATE TABLE app.elections (
	collectivity_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	process_id uuid NOT NULL,
	title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	description text NOT NULL DEFAULT ''
		CHECK (length(description) <= 20000),
	questions jsonb NOT NULL, -- checked by lib/election.c
	opens_at timestamptz NOT NULL,
	closes_at timestamptz NOT NULL,
	revote boolean NOT NULL DEFAULT true,
	credential_mode text NOT NULL
		CHECK (credential_mode IN ('authority', 'registered')),
	state text NOT NULL DEFAULT 'draft'
		CHECK (state IN ('draft', 'open', 'closed')),
	-- Fixed when opened: the descriptor's exact text and its hash.
	descriptor text,
	fingerprint bytea CHECK (octet_length(fingerprint) = 32),
	log_key bytea CHECK (octet_length(log_key) = 32),
	credentials bigint NOT NULL DEFAULT 0,  -- keys on the list
	opened_at timestamptz,
	closed_at timestamptz,
	result text, -- canonical JSON, computed from the log at closing
	counted_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (collectivity_id, id),
	FOREIGN KEY (collectivity_id, process_id)
		REFERENCES app.processes (collectivity_id, id),
	CHECK (opens_at < closes_at),
	CHECK ((state = 'draft') = (descriptor IS NULL)),
	CHECK ((state = 'draft') = (fingerprint IS NULL)),
	CHECK (result IS NULL OR state = 'closed')
);
CREATE INDEX elections_process_idx
	ON app.elections (collectivity_id, process_id, created_at, id);
CREATE INDEX elections_active_idx ON app.elections (collectivity_id)
	WHERE state = 'open' OR (state = 'closed' AND result IS NULL);
GRANT SELECT, INSERT, UPDATE (title, description, questions, opens_at,
	closes_at, revote, credential_mode, state, descriptor, fingerprint,
	log_key, credentials, opened_at, closed_at, result, counted_at,
	updated_at)
	ON app.elections TO participe_app;

-- The state of an opened election's log, apart from the wide election
-- row: it changes at every batch of ballots (hundreds of times a second),
-- and its row lock is what orders the appends. Its size, its ballot
-- entries, and the roots of the perfect subtrees of its left-balanced
-- tree, largest first (RFC 9162 2.1.1), from which the root is folded
-- and the next leaf appended. Half-full pages leave room for HOT updates.
CREATE TABLE app.election_logs (
	collectivity_id uuid NOT NULL,
	election_id uuid NOT NULL,
	tree_size bigint NOT NULL DEFAULT 0,
	ballots bigint NOT NULL DEFAULT 0,
	frontier bytea[] NOT NULL DEFAULT '{}',
	PRIMARY KEY (collectivity_id, election_id),
	FOREIGN KEY (collectivity_id, election_id)
		REFERENCES app.elections (collectivity_id, id)
) WITH (fillfactor = 50);
GRANT SELECT, INSERT, UPDATE (tree_size, ballots, frontier)
	ON app.election_logs TO participe_app;

-- The credential list: uploaded public keys (authority mode, no account)
-- or registered ones (one per account). last_seq is the highest sequence
-- number of an accepted ballot of the key, 0 before its first.
CREATE TABLE app.election_credentials (
	collectivity_id uuid NOT NULL,
	election_id uuid NOT NULL,
	public_key bytea NOT NULL CHECK (octet_length(public_key) = 32),
	account_id uuid REFERENCES app.accounts (id) ON DELETE SET NULL,
	last_seq bigint NOT NULL DEFAULT 0,
	added_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (collectivity_id, election_id, public_key),
	FOREIGN KEY (collectivity_id, election_id)
		REFERENCES app.elections (collectivity_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX election_credentials_account_key
	ON app.election_credentials (collectivity_id, election_id, account_id)
	WHERE account_id IS NOT NULL;
GRANT SELECT, INSERT, UPDATE (last_seq), DELETE
	ON app.election_credentials TO participe_app;

-- The log's entries, in order; leaf = SHA-256(0x00 || entry).
CREATE TABLE app.election_log (
	collectivity_id uuid NOT NULL,
	election_id uuid NOT NULL,
	idx bigint NOT NULL CHECK (idx >= 0),
	kind text NOT NULL
		CHECK (kind IN ('open', 'credential', 'ballot', 'close')),
	entry bytea NOT NULL,
	leaf bytea NOT NULL CHECK (octet_length(leaf) = 32),
	tracker bytea CHECK (octet_length(tracker) = 32),
	at timestamptz NOT NULL,
	PRIMARY KEY (collectivity_id, election_id, idx),
	FOREIGN KEY (collectivity_id, election_id)
		REFERENCES app.elections (collectivity_id, id),
	CHECK ((kind = 'ballot') = (tracker IS NOT NULL))
);
CREATE UNIQUE INDEX election_log_tracker_key
	ON app.election_log (collectivity_id, election_id, tracker)
	WHERE tracker IS NOT NULL;
GRANT SELECT, INSERT ON app.election_log TO participe_app;

-- Signed tree heads, Ed25519 by the election's log key.
CREATE TABLE app.election_heads (
	collectivity_id uuid NOT NULL,
	election_id uuid NOT NULL,
	tree_size bigint NOT NULL CHECK (tree_size >= 1),
	root bytea NOT NULL CHECK (octet_length(root) = 32),
	issued_ms bigint NOT NULL,
	signature bytea NOT NULL CHECK (octet_length(signature) = 64),
	PRIMARY KEY (collectivity_id, election_id, tree_size),
	FOREIGN KEY (collectivity_id, election_id)
		REFERENCES app.elections (collectivity_id, id)
);
GRANT SELECT, INSERT ON app.election_heads TO participe_app;

CREATE FUNCTION app.election_log_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'the ballot log and its tree heads are append-only'
		USING ERRCODE = 'PT409';
END
$$;
CREATE TRIGGER election_log_no_update BEFORE UPDATE OR DELETE
	ON app.election_log
	FOR EACH ROW EXECUTE FUNCTION app.election_log_immutable();
CREATE TRIGGER election_log_no_truncate BEFORE TRUNCATE ON app.election_log
	FOR EACH STATEMENT EXECUTE FUNCTION app.election_log_immutable();
CREATE TRIGGER election_heads_no_update BEFORE UPDATE OR DELETE
	ON app.election_heads
	FOR EACH ROW EXECUTE FUNCTION app.election_log_immutable();
CREATE TRIGGER election_heads_no_truncate BEFORE TRUNCATE
	ON app.election_heads
	FOR EACH STATEMENT EXECUTE FUNCTION app.election_log_immutable();

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['elections', 'election_logs',
		'election_credentials', 'election_log', 'election_heads']
	LOOP
		EXECUTE format('ALTER TABLE app.%I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('ALTER TABLE app.%I FORCE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY tenant ON app.%I USING '
			'(collectivity_id = app.current_collectivity())', t);
	END LOOP;
END
$$;
