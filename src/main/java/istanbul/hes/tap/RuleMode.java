package istanbul.hes.tap;

/**
 * The phase of the HES rule for one kind of card (the circular's "first stage" covers
 * personalized cards; anonymous cards come later, or never).
 */
public enum RuleMode {
  /** Denied as the rule says. */
  ENFORCE,
  /** A dry run before a phase starts: allowed, but answered and counted with the reason the rule would have denied for. */
  MONITOR,
  /** The rule lifted: allowed (blocked and unknown cards are still denied). */
  OFF
}
