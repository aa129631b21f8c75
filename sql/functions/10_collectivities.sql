-- Collectivities: public list and read; creation and edits by platform
-- admins; verification settings by the collectivity's admins.

-- A date in ISO form (YYYY-MM-DD), or NULL when it is not one.
CREATE OR REPLACE FUNCTION api.try_date(p text)
RETURNS date
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF p IS NULL OR p !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
		RETURN NULL;
	END IF;
	RETURN p::date;
EXCEPTION WHEN others THEN
	RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION api.collectivity_methods(c app.collectivities)
RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT array_remove(ARRAY[
		CASE WHEN c.verify_codes THEN 'code' END,
		CASE WHEN c.verify_roll THEN 'roll' END,
		CASE WHEN c.verify_manual THEN 'manual' END], NULL)
$$;

-- The public fields (the roll key is not one), the parents' slugs given:
-- lists join them in, which costs a third of looking each one up.
CREATE OR REPLACE FUNCTION api.collectivity_fields(c app.collectivities,
	p_epci text, p_departement text)
RETURNS json
LANGUAGE sql IMMUTABLE AS $$
	SELECT json_build_object('slug', c.slug, 'name', c.name,
		'kind', c.kind, 'insee_code', c.insee_code,
		'cog_year', c.cog_year, 'siren', c.siren,
		'population', c.population, 'density_class', c.density_class,
		'has_qpv', c.has_qpv, 'joined_on', c.joined_on,
		'epci', p_epci, 'departement', p_departement,
		'verification', json_build_object(
			'methods', to_json(api.collectivity_methods(c)),
			'minimum_age', c.minimum_age),
		'created_at', c.created_at, 'updated_at', c.updated_at)
$$;

CREATE OR REPLACE FUNCTION api.collectivity_json(c app.collectivities)
RETURNS json
LANGUAGE sql STABLE AS $$
	SELECT api.collectivity_fields(c,
		(SELECT p.slug FROM app.collectivities p WHERE p.id = c.epci_id),
		(SELECT p.slug FROM app.collectivities p WHERE p.id = c.departement_id))
$$;

-- One page in slug order; 'next' is the cursor of the following page
-- (the last slug shown) or NULL on the last page.
CREATE OR REPLACE FUNCTION api.collectivity_list(p_limit int, p_after text)
RETURNS TABLE (body text, next text)
LANGUAGE sql STABLE AS $$
	WITH page AS (
		SELECT c FROM app.collectivities c
		WHERE p_after IS NULL OR c.slug > p_after
		ORDER BY c.slug
		LIMIT p_limit + 1
	), shown AS (
		SELECT p.c, e.slug AS epci, d.slug AS dep,
			row_number() OVER (ORDER BY (p.c).slug) AS n
		FROM page p
		LEFT JOIN app.collectivities e ON e.id = (p.c).epci_id
		LEFT JOIN app.collectivities d ON d.id = (p.c).departement_id
	)
	SELECT coalesce(json_agg(api.collectivity_fields(c, epci, dep) ORDER BY n)
			FILTER (WHERE n <= p_limit), '[]')::text,
		CASE WHEN count(*) > p_limit
			THEN max((c).slug) FILTER (WHERE n <= p_limit) END
	FROM shown
$$;

CREATE OR REPLACE FUNCTION api.collectivity_get(p_slug text)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT api.collectivity_fields(c, e.slug, d.slug)::text
	FROM app.collectivities c
	LEFT JOIN app.collectivities e ON e.id = c.epci_id
	LEFT JOIN app.collectivities d ON d.id = c.departement_id
	WHERE c.slug = p_slug
$$;

-- The shape of an INSEE COG code for a kind of collectivity (the same
-- rules as lib/insee.c): communes 5 characters, départements 2 or 3,
-- régions 2 digits; EPCIs and others have none.
CREATE OR REPLACE FUNCTION api.cog_valid(p_kind text, p_code text)
RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE p_kind
		WHEN 'commune' THEN p_code ~ ('^((0[1-9]|1[0-9]|2[1-9AB]|[3-8][0-9]|'
			'9[0-5])[0-9]{3}|97[1-8][0-9]{2})$')
		WHEN 'departement' THEN p_code ~ ('^(0[1-9]|1[0-9]|2[1-9AB]|'
			'[3-8][0-9]|9[0-5]|97[1-6])$')
		WHEN 'region' THEN p_code ~ '^[0-9]{2}$'
		ELSE false END
$$;

