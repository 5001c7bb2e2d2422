package istanbul.hes.points;

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
import io.vertx.redis.client.Redis;
import io.vertx.sqlclient.Pool;
import istanbul.hes.auth.BearerTokenVerifier;
import istanbul.hes.auth.TokenSettings;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.citizen.api.CitizenProblemMapping;
import istanbul.hes.citizen.api.CitizenRequests;
import istanbul.hes.citizen.challenge.ChallengeService;
import istanbul.hes.citizen.domain.HesCode;
import istanbul.hes.citizen.domain.PassportIdentity;
import istanbul.hes.citizen.domain.PersonIdentity;
import istanbul.hes.citizen.domain.PhoneNumber;
import istanbul.hes.citizen.domain.Tckn;
import istanbul.hes.citizen.hes.HesCodeLinking;
import istanbul.hes.citizen.ratelimit.RateLimiter;
import istanbul.hes.citizen.store.CitizenRepository;
import istanbul.hes.citizen.store.Personalization;
import istanbul.hes.config.CitizenConfig;
import istanbul.hes.config.PointsConfig;
import istanbul.hes.http.AnswerMetrics;
import istanbul.hes.http.ListenerGuard;
import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemCode;
import istanbul.hes.http.Problems;
import istanbul.hes.identity.IdentityProtector;
import istanbul.hes.logging.DependencyFailures;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The sales and top-up points' listener. An agent, with a token of the staff identity provider,
 * acts only for a holder who is present: a holder check sends a code to the holder's phone, the
 * holder reads it out, and the confirmed check gives a short session for that person and that
 * card. With it the agent does what the citizen path does (view, link, update, remove the HES code;
 * personalize an anonymous card), through the same code and the same refusals. There is nothing
 * to list or search. Every request of an authenticated agent is audited when it is answered, and
 * counts against the agent's and the point's rate limits; a disabled agent or point is refused.
 */
public final class PointsVerticle extends VerticleBase {
  /** The operations this listener serves, with the audit's name of each. */
  public static final Map<String, String> OPERATIONS = Map.of(
      "startHolderCheck", "HOLDER_CHECK_START",
      "confirmHolderCheck", "HOLDER_CHECK_CONFIRM",
      "endHolderSession", "HOLDER_SESSION_END",
      "pointPersonalizeCard", "PERSONALIZE",
      "pointViewHesCode", "HES_CODE_VIEW",
      "pointLinkHesCode", "HES_CODE_LINK",
      "pointUpdateHesCode", "HES_CODE_UPDATE",
      "pointRemoveHesCode", "HES_CODE_REMOVE");
  public static final String HOLDER_SESSION_HEADER = "Holder-Session";
  private static final String UNMATCHED_ACTION = "UNKNOWN_REQUEST";

  private static final String AGENT = "points.agent";
  private static final String CARD = CitizenRequests.CARD;
  private static final String HOLDER = "points.holder";

  private final PointsConfig config;
  private final CitizenConfig citizen;
  private final OpenAPIContract contract;
  private final TokenSettings tokens;
  private final HolderChecks checks;
  private final CardHolders holders;
  private final PointAccess access;
  private final AgentAudit audit;
  private final RateLimiter limits;
  private final CitizenRepository repository;
  private final HesCodeLinking linking;
  private final AnswerMetrics metrics;
  private final MeterRegistry meters;
  private final Duration drainTimeout;
  private final DependencyFailures failures;
  private BearerTokenVerifier<AgentPrincipal> verifier;
  private HttpServer server;

  /**
   * @param challenges the citizens' challenge service: a holder check's code is one of its challenges
   * @param limits a limiter with the points' scopes
   */
  public PointsVerticle(PointsConfig config, CitizenConfig citizen, OpenAPIContract contract, TokenSettings tokens, Redis redis,
      String redisKeyPrefix, ChallengeService challenges, Pool pool, IdentityProtector protector, PointAccess access,
      RateLimiter limits, CitizenRepository repository, HesCodeLinking linking, MeterRegistry meters, Duration drainTimeout,
      DependencyFailures failures) {
    this(config, citizen, contract, tokens,
        new HolderChecks(redis, redisKeyPrefix, challenges, protector, Clock.systemUTC(), config.holderSessionSeconds()),
        new CardHolders(pool, protector), access, new AgentAudit(pool, (short) protector.hashKeyId(), meters, failures), limits, repository, linking, meters,
        drainTimeout, failures);
  }

  private PointsVerticle(PointsConfig config, CitizenConfig citizen, OpenAPIContract contract, TokenSettings tokens, HolderChecks checks,
      CardHolders holders, PointAccess access, AgentAudit audit, RateLimiter limits, CitizenRepository repository,
      HesCodeLinking linking, MeterRegistry meters, Duration drainTimeout, DependencyFailures failures) {
    this.config = config;
    this.citizen = citizen;
    this.contract = contract;
    this.tokens = tokens;
    this.checks = checks;
    this.holders = holders;
    this.access = access;
    this.audit = audit;
    this.limits = limits;
    this.repository = repository;
    this.linking = linking;
    this.meters = meters;
    this.drainTimeout = drainTimeout;
    this.failures = failures;
    this.metrics = new AnswerMetrics(meters, "gateway_points", "the sales points' listener");
  }

