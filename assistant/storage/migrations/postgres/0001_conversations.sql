-- Conversations, their turns and one rating per message per rater. Deleting a conversation
-- deletes its turns and their feedback.
CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    started TIMESTAMPTZ NOT NULL,
    updated TIMESTAMPTZ NOT NULL
);
CREATE INDEX conversations_updated ON conversations (updated);
CREATE INDEX conversations_owner ON conversations (owner, updated);
CREATE TABLE turns (
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    question TEXT NOT NULL,
    intent TEXT NOT NULL,
    entities TEXT NOT NULL,
    answer_markdown TEXT NOT NULL,
    answer TEXT,
    at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
CREATE TABLE feedback (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    message_id TEXT NOT NULL REFERENCES turns (message_id) ON DELETE CASCADE,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT,
    at TIMESTAMPTZ NOT NULL,
    owner TEXT NOT NULL,
    UNIQUE (message_id, owner)
);
CREATE INDEX feedback_conversation ON feedback (conversation_id, owner);
