-- One-time codes for check-in by SMS: one live code per attendee of a meeting, kept as
-- a hash, with its expiry and the wrong tries so far.

CREATE TABLE sms_codes (
    company_id  TEXT NOT NULL REFERENCES companies (id),
    meeting_id  TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    code_hash   TEXT NOT NULL,
    attempts    BIGINT NOT NULL,
    created_ms  BIGINT NOT NULL,
    expires_ms  BIGINT NOT NULL,
    PRIMARY KEY (company_id, meeting_id, user_id)
);
