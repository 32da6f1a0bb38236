-- Deployment codes for check-in boards and room devices, scoped to a node of the place
-- tree, and the room configuration set on each node (NULL: not set here, inherited).

-- kind: 1 check-in board, 2 room device. scope_key names the node (`tenant`,
-- `building:ID`, `floor:ID:F2`, …); the code is unique among all codes, live or not.
CREATE TABLE access_codes (
    code         TEXT PRIMARY KEY,
    company_id   TEXT NOT NULL REFERENCES companies (id),
    kind         INTEGER NOT NULL,
    scope        INTEGER NOT NULL,
    scope_key    TEXT NOT NULL,
    country_id   TEXT,
    district_id  TEXT,
    building_id  TEXT,
    floor_name   TEXT,
    room_id      TEXT,
    created_by   TEXT NOT NULL,
    created_ms   INTEGER NOT NULL,
    expires_ms   INTEGER NOT NULL
);
CREATE INDEX access_codes_by_company ON access_codes (company_id, created_ms);

CREATE TABLE room_configs (
    company_id          TEXT NOT NULL REFERENCES companies (id),
    scope_key           TEXT NOT NULL,
    room_background     TEXT,
    display_background  TEXT,
    room_box_digital_signage  TEXT,
    digital_signage     TEXT,
    room_status         TEXT,
    updated_ms          INTEGER NOT NULL,
    PRIMARY KEY (company_id, scope_key)
);
