//! Sealing, opening and the receipt digest, by example.

use super::*;

const HEX_A: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
/// The same 32 bytes as `HEX_A`, in base64.
const B64_A: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const HEX_B: &str = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

fn ring(list: &str) -> KeyRing {
    KeyRing::parse_list(list, "NGC_BID_KEY").unwrap()
}

fn key_error(list: &str) -> String {
    KeyRing::parse_list(list, "NGC_BID_KEY")
        .unwrap_err()
        .to_string()
}

#[test]
fn a_sealed_bid_opens_to_its_content() {
    let ring = ring(HEX_A);
    let content = br#"{"price":"1234.56","method":"We will deliver weekly."}"#;
    let sealed = ring.seal(7, 42, content).unwrap();
    assert_eq!(sealed.key_id, ring.current_id());
    assert_eq!(sealed.nonce.len(), NONCE_LEN);
    assert_eq!(sealed.ciphertext.len(), content.len() + TAG_LEN);
    assert!(
        !sealed.ciphertext.windows(5).any(|w| w == b"price"),
        "the content is not in the ciphertext"
    );
    assert_eq!(ring.open(7, 42, &sealed).unwrap(), content);
}

#[test]
fn each_seal_draws_a_new_nonce() {
    let ring = ring(HEX_A);
    let one = ring.seal(7, 42, b"same").unwrap();
    let two = ring.seal(7, 42, b"same").unwrap();
    assert_ne!(one.nonce, two.nonce);
    assert_ne!(one.ciphertext, two.ciphertext);
}

#[test]
fn one_changed_byte_of_ciphertext_or_nonce_is_refused_naming_the_bid() {
    let ring = ring(HEX_A);
    let sealed = ring.seal(7, 42, b"a bid of 1000 pounds").unwrap();
    let refused = SealError::Authentication { bid_id: 42 };
    for i in 0..sealed.ciphertext.len() {
        let mut tampered = sealed.clone();
        tampered.ciphertext[i] ^= 0x01;
        assert_eq!(
            ring.open(7, 42, &tampered),
            Err(refused.clone()),
            "byte {i}"
        );
    }
    for i in 0..sealed.nonce.len() {
        let mut tampered = sealed.clone();
        tampered.nonce[i] ^= 0x80;
        assert_eq!(
            ring.open(7, 42, &tampered),
            Err(refused.clone()),
            "nonce {i}"
        );
    }
    assert_eq!(
        refused.to_string(),
        "bid 42: its sealed content failed authentication (tampered, or sealed with another \
         key); refused"
    );
}

#[test]
fn content_moved_to_another_bid_or_tender_is_refused() {
    let ring = ring(HEX_A);
    let sealed = ring.seal(7, 42, b"content of bid 42").unwrap();
    assert_eq!(
        ring.open(7, 43, &sealed),
        Err(SealError::Authentication { bid_id: 43 })
    );
    assert_eq!(
        ring.open(8, 42, &sealed),
        Err(SealError::Authentication { bid_id: 42 })
    );
    // Swapped ids are a different pair too.
    let sealed = ring.seal(5, 9, b"x").unwrap();
    assert!(ring.open(9, 5, &sealed).is_err());
}

#[test]
fn a_bid_sealed_with_another_key_under_the_same_id_is_refused() {
    let sealed = ring(&format!("k1:{HEX_A}")).seal(1, 2, b"x").unwrap();
    assert_eq!(
        ring(&format!("k1:{HEX_B}")).open(1, 2, &sealed),
        Err(SealError::Authentication { bid_id: 2 })
    );
}

#[test]
fn an_unknown_key_id_is_named() {
    let sealed = ring(&format!("2025:{HEX_A}")).seal(1, 42, b"x").unwrap();
    let err = ring(&format!("2026:{HEX_B}"))
        .open(1, 42, &sealed)
        .unwrap_err();
    assert_eq!(
        err,
        SealError::UnknownKey {
            bid_id: 42,
            key_id: "2025".into()
        }
    );
    assert_eq!(
        err.to_string(),
        "bid 42: sealed with key `2025`, which is not configured; add that key to NGC_BID_KEY \
         or bid_key_file to open it"
    );
}

