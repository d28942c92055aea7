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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Many callers at once: exactly one close wins, and an update is stored once however often it arrives. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class ConcurrencyTest {

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void eightParallelClosesHaveOneWinnerAndSevenConflicts() throws Exception {
        String model = unique("race");
        String domain = unique("solo");
        long round = Fixtures.federation(model, 1, domain);
        Fixtures.acceptedUpdate(round, model, 1, domain, 10);

        List<HttpResponse<String>> responses = all(8, i -> post("/rounds/" + round + "/close", "{\"leaseSeconds\": 60}"));

        assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(1);
        assertThat(responses).filteredOn(r -> r.statusCode() == 409).hasSize(7)
                .allSatisfy(r -> {
                    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                    assertThat(r.body()).contains("\"state\":\"AGGREGATING\"");
                });
        assertThat(count("round WHERE model_id = ? AND state = 'AGGREGATING'", model)).isEqualTo(1);
        assertThat(count("round WHERE model_id = ?", model)).isEqualTo(1);
    }

    @Test
    void tenDuplicateRegistrationsStoreOneRow() throws Exception {
        String model = unique("dup");
        String domain = unique("echo");
        long round = Fixtures.federation(model, 1, domain);
        String update = Fixtures.updateJson(model, 1, domain, "etag-1", 42);

        List<HttpResponse<String>> responses = all(10, i -> post("/rounds/" + round + "/updates", update));

        assertThat(responses).filteredOn(r -> r.statusCode() == 201).hasSize(1);
        assertThat(responses).filteredOn(r -> r.statusCode() == 200).hasSize(9)
                .allSatisfy(r -> assertThat(r.body()).contains("\"duplicate\":true"));
        assertThat(count("round_update WHERE round_id = ?", round)).isEqualTo(1);
    }

    @Test
    void parallelUpdatesOfDifferentContentFromOneDomainKeepTheFirstOnly() throws Exception {
        String model = unique("dup");
        String domain = unique("noisy");
        long round = Fixtures.federation(model, 1, domain);

        List<HttpResponse<String>> responses = all(10, i -> post("/rounds/" + round + "/updates",
                Fixtures.updateJson(model, 1, domain, "etag-" + i, 10 + i)));

        assertThat(responses).filteredOn(r -> r.statusCode() == 201).hasSize(1);
        String winnerEtag = responses.stream().filter(r -> r.statusCode() == 201).findFirst().orElseThrow().body()
                .replaceAll(".*\"etag\":\"([^\"]+)\".*", "$1");
        assertThat(responses).filteredOn(r -> r.statusCode() == 200)
                .allSatisfy(r -> assertThat(r.body()).contains("\"etag\":\"" + winnerEtag + "\""));
        assertThat(count("round_update WHERE round_id = ? AND etag = ?", round, winnerEtag)).isEqualTo(1);
        assertThat(count("round_update WHERE round_id = ?", round)).isEqualTo(1);
    }

    @Test
    void parallelIdenticalCompletionsAllSucceedWithOneNextRound() throws Exception {
        String model = unique("finish");
        String domain = unique("one");
        long round = Fixtures.federation(model, 1, domain);
        Fixtures.acceptedUpdate(round, model, 1, domain, 10);
        assertThat(post("/rounds/" + round + "/close", "{}").statusCode()).isEqualTo(200);
        String completion = """
                {"globalModelKey": "models/%s/global/2.safetensors", "checksum": "c1", "aggregatedFrom": ["%s"]}
                """.formatted(model, domain);

        List<HttpResponse<String>> responses = all(4, i -> post("/rounds/" + round + "/complete", completion));

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(200));
        assertThat(responses).extracting(r -> r.body().replaceAll(".*\"next\":\\{\"roundId\":(\\d+).*", "$1"))
                .containsOnly(responses.get(0).body().replaceAll(".*\"next\":\\{\"roundId\":(\\d+).*", "$1"));
        assertThat(count("round WHERE model_id = ? AND number = 2", model)).isEqualTo(1);
        assertThat(count("model_version WHERE model_id = ? AND number = 2", model)).isEqualTo(1);
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base.toString()).resolve(path))
                .header("Authorization", "Bearer " + Tokens.function())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Runs n calls released at the same instant and returns their responses. */
    private static List<HttpResponse<String>> all(int n, ThrowingCall call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<HttpResponse<String>> task = () -> {
                    start.await();
                    return call.apply(index);
                };
                futures.add(pool.submit(task));
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

    @FunctionalInterface
    private interface ThrowingCall {
        HttpResponse<String> apply(int index) throws Exception;
    }
}
