package istanbul.hes.citizen.domain;

import java.text.Normalizer;

/**
 * A first or last name. Normalized to NFC, leading and trailing spaces removed and runs of spaces
 * collapsed to one (U+0020 only; tabs, no-break spaces and other white space are invalid); then 1
 * to 50 code points of:
 *
 * <ul>
 *   <li>Unicode letters (Turkish {@code ç ğ ı İ ö ş ü} included) and combining marks following a
 *       letter;
 *   <li>a space, hyphen-minus or apostrophe between two letters ({@code "Ayşe Nur"},
 *       {@code "Ali-Rıza"}, {@code "O'Brien"}). The typographic apostrophe {@code ’} (U+2019, what
 *       phone keyboards insert) is accepted and stored as {@code '}.
 * </ul>
 *
 * Digits, punctuation, symbols, control and format characters (zero-width joiners, bidi marks) are
 * invalid. Mixed-script look-alikes are out of scope. Personal data: {@link #toString()} shows the
 * first letter only.
 */
public final class PersonName {
  public static final String FIRST_NAME_FIELD = "firstName";
  public static final String LAST_NAME_FIELD = "lastName";
  public static final int MAX_LENGTH = 50;

  private final String value;

  private PersonName(String value) {
    this.value = value;
  }

  public static PersonName firstName(String text) {
    return parse(text, FIRST_NAME_FIELD);
  }

  public static PersonName lastName(String text) {
    return parse(text, LAST_NAME_FIELD);
  }

  public static PersonName parse(String text, String field) {
    if (text == null) {
      throw new InvalidInputException(ValidationCode.INVALID_NAME, field, field + " is missing");
    }
    String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
    StringBuilder name = new StringBuilder(nfc.length());
    int codePoints = 0;
    int previous = ' '; // as if preceded by a space: the name cannot start with a separator or mark
    for (int k = 0; k < nfc.length(); ) {
      int c = nfc.codePointAt(k);
      k += Character.charCount(c);
      if (c == ' ') {
        if (previous != ' ' && previous != '-' && previous != '\'') {
          previous = ' ';
        } else if (previous != ' ') {
          throw invalid(field); // "Ali- Veli"
        }
        continue; // appended lazily, before the next letter
      }
      if (c == '\u2019') {
        c = '\'';
      }
      if (c == '-' || c == '\'') {
        if (!Character.isLetter(previous) && !isMark(previous)) {
          throw invalid(field);
        }
      } else if (isMark(c)) {
        if (!Character.isLetter(previous) && !isMark(previous)) {
          throw invalid(field);
        }
      } else if (!Character.isLetter(c)) {
        throw invalid(field);
      }
      if (previous == ' ' && name.length() > 0) {
        if (c == '-' || c == '\'') {
          throw invalid(field); // "Ali -Veli"
        }
        name.append(' ');
        codePoints++;
      }
      name.appendCodePoint(c);
      codePoints++;
      if (codePoints > MAX_LENGTH) {
        throw invalid(field);
      }
      previous = c;
    }
    if (codePoints == 0 || previous == '-' || previous == '\'') {
      throw invalid(field);
    }
    return new PersonName(name.toString());
  }

  private static boolean isMark(int c) {
    int type = Character.getType(c);
    return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  private static InvalidInputException invalid(String field) {
    return new InvalidInputException(ValidationCode.INVALID_NAME, field,
        field + " must be 1 to " + MAX_LENGTH + " letters, with single spaces, hyphens or apostrophes between them");
  }

  /** The normalized name (NFC, single spaces). Personal data: never log it. */
  public String value() {
    return value;
  }

  /** Length in code points (what the ministry's masking counts). */
  public int length() {
    return value.codePointCount(0, value.length());
  }

  /** The first letter and three asterisks, whatever the length. */
  public String masked() {
    return new StringBuilder().appendCodePoint(value.codePointAt(0)).append("***").toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PersonName name && name.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "PersonName[" + masked() + "]";
  }
}
