package io.meshfl.mesh.federation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A domain's scheduler, as cron or Airflow would be: it calls its training function's trigger over HTTP with the
 * domain's token, {@code POST /train {model, domain}}, and nothing else.
 */
public final class DomainScheduler implements Participant {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String domain;
    private final URI training;
    private final Supplier<String> token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param token the domain's registry token, asked for at every trigger (renewed, short-lived) */
    public DomainScheduler(String domain, URI training, Supplier<String> token) {
        this.domain = domain;
        this.training = training;
        this.token = token;
    }

    @Override
    public Outcome takePart(String model, int round) {
        try {
            String body = JSON.writeValueAsString(Map.of("model", model, "domain", domain));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(training.resolve("/train"))
                            .header("Authorization", "Bearer " + token.get())
                            .header("Content-Type", "application/json")
                            .timeout(Duration.ofMinutes(10))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Outcome(domain, response.statusCode(), response.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            return new Outcome(domain, 0, "no answer from " + training + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(domain, 0, "interrupted");
        }
    }

    @Override
    public String domain() {
        return domain;
    }
}
