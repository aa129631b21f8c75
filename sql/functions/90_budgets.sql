-- Participatory budgets: a process's budget, its districts and projects,
-- and its vote, an election whose questions are generated here (one per
-- district, the feasible projects as options). See docs/budgets.md; the
-- descriptor's budget members are in docs/protocol.md.

CREATE OR REPLACE FUNCTION api.budget_district_json(d app.budget_districts)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', d.id, 'number', d.number,
		'name', d.name, 'amount', d.amount, 'area_id', d.area_id,
		'question', 'd' || d.number)
$$;

-- The option id of a project on the ballot: "p" and its number on six
-- digits, so that ids compare as strings in number order.
CREATE OR REPLACE FUNCTION api.project_option(p_number integer)
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT 'p' || lpad(p_number::text, 6, '0')
$$;

-- The budget; its vote (election_id, vote_state) only once opened unless
-- p_staff, as a draft election is staff's alone.
DROP FUNCTION IF EXISTS api.budget_json(app.budgets);
CREATE OR REPLACE FUNCTION api.budget_json(b app.budgets,
	p_staff boolean DEFAULT true)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', b.id, 'process_id', b.process_id,
		'title', b.title, 'description', b.description,
		'amount', b.amount, 'districts_per_voter', b.districts_per_voter,
		'ballot', json_build_object('kind', b.ballot_kind,
			'min', b.ballot_min, 'max', b.ballot_max,
			'min_share', b.ballot_min_share, 'total', b.ballot_total,
			'max_per_project', b.ballot_per_project),
		'outcome', b.outcome, 'compare', b.compare,
		'utility', b.utility, 'tie', b.tie, 'min_votes', b.min_votes,
		'districts', (SELECT coalesce(json_agg(api.budget_district_json(d)
				ORDER BY d.number), '[]')
			FROM app.budget_districts d
			WHERE d.collectivity_id = b.collectivity_id
			  AND d.budget_id = b.id),
		'projects', (SELECT count(*) FROM app.budget_projects p
			WHERE p.collectivity_id = b.collectivity_id
			  AND p.budget_id = b.id),
		'election_id', (SELECT e.id FROM app.elections e
			WHERE e.collectivity_id = b.collectivity_id
			  AND e.id = b.election_id
			  AND (p_staff OR e.state <> 'draft')),
		'vote_state', (SELECT api.election_phase(e) FROM app.elections e
			WHERE e.collectivity_id = b.collectivity_id
			  AND e.id = b.election_id
			  AND (p_staff OR e.state <> 'draft')),
		'created_at', b.created_at, 'updated_at', b.updated_at)
$$;

-- The budget, if the caller may see its process; 404 else.
CREATE OR REPLACE FUNCTION api.budget_find(p_c app.collectivities,
	p_acc app.accounts, p_bid text, p_lock boolean DEFAULT false)
RETURNS app.budgets
LANGUAGE plpgsql AS $$
DECLARE
	v_b app.budgets;
BEGIN
	IF p_lock THEN
		SELECT * INTO v_b FROM app.budgets
		WHERE collectivity_id = p_c.id AND id = api.uuid_or_null(p_bid)
		FOR UPDATE;
	ELSE
		SELECT * INTO v_b FROM app.budgets
		WHERE collectivity_id = p_c.id AND id = api.uuid_or_null(p_bid);
	END IF;
	IF NOT FOUND OR NOT EXISTS (SELECT 1 FROM app.processes p
			WHERE p.collectivity_id = p_c.id AND p.id = v_b.process_id
			  AND (p.status = 'published' OR api.is_staff(p_c, p_acc))) THEN
		RAISE EXCEPTION 'no budget "%" in collectivity "%"', p_bid,
			p_c.slug USING ERRCODE = 'PT404';
	END IF;
	RETURN v_b;
END
$$;

-- Refuses (409) a change to what the ballot shows once the vote is open.
CREATE OR REPLACE FUNCTION api.budget_require_draft(b app.budgets)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM app.elections e
			WHERE e.collectivity_id = b.collectivity_id
			  AND e.id = b.election_id AND e.state <> 'draft') THEN
		RAISE EXCEPTION 'the budget''s vote is opened: its projects, '
			'districts and rules are fixed' USING ERRCODE = 'PT409';
	END IF;
END
$$;

-- Checks and writes the fields of a budget create or update body over b.
CREATE OR REPLACE FUNCTION api.budget_apply(INOUT b app.budgets,
	p_body jsonb)
LANGUAGE plpgsql AS $$
DECLARE
	v_errors jsonb := '[]';
	v_rules text[] := ARRAY['greedy', 'greedy-no-skip', 'greedy-score',
		'mes', 'mes-add1'];
	v_ballot jsonb := p_body->'ballot';
	v_k text;
