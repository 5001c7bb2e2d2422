package istanbul.hes.citizen.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run atomically by Redis: {@code EVALSHA} first (only the 40-character digest
 * travels), {@code EVAL} with the body when the server does not know it yet (after a restart or
 * {@code SCRIPT FLUSH}), which also loads it for the next calls.
 */
public final class LuaScript {
  private final String body;
  private final String sha1;

  public LuaScript(String body) {
    this.body = body;
    this.sha1 = sha1(body);
  }

  /** Runs the script with these keys and arguments; fails with the Redis error otherwise. */
  public Future<Response> run(Redis redis, List<String> keys, List<String> arguments) {
    return redis.send(request(Command.EVALSHA, sha1, keys, arguments))
        .recover(error -> isNoScript(error)
            ? redis.send(request(Command.EVAL, body, keys, arguments))
            : Future.failedFuture(error));
  }

  public String sha1() {
    return sha1;
  }

  private static Request request(Command command, String script, List<String> keys, List<String> arguments) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    arguments.forEach(request::arg);
    return request;
  }

  private static boolean isNoScript(Throwable error) {
    String message = error.getMessage();
    return message != null && message.startsWith("NOSCRIPT");
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is not available", e);
    }
  }
}
