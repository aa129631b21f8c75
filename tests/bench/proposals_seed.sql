-- tests/bench/proposals_seed.sql - the data set of tests/bench/proposals.sh,
-- run as participe_owner on a freshly migrated database of its own:
--   psql -v proposals=10000 -v accounts=2000 -v per_account=50 \
--        -v thread=5000 -v others=10000 -f tests/bench/proposals_seed.sql
-- One collectivity (bench-proposals), one published process whose
-- proposals phase is current, :proposals published proposals (French
-- titles and bodies from a small vocabulary, for full-text search),
-- :accounts accounts each supporting :per_account distinct proposals
-- chosen unevenly, :others comments spread unevenly over the proposals
-- and one proposal (the most supported) with a thread of :thread comments
-- of depths 1-3, sort_key built by api.comment_key as api.comment_create
-- does. Everything is drawn first into temporary tables, so the
-- proposals are inserted once with their supports and comments counters
-- counted from the rows that follow (an UPDATE would recompute every
-- generated search vector and leave 10000 dead rows). Tenant tables force
-- row level security, so everything happens in one transaction with
-- app.collectivity_id set. The draws are seeded (setseed) but ids are
-- random: runs differ in detail, not in shape.
\set ON_ERROR_STOP on
BEGIN;
SELECT setseed(0.2026);

INSERT INTO app.collectivities (slug, name, kind)
VALUES ('bench-proposals', 'Banc d''essai des propositions', 'commune');
SELECT set_config('app.collectivity_id', (SELECT id::text
	FROM app.collectivities WHERE slug = 'bench-proposals'), true);

INSERT INTO app.accounts (email, display_name, email_verified_at)
SELECT 'bench-prop-' || i || '@example.org', 'Participant ' || i, now()
FROM generate_series(1, :accounts) i;

CREATE TEMP TABLE acc ON COMMIT DROP AS
SELECT id, substring(email FROM '[0-9]+')::int AS n
FROM app.accounts WHERE email LIKE 'bench-prop-%';
CREATE INDEX ON acc (n);
ANALYZE acc;

INSERT INTO app.members (collectivity_id, account_id, verified_at,
	verified_method)
SELECT app.current_collectivity(), id, now(), 'manual' FROM acc;

INSERT INTO app.processes (collectivity_id, id, title, description, status,
	rules, categories, published_at)
VALUES (app.current_collectivity(), 'be4c0000-0000-4000-8000-000000000001',
	'Budget participatif 2026', 'Proposez, soutenez, commentez.',
	'published', '{}', '[{"slug": "mobilite", "name": "Mobilité"},
		{"slug": "nature", "name": "Nature en ville"},
		{"slug": "sport", "name": "Sport et loisirs"},
		{"slug": "culture", "name": "Culture"},
		{"slug": "solidarite", "name": "Solidarité"}]',
	now() - interval '90 days');
INSERT INTO app.process_phases (collectivity_id, process_id, kind,
	starts_at, ends_at)
VALUES (app.current_collectivity(), 'be4c0000-0000-4000-8000-000000000001',
	'information', now() - interval '90 days', now() - interval '60 days'),
	(app.current_collectivity(), 'be4c0000-0000-4000-8000-000000000001',
	'proposals', now() - interval '60 days', now() + interval '30 days');

