-- A person's booked meetings in the order they were booked, not by start: `mine()` reads
-- all of a booker's meetings and never a range of starts, and a series now lands in one
-- place of the index. Ordered by start, a weekly series of 52 wrote 52 leaves of it, as
-- many as the rest of the booking together (docs/performance.md, session 18).
DROP INDEX meetings_by_booker;
CREATE INDEX meetings_by_booker ON meetings (company_id, booker_id);
