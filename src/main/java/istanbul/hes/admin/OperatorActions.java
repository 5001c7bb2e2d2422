package istanbul.hes.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.cardstore.CardKey;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.cardstore.CardStatus;
import istanbul.hes.cardstore.CardStatusStore;
import istanbul.hes.cardstore.CardStatusUpdate;
import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemCode;
import java.util.List;
import java.util.regex.Pattern;

/** Operator block and unblock of a card, through the status API like every other change. */
final class OperatorActions {
  private static final Pattern BLOCK_REASON = Pattern.compile("[A-Z_]{1,32}");
  private static final String FOREIGN_KEY_VIOLATION = "23503";

  private final CardStatusStore store;

  OperatorActions(CardStatusStore store) {
    this.store = store;
  }

  Future<JsonObject> block(long card, String reason, String operator) {
    if (reason == null || !BLOCK_REASON.matcher(reason).matches()) {
      return Future.failedFuture(Problem.of(ProblemCode.INVALID_BLOCK_REASON, "reason must be 1 to 32 characters A-Z or '_', e.g. LOST, STOLEN, FRAUD").exception());
    }
    return store.inTransaction(transaction -> transaction.connection()
            .preparedQuery(OperatorSql.BLOCK).execute(Tuple.of(card, reason, operator))
            .compose(done -> transaction.recompute(new long[] {card}, "OPERATOR_BLOCK")))
        .recover(failure -> failure instanceof PgException pg && FOREIGN_KEY_VIOLATION.equals(pg.getSqlState())
            ? Future.failedFuture(unknownCard())
            : Future.failedFuture(failure))
        .compose(changed -> describe(card));
  }

  Future<JsonObject> unblock(long card) {
    return store.inTransaction(transaction -> transaction.connection()
            .preparedQuery(OperatorSql.CARD_EXISTS).execute(Tuple.of(card))
            .compose(rows -> rows.size() == 0
                ? Future.<List<CardStatusUpdate>>failedFuture(unknownCard())
                : transaction.connection().preparedQuery(OperatorSql.UNBLOCK).execute(Tuple.of(card))
                    .compose(done -> transaction.recompute(new long[] {card}, "OPERATOR_UNBLOCK"))))
        .compose(changed -> describe(card));
  }

  /** What PostgreSQL and this node's map say of a card. */
  Future<JsonObject> describe(long card) {
    return store.fromDatabase(card).map(fromDatabase -> {
      JsonObject answer = new JsonObject().put("card", CardNumber.format(card));
      answer.put("database", fromDatabase.map(OperatorActions::toJson).orElse(null));
      if (store.map().open()) {
        CardStatus status = new CardStatus();
        boolean known = store.map().lookup(card, new CardKey(), status);
        answer.put("map", known ? toJson(status) : null);
      }
      return answer;
    });
  }

  private static JsonObject toJson(CardStatusUpdate update) {
    return toJson(update.toStatus(new CardStatus()));
  }

  private static JsonObject toJson(CardStatus status) {
    return new JsonObject()
        .put("version", status.version())
        .put("personalized", status.personalized())
        .put("blocked", status.blocked())
        .put("hesLinked", status.hesLinked())
        .put("hesExpiresOn", status.hesLinked() && status.hesExpiresOnDay() != CardStatus.NO_EXPIRY
            ? java.time.LocalDate.ofEpochDay(status.hesExpiresOnDay()).toString() : null)
        .put("risky", status.risky());
  }

  static Throwable unknownCard() {
    return Problem.of(ProblemCode.UNKNOWN_CARD, "no card with this number").exception();
  }
}
