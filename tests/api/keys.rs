//! Merchants and API keys as the operator manages them: over gRPC (AdminService) and on the
//! host (`paycore merchant …`), with revocation, expiry, several nodes, and keys made before
//! keys had ids.

use std::sync::Arc;
use std::time::Duration;

use paycore::proto::v1;
use paycore::service::merchants::KNOWN_FOR;
use tonic::Code;
use tonic_types::StatusExt;

use crate::support::*;

async fn list(t: &TestServer, key: &str) -> Result<(), tonic::Status> {
    t.client_with(key)
        .await
        .list_payments(v1::ListPaymentsRequest::default())
        .await
        .map(drop)
}

async fn new_merchant(t: &TestServer, name: &str) -> v1::CreateMerchantResponse {
    t.admin(OPERATOR_KEY)
        .await
        .create_merchant(v1::CreateMerchantRequest {
            name: name.into(),
            webhook_url: String::new(),
        })
        .await
        .unwrap()
        .into_inner()
}

async fn new_key(t: &TestServer, merchant: &str, valid_for: Option<Duration>) -> (String, String) {
    let made = t
        .admin(OPERATOR_KEY)
        .await
        .create_api_key(v1::CreateApiKeyRequest {
            merchant_id: merchant.into(),
            name: "second".into(),
            valid_for: valid_for.map(|d| d.try_into().unwrap()),
        })
        .await
        .unwrap()
        .into_inner();
    (made.api_key.unwrap().id, made.key)
}

async fn revoke(t: &TestServer, merchant: &str, key_id: &str) -> Result<v1::ApiKey, tonic::Status> {
    t.admin(OPERATOR_KEY)
        .await
        .revoke_api_key(v1::RevokeApiKeyRequest {
            merchant_id: merchant.into(),
            api_key_id: key_id.into(),
        })
        .await
        .map(|r| r.into_inner().api_key.unwrap())
}

#[tokio::test]
async fn the_operator_creates_merchants_and_keys_and_a_revoked_key_stops_at_once() {
    let t = TestServer::start().await;
    let created = new_merchant(&t, "orders").await;
    let merchant = created.merchant.unwrap();
    let first = created.api_key.unwrap();
    // The key names its id: pk_ + the id's body.
    assert!(
        created
            .key
            .starts_with(&format!("pk_{}_", &first.id["key_".len()..])),
        "{} for {}",
        created.key,
        first.id
    );
    assert!(created.webhook_secret.starts_with("whsec_"));
    list(&t, &created.key).await.unwrap();

    let (second_id, second) = new_key(&t, &merchant.id, None).await;
    list(&t, &second).await.unwrap();
    let keys = t
        .admin(OPERATOR_KEY)
        .await
        .list_api_keys(v1::ListApiKeysRequest {
            merchant_id: merchant.id.clone(),
        })
        .await
        .unwrap()
        .into_inner()
        .api_keys;
    let ids: Vec<_> = keys.iter().map(|k| k.id.as_str()).collect();
    assert_eq!(ids, [first.id.as_str(), second_id.as_str()]);
    assert!(keys.iter().all(|k| k.revoked_at.is_none()));

    // Revoked: refused on this node at once, the other key unaffected; again is the same.
    let revoked = revoke(&t, &merchant.id, &first.id).await.unwrap();
    assert!(revoked.revoked_at.is_some());
    let err = list(&t, &created.key).await.unwrap_err();
    assert_reason(&err, Code::Unauthenticated, "INVALID_API_KEY");
    list(&t, &second).await.unwrap();
    assert_eq!(revoke(&t, &merchant.id, &first.id).await.unwrap(), revoked);

    // Another merchant's key, an unknown merchant, a malformed id.
    let other = new_merchant(&t, "other").await;
    let err = revoke(&t, &other.merchant.unwrap().id, &second_id)
        .await
        .unwrap_err();
    assert_reason(&err, Code::NotFound, "API_KEY_NOT_FOUND");
    list(&t, &second).await.unwrap();
    let err = revoke(&t, "mch_00000000000000000000000000", &second_id)
        .await
        .unwrap_err();
    assert_reason(&err, Code::NotFound, "API_KEY_NOT_FOUND");
    let err = revoke(&t, &merchant.id, "pk_nope").await.unwrap_err();
    assert_reason(&err, Code::InvalidArgument, "INVALID_REQUEST");

    // Merchant keys cannot manage merchants.
    let err = t
        .admin(&second)
        .await
        .list_merchants(v1::ListMerchantsRequest {})
        .await
        .unwrap_err();
    assert_reason(&err, Code::Unauthenticated, "INVALID_OPERATOR_KEY");
    let all = t
        .admin(OPERATOR_KEY)
        .await
        .list_merchants(v1::ListMerchantsRequest {})
        .await
        .unwrap()
        .into_inner()
        .merchants;
    assert!(
        all.iter()
            .any(|m| m.id == merchant.id && m.name == "orders")
    );
    t.stop().await;
}

