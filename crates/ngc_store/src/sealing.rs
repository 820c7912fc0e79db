//! Sealed bids: a bid's content is encrypted at rest and opened only with a key the database
//! never holds.
//!
//! - [`keys`]: a [`BidKey`] is 32 random bytes, wiped on drop and never printed; a
//!   [`KeyRing`] holds the current key (which seals) and older ones (which still open what
//!   they sealed), each under an id. Keys come from configuration (`NGC_BID_KEY` or a key
//!   file, read by [`KeyRing::parse_list`] and [`KeyRing::read_file`]), never from the
//!   database, so a copy of the database alone reveals no bid.
//! - [`cipher`]: [`KeyRing::seal`] encrypts with XChaCha20-Poly1305 under a fresh random
//!   nonce, with the tender id and bid id as associated data, and returns a [`Sealed`] (key
//!   id, nonce, ciphertext) to store beside the bid; [`KeyRing::open`] refuses, naming the
//!   bid, anything tampered, moved, or sealed with a key it lacks ([`SealError`]).
//! - [`digest`]: [`content_digest`] gives the receipt of a submission, the SHA-256 of the
//!   content in RFC 8785 canonical JSON.
//!
//! The [`crate::Store`] carries the ring ([`crate::Store::with_bid_keys`]); a store without
//! one refuses to seal or open with [`SealError::NoKey`].

pub mod cipher;
pub mod digest;
pub mod keys;

pub use cipher::{NONCE_LEN, SealError, Sealed, TAG_LEN};
pub use digest::{ContentDigest, DigestError, content_digest};
pub use keys::{BidKey, KEY_LEN, KeyError, KeyRing};

use crate::Store;
use std::sync::Arc;

impl Store {
    /// This store with the keys that seal and open bids (shared by its clones).
    pub fn with_bid_keys(mut self, keys: KeyRing) -> Self {
        self.bid_keys = Some(Arc::new(keys));
        self
    }

    /// The bid key ring, when one is configured.
    pub fn bid_keys(&self) -> Option<&KeyRing> {
        self.bid_keys.as_deref()
    }

    /// Seals the content of bid `bid_id` of tender `tender_id` with the current key
    /// ([`KeyRing::seal`]); [`SealError::NoKey`] without a key ring.
    pub fn seal_bid(
        &self,
        tender_id: i64,
        bid_id: i64,
        plaintext: &[u8],
    ) -> Result<Sealed, SealError> {
        self.bid_keys()
            .ok_or(SealError::NoKey)?
            .seal(tender_id, bid_id, plaintext)
    }

    /// Opens the sealed content of bid `bid_id` of tender `tender_id` ([`KeyRing::open`]);
    /// [`SealError::NoKey`] without a key ring.
    pub fn open_bid(
        &self,
        tender_id: i64,
        bid_id: i64,
        sealed: &Sealed,
    ) -> Result<Vec<u8>, SealError> {
        self.bid_keys()
            .ok_or(SealError::NoKey)?
            .open(tender_id, bid_id, sealed)
    }
}

#[cfg(test)]
mod tests;
