//! A tender's documents: the lead council adds them; everyone who may see the tender reads
//! them.

use super::find;
use crate::{Caller, UseCaseError, UseCaseResult, parse};
use ngc_domain::access::Action;
use ngc_domain::procurement::lifecycle::DocumentKind;
use ngc_store::Store;
use ngc_store::tender_documents::{Document, NewDocument};
use serde::Deserialize;

/// The longest text kept as a document (characters); longer documents are linked.
pub const MAX_TEXT: usize = 50_000;

/// A document to add: a link to it, or its text (short), or both.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentInput {
    pub title: String,
    /// specification, instructions, terms, pricing, clarification or other.
    pub kind: String,
    /// Where the document is (`https://…`).
    #[serde(default)]
    pub url: Option<String>,
    /// The document's text, kept here with its SHA-256.
    #[serde(default)]
    pub text: Option<String>,
    /// The SHA-256 (64 hex digits) of the linked file, when known.
    #[serde(default)]
    pub sha256: Option<String>,
}

fn blank_is_none(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

impl DocumentInput {
    /// Checks every field and names the first that is wrong.
    pub fn validate(&self) -> UseCaseResult<NewDocument> {
        let title = self.title.trim();
        if title.is_empty() {
            return Err(UseCaseError::invalid("title", "must not be empty"));
        }
        let kind: DocumentKind = parse::word("kind", &self.kind)?;
        let url = blank_is_none(&self.url);
        let text = blank_is_none(&self.text);
        if url.is_none() && text.is_none() {
            return Err(UseCaseError::invalid(
                "url",
                "give a link to the document or its text",
            ));
        }
        if let Some(u) = &url
            && !(u.starts_with("https://") || u.starts_with("http://"))
        {
            return Err(UseCaseError::invalid(
                "url",
                format!("`{u}` is not a web address (https://…)"),
            ));
        }
        if let Some(t) = &text
            && t.chars().count() > MAX_TEXT
        {
            return Err(UseCaseError::invalid(
                "text",
                format!("at most {MAX_TEXT} characters: link a longer document"),
            ));
        }
        let sha256 = blank_is_none(&self.sha256).map(|s| s.to_ascii_lowercase());
        if let Some(h) = &sha256
            && (h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()))
        {
            return Err(UseCaseError::invalid(
                "sha256",
                "a SHA-256 is 64 hexadecimal digits",
            ));
        }
        Ok(NewDocument {
            title: title.to_owned(),
            kind,
            url,
            body: text,
            sha256,
        })
    }
}

/// Adds a document to a tender of the caller's council (the lead's staff).
pub async fn add(
    store: &Store,
    caller: &Caller,
    tender_id: i64,
    input: DocumentInput,
) -> UseCaseResult<Document> {
    let tender = find(store, caller, tender_id).await?;
    caller.require(Action::ManageTenders(tender.lead_organisation_id))?;
    let new = input.validate()?;
    Ok(store
        .add_tender_document(tender_id, &new, &caller.actor())
        .await?)
}
