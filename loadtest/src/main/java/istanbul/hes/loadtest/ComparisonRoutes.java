package istanbul.hes.loadtest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowIterator;
import io.vertx.sqlclient.Tuple;
import istanbul.hes.cardstore.CardNumber;
import istanbul.hes.cardstore.CardStatus;
import istanbul.hes.config.AnonymousPolicy;
import istanbul.hes.tap.RuleMode;
import istanbul.hes.tap.RulePhases;
import istanbul.hes.config.GatewayConfig;
import istanbul.hes.db.Database;
import istanbul.hes.http.Problem;
import istanbul.hes.http.ProblemCode;
import istanbul.hes.tap.TapDecider;
import istanbul.hes.tap.TapOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The comparison endpoints the tap benchmark mounts on the node's own tap listener (same server,
 * same event loops, same admission), so that the only difference from {@code POST /v1/taps} is
 * where the card status comes from:
 *
 * <ul>
 *   <li>{@code POST /bench/constant}: the body is read, nothing is looked up; a constant answer.
 *       The ceiling of the HTTP stack on this machine.
 *   <li>{@code POST /bench/redis-tap}: the body is parsed, the status is a Redis {@code GET}
 *       (one pipelined connection per event loop), then the tap rule decides.
 *   <li>{@code POST /bench/pg-tap}: the body is parsed, the status is a primary-key
 *       {@code SELECT} on a pool of these routes' own (the node's size, on the node's Vert.x),
 *       then the tap rule decides.
 * </ul>
 *
 * Not product code: it lives in the load-test project only.
 */
