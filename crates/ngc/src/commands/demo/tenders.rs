//! The demo's procurements, replayed through the same use cases a user's clicks call, each on
//! the day it happened: the server's clock is set to that day for each step
//! ([`Store::with_clock`]), so the minimum tendering period, the late-bid refusal and the
//! regime of the day are checked as they would have been. Old procurements (2015–2017) run
//! under the Public Contracts Regulations 2015; those around the demo's anchor day (its first
//! load) under the Procurement Act 2023.
//!
//! Each procurement is made once: a tender whose reference exists is left as it is, so a
//! second `ngc demo` changes nothing and never touches what a user did since.

use anyhow::Context;
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use ngc_app::Caller;
use ngc_app::bids::{BidInput, LotPriceInput};
use ngc_app::checks::ReservationInput;
use ngc_app::joint_working::{AnalysisQuery, StartTenderInput};
use ngc_app::ocds::PublicationInput;
use ngc_app::panel::PanelInput;
use ngc_app::questions::{AnswerInput, AskInput};
use ngc_app::tenders::PublishInput;
use ngc_app::tenders::TenderInput;
use ngc_store::{Clock, Store};
use serde_json::{Value, json};

/// A bid: who, on which day, and its price for each lot (by number).
struct DemoBid {
    /// The bidder's user.
    email: &'static str,
    /// Days before the deadline's day that it was submitted.
    days_before: u64,
    prices: &'static [(&'static str, &'static str)],
    /// Its answer to the tender's quality questions.
    answer: &'static str,
}

/// A question a bidder asked, and the buyer's answer.
struct DemoQuestion {
    email: &'static str,
    question: &'static str,
    answer: &'static str,
}

/// A procurement of the demo, up to its bids.
struct DemoTender {
    /// The tender, as the API takes it (its dates are filled in).
    body: Value,
    /// Who runs it: a commissioner of the lead council.
    lead: &'static str,
    /// The day it commenced and its notice went out.
    published_on: NaiveDate,
    /// The day bids close, at noon UTC.
    closes_on: NaiveDate,
    /// The notice's id on the platform of the day (illustrative).
    notice_id: &'static str,
    /// Suppliers found eligible for a reserved competition, with the evidence.
    eligibility: &'static [(&'static str, &'static str)],
    questions: &'static [DemoQuestion],
    bids: &'static [DemoBid],
    /// The evaluation panel (users of the lead council).
    panel: &'static [&'static str],
    /// The consolidation analysis it is started from (its buyers and shares are the
    /// analysis's), if it is a joint tender of a partnership.
    analysis: Option<FromAnalysis>,
    /// How far the evaluation got, once bids closed.
    evaluation: Option<DemoEvaluation>,
}

/// The partnership and the consolidation analysis a joint tender is started from.
type FromAnalysis = (&'static str, fn() -> AnalysisQuery);

/// A declaration of interest: the member, whether they have a conflict, what they declare.
type Declaration = (&'static str, bool, &'static str);

/// The evaluation of a closed demo tender (one lot), each step on its day.
struct DemoEvaluation {
    /// Declarations, the day after the deadline.
    declarations: &'static [Declaration],
    /// Each bidder's quality scores (by its user), in the criteria's order: each cleared
    /// member scores them (the second one point lower on the second criterion, where they
    /// can), a week after the deadline.
    quality: &'static [(&'static str, [u32; 3])],
    /// Whether the lead moderated the scores and opened the prices (two weeks after).
    moderated: bool,
    /// The award decision's day, summaries sent the same day, and the contract: signed
    /// after standstill, with its first and last days.
    award: Option<DemoAward>,
}

struct DemoAward {
    decided_on: &'static str,
    /// The contract award notice, published ten days after signing (illustrative id).
    notice_id: &'static str,
    signed_on: &'static str,
    starts_on: &'static str,
    ends_on: &'static str,
}

/// What a member with no interest declares.
const NO_INTEREST: &str = "I have no interest in any bidder: no shares, no family, no past \
    employment, no gifts or hospitality.";

/// The quality criteria of [`criteria`], in order.
const QUALITY: [&str; 3] = ["service-delivery", "social-value", "mobilisation"];

fn day(s: &str) -> NaiveDate {
    s.parse().expect("a demo date")
}

