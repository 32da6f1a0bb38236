-- The web console: one-time links to set an admin's password, sign-in sessions (the
-- cookie's hash and the form token), and failed sign-ins for lockout.

CREATE TABLE setup_links (
    token_hash  TEXT PRIMARY KEY,
    company_id  TEXT NOT NULL REFERENCES companies (id),
    user_id     TEXT NOT NULL,
    created_ms  BIGINT NOT NULL,
    expires_ms  BIGINT NOT NULL,
    used_ms     BIGINT
);

CREATE TABLE console_sessions (
    token_hash  TEXT PRIMARY KEY,
    company_id  TEXT NOT NULL REFERENCES companies (id),
    user_id     TEXT NOT NULL,
    csrf        TEXT NOT NULL,
    created_ms  BIGINT NOT NULL,
    expires_ms  BIGINT NOT NULL
);

CREATE TABLE console_failures (
    company_id     TEXT NOT NULL,
    account        TEXT NOT NULL,
    failures       BIGINT NOT NULL,
    locked_until   BIGINT NOT NULL,
    updated_ms     BIGINT NOT NULL,
    PRIMARY KEY (company_id, account)
);
