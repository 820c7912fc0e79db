//! Public budget consultations ("You Choose"): an officer creates one from a plan year; a
//! resident, with no account, submits choices that close the gap; officers (and the public,
//! once published) read the results; the results go back to the plan as notes on its lines.
//! The rules are [`ngc_domain::consultation`].

pub mod token;

use crate::{Caller, UseCaseError, UseCaseResult};
use chrono::NaiveDate;
use ngc_domain::access::Action;
use ngc_domain::consultation::{
    self, AgeBand, ChoiceError, Choices, Definition, Position, QuestionKind, Results, Settings,
};
use ngc_domain::finance::referendum::Principles;
use ngc_store::Store;
use ngc_store::consultations::{
    NewConsultation, NewNote, NewResponse, StoredConsultation, StoredNote,
};
use serde::{Deserialize, Serialize};
pub use token::{Signer, VerifiedToken};

/// What an officer gives to create a consultation.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateInput {
    /// The plan's name.
    pub plan: String,
    /// The title residents see.
    pub title: String,
    /// The introduction, in plain words.
    pub introduction: String,
    /// The first day responses are taken.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2016-01-04"))]
    pub opens_on: NaiveDate,
    /// The last day responses are taken.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2016-02-14"))]
    pub closes_on: NaiveDate,
    /// The questions to build from the plan.
    pub settings: Settings,
}

/// A consultation with its questions.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consultation {
    /// Its id.
    pub id: i64,
    /// The council's id.
    pub organisation_id: i64,
    /// The council's slug.
    pub organisation: String,
    /// The council's name.
    pub organisation_name: String,
    /// The plan it was built from.
    pub plan: String,
    /// The title.
    pub title: String,
    /// The introduction.
    pub introduction: String,
    /// The first day responses are taken.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub opens_on: NaiveDate,
    /// The last day responses are taken.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub closes_on: NaiveDate,
    /// Whether the public may read the results.
    pub results_published: bool,
    /// The questions and the figures behind them.
    pub definition: Definition,
}

impl Consultation {
    /// Whether responses are taken on `today`.
    pub fn is_open(&self, today: NaiveDate) -> bool {
        self.opens_on <= today && today <= self.closes_on
    }

    async fn from_stored(store: &Store, c: StoredConsultation) -> UseCaseResult<Consultation> {
        let org = store
            .organisation_by_id(c.organisation_id)
            .await?
            .ok_or_else(|| UseCaseError::NotFound(format!("organisation {}", c.organisation_id)))?;
        let definition: Definition = serde_json::from_str(&c.definition).map_err(|e| {
            UseCaseError::Store(ngc_store::StoreError::invalid(
                "consultations.definition",
                format!("consultation {} cannot be read: {e}", c.id),
            ))
        })?;
        Ok(Consultation {
            id: c.id,
            organisation_id: org.id,
            organisation: org.slug,
            organisation_name: org.name,
            plan: c.plan,
            title: c.title,
            introduction: c.introduction,
            opens_on: c.opens_on,
            closes_on: c.closes_on,
            results_published: c.results_published,
            definition,
        })
    }
}

/// Creates a consultation on a year of one of the council's plans: the plan's keepers only
/// (`Action::UpdatePlans`). The questions are built now and kept, so later changes to the
/// plan leave it as residents saw it.
///
/// # Errors
/// `NotFound` for an unknown council or plan, `Forbidden`, and `Invalid` naming the field:
/// an empty title, dates out of order, or settings the plan cannot meet (see
/// [`consultation::build`]).
pub async fn create(
    store: &Store,
    caller: &Caller,
    slug: &str,
    input: &CreateInput,
) -> UseCaseResult<Consultation> {
    let org = council(store, caller, slug, Action::UpdatePlans).await?;
    let plan = store
        .plan(slug, Some(&input.plan))
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("plan `{}` of `{slug}`", input.plan)))?;
    if input.title.trim().is_empty() {
        return Err(UseCaseError::invalid(
            "title",
            "give the consultation a title",
        ));
    }
    if input.closes_on < input.opens_on {
        return Err(UseCaseError::invalid(
            "closes_on",
            "the consultation must close on or after the day it opens",
        ));
    }
    let definition = consultation::build(&plan, &input.settings, &Principles::shipped())
        .map_err(|e| UseCaseError::invalid(format!("settings.{}", e.field), e.message))?;
    let year = input.settings.year.to_string();
    let settings = serde_json::to_string(&input.settings).expect("settings serialise");
    let definition = serde_json::to_string(&definition).expect("a definition serialises");
    let stored = store
        .create_consultation(
            &NewConsultation {
                organisation_id: org.id,
                plan: &input.plan,
                year: &year,
                title: input.title.trim(),
                introduction: input.introduction.trim(),
                opens_on: input.opens_on,
                closes_on: input.closes_on,
                settings: &settings,
                definition: &definition,
            },
            &caller.actor(),
        )
        .await?;
    Consultation::from_stored(store, stored).await
}

