-- Public budget consultations (issue 13).
-- consultations: one per council, plan and year, open to the public from opens_on to closes_on
-- (both days included). `settings` is the JSON the officer gave, `definition` the JSON built
-- from it (the options and their steps the public choose from); the store keeps both as text.
CREATE TABLE consultations (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    plan TEXT NOT NULL,
    year TEXT NOT NULL,
    title TEXT NOT NULL,
    introduction TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    settings TEXT NOT NULL,
    definition TEXT NOT NULL,
    results_published BOOLEAN NOT NULL DEFAULT FALSE,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    CHECK (closes_on >= opens_on)
);
CREATE INDEX consultations_organisation ON consultations (organisation_id);
CREATE INDEX consultations_dates ON consultations (closes_on, opens_on);
-- consultation_responses: one per browser (the keyed hash of its token; never the token), with
-- the choices as JSON and, if given, the postcode district and age band. No name, no address.
CREATE TABLE consultation_responses (
    id INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    token_hash TEXT NOT NULL,
    choices TEXT NOT NULL,
    postcode_district TEXT,
    age_band TEXT,
    submitted_at TEXT NOT NULL,
    UNIQUE (consultation_id, token_hash)
);
-- consultation_tallies: the results kept as they come: how many responses chose each step of
-- each option, incremented in the transaction that inserts the response.
CREATE TABLE consultation_tallies (
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    option_key TEXT NOT NULL,
    step BIGINT NOT NULL,
    responses BIGINT NOT NULL,
    PRIMARY KEY (consultation_id, option_key, step)
);
-- consultation_notes: what officers attach from a consultation to a line of their plan (a
-- service line such as `service:adult_social_care`, or a saving's reference). Never deleted.
CREATE TABLE consultation_notes (
    id INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    plan TEXT NOT NULL,
    line TEXT NOT NULL,
    note TEXT NOT NULL,
    attached_by INTEGER REFERENCES users (id),
    attached_at TEXT NOT NULL
);
CREATE INDEX consultation_notes_plan ON consultation_notes (organisation_id, plan);
