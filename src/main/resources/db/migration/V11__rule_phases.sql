-- The HES rule's phase for each kind of card, switched by operators at runtime (ENFORCE, MONITOR:
-- allowed but counted as the rule would deny, OFF: the rule lifted). No row: the configuration's
-- initial value (personalized ENFORCE; anonymous from tap.anonymousPolicy).
CREATE TABLE rule_phases (
    card_kind   card_kind   PRIMARY KEY,
    mode        text        NOT NULL CHECK (mode IN ('ENFORCE', 'MONITOR', 'OFF')),
    changed_at  timestamptz NOT NULL DEFAULT now(),
    changed_by  text        NOT NULL,
    why         text        NOT NULL
);

-- Every switch, for the audit: who, when, why, from what.
CREATE TABLE rule_phase_changes (
    id             bigserial   PRIMARY KEY,
    card_kind      card_kind   NOT NULL,
    mode           text        NOT NULL,
    previous_mode  text        NOT NULL,
    changed_at     timestamptz NOT NULL DEFAULT now(),
    changed_by     text        NOT NULL,
    why            text        NOT NULL
);
