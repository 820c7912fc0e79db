//! The publication of a notice on the Central Digital Platform, which ngc cannot reach: the
//! officer records the platform's notice id and the day it was published, once, and the
//! release joins the public feed in the order publications were recorded.

use crate::releases::{Release, select_release};
use crate::{Actor, Store, StoreError, on_tx};
use chrono::NaiveDate;
use serde_json::json;

const BY_ID_IN_TX: &str = select_release!("WHERE r.id = $1");
const HOLDER_OF_NOTICE_ID: &str =
    "SELECT release_id FROM ocds_releases WHERE platform_notice_id = $1";
const NEXT_SEQ: &str =
    "SELECT CAST(COALESCE(MAX(publication_seq), 0) + 1 AS BIGINT) FROM ocds_releases";
const PUBLISH: &str = "UPDATE ocds_releases SET published = TRUE, platform_notice_id = $2, \
    published_on = $3, publication_recorded_at = $4, publication_seq = $5 \
    WHERE id = $1 AND NOT published";

impl Store {
    /// Records that the notice of release `id` was published on the platform as
    /// `platform_notice_id` on `published_on`. Refused (and nothing written) if its
    /// publication was already recorded, or if another release holds that notice id.
    pub async fn record_publication(
        &self,
        id: i64,
        platform_notice_id: &str,
        published_on: NaiveDate,
        actor: &Actor,
    ) -> Result<Release, StoreError> {
        let mut tx = self.begin_write().await?;
        let row: Option<crate::releases::ReleaseRow> = on_tx!(tx, c =>
            sqlx::query_as(BY_ID_IN_TX).bind(id).fetch_optional(c).await)?;
        let release = row
            .ok_or_else(|| StoreError::NotFound(format!("notice {id}")))?
            .into_release()?;
        if let Some(p) = &release.publication {
            return Err(StoreError::Conflict(format!(
                "the notice {} was already recorded as published on {} as notice {}",
                release.release_id, p.published_on, p.platform_notice_id
            )));
        }
        let holder: Option<String> = on_tx!(tx, c => sqlx::query_scalar(HOLDER_OF_NOTICE_ID)
            .bind(platform_notice_id).fetch_optional(c).await)?;
        if let Some(other) = holder {
            return Err(StoreError::invalid(
                "platform_notice_id",
                format!("the platform's notice {platform_notice_id} is recorded for {other}"),
            ));
        }
        let seq: i64 = on_tx!(tx, c => sqlx::query_scalar(NEXT_SEQ).fetch_one(c).await)?;
        let now = tx.now();
        on_tx!(tx, c => sqlx::query(PUBLISH)
            .bind(id)
            .bind(platform_notice_id)
            .bind(published_on)
            .bind(now)
            .bind(seq)
            .execute(c)
            .await
            .map(crate::backend::affected))?;
        tx.audit(
            actor,
            "ocds.publication",
            "ocds_release",
            &release.release_id,
            json!({
                "tender_id": release.tender_id,
                "notice_type": release.notice_type,
                "platform_notice_id": platform_notice_id,
                "published_on": published_on,
            }),
        )
        .await?;
        tx.commit().await?;
        self.release_by_id(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("notice {id}")))
    }
}
