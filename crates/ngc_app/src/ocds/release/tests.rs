//! Release content by step and regime, validated against the shipped OCDS 1.1.5 schema.

use super::*;
use crate::ocds::EXTENSIONS;
use chrono::TimeZone;
use ngc_domain::organisation::{ContactDetails, LegalForm, OrgKind};
use ngc_domain::procurement::{CommencingEvent, Regime, TenderStatus};
use ngc_store::tenders::{Lot, TenderBuyer};
use ocds::validate::{Check, Severity, validate_value};

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

fn org(id: i64, slug: &str, name: &str, kind: OrgKind, identifiers: &[&str]) -> Organisation {
    Organisation {
        id,
        slug: slug.into(),
        name: name.into(),
        kind,
        legal_form: if kind == OrgKind::Provider {
            LegalForm::CommunityInterestCompany
        } else {
            LegalForm::LocalAuthority
        },
        sme: kind == OrgKind::Provider,
        vcse: kind == OrgKind::Provider,
        public_service_mutual: kind == OrgKind::Provider,
        identifiers: identifiers.iter().map(|s| (*s).to_owned()).collect(),
        owner: None,
        owner_name: None,
        contact: ContactDetails {
            email: format!("procurement@{slug}.example"),
            website: format!("https://{slug}.example"),
            address: "1 Guildhall Road, Northampton".into(),
            ..ContactDetails::default()
        },
        created_at: at(2015, 1, 1, 0),
        updated_at: at(2015, 1, 1, 0),
    }
}

fn organisations() -> Vec<Organisation> {
    vec![
        org(
            1,
            "northampton",
            "Northampton Borough Council",
            OrgKind::Borough,
            &["GB-LAE-NOR"],
        ),
        org(2, "corby", "Corby Borough Council", OrgKind::Borough, &[]),
        org(
            3,
            "first-for-wellbeing",
            "First for Wellbeing CIC",
            OrgKind::Provider,
            &["GB-CHC-1123456", "GB-COH-09876543"],
        ),
    ]
}

/// A joint waste tender of two councils under the Act, or a 2016 one under PCR 2015.
fn tender(regime: Regime) -> Tender {
    let (commenced_on, procedure) = match regime {
        Regime::Pa2023 => ("2026-11-14", Procedure::Open),
        Regime::Pcr2015 => ("2016-03-01", Procedure::Restricted),
    };
    Tender {
        id: 7,
        reference: "NBC-2026-001".into(),
        lead_organisation_id: 1,
        lead_organisation: "northampton".into(),
        lead_organisation_name: "Northampton Borough Council".into(),
        procurement_lead_id: 1,
        title: "Joint waste collection".into(),
        description: "One collection contract for two councils".into(),
        classification_scheme: ClassificationScheme::Cpv,
        classification_code: "90511000-2".into(),
        contract_type: ContractType::Services,
        procedure,
        commencing_event: CommencingEvent::ContractNotice,
        commenced_on: commenced_on.parse().unwrap(),
        regime,
        estimated_value: Money::pence(1_200_000_012),
        vat_inclusive: false,
        above_threshold: true,
        reservation: Reservation::None,
        two_envelope: false,
        criteria: json!({}),
        status: TenderStatus::Draft,
        published_at: None,
        clarification_deadline: Some(at(2026, 12, 1, 12)),
        submission_deadline: at(2026, 12, 12, 12),
        terminated_at: None,
        termination_reason: String::new(),
        notice_id: None,
        notice_published_on: None,
        minimum_period_days: None,
        minimum_period_basis: String::new(),
        created_at: at(2026, 11, 1, 9),
        updated_at: at(2026, 11, 1, 9),
        buyers: vec![
            TenderBuyer {
                tender_id: 7,
                organisation_id: 2,
                organisation: "corby".into(),
                organisation_name: "Corby Borough Council".into(),
                share_percent: "40".into(),
            },
            TenderBuyer {
                tender_id: 7,
                organisation_id: 1,
                organisation: "northampton".into(),
                organisation_name: "Northampton Borough Council".into(),
                share_percent: "60".into(),
            },
        ],
        lots: vec![
            Lot {
                id: 70,
                number: 1,
                title: "North".into(),
                description: String::new(),
                estimated_value: Money::pounds(7_000_000),
                criteria: None,
            },
            Lot {
                id: 71,
                number: 2,
                title: "South".into(),
                description: "The southern districts".into(),
                estimated_value: Money::pence(500_000_012),
                criteria: None,
            },
        ],
    }
}

