-- 0008_metrics: rollups of participation acts, kept as the acts happen
-- (docs/metrics.md). An act is a response to a consultation, a published
-- proposal, a support, a comment or a ballot. Figures are read from the
-- counters (app.metric_counts), never from the acts themselves;
-- app.metric_people only makes people distinct.
--
-- Periods are fixed calendar periods in Europe/Paris time: the ISO week
-- (from Monday) and the month, named by their first day.

-- Who acted in a period: one row per person, period, process (the nil
-- uuid: any process) and kind ('any': any kind of act). Personal: a
-- tenant table, read by nothing but the functions below.
CREATE TABLE app.metric_people (
	collectivity_id uuid NOT NULL,
	period text NOT NULL CHECK (period IN ('week', 'month')),
	start date NOT NULL,
	process_id uuid NOT NULL,
	kind text NOT NULL CHECK (kind IN ('any', 'response', 'proposal',
		'support', 'comment', 'ballot')),
	account_id uuid NOT NULL REFERENCES app.accounts (id) ON DELETE CASCADE,
	PRIMARY KEY (collectivity_id, period, start, process_id, kind,
		account_id)
);
GRANT INSERT ON app.metric_people TO participe_app;
ALTER TABLE app.metric_people ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.metric_people FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON app.metric_people
	USING (collectivity_id = app.current_collectivity());

-- The counters the figures are read from, per collectivity, period,
-- process (nil: all) and kind: acts of that kind ('any': all kinds) and
-- the distinct people who did them; and, process nil, 'member' (people
-- who joined the collectivity) and 'verified' (members verified as
-- residents), whose acts and people are equal; and 'answered': of the
-- proposals published in the period, those officially answered since
-- (acts; people 0). Counts only.
CREATE TABLE app.metric_counts (
	collectivity_id uuid NOT NULL REFERENCES app.collectivities (id),
	period text NOT NULL CHECK (period IN ('week', 'month')),
	start date NOT NULL,
	process_id uuid NOT NULL,
	kind text NOT NULL CHECK (kind IN ('any', 'response', 'proposal',
		'support', 'comment', 'ballot', 'member', 'verified', 'answered')),
	acts bigint NOT NULL DEFAULT 0 CHECK (acts >= 0),
	people bigint NOT NULL DEFAULT 0 CHECK (people >= 0),
	PRIMARY KEY (collectivity_id, period, start, process_id, kind)
);
CREATE INDEX metric_counts_start_idx
	ON app.metric_counts (period, start, kind, collectivity_id)
	WHERE process_id = '00000000-0000-0000-0000-000000000000';
GRANT SELECT, INSERT, UPDATE (acts, people) ON app.metric_counts
	TO participe_app;

-- Adds p_n acts of kind, in process p_process of collectivity p_c at
-- p_at, by p_account (NULL: no one known, as for a ballot of an authority
-- credential), to every period, process (its own, all) and kind (its own,
-- any) they count in; the author once per key.
CREATE FUNCTION app.metric_act(p_c uuid, p_process uuid, p_kind text,
	p_account uuid, p_at timestamptz, p_n bigint DEFAULT 1)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_local timestamp := p_at AT TIME ZONE 'Europe/Paris';
	v_nil uuid := '00000000-0000-0000-0000-000000000000';
	v_period text;
	v_start date;
	v_process uuid;
	v_kind text;
	v_new int := 0;
BEGIN
	FOREACH v_period IN ARRAY ARRAY['week', 'month'] LOOP
		v_start := date_trunc(v_period, v_local)::date;
		FOREACH v_process IN ARRAY ARRAY[p_process, v_nil] LOOP
			FOREACH v_kind IN ARRAY ARRAY[p_kind, 'any'] LOOP
				IF p_account IS NOT NULL THEN
					INSERT INTO app.metric_people VALUES (p_c, v_period,
						v_start, v_process, v_kind, p_account)
					ON CONFLICT DO NOTHING;
					GET DIAGNOSTICS v_new = ROW_COUNT;
				END IF;
				INSERT INTO app.metric_counts AS m VALUES (p_c, v_period,
					v_start, v_process, v_kind, p_n, v_new)
				ON CONFLICT (collectivity_id, period, start, process_id,
					kind)
				DO UPDATE SET acts = m.acts + EXCLUDED.acts,
					people = m.people + EXCLUDED.people;
			END LOOP;
		END LOOP;
	END LOOP;
