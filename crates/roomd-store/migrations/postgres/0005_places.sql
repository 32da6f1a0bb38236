-- Places: regions (1 country, 2 district) and buildings with their floors (a JSON list
-- of names). rooms.building_id and rooms.floor_name already exist.

CREATE TABLE regions (
    company_id  TEXT NOT NULL REFERENCES companies (id),
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    kind        BIGINT NOT NULL,
    parent_id   TEXT,
    created_ms  BIGINT NOT NULL,
    updated_ms  BIGINT NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, parent_id) REFERENCES regions (company_id, id)
);
CREATE INDEX regions_by_parent ON regions (company_id, parent_id);

CREATE TABLE buildings (
    company_id   TEXT NOT NULL REFERENCES companies (id),
    id           TEXT NOT NULL,
    name         TEXT NOT NULL,
    country_id   TEXT,
    district_id  TEXT,
    floors       TEXT NOT NULL,
    address      TEXT NOT NULL,
    memo         TEXT NOT NULL,
    created_ms   BIGINT NOT NULL,
    updated_ms   BIGINT NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, country_id) REFERENCES regions (company_id, id),
    FOREIGN KEY (company_id, district_id) REFERENCES regions (company_id, id)
);
CREATE INDEX buildings_by_country ON buildings (company_id, country_id);
CREATE INDEX buildings_by_district ON buildings (company_id, district_id);
CREATE INDEX rooms_by_building ON rooms (company_id, building_id, floor_name);
