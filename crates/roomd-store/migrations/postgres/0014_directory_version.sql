-- The directory's version: one number that moves, in the same transaction, with every
-- statement that writes the rows a booking reads before it inserts (rooms, their
-- permitted users, users). A booking can then use rooms and users it read earlier (kept
-- in memory) in one statement that goes in only while the version is still the one they
-- were read at. Triggers move it, so a write by any process or by hand counts too.
-- `BEFORE` each statement: the version's row is locked before the statement's own rows,
-- so two writers of the directory queue on it instead of deadlocking. Each change draws
-- a random version instead of adding one: a database restored from a backup, or a
-- replica promoted while behind, does not come back to a version a process has kept
-- with other rows behind it.
CREATE TABLE roomd_directory (version BIGINT NOT NULL);
INSERT INTO roomd_directory (version) VALUES (floor(random() * 9.0e18)::bigint);

CREATE FUNCTION roomd_directory_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE roomd_directory SET version = floor(random() * 9.0e18)::bigint;
    RETURN NULL;
END
$$;

CREATE TRIGGER rooms_change_directory BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON rooms
    FOR EACH STATEMENT EXECUTE FUNCTION roomd_directory_changed();
CREATE TRIGGER room_users_change_directory BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON room_users
    FOR EACH STATEMENT EXECUTE FUNCTION roomd_directory_changed();
CREATE TRIGGER users_change_directory BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION roomd_directory_changed();
