-- Calendar feeds (docs/wire-compat.md "Calendar feeds"): a meeting's `sequence` counts
-- its changes (the `SEQUENCE` of its calendar entries), and each room or person with a
-- feed has one secret, the key of its URL.
ALTER TABLE meetings ADD COLUMN sequence BIGINT NOT NULL DEFAULT 0;

CREATE TABLE calendar_feeds (
    secret      TEXT PRIMARY KEY,
    company_id  TEXT NOT NULL REFERENCES companies (id),
    -- 'room' or 'user', and that room's or user's id.
    owner_kind  TEXT NOT NULL,
    owner_id    TEXT NOT NULL,
    created_ms  BIGINT NOT NULL,
    UNIQUE (company_id, owner_kind, owner_id)
);
-- Mail (docs/wire-compat.md "Mail"): each message is recorded, whole, in the transaction
-- of the change it tells of, then sent by the mail worker; `next_ms` is when it is due
-- while `state` is 'pending'. A company may remind people N minutes before a meeting
-- (0: no reminders); a meeting reminded has `reminded_ms`.
CREATE TABLE mail_outbox (
    id          TEXT PRIMARY KEY,
    company_id  TEXT NOT NULL REFERENCES companies (id),
    meeting_id  TEXT NOT NULL,
    series_id   TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    method      TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    message     TEXT NOT NULL,
    state       TEXT NOT NULL,
    attempts    BIGINT NOT NULL,
    last_error  TEXT NOT NULL,
    next_ms     BIGINT NOT NULL,
    created_ms  BIGINT NOT NULL,
    done_ms     BIGINT NOT NULL
);
CREATE INDEX mail_due ON mail_outbox (next_ms) WHERE state = 'pending';
CREATE INDEX mail_by_company ON mail_outbox (company_id, created_ms);
ALTER TABLE companies ADD COLUMN reminder_minutes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE meetings ADD COLUMN reminded_ms BIGINT;