#[test]
fn a_malformed_seal_is_named_not_a_panic() {
    let ring = ring(HEX_A);
    let sealed = ring.seal(1, 42, b"x").unwrap();
    let mut short_nonce = sealed.clone();
    short_nonce.nonce.pop();
    assert_eq!(
        ring.open(1, 42, &short_nonce).unwrap_err().to_string(),
        "bid 42: its sealed content is malformed: its nonce has 23 bytes, not 24"
    );
    let mut short = sealed.clone();
    short.ciphertext.truncate(TAG_LEN - 1);
    assert_eq!(
        ring.open(1, 42, &short).unwrap_err().to_string(),
        "bid 42: its sealed content is malformed: its ciphertext has 15 bytes, fewer than the \
         16-byte tag"
    );
    let mut empty = sealed;
    empty.ciphertext.clear();
    empty.nonce.clear();
    assert!(matches!(
        ring.open(1, 42, &empty),
        Err(SealError::Malformed { bid_id: 42, .. })
    ));
}

#[test]
fn after_a_rotation_the_new_key_seals_and_the_old_one_still_opens() {
    let before = ring(HEX_A);
    let old = before.seal(3, 10, b"sealed before the rotation").unwrap();
    let after = ring(&format!("{HEX_B},{HEX_A}"));
    assert_eq!(
        after.open(3, 10, &old).unwrap(),
        b"sealed before the rotation"
    );
    let new = after.seal(3, 11, b"sealed after").unwrap();
    assert_ne!(new.key_id, old.key_id);
    assert_eq!(new.key_id, after.current_id());
    assert_eq!(after.open(3, 11, &new).unwrap(), b"sealed after");
    // The old ring cannot open what the new key sealed.
    assert!(matches!(
        before.open(3, 11, &new),
        Err(SealError::UnknownKey { bid_id: 11, .. })
    ));
    // Built in code, the same.
    let built = KeyRing::single(BidKey::from_bytes([0xab; KEY_LEN]))
        .with_older_key(None, ring(HEX_A).current_key().clone_for_test())
        .unwrap();
    assert_eq!(
        built.open(3, 10, &old).unwrap(),
        b"sealed before the rotation"
    );
}

#[test]
fn hex_and_base64_name_the_same_key_and_the_default_id_is_its_fingerprint() {
    let from_hex = ring(HEX_A);
    let from_b64 = ring(B64_A);
    let unpadded = ring(B64_A.trim_end_matches('='));
    assert_eq!(from_hex.current_id(), from_b64.current_id());
    assert_eq!(from_hex.current_id(), unpadded.current_id());
    // The first 8 hex digits of SHA-256 of the 32 bytes 00 01 … 1f.
    assert_eq!(from_hex.current_id(), "630dcd29");
    let sealed = from_hex.seal(1, 1, b"x").unwrap();
    assert_eq!(from_b64.open(1, 1, &sealed).unwrap(), b"x");
}

#[test]
fn the_first_key_of_a_list_is_current() {
    let ring = ring(&format!(" new:{HEX_B} , old:{B64_A},"));
    assert_eq!(ring.current_id(), "new");
    assert_eq!(ring.ids().collect::<Vec<_>>(), ["new", "old"]);
    assert_eq!(ring.len(), 2);
}

