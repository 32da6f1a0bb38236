-- A booking's rows no longer check their references with foreign keys on PostgreSQL.
-- Each check there is a query of its own, and it locks the row it finds (FOR KEY SHARE):
-- every booking locked its company's row, its room's and its booker's, so concurrent
-- bookings queued to share those locks (multixacts, written to disk). The checks cost
-- a sixth of PostgreSQL's time a booking (profiled, 16 clients).
--
-- What kept the references sound still does: roomd reads the room and the people of a
-- booking before it goes in (at the directory's version, migration 14), and removal is
-- soft everywhere: no company, room, user or meeting row is ever deleted. The triggers
-- below make that a rule of the database, so a referenced row cannot vanish by hand
-- either. SQLite keeps its foreign keys (checked without locks, by its one writer), so
-- the contract suite still catches a reference roomd failed to check.
ALTER TABLE meetings DROP CONSTRAINT meetings_company_id_fkey;
ALTER TABLE meetings DROP CONSTRAINT meetings_company_id_room_id_fkey;
ALTER TABLE meetings DROP CONSTRAINT meetings_company_id_booker_id_fkey;
ALTER TABLE attendances DROP CONSTRAINT attendances_company_id_meeting_id_fkey;
ALTER TABLE attendances DROP CONSTRAINT attendances_company_id_user_id_fkey;
ALTER TABLE events DROP CONSTRAINT events_company_id_fkey;

CREATE FUNCTION roomd_rows_are_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'roomd never deletes % rows: removal is soft (removed_ms, or a meeting''s state)', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER companies_are_kept BEFORE DELETE OR TRUNCATE ON companies
    FOR EACH STATEMENT EXECUTE FUNCTION roomd_rows_are_kept();
CREATE TRIGGER rooms_are_kept BEFORE DELETE OR TRUNCATE ON rooms
    FOR EACH STATEMENT EXECUTE FUNCTION roomd_rows_are_kept();
CREATE TRIGGER users_are_kept BEFORE DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION roomd_rows_are_kept();
CREATE TRIGGER meetings_are_kept BEFORE DELETE OR TRUNCATE ON meetings
    FOR EACH STATEMENT EXECUTE FUNCTION roomd_rows_are_kept();
