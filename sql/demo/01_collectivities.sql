-- Demo data: a small territory (fictional names, plausible shapes).
INSERT INTO app.collectivities (slug, name, kind) VALUES
	('val-de-lys', 'Communauté de communes du Val de Lys', 'epci'),
	('saint-amand-sur-lys', 'Saint-Amand-sur-Lys', 'commune'),
	('bourg-en-lys', 'Bourg-en-Lys', 'commune'),
	('les-essarts-du-lys', 'Les Essarts-du-Lys', 'commune'),
	('departement-demo', 'Département de démonstration', 'departement')
ON CONFLICT (slug) DO NOTHING;
