package istanbul.hes.campaign;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** A campaign as stored: what it sends, to whom, how fast, and where it stands. */
record Campaign(
    long id,
    String name,
    Texts texts,
    String personalizationUrl,
    List<Channel> channels,
    Optional<Integer> activeWithinDays,
    int ratePerSecond,
    Optional<QuietHours> quietHours,
    State state,
    Instant createdAt,
    String createdBy,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    Instant changedAt,
    String changedBy) {

  enum State { DRAFT, RUNNING, PAUSED, DONE }

  /** The notice's texts, per language: the message (SMS text, push body) and the push title. */
  record Texts(String templateTr, String templateEn, String pushTitleTr, String pushTitleEn) {
    String template(String language) {
      return language.equals("en") ? templateEn : templateTr;
    }

    String pushTitle(String language) {
      return language.equals("en") ? pushTitleEn : pushTitleTr;
    }
  }

  static Campaign from(Row row) {
    LocalTime quietFrom = row.getLocalTime(10);
    LocalTime quietTo = row.getLocalTime(11);
    return new Campaign(
        row.getLong(0),
        row.getString(1),
        new Texts(row.getString(2), row.getString(3), row.getString(4), row.getString(5)),
        row.getString(6),
        List.of(row.getArrayOfStrings(7)).stream().map(Channel::valueOf).toList(),
        Optional.ofNullable(row.getInteger(8)),
        row.getInteger(9),
        quietFrom == null ? Optional.empty() : Optional.of(new QuietHours(quietFrom, quietTo)),
        State.valueOf(row.getString(12)),
        instant(row.getOffsetDateTime(13)),
        row.getString(14),
        Optional.ofNullable(row.getOffsetDateTime(15)).map(Campaign::instant),
        Optional.ofNullable(row.getOffsetDateTime(16)).map(Campaign::instant),
        instant(row.getOffsetDateTime(17)),
        row.getString(18));
  }

  private static Instant instant(OffsetDateTime time) {
    return time.toInstant();
  }

  /** The admin API's view, with the progress of its targets. */
  JsonObject toJson(Progress progress) {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("state", state.name())
        .put("channels", new JsonArray(channels.stream().map(Channel::name).toList()))
        .put("templates", new JsonObject().put("tr", texts.templateTr()).put("en", texts.templateEn()))
        .put("pushTitles", new JsonObject().put("tr", texts.pushTitleTr()).put("en", texts.pushTitleEn()))
        .put("personalizationUrl", personalizationUrl)
        .put("target", new JsonObject().put("activeWithinDays", activeWithinDays.orElse(null)))
        .put("ratePerSecond", ratePerSecond)
        .put("quietHours", quietHours.map(quiet -> new JsonObject().put("from", quiet.from().toString())
            .put("to", quiet.to().toString())).orElse(null))
        .put("createdAt", createdAt.toString())
        .put("createdBy", createdBy)
        .put("startedAt", startedAt.map(Instant::toString).orElse(null))
        .put("finishedAt", finishedAt.map(Instant::toString).orElse(null))
        .put("changedAt", changedAt.toString())
        .put("changedBy", changedBy);
    progress.putInto(json);
    return json;
  }
}
