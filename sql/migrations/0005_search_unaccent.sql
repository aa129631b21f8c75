-- 0005_search_unaccent: full-text search that ignores accents, so that
-- "ecole" finds "école" (people often type without them). A French
-- configuration with unaccent before the French stemmer; proposals'
-- search vectors are rebuilt with it (api.proposal_search).
--
-- unaccent is a trusted extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA app;

CREATE TEXT SEARCH CONFIGURATION app.french_unaccent (COPY = pg_catalog.french);
ALTER TEXT SEARCH CONFIGURATION app.french_unaccent
	ALTER MAPPING FOR hword, hword_part, word WITH app.unaccent, french_stem;

-- Rebuild the vectors of existing proposals, one collectivity at a time
-- (row-level security is forced, for the owner too).
DO $$
DECLARE
	c uuid;
BEGIN
	FOR c IN SELECT id FROM app.collectivities LOOP
		PERFORM set_config('app.collectivity_id', c::text, true);
		UPDATE app.proposals SET search =
			setweight(to_tsvector('app.french_unaccent', title), 'A') ||
			setweight(to_tsvector('app.french_unaccent', body), 'B')
		WHERE collectivity_id = c;
	END LOOP;
	PERFORM set_config('app.collectivity_id', '', true);
END
$$;
