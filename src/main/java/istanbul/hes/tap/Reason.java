package istanbul.hes.tap;

/** Why a tap got its decision (API contract: these names are part of the answer). */
public enum Reason {
  OK,
  HES_RISK,
  NO_HES_CODE,
  HES_EXPIRED,
  NOT_PERSONALIZED,
  CARD_BLOCKED,
  UNKNOWN_CARD
}