-- Resolves the parent named by field p_field of p_body (a slug) and checks
-- its kind; appends to p_errors. NULL when absent, null, or bad.
CREATE OR REPLACE FUNCTION api.collectivity_parent(p_body jsonb,
	p_field text, p_kind text, p_self text, INOUT p_errors jsonb,
	OUT p_id uuid)
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v_kind text;
BEGIN
	IF NOT p_body ? p_field OR jsonb_typeof(p_body->p_field) = 'null' THEN
		RETURN;
	END IF;
	SELECT id, kind INTO p_id, v_kind FROM app.collectivities
	WHERE slug = p_body->>p_field;
	IF NOT FOUND THEN
		p_errors := p_errors || api.field_error(p_field,
			format('collectivity "%s" does not exist', p_body->>p_field));
	ELSIF v_kind <> p_kind THEN
		p_errors := p_errors || api.field_error(p_field,
			format('collectivity "%s" is not of kind %s',
				p_body->>p_field, p_kind));
		p_id := NULL;
	ELSIF p_body->>p_field = p_self THEN
		p_errors := p_errors || api.field_error(p_field,
			'a collectivity cannot be its own parent');
		p_id := NULL;
	END IF;
END
$$;

-- Checks what the C side cannot (slug and kind vocabularies, parents,
-- dates) and returns the row to write. p_old is NULL for creation.
CREATE OR REPLACE FUNCTION api.collectivity_merge(p_old app.collectivities,
	p_body jsonb)
RETURNS app.collectivities
LANGUAGE plpgsql STABLE AS $$
DECLARE
	v app.collectivities;
	v_errors jsonb := '[]';
	v_id uuid;