/// The council `slug`, once the caller may do `action` to it (`NotFound` for an unknown
/// slug, `Forbidden` before anything else is read).
async fn council(
    store: &Store,
    caller: &Caller,
    slug: &str,
    action: fn(i64) -> Action,
) -> UseCaseResult<ngc_store::organisations::Organisation> {
    let org = store
        .organisation_by_slug(slug)
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("organisation `{slug}`")))?;
    caller.require(action(org.id))?;
    Ok(org)
}

/// The consultation `id`, once the caller may change its council's plans.
async fn to_change(store: &Store, caller: &Caller, id: i64) -> UseCaseResult<StoredConsultation> {
    let c = store
        .consultation(id)
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("consultation {id}")))?;
    caller.require(Action::UpdatePlans(c.organisation_id))?;
    Ok(c)
}

/// A consultation's settings as TOML, the way the officer's page takes them.
///
/// # Errors
/// `Invalid` on the field `settings`, naming the line and what is wrong.
pub fn settings_from_toml(text: &str) -> UseCaseResult<Settings> {
    toml::from_str(text).map_err(|e| UseCaseError::invalid("settings", e.to_string()))
}

/// A starting point for a consultation on the plan `name`, as TOML to edit: see
/// [`Settings::draft`]. The plan's keepers only.
///
/// # Errors
/// `NotFound` for an unknown council or plan, `Forbidden`, and `Conflict` when every year of
/// the plan has its council tax set.
pub async fn draft_settings(
    store: &Store,
    caller: &Caller,
    slug: &str,
    name: &str,
) -> UseCaseResult<String> {
    council(store, caller, slug, Action::UpdatePlans).await?;
    let plan = store
        .plan(slug, Some(name))
        .await?
        .ok_or_else(|| UseCaseError::NotFound(format!("plan `{name}` of `{slug}`")))?;
    let draft = Settings::draft(&plan).ok_or_else(|| {
        UseCaseError::Conflict(format!(
            "every year of `{name}` has its council tax set: there is no year to consult on"
        ))
    })?;
    Ok(toml::to_string(&draft).expect("settings serialise as TOML"))
}

/// The consultations open on `today`, for anyone (the home page links to them).
/// Only what a list shows: the questions are not read.
pub async fn open_now(store: &Store, today: NaiveDate) -> UseCaseResult<Vec<OpenConsultation>> {
    let mut out = Vec::new();
    for c in store.open_consultations(today).await? {
        let council = store
            .organisation_by_id(c.organisation_id)
            .await?
            .map_or_else(String::new, |o| o.name);
        out.push(OpenConsultation {
            id: c.id,
            title: c.title,
            council,
            closes_on: c.closes_on,
        });
    }
    Ok(out)
}

/// An open consultation on a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenConsultation {
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// The council's name.
    pub council: String,
    /// The last day responses are taken.
    pub closes_on: NaiveDate,
}

/// A consultation as the public sees it: any that has opened by `today` (open or closed).
/// One not yet open is `NotFound` to the public, and shown to the council's plan readers.
pub async fn public(
    store: &Store,
    caller: Option<&Caller>,
    id: i64,
    today: NaiveDate,
) -> UseCaseResult<Consultation> {
    let not_found = || UseCaseError::NotFound(format!("consultation {id}"));
    let c = store.consultation(id).await?.ok_or_else(not_found)?;
    let officer = caller.is_some_and(|c2| c2.can(Action::ReadPlans(c.organisation_id)));
    if c.opens_on > today && !officer {
        return Err(not_found());
    }
    Consultation::from_stored(store, c).await
}

/// The council's consultations, newest first, for its plan readers (`Action::ReadPlans`).
pub async fn of_organisation(
    store: &Store,
    caller: &Caller,
    slug: &str,
) -> UseCaseResult<Vec<Consultation>> {
    let org = council(store, caller, slug, Action::ReadPlans).await?;
    let mut out = Vec::new();
    for c in store.consultations_of(org.id).await? {
        out.push(Consultation::from_stored(store, c).await?);
    }
    Ok(out)
}

