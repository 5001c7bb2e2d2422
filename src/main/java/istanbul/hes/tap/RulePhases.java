package istanbul.hes.tap;

/**
 * The rule's current mode for personalized and for anonymous cards, read by every tap (two
 * volatile reads, no lock) and replaced as a whole when an operator switches a phase.
 */
public final class RulePhases {
  /** The modes at one moment. */
  public record Modes(RuleMode personalized, RuleMode anonymous) {}

  private volatile Modes modes;

  public RulePhases(Modes initial) {
    this.modes = initial;
  }

  public Modes modes() {
    return modes;
  }

  public void set(Modes current) {
    this.modes = current;
  }
}
