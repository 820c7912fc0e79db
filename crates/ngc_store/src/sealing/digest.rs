//! The receipt of a bid: the SHA-256 of its content in RFC 8785 canonical JSON (JCS).
//!
//! The canonical form sorts object members by their names' UTF-16 code units, writes no
//! insignificant whitespace, escapes strings minimally and writes numbers as ECMAScript
//! does (`1e+30`, `4.5`, `0.002`), so a provider can recompute the digest of what it sent
//! with any RFC 8785 implementation, whatever order or spacing its JSON had. The
//! serialisation is `serde_json_canonicalizer`'s; it sorts members itself, so the order a
//! `serde_json` map keeps (`preserve_order`) does not matter.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The canonical bytes of some content and their SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentDigest {
    /// The content in RFC 8785 canonical JSON (UTF-8).
    pub canonical: Vec<u8>,
    /// The SHA-256 of `canonical`, 64 lower-case hexadecimal digits.
    pub sha256_hex: String,
}

/// Content that has no faithful canonical form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DigestError {
    /// An integer that no IEEE 754 double holds exactly: RFC 8785 would write another number.
    #[error(
        "content {path}: the number {number} has no exact IEEE 754 double, so its canonical \
         form (RFC 8785) would be another number; send it as a string"
    )]
    InexactNumber { path: String, number: String },
    /// The serialiser refused the content.
    #[error("content cannot be written as canonical JSON: {0}")]
    Canonical(String),
}

/// The RFC 8785 canonical form of `content` and its SHA-256. Refused, naming the place (a
/// JSON Pointer, `/items/0/quantity`), when an integer has no exact double.
pub fn content_digest(content: &Value) -> Result<ContentDigest, DigestError> {
    check_numbers(content, &mut String::new())?;
    let canonical = serde_json_canonicalizer::to_vec(content)
        .map_err(|e| DigestError::Canonical(e.to_string()))?;
    let sha256_hex = hex::encode(Sha256::digest(&canonical));
    Ok(ContentDigest {
        canonical,
        sha256_hex,
    })
}

