-- Scheduling (docs/wire-compat.md, "Time zones" and "Series"): a company's language, a
-- building's zone ('' = the company's), the zone a room's hours are in (its building's,
-- else its company's; kept by the store when any of them changes), and on each meeting
-- its room's zone, its series and rule ('' for a single meeting) and the reason given
-- when it was cancelled or rejected.
ALTER TABLE companies ADD COLUMN language TEXT NOT NULL DEFAULT 'zh_cn';
ALTER TABLE buildings ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE rooms ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
UPDATE rooms SET time_zone = (SELECT c.time_zone FROM companies c WHERE c.id = rooms.company_id);
ALTER TABLE meetings ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN series_id TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN recurrence TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN reason TEXT NOT NULL DEFAULT '';
UPDATE meetings SET time_zone = (SELECT c.time_zone FROM companies c WHERE c.id = meetings.company_id);
CREATE INDEX meetings_by_series ON meetings (company_id, series_id) WHERE series_id <> '';
