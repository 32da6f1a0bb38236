-- The overlap check reads only meetings that hold their room (active = 1). Without this
-- index PostgreSQL's generic plan picks the exclusion constraint's GiST index and filters
-- a room's whole history on every booking.
CREATE INDEX meetings_busy ON meetings (company_id, room_id, begin_ms) WHERE active = 1;
