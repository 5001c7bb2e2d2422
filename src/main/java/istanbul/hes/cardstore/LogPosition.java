package istanbul.hes.cardstore;

/**
 * How far the map has followed {@code card_status_log}: every row with {@code version <= version}
 * whose transaction id is below {@code xmin} is in the map. Rows of transactions at or above
 * {@code xmin} may have committed later with lower versions, so readers ask for
 * {@code version > version OR txid >= xmin} and settle duplicates by card version.
 */
public record LogPosition(long version, long xmin) {
  public static final LogPosition START = new LogPosition(0, 0);
}
