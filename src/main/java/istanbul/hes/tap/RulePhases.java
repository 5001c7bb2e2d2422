package istanbul.hes.tap;

/**
 * The rule's mode for personalized and for anonymous cards, read by every tap (one volatile read,
 * no lock, no allocation) and replaced as a whole when an operator switches a phase. A tap dated
 * before a kind's last switch (an offline validator's late upload) is judged under the mode
 * before it: a rider let through under MONITOR is not reported as denied once ENFORCE is back.
 */
public final class RulePhases {
  /** The modes at one moment. */
  public record Modes(RuleMode personalized, RuleMode anonymous) {}

  /** The modes now and before each kind's last switch, as the four combinations a tap's date can select. */
  private record Snapshot(Modes[] byAge, long personalizedSince, long anonymousSince) {}

  private volatile Snapshot snapshot;

  public RulePhases(Modes initial) {
    set(initial, initial, Long.MIN_VALUE, Long.MIN_VALUE);
  }

  /** The modes now. */
  public Modes modes() {
    return snapshot.byAge()[0];
  }

  /** The modes a tap made at {@code atMillis} is judged under. */
  public Modes modesAt(long atMillis) {
    Snapshot current = snapshot;
    return current.byAge()[(atMillis < current.personalizedSince() ? 1 : 0) | (atMillis < current.anonymousSince() ? 2 : 0)];
  }

  public void set(Modes now) {
    set(now, now, Long.MIN_VALUE, Long.MIN_VALUE);
  }

  /**
   * @param before the modes before each kind's last switch
   * @param personalizedSince when the personalized cards' mode was last switched (epoch ms)
   * @param anonymousSince when the anonymous cards' mode was last switched (epoch ms)
   */
  public void set(Modes now, Modes before, long personalizedSince, long anonymousSince) {
    Modes[] byAge = {
        now,
        new Modes(before.personalized(), now.anonymous()),
        new Modes(now.personalized(), before.anonymous()),
        before};
    snapshot = new Snapshot(byAge, personalizedSince, anonymousSince);
  }
}
