package istanbul.hes.keys;

/** Every SQL statement of key rotation: moving people and records to the current keys, and the job's position. */
final class KeyRotationSql {
  private KeyRotationSql() {}

  /**
   * Moves people from hashes under other keys to the current one, in every table that names a
   * person by keyed hash, in one statement (so the card status derivation, which joins owners to
   * person_risk by hash, never sees one moved without the other). $1 old hashes, $2 the same
   * people's current hashes, $3 the current key id. A row whose target hash exists already (the
   * person written under both keys while nodes disagreed on the current key) is left for the
   * job, which merges it. Returns how many rows of each table moved.
   */
  static final String REKEY_PEOPLE =
      "WITH m AS (SELECT * FROM unnest($1::bytea[], $2::bytea[]) AS m(old, new) WHERE old <> new), "
          + "o AS (UPDATE owners t SET identity_hash = m.new, identity_hash_key = $3 FROM m WHERE t.identity_hash = m.old "
          + "      AND NOT EXISTS (SELECT 1 FROM owners x WHERE x.identity_hash = m.new) RETURNING 1), "
          + "r AS (UPDATE person_risk t SET identity_hash = m.new, identity_hash_key = $3 FROM m WHERE t.identity_hash = m.old "
          + "      AND NOT EXISTS (SELECT 1 FROM person_risk x WHERE x.identity_hash = m.new) RETURNING 1), "
          + "a AS (UPDATE audit_log t SET actor_hash = m.new, actor_hash_key = $3 FROM m WHERE t.actor_hash = m.old RETURNING 1), "
          + "g AS (UPDATE agent_actions t SET holder_hash = m.new, holder_hash_key = $3 FROM m WHERE t.holder_hash = m.old RETURNING 1), "
          + "c AS (UPDATE campaign_contacts t SET holder_hash = m.new, holder_hash_key = $3 FROM m WHERE t.holder_hash = m.old "
          + "      AND NOT EXISTS (SELECT 1 FROM campaign_contacts x WHERE x.card_no = t.card_no AND x.holder_hash = m.new) RETURNING 1) "
          + "SELECT (SELECT count(*) FROM o), (SELECT count(*) FROM r), (SELECT count(*) FROM a), (SELECT count(*) FROM g), "
          + "(SELECT count(*) FROM c)";

  /**
   * Moves a HES code's link to the current hash key, so that the unique constraint on the hash
   * meets a second link of the same code. $1 old hashes, $2 current hash, $3 current key id.
   */
  static final String REKEY_CODE =
      "UPDATE hes_links SET hes_code_hash = $2, hes_code_hash_key = $3 WHERE hes_code_hash = ANY($1) "
          + "AND NOT EXISTS (SELECT 1 FROM hes_links x WHERE x.hes_code_hash = $2)";

  // ---- the job's position ------------------------------------------------------------------------

  /** Creates a kind's position the first time a node with these keys ($2 encryption, $3 hash) gets to it. $1 kind. */
  static final String START_KIND =
      "INSERT INTO key_rotation (record_kind, encryption_key_id, hash_key_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";

  /** A kind's position, for this node alone until its transaction ends (another node skips it). $1 kind. */
  static final String CLAIM_KIND =
      "SELECT encryption_key_id, hash_key_id, pass, after_key, pass_moved, pass_finished_at IS NOT NULL, "
          + "extract(epoch FROM now() - coalesce(pass_finished_at, now()))::bigint "
          + "FROM key_rotation WHERE record_kind = $1 FOR UPDATE SKIP LOCKED";

  /** A new pass from the start, towards keys $2 (encryption) and $3 (hash). $1 kind. */
  static final String NEW_PASS =
      "UPDATE key_rotation SET encryption_key_id = $2, hash_key_id = $3, pass = pass + 1, after_key = '', pass_moved = 0, "
          + "pass_started_at = now(), pass_finished_at = NULL, "
          + "clean_since = CASE WHEN encryption_key_id = $2 AND hash_key_id = $3 THEN clean_since END, updated_at = now() "
          + "WHERE record_kind = $1";

  /** A batch done: $1 kind, $2 new position, $3 moved, $4 unrecoverable, $5 conflicts. */
  static final String ADVANCE =
      "UPDATE key_rotation SET after_key = $2, pass_moved = pass_moved + $3, moved = moved + $3, "
          + "unrecoverable = unrecoverable + $4, conflicts = conflicts + $5, updated_at = now() WHERE record_kind = $1";

