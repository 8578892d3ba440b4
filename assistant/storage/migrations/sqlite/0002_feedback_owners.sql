-- One rating per message per rater. Databases written before conversations had owners: their
-- conversations are given to no one (no request can name the empty owner), and their
-- feedback keeps each message's last rating. (A database that already has feedback.owner
-- was made by a store that did all this at every start: it is adopted without running this.)
ALTER TABLE feedback ADD COLUMN owner TEXT NOT NULL DEFAULT '';
INSERT OR IGNORE INTO conversations (id, owner, started, updated)
    SELECT conversation_id, '', MIN(at), MAX(at) FROM turns GROUP BY conversation_id;
DELETE FROM feedback WHERE id NOT IN (SELECT MAX(id) FROM feedback GROUP BY message_id, owner);
CREATE UNIQUE INDEX IF NOT EXISTS feedback_once ON feedback (message_id, owner);
