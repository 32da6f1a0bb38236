-- The counter a company's events locked to be numbered in commit order (until session
-- 10; the delivery side's horizon replaced it on PostgreSQL, and SQLite never needed it).
ALTER TABLE event_subscriptions DROP COLUMN emitted;
