//! Bid keys and the key ring: reading `NGC_BID_KEY` and key files, naming keys by id.
//!
//! One key is written as 64 hexadecimal digits or as the base64 of its 32 bytes, optionally
//! prefixed with an id and a colon (`2026:…`). Without an id, a key's id is its fingerprint:
//! the first 8 hexadecimal digits of the SHA-256 of its 32 bytes, stable and revealing
//! nothing. `NGC_BID_KEY` holds one key or several separated by commas; a key file holds one
//! key a line, with `#` comments and blank lines. In both, **the first key is the current
//! one** (it seals new bids); the others only open bids sealed before a rotation.

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use rand::TryRngCore;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use zeroize::{Zeroize, Zeroizing};

/// The length of a bid key in bytes (XChaCha20-Poly1305 takes a 256-bit key).
pub const KEY_LEN: usize = 32;

/// The longest key id accepted.
const MAX_ID_LEN: usize = 64;

/// A 256-bit bid key. Its bytes are wiped when it is dropped and never printed: `Debug`
/// shows its fingerprint only.
pub struct BidKey([u8; KEY_LEN]);

impl BidKey {
    /// A key from its 32 bytes.
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(bytes)
    }

    /// A new random key from the operating system's generator.
    pub fn generate() -> Result<Self, KeyError> {
        let mut bytes = [0u8; KEY_LEN];
        rand::rngs::OsRng
            .try_fill_bytes(&mut bytes)
            .map_err(|e| KeyError::new("a new bid key", format!("no randomness: {e}")))?;
        Ok(Self(bytes))
    }

    /// The key's default id: the first 8 hexadecimal digits of the SHA-256 of its bytes.
    pub fn fingerprint(&self) -> String {
        hex::encode(&Sha256::digest(self.0)[..4])
    }

    /// The key as 64 hexadecimal digits, to write a key file. The text is wiped when dropped;
    /// never log it.
    pub fn expose_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.0))
    }

    /// The key's bytes, for the cipher.
    pub(crate) fn bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }
}

impl Drop for BidKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for BidKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BidKey")
            .field("fingerprint", &self.fingerprint())
            .finish_non_exhaustive()
    }
}

/// A key that cannot be read or a key ring that does not hold together. The message names
/// where (the variable or file, and which key or line) and never quotes key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct KeyError {
    origin: String,
    message: String,
}

impl KeyError {
    fn new(origin: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            origin: origin.into(),
            message: message.into(),
        }
    }
}

/// The keys that seal and open bids: the current one seals, every one opens what it sealed.
pub struct KeyRing {
    current: String,
    keys: BTreeMap<String, BidKey>,
}

impl KeyRing {
    /// A ring of one key under its fingerprint.
    pub fn single(key: BidKey) -> Self {
        let id = key.fingerprint();
        Self {
            current: id.clone(),
            keys: BTreeMap::from([(id, key)]),
        }
    }

    /// This ring with `key` added as an older key (it opens, never seals), under `id` or its
    /// fingerprint. Refused when the id is not well formed or already used.
    pub fn with_older_key(mut self, id: Option<&str>, key: BidKey) -> Result<Self, KeyError> {
        let origin = "bid key ring";
        let id = match id {
            Some(id) => check_id(id).map_err(|m| KeyError::new(origin, m))?,
            None => key.fingerprint(),
        };
        if self.keys.contains_key(&id) {
            return Err(KeyError::new(
                origin,
                format!("key id `{id}` is used twice"),
            ));
        }
        self.keys.insert(id, key);
        Ok(self)
    }

    /// Reads the value of `NGC_BID_KEY` (or any list of keys separated by commas); `origin`
    /// names it in errors. The first key is the current one.
    pub fn parse_list(value: &str, origin: &str) -> Result<Self, KeyError> {
        let entries = value
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .enumerate()
            .map(|(i, e)| (format!("{origin}, key {}", i + 1), e));
        Self::from_entries(entries, origin)
    }

