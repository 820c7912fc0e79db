//! OCDS releases of procurements (migration 0014): the release each step made, kept exactly as
//! built, and the public feed of those whose notice was published. Building a release is the
//! use case's work (`ngc_app::ocds`); this module stores it, numbers it and tags it, and reads
//! it back. The publication of a notice is recorded in [`crate::notices`].

use crate::organisations::decode;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use ngc_domain::procurement::notices::NoticeType;
use serde::Serialize;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use sqlx::FromRow;

/// A stored release with its notice's publication, if recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Release {
    /// ngc's id of the release (the notice, in the officer's pages and the API).
    pub id: i64,
    pub tender_id: i64,
    pub ocid: String,
    /// The OCDS release id, `{ocid}-{step}-{n}`.
    pub release_id: String,
    /// planning, tender, award, contract or termination.
    pub step: String,
    /// The step, or the award or contract it is about (`award:{id}`).
    pub slot: String,
    pub tag: String,
    pub released_at: DateTime<Utc>,
    /// The notice the release is, if the step has one.
    pub notice_type: Option<NoticeType>,
    /// The release as built.
    pub release: Value,
    /// The notice's publication on the platform, once recorded.
    pub publication: Option<Publication>,
}

/// The publication of a release's notice, as the officer recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Publication {
    /// The platform's id of the notice (e.g. `012345-2026` on Find a Tender).
    pub platform_notice_id: String,
    /// The day the platform published it (standstill under the Act runs from it).
    pub published_on: NaiveDate,
    /// When it was recorded in ngc.
    pub recorded_at: DateTime<Utc>,
    /// The position of the release in the public feed.
    pub seq: i64,
}

impl Release {
    /// Whether the notice was published.
    pub fn is_published(&self) -> bool {
        self.publication.is_some()
    }
}

/// A release to store.
#[derive(Debug, Clone, Copy)]
pub struct NewRelease<'a> {
    pub tender_id: i64,
    pub ocid: &'a str,
    /// The step's word (`tender`).
    pub step: &'a str,
    /// See [`Release::slot`].
    pub slot: &'a str,
    /// The tags of the slot's first release and of the ones after (`tender`, `tenderUpdate`).
    pub tags: (&'a str, &'a str),
    pub notice_type: Option<NoticeType>,
    /// The release without `id`, `date` and `tag`.
    pub body: &'a Value,
}

/// Which published releases to read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FeedFilter {
    /// Only the procurements with this buyer (organisation id).
    pub buyer: Option<i64>,
    /// Only the notices published on or after this day.
    pub since: Option<NaiveDate>,
    /// Only the notices published on or before this day.
    pub until: Option<NaiveDate>,
    /// How many to skip, in the feed's order.
    pub offset: i64,
    /// How many at most (`None`: all).
    pub limit: Option<i64>,
}

#[derive(Debug, FromRow)]
pub(crate) struct ReleaseRow {
    id: i64,
    tender_id: i64,
    ocid: String,
    release_id: String,
    step: String,
    slot: String,
    tag: String,
    released_at: DateTime<Utc>,
    notice_type: Option<String>,
    release: String,
    platform_notice_id: Option<String>,
    published_on: Option<NaiveDate>,
    publication_recorded_at: Option<DateTime<Utc>>,
    publication_seq: Option<i64>,
}

impl ReleaseRow {
    pub(crate) fn into_release(self) -> Result<Release, StoreError> {
        let publication = match (
            self.platform_notice_id,
            self.published_on,
            self.publication_recorded_at,
            self.publication_seq,
        ) {
            (Some(platform_notice_id), Some(published_on), Some(recorded_at), Some(seq)) => {
                Some(Publication {
                    platform_notice_id,
                    published_on,
                    recorded_at,
                    seq,
                })
            }
            _ => None,
        };
        Ok(Release {
            notice_type: self
                .notice_type
                .as_deref()
                .map(|n| decode(n, "ocds_releases.notice_type"))
                .transpose()?,
            release: serde_json::from_str(&self.release).map_err(|e| {
                StoreError::Database(sqlx::Error::Decode(
                    format!("ocds_releases.release is not JSON: {e}").into(),
                ))
            })?,
            id: self.id,
            tender_id: self.tender_id,
            ocid: self.ocid,
            release_id: self.release_id,
            step: self.step,
            slot: self.slot,
            tag: self.tag,
            released_at: self.released_at,
            publication,
        })
    }
}

macro_rules! select_release {
    ($($tail:expr),+) => {
        concat!(
            "SELECT r.id, r.tender_id, r.ocid, r.release_id, r.step, r.slot, r.tag, \
             r.released_at, r.notice_type, r.release, r.platform_notice_id, r.published_on, \
             r.publication_recorded_at, r.publication_seq FROM ocds_releases r ",
            $($tail),+
        )
    };
}
pub(crate) use select_release;

/// What the public may see: published notices, and none of a tender still in draft but its
/// planning notices (a planned procurement is announced before its tender is ready).
macro_rules! public_releases {
    ($tail:literal) => {
        select_release!(
            "JOIN tenders t ON t.id = r.tender_id \
             WHERE r.published AND (r.step = 'planning' OR t.status <> 'draft') ",
            $tail
        )
    };
}

const OF_TENDER: &str = select_release!("WHERE r.tender_id = $1 ORDER BY r.id");
const BY_ID: &str = select_release!("WHERE r.id = $1");
const LATEST_IN_SLOT: &str =
    select_release!("WHERE r.tender_id = $1 AND r.slot = $2 ORDER BY r.id DESC LIMIT 1");
const COUNT_OF_STEP: &str = "SELECT COUNT(*) FROM ocds_releases WHERE ocid = $1 AND step = $2";
const INSERT: &str = "INSERT INTO ocds_releases (tender_id, ocid, release_id, step, slot, tag, \
    released_at, notice_type, release) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
