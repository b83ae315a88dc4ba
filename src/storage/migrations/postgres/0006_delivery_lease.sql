-- A claim's token: only the node holding a delivery's lease records its outcome.
ALTER TABLE deliveries ADD COLUMN lease_token BIGINT;
-- Deliveries being tried now, counted per endpoint against `webhooks.per_endpoint`.
CREATE INDEX deliveries_leased ON deliveries (locked_until) WHERE locked_until IS NOT NULL;
