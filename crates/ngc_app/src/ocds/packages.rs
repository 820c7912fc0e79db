//! The public OCDS packages: a release package of published notices (paginated, by buyer and
//! publication day), and the record package of one contracting process, compiled with the
//! `ocds` crate's merge rules. Only notices whose publication was recorded appear, and none of
//! a tender still in draft but its planning notices; releases never hold bid content.

use super::EXTENSIONS;
use super::notices::as_published;
use super::release::time;
use crate::{UseCaseError, UseCaseResult};
use chrono::NaiveDate;
use ngc_store::releases::{FeedFilter, Release};
use ngc_store::{Store, StoreError};
use ocds::MergeRules;
use ocds::compile::compiled_release;
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// Who publishes the packages, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publisher {
    /// The publisher's name (`publisher.name`).
    pub name: String,
    /// The address the instance is served at, without a trailing slash (package `uri`s and
    /// `links.next` start with it).
    pub base_url: String,
}

impl Default for Publisher {
    fn default() -> Self {
        Self {
            name: "ngc".into(),
            base_url: "http://127.0.0.1:8080".into(),
        }
    }
}

impl Publisher {
    /// The publisher with this base URL, without its trailing slashes.
    pub fn new(name: &str, base_url: &str) -> Self {
        Self {
            name: name.to_owned(),
            base_url: base_url.trim_end_matches('/').to_owned(),
        }
    }

    fn package(&self, uri: String, published: Option<String>) -> Map<String, Value> {
        let mut p = Map::new();
        p.insert("uri".into(), json!(uri));
        p.insert("version".into(), json!("1.1"));
        p.insert("extensions".into(), json!(EXTENSIONS));
        p.insert(
            "publishedDate".into(),
            json!(published.unwrap_or_else(|| time(chrono::Utc::now()))),
        );
        p.insert(
            "publisher".into(),
            json!({"name": self.name, "uri": self.base_url}),
        );
        p
    }
}

/// The most releases one page of the feed holds (and its default).
pub const PAGE_SIZE: i64 = 100;

/// The query of the feed, as given (`/ocds/releases?buyer=…&since=…&until=…&offset=…&limit=…`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct FeedQuery {
    /// A buyer's slug: only its procurements.
    #[serde(default)]
    pub buyer: Option<String>,
    /// Only notices published on or after this day (YYYY-MM-DD).
    #[serde(default)]
    pub since: Option<String>,
    /// Only notices published on or before this day (YYYY-MM-DD).
    #[serde(default)]
    pub until: Option<String>,
    /// How many releases of the feed to skip.
    #[serde(default)]
    pub offset: Option<String>,
    /// How many at most, 1 to 100 (default 100).
    #[serde(default)]
    pub limit: Option<String>,
}

fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn day(field: &str, v: &Option<String>) -> UseCaseResult<Option<NaiveDate>> {
    blank(v)
        .map(|s| {
            s.parse().map_err(|_| {
                UseCaseError::invalid(field, format!("`{s}` is not a date: use YYYY-MM-DD"))
            })
        })
        .transpose()
}

fn number(field: &str, v: &Option<String>, min: i64, max: i64) -> UseCaseResult<Option<i64>> {
    blank(v)
        .map(|s| {
            s.parse::<i64>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| {
                    UseCaseError::invalid(
                        field,
                        format!("`{s}` is not a whole number from {min} to {max}"),
                    )
                })
        })
        .transpose()
}

/// The feed's query, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Feed {
    buyer: Option<String>,
    since: Option<NaiveDate>,
    until: Option<NaiveDate>,
    offset: i64,
    /// `None`: every release (the command line's export).
    limit: Option<i64>,
}