/// The words a resident reads for a choice that is not offered.
fn choice_error(e: ChoiceError) -> UseCaseError {
    let field = match &e {
        ChoiceError::UnknownQuestion(key) => key.clone(),
        ChoiceError::OutOfBounds { .. } => "choices".to_owned(),
        ChoiceError::TaxAboveOffered { .. } => "council_tax".to_owned(),
    };
    UseCaseError::invalid(field, e.to_string())
}

/// Where `choices` leave the gap and the bill (the page's running total).
///
/// # Errors
/// `Invalid` for a choice that is not offered, in words a resident understands.
pub fn position(c: &Consultation, choices: &Choices) -> UseCaseResult<Position> {
    consultation::evaluate(&c.definition, choices).map_err(choice_error)
}

/// What a resident sends.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Response {
    /// The step chosen per question.
    pub choices: Choices,
    /// The postcode district, if given (as typed).
    pub postcode_district: Option<String>,
    /// The age band, if given.
    pub age_band: Option<AgeBand>,
}

/// What a response changed: the number of responses now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Submitted {
    /// The response's id.
    pub id: i64,
    /// Responses to the consultation, this one included.
    pub responses: i64,
}

/// Records a resident's response, once per browser token. No account is needed.
///
/// # Errors
/// Each with words a resident understands, and nothing is recorded: `NotFound`; `Conflict`
/// when the consultation is not open on `today` or the token has responded already;
/// `Invalid` for a choice not offered, a gap still open, or a postcode that is not a district.
pub async fn submit(
    store: &Store,
    id: i64,
    token: &VerifiedToken,
    response: &Response,
    today: NaiveDate,
) -> UseCaseResult<Submitted> {
    let c = public(store, None, id, today).await?;
    if today > c.closes_on {
        return Err(UseCaseError::Conflict(format!(
            "This consultation closed on {}, so responses are no longer taken.",
            c.closes_on.format("%-d %B %Y")
        )));
    }
    let pos = position(&c, &response.choices)?;
    if !pos.closed {
        return Err(UseCaseError::invalid(
            "choices",
            format!(
                "The gap is not closed yet: {} is still to find. Change your choices until the \
                 gap is closed, then submit.",
                pos.remaining.fmt_gbp()
            ),
        ));
    }
    let district = response
        .postcode_district
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(consultation::postcode_district)
        .transpose()
        .map_err(|m| UseCaseError::invalid("postcode_district", m))?;
    let steps: Vec<(String, i64)> = c
        .definition
        .questions
        .iter()
        .zip(&pos.steps)
        .map(|(q, &i)| (q.key.clone(), i64::try_from(i).expect("few steps")))
        .collect();
    let chosen: Choices = steps
        .iter()
        .map(|(k, i)| (k.clone(), usize::try_from(*i).expect("few steps")))
        .collect();
    let choices = serde_json::to_string(&chosen).expect("choices serialise");
    let rid = store
        .record_response(&NewResponse {
            consultation_id: id,
            token_hash: &token.hash,
            choices: &choices,
            steps: &steps,
            postcode_district: district.as_deref(),
            age_band: response.age_band.map(AgeBand::as_str),
        })
        .await
        .map_err(|e| match e {
            ngc_store::StoreError::Conflict(_) => UseCaseError::Conflict(
                "This browser has already sent a response to this consultation: one response \
                 per browser is counted."
                    .into(),
            ),
            other => other.into(),
        })?;
    Ok(Submitted {
        id: rid,
        responses: store.consultation_response_count(id).await?,
    })
}

/// The consultation and its results: for the council's plan readers, and for anyone once
/// the results are published. Worked from the counts per step, never from every response.
pub async fn results(
    store: &Store,
    caller: Option<&Caller>,
    id: i64,
) -> UseCaseResult<(Consultation, Results)> {
    let c = with_readable_results(store, caller, id).await?;
    let counts = store.consultation_tallies(id).await?;
    let n = store.consultation_response_count(id).await?;
    let r = consultation::summarise(&c.definition, &counts, u64::try_from(n).unwrap_or(0));
    Ok((c, r))
}

/// The consultation, once the caller may read its results: the council's plan readers, and
/// anyone once published (`NotFound` to others, as if there were none).
async fn with_readable_results(
    store: &Store,
    caller: Option<&Caller>,
    id: i64,
) -> UseCaseResult<Consultation> {
    let not_found = || UseCaseError::NotFound(format!("results of consultation {id}"));
    let c = store.consultation(id).await?.ok_or_else(not_found)?;
    let officer = caller.is_some_and(|c2| c2.can(Action::ReadPlans(c.organisation_id)));
    if !officer && !c.results_published {
        return Err(not_found());
    }
    Consultation::from_stored(store, c).await
}

