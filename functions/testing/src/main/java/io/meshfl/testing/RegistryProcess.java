package io.meshfl.testing;

import io.meshfl.auth.LocalTokenIssuer;
import io.meshfl.launcher.ChildJvm;
import io.meshfl.launcher.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The packaged MeshFL registry ({@code functions/registry-function/target/quarkus-app/quarkus-run.jar}) running
 * as a child Java process on a free loopback port, against its own fresh database on the shared
 * {@link EmbeddedPostgresServer}, trusting the tokens of a {@link LocalTokenIssuer}. It is ready (its
 * {@code /q/health/ready} answered 200, so Flyway has migrated) when {@link #start} returns, and it is stopped
 * when the JVM exits (or by {@link #close}).
 *
 * <p>Functions' tests use it through {@link RegistryTestResource}; a test may also call {@link #shared()} and
 * mint tokens with {@link #issuer()}.
 *
 * <p>System properties it reads:
 * <ul>
 *   <li>{@value #JAR_PROPERTY}: the registry's {@code quarkus-run.jar}; default: found relative to the Maven
 *       multi-module root (the nearest ancestor of the working directory holding
 *       {@code functions/registry-function/pom.xml}). The registry must have been packaged first (the functions'
 *       POMs depend on it as type pom, so Maven builds it before them and {@code -am} packages it).</li>
 *   <li>{@value #STARTUP_TIMEOUT_PROPERTY}: seconds to wait for readiness; default 120.</li>
 *   <li>{@code meshfl.test.work-dir} (set by Surefire): where the key pair ({@code registry-keys/}) and the
 *       processes' logs ({@code registry/registry-<port>.log}) are kept; default {@code target/test-work}.</li>
 * </ul>
 *
 * <p>What it sets on the child: {@code quarkus.http.host=127.0.0.1}, {@code quarkus.http.port},
 * {@code quarkus.datasource.reactive.url}, {@code quarkus.datasource.jdbc.url},
 * {@code quarkus.datasource.username}, {@code quarkus.datasource.password},
 * {@code mp.jwt.verify.publickey.location} (the issuer's public key PEM) and {@code mp.jwt.verify.issuer}.
 */
public final class RegistryProcess implements AutoCloseable {

    public static final String JAR_PROPERTY = "meshfl.registry.jar";
    public static final String STARTUP_TIMEOUT_PROPERTY = "meshfl.registry.startup-timeout-seconds";

    private static final String JAR_IN_MODULE = "functions/registry-function/target/quarkus-app/quarkus-run.jar";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final int START_ATTEMPTS = 3;
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static RegistryProcess shared;

    private final Process process;
    private final URI baseUrl;
    private final String database;
    private final LocalTokenIssuer issuer;
    private final Path log;

    private RegistryProcess(Process process, URI baseUrl, String database, LocalTokenIssuer issuer, Path log) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.database = database;
        this.issuer = issuer;
        this.log = log;
    }

    /** One registry for the whole test JVM, started at first use. */
    public static synchronized RegistryProcess shared() {
        if (shared == null || !shared.isAlive()) {
            shared = start();
        }
        return shared;
    }

    /** A new registry on a new, empty database. */
    public static RegistryProcess start() {
        return start("registry_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet());
    }

    /**
     * A new registry on a new, empty database that sends its round events as binary-mode CloudEvents to {@code sink}
     * (connector {@code meshfl-cloudevents-http}, as a Knative SinkBinding wires it to a Broker).
     */
    public static RegistryProcess startSendingEventsTo(URI sink) {
        return start("registry_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet(), List.of(
                "-Dmp.messaging.outgoing.round-events.connector=meshfl-cloudevents-http",
                "-Dmp.messaging.outgoing.round-events.url=" + sink));
    }

    /**
     * A new registry on the named database of the shared PostgreSQL server, created if it does not exist (an
     * existing one is reused as it is: that is how a restart is tested).
     */
    public static RegistryProcess start(String database) {
        return start(database, List.of());
    }

    private static RegistryProcess start(String database, List<String> properties) {
        if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("Database name must be a lower-case SQL identifier: " + database);
        }
        Path jar = registryJar();
        EmbeddedPostgresServer.Endpoint postgres = EmbeddedPostgresServer.shared();
        createDatabaseIfAbsent(postgres, database);
        LocalTokenIssuer issuer = LocalTokenIssuer.inDirectory(TestWorkDir.resolve("registry-keys"));
        IllegalStateException lastFailure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return launch(jar, postgres, database, issuer, properties);
            } catch (PortTaken e) {
                // Another process took the free port between our probe and the registry's bind: try another.
                lastFailure = e;
            }
        }
        throw lastFailure;
    }

    /** Where the registry listens, e.g. {@code http://127.0.0.1:41234} (no trailing slash). */
    public URI baseUrl() {
        return baseUrl;
    }

    /** Mints tokens the registry accepts (governance, function, domain). */
    public LocalTokenIssuer issuer() {
        return issuer;
    }

    /** The registry's own database on the shared PostgreSQL server. */
    public String database() {
        return database;
    }

    /** JDBC URL of the registry's database, for tests that look at rows directly. */
    public String jdbcUrl() {
        EmbeddedPostgresServer.Endpoint postgres = EmbeddedPostgresServer.shared();
        return "jdbc:postgresql://" + postgres.host() + ":" + postgres.port() + "/" + database;
    }

    /** The child's console output (Quarkus log), for diagnosing a failed test. */
    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the registry and waits for it to exit; its database stays. */
    @Override
    public void close() {
        ChildJvm.stop(process, STOP_GRACE);
    }

    private static RegistryProcess launch(Path jar, EmbeddedPostgresServer.Endpoint postgres, String database,
                                          LocalTokenIssuer issuer, List<String> properties) {
        int port = LoopbackPorts.free();
        Path log = TestWorkDir.resolve("registry").resolve("registry-" + port + ".log");
        String hostPort = postgres.host() + ":" + postgres.port() + "/" + database;
        List<String> command = new ArrayList<>(List.of(
                ChildJvm.javaExecutable(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.reactive.url=postgresql://" + hostPort,
                "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://" + hostPort,
                "-Dquarkus.datasource.username=" + postgres.user(),
                "-Dquarkus.datasource.password=" + postgres.password(),
                "-Dmp.jwt.verify.publickey.location=" + issuer.publicKeyPem().toAbsolutePath(),
                "-Dmp.jwt.verify.issuer=" + issuer.issuer(),
                "-Dquarkus.log.console.color=false"));
        command.addAll(properties);
        command.addAll(List.of("-jar", jar.toString()));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "registry-stop-" + port));
            URI baseUrl = URI.create("http://127.0.0.1:" + port);
            RegistryProcess registry = new RegistryProcess(process, baseUrl, database, issuer, log);
            registry.awaitReady();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the registry from " + jar, e);
        }
    }

    private void awaitReady() {
        Duration timeout = Duration.ofSeconds(Long.getLong(STARTUP_TIMEOUT_PROPERTY, 120));
        try {
            ChildJvm.awaitReady(process, baseUrl.resolve("/q/health/ready"), timeout, log, "registry");
        } catch (ChildJvm.Exited e) {
            String output = e.log();
            if (output.contains("Port " + baseUrl.getPort() + " seems to be in use")
                    || output.contains("Address already in use")) {
                throw new PortTaken(output);
            }
            throw e;
        } catch (IllegalStateException e) {
            close();
            throw e;
        }
    }

    static Path registryJar() {
        String configured = System.getProperty(JAR_PROPERTY);
        Path jar;
        if (configured != null) {
            jar = Path.of(configured);
        } else {
            Path root = multiModuleRoot();
            jar = root.resolve(JAR_IN_MODULE);
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The registry is not built: no " + jar.toAbsolutePath()
                    + ". Package it first (from the project root: mvn -B -ntp package -pl functions/registry-function"
                    + " -am -DskipTests), or point -D" + JAR_PROPERTY + " at a quarkus-run.jar.");
        }
        return jar;
    }

    private static Path multiModuleRoot() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("functions/registry-function/pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("Cannot find the MeshFL project root (a folder holding "
                + "functions/registry-function/pom.xml) above " + start + "; set -D" + JAR_PROPERTY);
    }

    private static void createDatabaseIfAbsent(EmbeddedPostgresServer.Endpoint postgres, String database) {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
             var exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            if (!exists.executeQuery().next()) {
                try (var create = connection.createStatement()) {
                    create.execute("CREATE DATABASE " + database);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + database + " on " + postgres.jdbcUrl(), e);
        }
    }

    /** The registry could not bind its port. */
    private static final class PortTaken extends IllegalStateException {
        PortTaken(String log) {
            super("The registry's port was taken by another process; its log:\n" + log);
        }
    }
}
