package istanbul.hes.citizen.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import istanbul.hes.auth.TokenSettings;
import istanbul.hes.campaign.ContactHandlers;
import istanbul.hes.citizen.auth.CitizenPrincipal;
import istanbul.hes.citizen.auth.CitizenTokenVerifier;
import istanbul.hes.citizen.challenge.ChallengeService;
import istanbul.hes.citizen.domain.HesCode;
import istanbul.hes.citizen.domain.PersonIdentity;
import istanbul.hes.citizen.domain.PhoneNumber;
import istanbul.hes.citizen.hes.HesCodeLinking;
import istanbul.hes.citizen.ratelimit.RateLimiter;
import istanbul.hes.citizen.store.CitizenRepository;
import istanbul.hes.citizen.store.Personalization;
import istanbul.hes.config.CitizenConfig;
import istanbul.hes.http.AnswerMetrics;
import istanbul.hes.http.ListenerGuard;
import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemCode;
import istanbul.hes.http.ProblemException;
import istanbul.hes.logging.DependencyFailures;
import istanbul.hes.portal.PortalPages;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The citizens' listener (portal and app). Requests are validated against the API document;
 * every request carries a token of the portal's identity provider and counts against the
 * person's and the client address's rate limits before any work is done. With portal.enabled, it
 * also serves the portal's pages ({@link PortalPages}), which call this API from the browser.
 */
public final class CitizenVerticle extends VerticleBase {
  /** The operations this listener serves; the router is built from exactly these. */
  public static final Set<String> OPERATIONS = Set.of("issueChallenge", "personalizeCard", "listOwnCards", "viewHesCode", "linkHesCode",
      "updateHesCode", "removeHesCode", "registerCardContact", "removeCardContact", "optOutOfNotices", "receiveSmsReply");
  /** Paths a person's token is not asked for: a notice's opt-out link (its token is the proof), the SMS gateway's replies. */
  private static final String NOTICES_PATH = "/v1/notices/";

  private static final String PRINCIPAL = "citizen.principal";

  private final CitizenConfig config;
  private final OpenAPIContract contract;
  private final TokenSettings tokens;
  private final ChallengeService challenges;
  private final RateLimiter limits;
  private final CitizenRepository repository;
  private final HesCodeLinking linking;
  private final AnswerMetrics metrics;
  private final Duration drainTimeout;
  private final DependencyFailures failures;
  private final MeterRegistry meters;
  private final ContactHandlers contacts;
  private final Optional<PortalPages> portal;
  private CitizenTokenVerifier verifier;
  private HttpServer server;

  public CitizenVerticle(CitizenConfig config, OpenAPIContract contract, TokenSettings tokens, ChallengeService challenges,
      RateLimiter limits, CitizenRepository repository, HesCodeLinking linking, ContactHandlers contacts, MeterRegistry meters,
      Duration drainTimeout, DependencyFailures failures, Optional<PortalPages> portal) {
    this.portal = portal;
    this.contacts = contacts;
    this.drainTimeout = drainTimeout;
    this.failures = failures;
    this.meters = meters;
    this.metrics = new AnswerMetrics(meters, "gateway_citizen", "the citizens' listener");
    this.repository = repository;
    this.linking = linking;
    this.config = config;
    this.contract = contract;
    this.tokens = tokens;
    this.challenges = challenges;
    this.limits = limits;
  }