#[tokio::test]
async fn a_key_stops_at_its_expiry_and_a_revocation_reaches_other_nodes_within_the_cache_lifetime()
{
    let clock = Arc::new(ShiftedClock::default());
    let a = TestServer::start_with_clock("", clock.clone()).await;
    let b = a.another_node().await;
    let merchant = new_merchant(&a, "orders").await.merchant.unwrap().id;

    let (_, expiring) = new_key(&a, &merchant, Some(Duration::from_secs(60))).await;
    list(&a, &expiring).await.unwrap();
    clock.advance(Duration::from_secs(61));
    let err = list(&a, &expiring).await.unwrap_err();
    assert_reason(&err, Code::Unauthenticated, "INVALID_API_KEY");

    let (id, key) = new_key(&a, &merchant, None).await;
    list(&b, &key).await.unwrap();
    revoke(&a, &merchant, &id).await.unwrap();
    assert!(
        list(&a, &key).await.is_err(),
        "the revoking node refuses at once"
    );
    list(&b, &key).await.unwrap();
    clock.advance(KNOWN_FOR + Duration::from_secs(1));
    let err = list(&b, &key).await.unwrap_err();
    assert_reason(&err, Code::Unauthenticated, "INVALID_API_KEY");
    b.stop().await;
    a.stop().await;
}

#[tokio::test]
async fn webhook_urls_are_checked_when_set_over_grpc_and_secrets_rotate() {
    let t = TestServer::start().await;
    let merchant = new_merchant(&t, "orders").await.merchant.unwrap().id;
    let mut admin = t.admin(OPERATOR_KEY).await;
    let set = |url: &str| v1::SetWebhookUrlRequest {
        merchant_id: merchant.clone(),
        webhook_url: url.into(),
    };
    // Alibaba Cloud's metadata address, and a NAT64 spelling of a link-local one.
    for url in [
        "http://100.100.100.200/latest",
        "http://[64:ff9b::a9fe:a9fe]/",
    ] {
        let err = admin.set_webhook_url(set(url)).await.unwrap_err();
        assert_reason(&err, Code::InvalidArgument, "INVALID_REQUEST");
        let violations = err.get_details_bad_request().unwrap().field_violations;
        assert!(
            violations
                .iter()
                .any(|v| v.field == "webhook_url" && v.reason == "WEBHOOK_URL_NOT_ALLOWED"),
            "{violations:?}"
        );
    }
    let m = admin.set_webhook_url(set("")).await.unwrap().into_inner();
    assert_eq!(m.merchant.unwrap().webhook_url, "");

    let rotated = admin
        .rotate_webhook_secret(v1::RotateWebhookSecretRequest {
            merchant_id: merchant.clone(),
            grace: Some(Duration::from_secs(600).try_into().unwrap()),
        })
        .await
        .unwrap()
        .into_inner();
    assert!(rotated.webhook_secret.starts_with("whsec_"));
    let until = rotated.previous_secret_expires_at.unwrap().seconds;
    assert!((until - unix_now() - 600).abs() < 30, "{until}");
    let err = admin
        .rotate_webhook_secret(v1::RotateWebhookSecretRequest {
            merchant_id: "mch_00000000000000000000000000".into(),
            grace: None,
        })
        .await
        .unwrap_err();
    assert_reason(&err, Code::NotFound, "MERCHANT_NOT_FOUND");
    t.stop().await;
}

