package istanbul.hes.cardstore;

import io.vertx.sqlclient.Row;

/** Reads the status columns that every query of {@link CardStatusSql} returns in the same order. */
final class CardStatusRows {
  private CardStatusRows() {}

  static long card(Row row) {
    return row.getLong(0);
  }

  static CardStatus read(Row row, CardStatus into) {
    Integer expiresOnDay = row.getInteger(4);
    Integer index = row.getInteger(6);
    return into.set(
        row.getLong(7),
        row.getBoolean(1),
        row.getBoolean(2),
        row.getBoolean(3),
        expiresOnDay == null ? CardStatus.NO_EXPIRY : expiresOnDay,
        row.getBoolean(5),
        index == null ? CardStatus.NO_INDEX : index);
  }

  static CardStatusUpdate update(Row row) {
    return CardStatusUpdate.of(card(row), read(row, new CardStatus()));
  }
}
