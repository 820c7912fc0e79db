-- Shared services (issue 11): each service of a partnership hosted by a member, its cost
-- pool per year with the basis it is shared by (fixed shares or a driver), the partners'
-- weights, external clients' fees and an optional income key; the agreement's notice
-- period and index; the partners' pre-sharing baselines; published savings figures; and
-- exits (leaving the partnership with notice, or repatriating one service) with exit costs.
-- Every replaced figure is kept, marked superseded. Money in pence; weights and rates as
-- exact decimal text.
CREATE TABLE shared_services (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    host_id INTEGER NOT NULL REFERENCES organisations (id),
    UNIQUE (partnership_id, code)
);

CREATE TABLE shared_service_years (
    id INTEGER PRIMARY KEY,
    service_id INTEGER NOT NULL REFERENCES shared_services (id),
    year TEXT NOT NULL,
    pool BIGINT NOT NULL,
    basis TEXT NOT NULL,
    income_keyed BOOLEAN NOT NULL,
    source TEXT NOT NULL,
    confirmed BOOLEAN NOT NULL,
    entered_by INTEGER REFERENCES users (id),
    entered_at TEXT NOT NULL,
    superseded_at TEXT
);
CREATE INDEX shared_service_years_service ON shared_service_years (service_id, year);

-- kind: 'basis' (a fixed share or driver value) or 'income_key'.
CREATE TABLE shared_service_weights (
    service_year_id INTEGER NOT NULL REFERENCES shared_service_years (id),
    kind TEXT NOT NULL,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    value TEXT NOT NULL,
    PRIMARY KEY (service_year_id, kind, organisation_id)
);

CREATE TABLE shared_service_fees (
    service_year_id INTEGER NOT NULL REFERENCES shared_service_years (id),
    client TEXT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (service_year_id, client)
);

CREATE TABLE shared_service_terms (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id),
    notice_months BIGINT,
    index_name TEXT,
    entered_at TEXT NOT NULL,
    superseded_at TEXT
);
CREATE INDEX shared_service_terms_partnership ON shared_service_terms (partnership_id);

CREATE TABLE shared_service_index_rates (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id),
    year TEXT NOT NULL,
    rate TEXT NOT NULL,
    source TEXT NOT NULL,
    confirmed BOOLEAN NOT NULL,
    entered_at TEXT NOT NULL,
    superseded_at TEXT
);
CREATE INDEX shared_service_index_rates_partnership ON shared_service_index_rates (partnership_id, year);

CREATE TABLE shared_service_baselines (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    year TEXT NOT NULL,
    amount BIGINT NOT NULL,
    source TEXT NOT NULL,
    confirmed BOOLEAN NOT NULL,
    entered_at TEXT NOT NULL,
    superseded_at TEXT
);
CREATE INDEX shared_service_baselines_partnership ON shared_service_baselines (partnership_id, organisation_id);

-- organisation_id NULL: a figure for the whole partnership.
CREATE TABLE shared_service_published (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id),
    organisation_id INTEGER REFERENCES organisations (id),
    year TEXT NOT NULL,
    kind TEXT NOT NULL,
    amount BIGINT NOT NULL,
    source TEXT NOT NULL,
    confirmed BOOLEAN NOT NULL,
    entered_at TEXT NOT NULL,
    superseded_at TEXT
);
CREATE INDEX shared_service_published_partnership ON shared_service_published (partnership_id, year);

-- service_id NULL: leaving the partnership (its membership ends on left_on); otherwise
-- repatriating that service while staying in the others.
CREATE TABLE shared_service_exits (
    id INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    service_id INTEGER REFERENCES shared_services (id),
    notice_given_on DATE NOT NULL,
    left_on DATE NOT NULL,
    exit_cost BIGINT NOT NULL,
    reason TEXT NOT NULL,
    entered_by INTEGER REFERENCES users (id),
    entered_at TEXT NOT NULL
);
CREATE INDEX shared_service_exits_partnership ON shared_service_exits (partnership_id);