  @Override
  public Future<?> start() {
    verifier = BearerTokenVerifier.create(vertx, tokens, 1_000, AgentPrincipal::fromClaims);
    RouterBuilder builder = RouterBuilder.create(vertx, contract, RequestExtractor.withBodyHandler())
        .rootHandler(metrics)
        .rootHandler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
        .rootHandler(this::authenticate);
    builder.getRoutes().forEach(route -> route.setDoSecurity(false));
    route(builder, "startHolderCheck").addHandler(this::startHolderCheck);
    route(builder, "confirmHolderCheck").addHandler(this::confirmHolderCheck);
    route(builder, "endHolderSession").addHandler(this::endHolderSession);
    route(builder, "pointPersonalizeCard").addHandler(this::personalize);
    route(builder, "pointViewHesCode").addHandler(context -> forHolder(context, session ->
        repository.view(session.identity(), session.card()).onSuccess(link -> CitizenRequests.sendLink(context, 200, link))));
    route(builder, "pointLinkHesCode").addHandler(context -> forHolder(context, session ->
        linking.link(session.identity(), session.card(), hesCode(context))
            .onSuccess(linked -> CitizenRequests.sendLink(context, linked.created() ? 201 : 200, linked.link()))));
    route(builder, "pointUpdateHesCode").addHandler(context -> forHolder(context, session ->
        linking.update(session.identity(), session.card(), hesCode(context))
            .onSuccess(link -> CitizenRequests.sendLink(context, 200, link))));
    route(builder, "pointRemoveHesCode").addHandler(context -> forHolder(context, session ->
        repository.remove(session.identity(), session.card())
            .onSuccess(removed -> context.response().setStatusCode(204).end())));
    ListenerGuard guard = new ListenerGuard("points", config.limits(), config.tls(), meters);
    return CitizenRequests.listen(vertx, builder, guard, "points", config.host(), config.port(), linking, failures)
        .onSuccess(listening -> server = listening);
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(drainTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public int actualPort() {
    return server.actualPort();
  }

  private OpenAPIRoute route(RouterBuilder builder, String operationId) {
    return CitizenRequests.route(builder, contract, operationId, this::admit);
  }

  /**
   * The staff token and the role, before anything else; from then on the answer, whatever it is,
   * is audited under the agent.
   */
  private void authenticate(RoutingContext context) {
    // Rows are written as answers go out, on several pool connections: ids follow the writes,
    // the arrival time follows the agent's requests.
    OffsetDateTime arrived = OffsetDateTime.now(ZoneOffset.UTC);
    verifier.verify(context.request().getHeader(HttpHeaderNames.AUTHORIZATION)).onSuccess(agent -> {
      context.put(AGENT, agent);
      context.addHeadersEndHandler(ignored -> recordAnswer(context, agent, arrived));
      if (!agent.role().equals(config.agentRole())) {
        context.fail(Problem.of(ProblemCode.AGENT_ROLE_REFUSED, "the token's role is not " + config.agentRole()).exception());
        return;
      }
      context.next();
    }).onFailure(failure -> {
      context.response().putHeader(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"points\"");
      context.fail(failure);
    });
  }

  /** A disabled agent or point is refused, then the agent's and the point's request limits. */
  private void admit(RoutingContext context) {
    AgentPrincipal agent = context.get(AGENT);
    access.refusal(agent)
        .compose(refusal -> {
          if (refusal.isPresent()) {
            return Future.failedFuture(refusal.get().exception());
          }
          return limits.requestForAgent(agent.agentId());
        })
        .compose(byAgent -> byAgent.allowed() ? limits.requestForPoint(agent.pointId()) : Future.succeededFuture(byAgent))
        .onSuccess(decision -> CitizenRequests.nextIfAllowed(context, decision))
        .onFailure(failure -> context.fail(CitizenProblemMapping.toProblem(failure)));
  }

  /** The audit row of an answered request (written after the answer, see AgentAudit). */
  private void recordAnswer(RoutingContext context, AgentPrincipal agent, OffsetDateTime arrived) {
    int status = context.response().getStatusCode();
    String result = status < 400 ? "OK" : context.get(Problems.ANSWERED_CODE, "HTTP_" + status);
    String operation = context.get(AnswerMetrics.OPERATION);
    String action = operation == null ? UNMATCHED_ACTION : OPERATIONS.getOrDefault(operation, UNMATCHED_ACTION);
    Long card = context.get(CARD);
    audit.record(agent, arrived, action, card == null ? 0 : card, context.get(HOLDER), status, result);
  }

  /**
   * POST /v1/points/holder-checks: the holder's card and identity document (and, for an anonymous
   * card, the phone to register); the code goes to the holder's phone.
   */
  private void startHolderCheck(RoutingContext context) {
    AgentPrincipal agent = context.get(AGENT);
    JsonObject body = context.body().asJsonObject();
    long card = CardNumber.parse(body.getString("card"));
    if (card == CardNumber.INVALID) {
      throw Problem.of(ProblemCode.INVALID_CARD, "card must be 16 ASCII digits").exception();
    }
    context.put(CARD, card);
    PersonIdentity identity = identity(body.getJsonObject("identity"));
    context.put(HOLDER, holders.identityHash(identity));
    Optional<PhoneNumber> phone = body.getValue("phone") == null ? Optional.empty()
        : Optional.of(PhoneNumber.parse(body.getString("phone"), "phone"));
    limits.holderCheckForAgent(agent.agentId())
        .compose(decision -> {
          if (!decision.allowed()) {
            CitizenRequests.rejectRateLimited(context, decision);
            return Future.succeededFuture();
          }
          return holders.phoneToCheck(card, identity, phone)
              .compose(to -> checks.start(agent, card, identity, to).onSuccess(started -> context.response()
                  .setStatusCode(201)
                  .putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json")
                  .end(new JsonObject()
                      .put("checkId", started.checkId())
                      .put("expiresAt", started.expiresAt().toString())
                      .put("phoneHint", phoneHint(to))
                      .toBuffer())))
              .mapEmpty();
        })
        .onFailure(failure -> context.fail(CitizenProblemMapping.toProblem(failure)));
  }

  /** POST /v1/points/holder-checks/{checkId}/confirm {"code":"…"}: the code the holder read out. */
  private void confirmHolderCheck(RoutingContext context) {
    AgentPrincipal agent = context.get(AGENT);
    checks.confirm(agent, context.pathParam("checkId"), context.body().asJsonObject().getString("code"))
        .onSuccess(opened -> {
          context.put(CARD, opened.session().card());
          context.put(HOLDER, holders.identityHash(opened.session().identity()));
          context.response()
              .putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json")
              .end(new JsonObject()
                  .put("holderSession", opened.token())
                  .put("expiresAt", opened.expiresAt().toString())
                  .put("card", CardNumber.format(opened.session().card()))
                  .toBuffer());
        })
        .onFailure(failure -> context.fail(CitizenProblemMapping.toProblem(failure)));
  }

  /** DELETE /v1/points/holder-session: the holder has left; 204 whether or not the session was still open. */
  private void endHolderSession(RoutingContext context) {
    checks.end(context.request().getHeader(HOLDER_SESSION_HEADER))
        .onSuccess(ended -> context.response().setStatusCode(204).end())
        .onFailure(failure -> context.fail(CitizenProblemMapping.toProblem(failure)));
  }

  /**
   * PUT /v1/points/cards/{card}/owner: the names, birth year and consents the agent took from the
   * holder; the identity is the checked one, the phone the one the code went to, and the consents
   * are recorded as collected at the agent's point.
   */
  private void personalize(RoutingContext context) {
    AgentPrincipal agent = context.get(AGENT);
    forHolder(context, session -> {
      Personalization person = CitizenRequests.personalization(context.body().asJsonObject(), session.identity(),
          session.phone(), citizen, Optional.of(agent.pointId()));
      return repository.personalize(session.card(), person)
          .onSuccess(personalized -> CitizenRequests.sendPersonalized(context, personalized));
    });
  }

  /**
   * Runs {@code work} for the holder of the request's session, on the path's card only: the
   * session of another card (or of another agent) is refused with 403, as is no session at all.
   */
  private void forHolder(RoutingContext context, Function<HolderSession, Future<?>> work) {
    AgentPrincipal agent = context.get(AGENT);
    long card = context.get(CARD);
    checks.session(agent, context.request().getHeader(HOLDER_SESSION_HEADER))
        .compose(session -> {
          context.put(HOLDER, holders.identityHash(session.identity()));
          if (session.card() != card) {
            return Future.failedFuture(Problem.of(ProblemCode.HOLDER_SESSION_MISMATCH,
                "the holder session is for another card; start a holder check for this one").exception());
          }
          return work.apply(session);
        })
        .onFailure(failure -> context.fail(CitizenProblemMapping.toProblem(failure)));
  }

  private static HesCode hesCode(RoutingContext context) {
    return HesCode.parse(context.body().asJsonObject().getString(HesCode.FIELD));
  }

  private static PersonIdentity identity(JsonObject identity) {
    return CitizenRequests.identityObject(identity, "identity");
  }

  /** What the agent may tell the holder of where the code went: {@code +90 5** *** ** 67}. */
  static String phoneHint(PhoneNumber phone) {
    String value = phone.value();
    if (value.startsWith("+90") && value.length() == 13) {
      return "+90 " + value.charAt(3) + "** *** ** " + value.substring(11);
    }
    return phone.masked();
  }
}
