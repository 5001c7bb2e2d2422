package istanbul.hes.citizen.store;

/** Every SQL statement of the citizen store (personalization, HES links, verdicts, audit). */
final class CitizenSql {
  private CitizenSql() {}

  /** The unique constraint that makes one card per HES code (V1: hes_links.hes_code_hash UNIQUE). */
  static final String HES_CODE_UNIQUE = "hes_links_hes_code_hash_key";

  /**
   * Creates the person's owner row or refreshes it with the latest contact data (one row per
   * identity hash, safe against two first personalizations at once); returns owner_id.
   * $1 identity_hash, $2 identity_kind, $3 identity_enc, $4 nationality, $5 first_name_enc,
   * $6 last_name_enc, $7 phone_enc, $8 birth_year, $9 phone verified, $10 identity_hash_key. The
   * person was moved to the current hash key first ({@code PersonKeys.movePerson}).
   */
  static final String UPSERT_OWNER =
      "INSERT INTO owners (identity_hash, identity_kind, identity_enc, nationality, first_name_enc, last_name_enc, "
          + "phone_enc, birth_year, phone_verified_at, updated_at, identity_hash_key) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $9 THEN now() END, now(), $10) "
          + "ON CONFLICT (identity_hash) DO UPDATE SET first_name_enc = EXCLUDED.first_name_enc, "
          + "last_name_enc = EXCLUDED.last_name_enc, phone_enc = EXCLUDED.phone_enc, birth_year = EXCLUDED.birth_year, "
          + "phone_verified_at = EXCLUDED.phone_verified_at, updated_at = now(), identity_enc = EXCLUDED.identity_enc "
          + "RETURNING owner_id";

  /**
   * The card's current owner and that owner's identity hash (both NULL when anonymous), the card
   * locked for this transaction; no row: unknown card. $1 card.
   */
  static final String LOCK_CARD_OWNER =
      "SELECT c.owner_id, o.identity_hash FROM cards c LEFT JOIN owners o ON o.owner_id = c.owner_id "
          + "WHERE c.card_no = $1 FOR UPDATE OF c";

  /** Sets the owner; kind follows in RECOMPUTE. $1 card, $2 owner_id. */
  static final String SET_CARD_OWNER = "UPDATE cards SET owner_id = $2 WHERE card_no = $1 AND owner_id IS NULL";

  /** $1 owner_id, $2 kind, $3 version, $4 card, $5 the sales point that collected it (NULL: online). */
  static final String INSERT_CONSENT =
      "INSERT INTO consents (owner_id, kind, version, card_no, collected_at_point) VALUES ($1, $2, $3, $4, $5) "
          + "ON CONFLICT DO NOTHING";

  /**
   * Every card of a person, locked in card order: the order every writer of HES links and risk
   * locks cards in (RECOMPUTE's LOCK_CARDS included), so two of them never deadlock. The
   * recomputation that follows in the same transaction relies on these locks and takes none.
   * $1 the person's identity hashes (under every known key).
   */
  static final String LOCK_CARDS_OF_PERSON =
      "SELECT c.card_no FROM cards c JOIN owners o ON o.owner_id = c.owner_id "
          + "WHERE o.identity_hash = ANY($1) ORDER BY c.card_no FOR UPDATE OF c";

  /** Columns {@code CitizenRepository.link(Row)} reads, in its order. */
  private static final String LINK_COLUMNS =
      "card_no, hes_code_hash, hes_code_prefix, ministry_status, linked_at, expires_on, checked_at";

  /**
   * A card of the person with its link (link columns NULL when none); no row when the card is not
   * the person's (unknown card included). $1 card, $2 identity hashes (every known key).
   */
  static final String VIEW_LINK =
      "SELECT c.card_no, h.hes_code_hash, h.hes_code_prefix, h.ministry_status, h.linked_at, h.expires_on, h.checked_at "
          + "FROM cards c JOIN owners o ON o.owner_id = c.owner_id LEFT JOIN hes_links h ON h.card_no = c.card_no "
          + "WHERE c.card_no = $1 AND o.identity_hash = ANY($2)";

  /**
   * The person's cards with their links (link columns NULL when none) and whether the card is
   * blocked, in card order; at most {@code OwnCard.MAX_LISTED}. $1 identity hashes (every known key).
   */
  static final String CARDS_OF_PERSON =
      "SELECT c.card_no, h.hes_code_hash, h.hes_code_prefix, h.ministry_status, h.linked_at, h.expires_on, h.checked_at, c.blocked "
          + "FROM cards c JOIN owners o ON o.owner_id = c.owner_id LEFT JOIN hes_links h ON h.card_no = c.card_no "
          + "WHERE o.identity_hash = ANY($1) ORDER BY c.card_no LIMIT " + OwnCard.MAX_LISTED;

  /**
   * What a HES code operation checks before asking the ministry: the caller's encrypted names and
   * the hash of the code linked to the card (NULL when none); no row when the card is not the
   * caller's (unknown card included). $1 card, $2 identity hashes (every known key).
   */
  static final String CALLER_CARD =
      "SELECT o.first_name_enc, o.last_name_enc, h.hes_code_hash "
          + "FROM cards c JOIN owners o ON o.owner_id = c.owner_id LEFT JOIN hes_links h ON h.card_no = c.card_no "
          + "WHERE c.card_no = $1 AND o.identity_hash = ANY($2)";

