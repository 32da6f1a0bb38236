-- The free-room search finds the rooms held over a range from the meetings that begin
-- in it, without reading a room at a time: `meetings_by_begin` carries what it needs.
-- Meetings fit in a day, but reading a day of a company's meetings before each search
-- is most of them; `meetings_long` lists the active ones longer than an hour, so that
-- the search reads an hour back in `meetings_by_begin` and a day back only here
-- (`calendar/free_rooms.rs`, whose `SHORT_MS` is this hour).
DROP INDEX meetings_by_begin;
CREATE INDEX meetings_by_begin ON meetings (company_id, begin_ms) INCLUDE (end_ms, room_id, active);
CREATE INDEX meetings_long ON meetings (company_id, begin_ms) INCLUDE (end_ms, room_id)
    WHERE active = 1 AND end_ms - begin_ms > 3600000;
