-- 0007_budgets: participatory budgets of a process, their districts and
-- projects; the vote on a budget is an election of 0006 whose questions
-- are generated from the budget (docs/budgets.md). Tenant tables as
-- DESIGN.md section 6 says.

-- One budget per process. The ballot rule and the outcome rules are fixed
-- in the vote's descriptor when it opens.
CREATE TABLE app.budgets (
	collectivity_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	process_id uuid NOT NULL,
	title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	description text NOT NULL DEFAULT ''
		CHECK (length(description) <= 20000),
	amount bigint NOT NULL CHECK (amount BETWEEN 1 AND 1000000000000000),
	-- How many districts a voter may vote in (1: one only).
	districts_per_voter smallint NOT NULL DEFAULT 1
		CHECK (districts_per_voter BETWEEN 1 AND 20),
	-- The ballot rule: approval (min, max projects), knapsack (chosen
	-- costs within the district's amount and, min_share > 0, at least
	-- that percentage of it), cumulative (total points, max per
	-- project), ranking (min, max projects).
	ballot_kind text NOT NULL DEFAULT 'approval' CHECK (ballot_kind IN
		('approval', 'knapsack', 'cumulative', 'ranking')),
	ballot_min integer NOT NULL DEFAULT 1
		CHECK (ballot_min BETWEEN 0 AND 200),
	ballot_max integer NOT NULL DEFAULT 200
		CHECK (ballot_max BETWEEN 1 AND 200),
	ballot_min_share smallint NOT NULL DEFAULT 0
		CHECK (ballot_min_share BETWEEN 0 AND 100),
	ballot_total integer NOT NULL DEFAULT 10
		CHECK (ballot_total BETWEEN 1 AND 1000000),
	ballot_per_project integer NOT NULL DEFAULT 10
		CHECK (ballot_per_project BETWEEN 1 AND 1000000),
	-- The outcome rule, the one shown beside it, and their options.
	outcome text NOT NULL DEFAULT 'mes-add1' CHECK (outcome IN ('greedy',
		'greedy-no-skip', 'greedy-score', 'mes', 'mes-add1')),
	compare text NOT NULL DEFAULT 'greedy' CHECK (compare IN ('greedy',
		'greedy-no-skip', 'greedy-score', 'mes', 'mes-add1')),
	utility text NOT NULL DEFAULT 'cost'
		CHECK (utility IN ('cost', 'card')),
	tie text NOT NULL DEFAULT 'id' CHECK (tie IN ('id', 'cost,votes,id')),
	min_votes integer NOT NULL DEFAULT 0
		CHECK (min_votes BETWEEN 0 AND 100000000),
	election_id uuid, -- the vote, once created
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (collectivity_id, id),
	UNIQUE (collectivity_id, process_id),
	FOREIGN KEY (collectivity_id, process_id)
		REFERENCES app.processes (collectivity_id, id),
	FOREIGN KEY (collectivity_id, election_id)
		REFERENCES app.elections (collectivity_id, id),
	CHECK (ballot_min <= ballot_max),
	CHECK (ballot_per_project <= ballot_total)
);
GRANT SELECT, INSERT, UPDATE (title, description, amount,
	districts_per_voter, ballot_kind, ballot_min, ballot_max,
	ballot_min_share, ballot_total, ballot_per_project, outcome, compare,
	utility, tie, min_votes, election_id, updated_at)
	ON app.budgets TO participe_app;

-- A district: its own amount; a voter votes in districts_per_voter of
-- them at most. A budget without districts is one pool of its amount.
CREATE TABLE app.budget_districts (
	collectivity_id uuid NOT NULL,
	budget_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	number integer NOT NULL CHECK (number BETWEEN 1 AND 20),
	name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	amount bigint NOT NULL CHECK (amount BETWEEN 1 AND 1000000000000000),
	area_id uuid,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (collectivity_id, id),
	UNIQUE (collectivity_id, budget_id, number),
	UNIQUE (collectivity_id, budget_id, name),
	FOREIGN KEY (collectivity_id, budget_id)
		REFERENCES app.budgets (collectivity_id, id),
	FOREIGN KEY (collectivity_id, area_id)
		REFERENCES app.areas (collectivity_id, id)
);
GRANT SELECT, INSERT, UPDATE (name, amount, area_id), DELETE
	ON app.budget_districts TO participe_app;

-- A project. number (from 1 in a budget) names it on the ballot ("p12");
-- the reviewed cost, when set, replaces the submitted one. Only feasible
-- projects are on the ballot.
CREATE TABLE app.budget_projects (
	collectivity_id uuid NOT NULL,
	budget_id uuid NOT NULL,
	id uuid NOT NULL DEFAULT gen_random_uuid(),
	number integer NOT NULL CHECK (number BETWEEN 1 AND 100000),
	district_id uuid,
	title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
	description text NOT NULL DEFAULT ''
		CHECK (length(description) <= 20000),
	cost bigint NOT NULL CHECK (cost BETWEEN 1 AND 1000000000000000),
	feasibility text NOT NULL DEFAULT 'pending'
		CHECK (feasibility IN ('pending', 'feasible', 'unfeasible')),
	reviewed_cost bigint
		CHECK (reviewed_cost BETWEEN 1 AND 1000000000000000),
	unfeasible_reason text CHECK (length(unfeasible_reason) <= 2000),
	proposal_id uuid,
	reviewed_at timestamptz,
	reviewed_by uuid,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (collectivity_id, id),
	UNIQUE (collectivity_id, budget_id, number),
	FOREIGN KEY (collectivity_id, budget_id)
		REFERENCES app.budgets (collectivity_id, id),
	FOREIGN KEY (collectivity_id, district_id)
		REFERENCES app.budget_districts (collectivity_id, id),
	FOREIGN KEY (collectivity_id, proposal_id)
		REFERENCES app.proposals (collectivity_id, id),
	CHECK ((feasibility = 'unfeasible') = (unfeasible_reason IS NOT NULL))
);
CREATE UNIQUE INDEX budget_projects_proposal_key
	ON app.budget_projects (collectivity_id, budget_id, proposal_id)
	WHERE proposal_id IS NOT NULL;
GRANT SELECT, INSERT, UPDATE (district_id, title, description, cost,
	feasibility, reviewed_cost, unfeasible_reason, reviewed_at,
	reviewed_by, updated_at), DELETE
	ON app.budget_projects TO participe_app;

-- A budget's vote: its questions come from the budget, not from a body.
ALTER TABLE app.elections ADD COLUMN budget_id uuid;
ALTER TABLE app.elections ADD FOREIGN KEY (collectivity_id, budget_id)
	REFERENCES app.budgets (collectivity_id, id);

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['budgets', 'budget_districts',
		'budget_projects']
	LOOP
		EXECUTE format('ALTER TABLE app.%I ENABLE ROW LEVEL SECURITY', t);
		EXECUTE format('ALTER TABLE app.%I FORCE ROW LEVEL SECURITY', t);
		EXECUTE format('CREATE POLICY tenant ON app.%I USING '
			'(collectivity_id = app.current_collectivity())', t);
	END LOOP;
END
$$;