  /** The pass reached the end: $1 kind, $2 what a full count found under each key id. */
  static final String FINISH_PASS =
      "UPDATE key_rotation SET pass_finished_at = now(), counted = $2, "
          + "clean_since = CASE WHEN pass_moved = 0 THEN coalesce(clean_since, now()) END, updated_at = now() "
          + "WHERE record_kind = $1";

  /** Every kind's position, for the operators. */
  static final String STATUS =
      "SELECT record_kind, encryption_key_id, hash_key_id, pass, after_key, pass_moved, moved, unrecoverable, conflicts, "
          + "pass_started_at, pass_finished_at, clean_since, counted FROM key_rotation ORDER BY record_kind";

  /** Whether the kinds $1 all finished a pass that moved nothing, towards $2/$3 (true for none). */
  static final String EARLIER_SETTLED =
      "SELECT count(*) = cardinality($1::text[]) FROM key_rotation WHERE record_kind = ANY($1) "
          + "AND encryption_key_id = $2 AND hash_key_id = $3 AND clean_since IS NOT NULL";

  // ---- owners --------------------------------------------------------------------------------

  /** Owners after $1 with a value or hash not under the current keys ($3 encryption, $4 hash), at most $2, locked. */
  static final String OWNERS_DUE =
      "SELECT owner_id, identity_hash, identity_hash_key, identity_kind, nationality, identity_enc, first_name_enc, "
          + "last_name_enc, phone_enc FROM owners WHERE owner_id > $1::text::bigint AND (identity_hash_key <> $4 "
          + "OR get_byte(identity_enc, 0) <> $3 OR get_byte(first_name_enc, 0) <> $3 OR get_byte(last_name_enc, 0) <> $3 "
          + "OR get_byte(phone_enc, 0) <> $3) ORDER BY owner_id LIMIT $2 FOR UPDATE SKIP LOCKED";

  /** $1 owner ids, $2..$5 the sealed identity, first name, last name, phone. */
  static final String OWNERS_RESEAL =
      "UPDATE owners o SET identity_enc = v.i, first_name_enc = v.f, last_name_enc = v.l, phone_enc = v.p "
          + "FROM unnest($1::bigint[], $2::bytea[], $3::bytea[], $4::bytea[], $5::bytea[]) AS v(id, i, f, l, p) "
          + "WHERE o.owner_id = v.id";

  /** Owners still under one of these old hashes after a move ($1): each had a twin under the new one. */
  static final String OWNERS_LEFT = "SELECT count(*) FROM owners WHERE identity_hash = ANY($1)";

  static final String OWNERS_COUNT =
      "SELECT jsonb_build_object("
          + "'encryption', (SELECT coalesce(jsonb_object_agg(k, n), '{}') FROM (SELECT get_byte(v, 0) AS k, count(*) AS n "
          + "  FROM owners, unnest(ARRAY[identity_enc, first_name_enc, last_name_enc, phone_enc]) AS v WHERE v IS NOT NULL "
          + "  GROUP BY 1) x), "
          + "'hash', (SELECT coalesce(jsonb_object_agg(identity_hash_key, n), '{}') FROM (SELECT identity_hash_key, count(*) AS n "
          + "  FROM owners GROUP BY 1) y))";

  // ---- person_risk (people without an owner row) -------------------------------------------------

  /**
   * Risks after $1 (hex of the hash) not under the current keys, at most $2, locked; a risk under
   * an old hash that an owner has too is left to the owner's move (both move in one statement).
   */
  static final String RISKS_DUE =
      "SELECT identity_hash, identity_hash_key, identity_enc FROM person_risk r WHERE identity_hash > decode($1, 'hex') "
          + "AND (identity_hash_key <> $4 OR get_byte(identity_enc, 0) <> $3) "
          + "AND (identity_hash_key = $4 OR NOT EXISTS (SELECT 1 FROM owners o WHERE o.identity_hash = r.identity_hash)) "
          + "ORDER BY identity_hash LIMIT $2 FOR UPDATE OF r SKIP LOCKED";

