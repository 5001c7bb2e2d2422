package istanbul.hes.portal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import istanbul.hes.citizen.domain.Nationality;
import istanbul.hes.config.CitizenConfig;
import istanbul.hes.config.PortalConfig;
import istanbul.hes.http.AnswerMetrics;
import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemCode;
import istanbul.hes.http.Problems;
import java.util.Locale;

/**
 * The personalization portal on the citizens' listener: the page and its script and styles
 * (class path {@value #WEB_ROOT}), and {@value #SETTINGS} with what the page cannot know by itself
 * (the identity provider, the consent versions a personalization records, the helplines).
 *
 * <p>The page holds a person's token, so it is served as a page holding secrets must be: a
 * Content-Security-Policy that runs only this origin's script (no inline script, no eval) and
 * lets it connect only here and to the identity provider's token endpoint (no sniffing, no
 * referrer and no framing are the listener's, {@code CitizenRequests.listen}). It sets no cookie
 * and the gateway reads none. Its forms never submit
 * themselves ({@code form-action 'none'}): a form submitted without the script would put what was
 * typed into a URL.
 */
public final class PortalPages {
  /** Where the portal is served. */
  public static final String PATH = "/portal/";
  public static final String SETTINGS = PATH + "settings.json";
  /** The operation the portal's answers count under in the listener's answer metrics. */
  public static final String OPERATION = "portal";
  /** Class-path folder of the page's files; a name no working directory has, since relative roots are looked up there first. */
  static final String WEB_ROOT = "istanbul/hes/portal/web";
  /** Before the listener's own handlers (metrics, body, token): the page needs no token. */
  private static final int ORDER = -100;

  private final Buffer settings;
  private final String contentSecurityPolicy;

  public PortalPages(PortalConfig portal, CitizenConfig citizen) {
    this.settings = new JsonObject()
        .put("identityProvider", new JsonObject()
            .put("authorizationUrl", portal.authorizationUrl())
            .put("tokenUrl", portal.tokenUrl())
            .put("clientId", portal.clientId()))
        .put("consents", new JsonObject()
            .put("kvkkNotice", citizen.kvkkNoticeVersion())
            .put("hesDataSharing", citizen.hesDataSharingVersion()))
        .put("nationalities", foreignNationalities())
        .put("helplines", new JsonObject()
            .put("individual", portal.helplineIndividual())
            .put("corporate", portal.helplineCorporate()))
        .toBuffer();
    this.contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        + "connect-src 'self' " + portal.tokenOrigin() + "; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
  }

  /**
   * The nationalities the passport option offers: every assigned ISO 3166-1 alpha-3 code the
   * gateway accepts but Turkey's, with its alpha-2 region for the browser to name in the page's
   * language.
   */
  private static JsonArray foreignNationalities() {
    JsonArray countries = new JsonArray();
    for (String region : Locale.getISOCountries()) {
      String code = new Locale("", region).getISO3Country();
      if (Nationality.isAssigned(code) && !code.equals(Nationality.TURKEY)) {
        countries.add(new JsonObject().put("code", code).put("region", region));
      }
    }
    return countries;
  }

  /**
   * Serves the portal on {@code router} (the citizens' listener's), before its API routes; its
   * answers count in {@code answerMetrics} (the listener's) under operation {@value #OPERATION}.
   */
  public void install(Router router, Handler<RoutingContext> answerMetrics) {
    router.routeWithRegex("^/portal(/.*)?$").order(ORDER - 1).handler(answerMetrics);
    // Vert.x matches "/portal" for "/portal/" too: only the path without its slash is sent on.
    router.getWithRegex("^/portal$").order(ORDER + 1).handler(context -> {
      context.put(AnswerMetrics.OPERATION, OPERATION);
      context.response().setStatusCode(301).putHeader(HttpHeaderNames.LOCATION, PATH).end();
    });
    router.route(PATH + "*").order(ORDER + 2).handler(this::pageHeaders);
    router.get(SETTINGS).order(ORDER + 3).handler(context -> context.response()
        .putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaderNames.CACHE_CONTROL, "no-cache")
        .end(settings));
    router.route(PATH + "*").order(ORDER + 4)
        .handler(StaticHandler.create(FileSystemAccess.RELATIVE, WEB_ROOT)
            .setDirectoryListing(false)
            .setIncludeHidden(false)
            .setFilesReadOnly(true)
            .setDefaultContentEncoding("UTF-8")
            // The page's files change with the gateway's version: revalidated, never stale after an upgrade.
            .setCachingEnabled(true)
            .setMaxAgeSeconds(0))
        .handler(PortalPages::notServed);
  }

  private void pageHeaders(RoutingContext context) {
    context.put(AnswerMetrics.OPERATION, OPERATION);
    context.response().headers()
        .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, contentSecurityPolicy)
        .set("Cross-Origin-Opener-Policy", "same-origin")
        .set("Cross-Origin-Resource-Policy", "same-origin")
        .set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    context.next();
  }

  /** What the static files do not have: the listener's problem answers, not its token check. */
  private static void notServed(RoutingContext context) {
    HttpMethod method = context.request().method();
    Problems.send(context, method == HttpMethod.GET || method == HttpMethod.HEAD
        ? Problem.notFound()
        : Problem.of(ProblemCode.METHOD_NOT_ALLOWED, "the portal's pages are read with GET"));
  }
}
