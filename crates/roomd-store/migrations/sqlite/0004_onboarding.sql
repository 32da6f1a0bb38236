-- Onboarding QR codes (入职二维码): the dimensions a company's codes may carry, the codes,
-- and the registrations made by scanning them. Options and values are JSON text: they
-- are read and written whole, never queried into.

CREATE TABLE onboarding_settings (
    company_id     TEXT PRIMARY KEY REFERENCES companies (id),
    need_approval  INTEGER NOT NULL,
    updated_ms     INTEGER NOT NULL
);

CREATE TABLE onboarding_dimensions (
    company_id  TEXT NOT NULL REFERENCES companies (id),
    api_name    TEXT NOT NULL,
    position    INTEGER NOT NULL,
    zh_cn       TEXT NOT NULL,
    en_us       TEXT NOT NULL,
    kind        INTEGER NOT NULL,
    options     TEXT NOT NULL,
    PRIMARY KEY (company_id, api_name)
);

CREATE TABLE onboarding_qr_codes (
    company_id        TEXT NOT NULL REFERENCES companies (id),
    id                TEXT NOT NULL,
    sign_key          TEXT NOT NULL UNIQUE,
    active            INTEGER NOT NULL,
    created_by        TEXT NOT NULL,
    updated_by        TEXT NOT NULL,
    created_ms        INTEGER NOT NULL,
    updated_ms        INTEGER NOT NULL,
    dimension_values  TEXT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE INDEX onboarding_qr_codes_by_time ON onboarding_qr_codes (company_id, created_ms);

-- state: 0 pending, 1 approved (user_id set), 2 rejected.
CREATE TABLE onboarding_registrations (
    company_id        TEXT NOT NULL REFERENCES companies (id),
    id                TEXT NOT NULL,
    qr_code_id        TEXT NOT NULL,
    name              TEXT NOT NULL,
    account           TEXT NOT NULL,
    phone             TEXT NOT NULL,
    email             TEXT NOT NULL,
    password_hash     TEXT NOT NULL,
    face_file         TEXT,
    department_id     TEXT,
    dimension_values  TEXT NOT NULL,
    state             INTEGER NOT NULL,
    user_id           TEXT,
    reason            TEXT NOT NULL DEFAULT '',
    created_ms        INTEGER NOT NULL,
    decided_ms        INTEGER,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, qr_code_id) REFERENCES onboarding_qr_codes (company_id, id)
);
CREATE INDEX onboarding_registrations_by_code ON onboarding_registrations (company_id, qr_code_id, created_ms);
CREATE INDEX onboarding_registrations_pending ON onboarding_registrations (company_id, created_ms) WHERE state = 0;

-- The preset values a user registered with, kept on their record.
ALTER TABLE users ADD COLUMN dimension_values TEXT;
