-- Risk rules: each payment's evaluation, the daily counters admitted payments hold, and
-- the indexes the windowed counters (payments and declines per buyer, IP or device) read.
ALTER TABLE payments ADD COLUMN payer_device_id TEXT;
-- The rules' decision, matches, the routing a payment in review keeps, and its review (JSON).
ALTER TABLE payments ADD COLUMN risk TEXT;
-- The daily counter rows the payment holds (JSON array); NULL once it gave them back.
ALTER TABLE payments ADD COLUMN risk_counted TEXT;

CREATE INDEX payments_by_buyer ON payments (merchant_id, payer_buyer_id, created_at)
    WHERE payer_buyer_id IS NOT NULL;
CREATE INDEX payments_by_client_ip ON payments (payer_client_ip, created_at)
    WHERE payer_client_ip IS NOT NULL;
CREATE INDEX payments_by_device ON payments (payer_device_id, created_at)
    WHERE payer_device_id IS NOT NULL;
CREATE INDEX payments_in_review ON payments (id) WHERE status = 'requires_review';

-- The day's amount and count of admitted payments per merchant, buyer, IP or device and
-- currency. A key starts with its day (`2026-12-06+08:00/CNY/merchant/mch_…`), so old days
-- are pruned by a range of keys.
CREATE TABLE risk_counters (
    key          TEXT PRIMARY KEY,
    amount_minor BIGINT NOT NULL,
    count        BIGINT NOT NULL
);

-- Rules and lists managed at runtime (AdminService, `paycore risk`), over those in the config
-- file: a runtime rule replaces the config rule of its id; list entries add up.
CREATE TABLE risk_rules (
    id         TEXT PRIMARY KEY,
    -- The rule as written (JSON, the config file's fields).
    spec       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE risk_lists (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE risk_list_entries (
    list_id    TEXT NOT NULL,
    entry      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (list_id, entry)
);

-- Every change to rules and lists: who, when, and the rule or entries before and after
-- (JSON). Its highest seq is the version of the rules every node polls.
CREATE TABLE risk_audit (
    seq    BIGINT PRIMARY KEY,
    at     BIGINT NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    before TEXT,
    after  TEXT
);
