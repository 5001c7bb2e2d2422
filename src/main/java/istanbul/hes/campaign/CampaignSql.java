package istanbul.hes.campaign;

/** Every SQL statement of the personalization campaign: contacts, campaigns, their targets. */
final class CampaignSql {
  private CampaignSql() {}

  // ---- contacts ------------------------------------------------------------------------------

  /** Whether a card exists and is anonymous (a contact is for an anonymous card). $1 card. */
  static final String CARD_IS_ANONYMOUS = "SELECT owner_id IS NULL FROM cards WHERE card_no = $1";

  /**
   * Registers (or renews, with a new consent) a person's contact for a card; the person was moved
   * to the current hash key first. $1 card, $2 holder hash, $3 channel, $4 address_enc, $5
   * address_hash, $6 language, $7 the hashes' key id, $8 the holder's sealed identity.
   */
  static final String UPSERT_CONTACT =
      "INSERT INTO campaign_contacts (card_no, holder_hash, channel, address_enc, address_hash, language, consent_at, "
          + "holder_hash_key, address_hash_key, holder_enc) "
          + "VALUES ($1, $2, $3, $4, $5, $6, now(), $7, $7, $8) "
          + "ON CONFLICT (card_no, holder_hash) DO UPDATE SET channel = EXCLUDED.channel, address_enc = EXCLUDED.address_enc, "
          + "address_hash = EXCLUDED.address_hash, address_hash_key = EXCLUDED.address_hash_key, holder_enc = EXCLUDED.holder_enc, "
          + "language = EXCLUDED.language, consent_at = now(), updated_at = now(), "
          + "opted_out_at = NULL, opt_out_source = NULL "
          + "RETURNING contact_id, consent_at";

  /** The person removes their contact for a card: the address is wiped, the row stays for the counts. $1 card, $2 holder hashes (every known key). */
  static final String REMOVE_CONTACT =
      "UPDATE campaign_contacts SET address_enc = NULL, address_hash = NULL, updated_at = now(), "
          + "opted_out_at = coalesce(opted_out_at, now()), opt_out_source = 'REMOVED' WHERE card_no = $1 AND holder_hash = ANY($2)";

  /** The opt-out link. $1 contact. Returns a row when the contact exists (opted out now or before). */
  static final String OPT_OUT_CONTACT =
      "UPDATE campaign_contacts SET opted_out_at = coalesce(opted_out_at, now()), "
          + "opt_out_source = coalesce(opt_out_source, 'LINK'), updated_at = now() WHERE contact_id = $1 RETURNING contact_id";

  /** An SMS keyword from a phone: every SMS contact with that phone. $1 address hashes (every known key). */
  static final String OPT_OUT_PHONE =
      "UPDATE campaign_contacts SET opted_out_at = now(), opt_out_source = 'KEYWORD', updated_at = now() "
          + "WHERE address_hash = ANY($1) AND channel = 'SMS' AND opted_out_at IS NULL";

  // ---- campaigns -----------------------------------------------------------------------------

  private static final String CAMPAIGN_COLUMNS = "campaign_id, name, template_tr, template_en, push_title_tr, push_title_en, "
      + "personalization_url, channels, active_within_days, rate_per_second, quiet_from, quiet_to, state, created_at, created_by, "
      + "started_at, finished_at, changed_at, changed_by";

