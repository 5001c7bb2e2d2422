package istanbul.hes.ministry.health;

/** HES codes are personal data: logs and messages show only their first 4 characters. */
public final class HesCodes {
  private static final int VISIBLE = 4;

  private HesCodes() {}

  /** "G1B5644915" → "G1B5******"; the length is kept, nothing after the 4th character shows. */
  public static String mask(String code) {
    if (code == null) {
      return "null";
    }
    if (code.length() <= VISIBLE) {
      return "*".repeat(code.length());
    }
    return code.substring(0, VISIBLE) + "*".repeat(code.length() - VISIBLE);
  }
}
