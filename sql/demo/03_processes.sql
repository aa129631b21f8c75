-- Demo process of Bourg-en-Lys with an open consultation. Dates are set
-- relative to the day the demo is loaded, so the consultation is open for
-- the next two weeks whenever make run is started.
SELECT set_config('app.collectivity_id',
	(SELECT id::text FROM app.collectivities WHERE slug = 'bourg-en-lys'),
	true);

INSERT INTO app.areas (collectivity_id, slug, name) VALUES
	(app.current_collectivity(), 'centre', 'Centre-bourg'),
	(app.current_collectivity(), 'les-pres', 'Quartier des Prés')
ON CONFLICT DO NOTHING;

INSERT INTO app.processes (collectivity_id, id, area_id, title, description,
	status, rules, published_at)
SELECT app.current_collectivity(), 'd3a0c0de-0000-4000-8000-000000000001',
	a.id, 'Réaménager la place du Marché',
	'La commune réaménage la place du Marché en 2027. Dites-nous comment '
	'vous l''utilisez et ce que vous en attendez.', 'published',
	'{"answer": {"who": "verified", "min_age": 16}}', now()
FROM app.areas a
WHERE a.collectivity_id = app.current_collectivity() AND a.slug = 'centre'
ON CONFLICT DO NOTHING;

-- Phases: information until now, consultation ("proposals") for two weeks.
DELETE FROM app.process_phases
WHERE collectivity_id = app.current_collectivity()
  AND process_id = 'd3a0c0de-0000-4000-8000-000000000001';
INSERT INTO app.process_phases (collectivity_id, process_id, kind,
	starts_at, ends_at)
VALUES
	(app.current_collectivity(), 'd3a0c0de-0000-4000-8000-000000000001',
	 'information', date_trunc('day', now()) - interval '14 days',
	 date_trunc('day', now())),
	(app.current_collectivity(), 'd3a0c0de-0000-4000-8000-000000000001',
	 'proposals', date_trunc('day', now()),
	 date_trunc('day', now()) + interval '14 days'),
	(app.current_collectivity(), 'd3a0c0de-0000-4000-8000-000000000001',
	 'results', date_trunc('day', now()) + interval '21 days',
	 date_trunc('day', now()) + interval '60 days');

INSERT INTO app.consultations (collectivity_id, id, process_id, phase,
	title, description, questions, allow_changes, anonymous)
VALUES (app.current_collectivity(), 'd3a0c0de-0000-4000-8000-000000000002',
	'd3a0c0de-0000-4000-8000-000000000001', 'proposals',
	'Vous et la place du Marché',
	'Cinq minutes pour nous aider à préparer le projet.',
	'[{"id": "frequence", "type": "single_choice", "required": true,
	   "title": "À quelle fréquence venez-vous sur la place ?",
	   "options": [{"id": "jamais", "label": "Jamais"},
	               {"id": "mois", "label": "Quelques fois par mois"},
	               {"id": "semaine", "label": "Chaque semaine"}]},
	  {"id": "usages", "type": "multiple_choice",
	   "title": "Pour quoi faire ?", "max_selections": 3,
	   "show_if": {"question": "frequence", "equals": "semaine"},
	   "options": [{"id": "marche", "label": "Le marché"},
	               {"id": "commerces", "label": "Les commerces"},
	               {"id": "jeux", "label": "Les jeux d''enfants"},
	               {"id": "stationner", "label": "Stationner"}]},
	  {"id": "priorites", "type": "ranking",
	   "title": "Classez ces priorités",
	   "options": [{"id": "ombre", "label": "De l''ombre et des arbres"},
	               {"id": "assises", "label": "Des bancs"},
	               {"id": "pietons", "label": "Plus de place aux piétons"}]},
	  {"id": "satisfaction", "type": "scale", "min": 1, "max": 5,
	   "title": "La place aujourd''hui vous plaît-elle ?",
	   "min_label": "Pas du tout", "max_label": "Beaucoup"},
	  {"id": "idee", "type": "long_text", "max_length": 2000,
	   "title": "Une idée pour la place ?"}]',
	true, false)
ON CONFLICT DO NOTHING;