    /// Reads the text of a key file: one key a line, `#` starting a comment, blank lines
    /// ignored; `origin` (the file's name) names it in errors. The first key is the current
    /// one.
    pub fn parse_file(text: &str, origin: &str) -> Result<Self, KeyError> {
        let entries = text
            .lines()
            .enumerate()
            .map(|(i, line)| {
                let entry = line.split_once('#').map_or(line, |(before, _)| before);
                (format!("{origin}, line {}", i + 1), entry.trim())
            })
            .filter(|(_, e)| !e.is_empty());
        Self::from_entries(entries, origin)
    }

    /// Reads a key file (see [`KeyRing::parse_file`]).
    pub fn read_file(path: &Path) -> Result<Self, KeyError> {
        let origin = format!("bid key file {}", path.display());
        let text = std::fs::read_to_string(path)
            .map(Zeroizing::new)
            .map_err(|e| KeyError::new(&origin, format!("cannot read: {e}")))?;
        Self::parse_file(&text, &origin)
    }

    fn from_entries<'a>(
        entries: impl Iterator<Item = (String, &'a str)>,
        origin: &str,
    ) -> Result<Self, KeyError> {
        let mut current = None;
        let mut keys = BTreeMap::new();
        for (at, entry) in entries {
            let (id, key) = parse_entry(entry).map_err(|m| KeyError::new(&at, m))?;
            let id = id.unwrap_or_else(|| key.fingerprint());
            if keys.contains_key(&id) {
                return Err(KeyError::new(
                    at,
                    format!("key id `{id}` is used by an earlier key"),
                ));
            }
            current.get_or_insert_with(|| id.clone());
            keys.insert(id, key);
        }
        let current = current.ok_or_else(|| KeyError::new(origin, "holds no key"))?;
        Ok(Self { current, keys })
    }

    /// The id of the key that seals new bids.
    pub fn current_id(&self) -> &str {
        &self.current
    }

    /// The ids of every key, the current one first, then the others in order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.current.as_str()).chain(
            self.keys
                .keys()
                .map(String::as_str)
                .filter(|id| *id != self.current),
        )
    }

    /// How many keys the ring holds.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Always false: a ring holds at least its current key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The key with this id.
    pub(crate) fn key(&self, id: &str) -> Option<&BidKey> {
        self.keys.get(id)
    }

    /// The current key.
    pub(crate) fn current_key(&self) -> &BidKey {
        // A ring is only ever built with its current key in it.
        &self.keys[&self.current]
    }
}

impl fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyRing")
            .field("current", &self.current)
            .field("ids", &self.ids().collect::<Vec<_>>())
            .finish()
    }
}

/// Reads `[ID:]KEY`. Errors say what is wrong without quoting the key.
fn parse_entry(entry: &str) -> Result<(Option<String>, BidKey), String> {
    let (id, text) = match entry.split_once(':') {
        Some((id, text)) => (Some(check_id(id.trim())?), text.trim()),
        None => (None, entry),
    };
    Ok((id, parse_key(text)?))
}

/// A key id: 1 to 64 letters, digits, `-`, `_` or `.`.
fn check_id(id: &str) -> Result<String, String> {
    let fine = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if id.is_empty() || id.len() > MAX_ID_LEN || !id.chars().all(fine) {
        return Err(format!(
            "a key id is 1 to {MAX_ID_LEN} letters, digits, `-`, `_` or `.` (before the `:`)"
        ));
    }
    Ok(id.to_owned())
}

/// 64 hexadecimal digits, or the base64 (standard alphabet, padding optional) of 32 bytes.
fn parse_key(text: &str) -> Result<BidKey, String> {
    let mut bytes = [0u8; KEY_LEN];
    if text.len() == 2 * KEY_LEN && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        hex::decode_to_slice(text, &mut bytes).map_err(|_| "not hexadecimal".to_owned())?;
        return Ok(BidKey(bytes));
    }
    const BASE64: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let expected = "expected 64 hexadecimal digits or the base64 of 32 bytes";
    let decoded = Zeroizing::new(
        BASE64
            .decode(text)
            .map_err(|_| format!("{expected}; got {} characters", text.len()))?,
    );
    if decoded.len() != KEY_LEN {
        return Err(format!(
            "{expected}; got the base64 of {} bytes",
            decoded.len()
        ));
    }
    bytes.copy_from_slice(&decoded);
    Ok(BidKey(bytes))
}
