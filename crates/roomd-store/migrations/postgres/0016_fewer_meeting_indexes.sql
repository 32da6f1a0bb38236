-- Two indexes fewer to write a booking. `meetings_busy` (a room's meetings holding it)
-- and `meetings_started` (a company's, by start) were partial copies of
-- `meetings_by_room` and `meetings_by_begin`. The booking no longer reads them on
-- PostgreSQL (the exclusion constraint checks the overlap, migration 15), and every
-- query that did reads the full index as well: `meetings_by_room` now carries `end_ms`
-- and `active`, so an overlap check still reads the index alone, and the no-show
-- release's few minutes of a company's meetings pass over the cancelled ones.
DROP INDEX meetings_busy;
DROP INDEX meetings_started;
DROP INDEX meetings_by_room;
CREATE INDEX meetings_by_room ON meetings (company_id, room_id, begin_ms) INCLUDE (end_ms, active);
