package istanbul.hes.citizen.store;

import java.util.Objects;

/**
 * A citizen's request the rules refuse: a domain outcome of the store and of the HES code rules,
 * which the HTTP layer turns into its answer. The detail, when there is one, names what did not
 * match, never a value (no identity number, name, phone or HES code). No stack trace: not a bug.
 */
public final class CitizenRefused extends RuntimeException {
  public enum Reason {
    /** HES code operations: the card is not the caller's, or does not exist (one answer for both). */
    CARD_NOT_OWNED,
    /** Personalization: the card is registered to someone else, or does not exist (one answer for both). */
    CARD_NOT_AVAILABLE,
    HES_ALREADY_PRESENT,
    HES_LINKED_TO_OTHER_CARD,
    NO_HES_CODE,
    /** The ministry's masked holder does not match the caller; the detail says which parts. */
    HES_NOT_OWNED
  }

  private final Reason reason;

  public CitizenRefused(Reason reason) {
    this(reason, null);
  }

  public CitizenRefused(Reason reason, String detail) {
    super(detail == null ? reason.name() : detail, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }

  /** The detail the rule gave, if any (else the HTTP layer's standard one applies). */
  public String detail() {
    return getMessage().equals(reason.name()) ? null : getMessage();
  }
}