  /** The card's link. $1 card. */
  static final String LINK_OF_CARD = "SELECT " + LINK_COLUMNS + " FROM hes_links WHERE card_no = $1";

  /** $1 card, $2 hash, $3 enc, $4 prefix, $5 expires_on, $6 ministry_status, $7 hash key id. */
  static final String INSERT_LINK =
      "INSERT INTO hes_links (card_no, hes_code_hash, hes_code_enc, hes_code_prefix, expires_on, ministry_status, hes_code_hash_key) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING " + LINK_COLUMNS;

  /** Replaces the card's code. $1 card, $2 hash, $3 enc, $4 prefix, $5 expires_on, $6 ministry_status, $7 hash key id. */
  static final String REPLACE_LINK =
      "UPDATE hes_links SET hes_code_hash = $2, hes_code_enc = $3, hes_code_prefix = $4, expires_on = $5, "
          + "ministry_status = $6, hes_code_hash_key = $7, linked_at = now(), checked_at = now() WHERE card_no = $1 RETURNING "
          + LINK_COLUMNS;

  /** $1 card. */
  static final String DELETE_LINK = "DELETE FROM hes_links WHERE card_no = $1 RETURNING hes_code_prefix";

  /**
   * The card a code is linked to, its holder's identity hash and that hash's key id (no lock).
   * $1 the code's hashes (every known key).
   */
  static final String HOLDER_OF_CODE =
      "SELECT h.card_no, o.identity_hash, o.identity_hash_key FROM hes_links h JOIN cards c ON c.card_no = h.card_no "
          + "JOIN owners o ON o.owner_id = c.owner_id WHERE h.hes_code_hash = ANY($1)";

  /**
   * The ministry's verdict on a code, if it is still linked to that card (run with the holder's
   * cards locked). $1 the code's hashes, $2 card, $3 ministry_status, $4 expires_on.
   */
  static final String RECORD_VERDICT =
      "UPDATE hes_links h SET ministry_status = $3, expires_on = $4, checked_at = now() "
          + "FROM (SELECT card_no, ministry_status, expires_on FROM hes_links WHERE hes_code_hash = ANY($1) AND card_no = $2) old "
          + "WHERE h.card_no = old.card_no "
          + "RETURNING h.hes_code_prefix, (old.ministry_status, old.expires_on) IS DISTINCT FROM (h.ministry_status, h.expires_on)";

  /**
   * The ministry no longer confirms a linked code (expired or unknown): it expires today at the
   * latest, so taps deny it HES_EXPIRED. Run with the holder's cards locked. $1 the code's hashes, $2 card,
   * $3 today. Returns the prefix and whether the expiry moved.
   */
  static final String RECORD_INVALID =
      "UPDATE hes_links h SET expires_on = LEAST(h.expires_on, $3), checked_at = now() "
          + "FROM (SELECT card_no, expires_on FROM hes_links WHERE hes_code_hash = ANY($1) AND card_no = $2) old "
          + "WHERE h.card_no = old.card_no RETURNING h.hes_code_prefix, old.expires_on IS DISTINCT FROM h.expires_on";

  /**
   * Claims the links due for a re-check (last checked before $1), oldest first, at most $2, for
   * this node alone: rows another node is claiming are skipped, and a claimed link's checked_at
   * is set to now so no other node takes it. Returns what {@link #RELEASE_CLAIMS} needs to undo
   * the claim: card, encrypted code, previous checked_at.
   */
  static final String CLAIM_DUE_LINKS =
      "WITH due AS (SELECT card_no, checked_at FROM hes_links WHERE checked_at < $1 "
          + "ORDER BY checked_at LIMIT $2 FOR UPDATE SKIP LOCKED) "
          + "UPDATE hes_links h SET checked_at = now() FROM due WHERE h.card_no = due.card_no "
          + "RETURNING h.card_no, h.hes_code_enc, due.checked_at";

  /** Gives claimed links back (the ministry gave no answer on them). $1 cards, $2 previous checked_at. */
  static final String RELEASE_CLAIMS =
      "UPDATE hes_links h SET checked_at = v.previous FROM unnest($1::bigint[], $2::timestamptz[]) AS v(card_no, previous) "
          + "WHERE h.card_no = v.card_no";

  /**
   * The ministry says the person is risky. $1 identity_hash (the owner's, whichever its key), $2
   * source, $3 that hash's key id, $4 the sealed identity (NULL when not at hand).
   */
  static final String MARK_RISKY =
      "INSERT INTO person_risk (identity_hash, risky, source, identity_hash_key, identity_enc) VALUES ($1, true, $2, $3, $4) "
          + "ON CONFLICT (identity_hash) DO UPDATE SET risky = true, source = EXCLUDED.source, changed_at = now() "
          + "WHERE NOT person_risk.risky";

  /**
   * The ministry's HES check says the person is riskless: a risk that HES checks imposed is
   * cleared. A risk from another source (the delta feed) stays until that source clears it: the
   * feed is ordered and authoritative, a check is a snapshot. $1 identity_hash, $2 the checks' source.
   */
  static final String CLEAR_RISK =
      "UPDATE person_risk SET risky = false, changed_at = now() WHERE identity_hash = $1 AND risky AND source = $2";

  /** $1 actor_hash (NULL: the system), $2 action, $3 card, $4 detail (no personal data), $5 the hash's key id. */
  static final String AUDIT =
      "INSERT INTO audit_log (actor_hash, action, card_no, detail, actor_hash_key) VALUES ($1, $2, $3, $4, $5)";
}
