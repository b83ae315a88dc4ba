-- paycore schema, SQLite. Times are microseconds since the Unix epoch (UTC).

CREATE TABLE merchants (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    api_key_hash   TEXT NOT NULL UNIQUE,
    webhook_url    TEXT,
    webhook_secret TEXT NOT NULL,
    created_at     INTEGER NOT NULL
) STRICT;

CREATE TABLE payments (
    id                      TEXT PRIMARY KEY,
    merchant_id             TEXT NOT NULL REFERENCES merchants (id),
    merchant_order_id       TEXT NOT NULL,
    fingerprint             BLOB NOT NULL,
    amount_minor            INTEGER NOT NULL,
    currency                TEXT NOT NULL,
    description             TEXT NOT NULL,
    method                  TEXT NOT NULL,
    status                  TEXT NOT NULL,
    channel_id              TEXT,
    provider_transaction_id TEXT,
    next_action             TEXT,
    refunded_minor          INTEGER NOT NULL DEFAULT 0,
    failure_code            TEXT,
    failure_message         TEXT,
    metadata                TEXT NOT NULL,
    payer_buyer_id          TEXT,
    payer_client_ip         TEXT,
    return_url              TEXT,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL,
    paid_at                 INTEGER,
    expires_at              INTEGER NOT NULL,
    version                 INTEGER NOT NULL,
    UNIQUE (merchant_id, merchant_order_id)
) STRICT;

-- ListPayments walks a merchant's payments newest first by id (ids sort by creation time).
CREATE INDEX payments_by_merchant ON payments (merchant_id, id DESC);
-- The sweeper looks for payments in a status that need settling.
CREATE INDEX payments_by_status ON payments (status, updated_at);

CREATE TABLE attempts (
    id            TEXT PRIMARY KEY,
    payment_id    TEXT NOT NULL REFERENCES payments (id),
    channel_id    TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    error_code    TEXT,
    error_message TEXT,
    latency_us    INTEGER,
    started_at    INTEGER NOT NULL
) STRICT;

CREATE INDEX attempts_by_payment ON attempts (payment_id, id);

-- The transactional outbox. `seq` is the cursor WatchEvents and the dispatcher resume from.
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    type        TEXT NOT NULL,
    payment_id  TEXT NOT NULL,
    payload     BLOB NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;

CREATE INDEX events_by_payment ON events (payment_id, seq);
CREATE INDEX events_by_merchant ON events (merchant_id, seq);
