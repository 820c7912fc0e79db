//! Requests to change an organisation's registration facts, and the instance
//! administrator's decisions on them. The history is kept: nothing here is ever deleted.

use crate::organisations::decode;
use crate::{Actor, Store, StoreError, on_each_backend, on_tx};
use chrono::{DateTime, Utc};
use ngc_domain::organisation::{RegistrationChange, RequestStatus};
use serde::Serialize;
use serde_json::json;
use sqlx::FromRow;

/// A registration change request with its decision, if made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegistrationRequest {
    pub id: i64,
    pub organisation_id: i64,
    /// The organisation's slug.
    pub organisation: String,
    /// The facts asked for.
    pub change: RegistrationChange,
    /// The same facts as they were when asked.
    pub previous: RegistrationChange,
    pub evidence: String,
    pub status: RequestStatus,
    /// The email of the user who asked (`None`: the system).
    pub requested_by: Option<String>,
    pub requested_at: DateTime<Utc>,
    /// The email of the instance administrator who decided.
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: String,
}

#[derive(Debug, FromRow)]
struct RequestRow {
    id: i64,
    organisation_id: i64,
    organisation: String,
    change: String,
    previous: String,
    evidence: String,
    status: String,
    requested_by: Option<String>,
    requested_at: DateTime<Utc>,
    decided_by: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    decision_note: String,
}

impl RequestRow {
    fn into_request(self) -> Result<RegistrationRequest, StoreError> {
        let json = |text: &str, column: &str| {
            serde_json::from_str(text).map_err(|e| {
                StoreError::Database(sqlx::Error::Decode(format!("column {column}: {e}").into()))
            })
        };
        Ok(RegistrationRequest {
            id: self.id,
            organisation_id: self.organisation_id,
            organisation: self.organisation,
            change: json(&self.change, "registration_requests.change")?,
            previous: json(&self.previous, "registration_requests.previous")?,
            evidence: self.evidence,
            status: decode(&self.status, "registration_requests.status")?,
            requested_by: self.requested_by,
            requested_at: self.requested_at,
            decided_by: self.decided_by,
            decided_at: self.decided_at,
            decision_note: self.decision_note,
        })
    }
}

macro_rules! select_request {
    ($tail:literal) => {
        concat!(
            "SELECT r.id, r.organisation_id, o.slug AS organisation, r.change, r.previous, \
             r.evidence, r.status, a.email AS requested_by, r.requested_at, d.email AS decided_by, \
             r.decided_at, r.decision_note FROM registration_requests r \
             JOIN organisations o ON o.id = r.organisation_id \
             LEFT JOIN users a ON a.id = r.requested_by LEFT JOIN users d ON d.id = r.decided_by ",
            $tail
        )
    };
}

const OF_ORGANISATION: &str = select_request!("WHERE r.organisation_id = $1 ORDER BY r.id DESC");
const PENDING: &str = select_request!("WHERE r.status = 'pending' ORDER BY r.id");
const BY_ID: &str = select_request!("WHERE r.id = $1");
const INSERT: &str = "INSERT INTO registration_requests \
    (organisation_id, change, previous, evidence, status, requested_by, requested_at) \
    VALUES ($1, $2, $3, $4, 'pending', $5, $6) RETURNING id";
const DECIDE: &str = "UPDATE registration_requests SET status = $2, decided_by = $3, \
    decided_at = $4, decision_note = $5 WHERE id = $1 AND status = 'pending'";

