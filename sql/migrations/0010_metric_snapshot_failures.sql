-- A period whose snapshot could not be protected (the solver failed): the
-- server's job skips it for a day instead of retrying it every interval,
-- so the periods before it are still published (docs/suppression.md).
CREATE TABLE app.metric_snapshot_failures (
	period text NOT NULL CHECK (period IN ('week', 'month')),
	start date NOT NULL,
	failed_at timestamptz NOT NULL DEFAULT now(),
	reason text NOT NULL,
	PRIMARY KEY (period, start)
);
GRANT SELECT, INSERT, UPDATE, DELETE ON app.metric_snapshot_failures
	TO participe_app;
