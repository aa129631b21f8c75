-- Budgets' SQL side: the tenant guard on their tables, the ballot rule of
-- a district (bounds cut to the projects, knapsack's minimum rounded up),
-- and the project option ids, which compare as strings in number order.
BEGIN;
SELECT plan(9);

SELECT ok((SELECT bool_and(c.relrowsecurity AND c.relforcerowsecurity)
	FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE n.nspname = 'app' AND c.relname IN ('budgets',
		'budget_districts', 'budget_projects')),
	'row-level security is enabled and forced on the budget tables');
SELECT is((SELECT count(*)::int FROM pg_policies WHERE schemaname = 'app'
	AND tablename IN ('budgets', 'budget_districts', 'budget_projects')
	AND policyname = 'tenant'), 3, 'each budget table has the tenant policy');

SELECT is(api.project_option(7), 'p000007', 'option id of project 7');
SELECT ok(api.project_option(9) < api.project_option(10),
	'option ids compare as strings in number order');

CREATE TEMP TABLE b AS SELECT (NULL::app.budgets).* WITH NO DATA;
INSERT INTO b (ballot_kind, ballot_min, ballot_max, ballot_min_share,
	ballot_total, ballot_per_project)
VALUES ('approval', 2, 5, 0, 10, 3);

SELECT is(api.budget_rule(ROW(b.*)::app.budgets, 1000, 3),
	'{"kind": "approval", "max": 3, "min": 2}'::jsonb,
	'approval: max cut to the 3 projects') FROM b;
UPDATE b SET ballot_min = 4;
SELECT is(api.budget_rule(ROW(b.*)::app.budgets, 1000, 3),
	'{"kind": "approval", "max": 3, "min": 3}'::jsonb,
	'approval: min cut to the 3 projects too') FROM b;
UPDATE b SET ballot_kind = 'ranking', ballot_min = 0;
SELECT is(api.budget_rule(ROW(b.*)::app.budgets, 1000, 3)->'min', '1'::jsonb,
	'ranking: at least one project') FROM b;
UPDATE b SET ballot_kind = 'knapsack', ballot_min_share = 30;
SELECT is(api.budget_rule(ROW(b.*)::app.budgets, 1001, 3),
	'{"kind": "knapsack", "max_cost": 1001, "min_cost": 301}'::jsonb,
	'knapsack: the district''s amount, 30 % of it rounded up') FROM b;
UPDATE b SET ballot_kind = 'cumulative';
SELECT is(api.budget_rule(ROW(b.*)::app.budgets, 1000, 3),
	'{"kind": "cumulative", "total": 10, "max_per_option": 3}'::jsonb,
	'cumulative: total and most on one project') FROM b;

SELECT * FROM finish();
ROLLBACK;
