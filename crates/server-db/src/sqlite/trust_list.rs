//! SqliteDb's TrustListStore.

use super::*;
use crate::trust_list::{StoredTrustList, TrustListStore};

#[async_trait]
impl TrustListStore for SqliteDb {
    async fn put_trust_list(&self, list: &StoredTrustList) -> Result<(), DbError> {
        let list = list.clone();
        self.run(move |c| {
            c.execute(
                "INSERT INTO trust_list (id, document, certificates, updated_at, imported_at)
                 VALUES (1, ?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET document = excluded.document,
                   certificates = excluded.certificates, updated_at = excluded.updated_at,
                   imported_at = excluded.imported_at",
                params![
                    list.document,
                    list.certificates,
                    list.updated_at.map(ts),
                    ts(list.imported_at)
                ],
            )?;
            Ok(())
        })
        .await
    }

    async fn trust_list(&self) -> Result<Option<StoredTrustList>, DbError> {
        self.run(|c| {
            let row = c
                .query_row(
                    "SELECT document, certificates, updated_at, imported_at FROM trust_list",
                    [],
                    |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, i64>(1)?,
                            r.get::<_, Option<String>>(2)?,
                            r.get::<_, String>(3)?,
                        ))
                    },
                )
                .optional()?;
            row.map(|(document, certificates, updated_at, imported_at)| {
                Ok(StoredTrustList {
                    document,
                    certificates,
                    updated_at: updated_at.as_deref().map(parse_ts).transpose()?,
                    imported_at: parse_ts(&imported_at)?,
                })
            })
            .transpose()
        })
        .await
    }

    async fn trust_list_imported_at(&self) -> Result<Option<DateTime<Utc>>, DbError> {
        self.run(|c| {
            c.query_row("SELECT imported_at FROM trust_list", [], |r| {
                r.get::<_, String>(0)
            })
            .optional()?
            .as_deref()
            .map(parse_ts)
            .transpose()
        })
        .await
    }
}
