package istanbul.hes.violation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.cardstore.CardNumber;
import java.util.List;
import java.util.UUID;

/** The operators' view of given-up violation reports: list them, send them again. No personal data shown. */
public final class DeadLetters {
  private final Pool pool;

  public DeadLetters(Pool pool) {
    this.pool = pool;
  }

  /** The oldest dead letters, at most {@code limit}: id, masked card, attempts, last error, recording time. */
  public Future<JsonObject> list(int limit) {
    return pool.preparedQuery(ViolationSql.DEAD).execute(Tuple.of(limit)).map(rows -> {
      JsonArray letters = new JsonArray();
      for (Row row : rows) {
        letters.add(new JsonObject()
            .put("id", row.getUUID(0).toString())
            .put("card", CardNumber.masked(row.getLong(1)))
            .put("attempts", row.getInteger(2))
            .put("lastError", row.getString(3))
            .put("recordedAt", row.getOffsetDateTime(4).toInstant().toString()));
      }
      return new JsonObject().put("deadLetters", letters);
    });
  }

  /** Sends the given dead letters again (all when {@code ids} is empty); the count re-queued. */
  public Future<Integer> requeue(List<UUID> ids) {
    return pool.preparedQuery(ViolationSql.REQUEUE).execute(Tuple.of(ids.toArray(UUID[]::new))).map(rows -> rows.rowCount());
  }
}
