//! The store carries the bid key ring: without one it refuses to seal or open; its clones
//! share it; what one store sealed another with the same key opens.

use ngc_store::sealing::{BidKey, KeyRing, SealError};
use ngc_store::{StoreError, store_test};

fn ring(byte: u8) -> KeyRing {
    KeyRing::single(BidKey::from_bytes([byte; 32]))
}

store_test!(
    async fn a_store_without_a_bid_key_refuses_to_seal_or_open(store: Store) {
        assert!(store.bid_keys().is_none());
        let refused = store.seal_bid(1, 2, b"content").unwrap_err();
        assert_eq!(refused, SealError::NoKey);
        assert_eq!(
            StoreError::from(refused).to_string(),
            "no bid key configured: set NGC_BID_KEY or bid_key_file"
        );
        let sealed = ring(7).seal(1, 2, b"content").unwrap();
        assert_eq!(store.open_bid(1, 2, &sealed), Err(SealError::NoKey));
    }
);

store_test!(
    async fn a_store_with_a_bid_key_seals_and_its_clones_open(store: Store) {
        let store = store.with_bid_keys(ring(7));
        let sealed = store.seal_bid(1, 2, b"content").unwrap();
        assert_eq!(sealed.key_id, store.bid_keys().unwrap().current_id());
        let clone = store.clone();
        assert_eq!(clone.open_bid(1, 2, &sealed).unwrap(), b"content");
        // A store restarted with the same key opens it; with another key, it is refused.
        assert_eq!(ring(7).open(1, 2, &sealed).unwrap(), b"content");
        let other = store.with_bid_keys(ring(8));
        assert!(matches!(
            other.open_bid(1, 2, &sealed),
            Err(SealError::UnknownKey { bid_id: 2, .. })
        ));
    }
);
