#!/usr/bin/env bash
# tests/contract/lint.sh [SPEC] - lints api-spec/openapi.yaml (or SPEC)
# with Redocly CLI and the rules of tests/contract/redocly.yaml. Needs no
# network once node_modules/ is installed (telemetry off, no update check).
# Last line: "lint: N passed, M failed"; exits non-zero on any error
# (warnings are shown but do not fail).
set -uo pipefail
spec=$(realpath "${1:-$(dirname "$0")/../../api-spec/openapi.yaml}")
cd "$(dirname "$0")/../.." || exit 1

if ! tests/contract/deps.sh; then
	echo "lint: 0 passed, 1 failed"
	exit 1
fi
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_COLOR=1
out=$(node node_modules/@redocly/cli/bin/cli.js lint \
	--config tests/contract/redocly.yaml --format=stylish \
	"$spec" 2>&1)
rc=$?
# Drop the CLI's boxed banners (e.g. the Node.js 20 deprecation notice).
sed -E '/^[[:space:]]*[╔║╚]/d' <<<"$out"
if [ "$rc" = 0 ]; then
	echo "lint: 1 passed, 0 failed"
	exit 0
fi
n=$(sed -nE 's/.*[Vv]alidation failed with ([0-9]+) error.*/\1/p' <<<"$out" | tail -1)
echo "lint: 0 passed, ${n:-1} failed"
exit 1