fn noon(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("noon"))
        .and_utc()
}

/// What each score of the demo's 0–5 quality scale means.
const DESCRIPTORS: [&str; 6] = [
    "Unacceptable: no response, or the response does not meet the requirement",
    "Poor: the response meets few elements of the requirement, with significant gaps or risks",
    "Weak: the response meets some elements of the requirement, with gaps or risks",
    "Satisfactory: the response meets the requirement, with minor gaps",
    "Good: the response meets the requirement fully, with good evidence",
    "Excellent: the response exceeds the requirement, with full and robust evidence",
];

/// The reason given with a demo score: the descriptor of the score.
fn reason(score: u32) -> String {
    let descriptor = DESCRIPTORS.get(score as usize).copied().unwrap_or_default();
    format!("{score}, {descriptor}.")
}

/// The award criteria most demo tenders use: 60% quality in three criteria, 40% price scored
/// lowest ÷ bid × maximum.
fn criteria(name: &str, price_weight: u32) -> Value {
    let quality = 100 - price_weight;
    let scale = json!({"max": 5, "descriptors": DESCRIPTORS});
    let service = quality / 2;
    let social = quality / 4;
    let mobilisation = quality - service - social;
    json!({"name": name, "criteria": [
        {"key": "service-delivery", "name": "Service delivery and method statement",
         "weight": service.to_string(), "kind": "quality", "scale": scale},
        {"key": "social-value", "name": "Social value in Northamptonshire",
         "weight": social.to_string(), "kind": "quality", "scale": scale},
        {"key": "mobilisation", "name": "Mobilisation and continuity",
         "weight": mobilisation.to_string(), "kind": "quality", "scale": scale},
        {"key": "price", "name": "Price", "weight": price_weight.to_string(),
         "kind": "price", "method": "lowest_over_bid"}]})
}

