package io.meshfl.registry.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.registry.api.CloseOutcome.Lost;
import io.meshfl.registry.api.CloseOutcome.Won;
import io.meshfl.registry.api.RegistryException.FieldError;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The registry's HTTP API (docs/registry-api.md) as one principal calls it: blocking calls over the connection's
 * pool, this principal's bearer token on every request. Which calls succeed depends on the token's role
 * ({@code governance}, {@code function}, {@code domain}); a refusal comes back as a {@link RegistryException}
 * carrying the registry's problem detail and field errors.
 */
public final class RegistryClient {

    private static final TypeReference<List<UpdateView>> UPDATE_LIST = new TypeReference<>() {
    };
    private static final TypeReference<List<DomainView>> DOMAIN_LIST = new TypeReference<>() {
    };
    private static final TypeReference<List<EnrolmentView>> ENROLMENT_LIST = new TypeReference<>() {
    };
    private static final TypeReference<List<RoundView>> ROUND_LIST = new TypeReference<>() {
    };
    private static final TypeReference<List<DueRound>> DUE_LIST = new TypeReference<>() {
    };
    private static final TypeReference<List<VerticalRoundView>> VERTICAL_ROUND_LIST = new TypeReference<>() {
    };

    private final RegistryConnection connection;
    /** Asked at every request: a renewed token (a re-read token file, a fresh short-lived one) takes effect at once. */
    private final Supplier<String> token;

    RegistryClient(RegistryConnection connection, Supplier<String> token) {
        this.connection = connection;
        this.token = token;
    }

    // Rounds, as the functions use them.

    /** The model's current round, or empty when the model has none (never opened, or unknown to this token). */
    public Optional<RoundView> currentRound(String model) {
        return find(get("models/" + segment(model) + "/rounds/current"), RoundView.class);
    }

    /**
     * Round {@code number} of the model with the model's settings, as {@link #currentRound} has them, or empty: an
     * asynchronous model's update is checked and folded against the round it trained from.
     */
    public Optional<RoundView> round(String model, int number) {
        return find(get("models/" + segment(model) + "/rounds/" + number), RoundView.class);
    }

    public RoundView round(long roundId) {
        return read(get("rounds/" + roundId), RoundView.class);
    }

    /**
     * Opens the model's next round (governance) on the global model whose data SHA-256 is
     * {@code globalModelChecksum} (recorded so that every reader can verify the model before use); the answer is
     * the new round.
     */
    public RoundView openRound(String model, String globalModelChecksum) {
        return read(post("models/" + segment(model) + "/rounds", Map.of("globalModelChecksum", globalModelChecksum)),
                RoundView.class);
    }

    /** Registers an update's verdict; idempotent per (objectKey, etag), see {@link UpdateView#duplicate()}. */
    public UpdateView registerUpdate(long roundId, UpdateRegistration update) {
        return read(post("rounds/" + roundId + "/updates", update), UpdateView.class);
    }

    public List<UpdateView> updates(long roundId) {
        return read(get("rounds/" + roundId + "/updates"), UPDATE_LIST);
    }

    /** Tries to win the round's close; a 409 is the normal answer for every caller but one. */
    public CloseOutcome close(long roundId, Duration lease) {
        Call call = post("rounds/" + roundId + "/close", Map.of("leaseSeconds", lease.toSeconds()));
        Reply reply = send(call);
        if (reply.status() == 409) {
            JsonNode problem = reply.body();
            String state = problem.path("state").asText(problem.path("round").path("state").asText(null));
            return new Lost(state == null ? null : RoundState.valueOf(state), problem.path("detail").asText(null));
        }
        JsonNode won = ok(call, reply);
        return new Won(convert(call, won.path("round"), RoundView.class),
                convert(call, won.path("leaseUntil"), Instant.class),
                convert(call, won.path("accepted"), UPDATE_LIST));
    }

