-- Foundation schema: cards, their owners, HES links, person risk and the card status change log.
-- PostgreSQL is the system of record; the node's Chronicle Map is a cache rebuilt from `cards`.

CREATE TYPE card_kind AS ENUM ('ANONYMOUS', 'PERSONALIZED');

-- A person who personalized at least one card. Identity numbers, names and phone are personal data
-- (KVKK): stored encrypted (AES-256-GCM, key id + nonce + ciphertext + tag) and found by keyed
-- hash (HMAC-SHA256 over the normalized identity). The keys live in configuration, never here.
CREATE TABLE owners (
    owner_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    identity_hash   bytea    NOT NULL UNIQUE CHECK (octet_length(identity_hash) = 32),
    identity_kind   text     NOT NULL CHECK (identity_kind IN ('TCKN', 'PASSPORT')),
    identity_enc    bytea    NOT NULL,
    nationality     char(3)  CHECK (nationality ~ '^[A-Z]{3}$'),
    first_name_enc  bytea    NOT NULL,
    last_name_enc   bytea    NOT NULL,
    phone_enc       bytea,
    birth_year      smallint CHECK (birth_year BETWEEN 1900 AND 2100),
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((identity_kind = 'PASSPORT') = (nationality IS NOT NULL))
);

-- Every Istanbulkart, with the inputs of the tap decision kept beside it. Those inputs (kind,
-- blocked, hes_linked, hes_expires_on, risky) are derived from owners, card_blocks, hes_links
-- and person_risk by the card status store, in the same transaction as the change that moved
-- them, and each such change gets a new status_version and a row in card_status_log.
CREATE TABLE cards (
    card_no         bigint    PRIMARY KEY CHECK (card_no BETWEEN 0 AND 9999999999999999),
    owner_id        bigint    REFERENCES owners,
    kind            card_kind NOT NULL DEFAULT 'ANONYMOUS',
    blocked         boolean   NOT NULL DEFAULT false,
    hes_linked      boolean   NOT NULL DEFAULT false,
    hes_expires_on  date,
    risky           boolean   NOT NULL DEFAULT false,
    status_version  bigint    NOT NULL DEFAULT 0,
    CHECK ((kind = 'PERSONALIZED') = (owner_id IS NOT NULL)),
    CHECK (hes_linked OR hes_expires_on IS NULL)
);
CREATE INDEX cards_owner_idx ON cards (owner_id) WHERE owner_id IS NOT NULL;

-- Operator blocks (lost, stolen, fraud): the source of cards.blocked.
CREATE TABLE card_blocks (
    card_no     bigint PRIMARY KEY REFERENCES cards,
    reason      text   NOT NULL CHECK (reason ~ '^[A-Z_]{1,32}$'),
    blocked_at  timestamptz NOT NULL DEFAULT now(),
    blocked_by  text   NOT NULL
);

-- The HES code linked to a card: one per card (primary key), one card per code (unique hash).
-- The code is personal data: encrypted, found by keyed hash, shown masked from its first 4.
CREATE TABLE hes_links (
    card_no          bigint  PRIMARY KEY REFERENCES cards,
    hes_code_hash    bytea   NOT NULL UNIQUE CHECK (octet_length(hes_code_hash) = 32),
    hes_code_enc     bytea   NOT NULL,
    hes_code_prefix  char(4) NOT NULL,
    expires_on       date    NOT NULL,
    ministry_status  text    NOT NULL CHECK (ministry_status IN ('RISKY', 'RISKLESS')),
    linked_at        timestamptz NOT NULL DEFAULT now(),
    checked_at       timestamptz NOT NULL DEFAULT now()
);

-- Risk of a person as the Ministry of Health last said it, keyed by identity hash so that people
-- without a card yet are remembered and suspended the moment they link one.
CREATE TABLE person_risk (
    identity_hash  bytea   PRIMARY KEY CHECK (octet_length(identity_hash) = 32),
    risky          boolean NOT NULL,
    changed_at     timestamptz NOT NULL DEFAULT now(),
    source         text    NOT NULL
);

-- Every change of a card's decision inputs, in version order. version comes from one sequence,
-- so it is unique and increasing in allocation order; txid lets readers that follow the log
-- (map catch-up, fan-out, hotlist) also pick up transactions that committed out of order.
CREATE SEQUENCE card_status_version_seq;

CREATE TABLE card_status_log (
    version         bigint    PRIMARY KEY,
    card_no         bigint    NOT NULL,
    kind            card_kind NOT NULL,
    blocked         boolean   NOT NULL,
    hes_linked      boolean   NOT NULL,
    hes_expires_on  date,
    risky           boolean   NOT NULL,
    cause           text      NOT NULL,
    txid            xid8      NOT NULL DEFAULT pg_current_xact_id(),
    changed_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX card_status_log_card_idx ON card_status_log (card_no, version);
CREATE INDEX card_status_log_txid_idx ON card_status_log (txid);
