-- Medium-term financial plans: every figure a row of its own, traceable to the file it came from.
-- Percentages and tax bases are exact decimal text; money is BIGINT pence.
CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    authority_class TEXT NOT NULL,
    first_year TEXT NOT NULL,
    years INTEGER NOT NULL,
    band_d BIGINT NOT NULL,
    tax_base TEXT NOT NULL,
    minimum_reserve_pct TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (organisation_id, name)
);

CREATE TABLE plan_base_lines (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    service TEXT NOT NULL,
    subjective TEXT NOT NULL,
    amount BIGINT NOT NULL
);
CREATE INDEX plan_base_lines_plan ON plan_base_lines (plan_id);

CREATE TABLE plan_assumptions (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    year TEXT NOT NULL,
    pay_award_pct TEXT NOT NULL,
    general_inflation_pct TEXT NOT NULL,
    social_care_inflation_pct TEXT NOT NULL,
    tax_base_growth_pct TEXT NOT NULL,
    council_tax_increase_pct TEXT NOT NULL,
    asc_precept_pct TEXT NOT NULL,
    UNIQUE (plan_id, year)
);

CREATE TABLE plan_demography (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    year TEXT NOT NULL,
    service TEXT NOT NULL,
    pct TEXT NOT NULL,
    UNIQUE (plan_id, year, service)
);

CREATE TABLE plan_pressures (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    reference TEXT NOT NULL,
    kind TEXT NOT NULL,
    service TEXT NOT NULL,
    description TEXT NOT NULL,
    low_pct TEXT,
    high_pct TEXT,
    UNIQUE (plan_id, reference)
);

CREATE TABLE plan_pressure_amounts (
    pressure_id INTEGER NOT NULL REFERENCES plan_pressures (id) ON DELETE CASCADE,
    year TEXT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (pressure_id, year)
);

CREATE TABLE plan_funding (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    year TEXT NOT NULL,
    amount BIGINT NOT NULL,
    UNIQUE (plan_id, source, year)
);

CREATE TABLE plan_savings (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    reference TEXT NOT NULL,
    title TEXT NOT NULL,
    service TEXT NOT NULL,
    category TEXT NOT NULL,
    owner TEXT NOT NULL,
    rag TEXT NOT NULL,
    delivered_to_date BIGINT NOT NULL,
    evidence_kind TEXT,
    evidence_reference TEXT,
    UNIQUE (plan_id, reference)
);

CREATE TABLE plan_saving_amounts (
    saving_id INTEGER NOT NULL REFERENCES plan_savings (id) ON DELETE CASCADE,
    year TEXT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (saving_id, year)
);

CREATE TABLE plan_delivery_updates (
    id INTEGER PRIMARY KEY,
    saving_id INTEGER NOT NULL REFERENCES plan_savings (id) ON DELETE CASCADE,
    year TEXT NOT NULL,
    month INTEGER NOT NULL,
    delivered BIGINT NOT NULL,
    rag TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX plan_delivery_updates_saving ON plan_delivery_updates (saving_id);

CREATE TABLE plan_reserves (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    opening BIGINT NOT NULL,
    UNIQUE (plan_id, name)
);

CREATE TABLE plan_reserve_use (
    reserve_id INTEGER NOT NULL REFERENCES plan_reserves (id) ON DELETE CASCADE,
    year TEXT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (reserve_id, year)
);
