-- PostgreSQL only (its overlap check moves from an exclusion constraint to a trigger).
-- SQLite's one writer checks a booking and inserts it in one transaction.
SELECT 1;
