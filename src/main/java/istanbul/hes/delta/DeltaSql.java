package istanbul.hes.delta;

/** Every SQL statement of risk delta ingestion. */
final class DeltaSql {
  private DeltaSql() {}

  static final String FEED = "ministry-health";

  /** $1 feed. */
  static final String CURSOR = "SELECT last_applied_seq, applied_at FROM delta_cursor WHERE feed = $1";

  /**
   * Every card of the people in the page, locked in card order (the order of every writer of
   * cards and risks, so none of them deadlock). $1 identity hashes (under every known key).
   */
  static final String LOCK_CARDS_OF_PEOPLE =
      "SELECT c.card_no FROM cards c JOIN owners o ON o.owner_id = c.owner_id "
          + "WHERE o.identity_hash = ANY($1) ORDER BY c.card_no FOR UPDATE OF c";

  /**
   * Each person's risk as the page leaves it (one row per person: the last delta of the page
   * about them), whether or not they have a card yet. The feed is authoritative: it overrides a
   * risk or a clearance from a HES check. The sealed identity is kept for a later hash key
   * rotation (and filled into rows that predate it). $1 identity hashes (current key), $2 risky
   * flags, $3 the hash key id, $4 sealed identities.
   */
  static final String UPSERT_RISK =
      "INSERT INTO person_risk (identity_hash, risky, source, identity_hash_key, identity_enc) "
          + "SELECT h, r, 'DELTA', $3, e FROM unnest($1::bytea[], $2::boolean[], $4::bytea[]) AS t(h, r, e) "
          + "ON CONFLICT (identity_hash) DO UPDATE SET risky = EXCLUDED.risky, source = 'DELTA', changed_at = now(), "
          + "identity_enc = coalesce(person_risk.identity_enc, EXCLUDED.identity_enc) "
          + "WHERE person_risk.risky IS DISTINCT FROM EXCLUDED.risky OR person_risk.source <> 'DELTA' "
          + "OR person_risk.identity_enc IS NULL";

  /** $1 seqs, $2 reasons. */
  static final String REJECT =
      "INSERT INTO delta_rejects (seq, reason) SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT (seq) DO NOTHING";

  /**
   * Moves the cursor from where this page started to where it ends; no row when another node
   * moved it first (then this transaction rolls back and nothing is applied twice). $1 feed,
   * $2 expected last, $3 new last.
   */
  static final String ADVANCE =
      "UPDATE delta_cursor SET last_applied_seq = $3, applied_at = now() WHERE feed = $1 AND last_applied_seq = $2";
}
