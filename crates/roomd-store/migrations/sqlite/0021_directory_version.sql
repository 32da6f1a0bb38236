-- The directory's version, as on PostgreSQL (migration 14 there): one number that
-- moves, in the same transaction, with every write to rooms, their permitted users and
-- users, whoever makes it (this process, another one, an operator by hand). The
-- free-room search keeps a company's rooms in memory at the version it read them at,
-- and uses them only while a read in its own transaction finds that version
-- (`directory_cache.rs`). The writer's epoch (`writer.rs`) sees other processes'
-- commits only at its next batch; a read transaction sees this at once. A random
-- version a change, as there: a file restored from a backup does not come back to a
-- version kept with other rows behind it.
CREATE TABLE roomd_directory (version INTEGER NOT NULL);
INSERT INTO roomd_directory (version) VALUES (random());
CREATE TRIGGER rooms_insert_directory AFTER INSERT ON rooms BEGIN UPDATE roomd_directory SET version = random(); END;
CREATE TRIGGER rooms_update_directory AFTER UPDATE ON rooms BEGIN UPDATE roomd_directory SET version = random(); END;
CREATE TRIGGER rooms_delete_directory AFTER DELETE ON rooms BEGIN UPDATE roomd_directory SET version = random(); END;
CREATE TRIGGER room_users_insert_directory AFTER INSERT ON room_users
    BEGIN UPDATE roomd_directory SET version = random(); END;
CREATE TRIGGER room_users_update_directory AFTER UPDATE ON room_users
    BEGIN UPDATE roomd_directory SET version = random(); END;
CREATE TRIGGER room_users_delete_directory AFTER DELETE ON room_users
    BEGIN UPDATE roomd_directory SET version = random(); END;
CREATE TRIGGER users_insert_directory AFTER INSERT ON users BEGIN UPDATE roomd_directory SET version = random(); END;
CREATE TRIGGER users_update_directory AFTER UPDATE ON users BEGIN UPDATE roomd_directory SET version = random(); END;
CREATE TRIGGER users_delete_directory AFTER DELETE ON users BEGIN UPDATE roomd_directory SET version = random(); END;
