package istanbul.hes.personaldata;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import istanbul.hes.admin.AdminRequests;
import istanbul.hes.citizen.api.CitizenProblemMapping;
import istanbul.hes.citizen.api.CitizenRequests;
import istanbul.hes.citizen.domain.PersonIdentity;
import istanbul.hes.config.AdminConfig;
import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The operators' routes of a person's rights, behind the operator token and the four-eyes rule:
 * {@code X-Operator-Token} and {@code X-Approver-Token} must be the tokens of two different
 * people of {@code admin.personalDataOperators}. The identity travels in the body, never in the
 * URL; the answer of an export is the person's data and is never logged.
 *
 * <pre>
 * POST /admin/v1/persons/erasures {"identity":{"tckn":"…"}|{"passport":"…","nationality":"DEU"}, "reference":"KVKK-2026-118"}
 * POST /admin/v1/persons/exports  (the same)
 * </pre>
 */
public final class PersonRequestsAdmin {
  private static final int BODY_LIMIT = 4 * 1024;
  private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9._/-]{1,64}");
  static final String OPERATOR_HEADER = "X-Operator-Token";
  static final String APPROVER_HEADER = "X-Approver-Token";

  private final PersonRequests requests;
  private final AdminConfig config;
  private final MeterRegistry meters;

  public PersonRequestsAdmin(PersonRequests requests, AdminConfig config, MeterRegistry meters) {
    this.requests = requests;
    this.config = config;
    this.meters = meters;
  }

  /** Mounts the routes on the admin router, after its operator authentication. */
  public void mount(Router router) {
    router.post("/admin/v1/persons/*").handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
    router.post("/admin/v1/persons/*").handler(AdminRequests::jsonBodyOnly);
    router.post("/admin/v1/persons/erasures").handler(context -> handle(context, "erasure", requests::erase));
    router.post("/admin/v1/persons/exports").handler(context -> handle(context, "export", requests::export));
  }

  private void handle(RoutingContext context, String kind,
      BiFunction<PersonIdentity, PersonRequests.Approval, Future<JsonObject>> action) {
    PersonRequests.Approval approval = approval(context);
    JsonObject body = AdminRequests.objectBody(context);
    PersonIdentity person = identity(body);
    action.apply(person, approval).onSuccess(result -> {
      Counter.builder("gateway_personal_data_requests").description("Erasures and exports of a person, done")
          .tag("kind", kind).register(meters).increment();
      AdminRequests.json(context, 200, result.put("reference", approval.reference()));
    }).onFailure(context::fail);
  }

  /** The two approving operators, by name, and the reference; 403 FOUR_EYES_REQUIRED otherwise. */
  private PersonRequests.Approval approval(RoutingContext context) {
    if (config.personalDataOperators().size() < 2) {
      throw Problem.of(ProblemCode.FOUR_EYES_REQUIRED, "admin.personalDataOperators names fewer than two people: "
          + "erasures and exports need two").exception();
    }
    Optional<String> requester = operator(context.request().getHeader(OPERATOR_HEADER));
    Optional<String> approver = operator(context.request().getHeader(APPROVER_HEADER));
    if (requester.isEmpty() || approver.isEmpty() || requester.equals(approver)) {
      throw Problem.of(ProblemCode.FOUR_EYES_REQUIRED, OPERATOR_HEADER + " and " + APPROVER_HEADER
          + " must be the tokens of two different people of admin.personalDataOperators").exception();
    }
    JsonObject body = AdminRequests.objectBody(context);
    String reference = body.getValue("reference") instanceof String text ? text : null;
    if (reference == null || !REFERENCE.matcher(reference).matches()) {
      throw Problem.of(ProblemCode.INVALID_REFERENCE, "reference: the request's ticket id, 1 to 64 of A-Z a-z 0-9 . _ / - "
          + "(never personal data)").exception();
    }
    return new PersonRequests.Approval(requester.get(), approver.get(), reference);
  }

  /** The name whose token this is; compared in constant time against every one. */
  private Optional<String> operator(String token) {
    if (token == null) {
      return Optional.empty();
    }
    byte[] offered = token.getBytes(StandardCharsets.UTF_8);
    String found = null;
    for (Map.Entry<String, String> operator : config.personalDataOperators().entrySet()) {
      if (MessageDigest.isEqual(offered, operator.getValue().getBytes(StandardCharsets.UTF_8))) {
        found = operator.getKey();
      }
    }
    return Optional.ofNullable(found);
  }

  private static PersonIdentity identity(JsonObject body) {
    if (!(body.getValue("identity") instanceof JsonObject identity)) {
      throw Problem.of(ProblemCode.MISSING_IDENTITY, "send identity: {\"tckn\":…} or {\"passport\":…,\"nationality\":…}").exception();
    }
    try {
      return CitizenRequests.identityObject(identity, "identity");
    } catch (RuntimeException invalid) {
      Throwable problem = CitizenProblemMapping.toProblem(invalid);
      throw problem instanceof RuntimeException runtime ? runtime : invalid;
    }
  }
}