END
$$;

-- Counts one member event ('member': joined; 'verified') of p_c at p_at.
CREATE FUNCTION app.metric_member(p_c uuid, p_kind text, p_at timestamptz)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_local timestamp := p_at AT TIME ZONE 'Europe/Paris';
	v_period text;
BEGIN
	FOREACH v_period IN ARRAY ARRAY['week', 'month'] LOOP
		INSERT INTO app.metric_counts AS m VALUES (p_c, v_period,
			date_trunc(v_period, v_local)::date,
			'00000000-0000-0000-0000-000000000000', p_kind, 1, 1)
		ON CONFLICT (collectivity_id, period, start, process_id, kind)
		DO UPDATE SET acts = m.acts + 1, people = m.people + 1;
	END LOOP;
END
$$;
GRANT EXECUTE ON FUNCTION app.metric_act(uuid, uuid, text, uuid,
	timestamptz, bigint), app.metric_member(uuid, text, timestamptz)
	TO participe_app;

-- The triggers of each kind of act.
CREATE FUNCTION app.metric_on_response() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM app.metric_act(NEW.collectivity_id, q.process_id, 'response',
		NEW.account_id, now())
	FROM app.consultations q
	WHERE q.collectivity_id = NEW.collectivity_id
	  AND q.id = NEW.consultation_id;
	RETURN NULL;
END
$$;
-- Every response, anonymous or not, has its participant row (the only
-- one to name the account of an anonymous response).
CREATE TRIGGER metric_response AFTER INSERT ON app.consultation_participants
	FOR EACH ROW EXECUTE FUNCTION app.metric_on_response();

CREATE FUNCTION app.metric_on_proposal() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.published_at IS NOT NULL AND (TG_OP = 'INSERT'
			OR OLD.published_at IS NULL) THEN
		PERFORM app.metric_act(NEW.collectivity_id, NEW.process_id,
			'proposal', NEW.author_id, NEW.published_at);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER metric_proposal AFTER INSERT OR UPDATE OF published_at
	ON app.proposals
	FOR EACH ROW EXECUTE FUNCTION app.metric_on_proposal();

CREATE FUNCTION app.metric_on_support() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM app.metric_act(NEW.collectivity_id, NEW.process_id, 'support',
		NEW.account_id, NEW.created_at);
	RETURN NULL;
END
$$;
CREATE TRIGGER metric_support AFTER INSERT ON app.supports
	FOR EACH ROW EXECUTE FUNCTION app.metric_on_support();

CREATE FUNCTION app.metric_on_comment() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM app.metric_act(NEW.collectivity_id, NEW.process_id, 'comment',
		NEW.author_id, NEW.created_at);
	RETURN NULL;
END
$$;
CREATE TRIGGER metric_comment AFTER INSERT ON app.comments
	FOR EACH ROW EXECUTE FUNCTION app.metric_on_comment();

CREATE FUNCTION app.metric_on_member() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		PERFORM app.metric_member(NEW.collectivity_id, 'member',
			NEW.joined_at);
	END IF;
	IF NEW.verified_at IS NOT NULL AND (TG_OP = 'INSERT'
			OR OLD.verified_at IS NULL) THEN
		PERFORM app.metric_member(NEW.collectivity_id, 'verified',
			NEW.verified_at);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER metric_member AFTER INSERT OR UPDATE OF verified_at
	ON app.members
	FOR EACH ROW EXECUTE FUNCTION app.metric_on_member();

-- Official answers by delay, for the median delay to an answer: per
-- collectivity, period of the answer, process (nil: all) and whole days
-- between publication and first answer, how many answers.
CREATE TABLE app.metric_answer_delays (
	collectivity_id uuid NOT NULL REFERENCES app.collectivities (id),
	period text NOT NULL CHECK (period IN ('week', 'month')),
	start date NOT NULL,
	process_id uuid NOT NULL,
	days integer NOT NULL CHECK (days >= 0),
	answers bigint NOT NULL CHECK (answers >= 0),
	PRIMARY KEY (collectivity_id, period, start, process_id, days)
);
GRANT SELECT, INSERT, UPDATE (answers) ON app.metric_answer_delays
	TO participe_app;

