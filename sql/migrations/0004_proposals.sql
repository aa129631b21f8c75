-- 0004_proposals: proposals, supports, threaded comments and their votes,
-- reports, blocks, follows and notifications. See docs/proposals.md.
-- Tenant tables as DESIGN.md section 6 says; accounts are referenced ON
-- DELETE SET NULL where a contribution outlives an erased account.

ALTER TABLE app.processes
	-- [{"slug": "mobilite", "name": "Mobilité"}, ...]
	ADD COLUMN categories jsonb NOT NULL DEFAULT '[]',
	ADD COLUMN support_limit integer CHECK (support_limit BETWEEN 1 AND 1000),
	ADD COLUMN support_threshold integer
		CHECK (support_threshold BETWEEN 1 AND 10000000);
GRANT UPDATE (categories, support_limit, support_threshold)
	ON app.processes TO participe_app;

ALTER TABLE app.collectivities
	ADD COLUMN report_threshold integer NOT NULL DEFAULT 3
		CHECK (report_threshold BETWEEN 1 AND 1000);
GRANT UPDATE (report_threshold) ON app.collectivities TO participe_app;

CREATE TABLE app.proposals (
	collectivity_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	process_id uuid NOT NULL,
	author_id uuid REFERENCES app.accounts (id) ON DELETE SET NULL,
	title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
	category text CHECK (length(category) <= 63),
	area_id uuid,
	latitude double precision CHECK (latitude BETWEEN -90 AND 90),
	longitude double precision CHECK (longitude BETWEEN -180 AND 180),
	estimated_cost bigint CHECK (estimated_cost >= 0), -- euro cents
	attachments jsonb NOT NULL DEFAULT '[]',
	state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft',
		'published', 'evaluating', 'accepted', 'rejected', 'withdrawn')),
	answer text CHECK (length(answer) <= 20000),
	answer_cost bigint CHECK (answer_cost >= 0),
	answered_at timestamptz,
	answered_by uuid,
	supports integer NOT NULL DEFAULT 0,
	comments integer NOT NULL DEFAULT 0,
	threshold_reached_at timestamptz,
	hidden_at timestamptz,
	hidden_reason text CHECK (length(hidden_reason) <= 1000),
	created_at timestamptz NOT NULL DEFAULT now(),
	published_at timestamptz,
	updated_at timestamptz NOT NULL DEFAULT now(),
	-- api.proposal_search(title, body), written with them: a generated
	-- column would be analysed again at every change of a counter.
	search tsvector NOT NULL,
	PRIMARY KEY (collectivity_id, id),
	FOREIGN KEY (collectivity_id, process_id)
		REFERENCES app.processes (collectivity_id, id),
	FOREIGN KEY (collectivity_id, area_id)
		REFERENCES app.areas (collectivity_id, id),
	CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE INDEX proposals_recent_idx ON app.proposals
	(collectivity_id, process_id, published_at DESC, id DESC);
CREATE INDEX proposals_supports_idx ON app.proposals
	(collectivity_id, process_id, supports DESC, id DESC);
CREATE INDEX proposals_comments_idx ON app.proposals
	(collectivity_id, process_id, comments DESC, id DESC);
CREATE INDEX proposals_author_idx ON app.proposals
	(collectivity_id, author_id);
CREATE INDEX proposals_search_idx ON app.proposals USING gin (search);
GRANT SELECT, INSERT, UPDATE (title, body, search, category, area_id, latitude,
	longitude, estimated_cost, attachments, state, answer, answer_cost,
	answered_at, answered_by, supports, comments, threshold_reached_at,
	hidden_at, hidden_reason, published_at, updated_at)
	ON app.proposals TO participe_app;

-- One support per participant per proposal; kept (pointing to nobody)
-- when the account is erased.
CREATE TABLE app.supports (
	collectivity_id uuid NOT NULL,
	proposal_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	process_id uuid NOT NULL,
	account_id uuid REFERENCES app.accounts (id) ON DELETE SET NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (collectivity_id, proposal_id, id),
	FOREIGN KEY (collectivity_id, proposal_id)
		REFERENCES app.proposals (collectivity_id, id)
);
CREATE UNIQUE INDEX supports_account_key
	ON app.supports (collectivity_id, proposal_id, account_id);
CREATE INDEX supports_process_idx
	ON app.supports (collectivity_id, process_id, account_id);
GRANT SELECT, INSERT, DELETE ON app.supports TO participe_app;

