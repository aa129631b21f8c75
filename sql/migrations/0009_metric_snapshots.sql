-- The published figures of closed periods (docs/suppression.md, "One
-- pattern per period"): computed once for every collectivity and every
-- group of every grouping together, stored, and shown by every view of
-- the period alike (a collectivity's public page, ANCT's roll-ups).
-- Published figures only: withheld ones are stored as withheld, the
-- counts of people behind them never.

-- A period published: when, with which threshold, and whether it was
-- published before it closed (an operator's choice: `participe metrics
-- publish --start`).
CREATE TABLE app.metric_snapshots (
	period text NOT NULL CHECK (period IN ('week', 'month')),
	start date NOT NULL,
	made_at timestamptz NOT NULL DEFAULT now(),
	threshold integer NOT NULL CHECK (threshold > 0),
	withheld integer NOT NULL CHECK (withheld >= 0),
	provisional boolean NOT NULL,
	PRIMARY KEY (period, start)
);

-- One published row: a collectivity (by 'collectivity', key its slug) or
-- a group of a grouping, and its published figures (the row of the
-- metrics API, withheld figures {"value": null, "suppressed": true}).
CREATE TABLE app.metric_published (
	period text NOT NULL,
	start date NOT NULL,
	by text NOT NULL CHECK (by IN ('collectivity', 'kind', 'density', 'qpv',
		'departement', 'cohort', 'all')),
	key text NOT NULL,
	label text,
	collectivities integer NOT NULL,
	population bigint,
	figures jsonb NOT NULL,
	PRIMARY KEY (by, key, period, start),
	FOREIGN KEY (period, start) REFERENCES app.metric_snapshots
		ON DELETE CASCADE
);
CREATE INDEX metric_published_period_idx
	ON app.metric_published (by, period, start);

-- Published data: anyone may read it, through the API's functions; the
-- server's sweeper writes it (api.metric_snapshot_store).
GRANT SELECT, INSERT, DELETE ON app.metric_snapshots, app.metric_published
	TO participe_app;