fn award() -> AwardFacts {
    AwardFacts {
        id: "award-1".into(),
        lots: vec![1],
        suppliers: vec![3],
        value: Money::pence(650_000_050),
        vat_inclusive: false,
        status: AwardStatus::Pending,
        decided_at: at(2027, 1, 15, 10),
        standstill: Some(StandstillDays {
            starts_on: "2027-01-18".parse().unwrap(),
            ends_on: "2027-01-27".parse().unwrap(),
        }),
        assessment_summaries_sent_at: Some(at(2027, 1, 15, 16)),
    }
}

fn contract() -> ContractFacts {
    ContractFacts {
        id: "contract-1".into(),
        award_id: "award-1".into(),
        title: "Waste collection, north".into(),
        suppliers: vec![3],
        value: Money::pence(650_000_050),
        vat_inclusive: false,
        status: ContractStatus::Active,
        starts_on: "2027-04-01".parse().unwrap(),
        ends_on: Some("2034-03-31".parse().unwrap()),
        signed_at: Some(at(2027, 2, 1, 11)),
    }
}

fn every_step() -> Vec<Step> {
    vec![
        Step::Planning(PlanningNotice::PlannedProcurement),
        Step::Tender,
        Step::Award(award()),
        Step::Contract(contract()),
        Step::Termination,
        Step::ContractChange(change(Some(NoticeType::Uk10))),
        Step::ContractTermination(termination()),
    ]
}

/// A change of the contract, needing `notice` by the change rules.
fn change(notice: Option<NoticeType>) -> ContractChangeFacts {
    ContractChangeFacts {
        contract: ContractFacts {
            value: Money::pence(780_000_060),
            ..contract()
        },
        id: "contract-1-1".into(),
        date: at(2027, 6, 1, 9),
        rationale: "PA2023 Sch 8 para 4: unforeseeable circumstances".into(),
        description: "New estates".into(),
        notice,
    }
}

fn termination() -> ContractTerminationFacts {
    ContractTerminationFacts {
        contract: ContractFacts {
            status: ContractStatus::Terminated,
            ..contract()
        },
        id: "contract-1-2".into(),
        terminated_on: "2027-07-01".parse().unwrap(),
        reason: "The supplier is insolvent".into(),
    }
}

fn build_for(t: &Tender, step: &Step) -> ReleaseDraft {
    build(
        &Context {
            ocid: "ocds-ngc000-7",
            tender: t,
            organisations: &organisations(),
        },
        step,
    )
    .unwrap()
}

/// The release as the store completes it.
fn finish(draft: &ReleaseDraft, n: usize) -> Value {
    let mut r = Map::new();
    r.insert("ocid".into(), draft.body["ocid"].clone());
    r.insert("id".into(), json!(format!("ocds-ngc000-7-{n}")));
    r.insert("date".into(), json!("2027-02-02T09:00:00Z"));
    r.insert("tag".into(), json!([draft.step.tags().0]));
    for (k, v) in draft.body.as_object().unwrap() {
        r.entry(k.clone()).or_insert_with(|| v.clone());
    }
    Value::Object(r)
}

/// The fields of the extensions ngc declares: the only additional fields allowed.
const EXTENSION_FIELDS: [&str; 13] = [
    "noticeType",
    "aboveThreshold",
    "amountGross",
    "standstillPeriod",
    "assessmentSummariesDateSent",
    "scale",
    "vcse",
    "publicServiceMissionOrganization",
    "lots",
    "relatedLot",
    "relatedLots",
    "otherRequirements",
    "links",
];

/// Validates the releases as a release package: no error, and no additional field other than
/// the declared extensions' fields.
fn assert_valid(releases: Vec<Value>) {
    let package = json!({
        "uri": "https://ngc.example/ocds/releases",
        "version": "1.1",
        "extensions": EXTENSIONS,
        "publishedDate": "2027-02-02T09:00:00Z",
        "publisher": {"name": "ngc"},
        "releases": releases,
    });
    let report = validate_value("package", &package);
    let errors: Vec<_> = report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    for p in report
        .problems
        .iter()
        .filter(|p| p.check == Check::Additional)
    {
        let field = p
            .path
            .rsplit('/')
            .find(|s| s.parse::<usize>().is_err())
            .unwrap_or_default();
        assert!(
            EXTENSION_FIELDS.contains(&field),
            "{}: {}",
            p.path,
            p.message
        );
    }
}