    /**
     * Records how an AGGREGATING round is aggregated past one invocation (issue 18), under the lease the caller's close
     * won ({@link CloseOutcome.Won#leaseUntil}): the registry refuses (409) a plan under any lease but the round's
     * current one. Repeating it is safe.
     */
    public RoundView recordPlan(long roundId, AggregationPlan plan, Instant leaseUntil) {
        return read(post("rounds/" + roundId + "/plan?leaseUntil="
                + URLEncoder.encode(String.valueOf(leaseUntil), StandardCharsets.UTF_8), plan), RoundView.class);
    }

    /** Records the round's result and opens the next round; repeating the same completion is safe. */
    public CompletedRound complete(long roundId, Completion completion) {
        return read(post("rounds/" + roundId + "/complete", completion), CompletedRound.class);
    }

    public RoundView fail(long roundId, String reason) {
        return read(post("rounds/" + roundId + "/fail", Map.of("reason", reason)), RoundView.class);
    }

    /** Rounds that need an action now (deadline passed, everyone in, lease expired), for the scheduled sweeper. */
    public List<DueRound> dueRounds() {
        return read(get("rounds/due"), DUE_LIST);
    }

    /**
     * Sends the registry's pending round events now: what the sweeper does on AWS Lambda, where no periodic pass runs
     * in a frozen registry between requests.
     */
    public EventRelay relayEvents() {
        return read(post("events/relay", Map.of()), EventRelay.class);
    }

    /** Every OPEN round: the sweeper looks for their updates whose object event was lost. */
    public List<RoundView> openRounds() {
        return read(get("rounds/open"), ROUND_LIST);
    }

    /**
     * Fails a round that passed its deadline below its quorum and, unless its policy says {@code stop}, opens the next
     * round on the same global model; exactly once, a repeat answers the same. A round that is not due: 409.
     */
    public ExpiredRound expire(long roundId) {
        return read(post("rounds/" + roundId + "/expire", Map.of()), ExpiredRound.class);
    }

    /** A domain's evaluation of the round's global model (domain token, own domain only). */
    public void reportMetrics(long roundId, MetricsReport report) {
        Call call = post("rounds/" + roundId + "/metrics", report);
        ok(call, send(call));
    }

    // Vertical (split-learning) rounds, as the training and head functions use them.

    /**
     * The vertical model's current round with its settings (parties, label owner, windows, deadline, optimiser,
     * network; a domain token also gets its own data product), or empty when the model has no round yet (or this
     * token knows no such model).
     */
    public Optional<VerticalRoundView> currentVerticalRound(String model) {
        return find(get("vertical-models/" + segment(model) + "/rounds/current"), VerticalRoundView.class);
    }

    /**
     * Round {@code number} of the vertical model with the model's settings, as {@link #currentVerticalRound}: what the
     * training function's vertical steps (a party, the head) check the stored {@code round.json} against before they
     * step round {@code number} (training-function, {@code RegistryVerticalSettings}).
     */
    public Optional<VerticalRoundView> verticalRound(String model, int number) {
        return find(get("vertical-models/" + segment(model) + "/rounds/" + number), VerticalRoundView.class);
    }

    /** Every round of the vertical model, oldest first, with their lineage (base version, produced version). */
    public List<VerticalRoundView> verticalRounds(String model) {
        return read(get("vertical-models/" + segment(model) + "/rounds"), VERTICAL_ROUND_LIST);
    }

    /**
     * Records how the vertical round ended, after {@code outcome.json} was settled in the object store: called by the
     * head (as soon as the outcome is stored) and by its deadline sweep (training-function,
     * {@code VerticalSteps}, {@code VerticalDeadlineSweep}). The first outcome wins and opens the next round; a repeat,
     * or a different outcome later, is answered with what the first one left ({@link VerticalOutcomeResult#recorded()}
     * false).
     */
    public VerticalOutcomeResult recordVerticalOutcome(String model, int round, VerticalOutcome outcome) {
        return read(post("vertical-models/" + segment(model) + "/rounds/" + round + "/outcome", outcome),
                VerticalOutcomeResult.class);
    }

