package istanbul.hes.citizen.store;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The versions of the texts a person accepted when personalizing: the KVKK notice and the HES
 * data sharing consent, both required. A version is 1 to 32 of {@code A-Z a-z 0-9 . _ -}.
 */
public record Consents(String kvkkNoticeVersion, String hesDataSharingVersion) {
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._-]{1,32}");

  public Consents {
    requireVersion(kvkkNoticeVersion, "kvkkNoticeVersion");
    requireVersion(hesDataSharingVersion, "hesDataSharingVersion");
  }

  private static void requireVersion(String version, String name) {
    Objects.requireNonNull(version, name);
    if (!VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException(name + " must be 1 to 32 characters A-Z, a-z, 0-9, '.', '_' or '-'");
    }
  }
}
