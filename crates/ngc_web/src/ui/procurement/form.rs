//! The new-tender and edit-draft forms. They work without JavaScript: eight buyer rows and
//! five lot rows, blank rows skipped. The form fills the same `TenderInput` the API takes
//! and calls the same use case; bad input shows the form again with the field named and the
//! use case's status (e.g. 422 when the buyers' shares do not sum to 100%).

use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::ui::{Layout, after_form, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDateTime, Utc};
use ngc_app::tenders::{self as uc, BuyerShareInput, LotInput, TenderInput};
use ngc_domain::access::{Action, Area};
use ngc_domain::organisation::OrgKind;
use ngc_domain::procurement::evaluation::{CriteriaSet, PriceMethod, ScoringScale};
use ngc_domain::procurement::{ClassificationScheme, ContractType, Procedure, Reservation};
use ngc_store::organisations::Organisation;
use ngc_store::tenders::Tender;

/// Buyer rows on the form.
const BUYER_ROWS: usize = 8;
/// Lot rows on the form.
const LOT_ROWS: usize = 5;
/// Criterion rows on the form.
const CRITERION_ROWS: usize = 6;

/// What the form holds, as typed.
#[derive(Debug, Clone, Default)]
pub struct TenderForm {
    reference: String,
    title: String,
    description: String,
    classification_scheme: String,
    classification_code: String,
    contract_type: String,
    procedure: String,
    commenced_on: String,
    estimated_value: String,
    vat_inclusive: bool,
    reservation: String,
    two_envelope: bool,
    clarification_deadline: String,
    submission_deadline: String,
    /// (slug, share percent) per row.
    buyers: Vec<(String, String)>,
    /// (title, estimated value, description) per row.
    lots: Vec<(String, String, String)>,
    /// The name of the criteria set.
    criteria_name: String,
    /// (key, name, weight percent, `price` or `quality`) per row.
    criteria: Vec<(String, String, String, String)>,
}

#[derive(Template)]
#[template(path = "procurement/form.html")]
struct FormPage {
    layout: Layout,
    /// The tender being edited, or none for a new one.
    editing: Option<i64>,
    form: TenderForm,
    organisations: Vec<Organisation>,
    schemes: &'static [ClassificationScheme],
    contract_types: &'static [ContractType],
    procedures: &'static [Procedure],
    reservations: &'static [Reservation],
    error: Option<AppError>,
}