-- Titles: action + object + place; bodies: four sentences out of twenty.
-- "jardin" is in one object out of sixteen and in two sentences out of
-- twenty: about a third of the proposals match q=jardin; "kiosque" is in
-- one proposal in a thousand.
CREATE TEMP TABLE vocab ON COMMIT DROP AS SELECT
	ARRAY['Créer', 'Installer', 'Rénover', 'Aménager', 'Ouvrir',
		'Sécuriser', 'Agrandir', 'Végétaliser', 'Réparer', 'Déplacer',
		'Éclairer', 'Entretenir'] AS verbs,
	ARRAY['une piste cyclable', 'des bancs', 'un jardin partagé',
		'des arbres fruitiers', 'un parking à vélos', 'une aire de jeux',
		'des toilettes publiques', 'une fontaine', 'un terrain de sport',
		'une boîte à livres', 'des poubelles de tri', 'un éclairage solaire',
		'un marché de producteurs', 'une zone piétonne',
		'des ralentisseurs', 'un abri pour les bus'] AS objects,
	ARRAY['près de l''école', 'au centre-bourg', 'dans le quartier des Prés',
		'le long de la rivière', 'sur la place du Marché', 'à la gare',
		'devant la mairie', 'au parc municipal', 'rue Victor-Hugo',
		'au stade', 'derrière la médiathèque', 'au lotissement des Tilleuls']
		AS places,
	ARRAY['Les familles du quartier le demandent depuis longtemps.',
		'Les enfants pourraient y aller à pied en toute sécurité.',
		'Un jardin de ce type existe déjà dans la commune voisine.',
		'Les personnes âgées manquent d''endroits pour se reposer.',
		'Le coût resterait modeste si les habitants participent.',
		'La circulation des voitures y est trop rapide aux heures de pointe.',
		'Les cyclistes n''ont aucun endroit pour garer leur vélo.',
		'Des bénévoles de l''association sont prêts à entretenir le jardin.',
		'Le lieu est sombre le soir et les riverains ne s''y sentent pas bien.',
		'Cela rendrait le centre plus vivant le week-end.',
		'Les commerçants y sont favorables.',
		'Les écoles pourraient l''utiliser pour des sorties pédagogiques.',
		'L''été, la chaleur y est difficile à supporter sans ombre.',
		'Le projet pourrait être réalisé en une saison.',
		'Il faudrait consulter les riverains avant les travaux.',
		'Les jeunes n''ont pas de lieu pour se retrouver.',
		'La biodiversité y gagnerait beaucoup.',
		'Les déchets s''accumulent après le marché du samedi.',
		'Une signalisation claire éviterait bien des accidents.',
		'Le conseil de quartier a déjà voté un avis favorable.'] AS sentences;

-- rank: the proposal's place in the popularity draw below (1 = most
-- supported); its position in time is independent of it.
CREATE TEMP TABLE tp ON COMMIT DROP AS
SELECT gen_random_uuid() AS id, i AS rank,
	(SELECT id FROM acc WHERE acc.n = 1 + (i * 7919) % :accounts) AS author_id,
	v.verbs[1 + floor(random() * 12)::int] || ' '
		|| v.objects[1 + floor(random() * 16)::int] || ' '
		|| v.places[1 + floor(random() * 12)::int] AS title,
	v.sentences[1 + floor(random() * 20)::int] || ' '
		|| v.sentences[1 + floor(random() * 20)::int] || ' '
		|| v.sentences[1 + floor(random() * 20)::int] || ' '
		|| v.sentences[1 + floor(random() * 20)::int]
		-- a rare word, for a search that walks the whole process
		|| CASE WHEN i % 1000 = 0 THEN ' Un kiosque à musique compléterait '
			'l''ensemble.' ELSE '' END AS body,
	(ARRAY['mobilite', 'nature', 'sport', 'culture',
		'solidarite'])[1 + floor(random() * 5)::int] AS category,
	(1000 + floor(random() * 5000000))::bigint AS cost, t
FROM vocab v, (SELECT i, now() - random() * interval '59 days' AS t
	FROM generate_series(1, :proposals) i) pt;
CREATE UNIQUE INDEX ON tp (rank);
CREATE UNIQUE INDEX ON tp (id);
ANALYZE tp;

-- Supports: each account takes its first :per_account distinct proposals
-- out of 2 * :per_account candidates drawn with a skew (rank = 1 +
-- proposals * random()^2.5), so a few proposals get most supports and
-- many get none.
CREATE TEMP TABLE ts ON COMMIT DROP AS
SELECT p.id AS proposal_id, k.account_id,
	p.t + random() * (now() - p.t) AS t
FROM (SELECT account_id, rank,
		row_number() OVER (PARTITION BY account_id ORDER BY g) AS n
	FROM (SELECT DISTINCT ON (account_id, rank) account_id, rank, g
		FROM (SELECT a.id AS account_id, g,
				1 + floor(:proposals * power(random(), 2.5))::int AS rank
			FROM acc a, generate_series(1, :per_account * 2) g) c
		ORDER BY account_id, rank, g) d) k
JOIN tp p ON p.rank = k.rank
WHERE k.n <= :per_account;

-- Comments: :others at depth 1 spread unevenly over the proposals but the
-- first, then the long thread on the most supported one (rank 1): a fifth
-- of :thread at depth 1, two fifths replying to them, two fifths replying
-- to those. A reply comes after its parent; a key is
-- api.comment_key(created_at, id), prefixed for a reply with its
-- parent's key and '/', as api.comment_create builds it.
CREATE TEMP TABLE tc (id uuid, proposal_id uuid, parent_id uuid,
	depth smallint, sort_key text, author_id uuid, stance text, body text,
	t timestamptz) ON COMMIT DROP;

INSERT INTO tc
SELECT c.id, p.id, NULL, 1, api.comment_key(c.t, c.id), c.author_id,
	c.stance, c.body, c.t
