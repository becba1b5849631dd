//! Helpers shared by the store's integration tests.
// Each test binary uses some of them.
#![allow(dead_code)]

/// A client of the PostgreSQL server at `url`, its connection driven in
/// the background.
pub async fn pg_client(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("connect to PostgreSQL");
    tokio::spawn(conn);
    client
}

/// Creates an empty database next to the one in `base` (the URL of
/// `CHECKIN_TEST_POSTGRES_URL`) and returns its URL.
pub async fn fresh_postgres_db(base: &str) -> String {
    let client = pg_client(base).await;
    let name = format!("checkin_store_{}", uuid::Uuid::now_v7().simple());
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let (head, tail) = base.rsplit_once('/').expect("URL ends in /DBNAME");
    let params = tail
        .split_once('?')
        .map(|(_, p)| format!("?{p}"))
        .unwrap_or_default();
    format!("{head}/{name}{params}")
}