fn datetime_local(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

impl TenderForm {
    fn blank() -> Self {
        Self {
            classification_scheme: "cpv".into(),
            buyers: vec![(String::new(), String::new()); BUYER_ROWS],
            lots: vec![(String::new(), String::new(), String::new()); LOT_ROWS],
            criteria: vec![Default::default(); CRITERION_ROWS],
            ..Self::default()
        }
    }

    fn from_fields(fields: &[(String, String)]) -> Self {
        let get = |name: &str| {
            fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        Self {
            reference: get("reference"),
            title: get("title"),
            description: get("description"),
            classification_scheme: get("classification_scheme"),
            classification_code: get("classification_code"),
            contract_type: get("contract_type"),
            procedure: get("procedure"),
            commenced_on: get("commenced_on"),
            estimated_value: get("estimated_value"),
            vat_inclusive: !get("vat_inclusive").is_empty(),
            reservation: get("reservation"),
            two_envelope: !get("two_envelope").is_empty(),
            clarification_deadline: get("clarification_deadline"),
            submission_deadline: get("submission_deadline"),
            buyers: (1..=BUYER_ROWS)
                .map(|i| (get(&format!("buyer_{i}")), get(&format!("share_{i}"))))
                .collect(),
            lots: (1..=LOT_ROWS)
                .map(|i| {
                    (
                        get(&format!("lot_title_{i}")),
                        get(&format!("lot_value_{i}")),
                        get(&format!("lot_description_{i}")),
                    )
                })
                .collect(),
            criteria_name: get("criteria_name"),
            criteria: (1..=CRITERION_ROWS)
                .map(|i| {
                    (
                        get(&format!("criterion_key_{i}")),
                        get(&format!("criterion_name_{i}")),
                        get(&format!("criterion_weight_{i}")),
                        get(&format!("criterion_type_{i}")),
                    )
                })
                .collect(),
        }
    }

    fn from_tender(t: &Tender) -> Self {
        let mut buyers: Vec<(String, String)> = t
            .buyers
            .iter()
            .map(|b| (b.organisation.clone(), b.share_percent.clone()))
            .collect();
        buyers.resize(BUYER_ROWS.max(buyers.len()), (String::new(), String::new()));
        let mut lots: Vec<(String, String, String)> = t
            .lots
            .iter()
            .map(|l| {
                (
                    l.title.clone(),
                    l.estimated_value.to_decimal().to_string(),
                    l.description.clone(),
                )
            })
            .collect();
        lots.resize(
            LOT_ROWS.max(lots.len()),
            (String::new(), String::new(), String::new()),
        );
        let set: Option<CriteriaSet> = serde_json::from_value(t.criteria.clone()).ok();
        let criteria_name = set
            .as_ref()
            .map(|s| s.name().to_owned())
            .unwrap_or_default();
        let mut criteria: Vec<(String, String, String, String)> = set
            .iter()
            .flat_map(|s| s.criteria())
            .map(|c| {
                (
                    c.key.to_string(),
                    c.name.clone(),
                    c.weight.normalize().to_string(),
                    c.kind.criterion_type().to_string(),
                )
            })
            .collect();
        criteria.resize(CRITERION_ROWS.max(criteria.len()), Default::default());
        Self {
            reference: t.reference.clone(),
            title: t.title.clone(),
            description: t.description.clone(),
            classification_scheme: t.classification_scheme.to_string(),
            classification_code: t.classification_code.clone(),
            contract_type: t.contract_type.to_string(),
            procedure: t.procedure.to_string(),
            commenced_on: t.commenced_on.to_string(),
            estimated_value: t.estimated_value.to_decimal().to_string(),
            vat_inclusive: t.vat_inclusive,
            reservation: t.reservation.to_string(),
            two_envelope: t.two_envelope,
            clarification_deadline: t
                .clarification_deadline
                .map(datetime_local)
                .unwrap_or_default(),
            submission_deadline: datetime_local(t.submission_deadline),
            buyers,
            lots,
            criteria_name,
            criteria,
        }
    }

    /// The API's input, or the first field that cannot be read as typed.
    fn input(&self) -> AppResult<TenderInput> {
        let blank = |s: &str| s.trim().is_empty();
        let commenced_on = if blank(&self.commenced_on) {
            None
        } else {
            Some(self.commenced_on.trim().parse().map_err(|_| {
                AppError::invalid(
                    "commenced_on",
                    format!("`{}` is not a date: use YYYY-MM-DD", self.commenced_on),
                )
            })?)
        };
        let clarification_deadline = if blank(&self.clarification_deadline) {
            None
        } else {
            Some(instant(
                "clarification_deadline",
                &self.clarification_deadline,
            )?)
        };
        Ok(TenderInput {
            reference: self.reference.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            classification_scheme: self.classification_scheme.clone(),
            classification_code: self.classification_code.clone(),
            contract_type: self.contract_type.clone(),
            procedure: self.procedure.clone(),
            commencing_event: None,
            commenced_on,
            estimated_value: self.estimated_value.clone(),
            vat_inclusive: self.vat_inclusive,
            reservation: Some(self.reservation.clone()).filter(|r| !blank(r)),
            two_envelope: self.two_envelope,
            criteria: self.criteria_json(),
            clarification_deadline,
            submission_deadline: instant("submission_deadline", &self.submission_deadline)?,
            buyers: self
                .buyers
                .iter()
                .filter(|(slug, share)| !(blank(slug) && blank(share)))
                .map(|(slug, share)| BuyerShareInput {
                    organisation: slug.clone(),
                    share_percent: share.clone(),
                })
                .collect(),
            lots: self
                .lots
                .iter()
                .filter(|(t, v, d)| !(blank(t) && blank(v) && blank(d)))
                .map(|(title, value, description)| LotInput {
                    title: title.clone(),
                    description: description.clone(),
                    estimated_value: value.clone(),
                    criteria: None,
                })
                .collect(),
        })
    }
}

impl TenderForm {
    /// The criteria set as the API takes it, from the rows typed (blank rows skipped): no
    /// rows and no name is no criteria yet. The use case checks it (weights summing to 100%
    /// and the rest) and names the set when it is wrong.
    fn criteria_json(&self) -> serde_json::Value {
        let blank = |s: &str| s.trim().is_empty();
        let rows: Vec<serde_json::Value> = self
            .criteria
            .iter()
            .filter(|(k, n, w, _)| !(blank(k) && blank(n) && blank(w)))
            .map(|(key, name, weight, kind)| {
                let mut c = serde_json::json!({
                    "key": key.trim(),
                    "name": name.trim(),
                    "weight": weight.trim(),
                });
                if kind == "price" {
                    c["kind"] = "price".into();
                    c["method"] = PriceMethod::LowestOverBid.as_str().into();
                } else {
                    c["kind"] = "quality".into();
                    c["scale"] = serde_json::to_value(ScoringScale::zero_to_five())
                        .expect("a scale is plain JSON");
                }
                c
            })
            .collect();
        if rows.is_empty() && blank(&self.criteria_name) {
            return serde_json::json!({});
        }
        serde_json::json!({"name": self.criteria_name.trim(), "criteria": rows})
    }
}

/// A time typed in the form: `YYYY-MM-DDTHH:MM` (the browser's date and time, read as UTC)
/// or RFC 3339 with an offset.
pub(crate) fn instant(field: &str, value: &str) -> AppResult<DateTime<Utc>> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::invalid(field, "must not be empty"));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Ok(t.with_timezone(&Utc));
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok())
        .map(|t| t.and_utc())
        .ok_or_else(|| {
            AppError::invalid(
                field,
                format!("`{v}` is not a date and time: use YYYY-MM-DDTHH:MM (UTC)"),
            )
        })
}

