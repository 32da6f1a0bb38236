-- No-show release: a check-in window per company (room_id '') and per room (an
-- override); a meeting nobody checked in to by begin + window is released, with a reason.

CREATE TABLE checkin_settings (
    company_id      TEXT NOT NULL REFERENCES companies (id),
    room_id         TEXT NOT NULL,
    window_minutes  BIGINT NOT NULL,
    updated_ms      BIGINT NOT NULL,
    PRIMARY KEY (company_id, room_id)
);

ALTER TABLE meetings ADD COLUMN release_reason TEXT;
CREATE INDEX meetings_started ON meetings (company_id, begin_ms) WHERE active = 1;