  /**
   * One person's risk held under two keys (written while nodes disagreed on the current key):
   * the newer one is kept under the current hash. $1 old hashes, $2 current hashes.
   */
  static final String RISKS_MERGE =
      "WITH m AS (SELECT * FROM unnest($1::bytea[], $2::bytea[]) AS m(old, new) WHERE old <> new), "
          + "newer AS (UPDATE person_risk c SET risky = o.risky, source = o.source, changed_at = o.changed_at "
          + "  FROM m JOIN person_risk o ON o.identity_hash = m.old WHERE c.identity_hash = m.new AND o.changed_at > c.changed_at), "
          + "gone AS (DELETE FROM person_risk o USING m WHERE o.identity_hash = m.old "
          + "  AND EXISTS (SELECT 1 FROM person_risk c WHERE c.identity_hash = m.new) RETURNING 1) "
          + "SELECT count(*) FROM gone";

  /** $1 current hashes, $2 sealed identities. */
  static final String RISKS_RESEAL =
      "UPDATE person_risk r SET identity_enc = v.e FROM unnest($1::bytea[], $2::bytea[]) AS v(h, e) WHERE r.identity_hash = v.h";

  static final String RISKS_COUNT =
      "SELECT jsonb_build_object("
          + "'encryption', (SELECT coalesce(jsonb_object_agg(k, n), '{}') FROM (SELECT get_byte(identity_enc, 0) AS k, count(*) AS n "
          + "  FROM person_risk WHERE identity_enc IS NOT NULL GROUP BY 1) x), "
          + "'hash', (SELECT coalesce(jsonb_object_agg(identity_hash_key, n), '{}') FROM (SELECT identity_hash_key, count(*) AS n "
          + "  FROM person_risk GROUP BY 1) y))";

  // ---- campaign_contacts ---------------------------------------------------------------------

  /** Contacts after $1 with a value or hash not under the current keys, at most $2, locked. */
  static final String CONTACTS_DUE =
      "SELECT contact_id, holder_hash, holder_hash_key, holder_enc, channel, address_enc, address_hash_key, "
          + "EXISTS (SELECT 1 FROM owners o WHERE o.identity_hash = t.holder_hash) "
          + "FROM campaign_contacts t WHERE contact_id > $1::text::bigint AND (holder_hash_key <> $4 OR get_byte(holder_enc, 0) <> $3 "
          + "OR get_byte(address_enc, 0) <> $3 OR (address_enc IS NOT NULL AND address_hash_key <> $4)) "
          + "ORDER BY contact_id LIMIT $2 FOR UPDATE SKIP LOCKED";

  /** $1 contact ids, $2 sealed holders, $3 sealed addresses, $4 address hashes, $5 hash key id. */
  static final String CONTACTS_RESEAL =
      "UPDATE campaign_contacts t SET holder_enc = v.h, address_enc = v.a, address_hash = v.ah, "
          + "address_hash_key = CASE WHEN v.ah IS NULL THEN t.address_hash_key ELSE $5 END "
          + "FROM unnest($1::bigint[], $2::bytea[], $3::bytea[], $4::bytea[]) AS v(id, h, a, ah) WHERE t.contact_id = v.id";

  static final String CONTACTS_COUNT =
      "SELECT jsonb_build_object("
          + "'encryption', (SELECT coalesce(jsonb_object_agg(k, n), '{}') FROM (SELECT get_byte(v, 0) AS k, count(*) AS n "
          + "  FROM campaign_contacts, unnest(ARRAY[holder_enc, address_enc]) AS v WHERE v IS NOT NULL GROUP BY 1) x), "
          + "'hash', (SELECT coalesce(jsonb_object_agg(k, n), '{}') FROM (SELECT k, count(*) AS n FROM campaign_contacts, "
          + "  unnest(ARRAY[holder_hash_key, CASE WHEN address_hash IS NOT NULL THEN address_hash_key END]) AS k "
          + "  WHERE k IS NOT NULL GROUP BY 1) y))";

  // ---- hes_links -----------------------------------------------------------------------------

  static final String LINKS_DUE =
      "SELECT card_no, hes_code_enc FROM hes_links WHERE card_no > $1::text::bigint "
          + "AND (hes_code_hash_key <> $4 OR get_byte(hes_code_enc, 0) <> $3) ORDER BY card_no LIMIT $2 FOR UPDATE SKIP LOCKED";

