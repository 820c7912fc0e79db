-- KPIs and outcomes (issue 10): each contract's key performance indicators, the provider's
-- return for each KPI and period, and the performance failures recorded against a contract
-- with their penalties. The register's s52 warning reads the KPI count in the same query as
-- the contract (a sub-select), so a page of the register costs no query per row.

-- Why the authority considers KPIs not appropriate (PA2023 s52(2); the UK OCDS extension's
-- `noAgreedMetricsRationale`); blank when none is recorded.
ALTER TABLE contracts ADD COLUMN no_agreed_metrics_rationale TEXT NOT NULL DEFAULT '';
-- An exemption from the KPI duty the contract falls under (framework, private_utility,
-- concession, light_touch, not_public_contract), if the council recorded one.
ALTER TABLE contracts ADD COLUMN kpi_exemption TEXT;

-- A KPI of a contract. `target` and `tolerance` are exact decimals written as text, in the
-- KPI's unit; `direction` is higher or lower; `frequency` monthly, quarterly or annually.
-- Returns are owed from `from_date` (on or after the contract's start).
CREATE TABLE contract_kpis (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contracts (id),
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    unit TEXT NOT NULL,
    target TEXT NOT NULL,
    direction TEXT NOT NULL,
    frequency TEXT NOT NULL,
    tolerance TEXT NOT NULL,
    from_date DATE NOT NULL,
    defined_by INTEGER REFERENCES users (id),
    defined_at TEXT NOT NULL,
    UNIQUE (contract_id, code)
);

-- A provider's return for one KPI and one period: the value (an exact decimal as text; NULL
-- when not applicable), the day it fell due and whether it came in after that day. One
-- return per KPI and period.
CREATE TABLE kpi_returns (
    id INTEGER PRIMARY KEY,
    kpi_id INTEGER NOT NULL REFERENCES contract_kpis (id),
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    value TEXT,
    note TEXT NOT NULL DEFAULT '',
    due_on DATE NOT NULL,
    late BOOLEAN NOT NULL,
    submitted_by INTEGER REFERENCES users (id),
    submitted_at TEXT NOT NULL,
    UNIQUE (kpi_id, period_start)
);

-- Performance failures of one category in one period (the OCDS performance failures
-- extension, with the UK extension's description and penalty type), penalties in pence.
-- `reference` is the failure's OCDS id, unique within the contract.
CREATE TABLE performance_failures (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contracts (id),
    kpi_id INTEGER REFERENCES contract_kpis (id),
    reference TEXT NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    category TEXT NOT NULL,
    description TEXT NOT NULL,
    events BIGINT NOT NULL,
    remedy TEXT NOT NULL,
    penalty_type TEXT NOT NULL,
    penalty_contracted BIGINT NOT NULL,
    penalty_imposed BIGINT NOT NULL,
    penalty_paid BIGINT NOT NULL,
    recorded_by INTEGER REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    UNIQUE (contract_id, reference)
);
CREATE INDEX performance_failures_contract ON performance_failures (contract_id);
