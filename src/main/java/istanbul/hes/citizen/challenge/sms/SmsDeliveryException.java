package istanbul.hes.citizen.challenge.sms;

/** The SMS provider did not accept a message. The message never holds the number or the text. */
public final class SmsDeliveryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SmsDeliveryException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
