#!/usr/bin/env bash
# tests/contract/deps.sh - makes sure node_modules/ matches package-lock.json
# for the contract tests. Runs `npm ci` only when node_modules/ is missing or
# package-lock.json is newer than the last install (node_modules/.package-lock.json);
# otherwise does nothing and needs no network.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "contract tests need Node.js and npm (deploy/install-deps.sh)" >&2
	exit 1
fi
# @redocly/cli 2.x: Node.js 20.19+ (of the 20 line) or 22.12+.
if ! node -e '
	const [a, b] = process.versions.node.split(".").map(Number);
	process.exit((a === 20 && b >= 19) || (a === 22 && b >= 12) || a > 22 ? 0 : 1)'; then
	echo "contract tests need Node.js >= 20.19 (20.x) or >= 22.12; this is $(node --version)" >&2
	exit 1
fi
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] ||
	[ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund >&2
fi
