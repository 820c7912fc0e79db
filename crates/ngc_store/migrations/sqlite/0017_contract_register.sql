-- The contract register (issue 10): every contract a council holds, whether it came from an
-- award, was entered by hand or imported from a Transparency Code file. Extends the contract
-- records of migration 0016 with what the register needs, keeps each replaced version in
-- `contract_revisions`, and holds each contract's documents.

-- The council whose register holds the contract (the lead buyer of a joint contract).
ALTER TABLE contracts ADD COLUMN organisation_id INTEGER REFERENCES organisations (id);
-- A partnership whose members all read the contract (e.g. a joint waste contract).
ALTER TABLE contracts ADD COLUMN partnership_id INTEGER REFERENCES partnerships (id);
-- The council's own reference, unique within its register.
ALTER TABLE contracts ADD COLUMN reference TEXT;
ALTER TABLE contracts ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN department TEXT NOT NULL DEFAULT '';
-- supplies, services, works or light_touch.
ALTER TABLE contracts ADD COLUMN contract_type TEXT NOT NULL DEFAULT 'services';
-- pcr2015 or pa2023.
ALTER TABLE contracts ADD COLUMN regime TEXT NOT NULL DEFAULT 'pcr2015';
-- tender, quotes, direct_award, reserved or exempt, and the ground of a direct award or
-- an exemption.
ALTER TABLE contracts ADD COLUMN route TEXT NOT NULL DEFAULT 'tender';
ALTER TABLE contracts ADD COLUMN route_ground TEXT NOT NULL DEFAULT '';
-- excluding_vat, including_vat or no_vat; pence of VAT the council cannot recover.
ALTER TABLE contracts ADD COLUMN vat_treatment TEXT NOT NULL DEFAULT 'excluding_vat';
ALTER TABLE contracts ADD COLUMN irrecoverable_vat BIGINT NOT NULL DEFAULT 0;
-- Pence a year; `value` is the whole contract's current value.
ALTER TABLE contracts ADD COLUMN annual_value BIGINT;
-- The value and end date as let, before any variation.
ALTER TABLE contracts ADD COLUMN original_value BIGINT;
ALTER TABLE contracts ADD COLUMN original_ends_on DATE;
ALTER TABLE contracts ADD COLUMN review_on DATE;
-- The extension options in words, and the last day if every option is taken.
ALTER TABLE contracts ADD COLUMN extension_options TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN latest_end_on DATE;
-- The supplier as it was when the contract was let.
ALTER TABLE contracts ADD COLUMN supplier_sme BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE contracts ADD COLUMN supplier_vcse BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE contracts ADD COLUMN supplier_mutual BOOLEAN NOT NULL DEFAULT FALSE;
-- Its registration identifiers (org-id), space separated.
ALTER TABLE contracts ADD COLUMN supplier_identifiers TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN terminated_on DATE;
ALTER TABLE contracts ADD COLUMN termination_reason TEXT NOT NULL DEFAULT '';
-- award, entered or imported.
ALTER TABLE contracts ADD COLUMN origin TEXT NOT NULL DEFAULT 'award';
ALTER TABLE contracts ADD COLUMN updated_at TEXT;

UPDATE contracts SET
    organisation_id = (SELECT t.lead_organisation_id FROM tenders t WHERE t.id = contracts.tender_id),
    reference = (SELECT t.reference FROM tenders t WHERE t.id = contracts.tender_id)
        || '/' || CAST(lot_number AS TEXT),
    contract_type = COALESCE((SELECT t.contract_type FROM tenders t WHERE t.id = contracts.tender_id), 'services'),
    regime = COALESCE((SELECT t.regime FROM tenders t WHERE t.id = contracts.tender_id), 'pcr2015'),
    route = CASE WHEN (SELECT t.reservation FROM tenders t WHERE t.id = contracts.tender_id) = 'mutual'
        THEN 'reserved' ELSE 'tender' END,
    vat_treatment = CASE WHEN vat_inclusive THEN 'including_vat' ELSE 'excluding_vat' END,
    original_value = value,
    original_ends_on = ends_on,
    supplier_sme = (SELECT o.sme FROM organisations o WHERE o.id = contracts.supplier_id),
    supplier_vcse = (SELECT o.vcse FROM organisations o WHERE o.id = contracts.supplier_id),
    supplier_mutual = (SELECT o.public_service_mutual FROM organisations o WHERE o.id = contracts.supplier_id),
    updated_at = created_at;
ALTER TABLE contracts DROP COLUMN vat_inclusive;

CREATE UNIQUE INDEX contracts_reference ON contracts (organisation_id, reference);
CREATE INDEX contracts_ends ON contracts (organisation_id, ends_on);
CREATE INDEX contracts_partnership ON contracts (partnership_id);

-- Each version of a contract that a change replaced (an import's update, a variation), as the
-- contract's JSON, so nothing entered is lost.
CREATE TABLE contract_revisions (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contracts (id),
    snapshot TEXT NOT NULL,
    reason TEXT NOT NULL,
    replaced_by INTEGER REFERENCES users (id),
    replaced_at TEXT NOT NULL
);
CREATE INDEX contract_revisions_contract ON contract_revisions (contract_id);

-- A contract's documents: a link, or a text body with its SHA-256.
CREATE TABLE contract_documents (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contracts (id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    url TEXT,
    body TEXT,
    sha256 TEXT,
    added_by INTEGER REFERENCES users (id),
    added_at TEXT NOT NULL
);
CREATE INDEX contract_documents_contract ON contract_documents (contract_id);
