-- What the content team sees of each question: redacted, with no owner and no conversation.
CREATE TABLE questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    channel TEXT NOT NULL,
    question TEXT NOT NULL,
    intent TEXT NOT NULL,
    status TEXT NOT NULL,
    confidence REAL NOT NULL,
    missing TEXT,
    missing_name TEXT,
    guides TEXT NOT NULL
);
CREATE INDEX questions_at ON questions (at);