    /**
     * Records a scoring of the vertical model (governance): {@code pseudonyms} of PSI session {@code session} with
     * {@code version} (null: the newest a COMPLETED round produced). The answer's {@code request} is the object the
     * governance side writes once to its {@code requestKey}, which starts the scoring in the parties' functions.
     */
    public VerticalScoringView requestVerticalScoring(String model, VerticalScoringRequest scoring) {
        return read(post("vertical-models/" + segment(model) + "/scorings", scoring), VerticalScoringView.class);
    }

    /** A scoring's state (PENDING, DONE with the scores' key, FAILED with the reason), or empty if there is none. */
    public Optional<VerticalScoringView> verticalScoring(String model, String scoring) {
        return find(get("vertical-models/" + segment(model) + "/scorings/" + segment(scoring)),
                VerticalScoringView.class);
    }

    /**
     * Records how a scoring ended, after the head settled its {@code outcome.json} in the object store (training
     * function, {@code VerticalScoring}); the first outcome wins, a later call is answered {@code recorded: false}.
     */
    public VerticalScoringOutcomeResult recordVerticalScoringOutcome(String model, String scoring,
            VerticalScoringOutcome outcome) {
        return read(post("vertical-models/" + segment(model) + "/scorings/" + segment(scoring) + "/outcome", outcome),
                VerticalScoringOutcomeResult.class);
    }

    /**
     * OPEN vertical rounds past their deadline on the registry's clock, each with its settings (governance or function
     * token): what the governance-side head's scheduled deadline sweep ({@code VerticalDeadlineSweep}, invoked by
     * federation-aws' EventBridge Scheduler schedule or federation-knative's PingSource) runs the vertical module's
     * deadline sweep on, then records with {@link #recordVerticalOutcome}. A domain-owned head is not swept this way.
     */
    public List<VerticalRoundView> dueVerticalRounds() {
        return read(get("vertical-rounds/due"), VERTICAL_ROUND_LIST);
    }

    /** Opens round 1 of a registered vertical model (governance). */
    public VerticalRoundView openVerticalRound(String model) {
        return read(post("vertical-models/" + segment(model) + "/rounds", Map.of()), VerticalRoundView.class);
    }

    /** Registers a vertical model (governance): its definition as JSON (docs/registry-api.md, "Vertical models"). */
    public JsonNode registerVerticalModel(Object definition) {
        return read(post("vertical-models", definition), JsonNode.class);
    }

    /** The vertical model's definition, or empty if the registry knows none by that id. */
    public Optional<JsonNode> verticalModel(String id) {
        return find(get("vertical-models/" + segment(id)), JsonNode.class);
    }

    // Federation set-up, as the governance (and a domain for its own data products) does it.

    /** The domain, or empty if the registry knows none by that id. */
    public Optional<DomainView> domain(String id) {
        return find(get("domains/" + segment(id)), DomainView.class);
    }

    public List<DomainView> domains() {
        return read(get("domains"), DOMAIN_LIST);
    }

    public DomainView registerDomain(DomainRegistration domain) {
        return read(post("domains", domain), DomainView.class);
    }

    /** The data product as the registry recorded it, or empty if it knows none by that id. */
    public Optional<JsonNode> dataProduct(String id) {
        return find(get("data-products/" + segment(id)), JsonNode.class);
    }

    /** Registers a data product from its descriptor (ODPS YAML with its ODCS contract), as its domain. */
    public JsonNode registerDataProduct(String descriptorYaml) {
        return read(post("data-products", descriptorYaml.getBytes(StandardCharsets.UTF_8), "application/yaml"),
                JsonNode.class);
    }

    /** The model's definition, or empty if the registry knows none by that id. */
    public Optional<JsonNode> model(String id) {
        return find(get("models/" + segment(id)), JsonNode.class);
    }

