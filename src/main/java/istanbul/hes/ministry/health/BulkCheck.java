package istanbul.hes.ministry.health;

import java.util.Map;

/**
 * The answer to {@link HealthMinistryClient#checkMany}: every asked code is in exactly one of the
 * two maps. {@link #toString()} shows counts only.
 */
public record BulkCheck(Map<String, HesCheck> valid, Map<String, HesCodeRejection> rejected) {
  public BulkCheck {
    valid = Map.copyOf(valid);
    rejected = Map.copyOf(rejected);
  }

  public int size() {
    return valid.size() + rejected.size();
  }

  @Override
  public String toString() {
    return "BulkCheck[valid=" + valid.size() + ", rejected=" + rejected.size() + "]";
  }
}
