package istanbul.hes.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The layered key/value view of the configuration: the documented defaults built into the jar,
 * then an optional operator file, then explicit overrides, then environment variables. Only keys
 * that exist in the defaults are accepted, so a typo fails at start with the key's name.
 */
public final class ConfigSource {
  static final String DEFAULTS_RESOURCE = "config/gateway.yaml";
  static final String ENV_PREFIX = "HES_";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Map<String, String> values;
  private final Map<String, String> origins;

  private ConfigSource(Map<String, String> values, Map<String, String> origins) {
    this.values = values;
    this.origins = origins;
  }

  /**
   * @param file optional operator file (YAML), e.g. from --config or HES_CONFIG
   * @param overrides dotted keys set programmatically (tests, the demo), applied before the environment
   * @param environment usually System.getenv()
   */
  public static ConfigSource load(Optional<Path> file, Map<String, String> overrides, Map<String, String> environment) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> origins = new LinkedHashMap<>();
    flatten("", readDefaults(), values);
    values.keySet().forEach(key -> origins.put(key, "default"));

    file.ifPresent(path -> {
      Map<String, String> fromFile = new LinkedHashMap<>();
      flatten("", readFile(path), fromFile);
      overlay(values, origins, fromFile, path.toString());
    });
    overlay(values, origins, overrides, "override");

    Map<String, String> fromEnvironment = new LinkedHashMap<>();
    for (String key : values.keySet()) {
      String value = environment.get(environmentName(key));
      if (value != null) {
        fromEnvironment.put(key, value);
      }
    }
    for (Map.Entry<String, String> entry : fromEnvironment.entrySet()) {
      values.put(entry.getKey(), entry.getValue());
      origins.put(entry.getKey(), "environment " + environmentName(entry.getKey()));
    }
    return new ConfigSource(values, origins);
  }

  /** As {@link #load}, for this process: the file given, else the one HES_CONFIG names, and this process's environment. */
  public static ConfigSource forProcess(Optional<Path> file, Map<String, String> overrides) {
    Map<String, String> environment = System.getenv();
    Optional<Path> chosen = file.or(() -> Optional.ofNullable(environment.get("HES_CONFIG")).filter(s -> !s.isBlank()).map(Path::of));
    return load(chosen, overrides, environment);
  }

  /** Where a key's value came from: "default", the file's path, "override" or "environment HES_…". */
  public String origin(String key) {
    return origins.getOrDefault(key, "default");
  }

  /** tap.port -> HES_TAP_PORT, cardStore.expectedCards -> HES_CARD_STORE_EXPECTED_CARDS. */
  public static String environmentName(String key) {
    StringBuilder name = new StringBuilder(ENV_PREFIX);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '.') {
        name.append('_');
      } else if (Character.isUpperCase(c)) {
        name.append('_').append(c);
      } else {
        name.append(Character.toUpperCase(c));
      }
    }
    return name.toString();
  }

  public Map<String, String> keys() {
    return Map.copyOf(values);
  }

  String raw(String key) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalStateException("no default for configuration key " + key);
    }
    return value.trim();
  }

  ConfigException invalid(String key, String problem) {
    return new ConfigException("configuration key " + key + " (from " + origins.get(key) + "): " + problem);
  }

  public String string(String key) {
    return raw(key);
  }

  public int integer(String key, int min, int max) {
    long value = longValue(key, min, max);
    return (int) value;
  }

  public long longValue(String key, long min, long max) {
    String raw = raw(key);
    long value;
    try {
      value = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw invalid(key, "must be a whole number, was '" + raw + "'");
    }
    if (value < min || value > max) {
      throw invalid(key, "must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  public <E extends Enum<E>> E enumValue(String key, Class<E> type) {
    String raw = raw(key);
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(raw)) {
        return constant;
      }
    }
    throw invalid(key, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()) + ", was '" + raw + "'");
  }

  public boolean bool(String key) {
    String raw = raw(key);
    if (raw.equalsIgnoreCase("true")) {
      return true;
    }
    if (raw.equalsIgnoreCase("false")) {
      return false;
    }
    throw invalid(key, "must be true or false, was '" + raw + "'");
  }

  private static void overlay(Map<String, String> values, Map<String, String> origins, Map<String, String> layer, String origin) {
    for (Map.Entry<String, String> entry : layer.entrySet()) {
      if (!values.containsKey(entry.getKey())) {
        throw new ConfigException("unknown configuration key " + entry.getKey() + " (from " + origin + ")");
      }
      values.put(entry.getKey(), entry.getValue());
      origins.put(entry.getKey(), origin);
    }
  }

  private static JsonNode readDefaults() {
    try (InputStream in = ConfigSource.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the class path");
      }
      return YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode readFile(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new ConfigException("configuration file " + path + " does not exist");
    }
    try {
      JsonNode tree = YAML.readTree(path.toFile());
      return tree == null ? YAML.createObjectNode() : tree;
    } catch (IOException e) {
      throw new ConfigException("configuration file " + path + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
    if (node == null || node.isNull()) {
      return;
    }
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), into);
      }
    } else if (node.isContainerNode()) {
      throw new ConfigException("configuration key " + prefix + " must be a single value, not a list");
    } else {
      into.put(prefix, node.asText());
    }
  }
}
