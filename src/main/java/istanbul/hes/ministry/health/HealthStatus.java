package istanbul.hes.ministry.health;

/** The ministry's {@code current_health_status} of a HES code's holder. */
public enum HealthStatus {
  RISKY,
  RISKLESS
}
