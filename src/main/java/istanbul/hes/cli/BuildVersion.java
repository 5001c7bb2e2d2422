package istanbul.hes.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The build's version: {@code build.properties}, filled in by Maven's resource filtering, so it is
 * the same from the shaded jar and from the classes the tests run; the jar manifest's
 * Implementation-Version when that resource is missing (a jar built without filtering).
 */
public final class BuildVersion implements IVersionProvider {
  private static final String RESOURCE = "/istanbul/hes/build.properties";

  /** "hes-gateway 0.1.0-SNAPSHOT". */
  public static String text() {
    return "hes-gateway " + version();
  }

  /** The project version, or "unknown" when neither the resource nor the manifest has one. */
  public static String version() {
    Properties properties = new Properties();
    try (InputStream in = BuildVersion.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the build's " + RESOURCE + " is unreadable", e);
    }
    String version = properties.getProperty("version", "");
    if (version.isBlank() || version.startsWith("${")) {
      version = BuildVersion.class.getPackage().getImplementationVersion();
    }
    return version == null || version.isBlank() ? "unknown" : version;
  }

  @Override
  public String[] getVersion() {
    return new String[] {text()};
  }
}
