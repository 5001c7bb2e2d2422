-- Violation reports to the Ministry of Interior: the transactional outbox. A tap denied HES_RISK
-- is recorded here before the validator is answered. Repeated taps of one card at one validator
-- within one window are one report with a tap count (one PENDING row per card, validator and
-- window start); the holder's identity and HES code are copied encrypted at recording time.
CREATE TABLE violation_outbox (
    id               uuid        PRIMARY KEY,
    card_no          bigint      NOT NULL,
    validator        text        NOT NULL,
    window_start     timestamptz NOT NULL,
    first_at         timestamptz NOT NULL,
    last_at          timestamptz NOT NULL,
    taps             integer     NOT NULL CHECK (taps >= 1),
    identity_kind    text,
    nationality      char(3),
    identity_enc     bytea,
    hes_code_enc     bytea,
    state            text        NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'DELIVERED', 'DEAD')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    last_error       text
);
CREATE UNIQUE INDEX violation_outbox_pending_key ON violation_outbox (card_no, validator, window_start) WHERE state = 'PENDING';
CREATE INDEX violation_outbox_due_idx ON violation_outbox (next_attempt_at) WHERE state = 'PENDING';
