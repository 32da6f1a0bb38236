-- Fewer indexes to write a meeting, and one the free-room search reads alone.
-- `meetings_busy` was a partial copy of `meetings_by_room`, and `meetings_started` of
-- `meetings_by_begin`: each meeting went into four indexes ordered by time, and a
-- weekly series lands on a different page of each of them an occurrence (52 pages an
-- index to write at its commit). Now two, as on PostgreSQL (migration 16 there): each
-- carries `end_ms` and `active`, so the overlap check and the no-show release still
-- read the index alone, and they pass over the few cancelled meetings.
--
-- `meetings_by_begin` also carries `room_id`: the free-room search finds the rooms held
-- over a range from the meetings that begin in it, without reading a room at a time.
-- Meetings fit in a day, but reading a day of a company's meetings before each search
-- is most of them; `meetings_long` lists the active ones longer than an hour, so that
-- the search reads an hour back in `meetings_by_begin` and a day back only here
-- (`calendar/free_rooms.rs`, whose `SHORT_MS` is this hour).
DROP INDEX meetings_busy;
DROP INDEX meetings_by_room;
CREATE INDEX meetings_by_room ON meetings (company_id, room_id, begin_ms, end_ms, active);
DROP INDEX meetings_started;
DROP INDEX meetings_by_begin;
CREATE INDEX meetings_by_begin ON meetings (company_id, begin_ms, end_ms, room_id, active);
CREATE INDEX meetings_long ON meetings (company_id, begin_ms, end_ms, room_id, active)
    WHERE active = 1 AND end_ms - begin_ms > 3600000;
