package istanbul.hes.campaign;

import io.vertx.core.json.JsonObject;

/**
 * Where a campaign's targets stand: {@code targeted} = sent + failed + optedOut + skipped +
 * remaining. {@code skipped}: the card was personalized before its turn (the notice had no purpose).
 */
record Progress(long targeted, long sent, long failed, long optedOut, long skipped, long remaining) {
  static final Progress NONE = new Progress(0, 0, 0, 0, 0, 0);

  Progress add(String state, long count) {
    return switch (state) {
      case "SENT" -> new Progress(targeted + count, sent + count, failed, optedOut, skipped, remaining);
      case "FAILED" -> new Progress(targeted + count, sent, failed + count, optedOut, skipped, remaining);
      case "OPTED_OUT" -> new Progress(targeted + count, sent, failed, optedOut + count, skipped, remaining);
      case "SKIPPED" -> new Progress(targeted + count, sent, failed, optedOut, skipped + count, remaining);
      default -> new Progress(targeted + count, sent, failed, optedOut, skipped, remaining + count);
    };
  }

  void putInto(JsonObject json) {
    json.put("targeted", targeted).put("sent", sent).put("failed", failed).put("optedOut", optedOut)
        .put("skipped", skipped).put("remaining", remaining);
  }
}
