-- The Slack requests already answered, by any worker (IF NOT EXISTS: the replay guard used to
-- make this table itself).
CREATE TABLE IF NOT EXISTS slack_seen (key TEXT PRIMARY KEY, expires REAL NOT NULL);
