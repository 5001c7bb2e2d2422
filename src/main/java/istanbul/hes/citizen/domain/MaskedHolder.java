package istanbul.hes.citizen.domain;

/**
 * The holder of a HES code as the Ministry of Health shows it ({@code check-hes-code}):
 * {@code masked_identity_number} ({@code "********792"}: the last three characters visible),
 * {@code masked_firstname} and {@code masked_lastname} ({@code "DE****"}: the first two letters
 * visible, {@code '*'} for each further letter, the true length). Any may be null when the answer
 * lacked it; {@link HesOwnership} then finds no match for that part.
 */
public record MaskedHolder(String maskedIdentityNumber, String maskedFirstName, String maskedLastName) {
  @Override
  public String toString() {
    return "MaskedHolder[***]";
  }
}