  /**
   * $1 cards, $2 hashes, $3 sealed codes, $4 hash key id. A code whose current hash another card's
   * link has already (one code on two cards) is left as it is and returned as a conflict.
   */
  static final String LINKS_MOVE =
      "UPDATE hes_links h SET hes_code_hash = v.h, hes_code_hash_key = $4, hes_code_enc = v.e "
          + "FROM unnest($1::bigint[], $2::bytea[], $3::bytea[]) AS v(card, h, e) WHERE h.card_no = v.card "
          + "AND NOT EXISTS (SELECT 1 FROM hes_links x WHERE x.hes_code_hash = v.h AND x.card_no <> v.card) RETURNING h.card_no";

  static final String LINKS_COUNT =
      "SELECT jsonb_build_object("
          + "'encryption', (SELECT coalesce(jsonb_object_agg(k, n), '{}') FROM (SELECT get_byte(hes_code_enc, 0) AS k, count(*) AS n "
          + "  FROM hes_links GROUP BY 1) x), "
          + "'hash', (SELECT coalesce(jsonb_object_agg(hes_code_hash_key, n), '{}') FROM (SELECT hes_code_hash_key, count(*) AS n "
          + "  FROM hes_links GROUP BY 1) y))";

  // ---- violation_outbox ----------------------------------------------------------------------

  static final String REPORTS_DUE =
      "SELECT id::text, identity_enc, hes_code_enc FROM violation_outbox WHERE id > $1::text::uuid "
          + "AND (get_byte(identity_enc, 0) <> $3 OR get_byte(hes_code_enc, 0) <> $3) AND $4::smallint > 0 "
          + "ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED";

  /** $1 ids, $2 sealed identities, $3 sealed codes. */
  static final String REPORTS_RESEAL =
      "UPDATE violation_outbox o SET identity_enc = v.i, hes_code_enc = v.c "
          + "FROM unnest($1::uuid[], $2::bytea[], $3::bytea[]) AS v(id, i, c) WHERE o.id = v.id";

  static final String REPORTS_COUNT =
      "SELECT jsonb_build_object("
          + "'encryption', (SELECT coalesce(jsonb_object_agg(k, n), '{}') FROM (SELECT get_byte(v, 0) AS k, count(*) AS n "
          + "  FROM violation_outbox, unnest(ARRAY[identity_enc, hes_code_enc]) AS v WHERE v IS NOT NULL GROUP BY 1) x), "
          + "'hash', '{}'::jsonb)";

  // ---- audit trails: pseudonyms of people the gateway no longer holds ---------------------------

  static final String AUDIT_DUE =
      "SELECT id FROM audit_log WHERE id > $1::text::bigint AND actor_hash IS NOT NULL AND actor_hash_key <> $4 AND $3::smallint > 0 "
          + "ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED";

  /** $1 ids, $2 current hash key id: the actor's pseudonym dropped (nobody the gateway holds is behind it). */
  static final String AUDIT_FORGET =
      "UPDATE audit_log SET actor_hash = NULL, actor_hash_key = $2, detail = detail || '{\"actorForgotten\": \"KEY_RETIRED\"}' "
          + "WHERE id = ANY($1)";

  static final String AUDIT_COUNT =
      "SELECT jsonb_build_object('encryption', '{}'::jsonb, "
          + "'hash', (SELECT coalesce(jsonb_object_agg(actor_hash_key, n), '{}') FROM (SELECT actor_hash_key, count(*) AS n "
          + "  FROM audit_log WHERE actor_hash IS NOT NULL GROUP BY 1) y))";

  static final String AGENT_ACTIONS_DUE =
      "SELECT id FROM agent_actions WHERE id > $1::text::bigint AND holder_hash IS NOT NULL AND holder_hash_key <> $4 "
          + "AND $3::smallint > 0 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED";

  static final String AGENT_ACTIONS_FORGET =
      "UPDATE agent_actions SET holder_hash = NULL, holder_hash_key = $2 WHERE id = ANY($1)";

  static final String AGENT_ACTIONS_COUNT =
      "SELECT jsonb_build_object('encryption', '{}'::jsonb, "
          + "'hash', (SELECT coalesce(jsonb_object_agg(holder_hash_key, n), '{}') FROM (SELECT holder_hash_key, count(*) AS n "
          + "  FROM agent_actions WHERE holder_hash IS NOT NULL GROUP BY 1) y))";
}