/// The demo's procurements, dated from `anchor` (the demo's first load) where they are
/// current.
fn demo_tenders(anchor: NaiveDate) -> Vec<DemoTender> {
    let before = |n| anchor.checked_sub_days(Days::new(n)).expect("a date");
    let after = |n| anchor.checked_add_days(Days::new(n)).expect("a date");
    let year = anchor.format("%Y").to_string();
    vec![
        DemoTender {
            body: json!({
                "reference": format!("NBC-{year}-WASTE-001"),
                "title": "Joint waste collection for the seven districts and boroughs",
                "description": "One contract for household waste and recycling collection across \
                    Corby, Daventry, East Northamptonshire, Kettering, Northampton, South \
                    Northamptonshire and Wellingborough, consolidating today's five collection \
                    contracts. Collection is the districts' function; the county disposes. \
                    Northampton Borough Council leads for the seven; each pays its share of the \
                    cost by its 2016-17 council tax base, as the combined authority's \
                    consolidation analysis keyed them.",
                "classification_scheme": "cpv", "classification_code": "90511000-2",
                "contract_type": "services", "procedure": "open",
                "estimated_value": "160000000.00",
                "criteria": criteria("Joint waste collection", 40),
                "lots": [
                    {"title": "North: Corby, East Northamptonshire, Kettering and Wellingborough",
                     "estimated_value": "72000000.00"},
                    {"title": "South: Daventry, Northampton and South Northamptonshire",
                     "estimated_value": "88000000.00"}]}),
            lead: "commissioner@northampton.demo",
            published_on: before(14),
            closes_on: after(14),
            notice_id: "041207-2026",
            eligibility: &[],
            questions: &[DemoQuestion {
                email: "bids@rockingham-waste.demo",
                question: "Is garden waste collection part of the service, and is it charged \
                    to residents?",
                answer: "Yes: fortnightly garden waste collection is part of both lots. Each \
                    council sets its own charge to residents; the contractor does not collect \
                    it.",
            }],
            bids: &[
                DemoBid {
                    email: "bids@rockingham-waste.demo",
                    days_before: 17,
                    prices: &[("1", "69450000.00")],
                    answer: "Four-day week rounds from a depot in Corby, electric vehicles from year two.",
                },
                DemoBid {
                    email: "bids@midshires-environmental.demo",
                    days_before: 16,
                    prices: &[("1", "71200000.00"), ("2", "84900000.00")],
                    answer: "TUPE transfer of every crew; in-cab technology reporting missed bins daily.",
                },
            ],
            panel: &[],
            evaluation: None,
            analysis: Some((
                super::joint_working::PARTNERSHIP,
                super::joint_working::waste_analysis,
            )),
        },
        DemoTender {
            body: json!({
                "reference": format!("NCC-{year}-CW-002"),
                "title": "Community wellbeing services",
                "description": "Social prescribing, befriending and carers' support across the \
                    county, under the light-touch rules of the Procurement Act 2023.",
                "classification_scheme": "cpv", "classification_code": "85312400-3",
                "contract_type": "light_touch", "procedure": "open",
                "estimated_value": "4800000.00",
                "criteria": criteria("Community wellbeing", 30),
                "lots": [{"title": "County-wide", "estimated_value": "4800000.00"}]}),
            lead: "commissioner@northamptonshire.demo",
            published_on: before(14),
            closes_on: after(14),
            notice_id: "041388-2026",
            eligibility: &[],
            questions: &[],
            bids: &[
                DemoBid {
                    email: "provider@first-for-wellbeing.demo",
                    days_before: 18,
                    prices: &[("1", "4620000.00")],
                    answer: "Wellbeing navigators in every GP practice, with the county's health partners.",
                },
                DemoBid {
                    email: "provider@nene-valley-care.demo",
                    days_before: 17,
                    prices: &[("1", "4395000.00")],
                    answer: "Volunteer befriending hubs in the six market towns.",
                },
                DemoBid {
                    email: "bids@kingsthorpe-carers.demo",
                    days_before: 15,
                    prices: &[("1", "4710000.00")],
                    answer: "Carers' assessments and respite run by carers themselves.",
                },
            ],
            panel: &[],
            evaluation: None,
            analysis: None,
        },
        DemoTender {
            body: json!({
                "reference": format!("NCC-{year}-RFQ-014"),
                "title": "Accessible minibus maintenance",
                "description": "Servicing and repair of the county's twelve accessible \
                    minibuses. A below-threshold quote reserved for suppliers in the locality.",
                "classification_scheme": "cpv", "classification_code": "50110000-9",
                "contract_type": "services", "procedure": "below_threshold",
                "estimated_value": "24000.00", "reservation": "local",
                "criteria": criteria("Minibus maintenance", 60),
                "lots": [{"title": "Whole fleet", "estimated_value": "24000.00"}]}),
            lead: "commissioner@northamptonshire.demo",
            published_on: before(7),
            closes_on: after(7),
            notice_id: "041455-2026",
            eligibility: &[],
            questions: &[],
            bids: &[],
            panel: &[],
            evaluation: None,
            analysis: None,
        },
        DemoTender {
            body: json!({
                "reference": "NCC-2015-HW-001",
                "title": "Highways maintenance",
                "description": "Routine and reactive maintenance of the county's roads, \
                    footways and drainage, 2015 to 2022.",
                "classification_scheme": "cpv", "classification_code": "45233141-9",
                "contract_type": "works", "procedure": "open",
                "estimated_value": "95000000.00",
                "criteria": criteria("Highways maintenance", 40),
                "lots": [{"title": "Whole county", "estimated_value": "95000000.00"}]}),
            lead: "commissioner@northamptonshire.demo",
            published_on: day("2015-03-09"),
            closes_on: day("2015-04-27"),
            notice_id: "2015/S 047-081842",
            eligibility: &[],
            questions: &[],
            bids: &[
                DemoBid {
                    email: "bids@shires-highways.demo",
                    days_before: 3,
                    prices: &[("1", "91400000.00")],
                    answer: "A single depot network and a county-wide drainage survey in year one.",
                },
                DemoBid {
                    email: "bids@brackmills-facilities.demo",
                    days_before: 2,
                    prices: &[("1", "88750000.00")],
                    answer: "Local subcontractors for footways; our own gangs for carriageways.",
                },
            ],
            panel: &[
                "evaluator@northamptonshire.demo",
                "evaluator2@northamptonshire.demo",
            ],
            evaluation: Some(DemoEvaluation {
                declarations: &[
                    ("evaluator@northamptonshire.demo", false, NO_INTEREST),
                    ("evaluator2@northamptonshire.demo", false, NO_INTEREST),
                ],
                quality: &[
                    ("bids@shires-highways.demo", [4, 4, 3]),
                    ("bids@brackmills-facilities.demo", [3, 3, 4]),
                ],
                moderated: true,
                award: Some(DemoAward {
                    decided_on: "2015-05-19",
                    notice_id: "2015/S 131-240517",
                    signed_on: "2015-06-15",
                    starts_on: "2015-07-01",
                    ends_on: "2022-06-30",
                }),
            }),
            analysis: None,
        },
        DemoTender {
            body: json!({
                "reference": "NCC-2015-WD-002",
                "title": "Residual waste treatment and disposal",
                "description": "Treatment and disposal of the county's residual household \
                    waste, moving it from landfill to energy recovery: the contract behind the \
                    county's waste disposal saving.",
                "classification_scheme": "cpv", "classification_code": "90513000-6",
                "contract_type": "services", "procedure": "open",
                "estimated_value": "52000000.00",
                "criteria": criteria("Waste disposal", 50),
                "lots": [{"title": "Residual waste", "estimated_value": "52000000.00"}]}),
            lead: "commissioner@northamptonshire.demo",
            published_on: day("2015-03-16"),
            closes_on: day("2015-05-05"),
            notice_id: "2015/S 052-091120",
            eligibility: &[],
            questions: &[],
            bids: &[
                DemoBid {
                    email: "bids@midshires-environmental.demo",
                    days_before: 5,
                    prices: &[("1", "47800000.00")],
                    answer: "Energy recovery at our Daventry plant; landfill only as contingency.",
                },
                DemoBid {
                    email: "bids@rockingham-waste.demo",
                    days_before: 4,
                    prices: &[("1", "50150000.00")],
                    answer: "Mechanical biological treatment near Corby.",
                },
            ],
            panel: &[
                "evaluator@northamptonshire.demo",
                "evaluator3@northamptonshire.demo",
            ],
            evaluation: Some(DemoEvaluation {
                declarations: &[
                    ("evaluator@northamptonshire.demo", false, NO_INTEREST),
                    ("evaluator3@northamptonshire.demo", false, NO_INTEREST),
                ],
                quality: &[
                    ("bids@midshires-environmental.demo", [4, 3, 4]),
                    ("bids@rockingham-waste.demo", [3, 3, 3]),
                ],
                moderated: true,
                award: Some(DemoAward {
                    decided_on: "2015-05-26",
                    notice_id: "2015/S 136-249902",
                    signed_on: "2015-06-22",
                    starts_on: "2015-07-01",
                    ends_on: "2025-06-30",
                }),
            }),
            analysis: None,
        },
        DemoTender {
            body: json!({
                "reference": "NCC-2016-CP-003",
                "title": "Children's residential placements",
                "description": "A framework of residential placements for looked-after \
                    children, in and near the county.",
                "classification_scheme": "cpv", "classification_code": "85311300-5",
                "contract_type": "light_touch", "procedure": "light_touch",
                "estimated_value": "36000000.00",
                "criteria": criteria("Residential placements", 30),
                "lots": [{"title": "Residential placements", "estimated_value": "36000000.00"}]}),
            lead: "commissioner@northamptonshire.demo",
            published_on: day("2016-05-09"),
            closes_on: day("2016-06-20"),
            notice_id: "2016/S 090-161533",
            eligibility: &[],
            questions: &[],
            bids: &[
                DemoBid {
                    email: "bids@lamport-supported-living.demo",
                    days_before: 4,
                    prices: &[("1", "34200000.00")],
                    answer: "Six homes within the county, each with two beds held for emergencies.",
                },
                DemoBid {
                    email: "bids@welland-fostering.demo",
                    days_before: 3,
                    prices: &[("1", "35900000.00")],
                    answer: "Small homes attached to our fostering service, with step-down to families.",
                },
                DemoBid {
                    email: "bids@olympus-care-services.demo",
                    days_before: 1,
                    prices: &[("1", "33100000.00")],
                    answer: "Two new homes converted from our adult care estate.",
                },
            ],
            panel: &[
                "evaluator@northamptonshire.demo",
                "evaluator2@northamptonshire.demo",
                "evaluator3@northamptonshire.demo",
            ],
            evaluation: Some(DemoEvaluation {
                declarations: &[
                    ("evaluator@northamptonshire.demo", false, NO_INTEREST),
                    ("evaluator2@northamptonshire.demo", false, NO_INTEREST),
                    (
                        "evaluator3@northamptonshire.demo",
                        true,
                        "My sister is the registered manager of one of Lamport Supported \
                         Living's homes.",
                    ),
                ],
                quality: &[
                    ("bids@lamport-supported-living.demo", [4, 3, 4]),
                    ("bids@welland-fostering.demo", [4, 4, 3]),
                    ("bids@olympus-care-services.demo", [3, 3, 3]),
                ],
                moderated: false,
                award: None,
            }),
            analysis: None,
        },
        DemoTender {
            body: json!({
                "reference": "NCC-2017-CF-004",
                "title": "Child protection and family support services",
                "description": "Child protection, children in need and early help, reserved \
                    under regulation 77 of the Public Contracts Regulations 2015 for public \
                    service mutuals: the contract the county's children's services mutual \
                    bids for.",
                "classification_scheme": "cpv", "classification_code": "85311300-5",
                "contract_type": "light_touch", "procedure": "light_touch",
                "estimated_value": "54000000.00", "reservation": "mutual",
                "criteria": criteria("Child protection", 20),
                "lots": [{"title": "County-wide", "estimated_value": "54000000.00"}]}),
            lead: "commissioner@northamptonshire.demo",
            published_on: day("2017-03-06"),
            closes_on: day("2017-04-18"),
            notice_id: "2017/S 046-084410",
            eligibility: &[(
                "children-first-northamptonshire",
                "A public service mutual spun out of the county's children's services in 2017: \
                 its articles (seen) put the public service mission first, staff own 25% of \
                 its shares, and it has held no reg 77 contract from this council in the last \
                 three years.",
            )],
            questions: &[],
            bids: &[DemoBid {
                email: "bids@children-first-northamptonshire.demo",
                days_before: 6,
                prices: &[("1", "52800000.00")],
                answer: "The county's own social work teams, transferred whole, with a staff council.",
            }],
            panel: &["evaluator@northamptonshire.demo"],
            evaluation: Some(DemoEvaluation {
                declarations: &[("evaluator@northamptonshire.demo", false, NO_INTEREST)],
                quality: &[("bids@children-first-northamptonshire.demo", [4, 4, 4])],
                moderated: true,
                award: Some(DemoAward {
                    decided_on: "2017-05-16",
                    notice_id: "2017/S 122-248031",
                    signed_on: "2017-06-12",
                    starts_on: "2017-07-01",
                    ends_on: "2020-06-30",
                }),
            }),
            analysis: None,
        },
    ]
}

