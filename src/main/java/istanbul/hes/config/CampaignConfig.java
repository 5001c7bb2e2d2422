package istanbul.hes.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The personalization campaign for anonymous cards: where notices go (the SMS gateway of
 * {@code citizen.smsGatewayUrl}, the push gateway here), the opt-out link and keywords, and how
 * the sending node retries.
 *
 * @param sending whether this node takes part in sending (one node of the cluster sends at a time)
 * @param pushGatewayUrl the push gateway's endpoint; empty: campaigns cannot use the PUSH channel
 * @param optOutUrl the page a notice's opt-out link opens, the token appended
 * @param optOutKeywords SMS replies (upper case) that opt the phone out of every campaign
 * @param smsInboundToken the bearer token the SMS gateway forwards replies with; empty: keyword
 *     opt-outs are not received
 */
public record CampaignConfig(
    boolean sending,
    String pushGatewayUrl,
    int pushTimeoutMillis,
    Optional<Path> pushTrustFile,
    String optOutUrl,
    List<String> optOutKeywords,
    String smsInboundToken,
    int maxAttempts,
    int retryBackoffSeconds,
    int maxRatePerSecond,
    int progressRefreshSeconds) {

  static CampaignConfig from(ConfigSource source) {
    String push = source.string("campaigns.pushGatewayUrl");
    if (!push.isEmpty() && !(push.startsWith("http://") || push.startsWith("https://"))) {
      throw source.invalid("campaigns.pushGatewayUrl", "must be an http(s) URL or empty");
    }
    String optOut = source.string("campaigns.optOutUrl");
    if (!optOut.startsWith("https://") && !optOut.startsWith("http://")) {
      throw source.invalid("campaigns.optOutUrl", "must be the http(s) address of the opt-out page");
    }
    List<String> keywords = List.of(source.string("campaigns.optOutKeywords").split(",")).stream()
        .map(keyword -> keyword.strip().toUpperCase(Locale.ROOT)).filter(keyword -> !keyword.isEmpty()).toList();
    if (keywords.isEmpty() || keywords.stream().anyMatch(keyword -> !keyword.matches("[A-Z0-9]{2,16}"))) {
      throw source.invalid("campaigns.optOutKeywords", "must list one or more words of 2 to 16 letters or digits, comma separated");
    }
    String inbound = source.string("campaigns.smsInboundToken");
    if (!inbound.isEmpty() && inbound.length() < 24) {
      throw source.invalid("campaigns.smsInboundToken", "must be at least 24 characters (or empty: no keyword opt-outs)");
    }
    return new CampaignConfig(
        source.bool("campaigns.sending"),
        push,
        source.integer("campaigns.pushTimeoutMillis", 100, 60_000),
        ConfigPaths.optional(source, "campaigns.pushTrustFile"),
        optOut,
        keywords,
        inbound,
        source.integer("campaigns.maxAttempts", 1, 20),
        source.integer("campaigns.retryBackoffSeconds", 1, 3600),
        source.integer("campaigns.maxRatePerSecond", 1, 10_000),
        source.integer("campaigns.progressRefreshSeconds", 1, 300));
  }

  @Override
  public String toString() {
    return "CampaignConfig[sending=" + sending + ", push=" + (pushGatewayUrl.isEmpty() ? "none" : pushGatewayUrl) + "]";
  }
}
