-- An attempt's place in its payment's list: attempts are listed in the order they were
-- made, not by their ids (two made in the same millisecond have ids in random order).
-- Existing attempts are numbered by id, the best order known for them.
ALTER TABLE attempts ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
UPDATE attempts SET seq = (
    SELECT COUNT(*) FROM attempts AS earlier
    WHERE earlier.payment_id = attempts.payment_id AND earlier.id < attempts.id
);