    /** Registers a model: its definition (id, purpose, architecture, strategy, policy, training) as JSON. */
    public JsonNode registerModel(Object definition) {
        return read(post("models", definition), JsonNode.class);
    }

    public List<EnrolmentView> enrolments(String model) {
        return read(get("models/" + segment(model) + "/enrolments"), ENROLMENT_LIST);
    }

    /** Approves a domain's data product for a model (governance). */
    public EnrolmentView enrol(String model, String domain, String dataProduct) {
        return read(post("models/" + segment(model) + "/enrolments",
                Map.of("domain", domain, "dataProduct", dataProduct)), EnrolmentView.class);
    }

    /** A one-time dashboard login link for this (governance) principal. */
    public DashboardLoginLink dashboardLogin() {
        return read(post("dashboard/login/codes", Map.of()), DashboardLoginLink.class);
    }

    private record Call(String description, HttpRequest request) {
    }

    private record Reply(int status, JsonNode body) {
    }

    private Call get(String path) {
        return new Call("GET /" + path, request(path).GET().build());
    }

    private Call post(String path, Object body) {
        byte[] bytes;
        try {
            bytes = connection.json().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write request body for POST /" + path, e);
        }
        return post(path, bytes, "application/json");
    }

    private Call post(String path, byte[] body, String mediaType) {
        HttpRequest request = request(path).header("Content-Type", mediaType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return new Call("POST /" + path, request);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(connection.base().resolve(path))
                .timeout(connection.requestTimeout())
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token.get());
    }

    private Reply send(Call call) {
        try {
            HttpResponse<byte[]> response = connection.http().send(call.request(),
                    HttpResponse.BodyHandlers.ofByteArray());
            byte[] body = response.body();
            JsonNode tree = body == null || body.length == 0
                    ? connection.json().nullNode()
                    : parse(call, response.statusCode(), body);
            return new Reply(response.statusCode(), tree);
        } catch (IOException e) {
            throw new RegistryException(call.description(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(call.description(), e);
        }
    }

    private JsonNode parse(Call call, int status, byte[] body) {
        try {
            return connection.json().readTree(body);
        } catch (IOException e) {
            // A proxy's HTML error page, for instance: report the status with the start of what came back.
            String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
            throw new RegistryException(call.description(), status, "unreadable response", text, List.of());
        }
    }

    private JsonNode ok(Call call, Reply reply) {
        if (reply.status() >= 200 && reply.status() < 300) {
            return reply.body();
        }
        throw problem(call, reply);
    }

    private <T> T read(Call call, Class<T> type) {
        return convert(call, ok(call, send(call)), type);
    }

    private <T> T read(Call call, TypeReference<T> type) {
        return convert(call, ok(call, send(call)), type);
    }

    private <T> Optional<T> find(Call call, Class<T> type) {
        Reply reply = send(call);
        if (reply.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(convert(call, ok(call, reply), type));
    }

    private RegistryException problem(Call call, Reply reply) {
        JsonNode body = reply.body();
        List<FieldError> errors = new ArrayList<>();
        for (JsonNode error : body.path("errors")) {
            errors.add(new FieldError(error.path("field").asText(null), error.path("message").asText(null)));
        }
        return new RegistryException(call.description(), reply.status(), body.path("title").asText(null),
                body.path("detail").asText(null), errors);
    }

    private <T> T convert(Call call, JsonNode node, Class<T> type) {
        try {
            return connection.json().treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new RegistryException(call.description(), 200, "unexpected response shape",
                    e.getOriginalMessage(), List.of());
        }
    }

    private <T> T convert(Call call, JsonNode node, TypeReference<T> type) {
        try {
            return connection.json().readerFor(type).readValue(node);
        } catch (IOException e) {
            throw new RegistryException(call.description(), 200, "unexpected response shape", e.getMessage(),
                    List.of());
        }
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
