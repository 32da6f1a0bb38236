-- A person's meetings (`meeting/list userId`, their calendar feed, the employees' app)
-- are read from their attendances (`attendances_by_user`) and from the meetings they
-- booked, here: a person's few meetings, not every meeting of the company in the window.
CREATE INDEX meetings_by_booker ON meetings (company_id, booker_id, begin_ms);
