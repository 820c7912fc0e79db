//! The demo's budget consultation, from `consultation/you-choose-2016-17.toml` (carried in
//! the binary): created from the plan through the same use case as the API, open from a week
//! before the demo's anchor date to eight weeks after it, with generated responses, each sent
//! through the same use case as a resident's and marked as generated (its token is the word
//! `demo-generated-` and a number, never a real token's hash, and the introduction says so).
//! The results are attached to the plan as notes. Loading again changes nothing: a
//! consultation of the same title is left alone.

use super::carried;
use chrono::{Days, NaiveDate};
use ngc_app::Caller;
use ngc_app::consultations::{self as uc, CreateInput, Response, VerifiedToken};
use ngc_domain::consultation::{AgeBand, Choices, Definition};
use ngc_store::Store;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;

const ORGANISATION: &str = "northamptonshire";
const FILE: &str = "consultation/you-choose-2016-17.toml";
/// Postcode districts of Northamptonshire the generated responses name (some give none).
const DISTRICTS: [&str; 10] = [
    "NN1", "NN2", "NN3", "NN4", "NN5", "NN8", "NN10", "NN14", "NN16", "NN17",
];

/// The file: the consultation as an officer would create it, less its dates.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoConsultation {
    plan: String,
    title: String,
    introduction: String,
    generated_responses: usize,
    settings: ngc_domain::consultation::Settings,
}

/// Creates the consultation and its generated responses; gives how many responses were
/// generated (0 when it was there already).
pub async fn load(store: &Store, anchor: NaiveDate) -> anyhow::Result<usize> {
    let Some(org) = store.organisation_by_slug(ORGANISATION).await? else {
        return Ok(0);
    };
    let text = std::str::from_utf8(carried(FILE)?)?;
    let demo: DemoConsultation =
        toml::from_str(text).map_err(|e| anyhow::anyhow!("{FILE}: {e}"))?;
    if store
        .consultations_of(org.id)
        .await?
        .iter()
        .any(|c| c.title == demo.title)
    {
        return Ok(0);
    }
    let input = CreateInput {
        plan: demo.plan,
        title: demo.title,
        introduction: demo.introduction,
        opens_on: anchor - Days::new(7),
        closes_on: anchor + Days::new(56),
        settings: demo.settings,
    };
    let c = uc::create(store, &Caller::System, ORGANISATION, &input)
        .await
        .map_err(|e| anyhow::anyhow!("{FILE}: {e}"))?;
    let mut rng = ChaCha8Rng::seed_from_u64(2016);
    let mut sent = 0;
    for i in 0..demo.generated_responses {
        let Some(choices) = generated_choices(&c.definition, &mut rng) else {
            continue;
        };
        let response = Response {
            choices,
            postcode_district: rng
                .random_bool(0.7)
                .then(|| DISTRICTS[rng.random_range(0..DISTRICTS.len())].to_owned()),
            age_band: rng
                .random_bool(0.8)
                .then(|| AgeBand::ALL[rng.random_range(0..AgeBand::ALL.len())]),
        };
        let token = VerifiedToken {
            hash: format!("demo-generated-{i:04}"),
        };
        uc::submit(store, c.id, &token, &response, anchor).await?;
        sent += 1;
    }
    // The results as they stand go back into the plan, as a finance officer would attach
    // them: the plan page shows them on the lines they concern.
    uc::attach_to_plan(store, &Caller::System, c.id).await?;
    Ok(sent)
}

/// A resident's plausible choices that close the gap: each question near the plan's step,
/// then, while the gap is open, one question at a time moved to a step that closes more.
/// `None` if even that cannot close it.
fn generated_choices(def: &Definition, rng: &mut ChaCha8Rng) -> Option<Choices> {
    let mut chosen: Vec<usize> = def
        .questions
        .iter()
        .map(|q| match rng.random_range(0..3) {
            0 => q.start.saturating_sub(1),
            1 => q.start,
            _ => (q.start + 1).min(q.steps.len() - 1),
        })
        .collect();
    loop {
        let closed_by = def
            .questions
            .iter()
            .zip(&chosen)
            .map(|(q, &i)| q.steps[i].effect)
            .fold(ngc_domain::money::Money::ZERO, |a, b| a + b);
        if closed_by >= def.gap {
            break;
        }
        // The questions with a step closing more than the one chosen.
        let movable: Vec<(usize, usize)> = def
            .questions
            .iter()
            .enumerate()
            .filter_map(|(qi, q)| {
                let now = q.steps[chosen[qi]].effect;
                q.steps
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.effect > now)
                    .min_by_key(|(_, s)| s.effect)
                    .map(|(si, _)| (qi, si))
            })
            .collect();
        if movable.is_empty() {
            return None;
        }
        let (qi, si) = movable[rng.random_range(0..movable.len())];
        chosen[qi] = si;
    }
    Some(
        def.questions
            .iter()
            .zip(chosen)
            .map(|(q, i)| (q.key.clone(), i))
            .collect(),
    )
}
