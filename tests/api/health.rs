//! HTTP health: `/healthz` while the process runs, `/readyz` only while the database answers
//! and has every migration this build needs (the database outage is in tests/postgres.rs).

use crate::support::*;

#[tokio::test]
async fn ready_only_while_the_database_has_every_migration() {
    let t = TestServer::start().await;
    assert_eq!(
        http(t.http_addr(), "GET", "/readyz", &[], b"").await,
        (200, "ready".to_owned())
    );

    // As if the database were restored from a backup taken before the newest migration.
    t.execute_sql(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .await;
    assert_eq!(
        http(t.http_addr(), "GET", "/readyz", &[], b"").await,
        (503, "migrations not applied".to_owned())
    );
    assert_eq!(
        http(t.http_addr(), "GET", "/healthz", &[], b"").await.0,
        200
    );
}
