package istanbul.hes.citizen.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.citizen.domain.BirthYear;
import istanbul.hes.citizen.domain.PassportIdentity;
import istanbul.hes.citizen.domain.PersonIdentity;
import istanbul.hes.citizen.domain.PersonName;
import istanbul.hes.citizen.domain.PhoneNumber;
import istanbul.hes.citizen.domain.Tckn;
import istanbul.hes.citizen.hes.HesCodeLinking;
import istanbul.hes.citizen.ratelimit.Decision;
import istanbul.hes.citizen.store.Consents;
import istanbul.hes.citizen.store.HesLink;
import istanbul.hes.citizen.store.OwnCard;
import istanbul.hes.citizen.store.Personalization;
import istanbul.hes.citizen.store.Personalized;
import istanbul.hes.config.CitizenConfig;
import istanbul.hes.http.AnswerMetrics;
import istanbul.hes.http.ListenerGuard;
import istanbul.hes.http.PrecompiledValidation;
import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemCode;
import istanbul.hes.http.ProblemException;
import istanbul.hes.http.Problems;
import istanbul.hes.logging.DependencyFailures;
import istanbul.hes.ministry.health.MinistryUnavailable;
import java.time.LocalDate;
import java.time.Year;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the two listeners that act on a holder's card (the citizens' own, and the sales points'
 * for a holder who is present) read and answer the same way: the card in the path, the identity
 * and personal data of a personalization, a HES link, a rate limit, and the features' failures.
 * One place, so the points' path has exactly the citizen path's rules and error codes.
 */
public final class CitizenRequests {
  private static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");
  /** Before every other handler of the listener, its own routes' included. */
  private static final int SECURITY_HEADERS_ORDER = -1_000;

  private CitizenRequests() {}

  /** The path's card number: 16 digits, or 4 groups of 4 separated by dashes. */
  public static long card(RoutingContext context) {
    long card = CardNumber.parse(context.pathParam("card"));
    if (card == CardNumber.INVALID) {
      throw Problem.of(ProblemCode.INVALID_CARD, "card must be 16 ASCII digits").exception();
    }
    return card;
  }

  /** Where {@link #checkCardInPath} keeps the path's card number for the handlers after it. */
  public static final String CARD = "request.card";

  /**
   * A route handler, before the API document's validation: a path card that is not a card number
   * is INVALID_CARD (the document's pattern alone would make it INVALID_REQUEST).
   */
  public static void checkCardInPath(RoutingContext context) {
    if (context.pathParam("card") != null) {
      context.put(CARD, card(context));
    }
    context.next();
  }

  /** A TCKN, or a passport number with its nationality, as the citizens' personalization sends them. */
  static PersonIdentity identity(JsonObject body) {
    if (body.getValue("tckn") != null) {
      return Tckn.parse(body.getString("tckn"), "tckn");
    }
    if (body.getValue("passportNumber") != null || body.getValue("nationality") != null) {
      return PassportIdentity.parse(body.getString("passportNumber"), "passportNumber", body.getString("nationality"), "nationality");
    }
    throw Problem.of(ProblemCode.MISSING_IDENTITY, "send tckn, or passportNumber and nationality").exception();
  }

  /**
   * An identity object as the sales points and the operators send it, {@code {"tckn":"…"}} or
   * {@code {"passport":"…","nationality":"DEU"}}; {@code field} names it in problems.
   */
  public static PersonIdentity identityObject(JsonObject identity, String field) {
    if (identity.getValue("tckn") != null) {
      return Tckn.parse(text(identity, "tckn"), field + ".tckn");
    }
    if (identity.getValue("passport") != null || identity.getValue("nationality") != null) {
      return PassportIdentity.parse(text(identity, "passport"), field + ".passport", text(identity, "nationality"),
          field + ".nationality");
    }
    throw Problem.of(ProblemCode.MISSING_IDENTITY, "send " + field + ".tckn, or " + field + ".passport and " + field
        + ".nationality").exception();
  }

  /** A field as text whatever its JSON type (a number where text belongs is then refused by the parser, not a 500). */
  private static String text(JsonObject object, String field) {
    Object value = object.getValue(field);
    return value == null ? null : value.toString();
  }

  /**
   * The names, birth year and consents of a personalization body, for this identity and phone
   * (both already established by the caller: the token or the holder check, and a code sent to
   * the phone). Both consents are required.
   *
   * @param point the sales point whose agent collected the consents; empty online
   */
  public static Personalization personalization(JsonObject body, PersonIdentity identity, PhoneNumber phone,
      CitizenConfig config, Optional<String> point) {
    PersonName first = PersonName.firstName(body.getString("firstName"));
    PersonName last = PersonName.lastName(body.getString("lastName"));
    BirthYear birthYear = BirthYear.of(body.getInteger("birthYear"), Year.now(ISTANBUL));
    JsonObject consents = body.getJsonObject("consents");
    if (!Boolean.TRUE.equals(consents.getBoolean("kvkkNotice")) || !Boolean.TRUE.equals(consents.getBoolean("hesDataSharing"))) {
      throw Problem.of(ProblemCode.CONSENT_REQUIRED, "consents.kvkkNotice and consents.hesDataSharing must both be true").exception();
    }
    Consents accepted = new Consents(config.kvkkNoticeVersion(), config.hesDataSharingVersion(), point);
    return new Personalization(identity, first, last, birthYear, phone, true, accepted);
  }

