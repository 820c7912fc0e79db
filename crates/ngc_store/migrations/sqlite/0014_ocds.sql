-- OCDS releases: the release each step of a procurement made (planning, tender, award,
-- contract, termination), kept as built, and the publication of its notice on the Central
-- Digital Platform (the platform's notice id and the day it was published, entered by the
-- officer). A release is never changed once stored; a later state of the same step makes a
-- new release (`slot`: the step, or the award or contract it is about).
CREATE TABLE ocds_releases (
    id INTEGER PRIMARY KEY,
    tender_id INTEGER NOT NULL REFERENCES tenders (id),
    ocid TEXT NOT NULL,
    -- The OCDS release id, `{ocid}-{step}-{n}`.
    release_id TEXT NOT NULL UNIQUE,
    -- planning, tender, award, contract or termination.
    step TEXT NOT NULL,
    slot TEXT NOT NULL,
    -- The release's tag (`tender`, `tenderUpdate`, …) and date.
    tag TEXT NOT NULL,
    released_at TEXT NOT NULL,
    -- The notice the release is (UK4, UK6, … or a PCR 2015 notice), if the step has one.
    notice_type TEXT,
    -- The release (JSON) as built.
    release TEXT NOT NULL,
    published BOOLEAN NOT NULL DEFAULT FALSE,
    platform_notice_id TEXT UNIQUE,
    published_on DATE,
    publication_recorded_at TEXT,
    -- The order in which publications were recorded: the public feed's order, so that a page
    -- of it never moves.
    publication_seq BIGINT UNIQUE,
    CHECK (published = (platform_notice_id IS NOT NULL AND published_on IS NOT NULL
        AND publication_seq IS NOT NULL))
);
CREATE INDEX ocds_releases_tender_slot ON ocds_releases (tender_id, slot);
CREATE INDEX ocds_releases_ocid ON ocds_releases (ocid);
