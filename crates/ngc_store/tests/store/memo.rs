//! `Store::memo`: a value is computed once while the audit head and the day stay as they are,
//! again after any audited change and on another day; a failed computation keeps nothing;
//! values of different types never mix.

use super::fixtures::council;
use ngc_store::{Actor, Clock, Store, StoreError, store_test};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The memo of `key` through `store`, counting the computations in `runs`; the value is the
/// number of organisations, read from the database.
async fn organisations(store: &Store, key: &str, runs: &AtomicUsize) -> usize {
    *store
        .memo(key.to_owned(), || async {
            runs.fetch_add(1, Ordering::SeqCst);
            Ok::<_, StoreError>(store.list_organisations().await?.len())
        })
        .await
        .unwrap()
}

store_test!(
    async fn a_value_is_computed_once_per_change_and_day(store: Store) {
        let store = store.with_clock(Clock::on("2026-04-01".parse().unwrap()));
        let runs = AtomicUsize::new(0);
        assert_eq!(organisations(&store, "count", &runs).await, 0);
        assert_eq!(organisations(&store, "count", &runs).await, 0);
        assert_eq!(runs.load(Ordering::SeqCst), 1, "the second read is kept");

        // An audited change moves the head: the value is computed again, and right.
        store
            .create_organisation(&council("alpha", "Alpha"), &Actor::system())
            .await
            .unwrap();
        assert_eq!(organisations(&store, "count", &runs).await, 1);
        assert_eq!(runs.load(Ordering::SeqCst), 2);

        // Another key is another value; another day, another computation.
        assert_eq!(organisations(&store, "other", &runs).await, 1);
        assert_eq!(runs.load(Ordering::SeqCst), 3);
        let tomorrow = store
            .clone()
            .with_clock(Clock::on("2026-04-02".parse().unwrap()));
        assert_eq!(organisations(&tomorrow, "count", &runs).await, 1);
        assert_eq!(runs.load(Ordering::SeqCst), 4);
    }
);

store_test!(
    async fn a_failed_computation_keeps_nothing_and_types_never_mix(store: Store) {
        let failed: Result<std::sync::Arc<u32>, StoreError> = store
            .memo("k".into(), || async { Err(StoreError::invalid("f", "no")) })
            .await;
        assert!(failed.is_err());
        let ok = store
            .memo("k".into(), || async { Ok::<u32, StoreError>(7) })
            .await
            .unwrap();
        assert_eq!(*ok, 7);
        // The same key with another type is another value.
        let text = store
            .memo("k".into(), || async {
                Ok::<String, StoreError>("seven".into())
            })
            .await
            .unwrap();
        assert_eq!(text.as_str(), "seven");
        assert_eq!(store.memo_len(), 2);
    }
);
