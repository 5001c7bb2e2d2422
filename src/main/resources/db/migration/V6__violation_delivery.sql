-- Delivery of violation reports: a report leaves PENDING (where taps are still added to it) the
-- first time it is claimed, and stays SENDING (with its next attempt time, which also serves as
-- the claim's lease) until the Ministry of Interior accepts its id (DELIVERED) or it is given up
-- (DEAD). Taps after the first claim start a new report, so an id is never re-keyed.
ALTER TABLE violation_outbox DROP CONSTRAINT violation_outbox_state_check;
ALTER TABLE violation_outbox ADD CONSTRAINT violation_outbox_state_check
    CHECK (state IN ('PENDING', 'SENDING', 'DELIVERED', 'DEAD'));
DROP INDEX violation_outbox_due_idx;
CREATE INDEX violation_outbox_due_idx ON violation_outbox (next_attempt_at) WHERE state IN ('PENDING', 'SENDING');