BEGIN
	IF p_body ? 'title' THEN b.title := p_body->>'title'; END IF;
	IF p_body ? 'description' THEN
		b.description := p_body->>'description';
	END IF;
	IF p_body ? 'amount' THEN b.amount := (p_body->>'amount')::bigint; END IF;
	IF p_body ? 'districts_per_voter' THEN
		b.districts_per_voter := (p_body->>'districts_per_voter')::smallint;
	END IF;
	IF p_body ? 'min_votes' THEN
		b.min_votes := (p_body->>'min_votes')::integer;
	END IF;
	IF v_ballot IS NOT NULL THEN
		FOR v_k IN SELECT jsonb_object_keys(v_ballot) LOOP
			IF NOT v_k = ANY (ARRAY['kind', 'min', 'max', 'min_share',
					'total', 'max_per_project']) THEN
				v_errors := v_errors || api.field_error('ballot/' || v_k,
					'is not a member of a ballot rule');
			ELSIF jsonb_typeof(v_ballot->v_k) <> (CASE v_k WHEN 'kind'
					THEN 'string' ELSE 'number' END)
					OR (v_k <> 'kind' AND ((v_ballot->>v_k) !~ '^[0-9]{1,7}$'
						OR (v_ballot->>v_k)::int > 1000000))
					THEN
				v_errors := v_errors || api.field_error('ballot/' || v_k,
					CASE v_k WHEN 'kind' THEN 'must be a string'
					ELSE 'must be an integer from 0 to 1000000' END);
			END IF;
		END LOOP;
		PERFORM api.invalid(v_errors);
		IF v_ballot ? 'kind' THEN
			b.ballot_kind := v_ballot->>'kind';
		END IF;
		IF v_ballot ? 'min' THEN b.ballot_min := (v_ballot->>'min')::int; END IF;
		IF v_ballot ? 'max' THEN b.ballot_max := (v_ballot->>'max')::int; END IF;
		IF v_ballot ? 'min_share' THEN
			b.ballot_min_share := (v_ballot->>'min_share')::int;
		END IF;
		IF v_ballot ? 'total' THEN
			b.ballot_total := (v_ballot->>'total')::int;
		END IF;
		IF v_ballot ? 'max_per_project' THEN
			b.ballot_per_project := (v_ballot->>'max_per_project')::int;
		END IF;
		IF NOT b.ballot_kind = ANY (ARRAY['approval', 'knapsack',
				'cumulative', 'ranking']) THEN
			v_errors := v_errors || api.field_error('ballot/kind',
				'must be approval, knapsack, cumulative or ranking');
		END IF;
		IF b.ballot_max NOT BETWEEN 1 AND 200 THEN
			v_errors := v_errors || api.field_error('ballot/max',
				'must be from 1 to 200');
		ELSIF b.ballot_min > b.ballot_max THEN
			v_errors := v_errors || api.field_error('ballot/min',
				'must not exceed max');
		END IF;
		IF b.ballot_kind = 'ranking' AND b.ballot_min < 1 THEN
			v_errors := v_errors || api.field_error('ballot/min',
				'a ranking needs at least 1 project');
		END IF;
		IF b.ballot_min_share > 100 THEN
			v_errors := v_errors || api.field_error('ballot/min_share',
				'is a percentage: from 0 to 100');
		END IF;
		IF b.ballot_total < 1 THEN
			v_errors := v_errors || api.field_error('ballot/total',
				'must be from 1 to 1000000');
		ELSIF b.ballot_per_project NOT BETWEEN 1 AND b.ballot_total THEN
			v_errors := v_errors || api.field_error(
				'ballot/max_per_project', 'must be from 1 to total');
		END IF;
	END IF;
	IF p_body ? 'outcome' THEN b.outcome := p_body->>'outcome'; END IF;
	IF p_body ? 'compare' THEN b.compare := p_body->>'compare'; END IF;
	IF NOT b.outcome = ANY (v_rules) THEN
		v_errors := v_errors || api.field_error('outcome',
			'must be one of ' || array_to_string(v_rules, ', '));
	END IF;
	IF NOT b.compare = ANY (v_rules) THEN
		v_errors := v_errors || api.field_error('compare',
			'must be one of ' || array_to_string(v_rules, ', '));
	END IF;
	IF b.ballot_kind <> 'cumulative' AND 'greedy-score' IN (b.outcome,
			b.compare) THEN
		v_errors := v_errors || api.field_error(CASE b.outcome WHEN
			'greedy-score' THEN 'outcome' ELSE 'compare' END,
			'greedy-score orders projects by points: it needs a '
			'cumulative ballot');
	END IF;
	IF p_body ? 'utility' THEN b.utility := p_body->>'utility'; END IF;
	IF NOT b.utility = ANY (ARRAY['cost', 'card']) THEN
		v_errors := v_errors || api.field_error('utility',
			'must be cost or card');
	END IF;
	IF p_body ? 'tie' THEN b.tie := p_body->>'tie'; END IF;
	IF NOT b.tie = ANY (ARRAY['id', 'cost,votes,id']) THEN
		v_errors := v_errors || api.field_error('tie',
			'must be id or cost,votes,id');
	END IF;
	PERFORM api.invalid(v_errors);
	b.updated_at := now();
END
$$;