  @Override
  public Future<?> start() {
    verifier = CitizenTokenVerifier.create(vertx, tokens, config.tokenCacheEntries());
    // The body handler reads the body once, within its limit; validation takes it from the context.
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler())
        .rootHandler(metrics)
        .rootHandler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
        .rootHandler(this::admit);
    // Authentication is the root handler above (one place, before validation and any work).
    builder.getRoutes().forEach(route -> route.setDoSecurity(false));
    route(builder, "issueChallenge").addHandler(this::issueChallenge);
    route(builder, "personalizeCard").addHandler(this::personalize);
    route(builder, "listOwnCards").addHandler(this::listOwnCards);
    route(builder, "viewHesCode").addHandler(this::viewHesCode);
    route(builder, "linkHesCode").addHandler(this::linkHesCode);
    route(builder, "updateHesCode").addHandler(this::updateHesCode);
    route(builder, "removeHesCode").addHandler(this::removeHesCode);
    route(builder, "registerCardContact").addHandler(context -> contacts.register(context, this.<CitizenPrincipal>principal(context).identity()));
    route(builder, "removeCardContact").addHandler(context -> contacts.remove(context, this.<CitizenPrincipal>principal(context).identity()));
    route(builder, "optOutOfNotices").addHandler(contacts::optOut);
    route(builder, "receiveSmsReply").addHandler(contacts::smsReply);
    ListenerGuard guard = new ListenerGuard("citizen", config.limits(), config.tls(), meters);
    return CitizenRequests.listen(vertx, builder, guard, "citizen", config.host(), config.port(), linking, failures,
            router -> portal.ifPresent(pages -> pages.install(router, metrics)))
        .onSuccess(listening -> server = listening);
  }

  /** New connections are refused; requests in flight are answered (for at most the drain timeout). */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public int actualPort() {
    return server.actualPort();
  }

  private OpenAPIRoute route(RouterBuilder builder, String operationId) {
    return CitizenRequests.route(builder, contract, operationId, null);
  }

  private <P> P principal(RoutingContext context) {
    return context.get(PRINCIPAL);
  }

  /**
   * Token, then the person's and the address's request limits. The notices' paths authenticate
   * themselves (a link token, the SMS gateway's token) and count against the address only.
   */
  private void admit(RoutingContext context) {
    if (context.normalizedPath().startsWith(NOTICES_PATH)) {
      limits.requestForAddress(clientAddress(context))
          .onSuccess(decision -> CitizenRequests.nextIfAllowed(context, decision))
          .onFailure(failure -> context.fail(CitizenProblemMapping.toProblem(failure)));
      return;
    }
    verifier.verify(context.request().getHeader(HttpHeaderNames.AUTHORIZATION))
        .compose(principal -> {
          context.put(PRINCIPAL, principal);
          return limits.requestForPerson(principal.subject());
        })
        .compose(person -> person.allowed() ? limits.requestForAddress(clientAddress(context)) : Future.succeededFuture(person))
        .onSuccess(decision -> CitizenRequests.nextIfAllowed(context, decision))
        .onFailure(failure -> {
          if (failure instanceof ProblemException problem && problem.problem().status() == 401) {
            context.response().putHeader(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"citizens\"");
          }
          context.fail(CitizenProblemMapping.toProblem(failure));
        });
  }

  private void issueChallenge(RoutingContext context) {
    CitizenPrincipal principal = context.get(PRINCIPAL);
    JsonObject body = context.body().asJsonObject();
    PhoneNumber phone = PhoneNumber.parse(body.getString("phone"), "phone");
    limits.challengeForPerson(principal.subject())
        .compose(decision -> {
          if (!decision.allowed()) {
            CitizenRequests.rejectRateLimited(context, decision);
            return Future.succeededFuture();
          }
          return challenges.issue(principal.subject(), phone).onSuccess(issued -> context.response()
              .setStatusCode(201)
              .putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json")
              .end(new JsonObject()
                  .put("challengeId", issued.challengeId())
                  .put("expiresAt", issued.expiresAt().toString())
                  .toBuffer()))
              .mapEmpty();
        })
        .onFailure(failure -> context.fail(CitizenProblemMapping.toProblem(failure)));
  }

  /**
   * PUT /v1/cards/{card}/owner: the submitted identity must be the token's person, both consents
   * given, and the challenge sent to the submitted phone answered; then the card is registered.
   */
  private void personalize(RoutingContext context) {
    CitizenPrincipal principal = context.get(PRINCIPAL);
    long card = CitizenRequests.card(context);
    JsonObject body = context.body().asJsonObject();
    PersonIdentity identity = CitizenRequests.identity(body);
    if (!identity.keyName().equals(principal.subject())) {
      throw Problem.of(ProblemCode.IDENTITY_MISMATCH, "a card is personalized with the identity the token was issued for").exception();
    }
    PhoneNumber phone = PhoneNumber.parse(body.getString("phone"), "phone");
    Personalization person = CitizenRequests.personalization(body, identity, phone, config, Optional.empty());
    // A write PostgreSQL's outage failed leaves the challenge for the retry the 503 asks for (this card only).
    challenges.redeem(body.getString("challengeId"), body.getString("challengeCode"), principal.subject(), phone,
            "card:" + card,
            () -> repository.personalize(card, person))
        .onSuccess(personalized -> CitizenRequests.sendPersonalized(context, personalized))
        .onFailure(failure -> context.fail(CitizenProblemMapping.toProblem(failure)));
  }

  /** GET /v1/cards: the caller's cards with their codes, masked (the portal's profile page). */
  private void listOwnCards(RoutingContext context) {
    CitizenPrincipal principal = context.get(PRINCIPAL);
    repository.cards(principal.identity())
        .onSuccess(cards -> CitizenRequests.sendCards(context, cards))
        .onFailure(context::fail);
  }

  /** GET /v1/cards/{card}/hes-code: the card's code, masked. */
  private void viewHesCode(RoutingContext context) {
    CitizenPrincipal principal = context.get(PRINCIPAL);
    repository.view(principal.identity(), CitizenRequests.card(context))
        .onSuccess(link -> CitizenRequests.sendLink(context, 200, link))
        .onFailure(context::fail);
  }

  /** POST /v1/cards/{card}/hes-code: 201 when linked now, 200 when the card already held this code. */
  private void linkHesCode(RoutingContext context) {
    CitizenPrincipal principal = context.get(PRINCIPAL);
    long card = CitizenRequests.card(context);
    HesCode code = HesCode.parse(context.body().asJsonObject().getString(HesCode.FIELD));
    linking.link(principal.identity(), card, code)
        .onSuccess(linked -> CitizenRequests.sendLink(context, linked.created() ? 201 : 200, linked.link()))
        .onFailure(context::fail);
  }

  /** PUT /v1/cards/{card}/hes-code: replaces the card's code. */
  private void updateHesCode(RoutingContext context) {
    CitizenPrincipal principal = context.get(PRINCIPAL);
    long card = CitizenRequests.card(context);
    HesCode code = HesCode.parse(context.body().asJsonObject().getString(HesCode.FIELD));
    linking.update(principal.identity(), card, code)
        .onSuccess(link -> CitizenRequests.sendLink(context, 200, link))
        .onFailure(context::fail);
  }

  /** DELETE /v1/cards/{card}/hes-code: 204 whether or not the card still had a code (a retried DELETE must not fail). */
  private void removeHesCode(RoutingContext context) {
    CitizenPrincipal principal = context.get(PRINCIPAL);
    repository.remove(principal.identity(), CitizenRequests.card(context))
        .onSuccess(removed -> context.response().setStatusCode(204).end())
        .onFailure(context::fail);
  }

  private static String clientAddress(RoutingContext context) {
    return context.request().remoteAddress() == null ? "unknown" : context.request().remoteAddress().hostAddress();
  }
}