#[test]
fn a_key_file_has_one_key_a_line_and_comments() {
    let text = format!(
        "# ngc bid keys: the first is current\n\n2026:{HEX_B}   # rotated in March\n  2025:{HEX_A}\n"
    );
    let ring = KeyRing::parse_file(&text, "bid key file /etc/ngc/bid.key").unwrap();
    assert_eq!(ring.ids().collect::<Vec<_>>(), ["2026", "2025"]);
    let err = KeyRing::parse_file("# only a comment\n", "bid key file k")
        .unwrap_err()
        .to_string();
    assert_eq!(err, "bid key file k: holds no key");
    let err = KeyRing::parse_file(&format!("{HEX_A}\n\nnot-a-key-at-all\n"), "bid key file k")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "bid key file k, line 3: expected 64 hexadecimal digits or the base64 of 32 bytes; \
         got 16 characters"
    );
}

#[test]
fn a_key_file_is_read_from_disk_and_a_missing_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bid.key");
    std::fs::write(&path, format!("{HEX_A}\n")).unwrap();
    assert_eq!(KeyRing::read_file(&path).unwrap().current_id(), "630dcd29");
    let missing = dir.path().join("missing.key");
    let err = KeyRing::read_file(&missing).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!("bid key file {}: cannot read:", missing.display())),
        "{err}"
    );
}

#[test]
fn bad_keys_are_named_without_quoting_them() {
    let secretish = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde"; // 63
    let cases = [
        ("", "NGC_BID_KEY: holds no key".to_owned()),
        (
            secretish,
            "NGC_BID_KEY, key 1: expected 64 hexadecimal digits or the base64 of 32 bytes; got 63 \
             characters"
                .to_owned(),
        ),
        (
            &format!("{HEX_A},AAECAwQFBgcICQoLDA0ODw=="),
            "NGC_BID_KEY, key 2: expected 64 hexadecimal digits or the base64 of 32 bytes; got \
             the base64 of 16 bytes"
                .to_owned(),
        ),
        (
            &format!("a b:{HEX_A}"),
            "NGC_BID_KEY, key 1: a key id is 1 to 64 letters, digits, `-`, `_` or `.` (before \
             the `:`)"
                .to_owned(),
        ),
        (
            &format!(":{HEX_A}"),
            "NGC_BID_KEY, key 1: a key id is 1 to 64 letters, digits, `-`, `_` or `.` (before \
             the `:`)"
                .to_owned(),
        ),
        (
            &format!("k:{HEX_A},k:{HEX_B}"),
            "NGC_BID_KEY, key 2: key id `k` is used by an earlier key".to_owned(),
        ),
        (
            &format!("{HEX_A},{B64_A}"),
            "NGC_BID_KEY, key 2: key id `630dcd29` is used by an earlier key".to_owned(),
        ),
    ];
    for (list, expected) in cases {
        let err = key_error(list);
        assert_eq!(err, expected, "{list}");
        if !list.is_empty() {
            assert!(!err.contains(&list[..20]), "{err} quotes the key");
        }
    }
}

#[test]
fn debug_never_shows_key_bytes() {
    let ring = ring(&format!("cur:{HEX_B},{HEX_A}"));
    let shown = format!("{ring:?} {:?}", ring.current_key());
    assert_eq!(
        shown,
        "KeyRing { current: \"cur\", ids: [\"cur\", \"630dcd29\"] } BidKey { fingerprint: \
         \"5df404c2\", .. }"
    );
    for hex in [HEX_A, HEX_B] {
        assert!(!shown.contains(&hex[..8]));
    }
    let key = BidKey::from_bytes([0x5a; KEY_LEN]);
    assert!(!format!("{key:?}").contains("5a5a"));
    assert_eq!(key.expose_hex().as_str(), "5a".repeat(KEY_LEN));
}

#[test]
fn generated_keys_differ_and_round_trip_through_their_hex() {
    let one = BidKey::generate().unwrap();
    let two = BidKey::generate().unwrap();
    assert_ne!(*one.expose_hex(), *two.expose_hex());
    let again = ring(&one.expose_hex());
    assert_eq!(again.current_id(), one.fingerprint());
}

impl BidKey {
    /// A copy, for tests only (keys are never cloned in the code).
    fn clone_for_test(&self) -> BidKey {
        BidKey::from_bytes(*self.bytes())
    }
}
