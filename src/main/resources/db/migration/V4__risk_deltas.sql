-- Where the ingestion of the Ministry of Health's risk delta feed stands: the last sequence number
-- applied, advanced in the same transaction as the deltas' effects (so each delta takes effect
-- exactly once, whatever the restarts), and when the last page was applied.
CREATE TABLE delta_cursor (
    feed              text        PRIMARY KEY,
    last_applied_seq  bigint      NOT NULL CHECK (last_applied_seq >= 0),
    applied_at        timestamptz NOT NULL DEFAULT now()
);
INSERT INTO delta_cursor (feed, last_applied_seq) VALUES ('ministry-health', 0);

-- Deltas that could not be applied (an identity the gateway cannot read): kept with their number
-- and the reason, never the identity, so that none is skipped silently.
CREATE TABLE delta_rejects (
    seq          bigint      PRIMARY KEY,
    reason       text        NOT NULL,
    rejected_at  timestamptz NOT NULL DEFAULT now()
);
