-- Each company's delivery cursor: delivery is in commit order, one event at a time, so
-- every event of a company up to done_seq is delivered or given up, and its next event
-- is the first one after. This replaces the partial index of pending events, which cost
-- every change one more index page to write.
ALTER TABLE event_subscriptions ADD COLUMN done_seq INTEGER NOT NULL DEFAULT 0;
UPDATE event_subscriptions SET done_seq = COALESCE(
    (SELECT MIN(seq) - 1 FROM events e WHERE e.company_id = event_subscriptions.company_id AND e.state = 0),
    (SELECT MAX(seq) FROM events e WHERE e.company_id = event_subscriptions.company_id),
    0);
DROP INDEX events_pending;

-- A replay is a new event at the end of the company's line, a copy of the one replayed.
ALTER TABLE events ADD COLUMN replay_of INTEGER;
