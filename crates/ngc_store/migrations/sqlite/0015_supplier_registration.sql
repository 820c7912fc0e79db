-- Suppliers register themselves: the organisation and its first user wait here, outside
-- `organisations` and `users`, until an instance administrator verifies the registration.
-- No existing query can take a pending supplier for a real one (as a bidder, a user who
-- signs in, or an entry in the directory): verifying creates the organisation and the user.
CREATE TABLE supplier_registrations (
    id INTEGER PRIMARY KEY,
    -- The registration facts as claimed (an administrator may correct them on verifying).
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    legal_form TEXT NOT NULL,
    sme BOOLEAN NOT NULL,
    vcse BOOLEAN NOT NULL,
    public_service_mutual BOOLEAN NOT NULL,
    -- Contact details and description.
    description TEXT NOT NULL DEFAULT '',
    contact_email TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    -- The first user: email (lowercase), name and argon2 password hash. The hash moves to
    -- `users` on verification (and is cleared here); a refused applicant keeps it, to be
    -- told the outcome when signing in.
    user_email TEXT NOT NULL,
    user_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    -- pending, verified or refused.
    status TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    decided_by INTEGER REFERENCES users (id),
    decided_at TEXT,
    decision_note TEXT NOT NULL DEFAULT '',
    -- What verifying created.
    organisation_id INTEGER REFERENCES organisations (id),
    user_id INTEGER REFERENCES users (id)
);
-- Two pending registrations never claim the same slug or email.
CREATE UNIQUE INDEX supplier_registrations_pending_slug
    ON supplier_registrations (slug) WHERE status = 'pending';
CREATE UNIQUE INDEX supplier_registrations_pending_email
    ON supplier_registrations (user_email) WHERE status = 'pending';
CREATE INDEX supplier_registrations_email ON supplier_registrations (user_email);

-- The claimed identifiers in org-id form.
CREATE TABLE supplier_registration_identifiers (
    registration_id INTEGER NOT NULL REFERENCES supplier_registrations (id) ON DELETE CASCADE,
    value TEXT NOT NULL,
    PRIMARY KEY (registration_id, value)
);
CREATE INDEX supplier_registration_identifiers_value ON supplier_registration_identifiers (value);
