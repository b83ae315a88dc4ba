-- When the sweeper may next check an unsettled payment or refund, and how often it has
-- checked since the item last changed. A claim sets check_at to the end of its lease, so
-- one node checks an item at a time; an item that did not settle waits longer each try.
-- Any change of the item resets both (check_at 0: due as soon as its state's delay passed).
ALTER TABLE payments ADD COLUMN check_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE payments ADD COLUMN check_tries BIGINT NOT NULL DEFAULT 0;
ALTER TABLE refunds ADD COLUMN check_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE refunds ADD COLUMN check_tries BIGINT NOT NULL DEFAULT 0;
CREATE INDEX payments_due ON payments (status, check_at);
CREATE INDEX refunds_due ON refunds (status, check_at);
