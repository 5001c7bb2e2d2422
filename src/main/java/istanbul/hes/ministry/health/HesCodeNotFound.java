package istanbul.hes.ministry.health;

/** The ministry answered {@code hescodenotfound}: the code does not exist. Not retried. */
public final class HesCodeNotFound extends MinistryHealthException {
  public HesCodeNotFound(String hesCode) {
    super("the Ministry of Health does not know HES code " + HesCodes.mask(hesCode), null, false);
  }
}
