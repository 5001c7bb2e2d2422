package istanbul.hes.simulator.health;

import java.util.Locale;

/** How the ministry masks identity data in its answers. */
public final class Masking {
  private static final Locale TURKISH = Locale.forLanguageTag("tr-TR");

  private Masking() {}

  /** Only the last 3 characters show: "12345678792" → "********792". */
  public static String identityNumber(String identity) {
    int hidden = Math.max(0, identity.length() - 3);
    return "*".repeat(hidden) + identity.substring(hidden);
  }

  /** The first 2 letters (upper case, Turkish rules), then one '*' per remaining character: "Deniz" → "DE***". */
  public static String name(String name) {
    String upper = name.strip().toUpperCase(TURKISH);
    int[] codePoints = upper.codePoints().toArray();
    int shown = Math.min(2, codePoints.length);
    return new String(codePoints, 0, shown) + "*".repeat(codePoints.length - shown);
  }
}
