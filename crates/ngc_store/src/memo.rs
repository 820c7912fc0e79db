//! Reads computed once per change ([`Store::memo`]): a value is kept with the audit chain's
//! head as it stood when the value was computed, and served again while the head has not
//! moved and the day is the same. Every state change writes an audit record in the same
//! transaction, so an unmoved head means nothing changed — in this process or in any other on
//! the same database (an import from the command line while the server runs). Concurrent
//! callers of a value not yet computed share one computation.
//!
//! The register, the expiry pipeline and the provider's view read through it, after their
//! use case has authorised the caller: a value is keyed by what it depends on (the reader's
//! scope and the query), never by who asked.

use crate::{Store, StoreError};
use chrono::NaiveDate;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// The most values kept; past it, values of an older head go first, then all.
pub const CAPACITY: usize = 1024;

type Value = Arc<dyn Any + Send + Sync>;

struct Slot {
    head: i64,
    today: NaiveDate,
    cell: Arc<OnceCell<Value>>,
}

/// The values kept, shared by the clones of a store.
#[derive(Default)]
pub(crate) struct Memo {
    slots: Mutex<HashMap<(TypeId, String), Slot>>,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.slots.lock().map_or(0, |s| s.len());
        f.debug_struct("Memo").field("values", &n).finish()
    }
}

impl Memo {
    /// The cell for `key` at `head` on `today`: the kept one, or a new empty one.
    fn cell(&self, key: (TypeId, String), head: i64, today: NaiveDate) -> Arc<OnceCell<Value>> {
        let mut slots = self.slots.lock().expect("the memo lock");
        if let Some(s) = slots.get(&key)
            && s.head == head
            && s.today == today
        {
            return s.cell.clone();
        }
        if slots.len() >= CAPACITY {
            slots.retain(|_, s| s.head == head && s.today == today);
            if slots.len() >= CAPACITY {
                slots.clear();
            }
        }
        let cell: Arc<OnceCell<Value>> = Arc::default();
        slots.insert(
            key,
            Slot {
                head,
                today,
                cell: cell.clone(),
            },
        );
        cell
    }

    /// How many values are kept.
    fn len(&self) -> usize {
        self.slots.lock().expect("the memo lock").len()
    }
}

impl Store {
    /// The value `compute` makes for `key`, computed once while the audit head and the day
    /// stay as they are. `key` must name everything the value depends on besides the
    /// database and the day. A failed computation keeps nothing.
    pub async fn memo<V, E, F, Fut>(&self, key: String, compute: F) -> Result<Arc<V>, E>
    where
        V: Any + Send + Sync,
        E: From<StoreError>,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<V, E>>,
    {
        let (head, _) = self.audit_head().await?;
        let cell = self.memo.cell((TypeId::of::<V>(), key), head, self.today());
        let value = cell
            .get_or_try_init(|| async { compute().await.map(|v| Arc::new(v) as Value) })
            .await?
            .clone();
        Ok(value
            .downcast::<V>()
            .unwrap_or_else(|_| unreachable!("a memo key includes its value's type")))
    }

    /// How many computed values the store keeps (for tests).
    pub fn memo_len(&self) -> usize {
        self.memo.len()
    }
}
