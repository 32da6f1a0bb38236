-- Check-in boards activated with a deployment code: the code's scope (copied), the room
-- the board is bound to, and the hash of its device token.

CREATE TABLE devices (
    company_id     TEXT NOT NULL REFERENCES companies (id),
    id             TEXT NOT NULL,
    name           TEXT NOT NULL,
    token_hash     TEXT NOT NULL UNIQUE,
    -- Signs the board's rotating check-in QR codes.
    qr_secret      TEXT NOT NULL,
    access_code    TEXT NOT NULL REFERENCES access_codes (code),
    kind           BIGINT NOT NULL,
    scope          BIGINT NOT NULL,
    country_id     TEXT,
    district_id    TEXT,
    building_id    TEXT,
    floor_name     TEXT,
    room_id        TEXT,
    bound_room_id  TEXT,
    created_ms     BIGINT NOT NULL,
    last_seen_ms   BIGINT NOT NULL,
    revoked_ms     BIGINT,
    PRIMARY KEY (company_id, id)
);
CREATE INDEX devices_by_room ON devices (company_id, bound_room_id);
