-- The employees' app (/app/): its sign-in sessions, apart from the console's (the
-- cookie's hash and the form token). Failed sign-ins share console_failures: an account
-- has one lock window, whichever surface the tries come from.
CREATE TABLE app_sessions (
    token_hash  TEXT PRIMARY KEY,
    company_id  TEXT NOT NULL REFERENCES companies (id),
    user_id     TEXT NOT NULL,
    csrf        TEXT NOT NULL,
    created_ms  BIGINT NOT NULL,
    expires_ms  BIGINT NOT NULL
);
CREATE INDEX app_sessions_by_user ON app_sessions (company_id, user_id);
CREATE INDEX app_sessions_by_expiry ON app_sessions (expires_ms);
