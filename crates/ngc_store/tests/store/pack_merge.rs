//! Re-importing a pack is a three-way merge: nothing a user entered is lost.

use super::fixtures::council;
use super::pack::pack;
use ngc_domain::finance::fixtures::demo_plan;
use ngc_domain::finance::mtfp::Plan;
use ngc_domain::finance::savings::{DeliveryUpdate, Rag};
use ngc_domain::money::Money;
use ngc_domain::pack::DataPack;
use ngc_store::audit::Verification;
use ngc_store::pack::LoadMode;
use ngc_store::{Actor, Store, StoreError, store_test};

const DIR: &str = "mtfp-2015";

fn with_plan() -> DataPack {
    let mut p = pack();
    p.plans = vec![demo_plan()];
    p.plan_dirs = vec![DIR.into()];
    p
}

/// A rag other than those given.
fn other(not: &[Rag]) -> Rag {
    [Rag::Green, Rag::Amber, Rag::Red]
        .into_iter()
        .find(|r| !not.contains(r))
        .unwrap()
}

async fn stored(store: &Store) -> Plan {
    let plan = demo_plan();
    store
        .plan(&plan.organisation, Some(&plan.name))
        .await
        .unwrap()
        .unwrap()
}

async fn audited(store: &Store) -> i64 {
    match store.verify_audit().await.unwrap() {
        Verification::Intact(n) => n,
        other => panic!("{other:?}"),
    }
}

/// Records a delivery update on the first saving that sets its rag to `rag`.
async fn deliver(store: &Store, rag: Rag) -> DeliveryUpdate {
    let plan = demo_plan();
    let update = DeliveryUpdate {
        reference: plan.savings[0].reference.clone(),
        year: plan.first_year,
        month: 7,
        delivered: Money::pence(12_300),
        rag,
        note: "Recorded in the app".into(),
    };
    store
        .record_delivery(&plan.organisation, &plan.name, &update, &Actor::system())
        .await
        .unwrap();
    update
}

store_test!(
    async fn an_update_made_in_the_app_survives_and_only_the_packs_change_is_taken(store: Store) {
        store
            .load_pack(&with_plan(), &Actor::system())
            .await
            .unwrap();
        let base_rag = demo_plan().savings[0].rag;
        let update = deliver(&store, other(&[base_rag])).await;

        let mut next = with_plan();
        next.name = "test, second edition".into();
        next.plans[0].savings[1].title = "Renamed in the pack".into();
        let sum = store.load_pack(&next, &Actor::system()).await.unwrap();
        assert_eq!(sum.plans_merged, 1, "{sum:?}");

        let plan = stored(&store).await;
        assert!(plan.delivery.contains(&update));
        assert_eq!(plan.savings[0].rag, update.rag);
        assert_eq!(plan.savings[1].title, "Renamed in the pack");
        // The merge made a revision after the import's and the update's.
        let summary = &store.list_plans("northamptonshire").await.unwrap()[0];
        assert_eq!(summary.revision, 3);
    }
);

store_test!(
    async fn a_field_changed_in_both_refuses_the_whole_pack(store: Store) {
        store
            .load_pack(&with_plan(), &Actor::system())
            .await
            .unwrap();
        let base_rag = demo_plan().savings[0].rag;
        let app_rag = other(&[base_rag]);
        let pack_rag = other(&[base_rag, app_rag]);
        deliver(&store, app_rag).await;
        let before = stored(&store).await;
        let head = audited(&store).await;

        let mut next = with_plan();
        next.name = "conflicting".into();
        next.organisations[2].name = "Cambridgeshire County Council".into();
        next.plans[0].savings[0].rag = pack_rag;
        let err = store.load_pack(&next, &Actor::system()).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
        let reference = &before.savings[0].reference;
        assert_eq!(
            err.to_string(),
            format!(
                "plans/{DIR}/savings.csv, row {reference} (reference), field rag: changed both \
                 in the app and in the pack since the last import: base \"{}\", app \"{}\", pack \"{}\"",
                base_rag.as_str(),
                app_rag.as_str(),
                pack_rag.as_str()
            )
        );
        assert_eq!(audited(&store).await, head);
        assert_eq!(stored(&store).await, before);
        let cambs = store
            .organisation_by_slug("cambridgeshire")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(cambs.name, "Cambridgeshire");
        assert_eq!(store.pack_imports().await.unwrap().len(), 1);
    }
);

