#!/usr/bin/env bash
# deploy/run.sh - what `make run` does after building: start the private
# PostgreSQL (unless PARTICIPE_DATABASE_URL is set), migrate, load the
# demo, print where the API listens, and serve in the foreground (Ctrl-C
# stops the server; `deploy/pg.sh stop` stops the database).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PARTICIPE_DATABASE_URL:-}" ]; then
	deploy/pg.sh start
	# shellcheck disable=SC1091
	. var/pg/env
fi
bin/participe migrate
bin/participe seed-demo
export PARTICIPE_LISTEN=${PARTICIPE_LISTEN:-127.0.0.1:8080}
token=$(bin/participe admin create-platform-admin admin@demo.invalid \
	"Demo platform admin")
cat <<MSG

  Participe listens on http://$PARTICIPE_LISTEN
    curl http://$PARTICIPE_LISTEN/readyz
    curl http://$PARTICIPE_LISTEN/v1/collectivities
  Demo platform admin token (valid 30 days):
    export TOKEN=$token

MSG
exec bin/participe serve