-- The phases of published processes, for counting processes run across
-- collectivities (app.process_phases is a tenant table). Nothing personal.
CREATE TABLE app.metric_phases (
	collectivity_id uuid NOT NULL REFERENCES app.collectivities (id),
	process_id uuid NOT NULL,
	kind text NOT NULL,
	starts_at timestamptz NOT NULL,
	ends_at timestamptz NOT NULL,
	PRIMARY KEY (collectivity_id, process_id, kind)
);
CREATE INDEX metric_phases_time_idx ON app.metric_phases (starts_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON app.metric_phases TO participe_app;

-- Rewrites the mirrored phases of process p of c: its phases if it is
-- published, none otherwise (an early closing ends a phase).
CREATE FUNCTION app.metric_phases_of(p_c uuid, p_process uuid)
RETURNS void
LANGUAGE sql AS $$
	DELETE FROM app.metric_phases
	WHERE collectivity_id = p_c AND process_id = p_process;
	INSERT INTO app.metric_phases
	SELECT ph.collectivity_id, ph.process_id, ph.kind, ph.starts_at,
		least(ph.ends_at, coalesce(ph.closed_at, ph.ends_at))
	FROM app.process_phases ph
	JOIN app.processes p ON p.collectivity_id = ph.collectivity_id
		AND p.id = ph.process_id
	WHERE ph.collectivity_id = p_c AND ph.process_id = p_process
	  AND p.status = 'published';
$$;
GRANT EXECUTE ON FUNCTION app.metric_phases_of(uuid, uuid) TO participe_app;

CREATE FUNCTION app.metric_on_phase() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_TABLE_NAME = 'processes' THEN
		PERFORM app.metric_phases_of(NEW.collectivity_id, NEW.id);
	ELSIF TG_OP = 'DELETE' THEN
		PERFORM app.metric_phases_of(OLD.collectivity_id, OLD.process_id);
	ELSE
		PERFORM app.metric_phases_of(NEW.collectivity_id, NEW.process_id);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER metric_phases AFTER INSERT OR UPDATE OR DELETE
	ON app.process_phases
	FOR EACH ROW EXECUTE FUNCTION app.metric_on_phase();
CREATE TRIGGER metric_process AFTER UPDATE OF status ON app.processes
	FOR EACH ROW EXECUTE FUNCTION app.metric_on_phase();

-- The first official answer of a published proposal: 'answered' in its
-- publication's periods, its delay in its answer's.
CREATE FUNCTION app.metric_answer(p_c uuid, p_process uuid,
	p_published timestamptz, p_answered timestamptz)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_nil uuid := '00000000-0000-0000-0000-000000000000';
	v_period text;
	v_process uuid;
	v_days int := floor(extract(epoch FROM p_answered - p_published)
		/ 86400)::int;
BEGIN
	FOREACH v_period IN ARRAY ARRAY['week', 'month'] LOOP
		FOREACH v_process IN ARRAY ARRAY[p_process, v_nil] LOOP
			INSERT INTO app.metric_counts AS m VALUES (p_c, v_period,
				date_trunc(v_period,
					p_published AT TIME ZONE 'Europe/Paris')::date,
				v_process, 'answered', 1, 0)
			ON CONFLICT (collectivity_id, period, start, process_id, kind)
			DO UPDATE SET acts = m.acts + 1;
			INSERT INTO app.metric_answer_delays AS d VALUES (p_c,
				v_period, date_trunc(v_period,
					p_answered AT TIME ZONE 'Europe/Paris')::date,
				v_process, greatest(v_days, 0), 1)
			ON CONFLICT (collectivity_id, period, start, process_id, days)
			DO UPDATE SET answers = d.answers + 1;
		END LOOP;
	END LOOP;
END
$$;
GRANT EXECUTE ON FUNCTION app.metric_answer(uuid, uuid, timestamptz,
	timestamptz) TO participe_app;

CREATE FUNCTION app.metric_on_answer() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.answered_at IS NOT NULL AND NEW.published_at IS NOT NULL
			AND (TG_OP = 'INSERT' OR OLD.answered_at IS NULL) THEN
		PERFORM app.metric_answer(NEW.collectivity_id, NEW.process_id,
			NEW.published_at, NEW.answered_at);
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER metric_answer AFTER INSERT OR UPDATE OF answered_at
	ON app.proposals
	FOR EACH ROW EXECUTE FUNCTION app.metric_on_answer();

-- The counters are counts only, read across collectivities for the
-- national figures (docs/metrics.md): a request that entered a
-- collectivity sees its own rows, one that entered none (ANCT's) sees
-- them all. Writes come from the triggers, inside a collectivity.
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['metric_counts', 'metric_answer_delays',
		'metric_phases']
	LOOP
		EXECUTE format('ALTER TABLE app.%I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('ALTER TABLE app.%I FORCE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY tenant ON app.%I USING '
			'(app.current_collectivity() IS NULL '
			'OR collectivity_id = app.current_collectivity()) '
			'WITH CHECK (collectivity_id = app.current_collectivity())', t);
	END LOOP;
END
$$;

-- Ballots are counted by a periodic job, not in the append's transaction
-- (hundreds of batches a second, serialized per election, where a
-- trigger's upserts cost a fifth of the throughput): the server's sweeper
-- (api.elections_due) and closing call app.metric_ballots_sync, which
-- counts the ballot entries past the election's cursor. A ballot names its
-- account only through a registered credential (docs/protocol.md: the key
-- is at byte 94 of a ballot entry); an authority credential's ballot
-- counts as an act of no one known.
CREATE TABLE app.metric_ballot_sync (
	collectivity_id uuid NOT NULL,
	election_id uuid NOT NULL,
	idx bigint NOT NULL, -- the last log index counted
	PRIMARY KEY (collectivity_id, election_id),
	FOREIGN KEY (collectivity_id, election_id)
		REFERENCES app.elections (collectivity_id, id)
);
GRANT SELECT, INSERT, UPDATE (idx), DELETE ON app.metric_ballot_sync
	TO participe_app;
ALTER TABLE app.metric_ballot_sync ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.metric_ballot_sync FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON app.metric_ballot_sync
	USING (collectivity_id = app.current_collectivity());

-- The public key of a ballot entry: docs/protocol.md fixes its offsets
-- (the ballot starts at byte 31 of the entry, its key at byte 63 of the
-- ballot).
CREATE FUNCTION app.ballot_entry_key(p_entry bytea)
RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT substring(p_entry FROM 31 + 63 + 1 FOR 32)
$$;

-- Its u64 sequence number (at byte 99 of the ballot).
CREATE FUNCTION app.ballot_entry_seq(p_entry bytea)
RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT ('x' || encode(substring(p_entry FROM 31 + 99 + 1 FOR 8),
		'hex'))::bit(64)::bigint
$$;
GRANT EXECUTE ON FUNCTION app.ballot_entry_key(bytea),
	app.ballot_entry_seq(bytea) TO participe_app;

-- Counts the ballots of election p_e of p_c appended since the last call:
-- per day and (registered keys) account, one probe of the credential's
-- key per ballot.
CREATE FUNCTION app.metric_ballots_sync(p_c uuid, p_e uuid)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	v_from bigint := coalesce((SELECT idx FROM app.metric_ballot_sync
		WHERE collectivity_id = p_c AND election_id = p_e), -1);
	v_to bigint;
BEGIN
	SELECT max(idx) INTO v_to FROM app.election_log
	WHERE collectivity_id = p_c AND election_id = p_e AND idx > v_from;
	IF v_to IS NULL THEN
		RETURN;
	END IF;
	PERFORM app.metric_act(x.collectivity_id, x.process_id, 'ballot',
		x.account_id, x.at, x.n)
	FROM (SELECT b.collectivity_id, e.process_id,
			CASE WHEN e.credential_mode = 'registered' THEN
				(SELECT k.account_id FROM app.election_credentials k
				WHERE k.collectivity_id = b.collectivity_id
				  AND k.election_id = b.election_id
				  AND k.public_key = app.ballot_entry_key(b.entry))
				END AS account_id,
			min(b.at) AS at, count(*) AS n
		FROM app.election_log b
		JOIN app.elections e ON e.collectivity_id = b.collectivity_id
			AND e.id = b.election_id
		WHERE b.collectivity_id = p_c AND b.election_id = p_e
		  AND b.idx > v_from AND b.idx <= v_to AND b.kind = 'ballot'
		GROUP BY 1, 2, 3, (b.at AT TIME ZONE 'Europe/Paris')::date) x;
	INSERT INTO app.metric_ballot_sync AS m VALUES (p_c, p_e, v_to)
	ON CONFLICT (collectivity_id, election_id) DO UPDATE SET idx = v_to;
END
$$;
GRANT EXECUTE ON FUNCTION app.metric_ballots_sync(uuid, uuid)
	TO participe_app;

-- Rebuilds every metric counter of collectivity p_c from its acts, what
-- the triggers above keep act by act: set-based for all but the ballots,
-- which app.metric_ballots_sync counts again from the start of each log.
-- A maintenance tool for the schema owner, and this migration's backfill.
-- Returns the acts counted.
CREATE FUNCTION app.metric_rebuild(p_c uuid)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	v_nil uuid := '00000000-0000-0000-0000-000000000000';
	v_n bigint;
BEGIN
	PERFORM set_config('app.collectivity_id', p_c::text, true);
	DELETE FROM app.metric_people WHERE collectivity_id = p_c;
	DELETE FROM app.metric_counts WHERE collectivity_id = p_c;
	DELETE FROM app.metric_answer_delays WHERE collectivity_id = p_c;
	DELETE FROM app.metric_ballot_sync WHERE collectivity_id = p_c;
	CREATE TEMP TABLE metric_acts_tmp ON COMMIT DROP AS
	WITH acts (process_id, kind, account_id, at) AS (
		SELECT q.process_id, 'response', p.account_id,
			coalesce((SELECT min(r.submitted_at) FROM app.responses r
				WHERE r.collectivity_id = p_c
				  AND r.consultation_id = p.consultation_id
				  AND r.account_id = p.account_id), now())
		FROM app.consultation_participants p
		JOIN app.consultations q ON q.collectivity_id = p_c
			AND q.id = p.consultation_id
		WHERE p.collectivity_id = p_c
		UNION ALL
		SELECT process_id, 'proposal', author_id, published_at
		FROM app.proposals
		WHERE collectivity_id = p_c AND published_at IS NOT NULL
		UNION ALL
		SELECT process_id, 'support', account_id, created_at
		FROM app.supports WHERE collectivity_id = p_c
		UNION ALL
		SELECT process_id, 'comment', author_id, created_at
		FROM app.comments WHERE collectivity_id = p_c
	)
	SELECT a.process_id, a.kind, a.account_id, v.period,
		date_trunc(v.period, a.at AT TIME ZONE 'Europe/Paris')::date
			AS start
	FROM acts a CROSS JOIN (VALUES ('week'), ('month')) AS v (period);
	SELECT count(*) / 2 INTO v_n FROM metric_acts_tmp;
	INSERT INTO app.metric_counts (collectivity_id, period, start,
		process_id, kind, acts, people)
	SELECT p_c, period, start, coalesce(process_id, v_nil),
		coalesce(kind, 'any'), count(*), count(DISTINCT account_id)
	FROM metric_acts_tmp
	GROUP BY period, start,
		GROUPING SETS ((process_id, kind), (process_id), (kind), ());
	INSERT INTO app.metric_people
	SELECT DISTINCT p_c, t.period, t.start, x.process_id, x.kind,
		t.account_id
	FROM metric_acts_tmp t
	CROSS JOIN LATERAL (VALUES (t.process_id, t.kind),
		(t.process_id, 'any'), (v_nil, t.kind), (v_nil, 'any'))
		AS x (process_id, kind)
	WHERE t.account_id IS NOT NULL;
	DROP TABLE metric_acts_tmp;
	PERFORM app.metric_ballots_sync(p_c, id)
	FROM app.elections WHERE collectivity_id = p_c;
	v_n := v_n + (SELECT count(*) FROM app.election_log
		WHERE collectivity_id = p_c AND kind = 'ballot');
	PERFORM app.metric_member(p_c, 'member', joined_at)
	FROM app.members WHERE collectivity_id = p_c;
	PERFORM app.metric_member(p_c, 'verified', verified_at)
	FROM app.members WHERE collectivity_id = p_c AND verified_at IS NOT NULL;
	PERFORM app.metric_answer(p_c, process_id, published_at, answered_at)
	FROM app.proposals
	WHERE collectivity_id = p_c AND published_at IS NOT NULL
	  AND answered_at IS NOT NULL;
	PERFORM app.metric_phases_of(p_c, id)
	FROM app.processes WHERE collectivity_id = p_c;
	RETURN v_n;
END
$$;
REVOKE EXECUTE ON FUNCTION app.metric_rebuild(uuid) FROM PUBLIC;

-- What was there before this migration.
SELECT app.metric_rebuild(id) FROM app.collectivities;
