-- The overlap check reads a room's active meetings that begin within a day before the
-- new one ends, and keeps those that end after it begins: with `end_ms` in the index the
-- check can skip the table row of each meeting it passes (an index-only scan where the
-- visibility map allows). The exclusion constraint stays the guard.
DROP INDEX meetings_busy;
CREATE INDEX meetings_busy ON meetings (company_id, room_id, begin_ms) INCLUDE (end_ms) WHERE active = 1;
