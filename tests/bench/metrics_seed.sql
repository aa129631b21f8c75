-- tests/bench/metrics.sh: 1,000 collectivities (100 départements, 900
-- communes and EPCI in them), 200 member accounts each, and 10 million
-- participation acts over the last 12 months, loaded in bulk with
-- triggers off (session_replication_role = replica); the counters are
-- then counted set-based (tests/bench/metrics_counters.sql), as the triggers would
-- have kept them. :acts_scale scales the acts (1.0: 10 million).
SET session_replication_role = replica;
SET synchronous_commit = off;

INSERT INTO app.collectivities (slug, name, kind, insee_code, population,
	density_class, has_qpv, joined_on)
SELECT 'dep-' || i, 'Département ' || i, 'departement',
	CASE WHEN i < 100 THEN lpad(i::text, 2, '0') ELSE i::text END,
	200000 + i * 997,
	1 + i % 7, i % 3 = 0, date '2024-01-01' + (i % 3) * 365
FROM generate_series(1, 100) i;
INSERT INTO app.collectivities (slug, name, kind, population, density_class,
	has_qpv, joined_on, departement_id)
SELECT 'col-' || i, 'Collectivité ' || i,
	CASE WHEN i % 10 = 0 THEN 'epci' ELSE 'commune' END,
	500 + (i * 7919) % 90000, 1 + i % 7, i % 4 = 0,
	date '2024-01-01' + (i % 3) * 365,
	(SELECT id FROM app.collectivities WHERE slug = 'dep-' || (1 + i % 100))
FROM generate_series(1, 900) i;

CREATE TEMP TABLE bc AS
SELECT id, row_number() OVER (ORDER BY slug) AS n FROM app.collectivities
WHERE slug ~ '^(dep|col)-';

INSERT INTO app.accounts (id, email, display_name)
SELECT md5('a' || bc.n || '-' || j)::uuid,
	'u' || bc.n || '-' || j || '@bench.example', 'U' || j
FROM bc, generate_series(1, 200) j;
INSERT INTO app.members (collectivity_id, account_id, joined_at, verified_at,
	verified_method)
SELECT bc.id, md5('a' || bc.n || '-' || j)::uuid,
	now() - ((j * 37 + bc.n) % 700) * interval '1 day',
	CASE WHEN j % 2 = 0 THEN now() - ((j * 37 + bc.n) % 600)
		* interval '1 day' END,
	CASE WHEN j % 2 = 0 THEN 'code' END
FROM bc, generate_series(1, 200) j;

INSERT INTO app.processes (collectivity_id, id, title, status, published_at)
SELECT bc.id, md5('p' || bc.n || '-' || k)::uuid, 'Process ' || k,
	'published', now() - interval '1 year'
FROM bc, generate_series(1, 5) k;
INSERT INTO app.process_phases (collectivity_id, process_id, kind,
	starts_at, ends_at)
SELECT bc.id, md5('p' || bc.n || '-' || k)::uuid, ph.kind,
	now() - (k * 60 - ph.o) * interval '1 day',
	now() - (k * 60 - ph.o - 30) * interval '1 day'
FROM bc, generate_series(1, 5) k,
	(VALUES ('proposals', 0), ('vote', 30)) AS ph (kind, o);

INSERT INTO app.consultations (collectivity_id, id, process_id, phase, title,
	questions)
SELECT bc.id, md5('q' || bc.n || '-' || k)::uuid,
	md5('p' || bc.n || '-' || k)::uuid, 'proposals', 'Consultation', '[]'
FROM bc, generate_series(1, 5) k;

-- 20 proposals each: 20,000 acts; a third answered
INSERT INTO app.proposals (collectivity_id, id, process_id, author_id, title,
	body, state, published_at, answered_at, answer, search)
SELECT bc.id, md5('r' || bc.n || '-' || k)::uuid,
	md5('p' || bc.n || '-' || (1 + k % 5))::uuid,
	md5('a' || bc.n || '-' || (1 + k * 7 % 200))::uuid, 'Idée ' || k, 'Texte',
	CASE WHEN k % 3 = 0 THEN 'accepted' ELSE 'published' END,
	now() - ((k * 13 + bc.n) % 360) * interval '1 day',
	CASE WHEN k % 3 = 0 THEN now() - ((k * 13 + bc.n) % 360 - 20)
		* interval '1 day' END,
	CASE WHEN k % 3 = 0 THEN 'Retenu' END, to_tsvector('simple', 'idee')
FROM bc, generate_series(1, 20) k;

-- every member supports every proposal: 4,000,000 acts
INSERT INTO app.supports (collectivity_id, proposal_id, process_id,
	account_id, created_at)
SELECT bc.id, md5('r' || bc.n || '-' || k)::uuid,
	md5('p' || bc.n || '-' || (1 + k % 5))::uuid,
	md5('a' || bc.n || '-' || j)::uuid,
	now() - ((j * 11 + k * 3 + bc.n) % 365) * interval '1 day'
FROM bc, generate_series(1, 20) k, generate_series(1, 200) j
WHERE random() < :acts_scale;

-- 5,000 comments each: 5,000,000 acts
INSERT INTO app.comments (collectivity_id, process_id, proposal_id, depth,
	sort_key, author_id, body, created_at)
SELECT bc.id, md5('p' || bc.n || '-' || (1 + c % 5))::uuid,
	md5('r' || bc.n || '-' || (1 + c % 20))::uuid, 1, lpad(c::text, 5, '0'),
	md5('a' || bc.n || '-' || (1 + (c * 31) % 200))::uuid, 'Avis',
	now() - ((c * 17 + bc.n) % 365) * interval '1 day'
FROM bc, generate_series(1, 5000) c
WHERE random() < :acts_scale;

-- every member answers every consultation: 1,000,000 acts
INSERT INTO app.consultation_participants (collectivity_id, consultation_id,
	account_id)
SELECT bc.id, md5('q' || bc.n || '-' || k)::uuid,
	md5('a' || bc.n || '-' || j)::uuid
FROM bc, generate_series(1, 5) k, generate_series(1, 200) j
WHERE random() < :acts_scale;
INSERT INTO app.responses (collectivity_id, consultation_id, account_id,
	answers, submitted_at)
SELECT collectivity_id, consultation_id, account_id, '{}',
	now() - ((abs(hashtext(account_id::text)) + k) % 365) * interval '1 day'
FROM (SELECT p.*, row_number() OVER () AS k
	FROM app.consultation_participants p
	JOIN bc ON bc.id = p.collectivity_id) x;

SET session_replication_role = origin;
ANALYZE;
