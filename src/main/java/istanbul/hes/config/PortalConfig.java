package istanbul.hes.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The personalization portal's pages on the citizens' listener: whether they are served, the
 * identity provider they sign people in with, and the helplines they name.
 *
 * @param authorizationUrl where the page sends a person to sign in (empty when off)
 * @param tokenUrl where the page exchanges the sign-in code for the citizen token (empty when off)
 */
public record PortalConfig(boolean enabled, String authorizationUrl, String tokenUrl, String clientId, String helplineIndividual,
    String helplineCorporate) {

  static PortalConfig from(ConfigSource source) {
    boolean enabled = source.bool("portal.enabled");
    String authorization = source.string("portal.authorizationUrl");
    String token = source.string("portal.tokenUrl");
    if (enabled) {
      requireHttpUrl(source, "portal.authorizationUrl", authorization);
      requireHttpUrl(source, "portal.tokenUrl", token);
    }
    String client = source.string("portal.clientId");
    if (!client.matches("[A-Za-z0-9._-]{1,64}")) {
      throw source.invalid("portal.clientId", "must be 1 to 64 characters A-Z, a-z, 0-9, '.', '_' or '-'");
    }
    return new PortalConfig(enabled, authorization, token, client, helpline(source, "portal.helplineIndividual"),
        helpline(source, "portal.helplineCorporate"));
  }

  /** The origin (scheme://host[:port]) of the token endpoint: the one other origin the page may connect to. */
  public String tokenOrigin() {
    URI uri = URI.create(tokenUrl);
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  private static void requireHttpUrl(ConfigSource source, String key, String value) {
    if (value.isEmpty()) {
      throw source.invalid(key, "is empty: the portal (portal.enabled true) signs people in with an identity provider; "
          + "set its URL, or portal.enabled false");
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw source.invalid(key, "is not a URL: " + e.getReason());
    }
    if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getRawAuthority() == null
        || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw source.invalid(key, "must be an absolute http(s) URL without credentials, query or fragment");
    }
  }

  private static String helpline(ConfigSource source, String key) {
    String value = source.string(key);
    if (!value.matches("[0-9][0-9 ]{1,18}[0-9]")) {
      throw source.invalid(key, "must be a phone number of digits and spaces, e.g. 444 2 161");
    }
    return value;
  }
}
