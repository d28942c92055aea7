package io.meshfl.registry.round;

import static io.meshfl.registry.Fixtures.count;
import static io.meshfl.registry.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.registry.Fixtures;
import io.meshfl.registry.TokenTestResource;
import io.meshfl.registry.Tokens;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** maxDomains is a compare-and-set: 32 domains registering at the same instant never push a round past it. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class MaxDomainsTest {

    private static final int DOMAINS = 32;
    private static final int MAX = 5;

    @TestHTTPResource("/")
    URL base;

    @Test
    void thirtyTwoConcurrentRegistrationsAcceptExactlyMaxDomains() throws Exception {
        // Prepare: 32 enrolled domains, all expected, maxDomains 5
        String model = unique("max");
        List<String> domains = new ArrayList<>();
        for (int i = 0; i < DOMAINS; i++) {
            domains.add(unique("m" + i));
        }
        Fixtures.model(model, Fixtures.modelJson(model, "churn-prediction", "fedavg", 1)
                .replace("\"maxDomains\": 10", "\"maxDomains\": " + MAX));
        long round = Fixtures.openWith(model, domains.toArray(String[]::new));

        // Execute: every domain's update registered at once
        List<HttpResponse<String>> responses = registerAllAtOnce(round, model, domains);

        // Assert
        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(201));
        assertThat(responses).filteredOn(r -> r.body().contains("\"status\":\"ACCEPTED\"")).hasSize(MAX);
        assertThat(responses).filteredOn(r -> r.body().contains("already has the policy's maximum of " + MAX))
                .hasSize(DOMAINS - MAX);
        assertThat(count("round_update WHERE round_id = ? AND status = 'ACCEPTED'", round)).isEqualTo(MAX);
    }

    private List<HttpResponse<String>> registerAllAtOnce(long round, String model, List<String> domains)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(domains.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (String domain : domains) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString()).resolve("/rounds/" + round
                                + "/updates"))
                        .header("Authorization", "Bearer " + Tokens.function())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Fixtures.updateJson(model, 1, domain, "e", 5)))
                        .build();
                futures.add(pool.submit(() -> {
                    start.await();
                    return http.send(request, HttpResponse.BodyHandlers.ofString());
                }));
            }
            start.countDown();
            List<HttpResponse<String>> responses = new ArrayList<>();
            for (Future<HttpResponse<String>> future : futures) {
                responses.add(future.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }
}
