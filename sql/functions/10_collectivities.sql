-- Collectivities: public list and read, creation by platform admins.

CREATE OR REPLACE FUNCTION api.collectivity_json(c app.collectivities)
RETURNS json
LANGUAGE sql IMMUTABLE AS $$
	SELECT json_build_object('slug', c.slug, 'name', c.name,
		'kind', c.kind, 'created_at', c.created_at)
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
		SELECT c, row_number() OVER (ORDER BY (c).slug) AS n FROM page
	)
	SELECT coalesce(json_agg(api.collectivity_json(c) ORDER BY n)
			FILTER (WHERE n <= p_limit), '[]')::text,
		CASE WHEN count(*) > p_limit
			THEN max((c).slug) FILTER (WHERE n <= p_limit) END
	FROM shown
$$;

CREATE OR REPLACE FUNCTION api.collectivity_get(p_slug text)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT api.collectivity_json(c)::text
	FROM app.collectivities c WHERE c.slug = p_slug
$$;

CREATE OR REPLACE FUNCTION api.collectivity_create(p_token_hash text,
	p_body jsonb)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	v_row app.collectivities;
	v_errors jsonb := '[]';
BEGIN
	PERFORM api.require_platform_admin(p_token_hash);
	IF NOT (p_body->>'slug' ~ '^[a-z0-9]+(-[a-z0-9]+)*$') THEN
		v_errors := v_errors || jsonb_build_object('field', 'slug',
			'message', 'must be lowercase letters and digits in '
			'words joined by single hyphens');
	END IF;
	IF NOT (p_body->>'kind' = ANY (ARRAY['commune', 'epci',
			'departement', 'region', 'other'])) THEN
		v_errors := v_errors || jsonb_build_object('field', 'kind',
			'message', 'must be one of commune, epci, departement, '
			'region, other');
	END IF;
	IF jsonb_array_length(v_errors) > 0 THEN
		RAISE EXCEPTION 'request body has invalid fields'
			USING ERRCODE = 'PT422', DETAIL = v_errors::text;
	END IF;
	INSERT INTO app.collectivities (slug, name, kind)
	VALUES (p_body->>'slug', p_body->>'name', p_body->>'kind')
	RETURNING * INTO v_row;
	RETURN api.collectivity_json(v_row)::text;
EXCEPTION WHEN unique_violation THEN
	RAISE EXCEPTION 'collectivity "%" already exists', p_body->>'slug'
		USING ERRCODE = 'PT409';
END
$$;

GRANT EXECUTE ON FUNCTION api.collectivity_json(app.collectivities),
	api.collectivity_list(int, text), api.collectivity_get(text),
	api.collectivity_create(text, jsonb) TO participe_app;
