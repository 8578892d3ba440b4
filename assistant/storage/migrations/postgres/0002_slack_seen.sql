-- The Slack requests already answered, by any worker.
CREATE TABLE slack_seen (key TEXT PRIMARY KEY, expires DOUBLE PRECISION NOT NULL);