  /** $1 name … $11 created_by (also changed_by). */
  static final String INSERT_CAMPAIGN =
      "INSERT INTO campaigns (name, template_tr, template_en, push_title_tr, push_title_en, personalization_url, channels, "
          + "active_within_days, rate_per_second, quiet_from, quiet_to, state, created_by, changed_by) "
          + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'DRAFT', $12, $12) RETURNING " + CAMPAIGN_COLUMNS;

  static final String CAMPAIGN = "SELECT " + CAMPAIGN_COLUMNS + " FROM campaigns WHERE campaign_id = $1";

  static final String LOCK_CAMPAIGN = CAMPAIGN + " FOR UPDATE";

  static final String CAMPAIGNS = "SELECT " + CAMPAIGN_COLUMNS + " FROM campaigns ORDER BY campaign_id DESC LIMIT 200";

  /** The running campaign that started first: the one the sender works on. */
  static final String NEXT_RUNNING =
      "SELECT " + CAMPAIGN_COLUMNS + " FROM campaigns WHERE state = 'RUNNING' ORDER BY started_at, campaign_id LIMIT 1";

  /** $1 campaign, $2 new state, $3 by. */
  static final String SET_STATE =
      "UPDATE campaigns SET state = $2, changed_at = now(), changed_by = $3, "
          + "started_at = CASE WHEN $2 = 'RUNNING' THEN coalesce(started_at, now()) ELSE started_at END "
          + "WHERE campaign_id = $1 RETURNING " + CAMPAIGN_COLUMNS;

  /** A running campaign with nothing left to send is done. $1 campaign. */
  static final String FINISH_IF_DONE =
      "UPDATE campaigns SET state = 'DONE', finished_at = now(), changed_at = now(), changed_by = 'sender' "
          + "WHERE campaign_id = $1 AND state = 'RUNNING' "
          + "AND NOT EXISTS (SELECT 1 FROM campaign_targets WHERE campaign_id = $1 AND state IN ('PENDING', 'SENDING'))";

  /** The contacts a campaign targets when it starts: their cards still anonymous, no opt-out. $1 channels. */
  static final String ELIGIBLE_CONTACTS =
      "SELECT c.contact_id, k.card_index FROM campaign_contacts c JOIN cards k ON k.card_no = c.card_no "
          + "WHERE c.opted_out_at IS NULL AND k.owner_id IS NULL AND c.channel = ANY($1::text[])";

  /** $1 campaign, $2 contacts. */
  static final String INSERT_TARGETS =
      "INSERT INTO campaign_targets (campaign_id, contact_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING";

  /** Targets by state, per campaign: $1 campaigns. */
  static final String PROGRESS =
      "SELECT campaign_id, state, count(*) FROM campaign_targets WHERE campaign_id = ANY($1::bigint[]) GROUP BY campaign_id, state";

  /** The campaigns the gauges show: every one not done, and those done within a day. */
  static final String GAUGED_CAMPAIGNS =
      "SELECT campaign_id FROM campaigns WHERE state <> 'DONE' OR finished_at > now() - interval '1 day'";

  // ---- sending -------------------------------------------------------------------------------

  /**
   * One node sends at a time: this session-level lock, held on a connection of its own (released
   * when that connection ends, a killed node's included). Advisory locks are the database's, so
   * the schema is in the key: gateways of two schemas of one database are two clusters.
   */
  static final String TRY_SENDER_LOCK = "SELECT pg_try_advisory_lock(hashtext('hes-gateway campaign sender ' || current_schema()))";

  /**
   * A new sender takes over: what its predecessor had with a gateway when it stopped is sent again
   * (with the same references, which the gateways recognize).
   */
  static final String REQUEUE_SENDING = "UPDATE campaign_targets SET state = 'PENDING' WHERE state = 'SENDING'";

  /**
   * Claims up to $2 targets of campaign $1 due now, lowest contact first, with what sending needs:
   * channel, encrypted address, language, whether the contact opted out (or was removed) and
   * whether the card was personalized meanwhile.
   */
  static final String CLAIM =
      "WITH picked AS (SELECT contact_id FROM campaign_targets WHERE campaign_id = $1 AND state = 'PENDING' "
          + "AND next_attempt_at <= now() ORDER BY contact_id LIMIT $2 FOR UPDATE SKIP LOCKED) "
          + "UPDATE campaign_targets t SET state = 'SENDING', attempts = t.attempts + 1 "
          + "FROM picked JOIN campaign_contacts c ON c.contact_id = picked.contact_id JOIN cards k ON k.card_no = c.card_no "
          + "WHERE t.campaign_id = $1 AND t.contact_id = picked.contact_id "
          + "RETURNING t.contact_id, t.attempts, c.channel, c.address_enc, c.language, c.opted_out_at IS NOT NULL, "
          + "k.owner_id IS NOT NULL, c.card_no";

  /** The outcome of a round: $1 campaign; contacts, states, errors, next attempt times. */
  static final String SETTLE =
      "UPDATE campaign_targets t SET state = v.state, last_error = v.error, next_attempt_at = v.next_attempt_at, "
          + "done_at = CASE WHEN v.state IN ('SENT', 'FAILED', 'OPTED_OUT', 'SKIPPED') THEN now() END "
          + "FROM unnest($2::bigint[], $3::text[], $4::text[], $5::timestamptz[]) AS v(contact_id, state, error, next_attempt_at) "
          + "WHERE t.campaign_id = $1 AND t.contact_id = v.contact_id AND t.state = 'SENDING'";
}
