-- Reconciliation: a run per channel and provider day, and the differences runs found.
-- A day's differences are one row per (channel, day, kind, item): a re-run updates the rows
-- it finds again, clears the open ones it no longer finds, and never duplicates one.
CREATE TABLE reconciliation_runs (
    id              TEXT PRIMARY KEY,
    channel_id      TEXT NOT NULL,
    day             TEXT NOT NULL,
    trigger         TEXT NOT NULL,
    status          TEXT NOT NULL,
    error_code      TEXT,
    error_message   TEXT,
    -- The statement's lines and what became of them, its sums, and its own totals (JSON).
    summary         TEXT NOT NULL,
    started_at      BIGINT NOT NULL,
    finished_at     BIGINT
);
CREATE INDEX reconciliation_runs_by_day ON reconciliation_runs (channel_id, day, started_at);
CREATE INDEX reconciliation_runs_by_start ON reconciliation_runs (started_at);

CREATE TABLE reconciliation_differences (
    id                    TEXT PRIMARY KEY,
    channel_id            TEXT NOT NULL,
    day                   TEXT NOT NULL,
    kind                  TEXT NOT NULL,
    -- What the difference is about: a payment or refund id, or the provider's id of a line
    -- paycore has no record of.
    item                  TEXT NOT NULL,
    run_id                TEXT NOT NULL,
    status                TEXT NOT NULL,
    payment_id            TEXT,
    refund_id             TEXT,
    transaction_id        TEXT,
    currency              TEXT,
    paycore_amount_minor  BIGINT,
    provider_amount_minor BIGINT,
    fee_minor             BIGINT,
    line                  BIGINT,
    detail                TEXT NOT NULL,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    resolved_by           TEXT,
    resolved_at           BIGINT,
    resolution            TEXT,
    UNIQUE (channel_id, day, kind, item)
);
CREATE INDEX reconciliation_differences_by_status ON reconciliation_differences (status, id);

-- Statement lines are matched by the provider's ids, and a day's payments and refunds are
-- found by when they succeeded.
CREATE INDEX payments_by_transaction ON payments (provider_transaction_id);
CREATE INDEX payments_by_channel_paid ON payments (channel_id, paid_at, id);
CREATE INDEX refunds_by_provider_id ON refunds (provider_refund_id);
CREATE INDEX refunds_by_channel_succeeded ON refunds (channel_id, succeeded_at, id);

-- Named leases, held by one node at a time until they expire (scheduled reconciliation).
CREATE TABLE leases (
    name   TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until  BIGINT NOT NULL
);
