use super::fixtures::{council, slug};
use chrono::NaiveDate;
use ngc_domain::pack::PartnershipDraft;
use ngc_domain::partnership::{Membership, PartnershipKind};
use ngc_domain::shared_services::{
    Agreement, BaselineDraft, Basis, Fee, IndexRate, Provenance, Published, PublishedSaving,
    ServiceDraft, YearDraft,
};
use ngc_domain::slug::Slug;
use ngc_store::shared_services::NewExit;
use ngc_store::{Actor, Store, StoreError, store_test};
use std::collections::BTreeMap;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn provenance(source: &str) -> Provenance {
    Provenance {
        source: source.into(),
        confirmed: false,
    }
}

/// LGSS with Northamptonshire and Cambridgeshire from October 2010: its id and the partners'.
async fn lgss(store: &Store) -> (i64, BTreeMap<Slug, i64>) {
    let a = Actor::system();
    let mut ids = BTreeMap::new();
    for (s, n) in [
        ("northamptonshire", "Northamptonshire"),
        ("cambridgeshire", "Cambridgeshire"),
    ] {
        let org = store.create_organisation(&council(s, n), &a).await.unwrap();
        ids.insert(slug(s), org.id);
    }
    let draft = PartnershipDraft {
        slug: slug("lgss"),
        name: "LGSS".into(),
        kind: PartnershipKind::SharedService,
        lead: Some(slug("northamptonshire")),
        description: String::new(),
    };
    store.create_partnership(&draft, &a).await.unwrap();
    let mut p = None;
    for s in ["northamptonshire", "cambridgeshire"] {
        let m = Membership::new(d("2010-10-01"), None).unwrap();
        p = Some(store.add_member("lgss", s, &m, &a).await.unwrap());
    }
    (p.unwrap().id, ids)
}

fn hr_year(pool: &str) -> YearDraft {
    YearDraft {
        service: "hr".into(),
        year: "2015-16".parse().unwrap(),
        pool: pool.parse().unwrap(),
        basis: Basis::Headcount,
        // In slug order, as they are read back.
        weights: vec![
            (slug("cambridgeshire"), "3900.5".parse().unwrap()),
            (slug("northamptonshire"), "4200".parse().unwrap()),
        ],
        fees: vec![Fee {
            client: "Schools".into(),
            amount: "1000.50".parse().unwrap(),
        }],
        income_key: Some(vec![
            (slug("cambridgeshire"), "2".parse().unwrap()),
            (slug("northamptonshire"), "1".parse().unwrap()),
        ]),
        provenance: provenance("modelled"),
    }
}

fn agreement(pool: &str) -> Agreement {
    Agreement {
        services: vec![ServiceDraft {
            code: "hr".into(),
            name: "Human resources".into(),
            host: slug("northamptonshire"),
        }],
        years: vec![hr_year(pool)],
        notice_months: Some(12),
        index_name: Some("Pay and prices".into()),
        index_rates: vec![IndexRate {
            year: "2015-16".parse().unwrap(),
            rate: "1.5".parse().unwrap(),
            provenance: provenance("modelled"),
        }],
        baselines: vec![BaselineDraft {
            organisation: slug("cambridgeshire"),
            year: "2014-15".parse().unwrap(),
            amount: "25000000".parse().unwrap(),
            provenance: provenance("before LGSS"),
        }],
        published: vec![PublishedSaving {
            organisation: None,
            year: "2015-16".parse().unwrap(),
            kind: Published::ReportedCumulative,
            amount: "18800000".parse().unwrap(),
            provenance: provenance("case study"),
        }],
    }
}

