package istanbul.hes.simulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/** The HTTP Basic credentials a simulator accepts, compared in constant time. */
public final class BasicCredentials {
  private final byte[] username;
  private final byte[] password;

  public BasicCredentials(String username, String password) {
    if (Objects.requireNonNull(username, "username").isEmpty() || Objects.requireNonNull(password, "password").isEmpty()) {
      throw new IllegalArgumentException("the simulator needs a user name and a password");
    }
    this.username = username.getBytes(StandardCharsets.UTF_8);
    this.password = password.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether an {@code Authorization} header carries these credentials. */
  public boolean accepts(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(authorization.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = -1;
    for (int i = 0; i < decoded.length; i++) {
      if (decoded[i] == ':') {
        colon = i;
        break;
      }
    }
    if (colon < 0) {
      return false;
    }
    // Both compared, always, in constant time per value.
    return MessageDigest.isEqual(Arrays.copyOfRange(decoded, 0, colon), username)
        & MessageDigest.isEqual(Arrays.copyOfRange(decoded, colon + 1, decoded.length), password);
  }
}