#[test]
fn the_cli_creates_lists_and_revokes_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path());
    let run = |args: &[&str]| {
        let out = paycore(&db).args(args).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        text.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .collect::<Vec<_>>()
    };
    let created = run(&["merchant", "create", "--name", "shop"]).remove(0);
    let merchant = created["merchant_id"].as_str().unwrap().to_owned();
    let made = run(&[
        "merchant",
        "create-key",
        "--merchant-id",
        &merchant,
        "--name",
        "ci",
        "--expires-in-days",
        "30",
    ])
    .remove(0);
    let key = made["api_key"].as_str().unwrap();
    assert!(made["expires_at"].is_string());
    // Revoked by the key's own prefix, as one found in a log would be.
    let prefix = &key[..key.rfind('_').unwrap() + 1];
    let revoked = run(&["merchant", "revoke-key", "--merchant-id", &merchant, prefix]).remove(0);
    assert_eq!(revoked["api_key_id"], made["api_key_id"]);
    let keys = run(&["merchant", "keys", "--merchant-id", &merchant]);
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0]["api_key_id"], created["api_key_id"]);
    assert!(keys[0]["revoked_at"].is_null());
    assert!(keys[1]["revoked_at"].is_string());
    assert!(
        keys.iter().all(|k| k.get("api_key").is_none()),
        "a listed key shows its secret"
    );

    let out = paycore(&db)
        .args([
            "merchant",
            "revoke-key",
            "--merchant-id",
            &merchant,
            "key_00000000000000000000000000",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such API key"));
}

/// A database from before keys had ids (merchants.api_key_hash only): its keys keep
/// working once paycore has migrated it, each now listed under an id of its own.
#[tokio::test]
async fn keys_made_before_keys_had_ids_keep_working_after_the_upgrade() {
    use paycore::domain::merchant::hash_api_key;
    use sqlx::Connection;

    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    let mut before = sqlx::migrate::Migrator::new(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/storage/migrations/sqlite"
    )))
    .await
    .unwrap();
    before.migrations = before
        .migrations
        .iter()
        .filter(|m| m.description != "api keys")
        .cloned()
        .collect::<Vec<_>>()
        .into();
    let old_key = format!("pk_{}", "ab".repeat(32));
    let merchant = "mch_01JQ0000000000000000000000";
    {
        let mut conn = sqlx::SqliteConnection::connect(&format!("{url}?mode=rwc"))
            .await
            .unwrap();
        before.run(&mut conn).await.unwrap();
        sqlx::query(
            "INSERT INTO merchants (id, name, api_key_hash, webhook_secret, created_at) \
             VALUES ($1, 'old', $2, 'whsec_b2xk', 0)",
        )
        .bind(merchant)
        .bind(hash_api_key(&old_key))
        .execute(&mut conn)
        .await
        .unwrap();
    }

    let config = paycore::config::DatabaseConfig {
        url,
        ..Default::default()
    };
    let store = paycore::storage::open(&config).await.unwrap();
    let guard = paycore::service::webhook_guard(&Default::default()).unwrap();
    let merchants = paycore::service::merchants::Merchants::new(
        store,
        Arc::new(paycore::domain::SystemClock),
        guard,
    );
    let found = merchants.authenticate(&old_key).await.unwrap().unwrap();
    assert_eq!(found.id.as_str(), merchant);
    let keys = merchants.keys(&found.id).await.unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].id.as_str(), "key_01JQ0000000000000000000000");
    merchants.revoke_key(&found.id, &keys[0].id).await.unwrap();
    assert!(merchants.authenticate(&old_key).await.unwrap().is_none());
}