/// Every response as CSV, one row per response and a column per question (the step's
/// label), for whoever may read the results.
pub async fn responses_csv(
    store: &Store,
    caller: Option<&Caller>,
    id: i64,
) -> UseCaseResult<String> {
    let c = with_readable_results(store, caller, id).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["response".to_owned(), "submitted_at".to_owned()];
    header.extend(c.definition.questions.iter().map(|q| q.key.clone()));
    header.extend(["postcode_district".to_owned(), "age_band".to_owned()]);
    let csv_err = |e: csv::Error| UseCaseError::invalid("csv", e.to_string());
    out.write_record(&header).map_err(csv_err)?;
    for r in store.consultation_responses(id).await? {
        let chosen: Choices = serde_json::from_str(&r.choices).unwrap_or_default();
        let mut row = vec![r.id.to_string(), r.submitted_at.to_rfc3339()];
        row.extend(c.definition.questions.iter().map(|q| {
            chosen
                .get(&q.key)
                .and_then(|&i| q.steps.get(i))
                .map_or_else(String::new, |s| s.label.clone())
        }));
        row.push(r.postcode_district.clone().unwrap_or_default());
        row.push(r.age_band.clone().unwrap_or_default());
        out.write_record(&row).map_err(csv_err)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| UseCaseError::invalid("csv", e.to_string()))?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 text"))
}

/// Publishes the results to everyone, or withdraws them: the plan's keepers only.
pub async fn publish_results(
    store: &Store,
    caller: &Caller,
    id: i64,
    published: bool,
) -> UseCaseResult<Consultation> {
    to_change(store, caller, id).await?;
    let c = store
        .publish_consultation_results(id, published, &caller.actor())
        .await?;
    Consultation::from_stored(store, c).await
}

/// The plan line a question concerns: its service line (`service:adult_social_care`) or the
/// saving's reference (`saving:CSC-01`); none for income, reserves and council tax, whose
/// notes go on the plan as a whole (`plan`).
pub fn plan_line(q: &consultation::Question) -> String {
    match q.kind {
        QuestionKind::Service | QuestionKind::Saving => q.key.clone(),
        QuestionKind::Income | QuestionKind::Reserves | QuestionKind::CouncilTax => {
            "plan".to_owned()
        }
    }
}

/// Attaches the results as they stand to the plan, one note per question on the line it
/// concerns (the plan's keepers only). Each attachment adds notes and keeps the earlier ones.
///
/// # Errors
/// `Conflict` before the first response: there is nothing to attach.
pub async fn attach_to_plan(
    store: &Store,
    caller: &Caller,
    id: i64,
) -> UseCaseResult<Vec<StoredNote>> {
    to_change(store, caller, id).await?;
    let (c, r) = results(store, Some(caller), id).await?;
    if r.responses == 0 {
        return Err(UseCaseError::Conflict(
            "there are no responses yet, so there is nothing to attach".into(),
        ));
    }
    let mut notes = Vec::new();
    for (q, qr) in c.definition.questions.iter().zip(&r.questions) {
        let most = qr
            .steps
            .iter()
            .max_by_key(|s| s.responses)
            .map(|s| format!("{} ({}%)", s.label, s.share_pct))
            .unwrap_or_default();
        let note = format!(
            "{}: {} — {} responses; most chose {most}; mean {}, median {}.",
            c.title,
            q.title,
            r.responses,
            qr.mean
                .map_or_else(String::new, |m| m.normalize().to_string()),
            qr.median
                .map_or_else(String::new, |m| m.normalize().to_string()),
        );
        notes.push(
            store
                .attach_consultation_note(
                    &NewNote {
                        consultation_id: id,
                        organisation_id: c.organisation_id,
                        plan: &c.plan,
                        line: &plan_line(q),
                        note: &note,
                    },
                    &caller.actor(),
                )
                .await?,
        );
    }
    Ok(notes)
}

/// The notes consultations attached to a plan, for its readers (`Action::ReadPlans`).
pub async fn notes_of_plan(
    store: &Store,
    caller: &Caller,
    slug: &str,
    plan: &str,
) -> UseCaseResult<Vec<StoredNote>> {
    let org = council(store, caller, slug, Action::ReadPlans).await?;
    Ok(store.consultation_notes_of_plan(org.id, plan).await?)
}
