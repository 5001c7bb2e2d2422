package istanbul.hes.citizen.store;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The versions of the texts a person accepted when personalizing: the KVKK notice and the HES
 * data sharing consent, both required. A version is 1 to 32 of {@code A-Z a-z 0-9 . _ -}.
 *
 * @param collectedAtPoint the sales point whose agent collected them from the holder in person;
 *     empty when the person gave them online
 */
public record Consents(String kvkkNoticeVersion, String hesDataSharingVersion, Optional<String> collectedAtPoint) {
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._-]{1,32}");
  private static final Pattern POINT = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public Consents {
    requireVersion(kvkkNoticeVersion, "kvkkNoticeVersion");
    requireVersion(hesDataSharingVersion, "hesDataSharingVersion");
    if (collectedAtPoint.isPresent() && !POINT.matcher(collectedAtPoint.get()).matches()) {
      throw new IllegalArgumentException("collectedAtPoint must be a point id");
    }
  }

  /** Consents the person gave online (portal or app). */
  public Consents(String kvkkNoticeVersion, String hesDataSharingVersion) {
    this(kvkkNoticeVersion, hesDataSharingVersion, Optional.empty());
  }

  private static void requireVersion(String version, String name) {
    Objects.requireNonNull(version, name);
    if (!VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException(name + " must be 1 to 32 characters A-Z, a-z, 0-9, '.', '_' or '-'");
    }
  }
}
