package istanbul.hes.campaign;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import istanbul.hes.citizen.api.CitizenRequests;
import istanbul.hes.citizen.challenge.ChallengeService;
import istanbul.hes.citizen.domain.PersonIdentity;
import istanbul.hes.citizen.domain.PhoneNumber;
import istanbul.hes.config.CampaignConfig;
import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The citizens' side of the campaign, on the citizen listener: a person registers or removes the
 * contact for an anonymous card they hold; anyone with a notice's link opts out; the SMS gateway
 * forwards replies, and an opt-out keyword opts the phone out. The handlers answer through
 * {@code context.fail} with the listener's problem mapping.
 */
public final class ContactHandlers {
  /** What a push token may be (FCM and APNs tokens fit). */
  static final Pattern PUSH_TOKEN = Pattern.compile("[A-Za-z0-9:_.-]{16,4096}");
  private static final String BEARER = "Bearer ";

  private final Contacts contacts;
  private final ChallengeService challenges;
  private final CampaignConfig config;

  ContactHandlers(Contacts contacts, ChallengeService challenges, CampaignConfig config) {
    this.contacts = contacts;
    this.challenges = challenges;
    this.config = config;
  }

  /**
   * PUT /v1/cards/{card}/contact: {"phone","challengeId","challengeCode","consent":true} (the phone
   * proven by a challenge sent to it) or {"pushToken","consent":true}; "language" tr (default) or en.
   */
  public void register(RoutingContext context, PersonIdentity person) {
    long card = context.get(CitizenRequests.CARD);
    JsonObject body = context.body().asJsonObject();
    if (!Boolean.TRUE.equals(body.getValue("consent"))) {
      throw Problem.of(ProblemCode.CONSENT_REQUIRED, "consent must be true: the person agrees to receive personalization notices")
          .exception();
    }
    String language = body.getValue("language") == null ? "tr" : body.getValue("language") instanceof String text ? text : "";
    if (!language.equals("tr") && !language.equals("en")) {
      throw Problem.of(ProblemCode.INVALID_LANGUAGE, "language must be tr or en").exception();
    }
    if (body.getValue("pushToken") != null) {
      String token = body.getValue("pushToken") instanceof String text ? text : "";
      if (!PUSH_TOKEN.matcher(token).matches()) {
        throw Problem.of(ProblemCode.INVALID_PUSH_TOKEN, "pushToken must be 16 to 4096 of A-Z a-z 0-9 : _ . -").exception();
      }
      contacts.register(card, person, Channel.PUSH, token, language)
          .onSuccess(saved -> json(context, 200, saved))
          .onFailure(context::fail);
      return;
    }
    if (body.getValue("phone") == null) {
      throw Problem.of(ProblemCode.INVALID_REQUEST, "send phone with challengeId and challengeCode, or pushToken").exception();
    }
    PhoneNumber phone = PhoneNumber.parse(body.getString("phone"), "phone");
    challenges.redeem(body.getString("challengeId"), body.getString("challengeCode"), person.keyName(), phone, "contact:" + card,
            () -> contacts.register(card, person, Channel.SMS, phone.value(), language))
        .onSuccess(saved -> json(context, 200, saved))
        .onFailure(context::fail);
  }

  /** DELETE /v1/cards/{card}/contact: 204, whether or not there was one (a retried DELETE must not fail). */
  public void remove(RoutingContext context, PersonIdentity person) {
    contacts.remove(context.get(CitizenRequests.CARD), person)
        .onSuccess(removed -> context.response().setStatusCode(204).end())
        .onFailure(context::fail);
  }

  /** POST /v1/notices/opt-out {"token":"…"}: the link of a notice; no login, the token is the proof. */
  public void optOut(RoutingContext context) {
    String token = context.body().asJsonObject().getValue("token") instanceof String text ? text : null;
    contacts.optOut(token).onSuccess(known -> {
      if (!known) {
        context.fail(Problem.of(ProblemCode.INVALID_OPT_OUT_TOKEN, "the link is not one of a notice; copy it whole").exception());
        return;
      }
      json(context, 200, new JsonObject().put("optedOut", true));
    }).onFailure(context::fail);
  }

  /**
   * POST /v1/notices/sms-replies {"from":"+90…","text":"…"}: a reply the SMS gateway forwards,
   * with campaigns.smsInboundToken. A reply whose first word is an opt-out keyword opts the phone
   * out of every campaign; any other reply is acknowledged and ignored.
   */
  public void smsReply(RoutingContext context) {
    if (config.smsInboundToken().isEmpty()) {
      throw Problem.of(ProblemCode.NOT_FOUND, "SMS replies are not received here (campaigns.smsInboundToken is empty)").exception();
    }
    String header = context.request().getHeader(HttpHeaderNames.AUTHORIZATION);
    byte[] expected = (BEARER + config.smsInboundToken()).getBytes(StandardCharsets.UTF_8);
    if (header == null || !MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8))) {
      context.response().putHeader(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"sms-gateway\"");
      throw Problem.unauthorized().exception();
    }
    JsonObject body = context.body().asJsonObject();
    PhoneNumber from = PhoneNumber.parse(body.getString("from"), "from");
    String text = body.getValue("text") instanceof String reply ? reply : "";
    if (!config.optOutKeywords().contains(firstWord(text))) {
      json(context, 200, new JsonObject().put("optedOut", 0));
      return;
    }
    contacts.optOutPhone(from)
        .onSuccess(count -> json(context, 200, new JsonObject().put("optedOut", count)))
        .onFailure(context::fail);
  }

  /** The reply's first word in upper case, Turkish dotted and dotless i read as I ("iptal", "İptal", "IPTAL"). */
  static String firstWord(String text) {
    String word = text.strip().split("[\\s.,!]+", 2)[0];
    return word.replace('İ', 'I').replace('ı', 'I').replace('i', 'I').toUpperCase(Locale.ROOT);
  }

  private static void json(RoutingContext context, int status, JsonObject body) {
    context.response().setStatusCode(status).putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json").end(body.toBuffer());
  }
}
