package istanbul.hes.campaign;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import istanbul.hes.admin.AdminRequests;
import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemCode;
import java.net.URI;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A new campaign as an operator describes it (POST /admin/v1/campaigns), checked whole before
 * anything is stored: the texts in Turkish and English carry the personalization address
 * ({@value Notices#URL}) and the opt-out link ({@value Notices#OPT_OUT}) and fit an SMS once
 * filled in; the channels exist; the rate is within {@code campaigns.maxRatePerSecond}.
 */
record CampaignRequest(
    String name,
    Campaign.Texts texts,
    String personalizationUrl,
    List<Channel> channels,
    Optional<Integer> activeWithinDays,
    int ratePerSecond,
    Optional<QuietHours> quietHours) {

  private static final Pattern HH_MM = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?");
  private static final int MAX_TEMPLATE = 700;
  private static final int MAX_TITLE = 100;

  static CampaignRequest parse(JsonObject body, int maxRate, boolean pushConfigured) {
    String name = text(body, "name", 1, 200);
    JsonObject templates = object(body, "templates");
    String tr = template(templates, "tr");
    String en = template(templates, "en");
    JsonObject titles = body.getValue("pushTitles") == null ? new JsonObject() : object(body, "pushTitles");
    String titleTr = titles.getValue("tr") == null ? "İstanbulkart" : text(titles, "tr", 1, MAX_TITLE);
    String titleEn = titles.getValue("en") == null ? "Istanbulkart" : text(titles, "en", 1, MAX_TITLE);
    String url = text(body, "personalizationUrl", 1, 200);
    if (!url.startsWith("https://") || !validUri(url)) {
      throw AdminRequests.invalid("personalizationUrl must be an https address");
    }
    List<Channel> channels = channels(body);
    if (channels.contains(Channel.PUSH) && !pushConfigured) {
      throw Problem.of(ProblemCode.CHANNEL_NOT_CONFIGURED,
          "PUSH needs campaigns.pushGatewayUrl on the nodes; send with SMS only, or configure the push gateway").exception();
    }
    Optional<Integer> activeWithinDays = Optional.empty();
    JsonObject target = body.getValue("target") == null ? new JsonObject() : object(body, "target");
    if (target.getValue("activeWithinDays") != null) {
      activeWithinDays = Optional.of(integer(target, "activeWithinDays", 1, 366, "target.activeWithinDays"));
    }
    int rate = integer(body, "ratePerSecond", 1, maxRate, "ratePerSecond");
    Optional<QuietHours> quiet = Optional.empty();
    if (body.getValue("quietHours") != null) {
      JsonObject hours = object(body, "quietHours");
      LocalTime from = time(hours, "from");
      LocalTime to = time(hours, "to");
      if (from.equals(to)) {
        throw AdminRequests.invalid("quietHours.from and quietHours.to must differ");
      }
      quiet = Optional.of(new QuietHours(from, to));
    }
    return new CampaignRequest(name, new Campaign.Texts(tr, en, titleTr, titleEn), url, channels, activeWithinDays, rate, quiet);
  }

  private static String template(JsonObject templates, String language) {
    String template = text(templates, language, 1, MAX_TEMPLATE);
    if (!template.contains(Notices.URL) || !template.contains(Notices.OPT_OUT)) {
      throw AdminRequests.invalid("templates." + language + " must contain " + Notices.URL + " (the personalization address) and "
          + Notices.OPT_OUT + " (the opt-out link)");
    }
    return template;
  }

  private static List<Channel> channels(JsonObject body) {
    if (!(body.getValue("channels") instanceof JsonArray array) || array.isEmpty() || array.size() > 2) {
      throw AdminRequests.invalid("channels must list SMS and/or PUSH");
    }
    List<Channel> channels = new ArrayList<>();
    for (Object value : array) {
      if (!(value instanceof String text) || !(text.equals("SMS") || text.equals("PUSH")) || channels.contains(Channel.valueOf(text))) {
        throw AdminRequests.invalid("channels must list SMS and/or PUSH, each once");
      }
      channels.add(Channel.valueOf(text));
    }
    return List.copyOf(channels);
  }

  private static JsonObject object(JsonObject body, String field) {
    if (!(body.getValue(field) instanceof JsonObject object)) {
      throw AdminRequests.invalid(field + " must be an object");
    }
    return object;
  }

  private static String text(JsonObject body, String field, int min, int max) {
    if (!(body.getValue(field) instanceof String text) || text.strip().length() < min || text.length() > max
        || text.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
      throw AdminRequests.invalid(field + " must be text of " + min + " to " + max + " characters");
    }
    return text.strip();
  }

  private static int integer(JsonObject body, String field, int min, int max, String name) {
    if (!(body.getValue(field) instanceof Integer value) || value < min || value > max) {
      throw AdminRequests.invalid(name + " must be a whole number from " + min + " to " + max);
    }
    return value;
  }

  private static LocalTime time(JsonObject hours, String field) {
    if (!(hours.getValue(field) instanceof String text) || !HH_MM.matcher(text).matches()) {
      throw AdminRequests.invalid("quietHours." + field + " must be HH:MM (Istanbul time)");
    }
    try {
      return LocalTime.parse(text);
    } catch (DateTimeParseException e) {
      throw AdminRequests.invalid("quietHours." + field + " must be HH:MM (Istanbul time)");
    }
  }

  private static boolean validUri(String url) {
    try {
      return URI.create(url).getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
