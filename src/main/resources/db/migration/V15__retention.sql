-- Retention (issue 17): the purge finds what expired by these times, a batch at a time, without
-- reading whole tables.
CREATE INDEX violation_outbox_delivered_idx ON violation_outbox (delivered_at) WHERE state = 'DELIVERED';
CREATE INDEX violation_outbox_dead_idx ON violation_outbox (recorded_at) WHERE state = 'DEAD';
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX agent_actions_at_idx ON agent_actions (at);
CREATE INDEX hes_links_linked_at_idx ON hes_links (linked_at);

-- The purge of HES data once the rule has been lifted (phase OFF for personalized cards longer
-- than personalData.ruleLiftedDays): one row per OFF period, keyed by the switch it followed, so
-- that it runs once per period whatever the nodes and restarts.
CREATE TABLE rule_lifted_purges (
    phase_changed_at  timestamptz PRIMARY KEY,
    started_at        timestamptz NOT NULL DEFAULT now(),
    finished_at       timestamptz,
    hes_links         bigint      NOT NULL DEFAULT 0,
    person_risk       bigint      NOT NULL DEFAULT 0
);

-- Erasure on request (issue 17): a report still to be delivered keeps what the Ministry of
-- Interior must receive, and loses it once delivered.
ALTER TABLE violation_outbox ADD COLUMN erase_after_delivery boolean NOT NULL DEFAULT false;