impl Feed {
    /// The query string that asks for this page (for `uri` and `links.next`).
    fn query(&self, offset: i64) -> String {
        let mut parts = Vec::new();
        if let Some(b) = &self.buyer {
            parts.push(format!("buyer={b}"));
        }
        if let Some(d) = self.since {
            parts.push(format!("since={d}"));
        }
        if let Some(d) = self.until {
            parts.push(format!("until={d}"));
        }
        if offset > 0 {
            parts.push(format!("offset={offset}"));
        }
        if let Some(l) = self.limit.filter(|l| *l != PAGE_SIZE) {
            parts.push(format!("limit={l}"));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

impl FeedQuery {
    fn check(&self) -> UseCaseResult<Feed> {
        let buyer = blank(&self.buyer)
            .map(|s| crate::parse::slug("buyer", s).map(|s| s.as_str().to_owned()))
            .transpose()?;
        let since = day("since", &self.since)?;
        let until = day("until", &self.until)?;
        if let (Some(s), Some(u)) = (since, until)
            && s > u
        {
            return Err(UseCaseError::invalid(
                "until",
                format!("{u} is before since ({s})"),
            ));
        }
        Ok(Feed {
            buyer,
            since,
            until,
            offset: number("offset", &self.offset, 0, i64::MAX / 2)?.unwrap_or(0),
            limit: Some(number("limit", &self.limit, 1, PAGE_SIZE)?.unwrap_or(PAGE_SIZE)),
        })
    }
}

/// The latest publication recorded among the releases: the package's `publishedDate`, so that
/// the same content has the same date.
fn latest(releases: &[Release]) -> Option<String> {
    releases
        .iter()
        .filter_map(|r| r.publication.as_ref().map(|p| p.recorded_at))
        .max()
        .map(time)
}

async fn read_feed(store: &Store, feed: &Feed) -> UseCaseResult<Vec<Release>> {
    let buyer = match &feed.buyer {
        Some(slug) => Some(
            store
                .organisation_by_slug(slug)
                .await?
                .ok_or_else(|| UseCaseError::NotFound(format!("organisation `{slug}`")))?
                .id,
        ),
        None => None,
    };
    Ok(store
        .published_releases(&FeedFilter {
            buyer,
            since: feed.since,
            until: feed.until,
            offset: feed.offset,
            // One more than asked, to know whether there is a next page.
            limit: feed.limit.map(|l| l + 1),
        })
        .await?)
}

fn release_package_of(publisher: &Publisher, feed: &Feed, mut releases: Vec<Release>) -> Value {
    let more = feed.limit.is_some_and(|l| releases.len() as i64 > l);
    if let Some(l) = feed.limit {
        releases.truncate(l as usize);
    }
    let base = format!("{}/ocds/releases", publisher.base_url);
    let mut p = publisher.package(
        format!("{base}{}", feed.query(feed.offset)),
        latest(&releases),
    );
    p.insert(
        "releases".into(),
        Value::Array(releases.iter().map(as_published).collect()),
    );
    if more {
        let next = feed.offset + releases.len() as i64;
        p.insert(
            "links".into(),
            json!({"next": format!("{base}{}", feed.query(next))}),
        );
    }
    Value::Object(p)
}

/// One page of the public feed of published notices, as a release package: in the order their
/// publications were recorded, `links.next` naming the next page when there is one.
pub async fn release_package(
    store: &Store,
    publisher: &Publisher,
    query: &FeedQuery,
) -> UseCaseResult<Value> {
    let feed = query.check()?;
    let releases = read_feed(store, &feed).await?;
    Ok(release_package_of(publisher, &feed, releases))
}

/// Every published notice of the procurements of the buyer with this slug, as one release
/// package (what `ngc ocds export --org SLUG` writes).
pub async fn export(store: &Store, publisher: &Publisher, buyer: &str) -> UseCaseResult<Value> {
    let feed = FeedQuery {
        buyer: Some(buyer.to_owned()),
        ..FeedQuery::default()
    }
    .check()?;
    let feed = Feed {
        limit: None,
        ..feed
    };
    let releases = read_feed(store, &feed).await?;
    Ok(release_package_of(publisher, &feed, releases))
}

/// The record package of the contracting process `ocid`: its published releases and the
/// compiled release merged from them by the OCDS merge rules. "Not found" if none is published.
pub async fn record_package(
    store: &Store,
    publisher: &Publisher,
    ocid: &str,
) -> UseCaseResult<Value> {
    let stored = store.published_releases_of(ocid).await?;
    if stored.is_empty() {
        return Err(UseCaseError::NotFound(format!(
            "contracting process `{ocid}`"
        )));
    }
    let releases: Vec<Value> = stored.iter().map(as_published).collect();
    let compiled = compiled_release(&releases, &MergeRules::default()).map_err(|e| {
        UseCaseError::Store(StoreError::Unsupported(format!(
            "the releases of {ocid} do not merge: {e}"
        )))
    })?;
    let mut p = publisher.package(
        format!("{}/ocds/records/{ocid}", publisher.base_url),
        latest(&stored),
    );
    p.insert(
        "records".into(),
        json!([{"ocid": ocid, "releases": releases, "compiledRelease": compiled}]),
    );
    Ok(Value::Object(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> FeedQuery {
        let get = |k: &str| {
            pairs
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, v)| (*v).to_owned())
        };
        FeedQuery {
            buyer: get("buyer"),
            since: get("since"),
            until: get("until"),
            offset: get("offset"),
            limit: get("limit"),
        }
    }

    #[test]
    fn a_query_is_checked_field_by_field() {
        let ok = query(&[("buyer", "alpha"), ("since", "2025-06-01"), ("limit", "2")])
            .check()
            .unwrap();
        assert_eq!(
            ok.query(4),
            "?buyer=alpha&since=2025-06-01&offset=4&limit=2"
        );
        assert_eq!(query(&[]).check().unwrap().query(0), "");
        for (pairs, field) in [
            (vec![("since", "June")], "since"),
            (vec![("until", "2025-13-01")], "until"),
            (
                vec![("since", "2025-06-02"), ("until", "2025-06-01")],
                "until",
            ),
            (vec![("limit", "0")], "limit"),
            (vec![("limit", "101")], "limit"),
            (vec![("offset", "-1")], "offset"),
            (vec![("buyer", "Not A Slug")], "buyer"),
        ] {
            match query(&pairs).check() {
                Err(UseCaseError::Invalid { field: f, .. }) => assert_eq!(f, field, "{pairs:?}"),
                other => panic!("{pairs:?}: {other:?}"),
            }
        }
    }
}
