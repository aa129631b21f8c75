#!/usr/bin/env bash
# tests/contract/selftest.sh - proves that the contract checkers catch
# mistakes: validate.mjs must pass a correct exchange and fail each wrong
# one on its own; routes.mjs must pass the real table and fail a changed one.
# Needs no server. Last line: "contract-selftest: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
SPEC=${SPEC:-api-spec/openapi.yaml}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0

if ! tests/contract/deps.sh; then
	echo "contract-selftest: 0 passed, 1 failed"
	exit 1
fi

# expect pass|fail NAME FILE [REASON [SPEC]]: runs validate.mjs on FILE; a
# failure must print REASON (an extended regular expression), so that each
# bad case is caught for the mistake it was made with.
expect() {
	local want=$1 name=$2 file=$3 reason=${4:-} spec=${5:-$SPEC} got
	if node tests/contract/validate.mjs "$spec" "$file" >"$tmp/out" 2>&1; then
		got=pass
	else
		got=fail
	fi
	if [ "$got" = fail ] && [ "$want" = fail ] && [ -n "$reason" ] &&
		! grep -qE -- "$reason" "$tmp/out"; then
		failed=$((failed + 1))
		echo "FAIL $name: validate.mjs failed, but not with /$reason/:"
		sed 's/^/     /' "$tmp/out"
	elif [ "$got" = "$want" ]; then
		passed=$((passed + 1))
		echo "ok   $name (validate.mjs: $got)"
	else
		failed=$((failed + 1))
		echo "FAIL $name: validate.mjs should $want, it did $got:"
		sed 's/^/     /' "$tmp/out"
	fi
}

# case NAME JSON: one exchange in its own file.
case_file() {
	printf '%s\n' "$2" >"$tmp/$1.jsonl"
	echo "$tmp/$1.jsonl"
}

H='"date":"Sat, 28 Nov 2026 15:25:29 GMT","x-request-id":"9be8bfa31b07dafbdd8493a7","x-content-type-options":"nosniff"'
# A collectivity as api.collectivity_json() builds it: slug, name, kind,
# then MORE, then AT.
MORE=', \"insee_code\" : \"01901\", \"cog_year\" : 2025, \"siren\" : \"210199998\", \"population\" : 8421, \"density_class\" : 3, \"has_qpv\" : true, \"joined_on\" : \"2025-01-15\", \"epci\" : \"val-de-lys\", \"departement\" : null, \"verification\" : {\"methods\" : [\"code\",\"manual\"], \"minimum_age\" : 16}'
AT=', \"created_at\" : \"2026-11-28T15:25:27.557287+00:00\", \"updated_at\" : \"2026-11-28T15:25:27.557287+00:00\"'
C='{\"slug\" : \"bourg-en-lys\", \"name\" : \"Bourg-en-Lys\", \"kind\" : \"commune\"'"$MORE$AT}"
C_NOSLUG='{\"name\" : \"Bourg-en-Lys\", \"kind\" : \"commune\"'"$MORE$AT}"
C_EXTRA='{\"slug\" : \"bourg-en-lys\", \"name\" : \"Bourg-en-Lys\", \"kind\" : \"commune\"'"$MORE$AT"', \"evil\" : 1}'
C_BAD='{\"slug\":\"x\", \"name\":\"\", \"kind\":\"city\"'"$MORE"', \"created_at\":\"yesterday\", \"updated_at\" : \"2026-11-28T15:25:27.557287+00:00\"}'
P404='{\"type\":\"urn:participe:problem:not-found\",\"title\":\"Not found\",\"status\":404,\"detail\":\"no resource at this path\",\"instance\":\"/nope\"}'

good=$(case_file good "{\"method\":\"GET\",\"path\":\"/v1/collectivities/bourg-en-lys?x=1\",\"status\":200,\"content_type\":\"application/json\",\"headers\":{$H},\"body\":\"$C\"}")
expect pass "(a) a correct collectivity" "$good"

