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
