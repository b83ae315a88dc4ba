-- A payment the channel took after paycore had closed or failed it: the channel's
-- transaction id and when the buyer paid. Both set together, or neither.
ALTER TABLE payments ADD COLUMN late_transaction_id TEXT;
ALTER TABLE payments ADD COLUMN late_paid_at BIGINT;
