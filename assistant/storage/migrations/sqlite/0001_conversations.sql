-- Conversations, their turns and feedback, as the first SQLite store made them. IF NOT EXISTS:
-- a database from before versioned migrations already has them, and is adopted as it is.
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    started TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS turns (
    conversation_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    question TEXT NOT NULL,
    intent TEXT NOT NULL,
    entities TEXT NOT NULL,
    answer_markdown TEXT NOT NULL,
    answer TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL,
    message_id TEXT NOT NULL REFERENCES turns(message_id),
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_updated ON conversations (updated);
