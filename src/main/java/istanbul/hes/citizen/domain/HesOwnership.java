package istanbul.hes.citizen.domain;

import java.text.Normalizer;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides whether a HES code belongs to the caller from the Ministry of Health's masked answer
 * ({@link MaskedHolder}): "the visible digits and letters agree with the caller's own identity
 * number and names".
 *
 * <p>Rule, for each of the three parts: the masked value and the caller's value have the same
 * length (in code points, names after NFC), the masked value shows at least one character, and
 * every character that is not {@code '*'} equals the caller's at the same position. A missing,
 * empty or fully masked part is a mismatch (fail closed: a field that shows nothing proves nothing).
 *
 * <ul>
 *   <li>Identity number: compared with {@link PersonIdentity#documentNumber()}, ASCII
 *       case-insensitively. For a passport identity the ministry is assumed to mask the passport
 *       number the same way as a TCKN (all but the last three characters, true length); the
 *       nationality is not part of the answer and is not compared.
 *   <li>Names: case-insensitively under Turkish casing rules (each character upper-cased with
 *       locale {@code tr}: {@code i → İ}, {@code ı → I}), so {@code "Yılmaz"} matches
 *       {@code "YI****"} but {@code "Yilmaz"} does not, and {@code "ismail"} matches
 *       {@code "İS****"}. The same rule is applied to foreigners' names.
 * </ul>
 *
 * The result names the parts that did not match, never a value.
 */
public final class HesOwnership {
  private static final Locale TURKISH = Locale.forLanguageTag("tr");
  private static final int MASK = '*';

  private HesOwnership() {}

  /** A part of the holder's data. */
  public enum Part {
    IDENTITY_NUMBER("identity number"),
    FIRST_NAME("first name"),
    LAST_NAME("last name");

    private final String label;

    Part(String label) {
      this.label = label;
    }

    /** Words for a problem detail ("identity number"). */
    public String label() {
      return label;
    }
  }

  /** The outcome: owned when nothing mismatched. */
  public record Result(Set<Part> mismatched) {
    public static final Result OWNED = new Result(EnumSet.noneOf(Part.class));

    public Result {
      mismatched = Collections.unmodifiableSet(mismatched.isEmpty() ? EnumSet.noneOf(Part.class) : EnumSet.copyOf(mismatched));
    }

    public boolean owned() {
      return mismatched.isEmpty();
    }

    /**
     * For the {@code HES_NOT_OWNED} problem: which parts disagree, without any value, e.g.
     * {@code "the HES code's holder does not match the caller's identity number and last name"}.
     */
    public String detail() {
      if (owned()) {
        return "the HES code belongs to the caller";
      }
      String parts = mismatched.stream().map(Part::label).collect(Collectors.joining(", "));
      int comma = parts.lastIndexOf(", ");
      if (comma >= 0) {
        parts = parts.substring(0, comma) + " and " + parts.substring(comma + 2);
      }
      return "the HES code's holder does not match the caller's " + parts;
    }
  }

  public static Result check(PersonIdentity identity, PersonName firstName, PersonName lastName, MaskedHolder holder) {
    EnumSet<Part> mismatched = EnumSet.noneOf(Part.class);
    if (!identityMatches(holder.maskedIdentityNumber(), identity.documentNumber())) {
      mismatched.add(Part.IDENTITY_NUMBER);
    }
    if (!nameMatches(holder.maskedFirstName(), firstName.value())) {
      mismatched.add(Part.FIRST_NAME);
    }
    if (!nameMatches(holder.maskedLastName(), lastName.value())) {
      mismatched.add(Part.LAST_NAME);
    }
    return mismatched.isEmpty() ? Result.OWNED : new Result(mismatched);
  }

  /** {@code masked} against an ASCII document number (upper case). */
  static boolean identityMatches(String masked, String number) {
    if (masked == null || masked.length() != number.length()) {
      return false;
    }
    boolean visible = false;
    for (int k = 0; k < masked.length(); k++) {
      char m = masked.charAt(k);
      if (m == MASK) {
        continue;
      }
      if (Ascii.toUpper(m) != number.charAt(k)) {
        return false;
      }
      visible = true;
    }
    return visible;
  }

  /** {@code masked} against a normalized name, per code point, under Turkish casing. */
  static boolean nameMatches(String masked, String name) {
    if (masked == null) {
      return false;
    }
    int[] m = Normalizer.normalize(masked, Normalizer.Form.NFC).codePoints().toArray();
    int[] n = name.codePoints().toArray();
    if (m.length != n.length) {
      return false;
    }
    boolean visible = false;
    for (int k = 0; k < m.length; k++) {
      if (m[k] == MASK) {
        continue;
      }
      if (m[k] != n[k] && !upper(m[k]).equals(upper(n[k]))) {
        return false;
      }
      visible = true;
    }
    return visible;
  }

  private static String upper(int codePoint) {
    return new String(Character.toChars(codePoint)).toUpperCase(TURKISH);
  }
}
