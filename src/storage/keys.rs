//! Merchants and their API keys, the same SQL on every backend: a merchant is created with
//! its first key in one transaction, keys are added and revoked one at a time, and a key is
//! looked up by its hash whatever its state, so the caller can tell revoked from unknown.

use std::sync::LazyLock;

use async_trait::async_trait;

use super::rows::{API_KEY_COLUMNS, MERCHANT_COLUMNS};
use super::sql::{Sql, Tx};
use super::writes::Backend;
use super::{Keys, StoreError};
use crate::domain::{ApiKey, ApiKeyId, Merchant, MerchantId, Timestamp};

/// A key and its merchant by the key's hash: authentication's read, so its text is built
/// once.
static KEY_BY_HASH: LazyLock<String> = LazyLock::new(|| {
    let columns = |table: &str, list: &str| {
        list.split(", ")
            .map(|c| format!("{table}.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "SELECT {}, {} FROM api_keys k JOIN merchants m ON m.id = k.merchant_id \
         WHERE k.hash = $1",
        columns("m", MERCHANT_COLUMNS),
        columns("k", API_KEY_COLUMNS)
    )
});

fn insert_key(key: &ApiKey) -> Sql<'_> {
    Sql::new(
        "INSERT INTO api_keys (id, merchant_id, name, hash, created_at, expires_at, revoked_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .arg(key.id.as_str())
    .arg(key.merchant_id.as_str())
    .arg(key.name.as_str())
    .arg(key.hash.as_str())
    .arg(key.created_at.as_micros())
    .arg(key.expires_at.map(Timestamp::as_micros))
    .arg(key.revoked_at.map(Timestamp::as_micros))
}

fn key_by_id<'a>(merchant: &'a MerchantId, id: &'a ApiKeyId) -> Sql<'a> {
    let mut sql = Sql::new(format!("SELECT {API_KEY_COLUMNS} FROM api_keys"));
    sql.push(" WHERE merchant_id = ")
        .param(merchant.as_str())
        .push(" AND id = ")
        .param(id.as_str());
    sql
}

#[async_trait]
impl<B: Backend> Keys for B {
    async fn create_merchant(&self, m: &Merchant, key: &ApiKey) -> Result<(), StoreError> {
        let (m, key) = (m.clone(), key.clone());
        self.batcher()
            .write("create_merchant", (m, key), |mut tx, (m, key)| {
                Box::pin(async move {
                    // api_key_hash is no longer read (see the api_keys migration).
                    let sql = Sql::new(
                        "INSERT INTO merchants (id, name, api_key_hash, webhook_url, \
                         webhook_secret, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .arg(m.id.as_str())
                    .arg(m.name.as_str())
                    .arg(key.hash.as_str())
                    .arg(m.webhook_url.as_deref())
                    .arg(m.webhook_secret.expose().as_str())
                    .arg(m.created_at.as_micros());
                    tx.execute(&sql).await?;
                    tx.execute(&insert_key(key)).await.map(drop)
                })
            })
            .await
    }

    async fn key_by_hash(&self, hash: &str) -> Result<Option<(Merchant, ApiKey)>, StoreError> {
        self.fetch_optional(&Sql::new(KEY_BY_HASH.as_str()).arg(hash))
            .await
    }

    async fn api_keys(&self, merchant: &MerchantId) -> Result<Vec<ApiKey>, StoreError> {
        let mut sql = Sql::new(format!("SELECT {API_KEY_COLUMNS} FROM api_keys"));
        sql.push(" WHERE merchant_id = ")
            .param(merchant.as_str())
            .push(" ORDER BY id");
        self.fetch(&sql).await
    }

    async fn insert_api_key(&self, key: &ApiKey) -> Result<bool, StoreError> {
        let key = key.clone();
        self.batcher()
            .write("insert_api_key", key, |mut tx, key| {
                Box::pin(async move {
                    let exists = Sql::new("SELECT COUNT(*) FROM merchants WHERE id = $1")
                        .arg(key.merchant_id.as_str());
                    if tx.fetch_one::<i64>(&exists).await? == 0 {
                        return Ok(false);
                    }
                    tx.execute(&insert_key(key)).await?;
                    Ok(true)
                })
            })
            .await
    }

    async fn revoke_api_key(
        &self,
        merchant: &MerchantId,
        id: &ApiKeyId,
        at: Timestamp,
    ) -> Result<Option<ApiKey>, StoreError> {
        let (merchant, id) = (merchant.clone(), id.clone());
        self.batcher()
            .write(
                "revoke_api_key",
                (merchant, id),
                move |mut tx, (merchant, id)| {
                    Box::pin(async move {
                        let revoke = Sql::new(
                            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) \
                         WHERE merchant_id = $2 AND id = $3",
                        )
                        .arg(at.as_micros())
                        .arg(merchant.as_str())
                        .arg(id.as_str());
                        if tx.execute(&revoke).await? == 0 {
                            return Ok(None);
                        }
                        tx.fetch_optional(&key_by_id(merchant, id)).await
                    })
                },
            )
            .await
    }

    async fn set_client_names(
        &self,
        merchant: &MerchantId,
        names: &[String],
    ) -> Result<bool, StoreError> {
        let json = serde_json::Value::from(names.to_vec()).to_string();
        let merchant = merchant.clone();
        self.batcher()
            .write(
                "set_client_names",
                (merchant, json),
                |mut tx, (merchant, json)| {
                    Box::pin(async move {
                        let sql = Sql::new("UPDATE merchants SET client_names = $1 WHERE id = $2")
                            .arg(json.as_str())
                            .arg(merchant.as_str());
                        Ok(tx.execute(&sql).await? > 0)
                    })
                },
            )
            .await
    }

    async fn set_webhook_url(
        &self,
        merchant: &MerchantId,
        url: Option<&str>,
    ) -> Result<bool, StoreError> {
        let (merchant, url) = (merchant.clone(), url.map(str::to_owned));
        self.batcher()
            .write(
                "set_webhook_url",
                (merchant, url),
                |mut tx, (merchant, url)| {
                    Box::pin(async move {
                        let sql = Sql::new(
                            "UPDATE merchants SET webhook_url = $1, webhook_disabled = 0 \
                         WHERE id = $2",
                        )
                        .arg(url.as_deref())
                        .arg(merchant.as_str());
                        Ok(tx.execute(&sql).await? > 0)
                    })
                },
            )
            .await
    }
}
