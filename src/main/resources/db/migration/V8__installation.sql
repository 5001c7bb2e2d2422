-- Which installation this database is. Created once, with a random id that never changes: a node's
-- map file records it, and a map made for another installation (another database, schema or
-- cluster, or one restored over it) is rebuilt instead of being warm-started against this one.
CREATE TABLE installation (
    one              boolean PRIMARY KEY DEFAULT true CHECK (one),
    installation_id  uuid    NOT NULL DEFAULT gen_random_uuid(),
    created_at       timestamptz NOT NULL DEFAULT now()
);
INSERT INTO installation DEFAULT VALUES;
