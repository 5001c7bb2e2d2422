package istanbul.hes.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import istanbul.hes.http.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The plain reader is only a shortcut: whatever it accepts, Jackson accepts with the same values,
 * and the shapes validators send do take the shortcut. Inputs mix valid and invalid values,
 * extra fields of every JSON type, escapes, non-ASCII, duplicates, white space and corruptions.
 */
class PlainTapReaderProperties {
  private final PlainTapReader plain = new PlainTapReader();
  private final TapRequestParser jackson = new TapRequestParser(1000);

  @Property(tries = 3000)
  void whatThePlainReaderAcceptsJacksonAcceptsAlike(@ForAll("bodies") String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    TapRequests fast = new TapRequests(1);
    boolean accepted = plain.read(bytes, fast, 0);

    TapRequests full = new TapRequests(1);
    Throwable failure = catchThrowable(() -> jackson.parseSingleWithJackson(bytes, full));
    if (accepted) {
      assertThat(failure).as("Jackson rejects what the plain reader accepted: %s", body).isNull();
      assertThat(fast.cards[0]).isEqualTo(full.cards[0]);
      assertThat(fast.validators[0]).isEqualTo(full.validators[0]);
      assertThat(fast.atMillis[0]).isEqualTo(full.atMillis[0]);
    } else if (failure != null) {
      assertThat(failure).isInstanceOf(ProblemException.class);
    }
  }

  @Property(tries = 1000)
  void theShapesValidatorsSendTakeTheShortcut(@ForAll("plainTaps") String body) {
    assertThat(plain.read(body.getBytes(StandardCharsets.US_ASCII), new TapRequests(1), 0)).as(body).isTrue();
  }

  @Provide
  Arbitrary<String> plainTaps() {
    Arbitrary<String> space = Arbitraries.of("", " ", "\n", "\t ", "\r\n");
    Arbitrary<List<String>> fields = Combinators.combine(validCards(), validValidators(), validTimes(), extraPlainField())
        .as((card, validator, at, extra) -> {
          List<String> list = new ArrayList<>(List.of("\"card\":\"" + card + "\"", "\"validator\":\"" + validator + "\"",
              "\"at\":\"" + at + "\""));
          if (!extra.isEmpty()) {
            list.add(extra);
          }
          return list;
        });
    return Combinators.combine(fields.flatMap(list -> Arbitraries.shuffle(list)), space, space)
        .as((list, before, after) -> before + "{" + String.join("," + after, list) + "}" + before);
  }

  @Provide
  Arbitrary<String> bodies() {
    Arbitrary<String> field = Arbitraries.oneOf(
        Combinators.combine(Arbitraries.of("card", "c\\u0061rd", "Card"), anyCard()).as((k, v) -> "\"" + k + "\":" + v),
        validValidators().map(v -> "\"validator\":\"" + v + "\""),
        Arbitraries.of("\"validator\":\"GATE 1\"", "\"validator\":7", "\"validator\":\"G\\u00e7\"", "\"validator\":\"Gç\""),
        validTimes().map(v -> "\"at\":\"" + v + "\""),
        Arbitraries.of("\"at\":\"2026-02-30T08:00:00Z\"", "\"at\":1732176000", "\"at\":\"2026-11-21 08:00:00\""),
        extraAnyField());
    Arbitrary<String> object = field.list().ofMinSize(0).ofMaxSize(6)
        .map(list -> "{" + String.join(",", list) + "}");
    return Combinators.combine(object, Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 200))
        .as(PlainTapReaderProperties::corrupt);
  }

  /** Most bodies are left alone; some lose or gain a character, or get trailing content. */
  private static String corrupt(String body, int how, int where) {
    int at = body.isEmpty() ? 0 : where % body.length();
    return switch (how) {
      case 0 -> body.isEmpty() ? body : body.substring(0, at) + body.substring(at + 1);
      case 1 -> body.substring(0, at) + "," + body.substring(at);
      case 2 -> body + "x";
      case 3 -> body.substring(0, at) + "\"" + body.substring(at);
      default -> body;
    };
  }

  private static Arbitrary<String> validCards() {
    return Arbitraries.longs().between(0, 9_999_999_999_999_999L).flatMap(n -> {
      String digits = String.format("%016d", n);
      String spaced = digits.substring(0, 4) + " " + digits.substring(4, 8) + " " + digits.substring(8, 12) + " " + digits.substring(12);
      return Arbitraries.of(digits, spaced);
    });
  }

  private static Arbitrary<String> anyCard() {
    return Arbitraries.oneOf(
        validCards().map(c -> "\"" + c + "\""),
        Arbitraries.of("\"400012345678901\"", "\"40001234567890123\"", "\"4000-1234-5678-9012\"", "\"400012345678901２\"",
            "\"4000\\u0031234567890123\"", "4000123456789012", "null", "\"\"", "{\"n\":1}", "[\"4000123456789012\"]"));
  }

  private static Arbitrary<String> validValidators() {
    return Arbitraries.strings().withChars("ABCXYZabz0189.-_:").ofMinLength(1).ofMaxLength(64);
  }

  private static Arbitrary<String> validTimes() {
    return Arbitraries.of("2026-11-21T08:00:00Z", "2026-11-21T08:00:00.5+03:00", "2024-02-29T23:59:59.123456789-01:30",
        "1999-12-31t00:00:00z");
  }

  private static Arbitrary<String> extraPlainField() {
    return Arbitraries.of("", "\"seq\":\"17\"", "\"firmware\":\"2.4.1\"", "\"\":\"\"");
  }

  private static Arbitrary<String> extraAnyField() {
    return Arbitraries.of("\"x\":1", "\"x\":-1.5e3", "\"x\":true", "\"x\":null", "\"x\":[1,{\"a\":[]}]", "\"x\":{\"card\":\"1\"}",
        "\"x\":\"\\\"quoted\\\"\"", "\"isim\":\"Şükrü\"", "\"x\":\"tab\there\"", "\"seq\":\"17\"");
  }
}
