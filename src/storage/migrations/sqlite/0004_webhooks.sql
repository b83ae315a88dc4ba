-- Outbound webhooks: endpoint state per merchant, one delivery per event.
ALTER TABLE merchants ADD COLUMN webhook_disabled INTEGER NOT NULL DEFAULT 0;
-- During a secret rotation the previous secret also signs, until it expires.
ALTER TABLE merchants ADD COLUMN previous_webhook_secret TEXT;
ALTER TABLE merchants ADD COLUMN previous_secret_expires_at INTEGER;

CREATE TABLE deliveries (
    event_seq       INTEGER PRIMARY KEY REFERENCES events (seq),
    event_id        TEXT NOT NULL,
    merchant_id     TEXT NOT NULL REFERENCES merchants (id),
    url             TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at INTEGER,
    locked_until    INTEGER,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;

CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_by_merchant ON deliveries (merchant_id, event_seq DESC);

-- How far the dispatcher has turned events into deliveries.
CREATE TABLE dispatcher_cursor (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
) STRICT;
INSERT INTO dispatcher_cursor (id, seq) SELECT 1, COALESCE(MAX(seq), 0) FROM events;