store_test!(
    async fn an_import_reads_back_exactly_and_a_second_replaces_keeping_the_first(store: Store) {
        let (pid, ids) = lgss(&store).await;
        let a = Actor::system();
        let first = store
            .import_shared_services(pid, &agreement("1000000.01"), &ids, &a)
            .await
            .unwrap();
        assert_eq!((first.services, first.years, first.superseded), (1, 1, 0));
        let data = store.shared_services(pid).await.unwrap();
        assert_eq!(data.figures.services.len(), 1);
        assert_eq!(data.figures.services[0].host, slug("northamptonshire"));
        let (year, prov) = &data.figures.years[0];
        assert_eq!(year.pool.to_string(), "1000000.01");
        assert_eq!(year.weights, hr_year("0").weights);
        assert_eq!(year.income_key, hr_year("0").income_key);
        assert_eq!(year.fees, hr_year("0").fees);
        assert_eq!(prov.source, "modelled");
        assert_eq!(data.notice_months, Some(12));
        assert_eq!(data.figures.index_name.as_deref(), Some("Pay and prices"));
        assert_eq!(data.figures.index_rates, agreement("0").index_rates);
        assert_eq!(data.figures.baselines[0].amount.to_string(), "25000000.00");
        assert_eq!(data.published, agreement("0").published);

        let second = store
            .import_shared_services(pid, &agreement("2000000"), &ids, &a)
            .await
            .unwrap();
        // The year, the rate, the baseline and the figure are replaced; the terms are the same.
        assert_eq!(
            (second.services, second.years, second.superseded),
            (0, 1, 4)
        );
        let data = store.shared_services(pid).await.unwrap();
        assert_eq!(data.figures.years.len(), 1);
        assert_eq!(data.figures.years[0].0.pool.to_string(), "2000000.00");
        assert_eq!(data.published.len(), 1);
        // The first import's figures are kept, superseded.
        let versions = store
            .shared_service_year_versions(pid, "2015-16".parse().unwrap())
            .await
            .unwrap();
        let pools: Vec<(&str, i64, bool)> = versions
            .iter()
            .map(|v| (v.service.as_str(), v.pool, v.superseded_at.is_some()))
            .collect();
        assert_eq!(
            pools,
            vec![("hr", 100_000_001, true), ("hr", 200_000_000, false)]
        );

        // Restoring the first makes it current again, weights, fees and income key and all,
        // and keeps the second as a version.
        let first_id = versions[0].id;
        let old = store
            .shared_service_year_version(pid, first_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(old, hr_year("1000000.01"));
        let restored = store
            .restore_shared_service_year(pid, first_id, &old, &ids, &a)
            .await
            .unwrap();
        assert_eq!((restored.years, restored.superseded), (1, 1));
        let data = store.shared_services(pid).await.unwrap();
        let (year, _) = &data.figures.years[0];
        assert_eq!(year.pool.to_string(), "1000000.01");
        assert_eq!(year.weights, hr_year("0").weights);
        assert_eq!(year.fees, hr_year("0").fees);
        assert_eq!(year.income_key, hr_year("0").income_key);
        let versions = store
            .shared_service_year_versions(pid, "2015-16".parse().unwrap())
            .await
            .unwrap();
        let pools: Vec<(i64, bool)> = versions
            .iter()
            .map(|v| (v.pool, v.superseded_at.is_some()))
            .collect();
        assert_eq!(
            pools,
            vec![
                (100_000_001, true),
                (200_000_000, true),
                (100_000_001, false)
            ]
        );
        let last = store.audit_page(None, 1).await.unwrap().remove(0).record;
        assert_eq!(last.action, "shared_services.restore");
        // Another partnership's version is not this one's.
        assert_eq!(
            store
                .shared_service_year_version(pid + 1000, first_id)
                .await
                .unwrap(),
            None
        );
    }
);

store_test!(
    async fn an_import_naming_an_outsider_writes_nothing(store: Store) {
        let (pid, mut ids) = lgss(&store).await;
        ids.remove(&slug("cambridgeshire"));
        let head = store.audit_head().await.unwrap();
        let err = store
            .import_shared_services(pid, &agreement("1000"), &ids, &Actor::system())
            .await
            .unwrap_err();
        assert!(
            matches!(&err, StoreError::Invalid { message, .. } if message.contains("`cambridgeshire` is not a partner")),
            "{err:?}"
        );
        assert_eq!(store.audit_head().await.unwrap(), head);
        let data = store.shared_services(pid).await.unwrap();
        assert!(
            data.figures.services.is_empty()
                && data.figures.years.is_empty()
                && data.figures.baselines.is_empty()
        );
    }
);

store_test!(
    async fn leaving_ends_the_membership_and_repatriating_a_service_does_not(store: Store) {
        let (pid, ids) = lgss(&store).await;
        let a = Actor::system();
        store
            .import_shared_services(pid, &agreement("1000"), &ids, &a)
            .await
            .unwrap();
        let hr = store.shared_services(pid).await.unwrap().service_ids["hr"];
        let cambs = ids[&slug("cambridgeshire")];
        let repatriate = NewExit {
            organisation_id: cambs,
            service_id: Some(hr),
            notice_given_on: d("2015-01-01"),
            left_on: d("2015-12-31"),
            exit_cost: "0".parse().unwrap(),
            reason: "HR back in house".into(),
        };
        store
            .record_shared_service_exit(pid, &repatriate, &a)
            .await
            .unwrap();
        let p = store.partnership_by_slug("lgss").await.unwrap().unwrap();
        assert!(p.members.iter().all(|m| m.left_on.is_none()));
        let leave = NewExit {
            service_id: None,
            left_on: d("2017-03-31"),
            exit_cost: "250000".parse().unwrap(),
            reason: "Stranded IT licences".into(),
            ..repatriate
        };
        store
            .record_shared_service_exit(pid, &leave, &a)
            .await
            .unwrap();
        let p = store.partnership_by_slug("lgss").await.unwrap().unwrap();
        let left: Vec<_> = p
            .members
            .iter()
            .map(|m| (m.organisation.as_str(), m.left_on))
            .collect();
        assert!(
            left.contains(&("cambridgeshire", Some(d("2017-03-31")))),
            "{left:?}"
        );
        assert!(left.contains(&("northamptonshire", None)), "{left:?}");
        let exits = store.shared_services(pid).await.unwrap().exits;
        let kept: Vec<_> = exits
            .iter()
            .map(|e| (e.service.as_deref(), e.left_on, e.exit_cost.to_string()))
            .collect();
        assert_eq!(
            kept,
            vec![
                (Some("hr"), d("2015-12-31"), "0.00".to_owned()),
                (None, d("2017-03-31"), "250000.00".to_owned()),
            ]
        );
        // Leaving again, once gone, is refused and records nothing.
        let head = store.audit_head().await.unwrap();
        let again = NewExit {
            left_on: d("2018-03-31"),
            ..leave
        };
        assert!(
            store
                .record_shared_service_exit(pid, &again, &a)
                .await
                .is_err()
        );
        assert_eq!(store.audit_head().await.unwrap(), head);
        assert_eq!(store.shared_services(pid).await.unwrap().exits.len(), 2);
    }
);