# More correct exchanges, all in one file: list with Link, 201 with
# Location, HEAD, OPTIONS, problem fallbacks, text/plain, status 0 skipped.
cat >"$tmp/goods.jsonl" <<JSONL
{"method":"GET","path":"/v1/collectivities?limit=1","status":200,"content_type":"application/json","headers":{$H,"link":"</v1/collectivities?limit=1&after=bourg-en-lys>; rel=\"next\""},"body":"[$C]"}
{"method":"POST","path":"/v1/collectivities","status":201,"content_type":"application/json","headers":{$H,"location":"/v1/collectivities/bourg-en-lys"},"body":"$C"}
{"method":"HEAD","path":"/v1/collectivities/bourg-en-lys","status":200,"content_type":"application/json","headers":{$H},"body":""}
{"method":"OPTIONS","path":"/healthz","status":204,"content_type":"","headers":{$H,"allow":"GET, HEAD, OPTIONS"},"body":""}
{"method":"GET","path":"/nope","status":404,"content_type":"application/problem+json","headers":{$H},"body":"$P404"}
{"method":"DELETE","path":"/readyz","status":405,"content_type":"application/problem+json","headers":{$H,"allow":"GET, HEAD, OPTIONS"},"body":"{\"type\":\"urn:participe:problem:method-not-allowed\",\"title\":\"Method not allowed\",\"status\":405}"}
{"method":"GET","path":"/metrics","status":200,"content_type":"text/plain; version=0.0.4; charset=utf-8","headers":{$H},"body":"# HELP x\n"}
{"method":"GET","path":"/healthz","status":0,"content_type":"","headers":{},"body":""}
JSONL
expect pass "(a) correct list, 201, HEAD, OPTIONS, fallback problems, text/plain" "$tmp/goods.jsonl"

f=$(case_file noslug "{\"method\":\"GET\",\"path\":\"/v1/collectivities/bourg-en-lys\",\"status\":200,\"content_type\":\"application/json\",\"headers\":{$H},\"body\":\"$C_NOSLUG\"}")
expect fail "(b) a collectivity without slug" "$f" "must have required property 'slug'"
f=$(case_file extra "{\"method\":\"GET\",\"path\":\"/v1/collectivities/bourg-en-lys\",\"status\":200,\"content_type\":\"application/json\",\"headers\":{$H},\"body\":\"$C_EXTRA\"}")
expect fail "(b) a collectivity with an extra property" "$f" "must NOT have additional properties.*evil"
f=$(case_file badlist "{\"method\":\"GET\",\"path\":\"/v1/collectivities\",\"status\":200,\"content_type\":\"application/json\",\"headers\":{$H},\"body\":\"[$C, $C_BAD]\"}")
expect fail "(b) a list item with a short slug, empty name, bad kind and date" "$f" '/1/created_at must match format "date-time"'
f=$(case_file notjson "{\"method\":\"GET\",\"path\":\"/healthz\",\"status\":200,\"content_type\":\"application/json\",\"headers\":{$H},\"body\":\"{status: ok\"}")
expect fail "(b) a body that is not JSON" "$f" "body is not JSON"
T418='{\"type\":\"urn:participe:problem:teapot\",\"title\":\"I am a teapot\",\"status\":418}'
f=$(case_file teapot "{\"method\":\"GET\",\"path\":\"/healthz\",\"status\":418,\"content_type\":\"application/json\",\"headers\":{$H},\"body\":\"{\\\"status\\\":\\\"ok\\\"}\"}")
expect fail "(c) status 418 on /healthz with a 200's body" "$f" 'Content-Type "application/json" is not one of application/problem\+json'
f=$(case_file teapot-problem "{\"method\":\"GET\",\"path\":\"/healthz\",\"status\":418,\"content_type\":\"application/problem+json\",\"headers\":{$H},\"body\":\"$T418\"}")
expect pass "(c) status 418 on /healthz as a problem: documented by default" "$f"
# The same against a copy of the spec whose /healthz has no default.
node -e '
	const { parse, stringify } = require("yaml");
	const s = parse(require("fs").readFileSync(process.argv[1], "utf8"));
	delete s.paths["/healthz"].get.responses.default;
	process.stdout.write(stringify(s));
' "$SPEC" >"$tmp/nodefault.yaml"
expect fail "(c) status 418 on /healthz when the spec lists no default" "$f" \
	"status 418 is not documented for GET /healthz" "$tmp/nodefault.yaml"
f=$(case_file status201 "{\"method\":\"GET\",\"path\":\"/healthz\",\"status\":201,\"content_type\":\"application/json\",\"headers\":{$H},\"body\":\"{\\\"status\\\":\\\"ok\\\"}\"}")
expect fail "(c) undocumented success status 201 on /healthz (default covers errors only)" "$f" \
	"status 201 is not documented"
