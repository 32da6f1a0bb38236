-- An event's payload is stored compressed (`event_payload.rs`): a BLOB from now on. SQLite
-- keeps a BLOB in a column declared TEXT as it is, and events already stored keep their
-- JSON text and read back as they were, so the table stays as it is.
SELECT 1;
