package istanbul.hes.campaign;

import istanbul.hes.identity.IdentityProtector;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A notice's text, and the opt-out token in its link. The token is {@code <contact id>.<MAC>}, the
 * MAC a keyed hash of the contact id (the identity hash key): computed again for every notice
 * rather than stored, unforgeable without the key, and it names the contact without any personal
 * data.
 */
final class Notices {
  static final String URL = "{url}";
  static final String OPT_OUT = "{optOut}";
  static final String CARD = "{card}";
  private static final String PURPOSE = "campaign-opt-out";
  private static final int MAC_BYTES = 16;
  private static final Pattern TOKEN = Pattern.compile("([1-9][0-9]{0,18})\\.([A-Za-z0-9_-]{22})");

  private final IdentityProtector protector;
  private final String optOutUrl;

  Notices(IdentityProtector protector, String optOutUrl) {
    this.protector = protector;
    this.optOutUrl = optOutUrl;
  }

  /** The campaign's text in the contact's language, filled in: the address, the opt-out link, the card's last four digits. */
  String text(Campaign campaign, String language, long contactId, long card) {
    String digits = Long.toString(card);
    return campaign.texts().template(language)
        .replace(URL, campaign.personalizationUrl())
        .replace(OPT_OUT, optOutUrl + token(contactId))
        .replace(CARD, digits.substring(Math.max(0, digits.length() - 4)));
  }

  String token(long contactId) {
    return contactId + "." + mac(contactId);
  }

  /** The contact a token names, if the token is one this gateway made. */
  Optional<Long> contactOf(String token) {
    if (token == null) {
      return Optional.empty();
    }
    var matcher = TOKEN.matcher(token);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    long contactId;
    try {
      contactId = Long.parseLong(matcher.group(1));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    // Under every known key: links in notices sent before a key rotation keep working until the key is retired.
    boolean genuine = false;
    for (int keyId : protector.hashKeyIds()) {
      genuine |= MessageDigest.isEqual(mac(keyId, contactId).getBytes(), matcher.group(2).getBytes());
    }
    return genuine ? Optional.of(contactId) : Optional.empty();
  }

  private String mac(long contactId) {
    return mac(protector.hashKeyId(), contactId);
  }

  private String mac(int keyId, long contactId) {
    byte[] full = protector.hash(keyId, PURPOSE, Long.toString(contactId));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(full, MAC_BYTES));
  }
}
