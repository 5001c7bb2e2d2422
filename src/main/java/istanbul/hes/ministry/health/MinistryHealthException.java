package istanbul.hes.ministry.health;

/** A HES check that did not confirm the code; messages carry the masked code only. */
public abstract sealed class MinistryHealthException extends RuntimeException
    permits HesCodeNotFound, HesCodeExpired, MinistryUnavailable {
  MinistryHealthException(String message, Throwable cause, boolean stackTrace) {
    super(message, cause, false, stackTrace);
  }
}
