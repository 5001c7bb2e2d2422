-- Key rotation (issue 17). A sealed value names its key in its first byte; a keyed hash does not,
-- so every hash column gets the id of the key it was made under. Rows before this migration were
-- all made under key 1, the only key there was (a constant default: no table rewrite).
ALTER TABLE owners ADD COLUMN identity_hash_key smallint NOT NULL DEFAULT 1 CHECK (identity_hash_key BETWEEN 1 AND 255);
ALTER TABLE hes_links ADD COLUMN hes_code_hash_key smallint NOT NULL DEFAULT 1 CHECK (hes_code_hash_key BETWEEN 1 AND 255);
ALTER TABLE audit_log ADD COLUMN actor_hash_key smallint NOT NULL DEFAULT 1 CHECK (actor_hash_key BETWEEN 1 AND 255);
ALTER TABLE agent_actions ADD COLUMN holder_hash_key smallint NOT NULL DEFAULT 1 CHECK (holder_hash_key BETWEEN 1 AND 255);

-- A risk can be held for a person without a card (no owner row), and a contact for a person who
-- holds an anonymous card: to find them again under a new hash key, their normalized identity is
-- kept sealed beside the hash (NULL in rows written before this migration: those the rotation
-- job reports as unrecoverable unless the person is an owner).
ALTER TABLE person_risk
    ADD COLUMN identity_hash_key smallint NOT NULL DEFAULT 1 CHECK (identity_hash_key BETWEEN 1 AND 255),
    ADD COLUMN identity_enc bytea;
ALTER TABLE campaign_contacts
    ADD COLUMN holder_hash_key smallint NOT NULL DEFAULT 1 CHECK (holder_hash_key BETWEEN 1 AND 255),
    ADD COLUMN holder_enc bytea,
    ADD COLUMN address_hash_key smallint NOT NULL DEFAULT 1 CHECK (address_hash_key BETWEEN 1 AND 255);

-- A person's rows are moved to a new hash key together (KeyRotationSql.REKEY_PEOPLE): by hash.
CREATE INDEX agent_actions_holder_idx ON agent_actions (holder_hash) WHERE holder_hash IS NOT NULL;
CREATE INDEX campaign_contacts_holder_idx ON campaign_contacts (holder_hash);

-- Where the key rotation job stands, per kind of record: the keys it moves records to, its
-- position in the current pass (resumable after any stop), what it did, and what the last full
-- count found under each key id ({"encryption": {"1": n}, "hash": {"1": n}}).
CREATE TABLE key_rotation (
    record_kind        text        PRIMARY KEY,
    encryption_key_id  smallint    NOT NULL,
    hash_key_id        smallint    NOT NULL,
    pass               integer     NOT NULL DEFAULT 1,
    after_key          text        NOT NULL DEFAULT '',
    pass_moved         bigint      NOT NULL DEFAULT 0,
    moved              bigint      NOT NULL DEFAULT 0,
    unrecoverable      bigint      NOT NULL DEFAULT 0,
    conflicts          bigint      NOT NULL DEFAULT 0,
    pass_started_at    timestamptz NOT NULL DEFAULT now(),
    pass_finished_at   timestamptz,
    clean_since        timestamptz,
    counted            jsonb       NOT NULL DEFAULT '{}',
    updated_at         timestamptz NOT NULL DEFAULT now()
);
