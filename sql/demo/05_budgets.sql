-- Demo participatory budget of Bourg-en-Lys: 150 000 € in two districts,
-- projects reviewed (one unfeasible, one pending), a vote phase of two
-- weeks. Its vote is created and opened through the API (POST
-- .../budgets/{bid}/vote, then .../elections/{eid}/open), which fixes the
-- descriptor with the running server's log key (docs/budgets.md; README
-- "A short tour").
SELECT set_config('app.collectivity_id',
	(SELECT id::text FROM app.collectivities WHERE slug = 'bourg-en-lys'),
	true);

INSERT INTO app.processes (collectivity_id, id, title, description, status,
	rules, published_at)
VALUES (app.current_collectivity(), 'd3a0c0de-0000-4000-8000-000000000020',
	'Budget participatif 2027',
	'150 000 € pour des projets proposés par les habitants : 90 000 € pour '
	'le centre, 60 000 € pour les hameaux.', 'published',
	'{"vote": {"who": "verified", "min_age": 16}}', now())
ON CONFLICT DO NOTHING;

-- The phase moves with the day the demo is loaded, until the vote exists.
DELETE FROM app.process_phases
WHERE collectivity_id = app.current_collectivity()
  AND process_id = 'd3a0c0de-0000-4000-8000-000000000020'
  AND NOT EXISTS (SELECT 1 FROM app.budgets b
	WHERE b.collectivity_id = app.current_collectivity()
	  AND b.id = 'd3a0c0de-0000-4000-8000-000000000021'
	  AND b.election_id IS NOT NULL);
INSERT INTO app.process_phases (collectivity_id, process_id, kind,
	starts_at, ends_at)
VALUES (app.current_collectivity(), 'd3a0c0de-0000-4000-8000-000000000020',
	'vote', date_trunc('day', now()), date_trunc('day', now())
	+ interval '14 days')
ON CONFLICT DO NOTHING;

INSERT INTO app.budgets (collectivity_id, id, process_id, title,
	description, amount, ballot_kind, ballot_min_share)
VALUES (app.current_collectivity(), 'd3a0c0de-0000-4000-8000-000000000021',
	'd3a0c0de-0000-4000-8000-000000000020', 'Budget participatif 2027',
	'Choisissez des projets de votre quartier dans la limite de son '
	'enveloppe. Les projets retenus sont calculés par la méthode des parts '
	'égales : chaque votant dispose de la même part du budget.',
	15000000, 'knapsack', 0)
ON CONFLICT DO NOTHING;

INSERT INTO app.budget_districts (collectivity_id, budget_id, id, number,
	name, amount)
VALUES (app.current_collectivity(), 'd3a0c0de-0000-4000-8000-000000000021',
	'd3a0c0de-0000-4000-8000-000000000022', 1, 'Centre', 9000000),
	(app.current_collectivity(), 'd3a0c0de-0000-4000-8000-000000000021',
	'd3a0c0de-0000-4000-8000-000000000023', 2, 'Hameaux', 6000000)
ON CONFLICT DO NOTHING;

INSERT INTO app.budget_projects (collectivity_id, budget_id, number,
	district_id, title, description, cost, feasibility, reviewed_cost,
	unfeasible_reason, reviewed_at)
SELECT app.current_collectivity(), 'd3a0c0de-0000-4000-8000-000000000021',
	p.number, p.district::uuid, p.title, p.description, p.cost,
	p.feasibility, p.reviewed, p.reason,
	CASE WHEN p.feasibility <> 'pending' THEN now() END
FROM (VALUES
	(1, 'd3a0c0de-0000-4000-8000-000000000022', 'Pistes cyclables rue Neuve',
	 'Une piste protégée de la gare au collège.', 6000000, 'feasible',
	 5500000, NULL),
	(2, 'd3a0c0de-0000-4000-8000-000000000022', 'Bancs et ombre place du Marché',
	 'Dix bancs et six arbres.', 2500000, 'feasible', NULL, NULL),
	(3, 'd3a0c0de-0000-4000-8000-000000000022', 'Boîte à livres',
	 'Trois boîtes à livres en centre-ville.', 300000, 'feasible', NULL, NULL),
	(4, 'd3a0c0de-0000-4000-8000-000000000022', 'Piscine découverte',
	 'Un bassin d''été au parc.', 40000000, 'unfeasible', NULL,
	 'Son coût dépasse l''enveloppe du quartier.'),
	(5, 'd3a0c0de-0000-4000-8000-000000000023', 'Abribus des Granges',
	 'Un abri au point d''arrêt des Granges.', 1800000, 'feasible', NULL, NULL),
	(6, 'd3a0c0de-0000-4000-8000-000000000023', 'Verger partagé',
	 'Vingt fruitiers sur le terrain communal.', 1200000, 'feasible', NULL,
	 NULL),
	(7, 'd3a0c0de-0000-4000-8000-000000000023', 'Éclairage du chemin de halage',
	 'Des bornes solaires sur 800 m.', 4200000, 'feasible', NULL, NULL),
	(8, 'd3a0c0de-0000-4000-8000-000000000023', 'Terrain multisport',
	 'Un city-stade aux Granges.', 5500000, 'pending', NULL, NULL)
) AS p(number, district, title, description, cost, feasibility, reviewed,
	reason)
ON CONFLICT DO NOTHING;
