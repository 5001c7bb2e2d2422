package istanbul.hes.tap;

import istanbul.hes.cardstore.CardNumber;

/**
 * The fast path of {@link TapRequestParser} for what validators actually send: one flat object
 * of plain-ASCII string fields, e.g. {@code {"card":"…","validator":"…","at":"…"}}, in any
 * order, with any white space and any extra string fields. It reads the bytes once without
 * creating a parser; profiling showed Jackson's per-request set-up and parse to be most of the
 * tap path's own cost.
 *
 * <p>It only ever accepts: anything it does not fully understand or that is not valid (escapes,
 * non-ASCII, numbers, nested values, duplicates, a bad value, a syntax error) makes it answer
 * {@code false}, and Jackson reads the request instead. So every error answer, and every unusual
 * but valid request, keeps Jackson's exact behaviour; a property test holds the two together.
 */
final class PlainTapReader {
  private static final int CARD = 1;
  private static final int VALIDATOR = 2;
  private static final int AT = 4;
  private static final int ALL = CARD | VALIDATOR | AT;
  private static final int LONGEST_VALUE = 64;

  /** ASCII copy of a value, for the char-based card and time parsers. One per event loop. */
  private final char[] scratch = new char[LONGEST_VALUE];

  /** @return true when {@code body} was a valid tap and slot {@code slot} of {@code into} holds it */
  boolean read(byte[] body, TapRequests into, int slot) {
    int end = body.length;
    int i = skipWhiteSpace(body, 0);
    if (i == end || body[i] != '{') {
      return false;
    }
    int seen = 0;
    i = skipWhiteSpace(body, i + 1);
    while (true) {
      if (i == end || body[i] != '"') {
        return false;
      }
      int keyStart = i + 1;
      int keyEnd = plainStringEnd(body, keyStart);
      if (keyEnd < 0) {
        return false;
      }
      i = skipWhiteSpace(body, keyEnd + 1);
      if (i == end || body[i] != ':') {
        return false;
      }
      i = skipWhiteSpace(body, i + 1);
      if (i == end || body[i] != '"') {
        return false;
      }
      int valueStart = i + 1;
      int valueEnd = plainStringEnd(body, valueStart);
      if (valueEnd < 0) {
        return false;
      }
      int field = field(body, keyStart, keyEnd - keyStart);
      if (field != 0) {
        if ((seen & field) != 0 || !store(field, body, valueStart, valueEnd - valueStart, into, slot)) {
          return false;
        }
        seen |= field;
      }
      i = skipWhiteSpace(body, valueEnd + 1);
      if (i == end) {
        return false;
      }
      if (body[i] == '}') {
        return seen == ALL && skipWhiteSpace(body, i + 1) == end;
      }
      if (body[i] != ',') {
        return false;
      }
      i = skipWhiteSpace(body, i + 1);
    }
  }

  private boolean store(int field, byte[] body, int start, int length, TapRequests into, int slot) {
    if (length > LONGEST_VALUE) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      scratch[i] = (char) body[start + i];
    }
    switch (field) {
      case CARD -> {
        long card = CardNumber.parse(scratch, 0, length);
        if (card == CardNumber.INVALID) {
          return false;
        }
        into.cards[slot] = card;
      }
      case VALIDATOR -> {
        if (!TapRequestParser.validValidator(scratch, 0, length)) {
          return false;
        }
        into.validators[slot] = new String(scratch, 0, length);
      }
      default -> {
        long at = TapTime.parseMillis(scratch, 0, length);
        if (at == TapTime.INVALID) {
          return false;
        }
        into.atMillis[slot] = at;
      }
    }
    return true;
  }

  /** Which known field a key names (0: none). Keys are compared as raw ASCII bytes. */
  private static int field(byte[] body, int start, int length) {
    return switch (length) {
      case 4 -> body[start] == 'c' && body[start + 1] == 'a' && body[start + 2] == 'r' && body[start + 3] == 'd' ? CARD : 0;
      case 2 -> body[start] == 'a' && body[start + 1] == 't' ? AT : 0;
      case 9 -> matches(body, start, "validator") ? VALIDATOR : 0;
      default -> 0;
    };
  }

  private static boolean matches(byte[] body, int start, String word) {
    for (int i = 0; i < word.length(); i++) {
      if (body[start + i] != word.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Index of the closing quote of a string starting at {@code from}, or -1 when the string is
   * not plain: an escape, a control character, a non-ASCII byte, or no closing quote.
   */
  private static int plainStringEnd(byte[] body, int from) {
    for (int i = from; i < body.length; i++) {
      byte b = body[i];
      if (b == '"') {
        return i;
      }
      if (b == '\\' || b < 0x20) { // negative: non-ASCII
        return -1;
      }
    }
    return -1;
  }

  private static int skipWhiteSpace(byte[] body, int from) {
    int i = from;
    while (i < body.length && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t')) {
      i++;
    }
    return i;
  }
}
