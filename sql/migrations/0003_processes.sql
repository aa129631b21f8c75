-- 0003_processes: areas (districts) of a collectivity, participatory
-- processes with dated phases and per-action rules, consultations with
-- their questions, responses (possibly anonymous), hidden free texts.
-- See docs/processes.md. Every table here is a tenant table (DESIGN.md
-- section 6): collectivity_id first in every key, RLS enabled and forced.

CREATE TABLE app.areas (
	collectivity_id uuid NOT NULL REFERENCES app.collectivities (id),
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	slug text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'
		AND length(slug) BETWEEN 1 AND 63),
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (collectivity_id, id),
	UNIQUE (collectivity_id, slug)
);
GRANT SELECT, INSERT ON app.areas TO participe_app;

-- rules: {"answer": {"who": "any"|"verified", "min_age": n}, "propose":
-- ..., "support": ..., "comment": ..., "vote": ...}, completed with the
-- defaults by the SQL functions.
CREATE TABLE app.processes (
	collectivity_id uuid NOT NULL REFERENCES app.collectivities (id),
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	area_id uuid,
	title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	description text NOT NULL DEFAULT ''
		CHECK (length(description) <= 20000),
	image_url text CHECK (length(image_url) <= 2000),
	status text NOT NULL DEFAULT 'draft'
		CHECK (status IN ('draft', 'published')),
	rules jsonb NOT NULL DEFAULT '{}',
	created_by uuid,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	published_at timestamptz,
	PRIMARY KEY (collectivity_id, id),
	FOREIGN KEY (collectivity_id, area_id)
		REFERENCES app.areas (collectivity_id, id)
);
CREATE INDEX processes_list_idx
	ON app.processes (collectivity_id, created_at DESC, id DESC);
GRANT SELECT, INSERT, UPDATE (area_id, title, description, image_url,
	status, rules, updated_at, published_at) ON app.processes
	TO participe_app;

-- Phases in the fixed order information < proposals < review < vote <
-- results; any subset, not overlapping. closed_at ends one early.
CREATE TABLE app.process_phases (
	collectivity_id uuid NOT NULL,
	process_id uuid NOT NULL,
	kind text NOT NULL CHECK (kind IN ('information', 'proposals',
		'review', 'vote', 'results')),
	starts_at timestamptz NOT NULL,
	ends_at timestamptz NOT NULL,
	closed_at timestamptz,
	PRIMARY KEY (collectivity_id, process_id, kind),
	FOREIGN KEY (collectivity_id, process_id)
		REFERENCES app.processes (collectivity_id, id) ON DELETE CASCADE,
	CHECK (starts_at < ends_at)
);
GRANT SELECT, INSERT, UPDATE (starts_at, ends_at, closed_at), DELETE
	ON app.process_phases TO participe_app;

CREATE TABLE app.consultations (
	collectivity_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	process_id uuid NOT NULL,
	phase text NOT NULL CHECK (phase IN ('information', 'proposals',
		'review', 'vote', 'results')),
	title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	description text NOT NULL DEFAULT ''
		CHECK (length(description) <= 20000),
	questions jsonb NOT NULL, -- checked by lib/survey.c
	allow_changes boolean NOT NULL DEFAULT false,
	anonymous boolean NOT NULL DEFAULT false,
	results_published_at timestamptz,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (collectivity_id, id),
	FOREIGN KEY (collectivity_id, process_id)
		REFERENCES app.processes (collectivity_id, id),
	-- An anonymous response cannot be found again, so cannot change.
	CHECK (NOT (anonymous AND allow_changes))
);
CREATE INDEX consultations_process_idx
	ON app.consultations (collectivity_id, process_id);
GRANT SELECT, INSERT, UPDATE (title, description, questions, allow_changes,
	anonymous, results_published_at, updated_at) ON app.consultations
	TO participe_app;

-- One response per participant. Anonymous responses have no account_id
-- and only the day they were given; who answered is recorded apart.
CREATE TABLE app.responses (
	collectivity_id uuid NOT NULL,
	consultation_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	account_id uuid REFERENCES app.accounts (id) ON DELETE SET NULL,
	answers jsonb NOT NULL,
	submitted_at timestamptz NOT NULL,
	updated_at timestamptz,
	PRIMARY KEY (collectivity_id, consultation_id, id),
	FOREIGN KEY (collectivity_id, consultation_id)
		REFERENCES app.consultations (collectivity_id, id)
);
CREATE UNIQUE INDEX responses_account_key
	ON app.responses (collectivity_id, consultation_id, account_id);
GRANT SELECT, INSERT, UPDATE (answers, updated_at) ON app.responses
	TO participe_app;

CREATE TABLE app.consultation_participants (
	collectivity_id uuid NOT NULL,
	consultation_id uuid NOT NULL,
	account_id uuid NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE,
	PRIMARY KEY (collectivity_id, consultation_id, account_id),
	FOREIGN KEY (collectivity_id, consultation_id)
		REFERENCES app.consultations (collectivity_id, id)
);
GRANT SELECT, INSERT ON app.consultation_participants TO participe_app;

-- Free-text answers hidden by a moderator (kept, shown to moderators).
CREATE TABLE app.hidden_texts (
	collectivity_id uuid NOT NULL,
	consultation_id uuid NOT NULL,
	response_id uuid NOT NULL,
	question_id text NOT NULL CHECK (length(question_id) <= 32),
	hidden_by uuid,
	reason text CHECK (length(reason) <= 1000),
	hidden_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (collectivity_id, consultation_id, response_id, question_id),
	FOREIGN KEY (collectivity_id, consultation_id, response_id)
		REFERENCES app.responses (collectivity_id, consultation_id, id)
);
GRANT SELECT, INSERT, DELETE ON app.hidden_texts TO participe_app;

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['areas', 'processes', 'process_phases',
		'consultations', 'responses', 'consultation_participants',
		'hidden_texts']
	LOOP
		EXECUTE format('ALTER TABLE app.%I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('ALTER TABLE app.%I FORCE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY tenant ON app.%I USING '
			'(collectivity_id = app.current_collectivity())', t);
	END LOOP;
END
$$;
-- GET /v1/me/export lists the caller's own named responses everywhere,
-- and the anonymous consultations they answered (which consultation, not
-- what: that is not linked). Reading those needs their consultation row.
CREATE POLICY own_rows ON app.responses FOR SELECT
	USING (account_id = app.current_account());
CREATE POLICY own_rows ON app.consultation_participants FOR SELECT
	USING (account_id = app.current_account());
CREATE POLICY participated ON app.consultations FOR SELECT
	USING (EXISTS (SELECT 1 FROM app.consultation_participants p
		WHERE p.collectivity_id = consultations.collectivity_id
		  AND p.consultation_id = consultations.id
		  AND p.account_id = app.current_account()));
