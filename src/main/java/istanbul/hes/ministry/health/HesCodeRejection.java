package istanbul.hes.ministry.health;

/** Why the ministry did not confirm a HES code (its {@code errorKey}). */
public enum HesCodeRejection {
  /** {@code hescodenotfound}: no such code. */
  NOT_FOUND("hescodenotfound"),
  /** {@code hescodehasbeenexpired}: the code existed but is no longer valid. */
  EXPIRED("hescodehasbeenexpired"),
  /** An error key this client does not know. */
  OTHER(null),
  /** Bulk only: the code was asked for but is in neither map of the answer. */
  NOT_ANSWERED(null);

  private final String errorKey;

  HesCodeRejection(String errorKey) {
    this.errorKey = errorKey;
  }

  public static HesCodeRejection ofErrorKey(String key) {
    for (HesCodeRejection rejection : values()) {
      if (rejection.errorKey != null && rejection.errorKey.equalsIgnoreCase(key)) {
        return rejection;
      }
    }
    return OTHER;
  }
}
