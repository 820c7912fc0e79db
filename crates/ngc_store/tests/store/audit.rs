use super::fixtures::council;
use ngc_store::audit::Verification;
use ngc_store::{Actor, Store, store_test};

async fn three_changes(store: &Store) {
    for (s, n) in [("alpha", "Alpha"), ("beta", "Beta"), ("gamma", "Gamma")] {
        store
            .create_organisation(&council(s, n), &Actor::system())
            .await
            .unwrap();
    }
}

store_test!(
    async fn every_change_appends_a_chained_record(store: Store) {
        three_changes(&store).await;
        assert_eq!(store.verify_audit().await.unwrap(), Verification::Intact(3));
        let page = store.audit_page(None, 10).await.unwrap();
        let seqs: Vec<i64> = page.iter().map(|e| e.record.seq).collect();
        assert_eq!(seqs, [3, 2, 1]);
        assert_eq!(page[0].record.action, "organisation.create");
        assert_eq!(page[0].record.prev_hash, page[1].record.hash);
    }
);

store_test!(
    async fn altering_a_record_in_the_database_names_its_sequence_number(store: Store) {
        three_changes(&store).await;
        store
            .execute_raw("UPDATE audit_log SET change = '{\"name\":\"Forged\"}' WHERE seq = 2")
            .await
            .unwrap();
        match store.verify_audit().await.unwrap() {
            Verification::Broken(b) => assert_eq!(b.seq(), 2, "{b}"),
            other => panic!("tampering went unnoticed: {other:?}"),
        }
    }
);

store_test!(
    async fn removing_a_record_names_the_first_bad_sequence_number(store: Store) {
        three_changes(&store).await;
        store
            .execute_raw("DELETE FROM audit_log WHERE seq = 2")
            .await
            .unwrap();
        match store.verify_audit().await.unwrap() {
            Verification::Broken(b) => assert_eq!(b.seq(), 3, "{b}"),
            other => panic!("removal went unnoticed: {other:?}"),
        }
    }
);

store_test!(
    async fn removing_the_last_record_is_caught(store: Store) {
        three_changes(&store).await;
        store
            .execute_raw("DELETE FROM audit_log WHERE seq = 3")
            .await
            .unwrap();
        match store.verify_audit().await.unwrap() {
            Verification::Broken(b) => assert_eq!(b.seq(), 3, "{b}"),
            other => panic!("truncation went unnoticed: {other:?}"),
        }
    }
);

store_test!(
    async fn concurrent_writers_keep_one_unbroken_chain(store: Store) {
        let mut tasks = Vec::new();
        for i in 0..16 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                store
                    .create_organisation(
                        &council(&format!("council-{i}"), &format!("Council {i}")),
                        &Actor::system(),
                    )
                    .await
                    .unwrap();
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(
            store.verify_audit().await.unwrap(),
            Verification::Intact(16)
        );
    }
);

store_test!(
    async fn a_failed_change_leaves_no_audit_record(store: Store) {
        three_changes(&store).await;
        let dup = store
            .create_organisation(&council("alpha", "Alpha again"), &Actor::system())
            .await;
        assert!(dup.is_err());
        assert_eq!(store.verify_audit().await.unwrap(), Verification::Intact(3));
    }
);
