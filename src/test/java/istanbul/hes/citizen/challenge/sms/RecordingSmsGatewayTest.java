package istanbul.hes.citizen.challenge.sms;

import static org.assertj.core.api.Assertions.assertThat;

import istanbul.hes.citizen.domain.PhoneNumber;
import org.junit.jupiter.api.Test;

class RecordingSmsGatewayTest {
  private final RecordingSmsGateway sms = new RecordingSmsGateway();
  private final PhoneNumber phone = PhoneNumber.parse("+905321234567");

  @Test
  void keepsTheLastMessagesOfEachPhoneAndReadsTheLastCode() {
    assertThat(sms.lastCodeFor(phone)).isEmpty();
    for (int i = 0; i < RecordingSmsGateway.MESSAGES_PER_PHONE + 3; i++) {
      sms.send(phone, "HES gateway verification code: " + String.format("%06d", i));
    }
    sms.send(PhoneNumber.parse("+905329999999"), "HES gateway verification code: 777777");

    assertThat(sms.messagesFor(phone)).hasSize(RecordingSmsGateway.MESSAGES_PER_PHONE)
        .first().asString().endsWith("000003");
    assertThat(sms.lastCodeFor(phone)).contains(String.format("%06d", RecordingSmsGateway.MESSAGES_PER_PHONE + 2));
    sms.clear();
    assertThat(sms.messagesFor(phone)).isEmpty();
  }
}
