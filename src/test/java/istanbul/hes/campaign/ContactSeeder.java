package istanbul.hes.campaign;

import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.testing.Await;
import istanbul.hes.testing.CardSeeder;
import istanbul.hes.testing.TestEnvironment;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Anonymous cards with registered contacts, straight into PostgreSQL (as many as a campaign test
 * needs, quickly): phones and push tokens unique to the run, encrypted and hashed as
 * {@link Contacts} stores them. The cards are not in any node's map: campaigns read PostgreSQL only.
 */
final class ContactSeeder {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicLong NEXT_PHONE = new AtomicLong(1_000_000 + RANDOM.nextInt(4_000_000));

  /** A seeded contact, its address in clear for the test to look up in the simulators. */
  record Seeded(long contactId, long card, Channel channel, String address, String language) {}

  private final Pool pool;
  private final IdentityProtector protector;

  ContactSeeder(TestEnvironment environment) {
    this.pool = environment.pool();
    this.protector = environment.identityProtector();
  }

  List<Seeded> seed(int sms, int push, String language) {
    int total = sms + push;
    Long[] cards = new Long[total];
    for (int i = 0; i < total; i++) {
      cards[i] = CardSeeder.unusedCardNumber();
    }
    Await.result(pool.preparedQuery("INSERT INTO cards (card_no, kind) SELECT unnest($1::bigint[]), 'ANONYMOUS'").execute(Tuple.of((Object) cards)));
    Buffer[] holders = new Buffer[total];
    String[] channels = new String[total];
    Buffer[] addresses = new Buffer[total];
    Buffer[] hashes = new Buffer[total];
    String[] plain = new String[total];
    for (int i = 0; i < total; i++) {
      byte[] holder = new byte[32];
      RANDOM.nextBytes(holder);
      holders[i] = Buffer.buffer(holder);
      boolean bySms = i < sms;
      channels[i] = bySms ? "SMS" : "PUSH";
      plain[i] = bySms ? "+90555" + NEXT_PHONE.getAndIncrement() : "push-token-" + Long.toHexString(RANDOM.nextLong()) + "-" + i;
      addresses[i] = Buffer.buffer(protector.encrypt(plain[i]));
      hashes[i] = Buffer.buffer(protector.hash(bySms ? Contacts.PHONE_PURPOSE : "campaign-push", plain[i]));
    }
    List<Row> rows = new ArrayList<>();
    Await.result(pool.preparedQuery("INSERT INTO campaign_contacts (card_no, holder_hash, channel, address_enc, address_hash, "
            + "language, consent_at) SELECT c, h, ch, a, ah, $6, now() FROM unnest($1::bigint[], $2::bytea[], $3::text[], "
            + "$4::bytea[], $5::bytea[]) AS v(c, h, ch, a, ah) RETURNING contact_id, card_no")
        .execute(Tuple.of(cards, holders, channels, addresses, hashes, language))).forEach(rows::add);
    Map<Long, Integer> byCard = new HashMap<>();
    for (int i = 0; i < total; i++) {
      byCard.put(cards[i], i);
    }
    List<Seeded> seeded = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      Row row = rows.get(i);
      int index = byCard.get(row.getLong(1));
      seeded.add(new Seeded(row.getLong(0), cards[index], Channel.valueOf(channels[index]), plain[index], language));
    }
    return seeded;
  }
}
