-- The overlap check reads a room's active meetings that begin within a day before the
-- new one ends, and keeps those that end after it begins. With `end_ms` (and `active`,
-- which SQLite does not take from the index's WHERE) in the index, the check reads the
-- index alone: before, each meeting it passed cost a lookup of the table row, about a
-- quarter of a booking's time on the writer (measured in session 6).
DROP INDEX meetings_busy;
CREATE INDEX meetings_busy ON meetings (company_id, room_id, begin_ms, end_ms, active) WHERE active = 1;