final class ComparisonRoutes implements Consumer<Router> {
  static final String REDIS_KEY_PREFIX = "bench:card:";
  static final String PG_STATUS =
      "SELECT kind = 'PERSONALIZED', blocked, hes_linked, hes_expires_on - DATE '1970-01-01', risky FROM cards WHERE card_no = $1";

  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] CONSTANT = "{\"card\":\"4000000000000000\",\"decision\":\"ALLOW\",\"reason\":\"OK\"}"
      .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CARD_PREFIX = "{\"card\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[][] TAILS = new byte[TapOutcome.values().length][];

  static {
    for (TapOutcome outcome : TapOutcome.values()) {
      TAILS[outcome.ordinal()] = ("\",\"decision\":\"" + outcome.decision() + "\",\"reason\":\"" + outcome.reason() + "\"}")
          .getBytes(StandardCharsets.US_ASCII);
    }
  }

  private final GatewayConfig config;
  private final String authorization;
  /** Made by the first tap verticle instance that mounts the routes; closed with the node's Vert.x. */
  private Pool pool;

  ComparisonRoutes(GatewayConfig config, String validatorToken) {
    this.config = config;
    this.authorization = "Bearer " + validatorToken;
  }

  private synchronized Pool pool(Vertx vertx) {
    if (pool == null) {
      pool = Database.pool(vertx, config.database());
    }
    return pool;
  }

  /** Called by each tap verticle instance in its start, on its event loop. */
  @Override
  public void accept(Router router) {
    PerEventLoop handlers = new PerEventLoop(Vertx.currentContext().owner());
    BodyHandler body = BodyHandler.create(false).setBodyLimit(config.tap().maxTapBodyBytes());
    router.post("/bench/*").handler(handlers::admit);
    router.post("/bench/constant").handler(body).handler(handlers::constant);
    router.post("/bench/redis-tap").handler(body).handler(handlers::redisTap);
    router.post("/bench/pg-tap").handler(body).handler(handlers::pgTap);
  }

  /** State of one tap verticle instance: used from its event loop only. */
  private final class PerEventLoop {
    private final Future<RedisConnection> redis;
    private final Pool database;
    private final CardStatus status = new CardStatus();
    private final Map<String, String> clusters = Map.of(authorization, "bench");
    /** The phases a node starts with (none switched in a benchmark). */
    private final RulePhases.Modes modes = new RulePhases.Modes(RuleMode.ENFORCE,
        config.tap().anonymousPolicy() == AnonymousPolicy.ALLOW ? RuleMode.OFF : RuleMode.ENFORCE);
    private final int today = (int) LocalDate.now(config.tap().timeZone()).toEpochDay();

    PerEventLoop(Vertx vertx) {
      database = pool(vertx);
      redis = Redis.createClient(vertx, new RedisOptions()
              .setConnectionString(config.redis().url())
              .setMaxWaitingHandlers(16_384))
          .connect();
    }

    /** The same checks, in the same order, as the tap listener's admission. */
    void admit(RoutingContext context) {
      HttpServerRequest request = context.request();
      String header = request.getHeader(HttpHeaderNames.AUTHORIZATION);
      if (header == null || clusters.get(header) == null) {
        context.fail(Problem.unauthorized().exception());
        return;
      }
      String contentType = request.getHeader(HttpHeaderNames.CONTENT_TYPE);
      if (contentType != null && !contentType.regionMatches(true, 0, "application/json", 0, 16)) {
        context.fail(Problem.unsupportedMediaType().exception());
        return;
      }
      context.next();
    }

    void constant(RoutingContext context) {
      bodyOf(context);
      respond(context, Buffer.buffer(CONSTANT));
    }

    void redisTap(RoutingContext context) {
      long card = parseCard(bodyOf(context));
      redis.compose(connection -> connection.send(Request.cmd(Command.GET).arg(REDIS_KEY_PREFIX + CardNumber.format(card))))
          .onSuccess(value -> answer(context, card, value == null ? null : decodeRedis(value)))
          .onFailure(context::fail);
    }

    void pgTap(RoutingContext context) {
      long card = parseCard(bodyOf(context));
      database.preparedQuery(PG_STATUS).execute(Tuple.of(card))
          .onSuccess(rows -> {
            RowIterator<Row> iterator = rows.iterator();
            answer(context, card, iterator.hasNext() ? decodePg(iterator.next()) : null);
          })
          .onFailure(context::fail);
    }

    private CardStatus decodeRedis(Response value) {
      // "<personalized><blocked><hesLinked><risky>:<expiry epoch day>", e.g. "1010:2932896"
      String text = value.toString();
      return status.set(0, text.charAt(0) == '1', text.charAt(1) == '1', text.charAt(2) == '1',
          Integer.parseInt(text, 5, text.length(), 10), text.charAt(3) == '1');
    }

    private CardStatus decodePg(Row row) {
      Integer expires = row.getInteger(3);
      return status.set(0, row.getBoolean(0), row.getBoolean(1), row.getBoolean(2),
          expires == null ? CardStatus.NO_EXPIRY : expires, row.getBoolean(4));
    }

    private void answer(RoutingContext context, long card, CardStatus found) {
      TapOutcome outcome = TapDecider.decide(found != null, status, today, modes);
      byte[] tail = TAILS[outcome.ordinal()];
      byte[] answer = new byte[CARD_PREFIX.length + CardNumber.DIGITS + tail.length];
      System.arraycopy(CARD_PREFIX, 0, answer, 0, CARD_PREFIX.length);
      CardNumber.writeDigits(card, answer, CARD_PREFIX.length);
      System.arraycopy(tail, 0, answer, CARD_PREFIX.length + CardNumber.DIGITS, tail.length);
      respond(context, Buffer.buffer(answer));
    }
  }

  /** Redis value of a card status (see {@code decodeRedis}). */
  static String encodeRedis(CardStatus status) {
    return (status.personalized() ? "1" : "0") + (status.blocked() ? "1" : "0") + (status.hesLinked() ? "1" : "0")
        + (status.risky() ? "1" : "0") + ":" + status.hesExpiresOnDay();
  }

  private static byte[] bodyOf(RoutingContext context) {
    RequestBody body = context.body();
    if (body == null || body.isEmpty()) {
      throw Problem.malformedJson("the body is empty").exception();
    }
    return body.buffer().getBytes();
  }

  /** The {@code card} member of a tap, with a streaming parser (no tree), as the tap path does. */
  static long parseCard(byte[] body) {
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw Problem.malformedJson("the body must be a JSON object").exception();
      }
      long card = CardNumber.INVALID;
      String field;
      while ((field = parser.nextFieldName()) != null) {
        JsonToken value = parser.nextToken();
        if ("card".equals(field) && value == JsonToken.VALUE_STRING) {
          card = CardNumber.parse(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
        } else {
          parser.skipChildren();
        }
      }
      if (card == CardNumber.INVALID) {
        throw Problem.of(ProblemCode.INVALID_CARD, "the card must be 16 digits").exception();
      }
      return card;
    } catch (IOException e) {
      throw Problem.malformedJson("the body is not valid JSON").exception();
    }
  }

  private static void respond(RoutingContext context, Buffer answer) {
    context.response().putHeader(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON).end(answer);
  }
}
