-- paycore schema, PostgreSQL: the same tables and columns as the SQLite schema (migrations
-- 0001-0004 there). Times are microseconds since the Unix epoch (UTC); integers are BIGINT
-- and flags 0/1 so that both backends share one row decoding.

CREATE TABLE merchants (
    id                         TEXT PRIMARY KEY,
    name                       TEXT NOT NULL,
    api_key_hash               TEXT NOT NULL UNIQUE,
    webhook_url                TEXT,
    webhook_secret             TEXT NOT NULL,
    created_at                 BIGINT NOT NULL,
    webhook_disabled           BIGINT NOT NULL DEFAULT 0,
    previous_webhook_secret    TEXT,
    previous_secret_expires_at BIGINT
);

CREATE TABLE payments (
    id                      TEXT PRIMARY KEY,
    merchant_id             TEXT NOT NULL REFERENCES merchants (id),
    merchant_order_id       TEXT NOT NULL,
    fingerprint             BYTEA NOT NULL,
    amount_minor            BIGINT NOT NULL,
    currency                TEXT NOT NULL,
    description             TEXT NOT NULL,
    method                  TEXT NOT NULL,
    status                  TEXT NOT NULL,
    channel_id              TEXT,
    provider_transaction_id TEXT,
    next_action             TEXT,
    refunded_minor          BIGINT NOT NULL DEFAULT 0,
    failure_code            TEXT,
    failure_message         TEXT,
    metadata                TEXT NOT NULL,
    payer_buyer_id          TEXT,
    payer_client_ip         TEXT,
    return_url              TEXT,
    created_at              BIGINT NOT NULL,
    updated_at              BIGINT NOT NULL,
    paid_at                 BIGINT,
    expires_at              BIGINT NOT NULL,
    version                 BIGINT NOT NULL,
    payer_payment_method    TEXT,
    UNIQUE (merchant_id, merchant_order_id)
);

CREATE INDEX payments_by_merchant ON payments (merchant_id, id DESC);
CREATE INDEX payments_by_status ON payments (status, updated_at);

CREATE TABLE attempts (
    id            TEXT PRIMARY KEY,
    payment_id    TEXT NOT NULL REFERENCES payments (id),
    channel_id    TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    error_code    TEXT,
    error_message TEXT,
    latency_us    BIGINT,
    started_at    BIGINT NOT NULL
);

CREATE INDEX attempts_by_payment ON attempts (payment_id, id);

-- The transactional outbox. `seq` is the cursor WatchEvents and the dispatcher resume from,
-- so it must grow in commit order: every write batch takes the outbox lock (a transaction
-- advisory lock) first and holds it until it commits.
CREATE TABLE events (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    type        TEXT NOT NULL,
    payment_id  TEXT NOT NULL,
    payload     BYTEA NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE INDEX events_by_payment ON events (payment_id, seq);
CREATE INDEX events_by_merchant ON events (merchant_id, seq);

CREATE TABLE refunds (
    id                 TEXT PRIMARY KEY,
    merchant_id        TEXT NOT NULL REFERENCES merchants (id),
    payment_id         TEXT NOT NULL REFERENCES payments (id),
    merchant_refund_id TEXT NOT NULL,
    fingerprint        BYTEA NOT NULL,
    amount_minor       BIGINT NOT NULL,
    currency           TEXT NOT NULL,
    reason             TEXT NOT NULL,
    status             TEXT NOT NULL,
    channel_id         TEXT NOT NULL,
    provider_refund_id TEXT,
    failure_code       TEXT,
    failure_message    TEXT,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    succeeded_at       BIGINT,
    version            BIGINT NOT NULL,
    UNIQUE (merchant_id, merchant_refund_id)
);

CREATE INDEX refunds_by_payment ON refunds (payment_id, status);
CREATE INDEX refunds_by_merchant ON refunds (merchant_id, id DESC);
CREATE INDEX refunds_by_status ON refunds (status, updated_at);

CREATE TABLE deliveries (
    event_seq       BIGINT PRIMARY KEY REFERENCES events (seq),
    event_id        TEXT NOT NULL,
    merchant_id     TEXT NOT NULL REFERENCES merchants (id),
    url             TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        BIGINT NOT NULL,
    next_attempt_at BIGINT,
    locked_until    BIGINT,
    last_status     BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_by_merchant ON deliveries (merchant_id, event_seq DESC);

CREATE TABLE dispatcher_cursor (
    id  BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL
);
INSERT INTO dispatcher_cursor (id, seq) VALUES (1, 0);