-- Comments on a proposal or on a process, threaded to depth 3. sort_key
-- orders a whole thread depth first: a reply's key is its parent's key,
-- '/', then its own creation time and id, so a page is one index range.
CREATE TABLE app.comments (
	collectivity_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	process_id uuid NOT NULL,
	proposal_id uuid,
	parent_id uuid,
	depth smallint NOT NULL CHECK (depth BETWEEN 1 AND 3),
	sort_key text NOT NULL,
	author_id uuid REFERENCES app.accounts (id) ON DELETE SET NULL,
	stance text NOT NULL DEFAULT 'neutral'
		CHECK (stance IN ('for', 'against', 'neutral')),
	body text NOT NULL CHECK (length(body) <= 5000),
	created_at timestamptz NOT NULL DEFAULT now(),
	edited_at timestamptz,
	deleted_at timestamptz, -- the author deleted it: body emptied
	CHECK (deleted_at IS NOT NULL OR length(body) >= 1),
	hidden_at timestamptz,
	hidden_reason text CHECK (length(hidden_reason) <= 1000),
	PRIMARY KEY (collectivity_id, id),
	FOREIGN KEY (collectivity_id, process_id)
		REFERENCES app.processes (collectivity_id, id),
	FOREIGN KEY (collectivity_id, proposal_id)
		REFERENCES app.proposals (collectivity_id, id),
	FOREIGN KEY (collectivity_id, parent_id)
		REFERENCES app.comments (collectivity_id, id)
);
CREATE INDEX comments_thread_idx ON app.comments
	(collectivity_id, process_id, proposal_id, sort_key);
GRANT SELECT, INSERT, UPDATE (body, edited_at, deleted_at, hidden_at,
	hidden_reason) ON app.comments TO participe_app;

CREATE TABLE app.comment_votes (
	collectivity_id uuid NOT NULL,
	comment_id uuid NOT NULL,
	account_id uuid NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE,
	value smallint NOT NULL CHECK (value IN (-1, 1)),
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (collectivity_id, comment_id, account_id),
	FOREIGN KEY (collectivity_id, comment_id)
		REFERENCES app.comments (collectivity_id, id)
);
GRANT SELECT, INSERT, UPDATE (value, created_at), DELETE
	ON app.comment_votes TO participe_app;

CREATE TABLE app.reports (
	collectivity_id uuid NOT NULL REFERENCES app.collectivities (id),
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	target_type text NOT NULL CHECK (target_type IN ('proposal', 'comment')),
	target_id uuid NOT NULL,
	reporter_id uuid REFERENCES app.accounts (id) ON DELETE SET NULL,
	reason text NOT NULL CHECK (reason IN ('spam', 'offensive',
		'off_topic', 'personal_data', 'other')),
	note text CHECK (length(note) <= 1000),
	created_at timestamptz NOT NULL DEFAULT now(),
	resolved_at timestamptz,
	resolved_by uuid,
	resolution text CHECK (resolution IN ('hidden', 'restored')),
	PRIMARY KEY (collectivity_id, id)
);
CREATE UNIQUE INDEX reports_reporter_key ON app.reports
	(collectivity_id, target_type, target_id, reporter_id);
CREATE INDEX reports_open_idx ON app.reports (collectivity_id, created_at)
	WHERE resolved_at IS NULL;
GRANT SELECT, INSERT, UPDATE (resolved_at, resolved_by, resolution)
	ON app.reports TO participe_app;

-- A blocked participant cannot act in the collectivity.
CREATE TABLE app.blocks (
	collectivity_id uuid NOT NULL REFERENCES app.collectivities (id),
	account_id uuid NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE,
	blocked_by uuid,
	reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (collectivity_id, account_id)
);
GRANT SELECT, INSERT, DELETE ON app.blocks TO participe_app;

CREATE TABLE app.follows (
	collectivity_id uuid NOT NULL REFERENCES app.collectivities (id),
	account_id uuid NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE,
	target_type text NOT NULL CHECK (target_type IN ('proposal', 'process')),
	target_id uuid NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (collectivity_id, target_type, target_id, account_id)
);
GRANT SELECT, INSERT, DELETE ON app.follows TO participe_app;

CREATE TABLE app.notifications (
	collectivity_id uuid NOT NULL REFERENCES app.collectivities (id),
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	account_id uuid NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE,
	kind text NOT NULL CHECK (kind IN ('proposal_state', 'proposal_answer',
		'comment_reply')),
	target_type text NOT NULL,
	target_id uuid NOT NULL,
	payload jsonb NOT NULL DEFAULT '{}',
	created_at timestamptz NOT NULL DEFAULT now(),
	read_at timestamptz,
	PRIMARY KEY (collectivity_id, id)
);
CREATE INDEX notifications_account_idx
	ON app.notifications (account_id, created_at DESC, id DESC);
GRANT SELECT, INSERT, UPDATE (read_at) ON app.notifications
	TO participe_app;

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['proposals', 'supports', 'comments',
		'comment_votes', 'reports', 'blocks', 'follows', 'notifications']
	LOOP
		EXECUTE format('ALTER TABLE app.%I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('ALTER TABLE app.%I FORCE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY tenant ON app.%I USING '
			'(collectivity_id = app.current_collectivity())', t);
	END LOOP;
END
$$;
-- GET /v1/me/notifications reads and marks the caller's own, everywhere;
-- the export lists the caller's own contributions.
CREATE POLICY own_rows ON app.notifications FOR SELECT
	USING (account_id = app.current_account());
CREATE POLICY own_rows_read ON app.notifications FOR UPDATE
	USING (account_id = app.current_account());
CREATE POLICY own_rows ON app.proposals FOR SELECT
	USING (author_id = app.current_account());
CREATE POLICY own_rows ON app.comments FOR SELECT
	USING (author_id = app.current_account());
CREATE POLICY own_rows ON app.supports FOR SELECT
	USING (account_id = app.current_account());
