-- roomd schema, PostgreSQL dialect. Keep in step with ../sqlite/0001_init.sql (same
-- version numbers; a test checks). Times are epoch milliseconds (UTC), flags 0/1.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE companies (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    time_zone   TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    created_ms  BIGINT NOT NULL
);

CREATE TABLE apps (
    appkey       TEXT PRIMARY KEY,
    company_id   TEXT NOT NULL REFERENCES companies (id),
    secret_hash  TEXT NOT NULL,
    created_ms   BIGINT NOT NULL,
    revoked_ms   BIGINT
);

CREATE TABLE access_tokens (
    token_hash  TEXT PRIMARY KEY,
    appkey      TEXT NOT NULL REFERENCES apps (appkey),
    company_id  TEXT NOT NULL REFERENCES companies (id),
    nonce       TEXT NOT NULL,
    issued_ms   BIGINT NOT NULL,
    expires_ms  BIGINT NOT NULL
);
CREATE INDEX access_tokens_by_app ON access_tokens (appkey, expires_ms);

CREATE TABLE departments (
    company_id  TEXT NOT NULL REFERENCES companies (id),
    id          TEXT NOT NULL,
    name        TEXT NOT NULL,
    parent_id   TEXT,
    created_ms  BIGINT NOT NULL,
    updated_ms  BIGINT NOT NULL,
    removed_ms  BIGINT,
    PRIMARY KEY (company_id, id)
);
CREATE INDEX departments_by_parent ON departments (company_id, parent_id);

CREATE TABLE users (
    company_id     TEXT NOT NULL REFERENCES companies (id),
    id             TEXT NOT NULL,
    name           TEXT NOT NULL,
    account        TEXT NOT NULL,
    password_hash  TEXT,
    phone          TEXT NOT NULL,
    position       TEXT NOT NULL,
    email          TEXT NOT NULL,
    memo           TEXT NOT NULL,
    department_id  TEXT,
    is_admin       BIGINT NOT NULL,
    enabled        BIGINT NOT NULL,
    face_file      TEXT,
    created_ms     BIGINT NOT NULL,
    updated_ms     BIGINT NOT NULL,
    removed_ms     BIGINT,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, department_id) REFERENCES departments (company_id, id)
);
CREATE UNIQUE INDEX users_account ON users (company_id, account) WHERE removed_ms IS NULL;
CREATE UNIQUE INDEX users_phone ON users (company_id, phone) WHERE removed_ms IS NULL AND phone <> '';
CREATE UNIQUE INDEX users_email ON users (company_id, email) WHERE removed_ms IS NULL AND email <> '';
CREATE INDEX users_by_department ON users (company_id, department_id);

CREATE TABLE rooms (
    company_id     TEXT NOT NULL REFERENCES companies (id),
    id             TEXT NOT NULL,
    name           TEXT NOT NULL,
    department_id  TEXT,
    address        TEXT NOT NULL,
    memo           TEXT NOT NULL,
    opens_min      BIGINT NOT NULL,
    closes_min     BIGINT NOT NULL,
    capacity       BIGINT NOT NULL,
    size           BIGINT NOT NULL,
    longitude      DOUBLE PRECISION NOT NULL,
    latitude       DOUBLE PRECISION NOT NULL,
    radius         BIGINT NOT NULL,
    enabled        BIGINT NOT NULL,
    need_audit     BIGINT NOT NULL,
    restricted     BIGINT NOT NULL,
    scene_image    TEXT NOT NULL,
    building_id    TEXT,
    floor_name     TEXT NOT NULL,
    created_ms     BIGINT NOT NULL,
    updated_ms     BIGINT NOT NULL,
    removed_ms     BIGINT,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, department_id) REFERENCES departments (company_id, id)
);
CREATE INDEX rooms_by_department ON rooms (company_id, department_id);

CREATE TABLE room_users (
    company_id  TEXT NOT NULL,
    room_id     TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    position    BIGINT NOT NULL,
    PRIMARY KEY (company_id, room_id, user_id),
    FOREIGN KEY (company_id, room_id) REFERENCES rooms (company_id, id),
    FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);

CREATE TABLE meetings (
    company_id      TEXT NOT NULL REFERENCES companies (id),
    id              TEXT NOT NULL,
    room_id         TEXT NOT NULL,
    speaker         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    begin_ms        BIGINT NOT NULL,
    end_ms          BIGINT NOT NULL,
    planned_end_ms  BIGINT NOT NULL,
    address         TEXT NOT NULL,
    memo            TEXT NOT NULL,
    booker_id       TEXT NOT NULL,
    checked_state   BIGINT NOT NULL,
    checked_ms      BIGINT,
    cancelled_ms    BIGINT,
    finished_ms     BIGINT,
    -- 1 while the meeting holds its room: neither cancelled nor rejected.
    active          BIGINT NOT NULL,
    created_ms      BIGINT NOT NULL,
    updated_ms      BIGINT NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, room_id) REFERENCES rooms (company_id, id),
    FOREIGN KEY (company_id, booker_id) REFERENCES users (company_id, id),
    CHECK (end_ms > begin_ms),
    -- The database itself refuses a double booking, whatever the processes in front do.
    CONSTRAINT meetings_no_overlap EXCLUDE USING gist (
        company_id WITH =, room_id WITH =, int8range(begin_ms, end_ms) WITH &&
    ) WHERE (active = 1)
);
CREATE INDEX meetings_by_room ON meetings (company_id, room_id, begin_ms);
CREATE INDEX meetings_by_begin ON meetings (company_id, begin_ms);

CREATE TABLE attendances (
    company_id    TEXT NOT NULL,
    id            TEXT NOT NULL,
    meeting_id    TEXT NOT NULL,
    position      BIGINT NOT NULL,
    user_id       TEXT,
    name          TEXT NOT NULL,
    phone         TEXT NOT NULL,
    email         TEXT NOT NULL,
    face_file     TEXT,
    face_url      TEXT NOT NULL,
    sign_type     BIGINT,
    sign_ms       BIGINT,
    sign_img_url  TEXT NOT NULL,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, meeting_id) REFERENCES meetings (company_id, id),
    FOREIGN KEY (company_id, user_id) REFERENCES users (company_id, id)
);
CREATE INDEX attendances_by_meeting ON attendances (company_id, meeting_id, position);
CREATE INDEX attendances_by_user ON attendances (company_id, user_id);

CREATE TABLE blobs (
    company_id    TEXT NOT NULL REFERENCES companies (id),
    file          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    created_ms    BIGINT NOT NULL,
    PRIMARY KEY (company_id, file)
);
