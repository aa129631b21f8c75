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
# The public and national metrics are closed months' snapshots, each with
# the weeks whose Sunday is in it; the demo's acts are all of today, so
# publish this month's and this week's now (provisional:
# docs/suppression.md; the same month when this week ends in it), and
# any closed month there is.
today=$(TZ=Europe/Paris date +%F)
bin/participe metrics publish --period month --start "$today" >/dev/null
# (this week's month is next month's when this week ends in it: not yet)
bin/participe metrics publish --period week --start "$today" >/dev/null 2>&1 || true
bin/participe metrics publish
export PARTICIPE_LISTEN=${PARTICIPE_LISTEN:-127.0.0.1:8080}
export PARTICIPE_PUBLIC_URL=${PARTICIPE_PUBLIC_URL:-http://$PARTICIPE_LISTEN}
# No mailer here: mail (confirmation and reset links) goes to this file.
export PARTICIPE_MAILBOX=${PARTICIPE_MAILBOX:-var/mailbox.jsonl}
mkdir -p var
token=$(bin/participe admin create-platform-admin admin@demo.invalid \
	"Demo platform admin")
cat <<MSG

  Participe listens on http://$PARTICIPE_LISTEN
    curl http://$PARTICIPE_LISTEN/readyz
    curl http://$PARTICIPE_LISTEN/v1/collectivities
  Demo platform admin token (valid 30 days):
    export TOKEN=$token
  Demo people of Bourg-en-Lys (log in with POST /v1/sessions):
    admin@bourg-en-lys.example       demo-admin-2026        admin
    moderateur@bourg-en-lys.example  demo-moderateur-2026   moderator
    camille@example.org              demo-resident-2026     verified resident
    jules@example.org                demo-resident-2026     verified resident
    ines@example.org                 demo-resident-2026     verified resident
  Mail (confirmation and reset links) is written to $PARTICIPE_MAILBOX:
    tail -f $PARTICIPE_MAILBOX

MSG
exec bin/participe serve
