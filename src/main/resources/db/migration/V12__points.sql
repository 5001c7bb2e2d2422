-- Sales and top-up points (issue 15): agents of the municipality's staff identity provider act for
-- a holder who is present, after a code sent to the holder's phone was read out.

-- Agents and points an operator disabled (or enabled again): checked on every request of the
-- points' listener, so a switch takes effect on every node at once, without a restart. No row:
-- enabled.
CREATE TABLE point_access (
    kind        text        NOT NULL CHECK (kind IN ('AGENT', 'POINT')),
    staff_id    text        NOT NULL CHECK (staff_id ~ '^[A-Za-z0-9._-]{1,64}$'),
    enabled     boolean     NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    changed_by  text        NOT NULL,
    why         text        NOT NULL,
    PRIMARY KEY (kind, staff_id)
);

-- Every switch, for the audit.
CREATE TABLE point_access_changes (
    id          bigserial   PRIMARY KEY,
    kind        text        NOT NULL,
    staff_id    text        NOT NULL,
    enabled     boolean     NOT NULL,
    changed_at  timestamptz NOT NULL DEFAULT now(),
    changed_by  text        NOT NULL,
    why         text        NOT NULL
);

-- Every request an authenticated agent made: who, where, what, on which card, with what result.
-- No personal data in clear: the holder is the keyed identity hash (owners.identity_hash), the
-- result a status and a problem code (or OK). No foreign key: the trail outlives the cards.
CREATE TABLE agent_actions (
    id           bigserial   PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT now(),
    agent_id     text        NOT NULL CHECK (agent_id ~ '^[A-Za-z0-9._-]{1,64}$'),
    point_id     text        NOT NULL CHECK (point_id ~ '^[A-Za-z0-9._-]{1,64}$'),
    action       text        NOT NULL CHECK (action ~ '^[A-Z_]{1,40}$'),
    card_no      bigint,
    holder_hash  bytea       CHECK (octet_length(holder_hash) = 32),
    status       smallint    NOT NULL,
    result       text        NOT NULL CHECK (result ~ '^[A-Z0-9_]{1,40}$')
);
CREATE INDEX agent_actions_agent_idx ON agent_actions (agent_id, at);
CREATE INDEX agent_actions_point_idx ON agent_actions (point_id, at);
CREATE INDEX agent_actions_card_idx ON agent_actions (card_no, at) WHERE card_no IS NOT NULL;

-- Consents an agent collected from the holder in person at a point (NULL: given online).
ALTER TABLE consents ADD COLUMN collected_at_point text CHECK (collected_at_point ~ '^[A-Za-z0-9._-]{1,64}$');
