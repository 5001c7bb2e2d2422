package istanbul.hes.config;

/** What a tap with an anonymous (not personalized) card gets. */
public enum AnonymousPolicy {
  /** Denied with reason NOT_PERSONALIZED: the circular's target once personalization is done. */
  DENY,
  /** Allowed with reason OK: the circular's first stage covered personalized cards only. */
  ALLOW
}
