//! The browser token that allows one response per browser, and the keyed hash that stands
//! for a client address in the response limit. Both use the instance's consultation key
//! ([`Store::consultation_key`]), kept in the database so every server agrees.
//!
//! A token is random; the page carries it in a hidden field with its HMAC-SHA256 signature,
//! so a field changed in the browser is detected. The store keeps only the token's SHA-256,
//! and a second response with the same token is refused.

use crate::{UseCaseError, UseCaseResult};
use hmac::{Hmac, Mac};
use ngc_store::Store;
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

const TOKEN: &str = "consultation-token";

/// Signs and checks tokens with the instance's key.
#[derive(Clone)]
pub struct Signer {
    key: Vec<u8>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(..)")
    }
}

/// A token whose signature was checked: only its hash goes to the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedToken {
    /// SHA-256 of the token, in hex.
    pub hash: String,
}

impl Signer {
    /// The signer of this instance (creating its key on first use).
    pub async fn of(store: &Store) -> UseCaseResult<Signer> {
        Ok(Signer {
            key: store.consultation_key().await?,
        })
    }

    fn keyed(&self, purpose: &str, value: &str) -> HmacSha256 {
        let mut mac =
            HmacSha256::new_from_slice(&self.key).expect("HMAC takes a key of any length");
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(value.as_bytes());
        mac
    }

    fn mac(&self, purpose: &str, value: &str) -> String {
        hex::encode(self.keyed(purpose, value).finalize().into_bytes())
    }

    /// A new random token.
    pub fn new_token() -> String {
        ngc_store::credentials::new_secret()
    }

    /// The signature of `token`, for the hidden field beside it.
    pub fn sign(&self, token: &str) -> String {
        self.mac(TOKEN, token)
    }

    /// `token` once its signature is checked (in constant time).
    ///
    /// # Errors
    /// [`UseCaseError::Invalid`] on the field `token` when either is missing or they do not
    /// match: the page was changed after it was sent.
    pub fn verify(&self, token: &str, signature: &str) -> UseCaseResult<VerifiedToken> {
        let tampered = || {
            UseCaseError::invalid(
                "token",
                "This page's hidden fields were changed after it was sent, so the response \
                 cannot be accepted. Reload the page and make your choices again.",
            )
        };
        if token.len() < 32 || token.len() > 128 {
            return Err(tampered());
        }
        let sig = hex::decode(signature).map_err(|_| tampered())?;
        self.keyed(TOKEN, token)
            .verify_slice(&sig)
            .map_err(|_| tampered())?;
        Ok(VerifiedToken {
            hash: hex::encode(Sha256::digest(token.as_bytes())),
        })
    }

    /// The key the response limit counts a client address under: a keyed hash, so the
    /// address itself is never stored.
    pub fn address_key(&self, address: &str) -> String {
        format!("consult:{}", self.mac("consultation-address", address))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signer() -> Signer {
        Signer { key: vec![7; 32] }
    }

    #[test]
    fn a_signed_token_verifies_and_a_changed_one_does_not() {
        let s = signer();
        let token = Signer::new_token();
        let sig = s.sign(&token);
        let v = s.verify(&token, &sig).unwrap();
        assert_eq!(v.hash, hex::encode(Sha256::digest(token.as_bytes())));
        let mut other = token.clone();
        other.replace_range(0..1, if token.starts_with('a') { "b" } else { "a" });
        assert!(
            matches!(s.verify(&other, &sig), Err(UseCaseError::Invalid { field, .. }) if field == "token")
        );
        assert!(s.verify(&token, "00").is_err());
        assert!(s.verify(&token, "not hex").is_err());
        let other_key = Signer { key: vec![8; 32] };
        assert!(other_key.verify(&token, &sig).is_err());
    }

    #[test]
    fn an_address_is_kept_only_as_a_keyed_hash() {
        let k = signer().address_key("198.51.100.7");
        assert!(k.starts_with("consult:") && !k.contains("198.51"));
        assert_ne!(k, Signer { key: vec![8; 32] }.address_key("198.51.100.7"));
    }
}