f=$(case_file html "{\"method\":\"GET\",\"path\":\"/v1/collectivities/nope\",\"status\":404,\"content_type\":\"text/html\",\"headers\":{$H},\"body\":\"<h1>Not found</h1>\"}")
expect fail "(d) text/html on an error" "$f" 'Content-Type "text/html" is not one of'
f=$(case_file htmlfallback "{\"method\":\"GET\",\"path\":\"/nope\",\"status\":404,\"content_type\":\"text/html\",\"headers\":{$H},\"body\":\"<h1>Not found</h1>\"}")
expect fail "(d) text/html on an error outside the spec (fallback)" "$f" 'fallback.*Content-Type "text/html"'
f=$(case_file jsonerr "{\"method\":\"GET\",\"path\":\"/v1/collectivities/nope\",\"status\":404,\"content_type\":\"application/json\",\"headers\":{$H},\"body\":\"$P404\"}")
expect fail "(d) application/json instead of problem+json" "$f" 'Content-Type "application/json" is not one of'
f=$(case_file nolocation "{\"method\":\"POST\",\"path\":\"/v1/collectivities\",\"status\":201,\"content_type\":\"application/json\",\"headers\":{$H},\"body\":\"$C\"}")
expect fail "(e) 201 without its required Location header" "$f" "required header Location is missing"
f=$(case_file noreqid "{\"method\":\"GET\",\"path\":\"/healthz\",\"status\":200,\"content_type\":\"application/json\",\"headers\":{\"date\":\"x\"},\"body\":\"{\\\"status\\\":\\\"ok\\\"}\"}")
expect fail "(e) a response without X-Request-Id" "$f" "required header X-Request-Id is missing"
f=$(case_file wrongstatus "{\"method\":\"GET\",\"path\":\"/nope\",\"status\":404,\"content_type\":\"application/problem+json\",\"headers\":{$H},\"body\":\"${P404/404,/400,}\"}")
expect fail "(f) a problem whose status differs from the HTTP status" "$f" "problem status 400 differs from the HTTP status 404"
f=$(case_file okoutside "{\"method\":\"GET\",\"path\":\"/v2/secret\",\"status\":200,\"content_type\":\"application/json\",\"headers\":{$H},\"body\":\"{}\"}")
expect fail "(g) a success on a path the spec does not have" "$f" "only errors are expected there"
f=$(case_file nocontent "{\"method\":\"OPTIONS\",\"path\":\"/healthz\",\"status\":204,\"content_type\":\"\",\"headers\":{$H},\"body\":\"x\"}")
expect fail "(g) a 204 with a body" "$f" "OPTIONS response with a body"
: >"$tmp/empty.jsonl"
expect fail "(h) no exchange at all" "$tmp/empty.jsonl" "no exchange to check"
printf '%s\n' '{"method":"GET","path":"/healthz","status":0,"content_type":"","headers":{},"body":""}' >"$tmp/skipped.jsonl"
expect fail "(h) only skipped exchanges" "$tmp/skipped.jsonl" "no exchange to check"
expect fail "(h) a missing file" "$tmp/does-not-exist.jsonl" "cannot read"
# Several good exchanges plus one bad: the bad one still fails the run.
cat "$tmp/goods.jsonl" "$tmp/teapot.jsonl" >"$tmp/mixed.jsonl"
expect fail "(i) one bad exchange among good ones" "$tmp/mixed.jsonl" "contract: 7 passed, 1 failed, 1 skipped"

# routes.mjs: the spec's own table passes; a missing, extra or renamed
# route fails; parameter names do not matter.
node -e '
	const { parse } = require("yaml");
	const s = parse(require("fs").readFileSync(process.argv[1], "utf8"));
	for (const [p, item] of Object.entries(s.paths))
		for (const m of ["get", "post", "put", "patch", "delete"])
			if (item[m]) console.log(m.toUpperCase() + " " + p.replace(/\{[^}]*\}/g, "{x}"));
' "$SPEC" >"$tmp/routes"
routes_expect() {
	local want=$1 name=$2 file=$3 got
	if node tests/contract/routes.mjs "$SPEC" "$file" >"$tmp/out" 2>&1; then got=pass; else got=fail; fi
	if [ "$got" = "$want" ]; then
		passed=$((passed + 1))
		echo "ok   $name (routes.mjs: $got)"
	else
		failed=$((failed + 1))
		echo "FAIL $name: routes.mjs should $want, it did $got:"
		sed 's/^/     /' "$tmp/out"
	fi
}
routes_expect pass "routes: the spec's own table, other parameter names, plus HEAD" \
	<(cat "$tmp/routes"; echo "HEAD /healthz")
routes_expect fail "routes: one route missing from the server" <(sed 1d "$tmp/routes")
routes_expect fail "routes: an extra server route" <(cat "$tmp/routes"; echo "DELETE /v1/collectivities/{cid}")
routes_expect fail "routes: empty table" /dev/null

echo "contract-selftest: $passed passed, $failed failed"
[ "$failed" = 0 ]
