-- Citizen API (issue 3): personalization, HES code management, consents and the audit trail.

-- A card's kind is derived from its owner by CardStatusSql.RECOMPUTE, in the transaction that
-- sets the owner. V1's two-way check ((kind = 'PERSONALIZED') = (owner_id IS NOT NULL)) forced a
-- feature to write kind itself when it sets owner_id, so RECOMPUTE saw no change and logged
-- none: the maps would never learn that the card was personalized. Keep the direction that
-- matters (a card that rides as personalized has an owner); a card whose owner was just set is
-- ANONYMOUS (fail closed: denied) until the recompute of the same transaction. V1's check
-- implies this one, so existing rows are valid.
ALTER TABLE cards DROP CONSTRAINT cards_check;
ALTER TABLE cards ADD CONSTRAINT cards_personalized_has_owner
    CHECK (kind = 'ANONYMOUS' OR owner_id IS NOT NULL) NOT VALID;
ALTER TABLE cards VALIDATE CONSTRAINT cards_personalized_has_owner;

-- Personalization verifies the phone with a challenge code sent to it; the latest submitted
-- contact data replaces the owner's (see CitizenRepository).
ALTER TABLE owners
    ADD COLUMN phone_verified_at timestamptz,
    ADD COLUMN updated_at        timestamptz;

-- Explicit consents given at personalization (KVKK notice, HES data sharing), per version of the
-- text the person accepted; the first acceptance of a version is kept.
CREATE TABLE consents (
    owner_id  bigint NOT NULL REFERENCES owners,
    kind      text   NOT NULL CHECK (kind IN ('KVKK_NOTICE', 'HES_DATA_SHARING')),
    version   text   NOT NULL CHECK (version ~ '^[A-Za-z0-9._-]{1,32}$'),
    given_at  timestamptz NOT NULL DEFAULT now(),
    card_no   bigint NOT NULL,
    PRIMARY KEY (owner_id, kind, version)
);

-- Who changed what, for KVKK requests and disputes. No personal data in clear: the actor is the
-- keyed identity hash (the same as owners.identity_hash; NULL for the system, e.g. a ministry
-- re-check), the detail holds HES code prefixes and statuses only. No foreign key: the trail
-- outlives the rows it describes.
CREATE TABLE audit_log (
    id          bigserial   PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_hash  bytea       CHECK (octet_length(actor_hash) = 32),
    action      text        NOT NULL CHECK (action ~ '^[A-Z_]{1,32}$'),
    card_no     bigint,
    detail      jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_card_idx ON audit_log (card_no, at) WHERE card_no IS NOT NULL;
CREATE INDEX audit_log_actor_idx ON audit_log (actor_hash, at) WHERE actor_hash IS NOT NULL;
