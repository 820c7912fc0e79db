//! OCDS releases and notices: the ocid prefix fixed at first use.

use ngc_store::settings::PLACEHOLDER_OCID_PREFIX;
use ngc_store::{Actor, store_test};

store_test!(
    async fn the_ocid_prefix_is_fixed_at_first_use_and_never_changes(store: Store) {
        assert_eq!(store.stored_ocid_prefix().await.unwrap(), None);
        assert_eq!(store.configured_ocid_prefix(), PLACEHOLDER_OCID_PREFIX);
        let configured = store.clone().with_ocid_prefix("ocds-b5fd17");
        let first = configured.fix_ocid_prefix(&Actor::system()).await.unwrap();
        assert_eq!(first, "ocds-b5fd17");
        let head = store.audit_head().await.unwrap();
        let page = store.audit_page(None, 1).await.unwrap();
        assert_eq!(page[0].record.action, "ocds.ocid_prefix");
        // A later configuration cannot move it, and fixing it again writes nothing.
        let reconfigured = store.clone().with_ocid_prefix("ocds-aaaaaa");
        assert_eq!(
            reconfigured
                .fix_ocid_prefix(&Actor::system())
                .await
                .unwrap(),
            "ocds-b5fd17"
        );
        assert_eq!(
            store.stored_ocid_prefix().await.unwrap().as_deref(),
            Some("ocds-b5fd17")
        );
        assert_eq!(store.audit_head().await.unwrap(), head);
    }
);