fn notice_types(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "noticeType" {
                    out.push(x.as_str().unwrap().to_owned());
                }
                notice_types(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| notice_types(x, out)),
        _ => {}
    }
}

#[test]
fn every_step_makes_a_valid_release_under_either_regime() {
    for regime in [Regime::Pa2023, Regime::Pcr2015] {
        let mut t = tender(regime);
        t.termination_reason = "The councils merged their collection".into();
        let releases = every_step()
            .iter()
            .enumerate()
            .map(|(i, s)| finish(&build_for(&t, s), i))
            .collect();
        assert_valid(releases);
    }
}

#[test]
fn a_tender_under_the_act_is_a_uk4_tender_notice() {
    let t = tender(Regime::Pa2023);
    let r = build_for(&t, &Step::Tender);
    assert_eq!(r.notice_type, Some(NoticeType::Uk4));
    assert_eq!(r.slot, "tender");
    let b = &r.body;
    assert_eq!(b["ocid"], "ocds-ngc000-7");
    assert_eq!(b["initiationType"], "tender");
    assert_eq!(
        b["tender"]["documents"],
        json!([{"id": "UK4", "documentType": "tenderNotice", "noticeType": "UK4",
                "title": "Tender notice", "language": "en"}])
    );
    let tender = &b["tender"];
    assert_eq!(tender["id"], "NBC-2026-001");
    assert_eq!(tender["status"], "active");
    assert_eq!(tender["aboveThreshold"], true);
    assert_eq!(
        tender["value"],
        json!({"amount": 12000000.12, "currency": "GBP"})
    );
    assert_eq!(tender["procurementMethod"], "open");
    assert_eq!(
        tender["procurementMethodDetails"],
        "Open procedure (PA2023 s20(2)(a))"
    );
    assert_eq!(tender["mainProcurementCategory"], "services");
    assert_eq!(
        tender["tenderPeriod"],
        json!({"endDate": "2026-12-12T12:00:00Z"})
    );
    assert_eq!(
        tender["enquiryPeriod"],
        json!({"endDate": "2026-12-01T12:00:00Z"})
    );
    assert_eq!(
        tender["items"][1],
        json!({"id": "2", "classification": {"scheme": "CPV", "id": "90511000"}, "relatedLot": "2"})
    );
    assert_eq!(tender["lots"][1]["value"]["amount"], json!(5000000.12));
    assert_eq!(
        b["buyer"],
        json!({"id": "GB-LAE-NOR", "name": "Northampton Borough Council"})
    );
    let roles: Vec<(&str, &Value)> = b["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), &p["roles"]))
        .collect();
    assert_eq!(
        roles,
        [
            ("ngc-corby", &json!(["buyer"])),
            ("GB-LAE-NOR", &json!(["buyer", "procuringEntity"]))
        ]
    );
    assert!(
        b["parties"][0].get("details").is_none(),
        "buyers carry no supplier details"
    );
}

#[test]
fn a_pcr_era_tender_carries_no_uk_notice_type() {
    let t = tender(Regime::Pcr2015);
    for step in every_step() {
        let r = build_for(&t, &step);
        let mut found = Vec::new();
        notice_types(&r.body, &mut found);
        assert!(found.is_empty(), "{:?}: {found:?}", step.kind());
    }
    let r = build_for(&t, &Step::Tender);
    assert_eq!(r.notice_type, Some(NoticeType::ContractNotice));
    assert_eq!(
        r.body["tender"]["documents"],
        json!([{"id": "contract_notice", "documentType": "tenderNotice",
                "title": "Contract notice (reg 49)", "language": "en"}])
    );
    assert_eq!(r.body["tender"]["procurementMethod"], "selective");
    assert_eq!(
        r.body["tender"]["procurementMethodDetails"],
        "Restricted procedure (PCR 2015 reg 28)"
    );
    // The award decision goes out by letter under PCR: the award release is no notice.
    let award = build_for(&t, &Step::Award(award()));
    assert_eq!(award.notice_type, None);
    assert!(award.body["awards"][0].get("documents").is_none());
    let contract = build_for(&t, &Step::Contract(contract()));
    assert_eq!(contract.notice_type, Some(NoticeType::ContractAwardNotice));
}

#[test]
fn an_award_under_the_act_is_a_uk6_with_standstill_and_the_suppliers_status() {
    let t = tender(Regime::Pa2023);
    let r = build_for(&t, &Step::Award(award()));
    assert_eq!(r.notice_type, Some(NoticeType::Uk6));
    assert_eq!(r.slot, "award:award-1");
    let a = &r.body["awards"][0];
    assert_eq!(a["status"], "pending");
    assert_eq!(a["date"], "2027-01-15T10:00:00Z");
    assert_eq!(a["value"], json!({"amount": 6500000.5, "currency": "GBP"}));
    assert_eq!(a["relatedLots"], json!(["1"]));
    assert_eq!(
        a["standstillPeriod"],
        json!({"startDate": "2027-01-18T00:00:00Z", "endDate": "2027-01-27T23:59:59Z"})
    );
    assert_eq!(a["assessmentSummariesDateSent"], "2027-01-15T16:00:00Z");
    assert_eq!(a["documents"][0]["noticeType"], "UK6");
    assert_eq!(a["documents"][0]["documentType"], "awardNotice");
    assert_eq!(
        a["suppliers"],
        json!([{"id": "GB-COH-09876543", "name": "First for Wellbeing CIC"}])
    );
    let supplier = &r.body["parties"][2];
    assert_eq!(supplier["roles"], json!(["supplier"]));
    assert_eq!(
        supplier["identifier"],
        json!({"scheme": "GB-COH", "id": "09876543", "legalName": "First for Wellbeing CIC"})
    );
    assert_eq!(
        supplier["additionalIdentifiers"],
        json!([{"scheme": "GB-CHC", "id": "1123456"}])
    );
    assert_eq!(
        supplier["details"],
        json!({"scale": "sme", "vcse": true, "publicServiceMissionOrganization": true})
    );
}

#[test]
fn a_contract_under_the_act_is_a_uk7_contract_details_notice() {
    let t = tender(Regime::Pa2023);
    let r = build_for(&t, &Step::Contract(contract()));
    assert_eq!(r.notice_type, Some(NoticeType::Uk7));
    let c = &r.body["contracts"][0];
    assert_eq!(c["awardID"], "award-1");
    assert_eq!(c["status"], "active");
    assert_eq!(
        c["period"],
        json!({"startDate": "2027-04-01T00:00:00Z", "endDate": "2034-03-31T23:59:59Z"})
    );
    assert_eq!(c["dateSigned"], "2027-02-01T11:00:00Z");
    assert_eq!(c["documents"][0]["noticeType"], "UK7");
    assert_eq!(c["documents"][0]["documentType"], "contractNotice");
}

#[test]
fn planning_and_termination_notices_under_the_act() {
    let mut t = tender(Regime::Pa2023);
    let r = build_for(&t, &Step::Planning(PlanningNotice::PlannedProcurement));
    assert_eq!(r.body["tender"]["status"], "planned");
    assert_eq!(r.body["planning"]["documents"][0]["noticeType"], "UK3");
    let r = build_for(&t, &Step::Planning(PlanningNotice::MarketEngagement));
    assert_eq!(
        r.body["planning"]["documents"][0]["documentType"],
        "marketEngagementNotice"
    );
    t.termination_reason = "The councils merged their collection".into();
    let r = build_for(&t, &Step::Termination);
    assert_eq!(r.notice_type, Some(NoticeType::Uk12));
    assert_eq!(r.body["tender"]["status"], "cancelled");
    assert_eq!(r.body["tender"]["lots"][0]["status"], "cancelled");
    let doc = &r.body["tender"]["documents"][0];
    assert_eq!(doc["noticeType"], "UK12");
    assert_eq!(doc["documentType"], "tenderCancellationNotice");
    assert_eq!(doc["description"], "The councils merged their collection");
}

#[test]
fn an_estimate_including_vat_is_a_gross_amount_and_a_reserved_competition_says_so() {
    let mut t = tender(Regime::Pa2023);
    t.vat_inclusive = true;
    t.reservation = Reservation::Mutual;
    t.classification_scheme = ClassificationScheme::Proclass;
    t.classification_code = "234510".into();
    let r = build_for(&t, &Step::Tender);
    assert_eq!(
        r.body["tender"]["value"],
        json!({"amountGross": 12000000.12, "currency": "GBP"})
    );
    assert_eq!(
        r.body["tender"]["otherRequirements"],
        json!({"reservedParticipation": ["publicServiceMissionOrganization"]})
    );
    assert_eq!(
        r.body["tender"]["items"][0]["classification"],
        json!({"scheme": "ProClass", "id": "234510"})
    );
    assert_valid(vec![finish(&r, 1)]);
}

#[test]
fn an_award_naming_an_unknown_lot_or_organisation_or_no_supplier_is_refused() {
    let t = tender(Regime::Pa2023);
    let ctx = Context {
        ocid: "ocds-ngc000-7",
        tender: &t,
        organisations: &organisations(),
    };
    let bad_lot = AwardFacts {
        lots: vec![3],
        ..award()
    };
    assert_eq!(
        build(&ctx, &Step::Award(bad_lot)),
        Err(BuildError::UnknownLot(3))
    );
    let bad_supplier = AwardFacts {
        suppliers: vec![99],
        ..award()
    };
    assert_eq!(
        build(&ctx, &Step::Award(bad_supplier)),
        Err(BuildError::UnknownOrganisation(99))
    );
    let nobody = ContractFacts {
        suppliers: vec![],
        ..contract()
    };
    assert_eq!(
        build(&ctx, &Step::Contract(nobody)),
        Err(BuildError::NoSupplier)
    );
}

#[test]
fn a_contract_change_is_an_amendment_with_the_notice_the_change_rules_ask() {
    let t = tender(Regime::Pa2023);
    let r = build_for(&t, &Step::ContractChange(change(Some(NoticeType::Uk10))));
    assert_eq!(
        (r.notice_type, r.slot.as_str()),
        (Some(NoticeType::Uk10), "contract_change:contract-1-1")
    );
    let c = &r.body["contracts"][0];
    assert_eq!(c["value"], json!({"amount": 7800000.6, "currency": "GBP"}));
    assert_eq!(
        c["amendments"],
        json!([{"id": "contract-1-1", "date": "2027-06-01T09:00:00Z",
                "rationale": "PA2023 Sch 8 para 4: unforeseeable circumstances",
                "description": "New estates"}])
    );
    assert_eq!(c["documents"][0]["noticeType"], "UK10");
    // No notice when the change rules ask none; under PCR 2015 the modification notice,
    // without a UK notice type.
    let r = build_for(&t, &Step::ContractChange(change(None)));
    assert_eq!(r.notice_type, None);
    assert!(r.body["contracts"][0].get("documents").is_none());
    let pcr = tender(Regime::Pcr2015);
    let r = build_for(
        &pcr,
        &Step::ContractChange(change(Some(NoticeType::ModificationNotice))),
    );
    assert_eq!(r.notice_type, Some(NoticeType::ModificationNotice));
    let doc = &r.body["contracts"][0]["documents"][0];
    assert_eq!(doc["title"], "Modification notice (reg 72(3))");
    assert!(doc.get("noticeType").is_none());
}

#[test]
fn a_contract_termination_ends_its_period_the_day_before_with_a_uk11() {
    let r = build_for(
        &tender(Regime::Pa2023),
        &Step::ContractTermination(termination()),
    );
    assert_eq!(r.notice_type, Some(NoticeType::Uk11));
    assert_eq!(
        r.step.tags(),
        ("contractTermination", "contractTermination")
    );
    let c = &r.body["contracts"][0];
    assert_eq!(c["status"], "terminated");
    assert_eq!(c["period"]["endDate"], "2027-06-30T23:59:59Z");
    assert_eq!(c["documents"][0]["noticeType"], "UK11");
    assert_eq!(
        c["documents"][0]["description"],
        "The supplier is insolvent"
    );
    let r = build_for(
        &tender(Regime::Pcr2015),
        &Step::ContractTermination(termination()),
    );
    assert_eq!(r.notice_type, None);
    assert!(r.body["contracts"][0].get("documents").is_none());
}