BEGIN
	IF p_old IS NULL THEN
		v.slug := p_body->>'slug';
		v.has_qpv := false;
		IF NOT (v.slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$') THEN
			v_errors := v_errors || api.field_error('slug',
				'must be lowercase letters and digits in words '
				'joined by single hyphens');
		END IF;
	ELSE
		v := p_old;
	END IF;
	IF p_body ? 'name' THEN v.name := p_body->>'name'; END IF;
	IF p_body ? 'kind' THEN v.kind := p_body->>'kind'; END IF;
	IF NOT (v.kind = ANY (ARRAY['commune', 'epci', 'departement', 'region',
			'other'])) THEN
		v_errors := v_errors || api.field_error('kind',
			'must be one of commune, epci, departement, region, other');
	END IF;
	IF p_body ? 'insee_code' THEN v.insee_code := p_body->>'insee_code'; END IF;
	IF p_body ? 'cog_year' THEN v.cog_year := (p_body->>'cog_year')::smallint; END IF;
	IF p_body ? 'siren' THEN v.siren := p_body->>'siren'; END IF;
	IF p_body ? 'population' THEN v.population := (p_body->>'population')::int; END IF;
	IF p_body ? 'density_class' THEN
		v.density_class := (p_body->>'density_class')::smallint;
	END IF;
	IF p_body ? 'has_qpv' THEN v.has_qpv := (p_body->>'has_qpv')::boolean; END IF;
	IF p_body ? 'joined_on' THEN
		v.joined_on := api.try_date(p_body->>'joined_on');
		IF v.joined_on IS NULL AND jsonb_typeof(p_body->'joined_on') <> 'null' THEN
			v_errors := v_errors || api.field_error('joined_on',
				'must be a date (YYYY-MM-DD)');
		END IF;
	END IF;
	-- The C side checks the code against the kind when a body has both
	-- (lib/insee.c); here the merged row is checked, for edits that change
	-- one of them.
	IF v.insee_code IS NOT NULL AND NOT api.cog_valid(v.kind, v.insee_code) THEN
		v_errors := v_errors || api.field_error('insee_code',
			format('is not an INSEE COG code of a %s', v.kind));
	END IF;
	IF p_old IS NOT NULL AND v.kind <> p_old.kind AND EXISTS (
			SELECT 1 FROM app.collectivities c
			WHERE c.epci_id = v.id OR c.departement_id = v.id) THEN
		v_errors := v_errors || api.field_error('kind',
			'cannot change while other collectivities name this one '
			'as their parent');
	END IF;
	IF v.cog_year IS NOT NULL AND v.insee_code IS NULL THEN
		v_errors := v_errors || api.field_error('cog_year',
			'needs an insee_code');
	END IF;
	IF p_body ? 'epci' THEN
		SELECT * INTO v_errors, v_id FROM api.collectivity_parent(p_body,
			'epci', 'epci', v.slug, v_errors);
		v.epci_id := v_id;
	END IF;
	IF p_body ? 'departement' THEN
		SELECT * INTO v_errors, v_id FROM api.collectivity_parent(p_body,
			'departement', 'departement', v.slug, v_errors);
		v.departement_id := v_id;
	END IF;
	IF v.epci_id IS NOT NULL AND v.kind <> 'commune' THEN
		v_errors := v_errors || api.field_error('epci',
			'only a commune belongs to an epci');
	END IF;
	IF v.departement_id IS NOT NULL AND v.kind NOT IN ('commune', 'epci') THEN
		v_errors := v_errors || api.field_error('departement',
			'only a commune or an epci belongs to a departement');
	END IF;
	PERFORM api.invalid(v_errors);
	RETURN v;
END
$$;

CREATE OR REPLACE FUNCTION api.collectivity_conflict(p_body jsonb)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'a collectivity with this slug, SIREN or INSEE code '
		'already exists'
		USING ERRCODE = 'PT409';
END
$$;

CREATE OR REPLACE FUNCTION api.collectivity_create(p_token_hash text,
	p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v app.collectivities;
	v_acc app.accounts := api.require_platform_admin(p_token_hash);
BEGIN
	v := api.collectivity_merge(NULL, p_body);
	INSERT INTO app.collectivities (slug, name, kind, insee_code, cog_year,
		siren, population, density_class, has_qpv, joined_on, epci_id,
		departement_id)
	VALUES (v.slug, v.name, v.kind, v.insee_code, v.cog_year, v.siren,
		v.population, v.density_class, v.has_qpv, v.joined_on,
		v.epci_id, v.departement_id)
	RETURNING * INTO v;
	PERFORM set_config('app.collectivity_id', v.id::text, true);
	PERFORM api.audit(v.id, v_acc.id, 'collectivity.create',
		'collectivity', v.slug, NULL, p_body);
	RETURN api.collectivity_json(v)::text;
EXCEPTION WHEN unique_violation THEN
	PERFORM api.collectivity_conflict(p_body);
END
$$;

CREATE OR REPLACE FUNCTION api.collectivity_update(p_token_hash text,
	p_slug text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.require_platform_admin(p_token_hash);
	v_old app.collectivities := api.enter(p_slug);
	v app.collectivities;
BEGIN
	v := api.collectivity_merge(v_old, p_body);
	UPDATE app.collectivities SET name = v.name, kind = v.kind,
		insee_code = v.insee_code, cog_year = v.cog_year,
		siren = v.siren, population = v.population,
		density_class = v.density_class, has_qpv = v.has_qpv,
		joined_on = v.joined_on, epci_id = v.epci_id,
		departement_id = v.departement_id, updated_at = now()
	WHERE id = v_old.id
	RETURNING * INTO v;
	PERFORM api.audit(v.id, v_acc.id, 'collectivity.update',
		'collectivity', v.slug, NULL, p_body);
	RETURN api.collectivity_json(v)::text;
EXCEPTION WHEN unique_violation THEN
	PERFORM api.collectivity_conflict(p_body);
END
$$;

-- PATCH /v1/collectivities/{cid}/verification: the collectivity's admins
-- choose how residents are verified and the minimum age.
CREATE OR REPLACE FUNCTION api.verification_settings_update(
	p_token_hash text, p_slug text, p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_acc app.accounts := api.session_account(p_token_hash);
	v_c app.collectivities := api.enter(p_slug);
	v_methods text[];
	v_errors jsonb := '[]';
BEGIN
	PERFORM api.require_role(v_c, v_acc, ARRAY['admin']);
	IF p_body ? 'methods' THEN
		SELECT array_agg(DISTINCT m) INTO v_methods
		FROM jsonb_array_elements_text(p_body->'methods') m;
		IF v_methods IS NULL OR NOT v_methods <@ ARRAY['code', 'roll',
				'manual'] THEN
			v_errors := v_errors || api.field_error('methods',
				'must be a non-empty list of code, roll, manual');
		END IF;
	END IF;
	PERFORM api.invalid(v_errors);
	UPDATE app.collectivities SET
		verify_codes = CASE WHEN v_methods IS NULL THEN verify_codes
			ELSE 'code' = ANY (v_methods) END,
		verify_roll = CASE WHEN v_methods IS NULL THEN verify_roll
			ELSE 'roll' = ANY (v_methods) END,
		verify_manual = CASE WHEN v_methods IS NULL THEN verify_manual
			ELSE 'manual' = ANY (v_methods) END,
		minimum_age = coalesce((p_body->>'minimum_age')::smallint,
			minimum_age),
		updated_at = now()
	WHERE id = v_c.id
	RETURNING * INTO v_c;
	PERFORM api.audit(v_c.id, v_acc.id, 'verification.settings',
		'collectivity', v_c.slug, NULL, p_body);
	RETURN api.collectivity_json(v_c)::text;
END
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA api TO participe_app;
