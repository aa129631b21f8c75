-- Demo people of Bourg-en-Lys (passwords printed by make run; the hashes
-- are Argon2id with libsodium's interactive cost, the server's default):
--   admin@bourg-en-lys.example      demo-admin-2026       admin
--   moderateur@bourg-en-lys.example demo-moderateur-2026  moderator
--   camille@example.org, jules@example.org, ines@example.org
--                                   demo-resident-2026    verified residents
-- Inès is also a member of the EPCI (a person can belong to several).
INSERT INTO app.accounts (email, display_name, password_hash,
	email_verified_at, birth_date) VALUES
	('admin@bourg-en-lys.example', 'Amélie Durand (mairie)',
	 '$argon2id$v=19$m=65536,t=2,p=1$MqDx3jZvn4rcMnmZl1zSmw$nUySk6tUaluwvomGvmLCg4GB+LaQjZUFTXaCfaal6no',
	 now(), '1978-04-02'),
	('moderateur@bourg-en-lys.example', 'Marc Lefèvre (élu)',
	 '$argon2id$v=19$m=65536,t=2,p=1$oYMCfgDnVfX0wfEdGjBHqg$Ecn/KihVy430PQ6EySBhppchjJAK2C9IgurIkdd5tqQ',
	 now(), '1969-11-23'),
	('camille@example.org', 'Camille',
	 '$argon2id$v=19$m=65536,t=2,p=1$KJjZWGikQNq5sIZbQcwnHA$9OBRXoHXNf7e0wpabbLp8AI/7To5iXomuXxju318GLo',
	 now(), '1991-06-14'),
	('jules@example.org', 'Jules',
	 '$argon2id$v=19$m=65536,t=2,p=1$KJjZWGikQNq5sIZbQcwnHA$9OBRXoHXNf7e0wpabbLp8AI/7To5iXomuXxju318GLo',
	 now(), '2004-01-30'),
	('ines@example.org', 'Inès',
	 '$argon2id$v=19$m=65536,t=2,p=1$KJjZWGikQNq5sIZbQcwnHA$9OBRXoHXNf7e0wpabbLp8AI/7To5iXomuXxju318GLo',
	 now(), '1985-09-08')
ON CONFLICT (lower(email)) DO NOTHING;

SELECT set_config('app.collectivity_id',
	(SELECT id::text FROM app.collectivities WHERE slug = 'bourg-en-lys'),
	true);

INSERT INTO app.members (collectivity_id, account_id, verified_at,
	verified_method)
SELECT app.current_collectivity(), a.id, now(), 'manual'
FROM app.accounts a
WHERE a.email IN ('admin@bourg-en-lys.example',
	'moderateur@bourg-en-lys.example', 'camille@example.org',
	'jules@example.org', 'ines@example.org')
ON CONFLICT DO NOTHING;

INSERT INTO app.role_grants (collectivity_id, account_id, role)
SELECT app.current_collectivity(), a.id, v.role
FROM (VALUES ('admin@bourg-en-lys.example', 'admin'),
	('moderateur@bourg-en-lys.example', 'moderator')) AS v (email, role)
JOIN app.accounts a ON a.email = v.email
ON CONFLICT DO NOTHING;

INSERT INTO app.audit_log (collectivity_id, action, object_type, object_id,
	reason)
SELECT app.current_collectivity(), 'demo.seed', 'collectivity',
	'bourg-en-lys', 'demo data loaded by participe seed-demo'
WHERE NOT EXISTS (SELECT 1 FROM app.audit_log
	WHERE collectivity_id = app.current_collectivity()
	  AND action = 'demo.seed');

SELECT set_config('app.collectivity_id',
	(SELECT id::text FROM app.collectivities WHERE slug = 'val-de-lys'),
	true);

INSERT INTO app.members (collectivity_id, account_id)
SELECT app.current_collectivity(), a.id FROM app.accounts a
WHERE a.email = 'ines@example.org'
ON CONFLICT DO NOTHING;