/// The users the demo's procurements act as: the lead councils' commissioners and evaluators
/// and one user for each bidder that has no demo user of its own.
pub const PROCUREMENT_USERS: [(&str, &str); 9] = [
    ("bids@rockingham-waste.demo", "rockingham-waste"),
    (
        "bids@midshires-environmental.demo",
        "midshires-environmental",
    ),
    ("bids@kingsthorpe-carers.demo", "kingsthorpe-carers"),
    ("bids@shires-highways.demo", "shires-highways"),
    ("bids@brackmills-facilities.demo", "brackmills-facilities"),
    (
        "bids@lamport-supported-living.demo",
        "lamport-supported-living",
    ),
    ("bids@welland-fostering.demo", "welland-fostering"),
    ("bids@olympus-care-services.demo", "olympus-care-services"),
    (
        "bids@children-first-northamptonshire.demo",
        "children-first-northamptonshire",
    ),
];

/// The caller a demo user's clicks would be.
async fn caller(store: &Store, email: &str) -> anyhow::Result<Caller> {
    let user = store
        .user_by_email(email)
        .await?
        .with_context(|| format!("the demo user {email} is missing"))?;
    Ok(Caller::User(ngc_app::principal_of(&user)))
}

/// Runs one procurement up to its bids, each step on its own day. Returns the tender's id.
async fn replay(store: &Store, t: &DemoTender) -> anyhow::Result<i64> {
    let reference = t.body["reference"].as_str().unwrap_or_default().to_owned();
    let on = |d: NaiveDate| store.clone().with_clock(Clock::on(d));
    let lead = caller(store, t.lead).await?;
    let published = on(t.published_on);
    let mut body = t.body.clone();
    body["commenced_on"] = json!(t.published_on);
    body["submission_deadline"] = json!(noon(t.closes_on));
    let input: TenderInput = serde_json::from_value(body)?;
    let tender = match t.analysis {
        Some((partnership, analysis)) => {
            let start = StartTenderInput {
                analysis: analysis(),
                tender: input,
            };
            ngc_app::joint_working::start_tender(&published, &lead, partnership, start).await?
        }
        None => ngc_app::tenders::create(&published, &lead, input).await?,
    };
    let publish = PublishInput {
        notice_id: Some(t.notice_id.to_owned()),
        notice_published_on: Some(t.published_on.to_string()),
    };
    ngc_app::tenders::publish(&published, &lead, tender.id, publish).await?;
    for q in t.questions {
        let asker = caller(store, q.email).await?;
        let ask = AskInput {
            question: q.question.to_owned(),
        };
        let asked = ngc_app::questions::ask(&published, &asker, tender.id, ask).await?;
        let answer = AnswerInput {
            answer: q.answer.to_owned(),
        };
        ngc_app::questions::answer(&published, &lead, tender.id, asked.id, answer).await?;
    }
    for (supplier, evidence) in t.eligibility {
        let check = ReservationInput {
            supplier: (*supplier).to_owned(),
            eligible: true,
            evidence: (*evidence).to_owned(),
        };
        ngc_app::checks::record_reservation(&published, &lead, tender.id, check).await?;
    }
    for b in t.bids {
        let bidder = caller(store, b.email).await?;
        let submitted = t
            .closes_on
            .checked_sub_days(Days::new(b.days_before))
            .context("a bid day")?;
        let input = BidInput {
            lots: b
                .prices
                .iter()
                .map(|(lot, price)| LotPriceInput {
                    lot: (*lot).to_owned(),
                    price: (*price).to_owned(),
                })
                .collect(),
            answers: Some(vec![ngc_app::bids::AnswerInput {
                question: "Service delivery and method statement".into(),
                text: b.answer.to_owned(),
            }]),
            attachments: None,
        };
        ngc_app::bids::submit(&on(submitted), &bidder, tender.id, input)
            .await
            .with_context(|| format!("{reference}: the bid of {}", b.email))?;
    }
    for email in t.panel {
        let member = PanelInput {
            user: (*email).to_owned(),
        };
        ngc_app::panel::assign(&published, &lead, tender.id, member).await?;
    }
    if let Some(e) = &t.evaluation {
        evaluate(store, t, e, tender.id)
            .await
            .with_context(|| format!("{reference}: the evaluation"))?;
    }
    Ok(tender.id)
}

