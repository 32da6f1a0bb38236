-- An event's payload is stored compressed (`event_payload.rs`): bytes, not text. Events
-- already stored keep their JSON, as its UTF-8 bytes, and read back as they were.
ALTER TABLE events ALTER COLUMN payload TYPE BYTEA USING convert_to(payload, 'UTF8');
