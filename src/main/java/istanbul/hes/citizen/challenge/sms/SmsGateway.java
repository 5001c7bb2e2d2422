package istanbul.hes.citizen.challenge.sms;

import io.vertx.core.Future;
import istanbul.hes.citizen.domain.PhoneNumber;

/**
 * Sends a text message to a phone. Implementations never log the number in clear nor the text
 * (it carries a verification code).
 */
public interface SmsGateway {

  /** Succeeds when the provider accepted the message; fails otherwise (no retry: a repeat could send twice). */
  Future<Void> send(PhoneNumber to, String text);
}
