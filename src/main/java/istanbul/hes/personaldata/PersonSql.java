package istanbul.hes.personaldata;

/** Every SQL statement of a person's erasure and export ($1 is always the person's hashes under every known key). */
final class PersonSql {
  private PersonSql() {}

  /** The person's owner rows (one, or one per hash key while nodes disagreed on the current key), locked. */
  static final String OWNERS = "SELECT owner_id FROM owners WHERE identity_hash = ANY($1) ORDER BY owner_id FOR UPDATE";

  /** The person's cards, locked in card order as every writer locks them. */
  static final String CARDS =
      "SELECT c.card_no FROM cards c JOIN owners o ON o.owner_id = c.owner_id WHERE o.identity_hash = ANY($1) "
          + "ORDER BY c.card_no FOR UPDATE OF c";

  /**
   * What the gateway holds about the person besides their owner record, in one statement: links of
   * their cards, their consents, risk, contacts, their audit trail (rows
   * they acted in, and rows about their cards), the holder named in agents' actions, and their
   * violation reports' identity (a report still to be delivered keeps it until it is). $2 cards,
   * $3 owner ids. Returns what each part removed. The cards then lose their owner in their
   * recomputation, and only then the owner row goes ({@link #DELETE_OWNERS}).
   */
  static final String ERASE =
      "WITH links AS (DELETE FROM hes_links WHERE card_no = ANY($2) RETURNING 1), "
          + "consents_gone AS (DELETE FROM consents WHERE owner_id = ANY($3) RETURNING 1), "

          + "risks AS (DELETE FROM person_risk WHERE identity_hash = ANY($1) RETURNING 1), "
          + "contacts AS (DELETE FROM campaign_contacts WHERE holder_hash = ANY($1) RETURNING 1), "
          + "trail AS (DELETE FROM audit_log WHERE actor_hash = ANY($1) OR card_no = ANY($2) RETURNING 1), "
          + "agents AS (UPDATE agent_actions SET holder_hash = NULL WHERE holder_hash = ANY($1) RETURNING 1), "
          + "reports AS (UPDATE violation_outbox SET identity_enc = NULL, hes_code_enc = NULL, nationality = NULL "
          + "  WHERE card_no = ANY($2) AND state IN ('DELIVERED', 'DEAD') RETURNING 1), "
          + "pending AS (UPDATE violation_outbox SET erase_after_delivery = true "
          + "  WHERE card_no = ANY($2) AND state IN ('PENDING', 'SENDING') RETURNING 1) "
          + "SELECT (SELECT count(*) FROM links), (SELECT count(*) FROM consents_gone), "
          + "(SELECT count(*) FROM risks), (SELECT count(*) FROM contacts), "
          + "(SELECT count(*) FROM trail), (SELECT count(*) FROM agents), (SELECT count(*) FROM reports), "
          + "(SELECT count(*) FROM pending)";

  /** $1 owner ids, once no card names them. */
  static final String DELETE_OWNERS = "DELETE FROM owners WHERE owner_id = ANY($1)";

  /** The only trace an erasure or an export leaves: that it happened, who approved it, how much. $1 action, $2 detail. */
  static final String AUDIT = "INSERT INTO audit_log (action, detail) VALUES ($1, $2)";

  // ---- export --------------------------------------------------------------------------------

  static final String EXPORT_OWNERS =
      "SELECT owner_id, identity_kind, identity_enc, nationality, first_name_enc, last_name_enc, phone_enc, birth_year, "
          + "created_at, updated_at, phone_verified_at FROM owners WHERE identity_hash = ANY($1) ORDER BY owner_id";

  static final String EXPORT_CARDS =
      "SELECT c.card_no, c.kind::text, c.blocked, c.hes_linked, c.hes_expires_on, c.risky, h.hes_code_enc, h.expires_on, "
          + "h.ministry_status, h.linked_at, h.checked_at FROM cards c JOIN owners o ON o.owner_id = c.owner_id "
          + "LEFT JOIN hes_links h ON h.card_no = c.card_no WHERE o.identity_hash = ANY($1) ORDER BY c.card_no";

  static final String EXPORT_CONSENTS =
      "SELECT k.kind, k.version, k.given_at, k.card_no, k.collected_at_point FROM consents k JOIN owners o ON o.owner_id = k.owner_id "
          + "WHERE o.identity_hash = ANY($1) ORDER BY k.given_at";

  static final String EXPORT_RISK = "SELECT risky, source, changed_at FROM person_risk WHERE identity_hash = ANY($1)";

  static final String EXPORT_CONTACTS =
      "SELECT card_no, channel, address_enc, language, consent_at, opted_out_at FROM campaign_contacts WHERE holder_hash = ANY($1) "
          + "ORDER BY contact_id";

  static final String EXPORT_AUDIT =
      "SELECT at, action, card_no FROM audit_log WHERE actor_hash = ANY($1) ORDER BY at, id";

  static final String EXPORT_AGENT_ACTIONS =
      "SELECT at, point_id, action, card_no, status FROM agent_actions WHERE holder_hash = ANY($1) ORDER BY at, id";

  static final String EXPORT_REPORTS =
      "SELECT r.card_no, r.validator, r.first_at, r.last_at, r.taps, r.state, r.delivered_at FROM violation_outbox r "
          + "JOIN cards c ON c.card_no = r.card_no JOIN owners o ON o.owner_id = c.owner_id WHERE o.identity_hash = ANY($1) "
          + "ORDER BY r.first_at";
}