async fn form_page(
    app: &AppState,
    user: &CurrentUser,
    editing: Option<i64>,
    form: TenderForm,
    error: Option<AppError>,
) -> AppResult<Response> {
    let title = if editing.is_some() {
        "Edit tender"
    } else {
        "New tender"
    };
    let layout = Layout::for_user(user, title, Some(Area::Procurement));
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let organisations = app
        .store
        .list_organisations()
        .await?
        .into_iter()
        .filter(|o| o.kind != OrgKind::Provider)
        .collect();
    let page = FormPage {
        layout,
        editing,
        form,
        organisations,
        schemes: ClassificationScheme::ALL,
        contract_types: ContractType::ALL,
        procedures: Procedure::ALL,
        reservations: Reservation::ALL,
        error,
    };
    Ok((status, render(&page)).into_response())
}

/// `GET /procurement/tenders/new`.
pub async fn new(State(app): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.require(Action::ManageTenders(user.principal.organisation_id))?;
    form_page(&app, &user, None, TenderForm::blank(), None).await
}

/// `POST /procurement/tenders`.
pub async fn create(
    State(app): State<AppState>,
    user: CurrentUser,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    user.require(Action::ManageTenders(user.principal.organisation_id))?;
    let form = TenderForm::from_fields(&fields);
    let result = match form.input() {
        Ok(input) => uc::create(&app.store, &user.caller(), input)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    after_form(
        result,
        |t| format!("/procurement/tenders/{}", t.id),
        |e| form_page(&app, &user, None, form.clone(), Some(e)),
    )
    .await
}

/// The draft with this id, if the user may edit it.
async fn editable(app: &AppState, user: &CurrentUser, id: i64) -> AppResult<Tender> {
    let t = uc::find(&app.store, &user.caller(), id).await?;
    user.require(Action::ManageTenders(t.lead_organisation_id))?;
    Ok(t)
}

/// `GET /procurement/tenders/{id}/edit`.
pub async fn edit(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let t = editable(&app, &user, id).await?;
    form_page(&app, &user, Some(id), TenderForm::from_tender(&t), None).await
}

/// `POST /procurement/tenders/{id}`.
pub async fn update(
    State(app): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    editable(&app, &user, id).await?;
    let form = TenderForm::from_fields(&fields);
    let result = match form.input() {
        Ok(input) => uc::update(&app.store, &user.caller(), id, input)
            .await
            .map_err(AppError::from),
        Err(e) => Err(e),
    };
    after_form(
        result,
        |t| format!("/procurement/tenders/{}", t.id),
        |e| form_page(&app, &user, Some(id), form.clone(), Some(e)),
    )
    .await
}
