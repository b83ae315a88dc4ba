-- Several API keys per merchant, each revocable and optionally expiring, and the client
-- certificates they may be used from. Authentication reads only this table.
-- merchants.api_key_hash is no longer read; as on SQLite, which cannot drop a UNIQUE
-- column, a new merchant's first key hash is still written there.
CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    name        TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT,
    revoked_at  BIGINT
);
CREATE INDEX api_keys_merchant ON api_keys (merchant_id, id);
-- Each merchant's key so far, its id made from the merchant's (same time, so unique).
INSERT INTO api_keys (id, merchant_id, name, hash, created_at)
SELECT 'key_' || substr(id, 5), id, 'initial', api_key_hash, created_at FROM merchants;
-- Under mutual TLS, the certificate names a merchant's clients must present (a JSON array;
-- empty: any client).
ALTER TABLE merchants ADD COLUMN client_names TEXT NOT NULL DEFAULT '[]';
