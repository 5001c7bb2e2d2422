package istanbul.hes.citizen.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.ValidatorException;
import istanbul.hes.citizen.challenge.ChallengeRefused;
import istanbul.hes.citizen.challenge.ChallengeUnavailable;
import istanbul.hes.citizen.domain.InvalidInputException;
import istanbul.hes.citizen.ratelimit.RateLimitUnavailable;
import istanbul.hes.citizen.store.CitizenRefused;
import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemCode;
import istanbul.hes.http.ProblemException;
import istanbul.hes.ministry.health.HesCodeExpired;
import istanbul.hes.ministry.health.HesCodeNotFound;
import istanbul.hes.ministry.health.MinistryUnavailable;

/** Turns the citizen features' failures into their problem answers (details never echo values). */
public final class CitizenProblemMapping {
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

  public static Throwable toProblem(Throwable failure) {
    if (failure instanceof ProblemException) {
      return failure;
    }
    if (failure instanceof CitizenRefused refused) {
      return problemOf(refused).exception();
    }
    if (failure instanceof InvalidInputException invalid) {
      return Problem.of(ProblemCode.valueOf(invalid.code().name()), invalid.detail()).exception();
    }
    // The OpenAPI router fails with an HttpException(400) around the validator's exception.
    if (failure instanceof ValidatorException || failure.getCause() instanceof ValidatorException) {
      return Problem.of(ProblemCode.INVALID_REQUEST, "see openapi.yaml for the fields and types of this operation").exception();
    }
    if (failure instanceof HesCodeNotFound) {
      return Problem.of(ProblemCode.UNKNOWN_HES_CODE, "the Ministry of Health knows no such HES code; check it in the Hayat Eve Sığar app").exception();
    }
    if (failure instanceof HesCodeExpired) {
      return Problem.of(ProblemCode.HES_CODE_EXPIRED, "get a new HES code from the Hayat Eve Sığar app and link that").exception();
    }
    if (failure instanceof MinistryUnavailable) {
      return Problem.of(ProblemCode.MINISTRY_UNAVAILABLE, "the HES code could not be checked; nothing was changed, retry later").exception();
    }
    if (failure instanceof ChallengeRefused) {
      return Problem.of(ProblemCode.CHALLENGE_FAILED, "the challenge is unknown, expired, used up, or was answered wrongly").exception();
    }
    if (failure instanceof ChallengeUnavailable || failure instanceof RateLimitUnavailable) {
      return Problem.of(ProblemCode.CHALLENGE_UNAVAILABLE, "retry shortly").exception();
    }
    return failure;
  }

  /** The answer to a refusal of the citizen rules; the same refusal always gets the same answer. */
  public static Problem problemOf(CitizenRefused refused) {
    return switch (refused.reason()) {
      case CARD_NOT_OWNED -> Problem.of(ProblemCode.CARD_NOT_OWNED, "personalize the card first, or check its number");
      case CARD_NOT_AVAILABLE -> Problem.of(ProblemCode.CARD_NOT_AVAILABLE, "check the number printed on the card; if the card is "
          + "yours and registered to someone else, go to an Istanbulkart sales point or call 153");
      case HES_ALREADY_PRESENT -> Problem.of(ProblemCode.HES_ALREADY_PRESENT, "a card holds one HES code: update it to replace it");
      case HES_LINKED_TO_OTHER_CARD -> Problem.of(ProblemCode.HES_LINKED_TO_OTHER_CARD,
          "a HES code can be linked to one card only: remove it from the other card first");
      case NO_HES_CODE -> Problem.of(ProblemCode.NO_HES_CODE, "link a HES code to the card first");
      case HES_NOT_OWNED -> Problem.of(ProblemCode.HES_NOT_OWNED, refused.detail());
    };
  }

  static Problem rateLimited(int retryAfterSeconds) {
    return Problem.of(ProblemCode.RATE_LIMITED, "retry after " + retryAfterSeconds + " s");
  }
}
