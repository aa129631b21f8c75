#!/usr/bin/env bash
# tests/cli/test_metrics.sh - `participe metrics publish`: closed periods'
# snapshots (docs/suppression.md, "One pattern per period") on the test
# database (PARTICIPE_MIGRATE_DATABASE_URL, migrated and seeded by
# tests/run.sh): every closed period published once, a small cell and the
# roll-up that would give it away by subtraction, an open period
# published early (provisional), refusals. Leaves a closed month
# unpublished for the server's job (tests/api/test_metrics.c).
set -uo pipefail
cd "$(dirname "$0")/../.."
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
ko() { fail=$((fail + 1)); echo "not ok - $1"; }
check() { if eval "$2"; then ok "$1"; else ko "$1"; fi; }
q() { psql -X -qAt "$PARTICIPE_MIGRATE_DATABASE_URL" -c "$1" 2>/dev/null; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Three months before this one (Europe/Paris): closed, with its weeks.
month=$(q "select (date_trunc('month', now() at time zone 'Europe/Paris')
	- interval '3 months')::date")
# Two collectivities of this test's own (the demo's acts are checked
# against their counters by tests/sql/07_metrics.sql).
q "insert into app.collectivities (slug, name, kind) values
	('cli-metrics-big', 'CLI big', 'commune'),
	('cli-metrics-small', 'CLI small', 'commune')
	on conflict (slug) do nothing" >/dev/null
# Counters of that month (and of its second week) as the triggers would
# have kept them: 40
# participants in cli-metrics-big (100 responses), 3 in cli-metrics-small
# (5 comments), none elsewhere.
counts() { # slug people acts kind
	q "select set_config('app.collectivity_id', id::text, false) from
		app.collectivities where slug = '$1';
	insert into app.metric_counts (collectivity_id, period, start,
		process_id, kind, acts, people)
	select app.current_collectivity(), p, s, api.nil_uuid(), k, $3, $2
	from unnest(array['any', '$4']) k, (values ('month', '$month'::date),
		('week', date_trunc('week', '$month'::date + 7)::date)) x (p, s)
	on conflict do nothing" >/dev/null
}
counts cli-metrics-big 40 100 response
counts cli-metrics-small 3 5 comment
# (a run before this one may have published it: again, then)
q "delete from app.metric_snapshots where period = 'month' and start = '$month'" >/dev/null
check "the month's counters are there" \
	"[ \"$(q "select count(*) from app.metric_counts where start = '$month' and period = 'month'")\" -ge 4 ]"

bin/participe metrics publish >"$tmp/out" 2>"$tmp/err"
rc=$?
check "publish: exit 0" "[ $rc = 0 ]"
check "publish: a line per month published" \
	"grep -q '^published month $month and its weeks: [0-9]* figures withheld, protected in [0-9]* ms$' $tmp/out"
check "every closed month since the first with figures is published" \
	"[ \"$(q "select count(*) from generate_series('$month'::date, now() at time zone 'Europe/Paris', '1 month') s where api.metric_period_closed('month', s::date) and not exists (select 1 from app.metric_snapshots n where n.period = 'month' and n.start = s::date)")\" = 0 ]"
check "closed weeks too" \
	"[ \"$(q "select count(*) from app.metric_snapshots where period = 'week' and not provisional")\" -ge 1 ]"
check "with the month: the weeks whose Sunday is in it, final" \
	"[ \"$(q "select count(*) from generate_series(date_trunc('week', '$month'::date), '$month'::date + interval '1 month' - interval '7 days', '1 week') w join app.metric_snapshots n on n.period = 'week' and n.start = w::date and not n.provisional")\" = \"$(q "select count(*) from generate_series(date_trunc('week', '$month'::date), '$month'::date + interval '1 month' - interval '7 days', '1 week') w")\" ]"
check "and the week holding its second Monday withheld its 3 commenters" \
	"[ \"$(q "select figures #>> '{contributors,comment,suppressed}' from app.metric_published where period = 'week' and start = date_trunc('week', '$month'::date + 7)::date and by = 'collectivity' and key = 'cli-metrics-small'")\" = true ]"
check "a closed period is not provisional" \
	"[ \"$(q "select provisional from app.metric_snapshots where period = 'month' and start = '$month'")\" = f ]"
fig() { # by key path
	q "select figures #>> '{$3}' from app.metric_published where period =
		'month' and start = '$month' and by = '$1' and key = '$2'"
}
# 43 on a fresh database (earlier runs' counters add up otherwise)
check "the programme's participants are published: every collectivity's" \
	"[ \"$(fig all all participants,value)\" = \"$(q "select sum(people) from app.metric_counts where period = 'month' and start = '$month' and kind = 'any' and process_id = api.nil_uuid()")\" ]"
check "cli-metrics-small's 3 participants are withheld" \
	"[ \"$(fig collectivity cli-metrics-small participants,suppressed)\" = true ]"
check "and cli-metrics-big's too: 43 - 40 would give them" \
	"[ \"$(fig collectivity cli-metrics-big participants,suppressed)\" = true ]"
check "a collectivity with none publishes 0" \
	"[ \"$(fig collectivity val-de-lys participants,value)\" = 0 ]"
check "no published roll-up minus its published members leaves 1 to 10 people" \
	"[ \"$(q "with c as (select p.key, (p.figures #>> '{participants,value}')::int v
		from app.metric_published p where p.period = 'month'
		and p.start = '$month' and p.by = 'collectivity'),
	g as (select p.by, p.key, (p.figures #>> '{participants,value}')::int v
		from app.metric_published p where p.period = 'month'
		and p.start = '$month' and p.by <> 'collectivity'
		and p.figures #>> '{participants,value}' is not null),
	m as (select g.by, g.key, g.v - coalesce(sum(c.v), 0) as rest
		from g join app.collectivities x on (api.metric_group(x, g.by)).key = g.key
		join c on c.key = x.slug group by g.by, g.key, g.v)
	select count(*) from m where rest between 1 and 10")\" = 0 ]"
check "no count of people behind a figure is stored" \
	"[ \"$(q "select count(*) from app.metric_published where figures::text like '%people%'")\" = 0 ]"

bin/participe metrics publish >"$tmp/out" 2>&1
check "publishing again: nothing left to publish" "[ $? = 0 ] && [ ! -s $tmp/out ]"

today=$(q "select (now() at time zone 'Europe/Paris')::date")
# the week of this month's first day: its Sunday is in this month
first=$(q "select date_trunc('month', '$today'::date)::date")
bin/participe metrics publish --period week --start "$first" >"$tmp/out" 2>&1
check "--start: this week's month, now" "[ $? = 0 ] && grep -q \"^published month $first and its weeks\" $tmp/out"
check "an open period published early is provisional, and its weeks" \
	"[ \"$(q "select string_agg(distinct provisional::text, ',') from app.metric_snapshots where (period = 'month' and start = '$first') or (period = 'week' and api.metric_block_month('week', start) = '$first')")\" = true ]"

bin/participe metrics >/dev/null 2>&1
check "no subcommand: usage (2)" "[ $? = 2 ]"
bin/participe metrics publish --period year --start 2025-01-01 >/dev/null 2>&1
check "--period year: usage (2)" "[ $? = 2 ]"
bin/participe metrics publish --period month >/dev/null 2>&1
check "--period without --start: usage (2)" "[ $? = 2 ]"
bin/participe metrics publish --period month --start 2999-01-01 >"$tmp/out" 2>"$tmp/err"
check "a future period: exit 1, said" "[ $? = 1 ] && grep -q 'in the future' $tmp/err"
bin/participe metrics publish --period month --start 2025-13-45 >/dev/null 2>"$tmp/err"
check "not a date: exit 1" "[ $? = 1 ]"

# For the server's job (tests/api/test_metrics.c): that month and its
# weeks unpublished again, to be published within
# PARTICIPE_METRICS_SNAPSHOT_INTERVAL.
q "delete from app.metric_snapshots where (period = 'month' and start = '$month')
	or (period = 'week' and api.metric_block_month('week', start) = '$month')" >/dev/null
check "the month is unpublished again, for the server's job" \
	"[ \"$(q "select count(*) from app.metric_published where period = 'month' and start = '$month'")\" = 0 ]"

echo "metrics: $pass passed, $fail failed"
[ "$fail" = 0 ]