impl Store {
    /// Records a request to change registration facts of the organisation with `slug`.
    /// A request that asks for nothing different from the registration as it stands, or
    /// comes without evidence, is refused.
    pub async fn request_registration_change(
        &self,
        slug: &str,
        change: &RegistrationChange,
        evidence: &str,
        actor: &Actor,
    ) -> Result<RegistrationRequest, StoreError> {
        let evidence = evidence.trim();
        if evidence.is_empty() {
            return Err(StoreError::invalid(
                "evidence",
                "say why the registration should change, and where it can be checked",
            ));
        }
        if evidence.chars().count() > 5000 {
            return Err(StoreError::invalid(
                "evidence",
                "must be at most 5000 characters",
            ));
        }
        let mut tx = self.begin_write().await?;
        let org = tx
            .organisation(slug)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("organisation `{slug}`")))?;
        let current = org.draft().ok_or_else(|| {
            StoreError::Conflict(format!("organisation `{slug}` does not read back"))
        })?;
        let proposed = change.apply(&current);
        proposed
            .validate()
            .map_err(|e| StoreError::invalid(e.field(), e.to_string()))?;
        let asked = RegistrationChange::between(&current, &proposed);
        if asked.is_empty() {
            return Err(StoreError::invalid(
                "change",
                "the request asks for nothing that differs from the registration as it stands",
            ));
        }
        let previous = RegistrationChange::between(&proposed, &current);
        let now = tx.now();
        let id: i64 = on_tx!(tx, c => sqlx::query_scalar(INSERT)
            .bind(org.id)
            .bind(serde_json::to_string(&asked).unwrap_or_default())
            .bind(serde_json::to_string(&previous).unwrap_or_default())
            .bind(evidence)
            .bind(actor.user_id)
            .bind(now)
            .fetch_one(c)
            .await)?;
        tx.audit(
            actor,
            "organisation.registration_request",
            "organisation",
            &org.id.to_string(),
            json!({"request": id, "change": asked, "evidence": evidence}),
        )
        .await?;
        tx.commit().await?;
        self.must_find_request(id).await
    }

    /// The organisation's requests, newest first.
    pub async fn registration_requests_of(
        &self,
        organisation_id: i64,
    ) -> Result<Vec<RegistrationRequest>, StoreError> {
        let rows: Vec<RequestRow> = on_each_backend!(self, pool =>
            sqlx::query_as(OF_ORGANISATION).bind(organisation_id).fetch_all(pool).await)?;
        rows.into_iter().map(RequestRow::into_request).collect()
    }

    /// Every request waiting for a decision, oldest first.
    pub async fn pending_registration_requests(
        &self,
    ) -> Result<Vec<RegistrationRequest>, StoreError> {
        let rows: Vec<RequestRow> =
            on_each_backend!(self, pool => sqlx::query_as(PENDING).fetch_all(pool).await)?;
        rows.into_iter().map(RequestRow::into_request).collect()
    }

    /// The request with this id.
    pub async fn registration_request(
        &self,
        id: i64,
    ) -> Result<Option<RegistrationRequest>, StoreError> {
        let row: Option<RequestRow> = on_each_backend!(self, pool =>
            sqlx::query_as(BY_ID).bind(id).fetch_optional(pool).await)?;
        row.map(RequestRow::into_request).transpose()
    }

    /// Approves or refuses a pending request, with a note. Approving applies the facts it
    /// asked for to the registration as it stands now (audited as `organisation.update`);
    /// both are audited as `organisation.registration_decision`. A request already decided
    /// is a conflict.
    pub async fn decide_registration_request(
        &self,
        id: i64,
        approve: bool,
        note: &str,
        actor: &Actor,
    ) -> Result<RegistrationRequest, StoreError> {
        let note = note.trim();
        if !approve && note.is_empty() {
            return Err(StoreError::invalid(
                "note",
                "say why the request is refused",
            ));
        }
        let mut tx = self.begin_write().await?;
        let row: Option<RequestRow> = on_tx!(tx, c =>
            sqlx::query_as(BY_ID).bind(id).fetch_optional(c).await)?;
        let request = row
            .ok_or_else(|| StoreError::NotFound(format!("registration request {id}")))?
            .into_request()?;
        if request.status != RequestStatus::Pending {
            return Err(StoreError::Conflict(format!(
                "registration request {id} was already {}",
                request.status
            )));
        }
        if approve {
            let org = tx
                .organisation(&request.organisation)
                .await?
                .ok_or_else(|| {
                    StoreError::NotFound(format!("organisation `{}`", request.organisation))
                })?;
            let current = org.draft().ok_or_else(|| {
                StoreError::Conflict(format!("organisation `{}` does not read back", org.slug))
            })?;
            tx.update_organisation(org.id, &request.change.apply(&current), actor)
                .await?;
        }
        let status = if approve {
            RequestStatus::Approved
        } else {
            RequestStatus::Refused
        };
        let now = tx.now();
        on_tx!(tx, c => sqlx::query(DECIDE)
            .bind(id)
            .bind(status.as_str())
            .bind(actor.user_id)
            .bind(now)
            .bind(note)
            .execute(c)
            .await.map(crate::backend::affected))?;
        tx.audit(
            actor,
            "organisation.registration_decision",
            "organisation",
            &request.organisation_id.to_string(),
            json!({"request": id, "status": status, "note": note}),
        )
        .await?;
        tx.commit().await?;
        self.must_find_request(id).await
    }

    async fn must_find_request(&self, id: i64) -> Result<RegistrationRequest, StoreError> {
        self.registration_request(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("registration request {id}")))
    }
}
