package istanbul.hes.http;

/**
 * Whether a Content-Type header names the one body type the gateway reads:
 * {@code application/json}, with at most a {@code charset=UTF-8} parameter (case-insensitive,
 * optionally quoted, optional whitespace around the ';'). A prefix test would also take
 * application/jsonp, application/json-seq or a UTF-16 body as JSON.
 *
 * <p>Reads the header's characters in place: no allocation, so the tap path can call it per request.
 */
public final class JsonMediaType {
  private static final String TYPE = "application/json";
  private static final String CHARSET = "charset";
  private static final String UTF_8 = "utf-8";

  private JsonMediaType() {}

  public static boolean accepts(CharSequence header) {
    if (header == null) {
      return false;
    }
    int end = trimEnd(header);
    int i = skipWhitespace(header, 0, end);
    if (!regionMatches(header, i, end, TYPE)) {
      return false;
    }
    i = skipWhitespace(header, i + TYPE.length(), end);
    if (i == end) {
      return true;
    }
    if (header.charAt(i) != ';') {
      return false;
    }
    i = skipWhitespace(header, i + 1, end);
    if (!regionMatches(header, i, end, CHARSET)) {
      return false;
    }
    i += CHARSET.length();
    if (i == end || header.charAt(i) != '=') {
      return false;
    }
    i++;
    boolean quoted = i < end && header.charAt(i) == '"';
    if (quoted) {
      i++;
    }
    if (!regionMatches(header, i, end, UTF_8)) {
      return false;
    }
    i += UTF_8.length();
    if (quoted) {
      if (i == end || header.charAt(i) != '"') {
        return false;
      }
      i++;
    }
    return i == end;
  }

  private static int trimEnd(CharSequence text) {
    int end = text.length();
    while (end > 0 && isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    return end;
  }

  private static int skipWhitespace(CharSequence text, int from, int end) {
    int i = from;
    while (i < end && isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t';
  }

  /** {@code expected} (lower case) at {@code from}, ignoring ASCII case. */
  private static boolean regionMatches(CharSequence text, int from, int end, String expected) {
    if (end - from < expected.length()) {
      return false;
    }
    for (int k = 0; k < expected.length(); k++) {
      char c = text.charAt(from + k);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      if (c != expected.charAt(k)) {
        return false;
      }
    }
    return true;
  }
}
