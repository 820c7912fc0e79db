-- Tenders: the procurement, its buyers with their cost shares, its lots, and its evaluation
-- panel with each member's conflict-of-interest declaration. Bids, questions, notices and
-- awards have tables of their own in later migrations.
CREATE TABLE tenders (
    id INTEGER PRIMARY KEY,
    -- The buyer's own reference, unique on the instance (e.g. NBC-2026-001).
    reference TEXT NOT NULL UNIQUE,
    -- The organisation that runs the procurement (the lead buyer of a joint tender).
    lead_organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    -- The officer accountable for the procurement: with the panel, the only reader of bids
    -- after the deadline.
    procurement_lead_id INTEGER NOT NULL REFERENCES users (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- `cpv` or `proclass`, and the code in that scheme.
    classification_scheme TEXT NOT NULL,
    classification_code TEXT NOT NULL,
    contract_type TEXT NOT NULL,
    procedure TEXT NOT NULL,
    -- The commencing event and its date decide the regime (SI 2024/716 reg 5).
    commencing_event TEXT NOT NULL,
    commenced_on DATE NOT NULL,
    regime TEXT NOT NULL,
    -- Pence; `vat_inclusive` says whether the estimate includes VAT.
    estimated_value BIGINT NOT NULL,
    vat_inclusive BOOLEAN NOT NULL,
    above_threshold BOOLEAN NOT NULL,
    -- none, mutual (PCR reg 77 / PA2023 s33), local or sme_vcse (below threshold).
    reservation TEXT NOT NULL DEFAULT 'none',
    -- Price is opened only after quality is scored and moderated.
    two_envelope BOOLEAN NOT NULL DEFAULT FALSE,
    -- The award criteria (JSON, the domain's criteria set).
    criteria TEXT NOT NULL DEFAULT '{}',
    -- draft, published or terminated; the stages in between follow from the dates.
    status TEXT NOT NULL,
    published_at TEXT,
    clarification_deadline TEXT,
    submission_deadline TEXT NOT NULL,
    terminated_at TEXT,
    termination_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX tenders_lead ON tenders (lead_organisation_id);
CREATE INDEX tenders_status_deadline ON tenders (status, submission_deadline);

-- The buyers of a tender and their cost shares (percent as a decimal string; they sum to 100).
CREATE TABLE tender_buyers (
    tender_id INTEGER NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    share_percent TEXT NOT NULL,
    PRIMARY KEY (tender_id, organisation_id)
);
CREATE INDEX tender_buyers_organisation ON tender_buyers (organisation_id);

CREATE TABLE tender_lots (
    id INTEGER PRIMARY KEY,
    tender_id INTEGER NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    -- The lot's number within the tender, from 1.
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    estimated_value BIGINT NOT NULL,
    -- The lot's own award criteria (JSON), when they differ from the tender's.
    criteria TEXT,
    UNIQUE (tender_id, number)
);

-- The evaluation panel: who may score, and their declarations of interest. A member with
-- `conflict` TRUE is removed from the tender (`removed_at`).
CREATE TABLE tender_panel (
    tender_id INTEGER NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id),
    assigned_at TEXT NOT NULL,
    declared_at TEXT,
    conflict BOOLEAN,
    declaration TEXT NOT NULL DEFAULT '',
    removed_at TEXT,
    PRIMARY KEY (tender_id, user_id)
);
CREATE INDEX tender_panel_user ON tender_panel (user_id);
