//! PostgresDb's TrustListStore.

use super::*;
use crate::trust_list::{StoredTrustList, TrustListStore};

#[async_trait]
impl TrustListStore for PostgresDb {
    async fn put_trust_list(&self, list: &StoredTrustList) -> Result<(), DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        c.execute(
            "INSERT INTO trust_list (id, document, certificates, updated_at, imported_at)
             VALUES (1, $1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET document = excluded.document,
               certificates = excluded.certificates, updated_at = excluded.updated_at,
               imported_at = excluded.imported_at",
            &[
                &list.document,
                &(list.certificates as i32),
                &list.updated_at,
                &list.imported_at,
            ],
        )
        .await?;
        Ok(())
    }

    async fn trust_list(&self) -> Result<Option<StoredTrustList>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        Ok(c.query_opt(
            "SELECT document, certificates, updated_at, imported_at FROM trust_list",
            &[],
        )
        .await?
        .map(|r| StoredTrustList {
            document: r.get(0),
            certificates: i64::from(r.get::<_, i32>(1)),
            updated_at: r.get(2),
            imported_at: r.get(3),
        }))
    }

    async fn trust_list_imported_at(&self) -> Result<Option<DateTime<Utc>>, DbError> {
        let c = self.pool.get().await.map_err(pool_err)?;
        Ok(c.query_opt("SELECT imported_at FROM trust_list", &[])
            .await?
            .map(|r| r.get(0)))
    }
}
