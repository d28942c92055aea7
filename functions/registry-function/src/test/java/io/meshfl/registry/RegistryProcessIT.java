package io.meshfl.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshfl.testing.RegistryProcess;
import io.meshfl.testing.RegistryTestResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The packaged registry as the functions' tests get it: a child process on its own database, trusting the
 * issuer it hands out. Runs after packaging (Failsafe), against target/quarkus-app/quarkus-run.jar.
 */
class RegistryProcessIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void startsThePackagedRegistryReadyAndTrustingItsIssuer() throws Exception {
        try (RegistryProcess registry = RegistryProcess.start()) {
            String domain = "it-" + UUID.randomUUID().toString().substring(0, 8);

            HttpResponse<String> created = send(registry, "POST", "/domains", registry.issuer().governance(),
                    "{\"id\": \"%s\", \"name\": \"IT\", \"owner\": \"it@example.org\"}".formatted(domain));
            HttpResponse<String> read = send(registry, "GET", "/domains/" + domain, registry.issuer().domain(domain), null);
            HttpResponse<String> anonymous = send(registry, "GET", "/domains/" + domain, null, null);

            assertThat(registry.baseUrl().getHost()).isEqualTo("127.0.0.1");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.body()).contains("\"owner\":\"it@example.org\"");
            assertThat(anonymous.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void restartOnTheSameDatabaseKeepsTheDataAndRunsNoMigrationTwice() throws Exception {
        String database = "restart_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String domain = "kept-" + UUID.randomUUID().toString().substring(0, 8);
        try (RegistryProcess first = RegistryProcess.start(database)) {
            assertThat(send(first, "POST", "/domains", first.issuer().governance(),
                    "{\"id\": \"%s\", \"name\": \"Kept\", \"owner\": \"k@example.org\"}".formatted(domain))
                    .statusCode()).isEqualTo(201);
        }
        long migrationsAfterFirstStart = migrations(database);

        try (RegistryProcess second = RegistryProcess.start(database)) {
            assertThat(send(second, "GET", "/domains/" + domain, second.issuer().governance(), null).statusCode())
                    .isEqualTo(200);
            assertThat(migrations(database)).isEqualTo(migrationsAfterFirstStart).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void testResourceGivesTheFunctionAUrlAndAWorkingFunctionToken() throws Exception {
        RegistryTestResource resource = new RegistryTestResource();
        resource.init(Map.of());

        Map<String, String> config = resource.start();

        RegistryProcess registry = RegistryProcess.shared();
        assertThat(config.get(RegistryTestResource.URL)).isEqualTo(registry.baseUrl().toString());
        HttpResponse<String> rounds = http.send(HttpRequest.newBuilder(
                        URI.create(config.get(RegistryTestResource.URL) + "/rounds/1"))
                .header("Authorization", "Bearer " + config.get(RegistryTestResource.TOKEN)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(rounds.statusCode()).as(rounds.body()).isEqualTo(404);
        resource.stop();
        assertThat(registry.isAlive()).isTrue();
    }

    @Test
    void freshTestResourceHasItsOwnRegistryAndStopsIt() throws Exception {
        RegistryTestResource resource = new RegistryTestResource();
        resource.init(Map.of("fresh", "true"));

        Map<String, String> config = resource.start();

        URI url = URI.create(config.get(RegistryTestResource.URL));
        assertThat(url).isNotEqualTo(RegistryProcess.shared().baseUrl());
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(url.resolve("/q/health/ready")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        resource.stop();
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(url.resolve("/q/health/ready")).GET().build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void missingJarIsReportedWithHowToBuildIt() {
        String previous = System.getProperty(RegistryProcess.JAR_PROPERTY);
        System.setProperty(RegistryProcess.JAR_PROPERTY, "/nonexistent/quarkus-run.jar");
        try {
            assertThatThrownBy(RegistryProcess::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("The registry is not built")
                    .hasMessageContaining("/nonexistent/quarkus-run.jar");
        } finally {
            if (previous == null) {
                System.clearProperty(RegistryProcess.JAR_PROPERTY);
            } else {
                System.setProperty(RegistryProcess.JAR_PROPERTY, previous);
            }
        }
    }

    private long migrations(String database) throws Exception {
        RegistryProcess any = RegistryProcess.shared();
        String url = any.jdbcUrl().replace("/" + any.database(), "/" + database);
        try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private HttpResponse<String> send(RegistryProcess registry, String method, String path, String token, String json)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(registry.baseUrl().resolve(path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