const FEED: &str = public_releases!(
    "AND ($1 IS NULL OR EXISTS (SELECT 1 FROM tender_buyers b \
        WHERE b.tender_id = r.tender_id AND b.organisation_id = $1)) \
     AND ($2 IS NULL OR r.published_on >= $2) AND ($3 IS NULL OR r.published_on <= $3) \
     ORDER BY r.publication_seq LIMIT $4 OFFSET $5"
);
const PUBLIC_OF_OCID: &str = public_releases!("AND r.ocid = $1 ORDER BY r.released_at, r.id");

/// A release as stored: `ocid`, `id`, `date` and `tag` first, then the built content.
pub fn assemble(body: &Value, id: &str, date: DateTime<Utc>, tag: &str) -> Value {
    let mut r = Map::new();
    r.insert(
        "ocid".into(),
        body.get("ocid").cloned().unwrap_or(Value::Null),
    );
    r.insert("id".into(), json!(id));
    r.insert(
        "date".into(),
        json!(date.to_rfc3339_opts(SecondsFormat::Secs, true)),
    );
    r.insert("tag".into(), json!([tag]));
    if let Some(fields) = body.as_object() {
        for (k, v) in fields {
            r.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    Value::Object(r)
}

/// The release's content: without what storing it added.
fn content(release: &Value) -> Value {
    let mut v = release.clone();
    if let Some(m) = v.as_object_mut() {
        for key in ["id", "date", "tag"] {
            m.remove(key);
        }
    }
    v
}

impl Store {
    /// Stores the release unless the last release of its slot already says the same (then
    /// that one is returned, and nothing is written). The first release of a slot takes the
    /// first tag, the others the update tag; the release id is `{ocid}-{step}-{n}`, `n`
    /// counting the process's releases of that step. Returns the release and whether it is new.
    pub async fn put_release(
        &self,
        new: &NewRelease<'_>,
        actor: &Actor,
    ) -> Result<(Release, bool), StoreError> {
        let mut tx = self.begin_write().await?;
        let latest: Option<ReleaseRow> = on_tx!(tx, c => sqlx::query_as(LATEST_IN_SLOT)
            .bind(new.tender_id).bind(new.slot).fetch_optional(c).await)?;
        let latest = latest.map(ReleaseRow::into_release).transpose()?;
        if let Some(last) = latest.as_ref()
            && content(&last.release) == content(new.body)
        {
            return Ok((last.clone(), false));
        }
        let count: i64 = on_tx!(tx, c => sqlx::query_scalar(COUNT_OF_STEP)
            .bind(new.ocid).bind(new.step).fetch_one(c).await)?;
        let release_id = format!("{}-{}-{}", new.ocid, new.step, count + 1);
        let tag = if latest.is_some() {
            new.tags.1
        } else {
            new.tags.0
        };
        let now = tx.now();
        let release = assemble(new.body, &release_id, now, tag);
        let text = release.to_string();
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT)
            .bind(new.tender_id)
            .bind(new.ocid)
            .bind(&release_id)
            .bind(new.step)
            .bind(new.slot)
            .bind(tag)
            .bind(now)
            .bind(new.notice_type.map(|n| n.as_str()))
            .bind(&text)
            .fetch_one(c)
            .await)?;
        tx.audit(
            actor,
            "ocds.release",
            "ocds_release",
            &release_id,
            json!({
                "tender_id": new.tender_id,
                "step": new.step,
                "tag": tag,
                "notice_type": new.notice_type,
                "release_sha256": hex::encode(Sha256::digest(text.as_bytes())),
            }),
        )
        .await?;
        tx.commit().await?;
        let stored = self
            .release_by_id(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("release {release_id}")))?;
        Ok((stored, true))
    }

    /// The releases of a tender, oldest first, published or not (the buyer's working record).
    pub async fn releases_of_tender(&self, tender_id: i64) -> Result<Vec<Release>, StoreError> {
        let rows: Vec<ReleaseRow> = on_each_backend!(self, pool =>
            sqlx::query_as(OF_TENDER).bind(tender_id).fetch_all(pool).await)?;
        rows.into_iter().map(ReleaseRow::into_release).collect()
    }

    /// The release with this id in ngc.
    pub async fn release_by_id(&self, id: i64) -> Result<Option<Release>, StoreError> {
        let row: Option<ReleaseRow> = on_each_backend!(self, pool =>
            sqlx::query_as(BY_ID).bind(id).fetch_optional(pool).await)?;
        row.map(ReleaseRow::into_release).transpose()
    }

    /// The public feed: published notices in the order their publication was recorded (so a
    /// page never moves), never a draft tender's but its planning notices.
    pub async fn published_releases(&self, f: &FeedFilter) -> Result<Vec<Release>, StoreError> {
        let limit = f.limit.unwrap_or(i64::MAX);
        let rows: Vec<ReleaseRow> = on_each_backend!(self, pool => sqlx::query_as(FEED)
            .bind(f.buyer)
            .bind(f.since)
            .bind(f.until)
            .bind(limit)
            .bind(f.offset)
            .fetch_all(pool)
            .await)?;
        rows.into_iter().map(ReleaseRow::into_release).collect()
    }

    /// The published releases of one contracting process, oldest first (what its record
    /// compiles).
    pub async fn published_releases_of(&self, ocid: &str) -> Result<Vec<Release>, StoreError> {
        let rows: Vec<ReleaseRow> = on_each_backend!(self, pool =>
            sqlx::query_as(PUBLIC_OF_OCID).bind(ocid).fetch_all(pool).await)?;
        rows.into_iter().map(ReleaseRow::into_release).collect()
    }
}
