//! The audit trail (administrators only).

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppResult, ErrorBody};
use axum::Json;
use axum::extract::{Query, State};
use chrono::{DateTime, Utc};
use ngc_domain::access::Action;
use ngc_store::audit::AuditEntry;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One audit record.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditView {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub organisation_id: Option<i64>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    #[schema(value_type = Object)]
    pub change: serde_json::Value,
    pub hash: String,
}

impl From<AuditEntry> for AuditView {
    fn from(e: AuditEntry) -> Self {
        let r = e.record;
        Self {
            seq: r.seq,
            at: r.at,
            actor: e.actor_email,
            organisation_id: r.organisation_id,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            change: r.change,
            hash: r.hash,
        }
    }
}

/// Paging through the trail, newest first.
#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditQuery {
    /// Records before this sequence number.
    pub before: Option<i64>,
    /// At most this many (1 to 500, default 100).
    pub limit: Option<i64>,
}

/// Audit records, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])),
    params(AuditQuery),
    responses((status = 200, body = Vec<AuditView>), (status = 403, body = ErrorBody)))]
pub async fn list_audit(
    State(app): State<AppState>,
    user: CurrentUser,
    Query(q): Query<AuditQuery>,
) -> AppResult<Json<Vec<AuditView>>> {
    user.require(Action::ReadAudit)?;
    let limit = q.limit.unwrap_or(100).clamp(1, 500);
    let page = app.store.audit_page(q.before, limit).await?;
    Ok(Json(page.into_iter().map(Into::into).collect()))
}
