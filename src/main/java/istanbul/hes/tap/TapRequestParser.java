package istanbul.hes.tap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.http.Problem;
import java.io.IOException;

/**
 * Reads tap requests with Jackson's streaming parser straight from the body bytes: no tree, no
 * maps, the card number parsed from the parser's own character buffer. Unknown fields are
 * skipped whatever their type; known fields must have the right type and appear once.
 */
final class TapRequestParser {
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(65_536).build())
      .build();

  private static final int CARD = 1;
  private static final int VALIDATOR = 2;
  private static final int AT = 4;
  private static final int MAX_VALIDATOR_LENGTH = 64;

  private final int maxBatchTaps;
  private final PlainTapReader plain = new PlainTapReader();

  TapRequestParser(int maxBatchTaps) {
    this.maxBatchTaps = maxBatchTaps;
  }

  /** {@code {"card":…,"validator":…,"at":…}} into slot 0. */
  void parseSingle(byte[] body, TapRequests into) {
    if (plain.read(body, into, 0)) {
      into.size = 1;
      return;
    }
    parseSingleWithJackson(body, into);
  }

  /** The full JSON reader: every request the plain reader declines, and every error answer. */
  void parseSingleWithJackson(byte[] body, TapRequests into) {
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw TapProblems.notAnObject("");
      }
      readTap(parser, into, 0, "");
      expectEnd(parser);
      into.size = 1;
    } catch (JsonParseException | StreamConstraintsException e) {
      throw Problem.malformedJson(describe(e)).exception();
    } catch (IOException e) {
      throw Problem.malformedJson("the body could not be read").exception();
    }
  }

  /** {@code {"taps":[…]}}; other top-level fields are ignored. */
  void parseBatch(byte[] body, TapRequests into) {
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw TapProblems.notAnObject("");
      }
      boolean sawTaps = false;
      String field;
      while ((field = parser.nextFieldName()) != null) {
        JsonToken value = parser.nextToken();
        if (!"taps".equals(field)) {
          parser.skipChildren();
          continue;
        }
        if (sawTaps) {
          throw TapProblems.duplicateField("", "taps");
        }
        sawTaps = true;
        if (value != JsonToken.START_ARRAY) {
          throw TapProblems.invalidBatch();
        }
        int count = 0;
        JsonToken element;
        while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
          if (count == maxBatchTaps) {
            throw TapProblems.tooManyTaps(maxBatchTaps);
          }
          String where = "taps[" + count + "].";
          if (element != JsonToken.START_OBJECT) {
            throw TapProblems.notAnObject(where);
          }
          readTap(parser, into, count, where);
          count++;
        }
        into.size = count;
      }
      if (!sawTaps) {
        throw TapProblems.missingField("", "taps");
      }
      expectEnd(parser);
    } catch (JsonParseException | StreamConstraintsException e) {
      throw Problem.malformedJson(describe(e)).exception();
    } catch (IOException e) {
      throw Problem.malformedJson("the body could not be read").exception();
    }
  }

  /** Reads one tap object whose START_OBJECT was just consumed. */
  private static void readTap(JsonParser parser, TapRequests into, int slot, String where) throws IOException {
    int seen = 0;
    String field;
    while ((field = parser.nextFieldName()) != null) {
      JsonToken value = parser.nextToken();
      switch (field) {
        case "card" -> {
          seen = once(seen, CARD, where, field);
          long card = value == JsonToken.VALUE_STRING
              ? CardNumber.parse(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength())
              : CardNumber.INVALID;
          if (card == CardNumber.INVALID) {
            throw TapProblems.invalidCard(where);
          }
          into.cards[slot] = card;
        }
        case "validator" -> {
          seen = once(seen, VALIDATOR, where, field);
          if (value != JsonToken.VALUE_STRING
              || !validValidator(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength())) {
            throw TapProblems.invalidValidator(where);
          }
          into.validators[slot] = parser.getText();
        }
        case "at" -> {
          seen = once(seen, AT, where, field);
          long at = value == JsonToken.VALUE_STRING
              ? TapTime.parseMillis(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength())
              : TapTime.INVALID;
          if (at == TapTime.INVALID) {
            throw TapProblems.invalidTimestamp(where);
          }
          into.atMillis[slot] = at;
        }
        default -> parser.skipChildren();
      }
    }
    if ((seen & CARD) == 0) {
      throw TapProblems.missingField(where, "card");
    }
    if ((seen & VALIDATOR) == 0) {
      throw TapProblems.missingField(where, "validator");
    }
    if ((seen & AT) == 0) {
      throw TapProblems.missingField(where, "at");
    }
  }

  private static int once(int seen, int bit, String where, String field) {
    if ((seen & bit) != 0) {
      throw TapProblems.duplicateField(where, field);
    }
    return seen | bit;
  }

  static boolean validValidator(char[] chars, int offset, int length) {
    if (length < 1 || length > MAX_VALIDATOR_LENGTH) {
      return false;
    }
    for (int i = offset; i < offset + length; i++) {
      char c = chars[i];
      boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == ':';
      if (!allowed) {
        return false;
      }
    }
    return true;
  }

  private static void expectEnd(JsonParser parser) throws IOException {
    if (parser.nextToken() != null) {
      throw Problem.malformedJson("unexpected content after the JSON object").exception();
    }
  }

  /** Where the JSON broke, without Jackson's echo of the source (it may hold the values sent). */
  private static String describe(IOException e) {
    if (e instanceof JsonParseException parse && parse.getLocation() != null) {
      return "the body is not valid JSON (line " + parse.getLocation().getLineNr()
          + ", column " + parse.getLocation().getColumnNr() + ")";
    }
    if (e instanceof StreamConstraintsException) {
      return "the body nests or repeats beyond the accepted limits";
    }
    return "the body is not valid JSON";
  }
}
