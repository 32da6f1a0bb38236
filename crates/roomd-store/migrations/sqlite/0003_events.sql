-- Event subscription (webhooks): one subscription per company, the outbox of events
-- written in the same transaction as the change, and every delivery attempt.

CREATE TABLE event_subscriptions (
    company_id  TEXT PRIMARY KEY REFERENCES companies (id),
    url         TEXT NOT NULL DEFAULT '',
    aes_key     TEXT NOT NULL,
    token       TEXT NOT NULL,
    appkey      TEXT NOT NULL,
    -- Keys made by event/refresh, in force only once event/save's check succeeds.
    next_aes_key  TEXT,
    next_token    TEXT,
    enabled     INTEGER NOT NULL DEFAULT 0,
    -- Events recorded so far. Bumping it locks the row, so one company's events are
    -- numbered in commit order even with several writers (PostgreSQL).
    emitted     INTEGER NOT NULL DEFAULT 0,
    updated_ms  INTEGER NOT NULL
);

-- state: 0 pending, 1 delivered, 2 given up. A pending event is delivered only after
-- every earlier pending event of its company (commit order per company).
CREATE TABLE events (
    seq              INTEGER PRIMARY KEY,
    company_id       TEXT NOT NULL REFERENCES companies (id),
    event_type       TEXT NOT NULL,
    payload          TEXT NOT NULL,
    created_ms       INTEGER NOT NULL,
    state            INTEGER NOT NULL DEFAULT 0,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms  INTEGER NOT NULL,
    lease_owner      TEXT,
    lease_until_ms   INTEGER,
    last_status      TEXT NOT NULL DEFAULT '',
    done_ms          INTEGER
);
CREATE INDEX events_pending ON events (company_id, seq) WHERE state = 0;
CREATE INDEX events_by_company ON events (company_id, seq);

CREATE TABLE event_attempts (
    seq          INTEGER NOT NULL REFERENCES events (seq),
    attempt      INTEGER NOT NULL,
    at_ms        INTEGER NOT NULL,
    duration_ms  INTEGER NOT NULL,
    ok           INTEGER NOT NULL,
    outcome      TEXT NOT NULL,
    PRIMARY KEY (seq, attempt)
);
