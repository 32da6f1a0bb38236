-- The web console: one-time links to set an admin's password, sign-in sessions (the
-- cookie's hash and the form token), and failed sign-ins for lockout.

CREATE TABLE setup_links (
    token_hash  TEXT PRIMARY KEY,
    company_id  TEXT NOT NULL REFERENCES companies (id),
    user_id     TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    expires_ms  INTEGER NOT NULL,
    used_ms     INTEGER
);

CREATE TABLE console_sessions (
    token_hash  TEXT PRIMARY KEY,
    company_id  TEXT NOT NULL REFERENCES companies (id),
    user_id     TEXT NOT NULL,
    csrf        TEXT NOT NULL,
    created_ms  INTEGER NOT NULL,
    expires_ms  INTEGER NOT NULL
);

CREATE TABLE console_failures (
    company_id     TEXT NOT NULL,
    account        TEXT NOT NULL,
    failures       INTEGER NOT NULL,
    locked_until   INTEGER NOT NULL,
    updated_ms     INTEGER NOT NULL,
    PRIMARY KEY (company_id, account)
);
