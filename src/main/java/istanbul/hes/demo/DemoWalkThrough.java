package istanbul.hes.demo;

import istanbul.hes.simulator.health.HealthMinistrySimulator;
import istanbul.hes.simulator.health.HesCodeRecord;
import java.time.LocalDate;

/**
 * The person the README's citizen walk-through personalizes a card for: not one of the generated
 * holders, so the demo's Ministry of Health simulator is told their two HES codes at start (one to
 * link, one to update the link to). Fixed values, so the README can show them as they are typed.
 */
final class DemoWalkThrough {
  static final String TCKN = "10000000146";
  /** The sales-point agent of the walk-through, and the point. */
  static final String AGENT = "agent-0042";
  static final String POINT = "kadikoy-iskele";
  static final String FIRST_NAME = "Ayşe";
  static final String LAST_NAME = "Yılmaz";
  static final int BIRTH_YEAR = 1990;
  static final String PHONE = "+905321234567";
  /** Printed form of the code the walk-through links first. */
  static final String FIRST_CODE = "G1B5-6449-15";
  /** Printed form of the code the walk-through updates the link to. */
  static final String SECOND_CODE = "K7D2-8813-40";

  /** The foreign visitor of the portal's walk-through (passport, nationality picker): not a generated holder either. */
  static final String VISITOR_PASSPORT = "X12345678";
  static final String VISITOR_NATIONALITY = "DEU";
  static final String VISITOR_FIRST_NAME = "Anna";
  static final String VISITOR_LAST_NAME = "Schmidt";
  static final int VISITOR_BIRTH_YEAR = 1988;
  static final String VISITOR_PHONE = "+4915112345678";
  static final String VISITOR_CODE = "T4E9-5521-07";

  private DemoWalkThrough() {}

  /** Tells the simulated ministry the person's codes (and the visitor's): riskless, valid for a year from today. */
  static void register(HealthMinistrySimulator ministry) {
    java.time.LocalDateTime expiry = LocalDate.now().plusYears(1).atStartOfDay();
    for (String code : new String[] {FIRST_CODE, SECOND_CODE}) {
      ministry.register(new HesCodeRecord(code.replace("-", ""), TCKN, FIRST_NAME, LAST_NAME, HesCodeRecord.Status.RISKLESS, expiry));
    }
    ministry.register(new HesCodeRecord(VISITOR_CODE.replace("-", ""), VISITOR_PASSPORT, VISITOR_FIRST_NAME, VISITOR_LAST_NAME,
        HesCodeRecord.Status.RISKLESS, expiry));
  }
}