-- POST /v1/collectivities/{cid}/processes/{pid}/budget
CREATE OR REPLACE FUNCTION api.budget_create(p_token_hash text, p_slug text,
	p_pid text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_p app.processes := api.process_find(v_c, v_acc, p_pid);
	v_b app.budgets;
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	PERFORM 1 FROM app.processes WHERE collectivity_id = v_c.id
		AND id = v_p.id FOR UPDATE;
	IF EXISTS (SELECT 1 FROM app.budgets WHERE collectivity_id = v_c.id
			AND process_id = v_p.id) THEN
		RAISE EXCEPTION 'the process already has a budget'
			USING ERRCODE = 'PT409';
	END IF;
	v_b := (SELECT b FROM (SELECT (NULL::app.budgets).*) b);
	v_b.collectivity_id := v_c.id;
	v_b.id := gen_random_uuid();
	v_b.process_id := v_p.id;
	v_b.description := '';
	v_b.districts_per_voter := 1;
	v_b.ballot_kind := 'approval';
	v_b.ballot_min := 1;
	v_b.ballot_max := 200;
	v_b.ballot_min_share := 0;
	v_b.ballot_total := 10;
	v_b.ballot_per_project := 10;
	v_b.outcome := 'mes-add1';
	v_b.compare := 'greedy';
	v_b.utility := 'cost';
	v_b.tie := 'id';
	v_b.min_votes := 0;
	v_b := api.budget_apply(v_b, p_body);
	v_b.created_at := now();
	INSERT INTO app.budgets SELECT v_b.* RETURNING * INTO v_b;
	PERFORM api.audit(v_c.id, v_acc.id, 'budget.create', 'budget',
		v_b.id::text, NULL, jsonb_build_object('process', v_p.id,
		'amount', v_b.amount));
	RETURN api.budget_json(v_b)::text;
END
$$;

-- GET /v1/collectivities/{cid}/processes/{pid}/budget
CREATE OR REPLACE FUNCTION api.budget_of_process(p_token_hash text,
	p_slug text, p_pid text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account_opt(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_p app.processes := api.process_find(v_c, v_acc, p_pid);
	v_b app.budgets;
BEGIN
	SELECT * INTO v_b FROM app.budgets WHERE collectivity_id = v_c.id
		AND process_id = v_p.id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'the process has no budget' USING ERRCODE = 'PT404';
	END IF;
	RETURN api.budget_json(v_b, api.is_staff(v_c, v_acc))::text;
END
$$;

-- GET /v1/collectivities/{cid}/budgets/{bid}
CREATE OR REPLACE FUNCTION api.budget_get(p_token_hash text, p_slug text,
	p_bid text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account_opt(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
BEGIN
	RETURN api.budget_json(api.budget_find(v_c, v_acc, p_bid),
		api.is_staff(v_c, v_acc))::text;
END
$$;

-- PATCH /v1/collectivities/{cid}/budgets/{bid}: once the vote is open,
-- only the title and the description.
CREATE OR REPLACE FUNCTION api.budget_update(p_token_hash text, p_slug text,
	p_bid text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_b app.budgets := api.budget_find(v_c, v_acc, p_bid, true);
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	IF EXISTS (SELECT 1 FROM jsonb_object_keys(p_body) k
			WHERE k NOT IN ('title', 'description')) THEN
		PERFORM api.budget_require_draft(v_b);
	END IF;
	v_b := api.budget_apply(v_b, p_body);
	UPDATE app.budgets SET title = v_b.title,
		description = v_b.description, amount = v_b.amount,
		districts_per_voter = v_b.districts_per_voter,
		ballot_kind = v_b.ballot_kind, ballot_min = v_b.ballot_min,
		ballot_max = v_b.ballot_max,
		ballot_min_share = v_b.ballot_min_share,
		ballot_total = v_b.ballot_total,
		ballot_per_project = v_b.ballot_per_project,
		outcome = v_b.outcome, compare = v_b.compare,
		utility = v_b.utility, tie = v_b.tie, min_votes = v_b.min_votes,
		updated_at = v_b.updated_at
	WHERE collectivity_id = v_c.id AND id = v_b.id
	RETURNING * INTO v_b;
	PERFORM api.audit(v_c.id, v_acc.id, 'budget.update', 'budget',
		v_b.id::text, NULL, jsonb_build_object('fields',
		(SELECT jsonb_agg(k ORDER BY k) FROM jsonb_object_keys(p_body) k)));
	RETURN api.budget_json(v_b)::text;
END
$$;

-- Districts ---------------------------------------------------------------

-- Checks a district body's area (which must be the collectivity's).
CREATE OR REPLACE FUNCTION api.district_area(p_c app.collectivities,
	p_body jsonb, p_old uuid)
RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
	v_area uuid;
BEGIN
	IF NOT p_body ? 'area_id' THEN
		RETURN p_old;
	END IF;
	IF jsonb_typeof(p_body->'area_id') = 'null' THEN
		RETURN NULL;
	END IF;
	SELECT id INTO v_area FROM app.areas WHERE collectivity_id = p_c.id
		AND id = api.uuid_or_null(p_body->>'area_id');
	IF NOT FOUND THEN
		PERFORM api.invalid(api.field_error('area_id',
			'is not an area of this collectivity'));
	END IF;
	RETURN v_area;
END
$$;

-- The district named by p_did in budget b, or 404.
CREATE OR REPLACE FUNCTION api.district_find(b app.budgets, p_did text)
RETURNS app.budget_districts
LANGUAGE plpgsql AS $$
DECLARE
	v_d app.budget_districts;
BEGIN
	SELECT * INTO v_d FROM app.budget_districts
	WHERE collectivity_id = b.collectivity_id AND budget_id = b.id
	  AND id = api.uuid_or_null(p_did);
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no district "%" in this budget', p_did
			USING ERRCODE = 'PT404';
	END IF;
	RETURN v_d;
END
$$;

-- Whether the district's name is taken by another district of b (a 422).
CREATE OR REPLACE FUNCTION api.district_name_check(b app.budgets,
	p_name text, p_self uuid)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM app.budget_districts
			WHERE collectivity_id = b.collectivity_id
			  AND budget_id = b.id AND name = p_name
			  AND id IS DISTINCT FROM p_self) THEN
		PERFORM api.invalid(api.field_error('name',
			'another district of this budget has this name'));
	END IF;
END
$$;

-- POST /v1/collectivities/{cid}/budgets/{bid}/districts
CREATE OR REPLACE FUNCTION api.district_create(p_token_hash text,
	p_slug text, p_bid text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_b app.budgets := api.budget_find(v_c, v_acc, p_bid, true);
	v_d app.budget_districts;
	v_n int;
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	PERFORM api.budget_require_draft(v_b);
	SELECT coalesce(max(number), 0) + 1 INTO v_n FROM app.budget_districts
	WHERE collectivity_id = v_c.id AND budget_id = v_b.id;
	IF v_n > 20 THEN
		RAISE EXCEPTION 'a budget has at most 20 districts'
			USING ERRCODE = 'PT409';
	END IF;
	PERFORM api.district_name_check(v_b, p_body->>'name', NULL);
	INSERT INTO app.budget_districts (collectivity_id, budget_id, number,
		name, amount, area_id)
	VALUES (v_c.id, v_b.id, v_n, p_body->>'name',
		(p_body->>'amount')::bigint, api.district_area(v_c, p_body, NULL))
	RETURNING * INTO v_d;
	PERFORM api.audit(v_c.id, v_acc.id, 'budget.district_create', 'budget',
		v_b.id::text, NULL, jsonb_build_object('district', v_d.id,
		'amount', v_d.amount));
	RETURN api.budget_district_json(v_d)::text;
END
$$;

-- PATCH /v1/collectivities/{cid}/budgets/{bid}/districts/{did}
CREATE OR REPLACE FUNCTION api.district_update(p_token_hash text,
	p_slug text, p_bid text, p_did text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_b app.budgets := api.budget_find(v_c, v_acc, p_bid, true);
	v_d app.budget_districts;
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	v_d := api.district_find(v_b, p_did);
	PERFORM api.budget_require_draft(v_b);
	IF p_body ? 'name' THEN
		PERFORM api.district_name_check(v_b, p_body->>'name', v_d.id);
	END IF;
	UPDATE app.budget_districts SET
		name = coalesce(p_body->>'name', name),
		amount = coalesce((p_body->>'amount')::bigint, amount),
		area_id = api.district_area(v_c, p_body, area_id)
	WHERE collectivity_id = v_c.id AND id = v_d.id
	RETURNING * INTO v_d;
	PERFORM api.audit(v_c.id, v_acc.id, 'budget.district_update', 'budget',
		v_b.id::text, NULL, jsonb_build_object('district', v_d.id));
	RETURN api.budget_district_json(v_d)::text;
END
$$;

-- DELETE /v1/collectivities/{cid}/budgets/{bid}/districts/{did}: only a
-- district without projects.
CREATE OR REPLACE FUNCTION api.district_delete(p_token_hash text,
	p_slug text, p_bid text, p_did text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_b app.budgets := api.budget_find(v_c, v_acc, p_bid, true);
	v_d app.budget_districts;
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	v_d := api.district_find(v_b, p_did);
	PERFORM api.budget_require_draft(v_b);
	IF EXISTS (SELECT 1 FROM app.budget_projects WHERE
			collectivity_id = v_c.id AND district_id = v_d.id) THEN
		RAISE EXCEPTION 'the district has projects: move or delete them '
			'first' USING ERRCODE = 'PT409';
	END IF;
	DELETE FROM app.budget_districts
	WHERE collectivity_id = v_c.id AND id = v_d.id;
	PERFORM api.audit(v_c.id, v_acc.id, 'budget.district_delete', 'budget',
		v_b.id::text, NULL, jsonb_build_object('district', v_d.id));
	RETURN NULL;
END
$$;

-- Projects ----------------------------------------------------------------

CREATE OR REPLACE FUNCTION api.project_json(p app.budget_projects)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT json_build_object('id', p.id, 'number', p.number,
		'option', api.project_option(p.number), 'budget_id', p.budget_id,
		'district_id', p.district_id, 'title', p.title,
		'description', p.description, 'cost', p.cost,
		'reviewed_cost', p.reviewed_cost,
		'ballot_cost', coalesce(p.reviewed_cost, p.cost),
		'feasibility', p.feasibility,
		'unfeasible_reason', p.unfeasible_reason,
		'proposal_id', p.proposal_id, 'reviewed_at', p.reviewed_at,
		'created_at', p.created_at, 'updated_at', p.updated_at)
$$;

-- The project named by p_prid in budget b, or 404.
CREATE OR REPLACE FUNCTION api.project_find(b app.budgets, p_prid text,
	p_lock boolean DEFAULT false)
RETURNS app.budget_projects
LANGUAGE plpgsql AS $$
DECLARE
	v_p app.budget_projects;
BEGIN
	SELECT * INTO v_p FROM app.budget_projects
	WHERE collectivity_id = b.collectivity_id AND budget_id = b.id
	  AND id = api.uuid_or_null(p_prid);
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no project "%" in this budget', p_prid
			USING ERRCODE = 'PT404';
	END IF;
	RETURN v_p;
END
$$;

-- The district_id of a project body: a district of b, required when b has
-- districts, refused when it has none (422).
CREATE OR REPLACE FUNCTION api.project_district(b app.budgets,
	p_body jsonb, p_old uuid, p_creating boolean)
RETURNS uuid
LANGUAGE plpgsql AS $$
DECLARE
	v_has boolean := EXISTS (SELECT 1 FROM app.budget_districts
		WHERE collectivity_id = b.collectivity_id AND budget_id = b.id);
	v_d uuid;
BEGIN
	IF NOT p_body ? 'district_id' OR
			jsonb_typeof(p_body->'district_id') = 'null' THEN
		IF v_has AND (p_creating OR p_body ? 'district_id') THEN
			PERFORM api.invalid(api.field_error('district_id',
				'the budget has districts: name the project''s'));
		END IF;
		RETURN CASE WHEN p_body ? 'district_id' THEN NULL ELSE p_old END;
	END IF;
	SELECT id INTO v_d FROM app.budget_districts
	WHERE collectivity_id = b.collectivity_id AND budget_id = b.id
	  AND id = api.uuid_or_null(p_body->>'district_id');
	IF NOT FOUND THEN
		PERFORM api.invalid(api.field_error('district_id',
			'is not a district of this budget'));
	END IF;
	RETURN v_d;
END
$$;

-- POST /v1/collectivities/{cid}/budgets/{bid}/projects: a project, from a
-- proposal of the same process or not; it starts pending review.
CREATE OR REPLACE FUNCTION api.project_create(p_token_hash text,
	p_slug text, p_bid text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_b app.budgets := api.budget_find(v_c, v_acc, p_bid, true);
	v_p app.budget_projects;
	v_prop app.proposals;
	v_n int;
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	PERFORM api.budget_require_draft(v_b);
	SELECT coalesce(max(number), 0) + 1 INTO v_n FROM app.budget_projects
	WHERE collectivity_id = v_c.id AND budget_id = v_b.id;
	IF v_n > 1000 THEN
		RAISE EXCEPTION 'a budget has at most 1000 projects'
			USING ERRCODE = 'PT409';
	END IF;
	IF p_body ? 'proposal_id' THEN
		SELECT * INTO v_prop FROM app.proposals
		WHERE collectivity_id = v_c.id
		  AND id = api.uuid_or_null(p_body->>'proposal_id')
		  AND process_id = v_b.process_id;
		IF NOT FOUND THEN
			PERFORM api.invalid(api.field_error('proposal_id',
				'is not a proposal of this budget''s process'));
		END IF;
		IF v_prop.state <> 'accepted' THEN
			RAISE EXCEPTION 'only an accepted proposal becomes a project '
				'(this one is %)', v_prop.state USING ERRCODE = 'PT409';
		END IF;
		IF EXISTS (SELECT 1 FROM app.budget_projects
				WHERE collectivity_id = v_c.id AND budget_id = v_b.id
				  AND proposal_id = v_prop.id) THEN
			RAISE EXCEPTION 'the proposal is already a project of this '
				'budget' USING ERRCODE = 'PT409';
		END IF;
	END IF;
	IF coalesce(p_body->>'title', v_prop.title) IS NULL THEN
		PERFORM api.invalid(api.field_error('title',
			'is required, unless the project comes from a proposal'));
	END IF;
	INSERT INTO app.budget_projects (collectivity_id, budget_id, number,
		district_id, title, description, cost, proposal_id)
	VALUES (v_c.id, v_b.id, v_n,
		api.project_district(v_b, p_body, NULL, true),
		coalesce(p_body->>'title', v_prop.title),
		coalesce(p_body->>'description', v_prop.body, ''),
		(p_body->>'cost')::bigint, v_prop.id)
	RETURNING * INTO v_p;
	PERFORM api.audit(v_c.id, v_acc.id, 'budget.project_create', 'project',
		v_p.id::text, NULL, jsonb_build_object('budget', v_b.id,
		'cost', v_p.cost, 'proposal', v_p.proposal_id));
	RETURN api.project_json(v_p)::text;
END
$$;

-- GET /v1/collectivities/{cid}/budgets/{bid}/projects?district=&
-- feasibility=&limit=&after= (after = the last number seen)
CREATE OR REPLACE FUNCTION api.project_list(p_token_hash text, p_slug text,
	p_bid text, p_district text, p_feasibility text, p_limit int,
	p_after text)
RETURNS TABLE (body text, next text)
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account_opt(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_b app.budgets := api.budget_find(v_c, v_acc, p_bid);
	v_after bigint := api.index_cursor(p_after, 0);
	v_d uuid;
BEGIN
	IF p_district IS NOT NULL THEN
		v_d := (api.district_find(v_b, p_district)).id;
	END IF;
	RETURN QUERY
	WITH page AS (
		SELECT p FROM app.budget_projects p
		WHERE p.collectivity_id = v_c.id AND p.budget_id = v_b.id
		  AND p.number > v_after
		  AND (v_d IS NULL OR p.district_id = v_d)
		  AND (p_feasibility IS NULL OR p.feasibility = p_feasibility)
		ORDER BY p.number
		LIMIT p_limit + 1
	), numbered AS (
		SELECT p, row_number() OVER (ORDER BY (p).number) AS rn FROM page
	)
	SELECT coalesce(json_agg(api.project_json(p) ORDER BY (p).number)
			FILTER (WHERE rn <= p_limit), '[]')::text,
		CASE WHEN count(*) > p_limit THEN
			(max((p).number) FILTER (WHERE rn <= p_limit))::text END
	FROM numbered;
END
$$;

-- GET /v1/collectivities/{cid}/budgets/{bid}/projects/{prid}
CREATE OR REPLACE FUNCTION api.project_get(p_token_hash text, p_slug text,
	p_bid text, p_prid text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account_opt(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_b app.budgets := api.budget_find(v_c, v_acc, p_bid);
BEGIN
	RETURN api.project_json(api.project_find(v_b, p_prid))::text;
END
$$;

-- PATCH /v1/collectivities/{cid}/budgets/{bid}/projects/{prid}: before the
-- vote opens. A new cost sends the project back to review.
CREATE OR REPLACE FUNCTION api.project_update(p_token_hash text,
	p_slug text, p_bid text, p_prid text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_b app.budgets := api.budget_find(v_c, v_acc, p_bid, true);
	v_p app.budget_projects;
	v_recost boolean;
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	v_p := api.project_find(v_b, p_prid);
	PERFORM api.budget_require_draft(v_b);
	-- a new cost sends the project back to review
	v_recost := p_body ? 'cost' AND (p_body->>'cost')::bigint <> v_p.cost;
	UPDATE app.budget_projects SET
		title = coalesce(p_body->>'title', title),
		description = coalesce(p_body->>'description', description),
		district_id = api.project_district(v_b, p_body, district_id,
			false),
		cost = coalesce((p_body->>'cost')::bigint, cost),
		feasibility = CASE WHEN v_recost THEN 'pending'
			ELSE feasibility END,
		reviewed_cost = CASE WHEN NOT v_recost THEN reviewed_cost END,
		unfeasible_reason = CASE WHEN NOT v_recost THEN unfeasible_reason
			END,
		reviewed_at = CASE WHEN NOT v_recost THEN reviewed_at END,
		reviewed_by = CASE WHEN NOT v_recost THEN reviewed_by END,
		updated_at = now()
	WHERE collectivity_id = v_c.id AND id = v_p.id
	RETURNING * INTO v_p;
	PERFORM api.audit(v_c.id, v_acc.id, 'budget.project_update', 'project',
		v_p.id::text, NULL, jsonb_build_object('fields',
		(SELECT jsonb_agg(k ORDER BY k) FROM jsonb_object_keys(p_body) k)));
	RETURN api.project_json(v_p)::text;
END
$$;

-- DELETE /v1/collectivities/{cid}/budgets/{bid}/projects/{prid}
CREATE OR REPLACE FUNCTION api.project_delete(p_token_hash text,
	p_slug text, p_bid text, p_prid text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_b app.budgets := api.budget_find(v_c, v_acc, p_bid, true);
	v_p app.budget_projects;
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	v_p := api.project_find(v_b, p_prid);
	PERFORM api.budget_require_draft(v_b);
	DELETE FROM app.budget_projects
	WHERE collectivity_id = v_c.id AND id = v_p.id;
	PERFORM api.audit(v_c.id, v_acc.id, 'budget.project_delete', 'project',
		v_p.id::text, NULL, jsonb_build_object('budget', v_b.id));
	RETURN NULL;
END
$$;

-- POST /v1/collectivities/{cid}/budgets/{bid}/projects/{prid}/review:
-- {"feasibility": "feasible", "reviewed_cost": n} or {"feasibility":
-- "unfeasible", "reason": "..."} or back to "pending". Staff.
CREATE OR REPLACE FUNCTION api.project_review(p_token_hash text,
	p_slug text, p_bid text, p_prid text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_b app.budgets := api.budget_find(v_c, v_acc, p_bid, true);
	v_p app.budget_projects;
	v_f text := p_body->>'feasibility';
	v_errors jsonb := '[]';
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['moderator', 'admin']);
	v_p := api.project_find(v_b, p_prid);
	PERFORM api.budget_require_draft(v_b);
	IF NOT v_f = ANY (ARRAY['pending', 'feasible', 'unfeasible']) THEN
		v_errors := v_errors || api.field_error('feasibility',
			'must be pending, feasible or unfeasible');
	END IF;
	IF v_f = 'unfeasible' AND coalesce(length(p_body->>'reason'), 0) = 0
			THEN
		v_errors := v_errors || api.field_error('reason',
			'an unfeasible project needs the reason, which is published');
	END IF;
	IF v_f <> 'unfeasible' AND p_body ? 'reason' THEN
		v_errors := v_errors || api.field_error('reason',
			'only an unfeasible project has a reason');
	END IF;
	IF v_f <> 'feasible' AND p_body ? 'reviewed_cost' THEN
		v_errors := v_errors || api.field_error('reviewed_cost',
			'only a feasible project has a reviewed cost');
	END IF;
	PERFORM api.invalid(v_errors);
	UPDATE app.budget_projects SET feasibility = v_f,
		reviewed_cost = (p_body->>'reviewed_cost')::bigint,
		unfeasible_reason = CASE WHEN v_f = 'unfeasible'
			THEN p_body->>'reason' END,
		reviewed_at = CASE WHEN v_f = 'pending' THEN NULL ELSE now() END,
		reviewed_by = CASE WHEN v_f = 'pending' THEN NULL ELSE v_acc.id END,
		updated_at = now()
	WHERE collectivity_id = v_c.id AND id = v_p.id
	RETURNING * INTO v_p;
	PERFORM api.audit(v_c.id, v_acc.id, 'budget.project_review', 'project',
		v_p.id::text, p_body->>'reason', jsonb_build_object('feasibility',
		v_f, 'reviewed_cost', v_p.reviewed_cost));
	RETURN api.project_json(v_p)::text;
END
$$;

-- The vote ------------------------------------------------------------------

-- The ballot rule of a district question with n options.
CREATE OR REPLACE FUNCTION api.budget_rule(b app.budgets, p_amount bigint,
	p_n int)
RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE b.ballot_kind
		WHEN 'approval' THEN jsonb_build_object('kind', 'approval',
			'min', least(b.ballot_min, p_n),
			'max', least(b.ballot_max, p_n))
		WHEN 'ranking' THEN jsonb_build_object('kind', 'ranking',
			'min', least(greatest(b.ballot_min, 1), p_n),
			'max', least(b.ballot_max, p_n))
		WHEN 'cumulative' THEN jsonb_build_object('kind', 'cumulative',
			'total', b.ballot_total,
			'max_per_option', b.ballot_per_project)
		ELSE jsonb_build_object('kind', 'knapsack',
			'max_cost', p_amount,
			'min_cost', (p_amount * b.ballot_min_share + 99) / 100)
		END
$$;

-- The questions of b's vote: one per district (a budget without districts
-- is one question "all"), each listing the district's feasible projects
-- with their ballot cost. 409 when the budget cannot be voted on as it
-- stands (a district with fewer than 2 feasible projects, districts over
-- the budget, a project without a district).
CREATE OR REPLACE FUNCTION api.budget_questions(b app.budgets)
RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	v_q jsonb := '[]';
	v_d record;
	v_opts jsonb;
	v_n int;
	v_budget jsonb := jsonb_build_object('outcome', b.outcome,
		'compare', b.compare, 'utility', b.utility, 'tie', b.tie,
		'min_votes', b.min_votes);
BEGIN
	IF (SELECT sum(amount) FROM app.budget_districts
			WHERE collectivity_id = b.collectivity_id
			  AND budget_id = b.id) > b.amount THEN
		RAISE EXCEPTION 'the districts'' amounts add up to more than the '
			'budget' USING ERRCODE = 'PT409';
	END IF;
	IF EXISTS (SELECT 1 FROM app.budget_districts d
			WHERE d.collectivity_id = b.collectivity_id
			  AND d.budget_id = b.id)
		AND EXISTS (SELECT 1 FROM app.budget_projects p
			WHERE p.collectivity_id = b.collectivity_id
			  AND p.budget_id = b.id AND p.district_id IS NULL
			  AND p.feasibility = 'feasible') THEN
		RAISE EXCEPTION 'a feasible project has no district'
			USING ERRCODE = 'PT409';
	END IF;
	FOR v_d IN
		SELECT d.id, 'd' || d.number AS qid, d.name, d.amount, d.number
		FROM app.budget_districts d
		WHERE d.collectivity_id = b.collectivity_id AND d.budget_id = b.id
		UNION ALL
		SELECT NULL, 'all', b.title, b.amount, 0
		WHERE NOT EXISTS (SELECT 1 FROM app.budget_districts d
			WHERE d.collectivity_id = b.collectivity_id
			  AND d.budget_id = b.id)
		ORDER BY 5
	LOOP
		SELECT coalesce(jsonb_agg(jsonb_build_object(
				'id', api.project_option(p.number), 'label', p.title,
				'cost', coalesce(p.reviewed_cost, p.cost))
				ORDER BY p.number), '[]'), count(*)
		INTO v_opts, v_n
		FROM app.budget_projects p
		WHERE p.collectivity_id = b.collectivity_id AND p.budget_id = b.id
		  AND p.feasibility = 'feasible'
		  AND p.district_id IS NOT DISTINCT FROM v_d.id;
		IF v_n < 2 THEN
			RAISE EXCEPTION '% has % feasible project(s): a vote needs at '
				'least 2', CASE WHEN v_d.id IS NULL THEN 'the budget'
				ELSE 'district "' || v_d.name || '"' END, v_n
				USING ERRCODE = 'PT409';
		END IF;
		IF v_n > 200 THEN
			RAISE EXCEPTION '% has % feasible projects: a ballot lists at '
				'most 200', CASE WHEN v_d.id IS NULL THEN 'the budget'
				ELSE 'district "' || v_d.name || '"' END, v_n
				USING ERRCODE = 'PT409';
		END IF;
		v_q := v_q || jsonb_build_array(jsonb_build_object('id', v_d.qid,
			'text', v_d.name, 'options', v_opts,
			'rule', api.budget_rule(b, v_d.amount, v_n),
			'budget', v_budget || jsonb_build_object('amount', v_d.amount)));
	END LOOP;
	RETURN v_q;
END
$$;

-- POST /v1/collectivities/{cid}/budgets/{bid}/vote: creates the budget's
-- vote (a draft election of the process, questions from the projects), or
-- when it is still a draft applies the body and refreshes its questions.
-- Opening refreshes them once more (api.election_open).
CREATE OR REPLACE FUNCTION api.budget_vote(p_token_hash text, p_slug text,
	p_bid text, p_body jsonb)
RETURNS TABLE (body text, created boolean)
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_b app.budgets := api.budget_find(v_c, v_acc, p_bid, true);
	v_ph app.process_phases;
	v_e app.elections;
	v_new boolean := v_b.election_id IS NULL;
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	PERFORM api.budget_require_draft(v_b);
	IF v_new THEN
		SELECT * INTO v_ph FROM app.process_phases
		WHERE collectivity_id = v_c.id AND process_id = v_b.process_id
		  AND kind = 'vote';
		IF NOT FOUND THEN
			RAISE EXCEPTION 'the process has no vote phase: add one before '
				'creating the vote' USING ERRCODE = 'PT409';
		END IF;
		v_e.collectivity_id := v_c.id;
		v_e.id := gen_random_uuid();
		v_e.process_id := v_b.process_id;
		v_e.title := v_b.title;
		v_e.description := '';
		v_e.revote := true;
		v_e.credential_mode := 'registered';
		v_e.opens_at := v_ph.starts_at;
		v_e.closes_at := v_ph.ends_at;
		v_e.credentials := 0;
	ELSE
		SELECT * INTO v_e FROM app.elections WHERE collectivity_id = v_c.id
			AND id = v_b.election_id FOR UPDATE;
	END IF;
	v_e := api.election_apply(v_e, p_body);
	v_e.questions := api.budget_questions(v_b);
	IF v_new THEN
		INSERT INTO app.elections (collectivity_id, id, process_id, title,
			description, questions, opens_at, closes_at, revote,
			credential_mode, budget_id)
		VALUES (v_c.id, v_e.id, v_e.process_id, v_e.title, v_e.description,
			v_e.questions, v_e.opens_at, v_e.closes_at, v_e.revote,
			v_e.credential_mode, v_b.id)
		RETURNING * INTO v_e;
		UPDATE app.budgets SET election_id = v_e.id, updated_at = now()
		WHERE collectivity_id = v_c.id AND id = v_b.id;
	ELSE
		UPDATE app.elections SET title = v_e.title,
			description = v_e.description, questions = v_e.questions,
			opens_at = v_e.opens_at, closes_at = v_e.closes_at,
			revote = v_e.revote, credential_mode = v_e.credential_mode,
			updated_at = v_e.updated_at
		WHERE collectivity_id = v_c.id AND id = v_e.id
		RETURNING * INTO v_e;
	END IF;
	PERFORM api.audit(v_c.id, v_acc.id, CASE WHEN v_new THEN
		'budget.vote_create' ELSE 'budget.vote_update' END, 'election',
		v_e.id::text, NULL, jsonb_build_object('budget', v_b.id));
	RETURN QUERY SELECT api.election_json(v_e)::text, v_new;
END
$$;

-- Results -------------------------------------------------------------------

-- The budget's vote once closed and counted; 409 before.
CREATE OR REPLACE FUNCTION api.budget_counted_vote(b app.budgets)
RETURNS app.elections
LANGUAGE plpgsql AS $$
DECLARE
	v_e app.elections;
BEGIN
	SELECT * INTO v_e FROM app.elections WHERE collectivity_id =
		b.collectivity_id AND id = b.election_id;
	IF NOT FOUND OR v_e.result IS NULL THEN
		RAISE EXCEPTION 'the budget''s results are published when its vote '
			'is closed and counted' USING ERRCODE = 'PT409';
	END IF;
	RETURN v_e;
END
$$;

-- GET /v1/collectivities/{cid}/budgets/{bid}/results: once the vote is
-- counted, per district the projects the budget's rule selects (in order
-- of selection, with votes and cost), the money left, and the comparison
-- rule's selection beside it; from the published result (lib/election.c).
CREATE OR REPLACE FUNCTION api.budget_results(p_token_hash text,
	p_slug text, p_bid text)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account_opt(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_b app.budgets := api.budget_find(v_c, v_acc, p_bid);
	v_e app.elections;
	v_r jsonb;
BEGIN
	v_e := api.budget_counted_vote(v_b);
	v_r := v_e.result::jsonb;
	RETURN json_build_object('budget_id', v_b.id, 'election_id', v_e.id,
		'outcome', v_b.outcome, 'compare', v_b.compare,
		'ballots', v_r->'ballots',
		'districts', (SELECT json_agg(api.district_result(v_b, q, opts)
				ORDER BY ord)
			FROM jsonb_array_elements(v_r->'questions') WITH ORDINALITY
				AS r(q, ord)
			JOIN LATERAL (SELECT q2->'options' AS opts
				FROM jsonb_array_elements(v_e.descriptor::jsonb->'questions')
					q2 WHERE q2->>'id' = q->>'id') d ON true))::text;
END
$$;

-- One district of the results: the question's result q and its options.
CREATE OR REPLACE FUNCTION api.district_result(b app.budgets, q jsonb,
	p_options jsonb)
RETURNS json
LANGUAGE sql STABLE AS $$
	WITH opt AS (
		SELECT o->>'id' AS option, (o->>'cost')::bigint AS cost,
			(q->'approvals'->>(i::int - 1))::bigint AS votes,
			(q->'totals'->>(i::int - 1))::bigint AS total
		FROM jsonb_array_elements(p_options) WITH ORDINALITY AS x(o, i)
	), pick AS (
		SELECT s.rule, s.sel, x.option, x.ord
		FROM (VALUES ('outcome', q->'outcome'), ('compare', q->'compare'))
			AS s(rule, sel),
		LATERAL jsonb_array_elements_text(s.sel->'selected')
			WITH ORDINALITY AS x(option, ord)
	), listed AS (
		SELECT k.rule, json_agg(json_build_object('project_id', p.id,
			'number', p.number, 'option', o.option, 'title', p.title,
			'cost', o.cost, 'votes', o.votes, 'score', o.total)
			ORDER BY k.ord) AS projects
		FROM pick k
		JOIN opt o ON o.option = k.option
		JOIN app.budget_projects p ON p.collectivity_id = b.collectivity_id
			AND p.budget_id = b.id AND api.project_option(p.number) = o.option
		GROUP BY k.rule
	)
	SELECT json_build_object('question', q->>'id',
		'district_id', (SELECT d.id FROM app.budget_districts d
			WHERE d.collectivity_id = b.collectivity_id
			  AND d.budget_id = b.id AND 'd' || d.number = q->>'id'),
		'name', (SELECT d.name FROM app.budget_districts d
			WHERE d.collectivity_id = b.collectivity_id
			  AND d.budget_id = b.id AND 'd' || d.number = q->>'id'),
		'amount', (q->>'amount')::bigint, 'voters', q->'voters',
		'outcome', jsonb_build_object('rule', q->'outcome'->'rule',
			'projects', coalesce((SELECT projects FROM listed
				WHERE rule = 'outcome'), '[]'),
			'spent', q->'outcome'->'cost',
			'left', (q->>'amount')::bigint - (q->'outcome'->>'cost')::bigint)
			|| jsonb_strip_nulls(jsonb_build_object(
				'steps', q->'outcome'->'steps',
				'per_voter_budget', q->'outcome'->'per_voter_budget')),
		'compare', jsonb_build_object('rule', q->'compare'->'rule',
			'projects', coalesce((SELECT projects FROM listed
				WHERE rule = 'compare'), '[]'),
			'spent', q->'compare'->'cost',
			'left', (q->>'amount')::bigint - (q->'compare'->>'cost')::bigint)
			|| jsonb_strip_nulls(jsonb_build_object(
				'steps', q->'compare'->'steps',
				'per_voter_budget', q->'compare'->'per_voter_budget')))
$$;

-- What the per-voter view needs for a tracker: the descriptor, the
-- ballot entry (hex), whether it is its credential's counted ballot, and
-- the result. 409 before the results, 404 for an unknown tracker.
CREATE OR REPLACE FUNCTION api.budget_receipt_input(p_token_hash text,
	p_slug text, p_bid text, p_tracker text)
RETURNS TABLE (descriptor text, entry text, counted boolean, result text)
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account_opt(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_b app.budgets := api.budget_find(v_c, v_acc, p_bid);
	v_e app.elections;
	v_entry bytea;
BEGIN
	v_e := api.budget_counted_vote(v_b);
	SELECT l.entry INTO v_entry FROM app.election_log l
	WHERE l.collectivity_id = v_c.id AND l.election_id = v_e.id
	  AND l.tracker = api.hex_or_null(p_tracker, 32);
	IF NOT FOUND THEN
		RAISE EXCEPTION 'no ballot with this tracker in the budget''s vote'
			USING ERRCODE = 'PT404';
	END IF;
	-- The counted ballot of a key is its highest sequence number, which
	-- its credential row keeps (last_seq).
	RETURN QUERY SELECT v_e.descriptor, encode(v_entry, 'hex'),
		EXISTS (SELECT 1 FROM app.election_credentials k
			WHERE k.collectivity_id = v_c.id AND k.election_id = v_e.id
			  AND k.public_key = app.ballot_entry_key(v_entry)
			  AND k.last_seq = app.ballot_entry_seq(v_entry)),
		v_e.result;
END
$$;

-- What GET .../budgets/{bid}/pabulib needs, once the vote is counted: a
-- first row with the descriptor, the result and the names the file shows
-- (meta, entry NULL), then every ballot entry of the log (hex), in order.
CREATE OR REPLACE FUNCTION api.budget_pb_input(p_token_hash text,
	p_slug text, p_bid text)
RETURNS TABLE (meta text, entry text)
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account_opt(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_b app.budgets := api.budget_find(v_c, v_acc, p_bid);
	v_e app.elections;
BEGIN
	v_e := api.budget_counted_vote(v_b);
	RETURN QUERY SELECT json_build_object('descriptor', v_e.descriptor,
		'result', v_e.result, 'collectivity', v_c.name,
		'title', v_b.title, 'opens_at', v_e.opens_at,
		'closes_at', v_e.closes_at,
		'districts', (SELECT coalesce(json_object_agg('d' || d.number,
				d.name), '{}') FROM app.budget_districts d
			WHERE d.collectivity_id = v_c.id AND d.budget_id = v_b.id),
		'projects', (SELECT coalesce(json_object_agg(
				api.project_option(p.number), p.title), '{}')
			FROM app.budget_projects p
			WHERE p.collectivity_id = v_c.id AND p.budget_id = v_b.id)
		)::text, NULL::text;
	RETURN QUERY SELECT NULL::text, encode(l.entry, 'hex')
	FROM app.election_log l
	WHERE l.collectivity_id = v_c.id AND l.election_id = v_e.id
	  AND l.kind = 'ballot'
	ORDER BY l.idx;
END
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA api TO participe_app;
