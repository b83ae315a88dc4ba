-- Refunds. The sum of a payment's refunds that have not failed never exceeds its amount:
-- checked and written in one transaction (SQLite serialises writers).
CREATE TABLE refunds (
    id                 TEXT PRIMARY KEY,
    merchant_id        TEXT NOT NULL REFERENCES merchants (id),
    payment_id         TEXT NOT NULL REFERENCES payments (id),
    merchant_refund_id TEXT NOT NULL,
    fingerprint        BLOB NOT NULL,
    amount_minor       INTEGER NOT NULL,
    currency           TEXT NOT NULL,
    reason             TEXT NOT NULL,
    status             TEXT NOT NULL,
    channel_id         TEXT NOT NULL,
    provider_refund_id TEXT,
    failure_code       TEXT,
    failure_message    TEXT,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    succeeded_at       INTEGER,
    version            INTEGER NOT NULL,
    UNIQUE (merchant_id, merchant_refund_id)
) STRICT;

CREATE INDEX refunds_by_payment ON refunds (payment_id, status);
CREATE INDEX refunds_by_merchant ON refunds (merchant_id, id DESC);
CREATE INDEX refunds_by_status ON refunds (status, updated_at);
