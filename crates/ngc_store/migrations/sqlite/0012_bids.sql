-- Sealed bids. A bid's content (prices per lot, answers, attachments) is never stored in the
-- clear: `ciphertext` holds it sealed with an AEAD cipher under the key named by `key_id`
-- (the key comes from configuration, never from the database), with the tender id and the
-- bid id as associated data. `content_sha256` is the receipt: the SHA-256 of the content in
-- RFC 8785 canonical JSON, as given to the bidder.
--
-- A replaced bid is kept (status `replaced`, `replaced_by_id` naming its successor, which
-- has a new id and receipt); a withdrawn bid is kept too. A provider has at most one active
-- bid per tender.
CREATE TABLE bids (
    id INTEGER PRIMARY KEY,
    tender_id INTEGER NOT NULL REFERENCES tenders (id),
    -- The bidding organisation.
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    -- The user who submitted it (NULL: the system, e.g. the demo loader).
    submitted_by INTEGER REFERENCES users (id),
    -- active, replaced or withdrawn.
    status TEXT NOT NULL,
    -- The sealed content. The bid id is part of the associated data, so the row is inserted
    -- first and sealed in the same transaction: these are empty only inside it.
    key_id TEXT NOT NULL,
    nonce BLOB NOT NULL,
    ciphertext BLOB NOT NULL,
    -- SHA-256 (hex) of the content's RFC 8785 canonical form: the receipt.
    content_sha256 TEXT NOT NULL,
    -- The server's time of the transaction that stored it (before the deadline).
    submitted_at TEXT NOT NULL,
    -- The bid this one replaced, if any.
    replaces_id INTEGER REFERENCES bids (id),
    -- Set when a newer bid replaced this one.
    replaced_by_id INTEGER REFERENCES bids (id),
    replaced_at TEXT,
    -- Set when the bidder withdrew it.
    withdrawn_at TEXT,
    withdrawn_by INTEGER REFERENCES users (id)
);
CREATE UNIQUE INDEX bids_one_active ON bids (tender_id, organisation_id) WHERE status = 'active';
CREATE INDEX bids_tender ON bids (tender_id, id);
CREATE INDEX bids_organisation ON bids (organisation_id, id);