FROM (SELECT gen_random_uuid() AS id,
		2 + floor((:proposals - 1) * power(random(), 2))::int AS rank,
		(SELECT id FROM acc WHERE acc.n = 1 + (g * 104729) % :accounts)
			AS author_id,
		(ARRAY['for', 'against', 'neutral'])[1 + floor(random() * 3)::int]
			AS stance,
		(SELECT v.sentences[1 + floor(random() * 20)::int] || ' '
			|| v.sentences[1 + floor(random() * 20)::int] FROM vocab v
			WHERE g > 0) AS body,
		random() AS f
	FROM generate_series(1, :others) g) c0
JOIN tp p ON p.rank = least(c0.rank, :proposals),
	LATERAL (SELECT c0.id, c0.author_id, c0.stance, c0.body,
		p.t + c0.f * (now() - p.t) AS t) c;

-- n numbers each level's comments, to pick parents and authors.
CREATE TEMP TABLE tn (n int, depth int, id uuid, parent_id uuid,
	sort_key text, t timestamptz) ON COMMIT DROP;
CREATE INDEX ON tn (depth, n);
INSERT INTO tn
SELECT g, 1, c.id, NULL, api.comment_key(c.t, c.id), c.t
FROM tp p, generate_series(1, :thread / 5) g,
	LATERAL (SELECT gen_random_uuid() AS id,
		p.t + random() * (now() - p.t) AS t WHERE g > 0) c
WHERE p.rank = 1;
ANALYZE tn;
INSERT INTO tn
SELECT g, 2, c.id, par.id,
	par.sort_key || '/' || api.comment_key(c.t, c.id), c.t
FROM generate_series(1, 2 * :thread / 5) g
JOIN tn par ON par.depth = 1 AND par.n = 1 + (g * 7919) % (:thread / 5),
	LATERAL (SELECT gen_random_uuid() AS id,
		par.t + random() * (now() - par.t) AS t WHERE g > 0) c;
ANALYZE tn;
INSERT INTO tn
SELECT g, 3, c.id, par.id,
	par.sort_key || '/' || api.comment_key(c.t, c.id), c.t
FROM generate_series(1, :thread - :thread / 5 - 2 * :thread / 5) g
JOIN tn par ON par.depth = 2 AND par.n = 1 + (g * 7919) % (2 * :thread / 5),
	LATERAL (SELECT gen_random_uuid() AS id,
		par.t + random() * (now() - par.t) AS t WHERE g > 0) c;

INSERT INTO tc
SELECT c.id, p.id, c.parent_id, c.depth, c.sort_key,
	(SELECT id FROM acc WHERE acc.n = 1 + (c.n * 31 + c.depth) % :accounts),
	(ARRAY['for', 'against', 'neutral'])[1 + c.n % 3],
	(ARRAY['Avis', 'Réponse', 'Réponse à la réponse'])[c.depth] || ' '
		|| c.n || ' : ' || v.sentences[1 + (c.n + c.depth) % 20], c.t
FROM tn c, tp p, vocab v
WHERE p.rank = 1;
ANALYZE ts;
ANALYZE tc;

INSERT INTO app.proposals (collectivity_id, id, process_id, author_id, title,
	body, search, category, estimated_cost, state, supports, comments,
	created_at, published_at, updated_at)
SELECT app.current_collectivity(), p.id,
	'be4c0000-0000-4000-8000-000000000001', p.author_id, p.title, p.body,
	api.proposal_search(p.title, p.body), p.category, p.cost, 'published',
	coalesce(s.n, 0), coalesce(c.n, 0), p.t - interval '1 hour', p.t, p.t
FROM tp p
LEFT JOIN (SELECT proposal_id, count(*) AS n FROM ts GROUP BY 1) s
	ON s.proposal_id = p.id
LEFT JOIN (SELECT proposal_id, count(*) AS n FROM tc GROUP BY 1) c
	ON c.proposal_id = p.id;

INSERT INTO app.supports (collectivity_id, proposal_id, process_id,
	account_id, created_at)
SELECT app.current_collectivity(), proposal_id,
	'be4c0000-0000-4000-8000-000000000001', account_id, t
FROM ts;

-- Parents before their replies (foreign key).
INSERT INTO app.comments (collectivity_id, id, process_id, proposal_id,
	parent_id, depth, sort_key, author_id, stance, body, created_at)
SELECT app.current_collectivity(), id,
	'be4c0000-0000-4000-8000-000000000001', proposal_id, parent_id, depth,
	sort_key, author_id, stance, body, t
FROM tc ORDER BY depth;
COMMIT;
