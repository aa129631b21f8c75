-- Demo vote of Bourg-en-Lys: a process whose vote phase runs for the next
-- two weeks, with a draft election that residents vote in with keys they
-- register themselves. It stays a draft here: opening fixes the
-- descriptor with the running server's log key, so an admin opens it
-- through the API (docs/elections.md; README "A short tour").
SELECT set_config('app.collectivity_id',
	(SELECT id::text FROM app.collectivities WHERE slug = 'bourg-en-lys'),
	true);

INSERT INTO app.processes (collectivity_id, id, title, description, status,
	rules, published_at)
VALUES (app.current_collectivity(), 'd3a0c0de-0000-4000-8000-000000000010',
	'Nommer le nouveau parc',
	'Le parc des anciennes tanneries ouvre au printemps : choisissez son '
	'nom et ses premiers aménagements.', 'published',
	'{"vote": {"who": "verified", "min_age": 16}}', now())
ON CONFLICT DO NOTHING;

-- The phase moves with the day the demo is loaded, until the election is
-- opened (then its times are fixed and the phase is left alone).
DELETE FROM app.process_phases
WHERE collectivity_id = app.current_collectivity()
  AND process_id = 'd3a0c0de-0000-4000-8000-000000000010'
  AND NOT EXISTS (SELECT 1 FROM app.elections e
	WHERE e.collectivity_id = app.current_collectivity()
	  AND e.id = 'd3a0c0de-0000-4000-8000-000000000011'
	  AND e.state <> 'draft');
INSERT INTO app.process_phases (collectivity_id, process_id, kind,
	starts_at, ends_at)
VALUES (app.current_collectivity(), 'd3a0c0de-0000-4000-8000-000000000010',
	'vote', date_trunc('day', now()), date_trunc('day', now())
	+ interval '14 days')
ON CONFLICT DO NOTHING;

INSERT INTO app.elections (collectivity_id, id, process_id, title,
	description, questions, opens_at, closes_at, revote, credential_mode)
VALUES (app.current_collectivity(), 'd3a0c0de-0000-4000-8000-000000000011',
	'd3a0c0de-0000-4000-8000-000000000010', 'Le nom et les jeux du parc',
	'Un vote par résident vérifié ; vous pouvez changer d''avis tant que le '
	'vote est ouvert.',
	'[{"id": "nom", "text": "Quel nom pour le parc ?",
	   "rule": {"kind": "single"},
	   "options": [{"id": "tanneries", "label": "Parc des Tanneries"},
	               {"id": "lys", "label": "Jardin du Lys"},
	               {"id": "simone-veil", "label": "Parc Simone-Veil"}]},
	  {"id": "jeux", "text": "Quels aménagements d''abord ? (deux au plus)",
	   "rule": {"kind": "approval", "min": 1, "max": 2},
	   "options": [{"id": "aire-jeux", "label": "Aire de jeux"},
	               {"id": "potager", "label": "Potager partagé"},
	               {"id": "kiosque", "label": "Kiosque"},
	               {"id": "fontaine", "label": "Fontaine"}]}]',
	date_trunc('day', now()), date_trunc('day', now()) + interval '14 days',
	true, 'registered')
ON CONFLICT DO NOTHING;
