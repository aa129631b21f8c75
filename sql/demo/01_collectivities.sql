-- Demo data: a small territory (fictional names, plausible shapes): a
-- département, an EPCI in it, and three of its communes.
INSERT INTO app.collectivities (slug, name, kind) VALUES
	('val-de-lys', 'Communauté de communes du Val de Lys', 'epci'),
	('saint-amand-sur-lys', 'Saint-Amand-sur-Lys', 'commune'),
	('bourg-en-lys', 'Bourg-en-Lys', 'commune'),
	('les-essarts-du-lys', 'Les Essarts-du-Lys', 'commune'),
	('departement-demo', 'Département de démonstration', 'departement')
ON CONFLICT (slug) DO NOTHING;

UPDATE app.collectivities SET insee_code = '01', cog_year = 2025,
	siren = '220019996', population = 652432, has_qpv = true,
	joined_on = '2024-09-01'
WHERE slug = 'departement-demo' AND siren IS NULL;

UPDATE app.collectivities SET siren = '200042174', population = 31250,
	has_qpv = false, joined_on = '2025-01-15',
	departement_id = (SELECT id FROM app.collectivities
		WHERE slug = 'departement-demo')
WHERE slug = 'val-de-lys' AND siren IS NULL;

UPDATE app.collectivities c SET insee_code = v.code, cog_year = 2025,
	siren = v.siren, population = v.pop, density_class = v.density,
	has_qpv = v.qpv, joined_on = v.joined::date,
	epci_id = (SELECT id FROM app.collectivities WHERE slug = 'val-de-lys'),
	departement_id = (SELECT id FROM app.collectivities
		WHERE slug = 'departement-demo')
FROM (VALUES
	('bourg-en-lys', '01901', '210199998', 8421, 3, true, '2025-01-15'),
	('saint-amand-sur-lys', '01902', '210199980', 2310, 5, false,
		'2025-06-01'),
	('les-essarts-du-lys', '01903', '210199972', 640, 6, false,
		'2026-02-01')
) AS v (slug, code, siren, pop, density, qpv, joined)
WHERE c.slug = v.slug AND c.siren IS NULL;

-- Bourg-en-Lys verifies by code, roll and manual approval, from age 16.
UPDATE app.collectivities SET verify_roll = true
WHERE slug = 'bourg-en-lys';