  public static void sendPersonalized(RoutingContext context, Personalized personalized) {
    context.response()
        .putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .end(new JsonObject()
            .put("card", CardNumber.format(personalized.card()))
            .put("personalized", true)
            .put("alreadyOwned", personalized.alreadyOwned())
            .toBuffer());
  }

  public static void sendLink(RoutingContext context, int status, HesLink link) {
    context.response()
        .setStatusCode(status)
        .putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .end(linkJson(link).toBuffer());
  }

  /** GET /v1/cards: each card with its link ({@code hesCode: null} when none). */
  static void sendCards(RoutingContext context, List<OwnCard> cards) {
    JsonArray listed = new JsonArray();
    for (OwnCard card : cards) {
      listed.add(new JsonObject()
          .put("card", CardNumber.format(card.card()))
          .put("blocked", card.blocked())
          .put("hesCode", card.link().map(CitizenRequests::linkJson).orElse(null)));
    }
    context.response()
        .putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("cards", listed).toBuffer());
  }

  private static JsonObject linkJson(HesLink link) {
    return new JsonObject()
        .put("card", CardNumber.format(link.card()))
        .put("hesCode", link.maskedHesCode())
        .put("status", link.ministryStatus().name())
        .put("linkedAt", link.linkedAt().toString())
        .put("checkedAt", link.checkedAt().toString())
        .put("expiresOn", link.expiresOn().map(LocalDate::toString).orElse(null));
  }

  /** A route's admission after its rate limits: on to the next handler, or 429 with Retry-After. */
  public static void nextIfAllowed(RoutingContext context, Decision decision) {
    if (decision.allowed()) {
      context.next();
    } else {
      rejectRateLimited(context, decision);
    }
  }

  /**
   * The operation's route of a listener of people: its id for the answer metrics, the path's
   * card checked, the listener's own admission ({@code admission}, or none), then the request
   * validated against the API document by validators built once (see PrecompiledValidation).
   */
  public static OpenAPIRoute route(RouterBuilder builder, OpenAPIContract contract, String operationId,
      Handler<RoutingContext> admission) {
    OpenAPIRoute route = builder.getRoute(operationId);
    if (route == null) {
      throw new IllegalStateException("operation " + operationId + " is missing from the API document");
    }
    route.setDoValidation(false)
        .addHandler(context -> {
          context.put(AnswerMetrics.OPERATION, operationId);
          context.next();
        })
        .addHandler(CitizenRequests::checkCardInPath);
    if (admission != null) {
      route.addHandler(admission);
    }
    return route.addHandler(PrecompiledValidation.of(contract, operationId));
  }

  /**
   * Builds the listener's router (its problem answers, the citizen features' codes first) and
   * starts it behind its guard. One instance: port 0 gets a port of its own (a negative port would
   * be shared with other listeners asking for one, as the tap listener does for its instances).
   */
  public static Future<HttpServer> listen(Vertx vertx, RouterBuilder builder, ListenerGuard guard, String listener, String host,
      int port, HesCodeLinking linking, DependencyFailures failures) {
    return listen(vertx, builder, guard, listener, host, port, linking, failures, router -> { });
  }

  /** As above, with routes of the listener's own beside the API's ({@code ownRoutes}: the citizens' portal pages). */
  public static Future<HttpServer> listen(Vertx vertx, RouterBuilder builder, ListenerGuard guard, String listener, String host,
      int port, HesCodeLinking linking, DependencyFailures failures, Consumer<Router> ownRoutes) {
    Router router = builder.createRouter();
    router.route().order(SECURITY_HEADERS_ORDER).handler(CitizenRequests::securityHeaders);
    ownRoutes.accept(router);
    Problems.install(router, listener, problem -> { }, failures);
    installProblemMapping(router, linking);
    return guard.prepare(vertx).compose(tls -> guard.guard(vertx.createHttpServer(guard.apply(new HttpServerOptions()
            .setHost(host).setPort(port))))
        .requestHandler(router)
        .listen());
  }

  /**
   * Every answer of a listener of people (browsers among its clients): not sniffed as another type,
   * no referrer sent on from it, never framed.
   */
  private static void securityHeaders(RoutingContext context) {
    context.response().headers()
        .set("X-Content-Type-Options", "nosniff")
        .set("Referrer-Policy", "no-referrer")
        .set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY");
    context.next();
  }

  public static void rejectRateLimited(RoutingContext context, Decision decision) {
    context.response().putHeader(HttpHeaderNames.RETRY_AFTER, Integer.toString(decision.retryAfterSeconds()));
    Problems.send(context, CitizenProblemMapping.rateLimited(decision.retryAfterSeconds()));
  }

  /**
   * Before the shared problem handler: the citizen features' own failures get their codes (and a
   * ministry outage its Retry-After).
   */
  public static void installProblemMapping(Router router, HesCodeLinking linking) {
    router.route().order(-1).failureHandler(context -> {
      Throwable failure = context.failure();
      if (failure instanceof MinistryUnavailable) {
        context.response().putHeader(HttpHeaderNames.RETRY_AFTER, Integer.toString(linking.retryAfterSeconds()));
      }
      if (failure != null && CitizenProblemMapping.toProblem(failure, context) instanceof ProblemException problem
          && problem != failure) {
        Problems.send(context, problem.problem());
      } else {
        context.next();
      }
    });
  }
}
