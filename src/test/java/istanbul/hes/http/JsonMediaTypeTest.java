package istanbul.hes.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonMediaTypeTest {
  @ParameterizedTest
  @ValueSource(strings = {"application/json", "Application/JSON", "application/json; charset=utf-8", "application/json;charset=UTF-8",
      "application/json ;  charset=\"utf-8\"", " application/json ", "application/json;\tCharset=Utf-8 "})
  void jsonWithAtMostAUtf8CharsetIsAccepted(String header) {
    assertThat(JsonMediaType.accepts(header)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "application/jsonp", "application/json-seq", "application/json;charset=UTF-16", "text/json",
      "application/problem+json", "application/json;", "application/json; charset=", "application/json; charset=\"utf-8",
      "application/json; charset=utf-8; x=y", "application/json; boundary=x", "application/json charset=utf-8",
      "application/json; charset = utf-8", "application/x-www-form-urlencoded", "application/json; charset=utf-88"})
  void anythingElseIsRefused(String header) {
    assertThat(JsonMediaType.accepts(header)).isFalse();
  }

  @Test
  void aMissingHeaderIsNotJson() {
    assertThat(JsonMediaType.accepts(null)).isFalse();
  }
}
