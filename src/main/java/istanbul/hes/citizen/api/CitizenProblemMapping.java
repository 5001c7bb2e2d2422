package istanbul.hes.citizen.api;

import istanbul.hes.citizen.challenge.ChallengeRefused;
import istanbul.hes.citizen.challenge.ChallengeUnavailable;
import istanbul.hes.citizen.domain.InvalidInputException;
import istanbul.hes.citizen.ratelimit.RateLimitUnavailable;
import istanbul.hes.http.Problem;
import istanbul.hes.ministry.health.HesCodeExpired;
import istanbul.hes.ministry.health.HesCodeNotFound;
import istanbul.hes.ministry.health.MinistryUnavailable;
import istanbul.hes.http.ProblemException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.ValidatorException;

/** Turns the citizen features' failures into their problem answers (details never echo values). */
final class CitizenProblemMapping {
  private CitizenProblemMapping() {}

  /** As {@link #toProblem(Throwable)}, telling a body that is not JSON at all from one of the wrong shape. */
  static Throwable toProblem(Throwable failure, RoutingContext context) {
    if ((failure instanceof ValidatorException || failure.getCause() instanceof ValidatorException) && !parsesAsJson(context)) {
      return Problem.malformedJson("the body is not valid JSON").exception();
    }
    return toProblem(failure);
  }

  private static boolean parsesAsJson(RoutingContext context) {
    if (context.body() == null || context.body().isEmpty()) {
      return true; // nothing to parse: the validator's "required" complaint stands
    }
    try {
      Json.decodeValue(context.body().buffer());
      return true;
    } catch (DecodeException e) {
      return false;
    }
  }

  static Throwable toProblem(Throwable failure) {
    if (failure instanceof ProblemException) {
      return failure;
    }
    if (failure instanceof InvalidInputException invalid) {
      return Problem.of(400, invalid.code().name(), "Invalid input", invalid.detail()).exception();
    }
    // The OpenAPI router fails with an HttpException(400) around the validator's exception.
    if (failure instanceof ValidatorException || failure.getCause() instanceof ValidatorException) {
      return Problem.of(400, "INVALID_REQUEST", "The request does not match the API document",
          "see openapi.yaml for the fields and types of this operation").exception();
    }
    if (failure instanceof HesCodeNotFound) {
      return Problem.of(422, "UNKNOWN_HES_CODE", "Unknown HES code",
          "the Ministry of Health knows no such HES code; check it in the Hayat Eve Sığar app").exception();
    }
    if (failure instanceof HesCodeExpired) {
      return Problem.of(422, "HES_CODE_EXPIRED", "The HES code has expired",
          "get a new HES code from the Hayat Eve Sığar app and link that").exception();
    }
    if (failure instanceof MinistryUnavailable) {
      return Problem.of(503, "MINISTRY_UNAVAILABLE", "The Ministry of Health cannot be reached",
          "the HES code could not be checked; nothing was changed, retry later").exception();
    }
    if (failure instanceof ChallengeRefused) {
      return Problem.of(422, "CHALLENGE_FAILED", "Verification failed",
          "the challenge is unknown, expired, used up, or was answered wrongly").exception();
    }
    if (failure instanceof ChallengeUnavailable || failure instanceof RateLimitUnavailable) {
      return Problem.of(503, "CHALLENGE_UNAVAILABLE", "Verification is unavailable", "retry shortly").exception();
    }
    return failure;
  }

  static Problem rateLimited(int retryAfterSeconds) {
    return Problem.of(429, "RATE_LIMITED", "Too many requests", "retry after " + retryAfterSeconds + " s");
  }
}
