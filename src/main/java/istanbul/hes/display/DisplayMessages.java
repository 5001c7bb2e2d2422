package istanbul.hes.display;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import istanbul.hes.config.ConfigException;
import istanbul.hes.config.DisplayMessagesConfig;
import istanbul.hes.config.StartupFailure;
import istanbul.hes.tap.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The texts a validator shows on its screen for each tap reason, in Turkish and English, from
 * {@code displayMessages.file}: validated at start (a missing reason, language or an overlong text
 * stops the node, naming the key), re-read when the file changes (a broken edit is logged once and
 * the texts before it stay), and served as one JSON document with a strong ETag, so validators
 * fetch them once and ask again with {@code If-None-Match}.
 */
public final class DisplayMessages implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(DisplayMessages.class);
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** A validator's screen line or two. */
  static final int MAX_TEXT = 120;
  static final Set<String> LANGUAGES = Set.of("tr", "en");

  private final DisplayMessagesConfig config;
  private volatile Served served;
  private long loadedModified = -1;
  private long loadedSize = -1;

  /** The document as sent, and its ETag. */
  private record Served(Buffer body, String etag) {}

  private DisplayMessages(DisplayMessagesConfig config) {
    this.config = config;
  }

  /**
   * Reads and checks the file once at start, blocking (the node's start-up checks run on a worker,
   * before the database is touched); a missing or invalid file is a configuration error.
   */
  public static DisplayMessages read(DisplayMessagesConfig config) {
    DisplayMessages messages = new DisplayMessages(config);
    Path file = config.file();
    try {
      messages.loadedModified = Files.getLastModifiedTime(file).toMillis();
      messages.loadedSize = Files.size(file);
      messages.served = serve(parse(Buffer.buffer(Files.readAllBytes(file))));
      return messages;
    } catch (IOException e) {
      throw StartupFailure.configuration("displayMessages.file", file + " cannot be read: " + StartupFailure.fileProblem(e), e);
    } catch (ConfigException e) {
      throw StartupFailure.configuration("displayMessages.file", file + " is invalid: " + e.getMessage(), e);
    }
  }

  /** Polls the file every {@code displayMessages.reloadSeconds}; swaps the texts when it changed and is valid. */
  public long watch(Vertx vertx) {
    return vertx.setPeriodic(config.reloadSeconds() * 1000L, id -> vertx.fileSystem().props(config.file().toString())
        .onSuccess(props -> {
          if (props.lastModifiedTime() != loadedModified || props.size() != loadedSize) {
            reload(vertx)
                .onSuccess(done -> LOG.info("validator screen texts reloaded from {} (version {})", config.file(), served.etag()))
                .onFailure(failure -> LOG.error("validator screen texts in {} are invalid, keeping the previous ones: {}",
                    config.file(), failure.getMessage()));
          }
        }));
  }

  private Future<Void> reload(Vertx vertx) {
    return vertx.fileSystem().props(config.file().toString()).compose(props -> {
      loadedModified = props.lastModifiedTime();
      loadedSize = props.size();
      return vertx.fileSystem().readFile(config.file().toString());
    }).compose(content -> {
      try {
        served = serve(parse(content));
        return Future.succeededFuture();
      } catch (ConfigException e) {
        return Future.failedFuture(e);
      }
    });
  }

  /** The texts by reason and language, or why not. */
  static JsonObject parse(Buffer content) {
    JsonNode root;
    try {
      root = YAML.readTree(content.getBytes());
    } catch (JsonProcessingException e) {
      throw new ConfigException("not valid YAML" + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    } catch (IOException e) {
      throw new ConfigException("not valid YAML");
    }
    JsonNode messages = root == null ? null : root.get("messages");
    if (messages == null || !messages.isObject()) {
      throw new ConfigException("must hold a 'messages' map of reason to texts");
    }
    JsonObject texts = new JsonObject();
    for (Iterator<Map.Entry<String, JsonNode>> fields = messages.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      try {
        Reason.valueOf(field.getKey());
      } catch (IllegalArgumentException e) {
        throw new ConfigException("messages." + field.getKey() + " is not a tap reason (" + java.util.Arrays.toString(Reason.values()) + ")");
      }
      JsonObject languages = new JsonObject();
      for (String language : LANGUAGES.stream().sorted().toList()) {
        JsonNode text = field.getValue().get(language);
        if (text == null || !text.isTextual() || text.asText().isBlank()) {
          throw new ConfigException("messages." + field.getKey() + "." + language + " is missing or empty");
        }
        String value = text.asText().strip();
        if (value.codePointCount(0, value.length()) > MAX_TEXT || value.chars().anyMatch(Character::isISOControl)) {
          throw new ConfigException("messages." + field.getKey() + "." + language + " must be one line of at most " + MAX_TEXT + " characters");
        }
        languages.put(language, value);
      }
      for (Iterator<String> names = field.getValue().fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!LANGUAGES.contains(name)) {
          throw new ConfigException("messages." + field.getKey() + "." + name + " is not a language of the screens (tr, en)");
        }
      }
      texts.put(field.getKey(), languages);
    }
    for (Reason reason : Reason.values()) {
      if (!texts.containsKey(reason.name())) {
        throw new ConfigException("messages." + reason.name() + " is missing: every tap reason needs its texts");
      }
    }
    return texts;
  }

  private static Served serve(JsonObject texts) {
    JsonObject ordered = new JsonObject();
    for (Reason reason : Reason.values()) {
      ordered.put(reason.name(), texts.getJsonObject(reason.name()));
    }
    Buffer messages = ordered.toBuffer();
    String version;
    try {
      version = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(messages.getBytes()), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return new Served(new JsonObject().put("version", version).put("messages", ordered).toBuffer(), "\"" + version + "\"");
  }

  /** GET /v1/display-messages (the cluster is authenticated before). */
  @Override
  public void handle(RoutingContext context) {
    Served current = served;
    context.response().putHeader(HttpHeaderNames.ETAG, current.etag()).putHeader(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    String asked = context.request().getHeader(HttpHeaderNames.IF_NONE_MATCH);
    if (asked != null && matches(asked, current.etag())) {
      context.response().setStatusCode(304).end();
      return;
    }
    context.response().putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json").end(current.body());
  }

  /** {@code If-None-Match}: a list of entity tags, or *, weak ones compared weakly (RFC 9110 13.1.2). */
  private static boolean matches(String header, String etag) {
    for (String tag : header.split(",")) {
      String candidate = tag.strip();
      if (candidate.equals("*") || candidate.equals(etag) || candidate.equals("W/" + etag)) {
        return true;
      }
    }
    return false;
  }
}
