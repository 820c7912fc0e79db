-- Contact details an organisation's own users may edit; requests to change registration
-- facts, which only an instance administrator decides; the two administrators.
ALTER TABLE organisations ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN address TEXT NOT NULL DEFAULT '';

CREATE TABLE registration_requests (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    -- The facts asked for (JSON), and the same facts as they were when asked (JSON).
    change TEXT NOT NULL,
    previous TEXT NOT NULL,
    evidence TEXT NOT NULL,
    status TEXT NOT NULL,
    requested_by INTEGER REFERENCES users (id),
    requested_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES users (id),
    decided_at TEXT,
    decision_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX registration_requests_organisation ON registration_requests (organisation_id);

-- `admin` was global whatever its organisation: every existing administrator keeps those
-- powers as an instance administrator. Organisation administrators are `org_admin`.
UPDATE users SET role = 'instance_admin' WHERE role = 'admin';
