package istanbul.hes.citizen.domain;

import istanbul.hes.identity.LookupKeys;

/**
 * Who a person is to the gateway: a Turkish identity number or a foreign passport. Personal data;
 * implementations mask themselves in {@code toString}.
 */
public sealed interface PersonIdentity permits Tckn, PassportIdentity {

  /**
   * The normalized string hashed for lookups under {@link LookupKeys#IDENTITY_PURPOSE}:
   * {@code "TCKN:<11 digits>"} or {@code "PASSPORT:<NAT>:<NUMBER>"} ({@link LookupKeys}). Also the
   * subject of citizen tokens. Personal data.
   */
  String keyName();

  /** The number the Ministry of Health masks in {@code masked_identity_number}: the TCKN or the passport number. */
  String documentNumber();

  /** The document number with all but its last three characters replaced by {@code '*'}. */
  String masked();

  /**
   * Parses the canonical {@link #keyName()} form, strictly (as the identity provider puts it in a
   * token's {@code sub}): {@code "TCKN:"} and 11 digits, or {@code "PASSPORT:"}, an upper-case
   * alpha-3 nationality, {@code ":"} and an upper-case number without spaces. Invalid input is an
   * {@link InvalidInputException} on field {@code field} (INVALID_TCKN, INVALID_PASSPORT or
   * INVALID_NATIONALITY; INVALID_TCKN when the form is neither).
   */
  static PersonIdentity fromKeyName(String keyName, String field) {
    if (keyName != null && keyName.startsWith(LookupKeys.TCKN_PREFIX)) {
      return Tckn.parse(keyName.substring(LookupKeys.TCKN_PREFIX.length()), field);
    }
    if (keyName != null && keyName.startsWith(LookupKeys.PASSPORT_PREFIX)) {
      String rest = keyName.substring(LookupKeys.PASSPORT_PREFIX.length());
      int colon = rest.indexOf(':');
      if (colon < 0) {
        throw new InvalidInputException(ValidationCode.INVALID_PASSPORT, field,
            field + " must be PASSPORT:<nationality>:<number>");
      }
      PassportIdentity passport = PassportIdentity.parse(rest.substring(colon + 1), field, rest.substring(0, colon), field);
      if (!passport.keyName().equals(keyName)) {
        throw new InvalidInputException(ValidationCode.INVALID_PASSPORT, field,
            field + " must be in canonical form (upper case, no spaces)");
      }
      return passport;
    }
    throw new InvalidInputException(ValidationCode.INVALID_TCKN, field,
        field + " must be TCKN:<11 digits> or PASSPORT:<nationality>:<number>");
  }
}
