package istanbul.hes.hotlist;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemCode;
import istanbul.hes.tap.RulePhases;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code GET /v1/hotlist[?since=<version>]} for offline validators (the caller has been admitted
 * with its cluster token): the cards denied for a reason of their own (blocked, risky holder, no
 * or an expired HES code), in full or as the changes since a version this gateway gave. Anonymous
 * cards are not listed: the answer carries the policy for them. JSON, or the compact binary form
 * when {@code Accept} asks for {@value HotlistEncoding#BINARY_TYPE}. Every answer has an ETag; a
 * conditional request for an unchanged list gets 304 for the price of one index probe.
 */
public final class HotlistHandler implements Handler<RoutingContext> {
  private static final String CACHE_CONTROL = "no-cache";
  private static final String VARY = "Accept";
  private final HotlistSource source;

  /** @param phases the rule's current phases: the list follows them */
  public HotlistHandler(Vertx vertx, Pool pool, ZoneId zone, RulePhases phases) {
    this(new HotlistSource(vertx, pool, zone, Clock.systemUTC(), phases));
  }

  HotlistHandler(HotlistSource source) {
    this.source = source;
  }

  @Override
  public void handle(RoutingContext context) {
    List<String> sinceValues = context.queryParams().getAll("since");
    if (sinceValues.size() > 1) {
      throw invalidVersion();
    }
    Optional<HotlistVersion> since = Optional.empty();
    if (sinceValues.size() == 1) {
      since = HotlistVersion.parse(sinceValues.get(0));
      if (since.isEmpty()) {
        throw invalidVersion();
      }
    }
    Boolean binary = wantsBinary(context.request().getHeader(HttpHeaderNames.ACCEPT));
    if (binary == null) {
      throw Problem.of(ProblemCode.NOT_ACCEPTABLE, "the hotlist comes as application/json or " + HotlistEncoding.BINARY_TYPE).exception();
    }
    Optional<HotlistVersion> asked = since;
    source.current().compose(current -> {
      String ifNoneMatch = context.request().getHeader(HttpHeaderNames.IF_NONE_MATCH);
      if (ifNoneMatch != null && ifNoneMatch.contains(etag(asked, current, binary))) {
        // A 304 repeats the headers a 200 would carry for the same representation (RFC 9110 15.4.5).
        context.response().setStatusCode(304).putHeader(HttpHeaderNames.ETAG, etag(asked, current, binary))
            .putHeader(HttpHeaderNames.CACHE_CONTROL, CACHE_CONTROL)
            .putHeader(HttpHeaderNames.VARY, VARY)
            .end();
        return io.vertx.core.Future.succeededFuture();
      }
      HotlistSource.Prepared prepared = source.list(asked, current);
      return prepared.encoded(binary).compose(bytes -> prepared.list.map(list -> {
        context.response()
            .putHeader(HttpHeaderNames.CONTENT_TYPE, binary ? HotlistEncoding.BINARY_TYPE : HotlistEncoding.JSON_TYPE)
            .putHeader(HttpHeaderNames.ETAG, etag(asked, list.version(), binary))
            .putHeader(HttpHeaderNames.CACHE_CONTROL, CACHE_CONTROL)
            .putHeader(HttpHeaderNames.VARY, VARY)
            .end(Buffer.buffer(bytes));
        return null;
      }));
    }).onFailure(context::fail);
  }

  /** One tag per version, starting point and form. */
  static String etag(Optional<HotlistVersion> since, HotlistVersion version, boolean binary) {
    return "\"" + version + ";" + since.map(HotlistVersion::toString).orElse("full") + ";" + (binary ? "bin" : "json") + "\"";
  }

  /** True for the binary form, false for JSON (also when nothing is asked for), null when neither is acceptable. */
  static Boolean wantsBinary(String accept) {
    if (accept == null || accept.isBlank()) {
      return false;
    }
    boolean jsonAcceptable = false;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      boolean refused = false;
      for (int i = 1; i < parts.length; i++) {
        String parameter = parts[i].trim().replace(" ", "");
        refused |= parameter.equals("q=0") || parameter.matches("q=0\\.0{0,3}");
      }
      if (refused) {
        continue;
      }
      if (type.equals(HotlistEncoding.BINARY_TYPE)) {
        return true;
      }
      jsonAcceptable |= type.equals(HotlistEncoding.JSON_TYPE) || type.equals("application/*") || type.equals("*/*");
    }
    return jsonAcceptable ? false : null;
  }

  private static RuntimeException invalidVersion() {
    return Problem.of(ProblemCode.INVALID_VERSION, "since must be one version this gateway gave (the 'version' of an earlier hotlist)").exception();
  }
}
