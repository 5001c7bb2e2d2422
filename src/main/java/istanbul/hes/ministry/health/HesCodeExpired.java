package istanbul.hes.ministry.health;

/** The ministry answered {@code hescodehasbeenexpired}. Not retried. */
public final class HesCodeExpired extends MinistryHealthException {
  public HesCodeExpired(String hesCode) {
    super("HES code " + HesCodes.mask(hesCode) + " has expired", null, false);
  }
}
