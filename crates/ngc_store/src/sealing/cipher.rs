//! Sealing and opening one bid's content with XChaCha20-Poly1305.
//!
//! Each seal draws a fresh random 24-byte nonce from the operating system. The associated
//! data binds the ciphertext to its tender and bid: the 10 bytes `ngc/bid/v1`, then the
//! tender id and the bid id as 8-byte big-endian signed integers (26 bytes, fixed width, so
//! no two pairs share it). Content moved to another bid or tender, or altered by one byte,
//! fails authentication and is refused.

use super::keys::{BidKey, KeyRing};
use chacha20poly1305::XChaCha20Poly1305;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use rand::TryRngCore;

/// The nonce length of XChaCha20-Poly1305.
pub const NONCE_LEN: usize = 24;
/// The authentication tag's length; every ciphertext is this much longer than its content.
pub const TAG_LEN: usize = 16;

/// What the associated data starts with (its version: change it only with a new format).
const AAD_PREFIX: &[u8; 10] = b"ngc/bid/v1";

/// One bid's sealed content, as stored beside the bid: the id of the key that sealed it,
/// the nonce and the ciphertext (content then tag). None of it is secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub key_id: String,
    pub nonce: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

/// Why a bid could not be sealed or opened. Every variant but [`SealError::NoKey`] names the
/// bid; none quotes key material or content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// The store has no key ring.
    #[error("no bid key configured: set NGC_BID_KEY or bid_key_file")]
    NoKey,
    /// The bid was sealed with a key the ring does not hold.
    #[error(
        "bid {bid_id}: sealed with key `{key_id}`, which is not configured; \
         add that key to NGC_BID_KEY or bid_key_file to open it"
    )]
    UnknownKey { bid_id: i64, key_id: String },
    /// The ciphertext, nonce, key or associated data do not match: refused.
    #[error(
        "bid {bid_id}: its sealed content failed authentication \
         (tampered, or sealed with another key); refused"
    )]
    Authentication { bid_id: i64 },
    /// The stored nonce or ciphertext cannot be what a seal wrote.
    #[error("bid {bid_id}: its sealed content is malformed: {problem}")]
    Malformed { bid_id: i64, problem: String },
    /// Sealing failed (no randomness from the system, or content too long for the cipher).
    #[error("bid {bid_id}: cannot be sealed: {problem}")]
    Seal { bid_id: i64, problem: String },
}

impl SealError {
    /// The bid the error is about, if any.
    pub fn bid_id(&self) -> Option<i64> {
        match self {
            SealError::NoKey => None,
            SealError::UnknownKey { bid_id, .. }
            | SealError::Authentication { bid_id }
            | SealError::Malformed { bid_id, .. }
            | SealError::Seal { bid_id, .. } => Some(*bid_id),
        }
    }
}

/// The associated data of a bid: `ngc/bid/v1`, tender id, bid id (big-endian i64s).
fn associated_data(tender_id: i64, bid_id: i64) -> [u8; 26] {
    let mut aad = [0u8; 26];
    aad[..10].copy_from_slice(AAD_PREFIX);
    aad[10..18].copy_from_slice(&tender_id.to_be_bytes());
    aad[18..].copy_from_slice(&bid_id.to_be_bytes());
    aad
}

fn cipher(key: &BidKey) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(&(*key.bytes()).into())
}

impl KeyRing {
    /// Seals `plaintext` as the content of bid `bid_id` of tender `tender_id` with the
    /// current key and a fresh random nonce.
    pub fn seal(&self, tender_id: i64, bid_id: i64, plaintext: &[u8]) -> Result<Sealed, SealError> {
        let failed = |problem: String| SealError::Seal { bid_id, problem };
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng
            .try_fill_bytes(&mut nonce)
            .map_err(|e| failed(format!("no randomness: {e}")))?;
        let aad = associated_data(tender_id, bid_id);
        let ciphertext = cipher(self.current_key())
            .encrypt(
                &nonce.into(),
                Payload {
                    msg: plaintext,
                    aad: &aad,
                },
            )
            .map_err(|_| failed("the content is too long for the cipher".into()))?;
        Ok(Sealed {
            key_id: self.current_id().to_owned(),
            nonce: nonce.to_vec(),
            ciphertext,
        })
    }

    /// Opens the content of bid `bid_id` of tender `tender_id`. Refused, naming the bid, when
    /// its key is not in the ring, when nonce or ciphertext are malformed, and when anything
    /// (content, nonce, key, tender or bid) differs from what was sealed.
    pub fn open(&self, tender_id: i64, bid_id: i64, sealed: &Sealed) -> Result<Vec<u8>, SealError> {
        let key = self
            .key(&sealed.key_id)
            .ok_or_else(|| SealError::UnknownKey {
                bid_id,
                key_id: sealed.key_id.clone(),
            })?;
        let malformed = |problem: String| SealError::Malformed { bid_id, problem };
        let nonce: [u8; NONCE_LEN] = sealed.nonce.as_slice().try_into().map_err(|_| {
            malformed(format!(
                "its nonce has {} bytes, not {NONCE_LEN}",
                sealed.nonce.len()
            ))
        })?;
        if sealed.ciphertext.len() < TAG_LEN {
            return Err(malformed(format!(
                "its ciphertext has {} bytes, fewer than the {TAG_LEN}-byte tag",
                sealed.ciphertext.len()
            )));
        }
        let aad = associated_data(tender_id, bid_id);
        cipher(key)
            .decrypt(
                &nonce.into(),
                Payload {
                    msg: &sealed.ciphertext,
                    aad: &aad,
                },
            )
            .map_err(|_| SealError::Authentication { bid_id })
    }
}
