package istanbul.hes.db;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import istanbul.hes.config.DatabaseConfig;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The PostgreSQL connection: one pool per node, shared through constructors; the schema migrations. */
public final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private Database() {}

  public static PgConnectOptions connectOptions(DatabaseConfig config) {
    PgConnectOptions options = PgConnectOptions.fromUri(config.url());
    if (!config.password().isEmpty()) {
      options.setPassword(config.password());
    }
    return options
        .setProperties(Map.of("search_path", config.schema(), "application_name", "hes-gateway"))
        .setCachePreparedStatements(true)
        .setPipeliningLimit(256);
  }

  public static Pool pool(Vertx vertx, DatabaseConfig config) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(config.poolSize()).setName("hes-gateway").setShared(false))
        .connectingTo(connectOptions(config))
        .using(vertx)
        .build();
  }

  /** Applies the versioned migrations. Blocks (JDBC): run on a worker. */
  public static MigrateResult migrate(DatabaseConfig config) {
    PgConnectOptions options = connectOptions(config);
    String jdbcUrl = "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
    MigrateResult result = Flyway.configure()
        .dataSource(jdbcUrl, options.getUser(), options.getPassword())
        .schemas(config.schema())
        .createSchemas(true)
        .locations("classpath:db/migration")
        .load()
        .migrate();
    LOG.info("schema {} at version {} ({} migrations applied)", config.schema(), result.targetSchemaVersion, result.migrationsExecuted);
    return result;
  }

  /** JDBC URL for the few blocking tools (migrations, the demo's bulk COPY). */
  public static String jdbcUrl(DatabaseConfig config) {
    PgConnectOptions options = connectOptions(config);
    return "jdbc:postgresql://" + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase()
        + "?currentSchema=" + config.schema();
  }
}