/// Refuses integers that RFC 8785 (numbers are doubles) would change.
fn check_numbers(value: &Value, path: &mut String) -> Result<(), DigestError> {
    match value {
        Value::Number(n) => {
            let exact = if let Some(i) = n.as_i64() {
                (i as f64) as i128 == i128::from(i)
            } else if let Some(u) = n.as_u64() {
                (u as f64) as i128 == i128::from(u)
            } else {
                true // a double already
            };
            if exact {
                Ok(())
            } else {
                Err(DigestError::InexactNumber {
                    path: if path.is_empty() {
                        "/".into()
                    } else {
                        path.clone()
                    },
                    number: n.to_string(),
                })
            }
        }
        Value::Array(items) => items.iter().enumerate().try_for_each(|(i, item)| {
            let len = path.len();
            path.push('/');
            path.push_str(&i.to_string());
            let checked = check_numbers(item, path);
            path.truncate(len);
            checked
        }),
        Value::Object(members) => members.iter().try_for_each(|(name, member)| {
            let len = path.len();
            path.push('/');
            // RFC 6901: `~` is written `~0` and `/` is written `~1`.
            path.push_str(&name.replace('~', "~0").replace('/', "~1"));
            let checked = check_numbers(member, path);
            path.truncate(len);
            checked
        }),
        Value::Null | Value::Bool(_) | Value::String(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn canonical(value: &Value) -> String {
        String::from_utf8(content_digest(value).unwrap().canonical).unwrap()
    }

    /// RFC 8785 §3.2.2 and §3.2.4: the sample input, its canonical form and its UTF-8 bytes.
    #[test]
    fn rfc_8785_sample_canonicalises_as_the_rfc_shows() {
        let input = r#"{
          "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
          "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
          "literals": [null, true, false]
        }"#;
        let value: Value = serde_json::from_str(input).unwrap();
        let digest = content_digest(&value).unwrap();
        assert_eq!(
            String::from_utf8(digest.canonical.clone()).unwrap(),
            r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        );
        let utf8 = "7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72 \
                    75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a \
                    5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31 \
                    65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37 \
                    5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30 \
                    30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d";
        assert_eq!(hex::encode(&digest.canonical), utf8.replace(' ', ""));
        assert_eq!(
            digest.sha256_hex,
            hex::encode(Sha256::digest(&digest.canonical))
        );
    }

    /// RFC 8785 §3.2.3: members sorted by the UTF-16 code units of their names.
    #[test]
    fn rfc_8785_members_sort_by_utf16_code_units() {
        let input = r#"{
          "\u20ac": "Euro Sign",
          "\r": "Carriage Return",
          "\ufb33": "Hebrew Letter Dalet With Dagesh",
          "1": "One",
          "\ud83d\ude00": "Emoji: Grinning Face",
          "\u0080": "Control",
          "\u00f6": "Latin Small Letter O With Diaeresis"
        }"#;
        let value: Value = serde_json::from_str(input).unwrap();
        let names: Vec<String> =
            serde_json::from_str::<serde_json::Map<String, Value>>(&canonical(&value))
                .unwrap()
                .values()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect();
        assert_eq!(
            names,
            [
                "Carriage Return",
                "One",
                "Control",
                "Latin Small Letter O With Diaeresis",
                "Euro Sign",
                "Emoji: Grinning Face",
                "Hebrew Letter Dalet With Dagesh",
            ]
        );
    }

    /// RFC 8785 Appendix B: IEEE 754 doubles and their canonical text.
    #[test]
    fn rfc_8785_appendix_b_numbers() {
        let cases = [
            ("0000000000000000", "0"),
            ("8000000000000000", "0"),
            ("0000000000000001", "5e-324"),
            ("8000000000000001", "-5e-324"),
            ("7fefffffffffffff", "1.7976931348623157e+308"),
            ("ffefffffffffffff", "-1.7976931348623157e+308"),
            ("4340000000000000", "9007199254740992"),
            ("c340000000000000", "-9007199254740992"),
            ("4430000000000000", "295147905179352830000"),
            ("44b52d02c7e14af5", "9.999999999999997e+22"),
            ("44b52d02c7e14af6", "1e+23"),
            ("44b52d02c7e14af7", "1.0000000000000001e+23"),
            ("444b1ae4d6e2ef4e", "999999999999999700000"),
            ("444b1ae4d6e2ef4f", "999999999999999900000"),
            ("444b1ae4d6e2ef50", "1e+21"),
            ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
            ("3eb0c6f7a0b5ed8d", "0.000001"),
            ("41b3de4355555553", "333333333.3333332"),
            ("41b3de4355555554", "333333333.33333325"),
            ("41b3de4355555555", "333333333.3333333"),
            ("41b3de4355555556", "333333333.3333334"),
            ("41b3de4355555557", "333333333.33333343"),
            ("becbf647612f3696", "-0.0000033333333333333333"),
            ("43143ff3c1cb0959", "1424953923781206.2"), // round to even
        ];
        for (bits, expected) in cases {
            let number = f64::from_bits(u64::from_str_radix(bits, 16).unwrap());
            assert_eq!(canonical(&json!(number)), expected, "{bits}");
        }
    }

    #[test]
    fn member_order_and_spacing_do_not_change_the_receipt() {
        let a: Value =
            serde_json::from_str(r#"{"price": "1200.00", "lots": [1, 2], "note": "é"}"#).unwrap();
        let b: Value =
            serde_json::from_str(r#"{"note":"\u00e9","lots":[1,2],"price":"1200.00"}"#).unwrap();
        let (a, b) = (content_digest(&a).unwrap(), content_digest(&b).unwrap());
        assert_eq!(a, b);
        assert_eq!(
            String::from_utf8(a.canonical).unwrap(),
            r#"{"lots":[1,2],"note":"é","price":"1200.00"}"#
        );
        // Computed independently: printf '%s' '{"lots":[1,2],"note":"é","price":"1200.00"}' | sha256sum
        assert_eq!(
            a.sha256_hex,
            "95caa61b112e975d2e4da6859a0f74baccdd1542611058c7b4dd303e34d3cbf4"
        );
        let c = content_digest(&json!({"price": "1200.01", "lots": [1, 2], "note": "é"})).unwrap();
        assert_ne!(c.sha256_hex, b.sha256_hex);
    }

    #[test]
    fn an_integer_no_double_holds_is_refused_naming_its_place() {
        let err =
            content_digest(&json!({"items": [{"a/b": 1}, {"qty": 9_007_199_254_740_993_i64}]}))
                .unwrap_err();
        assert_eq!(
            err.to_string(),
            "content /items/1/qty: the number 9007199254740993 has no exact IEEE 754 double, so \
             its canonical form (RFC 8785) would be another number; send it as a string"
        );
        assert!(content_digest(&json!(u64::MAX)).is_err());
        assert!(content_digest(&json!(i64::MAX)).is_err());
        // Integers a double holds keep their value (written as ECMAScript writes them).
        assert_eq!(
            canonical(&json!(9_007_199_254_740_992_i64)),
            "9007199254740992"
        );
        assert_eq!(canonical(&json!(-42)), "-42");
        assert_eq!(canonical(&json!(1_i64 << 60)), "1152921504606847000");
    }
}