/// The first anchor day the demo's current procurements fit: their rules (the below-threshold
/// reservations) are those of the Procurement Act 2023 as amended from 4 February 2026.
pub const CURRENT_FROM: &str = "2026-02-04";

/// The slug of a demo user's organisation.
async fn organisation_of(store: &Store, email: &str) -> anyhow::Result<String> {
    Ok(store
        .user_by_email(email)
        .await?
        .with_context(|| format!("the demo user {email} is missing"))?
        .organisation)
}

/// Runs the evaluation of a closed tender as far as the demo has it, each step on its day.
async fn evaluate(
    store: &Store,
    t: &DemoTender,
    e: &DemoEvaluation,
    tender_id: i64,
) -> anyhow::Result<()> {
    use ngc_app::awards::{AwardInput, ContractInput, SummariesInput};
    use ngc_app::evaluation::{DeclarationInput, LotInput, ScoreInput};
    let after = |n| t.closes_on.checked_add_days(Days::new(n)).context("a date");
    let on = |d: NaiveDate| store.clone().with_clock(Clock::on(d));
    let lead = caller(store, t.lead).await?;
    for (email, conflict, text) in e.declarations {
        let member = caller(store, email).await?;
        let input = DeclarationInput {
            conflict: *conflict,
            declaration: (*text).to_owned(),
        };
        ngc_app::evaluation::declare(&on(after(1)?), &member, tender_id, input).await?;
    }
    let bids = store.bids_of_tender(tender_id).await?;
    let bid_of = async |email: &str| -> anyhow::Result<i64> {
        let org = organisation_of(store, email).await?;
        bids.iter()
            .find(|b| b.organisation == org && b.replaced_by_id.is_none())
            .map(|b| b.id)
            .with_context(|| format!("no bid from {org}"))
    };
    let cleared = e.declarations.iter().filter(|(_, conflict, _)| !conflict);
    for (n, (email, _, _)) in cleared.enumerate() {
        let member = caller(store, email).await?;
        for (bidder, scores) in e.quality {
            let bid = bid_of(bidder).await?;
            for (i, (criterion, score)) in QUALITY.iter().zip(scores).enumerate() {
                let score = if n == 1 && i == 1 {
                    score.saturating_sub(1)
                } else {
                    *score
                };
                let input = ScoreInput {
                    bid,
                    lot: None,
                    criterion: (*criterion).to_owned(),
                    score,
                    comment: format!("Scored {}", reason(score)),
                };
                ngc_app::evaluation::score(&on(after(7)?), &member, tender_id, input).await?;
            }
        }
    }
    if !e.moderated {
        return Ok(());
    }
    let moderation = on(after(14)?);
    for (bidder, scores) in e.quality {
        let bid = bid_of(bidder).await?;
        for (criterion, score) in QUALITY.iter().zip(scores) {
            let input = ScoreInput {
                bid,
                lot: None,
                criterion: (*criterion).to_owned(),
                score: *score,
                comment: format!("The panel agreed {}", reason(*score)),
            };
            ngc_app::evaluation::moderate(&moderation, &lead, tender_id, input).await?;
        }
    }
    ngc_app::evaluation::open_prices(&moderation, &lead, tender_id, LotInput { lot: None }).await?;
    let Some(a) = &e.award else {
        return Ok(());
    };
    let decided = on(day(a.decided_on));
    let evaluation = ngc_app::evaluation::evaluation(&decided, &lead, tender_id).await?;
    let winner = evaluation
        .lots
        .first()
        .and_then(|l| l.ranking.first())
        .context("no ranked bid to award")?
        .bidder()
        .to_string();
    let award =
        ngc_app::awards::award(&decided, &lead, tender_id, AwardInput { lot: None, winner })
            .await?;
    let sent = SummariesInput { award: award.id };
    ngc_app::awards::send_summaries(&decided, &lead, tender_id, sent).await?;
    let contract = ContractInput {
        award: award.id,
        starts_on: a.starts_on.to_owned(),
        ends_on: Some(a.ends_on.to_owned()),
    };
    let signed = day(a.signed_on);
    ngc_app::awards::make_contract(&on(signed), &lead, tender_id, contract).await?;
    // The contract award notice: its release made public with the notice's id and day.
    let published = signed.checked_add_days(Days::new(10)).context("a date")?;
    let at = on(published);
    let notice = ngc_app::ocds::list_notices(&at, &lead, tender_id)
        .await?
        .into_iter()
        .rfind(|r| r.step == "contract")
        .context("no contract notice")?;
    let publication = PublicationInput {
        platform_notice_id: a.notice_id.to_owned(),
        published_on: published.to_string(),
    };
    ngc_app::ocds::record_publication(&at, &lead, tender_id, notice.id, &publication).await?;
    Ok(())
}

/// Makes the demo's procurements that do not exist yet, dated from `anchor`. Those that
/// would not have closed by the anchor day (the old ones, on a demo anchored in the past) and
/// the current ones on a demo anchored before [`CURRENT_FROM`] are left out. Returns how many
/// it made.
pub async fn load(store: &Store, anchor: NaiveDate) -> anyhow::Result<usize> {
    let existing: Vec<String> = store
        .list_tenders()
        .await?
        .into_iter()
        .map(|t| t.reference)
        .collect();
    let mut made = 0;
    for t in demo_tenders(anchor) {
        let reference = t.body["reference"].as_str().unwrap_or_default();
        let current = t.closes_on > anchor;
        let fits = if current {
            anchor >= day(CURRENT_FROM)
        } else {
            t.closes_on <= anchor
        };
        if !fits || existing.iter().any(|r| r == reference) {
            continue;
        }
        replay(store, &t)
            .await
            .with_context(|| format!("making the demo tender {reference}"))?;
        made += 1;
    }
    Ok(made)
}
