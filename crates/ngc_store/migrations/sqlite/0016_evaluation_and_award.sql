-- Evaluation and award (issue 9): each evaluator's independent quality scores, the moderated
-- (consensus) scores, the prices opened with their scores, the abnormally-low screening and
-- the buyer's explain-before-decide steps, the award decision per lot with its standstill,
-- the assessment summaries sent to each bidder, and the contract record after standstill.
-- Nothing is overwritten: a re-score or re-moderation marks the old row `superseded_at` and
-- adds a new one; the abnormally-low workflow appends one row per step.

-- One evaluator's score of one bid on one quality criterion of a lot, with the reason.
CREATE TABLE evaluation_scores (
    id INTEGER PRIMARY KEY,
    tender_id INTEGER NOT NULL REFERENCES tenders (id),
    lot_number INTEGER NOT NULL,
    bid_id INTEGER NOT NULL REFERENCES bids (id),
    -- The criterion's key in the lot's criteria set.
    criterion TEXT NOT NULL,
    evaluator_id INTEGER NOT NULL REFERENCES users (id),
    score INTEGER NOT NULL,
    comment TEXT NOT NULL,
    scored_at TEXT NOT NULL,
    -- Set when the evaluator scored the same bid and criterion again.
    superseded_at TEXT
);
CREATE INDEX evaluation_scores_tender ON evaluation_scores (tender_id, lot_number, bid_id);

-- The consensus score of one bid on one quality criterion of a lot, with its reason.
CREATE TABLE moderated_scores (
    id INTEGER PRIMARY KEY,
    tender_id INTEGER NOT NULL REFERENCES tenders (id),
    lot_number INTEGER NOT NULL,
    bid_id INTEGER NOT NULL REFERENCES bids (id),
    criterion TEXT NOT NULL,
    score INTEGER NOT NULL,
    reason TEXT NOT NULL,
    moderated_by INTEGER REFERENCES users (id),
    moderated_at TEXT NOT NULL,
    superseded_at TEXT
);
CREATE INDEX moderated_scores_tender ON moderated_scores (tender_id, lot_number, bid_id);

-- The price of each bid for a lot, as opened from the sealed bid (once per lot), and its
-- score by the lot's stated method (none when the criteria have no price criterion).
CREATE TABLE price_scores (
    id INTEGER PRIMARY KEY,
    tender_id INTEGER NOT NULL REFERENCES tenders (id),
    lot_number INTEGER NOT NULL,
    bid_id INTEGER NOT NULL REFERENCES bids (id),
    -- Pence.
    price BIGINT NOT NULL,
    lowest BIGINT NOT NULL,
    method TEXT,
    -- Decimal strings.
    maximum TEXT,
    score TEXT,
    opened_by INTEGER REFERENCES users (id),
    opened_at TEXT NOT NULL,
    UNIQUE (tender_id, lot_number, bid_id)
);

-- Each step of a bid flagged as possibly abnormally low: the flag (with its reasons) on
-- price opening, then the request for an explanation, the explanation, the decision.
-- The latest row of a bid and lot is its status.
CREATE TABLE abnormally_low_steps (
    id INTEGER PRIMARY KEY,
    tender_id INTEGER NOT NULL REFERENCES tenders (id),
    lot_number INTEGER NOT NULL,
    bid_id INTEGER NOT NULL REFERENCES bids (id),
    -- The domain's status, as tagged JSON.
    status TEXT NOT NULL,
    -- The screening's reasons (JSON list), as flagged.
    reasons TEXT NOT NULL,
    acted_by INTEGER REFERENCES users (id),
    acted_at TEXT NOT NULL
);
CREATE INDEX abnormally_low_steps_tender ON abnormally_low_steps (tender_id, lot_number, bid_id);

-- The award decision of a lot: the winning bid, its value, and the standstill. Under PCR
-- 2015 standstill runs from the decision (sent electronically the same day); under the Act
-- from the contract award notice's publication, so it is known once that is recorded.
CREATE TABLE awards (
    id INTEGER PRIMARY KEY,
    tender_id INTEGER NOT NULL REFERENCES tenders (id),
    lot_number INTEGER NOT NULL,
    bid_id INTEGER NOT NULL REFERENCES bids (id),
    supplier_id INTEGER NOT NULL REFERENCES organisations (id),
    -- Pence: the winning bid's price for the lot.
    value BIGINT NOT NULL,
    regime TEXT NOT NULL,
    decided_by INTEGER REFERENCES users (id),
    decided_at TEXT NOT NULL,
    decided_on DATE NOT NULL,
    standstill_from DATE,
    standstill_ends_on DATE,
    -- The ranking the decision rested on (JSON, the domain's ranked bids).
    ranking TEXT NOT NULL,
    summaries_sent_at TEXT,
    UNIQUE (tender_id, lot_number)
);

-- The assessment summary sent to each bidder of an awarded lot, in the content the regime
-- requires (JSON), with the time it was sent.
CREATE TABLE assessment_summaries (
    id INTEGER PRIMARY KEY,
    award_id INTEGER NOT NULL REFERENCES awards (id),
    tender_id INTEGER NOT NULL REFERENCES tenders (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    bid_id INTEGER NOT NULL REFERENCES bids (id),
    content TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    UNIQUE (award_id, organisation_id)
);
CREATE INDEX assessment_summaries_organisation ON assessment_summaries (organisation_id);

-- A contract entered into. From a tender it follows an award (after standstill); the
-- tender, lot and award are empty for a contract recorded without one (the contracts issue
-- builds on this table).
CREATE TABLE contracts (
    id INTEGER PRIMARY KEY,
    tender_id INTEGER REFERENCES tenders (id),
    lot_number INTEGER,
    award_id INTEGER UNIQUE REFERENCES awards (id),
    supplier_id INTEGER NOT NULL REFERENCES organisations (id),
    title TEXT NOT NULL,
    -- Pence.
    value BIGINT NOT NULL,
    vat_inclusive BOOLEAN NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX contracts_supplier ON contracts (supplier_id);

-- The buyers of a contract, each with its cost share and its part of the value (split by
-- largest remainder, so the parts sum to the value).
CREATE TABLE contract_buyers (
    contract_id INTEGER NOT NULL REFERENCES contracts (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    share_percent TEXT NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (contract_id, organisation_id)
);
CREATE INDEX contract_buyers_organisation ON contract_buyers (organisation_id);
