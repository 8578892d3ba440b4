-- Requests per client per window, shared by every server process.
CREATE TABLE rate_hits (
    key TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    hits INTEGER NOT NULL,
    expires INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_hits_expires ON rate_hits (expires);