store_test!(
    async fn a_pack_with_the_last_imports_content_writes_nothing(store: Store) {
        let first = store
            .load_pack(&with_plan(), &Actor::system())
            .await
            .unwrap();
        assert!(!first.same_content);
        let head = audited(&store).await;
        let imports = store.pack_imports().await.unwrap();
        assert_eq!(imports.len(), 1);
        assert_eq!(imports[0].content_sha256, first.content_sha256);

        let again = store
            .load_pack(&with_plan(), &Actor::system())
            .await
            .unwrap();
        assert!(again.same_content);
        assert_eq!(again.content_sha256, first.content_sha256);
        assert_eq!(audited(&store).await, head);
        assert_eq!(store.pack_imports().await.unwrap(), imports);
    }
);

store_test!(
    async fn records_created_in_the_app_are_never_touched(store: Store) {
        store
            .load_pack(&with_plan(), &Actor::system())
            .await
            .unwrap();
        store
            .create_organisation(&council("kettering", "Kettering"), &Actor::system())
            .await
            .unwrap();
        let update = deliver(&store, demo_plan().savings[0].rag).await;
        let mut next = with_plan();
        next.name = "next".into();
        next.organisations[1].name = "Northamptonshire County Council".into();
        // The pack now brings an organisation of the app's slug, named otherwise.
        next.organisations
            .push(council("kettering", "Kettering Borough Council"));
        let sum = store.load_pack(&next, &Actor::system()).await.unwrap();
        assert_eq!(sum.organisations_updated, 1, "{sum:?}");
        let kettering = store
            .organisation_by_slug("kettering")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(kettering.name, "Kettering");
        assert!(stored(&store).await.delivery.contains(&update));
        // Still untouched on the next import: the app's record has no base.
        next.name = "after".into();
        next.organisations[3].name = "Kettering BC".into();
        store.load_pack(&next, &Actor::system()).await.unwrap();
        let kettering = store
            .organisation_by_slug("kettering")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(kettering.name, "Kettering");
    }
);

store_test!(
    async fn replace_keeps_the_replaced_plan_as_a_revision_that_restores(store: Store) {
        store
            .load_pack(&with_plan(), &Actor::system())
            .await
            .unwrap();
        let base_rag = demo_plan().savings[0].rag;
        let app_rag = other(&[base_rag]);
        deliver(&store, app_rag).await;
        let replaced = stored(&store).await;

        let mut next = with_plan();
        next.name = "replacing".into();
        next.plans[0].savings[0].rag = other(&[base_rag, app_rag]);
        let sum = store
            .load_pack_with(&next, LoadMode::Replace, &Actor::system())
            .await
            .unwrap();
        assert_eq!(sum.plans_replaced, 1, "{sum:?}");
        assert_eq!(stored(&store).await, next.plans[0]);

        let (org, name) = (&replaced.organisation, &replaced.name);
        let revisions = store.plan_revisions(org, name).await.unwrap();
        let reasons: Vec<_> = revisions
            .iter()
            .map(|r| (r.number, r.reason.as_str()))
            .collect();
        assert_eq!(
            reasons,
            [(3, "replace"), (2, "delivery_update"), (1, "import")]
        );
        let (revision, content) = store.plan_revision(org, name, 2).await.unwrap().unwrap();
        assert_eq!(revision.number, 2);
        assert_eq!(content, replaced);

        let head = audited(&store).await;
        let restored = store
            .restore_plan_revision(org, name, 2, &Actor::system())
            .await
            .unwrap();
        assert_eq!(restored, Some(4));
        assert_eq!(stored(&store).await, replaced);
        assert_eq!(audited(&store).await, head + 1);
        let page = store.audit_page(None, 1).await.unwrap();
        assert_eq!(page[0].record.action, "plan.restore");
    }
);
