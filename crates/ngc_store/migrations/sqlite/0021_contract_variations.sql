-- Contract variations (issue 10): each variation, termination and reversal of a termination,
-- numbered per contract, with its typed ground (a `ModificationGround` of the contract's
-- regime), the change in value and term, the value and end before and after, the cumulative
-- change against the original value, and the notice the change rules ask (PA2023 s75 or
-- PCR 2015 reg 72(3)) or none. Applying one updates the contract's current value, end and
-- termination; the version it replaces is kept in `contract_revisions`.
CREATE TABLE contract_variations (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contracts (id),
    -- 1, 2, … within the contract.
    seq BIGINT NOT NULL,
    -- variation, termination or reversal (of a termination).
    kind TEXT NOT NULL,
    -- The ground relied on (empty for a termination).
    ground TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL,
    -- Pence, signed: negative for a reduction.
    value_change BIGINT NOT NULL,
    value_before BIGINT NOT NULL,
    value_after BIGINT NOT NULL,
    ends_before DATE,
    ends_after DATE,
    -- The day a termination takes effect (for a termination).
    terminated_on DATE,
    -- value_after less the contract's original value, pence.
    cumulative_change BIGINT NOT NULL,
    -- The percentage of the original value, as a decimal string (`12.50`).
    cumulative_change_percent TEXT NOT NULL,
    -- The notice needed (a notice type: UK10, modification_notice, UK11), NULL for none.
    notice TEXT,
    -- Why that notice, or none, in words.
    notice_reason TEXT NOT NULL DEFAULT '',
    -- The assessment of the change rules as JSON (for a termination, `{}`).
    assessment TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    UNIQUE (contract_id, seq)
);
