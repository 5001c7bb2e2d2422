package istanbul.hes.violation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemCode;
import istanbul.hes.http.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** The operators' view of given-up violation reports: list them, send them again. No personal data shown. */
public final class DeadLetters {
  /** Ids per re-queue request (the admin listener's body limit holds this many). */
  public static final int MAX_REQUEUE_IDS = 5_000;
  /** A report id as the gateway writes it: ASCII hex only (UUID.fromString alone takes "1-2-3-4-5" and non-ASCII digits). */
  private static final Pattern REPORT_ID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

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

  /**
   * The reports a re-queue request names: {@code {"ids":[…]}} (1 to {@value #MAX_REQUEUE_IDS}
   * report ids) or {@code {"all":true}}, exactly one of the two; other fields are ignored. An
   * empty list means all.
   *
   * @throws ProblemException 400 for anything else
   */
  public static List<UUID> requeueRequest(Object body) {
    if (!(body instanceof JsonObject request)) {
      throw invalid("the body must be a JSON object: {\"ids\":[…]} or {\"all\":true}");
    }
    Object ids = request.getValue("ids");
    Object all = request.getValue("all");
    if (all != null && ids != null) {
      throw invalid("give either ids or all, not both");
    }
    if (all != null) {
      if (!Boolean.TRUE.equals(all)) {
        throw invalid("all must be true");
      }
      return List.of();
    }
    if (!(ids instanceof JsonArray list) || list.isEmpty() || list.size() > MAX_REQUEUE_IDS) {
      throw invalid("ids must be an array of 1 to " + MAX_REQUEUE_IDS + " report ids, or use {\"all\":true}");
    }
    List<UUID> parsed = new ArrayList<>(list.size());
    for (Object id : list) {
      if (!(id instanceof String text) || !REPORT_ID.matcher(text).matches()) {
        throw invalid("every id must be a report id (a UUID, ASCII hex digits)");
      }
      parsed.add(UUID.fromString(text));
    }
    return parsed;
  }

  private static ProblemException invalid(String detail) {
    return Problem.of(ProblemCode.INVALID_REQUEUE, detail).exception();
  }

  /** Sends the given dead letters again (all when {@code ids} is empty); the count re-queued. */
  public Future<Integer> requeue(List<UUID> ids) {
    return pool.preparedQuery(ViolationSql.REQUEUE).execute(Tuple.of(ids.toArray(UUID[]::new))).map(rows -> rows.rowCount());
  }
}
