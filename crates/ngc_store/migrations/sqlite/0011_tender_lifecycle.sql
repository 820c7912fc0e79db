-- The tender lifecycle beyond the draft: the tender notice as published on the platform and
-- the minimum tendering period that applied, documents, clarification questions, planned
-- procurements (the pipeline), the checks before award (conflicts assessment, exclusion and
-- reserved-contract eligibility checks per supplier) and challenges.

-- The tender notice's id on the Central Digital Platform (or Find a Tender / Contracts
-- Finder) and the day it was published there, as entered by the officer.
ALTER TABLE tenders ADD COLUMN notice_id TEXT;
ALTER TABLE tenders ADD COLUMN notice_published_on DATE;
-- The minimum tendering period checked on publication: days (none where there is no
-- statutory minimum) and the rule in words with its reference.
ALTER TABLE tenders ADD COLUMN minimum_period_days INTEGER;
ALTER TABLE tenders ADD COLUMN minimum_period_basis TEXT NOT NULL DEFAULT '';

-- Procurement documents: a link, or a short text kept here; `sha256` is of the text (hex),
-- or of the linked file when the officer gives it.
CREATE TABLE tender_documents (
    id INTEGER PRIMARY KEY,
    tender_id INTEGER NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    url TEXT,
    body TEXT,
    sha256 TEXT,
    added_by INTEGER REFERENCES users (id),
    added_at TEXT NOT NULL
);
CREATE INDEX tender_documents_tender ON tender_documents (tender_id);

-- Clarification questions. Who asked is seen by the buyer's staff only; an answer goes to
-- everyone who may see the tender, without the asker.
CREATE TABLE tender_questions (
    id INTEGER PRIMARY KEY,
    tender_id INTEGER NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    asked_by INTEGER NOT NULL REFERENCES users (id),
    asker_organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    question TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    answer TEXT,
    answered_by INTEGER REFERENCES users (id),
    answered_at TEXT
);
CREATE INDEX tender_questions_tender ON tender_questions (tender_id);

-- Planned procurements, linked to the financial plan: a service line (plan, service), a
-- budget line (`year/service/subjective`) or a saving (plan, reference).
CREATE TABLE planned_procurements (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    estimated_value BIGINT NOT NULL,
    vat_inclusive BOOLEAN NOT NULL,
    contract_type TEXT NOT NULL,
    planned_tender_on DATE NOT NULL,
    planned_award_on DATE NOT NULL,
    planned_start_on DATE NOT NULL,
    link_kind TEXT NOT NULL,
    link_plan TEXT,
    link_key TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX planned_procurements_organisation ON planned_procurements (organisation_id, planned_tender_on);

-- The conflicts assessment of a procurement (PA2023 s83): every version kept, never
-- overwritten; the highest version is the current one.
CREATE TABLE tender_conflicts_assessments (
    tender_id INTEGER NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    conflicts_found BOOLEAN NOT NULL,
    assessment TEXT NOT NULL,
    mitigations TEXT NOT NULL DEFAULT '',
    assessed_by INTEGER REFERENCES users (id),
    assessed_at TEXT NOT NULL,
    PRIMARY KEY (tender_id, version)
);

-- A supplier checked against the exclusion grounds and the debarment list; a later check of
-- the same supplier supersedes, the earlier stays.
CREATE TABLE tender_exclusion_checks (
    id INTEGER PRIMARY KEY,
    tender_id INTEGER NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    supplier_id INTEGER NOT NULL REFERENCES organisations (id),
    result TEXT NOT NULL,
    debarment_list_checked BOOLEAN NOT NULL,
    grounds TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    checked_by INTEGER REFERENCES users (id),
    checked_at TEXT NOT NULL
);
CREATE INDEX tender_exclusion_checks_tender ON tender_exclusion_checks (tender_id, supplier_id);

-- Whether a supplier qualifies for a reserved competition: the buyer's judgement on
-- evidence, with the supplier's registered facts as they were when checked.
CREATE TABLE tender_reservation_checks (
    id INTEGER PRIMARY KEY,
    tender_id INTEGER NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    supplier_id INTEGER NOT NULL REFERENCES organisations (id),
    eligible BOOLEAN NOT NULL,
    evidence TEXT NOT NULL,
    public_service_mutual BOOLEAN NOT NULL,
    sme BOOLEAN NOT NULL,
    vcse BOOLEAN NOT NULL,
    checked_by INTEGER REFERENCES users (id),
    checked_at TEXT NOT NULL
);
CREATE INDEX tender_reservation_checks_tender ON tender_reservation_checks (tender_id, supplier_id);

-- Challenges: while one is not lifted the award is suspended (automatic suspension).
CREATE TABLE tender_challenges (
    id INTEGER PRIMARY KEY,
    tender_id INTEGER NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    received_at TEXT NOT NULL,
    note TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users (id),
    lifted_at TEXT,
    lift_note TEXT NOT NULL DEFAULT '',
    lifted_by INTEGER REFERENCES users (id)
);
CREATE INDEX tender_challenges_tender ON tender_challenges (tender_id);
