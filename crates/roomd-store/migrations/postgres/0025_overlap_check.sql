-- The database's refusal of a double booking, as a check under the room's lock in place
-- of the GiST exclusion constraint (migration 12). The constraint cost about 36 µs a row,
-- most of a weekly series' booking; this check, one statement's rows at a time, costs
-- about what it costs for one row and nearly nothing more for 52 (docs/performance.md,
-- session 18).
--
-- After every statement that inserts or updates meetings, each room it leaves held is
-- locked (the lock roomd's own bookings take first, `slot_sql.rs`, rooms in one order),
-- and the statement's meetings are then checked against the room's others with a fresh
-- snapshot: a booking committed while this one waited for the lock is seen, however the
-- rows were written (roomd, a bulk import, psql). A later snapshot is what READ
-- COMMITTED gives each statement of a function; a transaction that keeps one snapshot
-- (REPEATABLE READ, SERIALIZABLE) would not see it, so such a transaction may not
-- write meetings (roomd's connections are READ COMMITTED).
--
-- The check reads the room's meetings that begin up to 26 hours before each one: a
-- meeting lies within one local day, at most 25 hours (a day the clocks go back), and
-- the database holds it to 26 hours (NOT VALID: rows stored before are not re-read).
ALTER TABLE meetings DROP CONSTRAINT meetings_no_overlap;
ALTER TABLE meetings ADD CONSTRAINT meetings_fit_in_a_day CHECK (end_ms - begin_ms <= 93600000) NOT VALID;

CREATE FUNCTION meetings_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'meetings are written in READ COMMITTED transactions only'
            USING ERRCODE = 'invalid_transaction_state',
                  HINT = 'the overlap check must see every booking committed while it waited';
    END IF;
    PERFORM pg_advisory_xact_lock(7, hashtext(length(r.company_id)::text || ':' || r.company_id || r.room_id))
        FROM (SELECT DISTINCT company_id, room_id FROM changed WHERE active = 1 ORDER BY 1, 2) r;
    -- A probe of the room's index a meeting written (`LIMIT 1` keeps it one: the planner,
    -- which takes the statement's rows for two, would otherwise hash them and read every
    -- meeting of a small table, 110 ms for a daily series of 365 among 2,920 meetings).
    IF EXISTS (
        SELECT 1 FROM changed n CROSS JOIN LATERAL (
            SELECT 1 FROM meetings m
             WHERE m.company_id = n.company_id AND m.room_id = n.room_id
               AND m.begin_ms > n.begin_ms - 93600000 AND m.begin_ms < n.end_ms AND m.end_ms > n.begin_ms
               AND m.active = 1 AND m.id <> n.id
             LIMIT 1
        ) o
         WHERE n.active = 1
    ) THEN
        RAISE EXCEPTION 'a meeting overlaps another of its room'
            USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'meetings_no_overlap';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER meetings_no_overlap_insert AFTER INSERT ON meetings
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION meetings_no_overlap();
CREATE TRIGGER meetings_no_overlap_update AFTER UPDATE ON meetings
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION meetings_no_overlap();
