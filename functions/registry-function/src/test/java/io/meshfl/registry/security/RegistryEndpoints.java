package io.meshfl.registry.security;

import static io.meshfl.registry.security.RegistryEndpoints.Principal.DOMAIN;
import static io.meshfl.registry.security.RegistryEndpoints.Principal.FUNCTION;
import static io.meshfl.registry.security.RegistryEndpoints.Principal.GOVERNANCE;
import static io.meshfl.registry.security.RegistryEndpoints.Principal.OUTSIDER;

import io.meshfl.testing.DataProductDescriptors;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Every endpoint of the registry (REST API, Funqy functions, dashboard pages) with the principals that may call it,
 * for attack tests that sweep them all. Bodies are chosen so that an allowed call changes nothing it should not:
 * each allowed POST is refused by validation (400) or repeats what is already stored, so the sweep can run in any
 * order against one federation.
 */
public final class RegistryEndpoints {

    /** Who calls: no token, a token signed by a stranger, the three roles, and a domain outside the model. */
    public enum Principal { ANONYMOUS, FORGED, MALFORMED_CLAIM, GOVERNANCE, FUNCTION, DOMAIN, OUTSIDER }

    public enum Kind { API, FUNQY, DASHBOARD }

    /** One endpoint; {@code allowed} principals pass authorisation (whatever the body then gets). */
    public record Endpoint(String method, String path, String contentType, String body, Kind kind,
                           Set<Principal> allowed) {

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** The federation the endpoints act on: {@code domain} is enrolled in {@code model}, round {@code round} is open. */
    public record Federation(String model, String domain, String product, long round) {
    }

    private RegistryEndpoints() {
    }

    public static List<Endpoint> all(Federation f) {
        String json = "application/json";
        Set<Principal> everyone = EnumSet.of(GOVERNANCE, FUNCTION, DOMAIN, OUTSIDER);
        Set<Principal> roundReaders = EnumSet.of(GOVERNANCE, FUNCTION);
        String descriptor = DataProductDescriptors.churn(f.product(), f.domain(), "1.0.0", "churn-prediction");
        String evaluation = "{\"domain\": \"%s\", \"numExamples\": 5, \"metrics\": {\"loss\": 1.0}}".formatted(f.domain());
        return List.of(
                new Endpoint("POST", "/domains", json, "{}", Kind.API, EnumSet.of(GOVERNANCE)),
                new Endpoint("GET", "/domains", null, null, Kind.API, everyone),
                new Endpoint("GET", "/domains/" + f.domain(), null, null, Kind.API, EnumSet.of(GOVERNANCE, FUNCTION, DOMAIN)),
                new Endpoint("PATCH", "/domains/" + f.domain(), json, "{\"name\": \"\"}", Kind.API, EnumSet.of(GOVERNANCE)),
                new Endpoint("POST", "/data-products", "application/yaml", descriptor, Kind.API, EnumSet.of(GOVERNANCE, DOMAIN)),
                new Endpoint("GET", "/data-products", null, null, Kind.API, EnumSet.of(GOVERNANCE, DOMAIN, OUTSIDER)),
                new Endpoint("GET", "/data-products/" + f.product(), null, null, Kind.API, EnumSet.of(GOVERNANCE, DOMAIN)),
                new Endpoint("POST", "/models", json, "{}", Kind.API, EnumSet.of(GOVERNANCE)),
                new Endpoint("GET", "/models", null, null, Kind.API, everyone),
                new Endpoint("GET", "/models/" + f.model(), null, null, Kind.API, everyone),
                new Endpoint("POST", "/models/" + f.model() + "/enrolments", json, "{}", Kind.API, EnumSet.of(GOVERNANCE)),
                new Endpoint("GET", "/models/" + f.model() + "/enrolments", null, null, Kind.API, everyone),
                new Endpoint("POST", "/models/" + f.model() + "/rounds", json, "{}", Kind.API, EnumSet.of(GOVERNANCE)),
                new Endpoint("GET", "/models/" + f.model() + "/rounds/current", null, null, Kind.API,
                        EnumSet.of(GOVERNANCE, FUNCTION, DOMAIN)),
                new Endpoint("GET", "/models/" + f.model() + "/rounds/1", null, null, Kind.API,
                        EnumSet.of(GOVERNANCE, FUNCTION, DOMAIN)),
                new Endpoint("GET", "/models/" + f.model() + "/versions", null, null, Kind.API, EnumSet.of(GOVERNANCE)),
                new Endpoint("GET", "/models/" + f.model() + "/versions/1/lineage", null, null, Kind.API, EnumSet.of(GOVERNANCE)),
                new Endpoint("GET", "/rounds/" + f.round(), null, null, Kind.API, EnumSet.of(GOVERNANCE, FUNCTION, DOMAIN)),
                new Endpoint("POST", "/rounds/" + f.round() + "/updates", json, "{}", Kind.API, EnumSet.of(FUNCTION)),
                new Endpoint("GET", "/rounds/" + f.round() + "/updates", null, null, Kind.API,
                        EnumSet.of(GOVERNANCE, FUNCTION, DOMAIN)),
                new Endpoint("POST", "/rounds/" + f.round() + "/close", json, "{\"leaseSeconds\": 0}", Kind.API, EnumSet.of(FUNCTION)),
                new Endpoint("POST", "/rounds/" + f.round() + "/expire", json, "{}", Kind.API, EnumSet.of(FUNCTION)),
                new Endpoint("GET", "/rounds/due", null, null, Kind.API, roundReaders),
                new Endpoint("POST", "/rounds/" + f.round() + "/complete", json, "{}", Kind.API, EnumSet.of(FUNCTION)),
                new Endpoint("POST", "/rounds/" + f.round() + "/fail", json, "{}", Kind.API, EnumSet.of(FUNCTION)),
                new Endpoint("POST", "/rounds/" + f.round() + "/metrics", json, evaluation, Kind.API, EnumSet.of(GOVERNANCE, DOMAIN)),
                new Endpoint("POST", "/registerUpdate", json, "{\"roundId\": %d, \"update\": {}}".formatted(f.round()),
                        Kind.FUNQY, EnumSet.of(FUNCTION)),
                new Endpoint("POST", "/closeRound", json, "{\"roundId\": %d, \"leaseSeconds\": 0}".formatted(f.round()),
                        Kind.FUNQY, EnumSet.of(FUNCTION)),
                new Endpoint("POST", "/completeRound", json, "{\"roundId\": %d, \"completion\": {}}".formatted(f.round()),
                        Kind.FUNQY, EnumSet.of(FUNCTION)),
                new Endpoint("POST", "/failRound", json, "{\"roundId\": %d}".formatted(f.round()), Kind.FUNQY, EnumSet.of(FUNCTION)),
                new Endpoint("POST", "/currentRound", json, "{\"model\": \"%s\"}".formatted(f.model()), Kind.FUNQY,
                        EnumSet.of(GOVERNANCE, FUNCTION, DOMAIN)),
                new Endpoint("POST", "/dashboard/login/codes", null, null, Kind.API, EnumSet.of(GOVERNANCE)),
                new Endpoint("GET", "/dashboard", null, null, Kind.DASHBOARD, EnumSet.of(GOVERNANCE)),
                new Endpoint("GET", "/dashboard/models/" + f.model(), null, null, Kind.DASHBOARD, EnumSet.of(GOVERNANCE)),
                new Endpoint("GET", "/dashboard/domains/" + f.domain(), null, null, Kind.DASHBOARD, EnumSet.of(GOVERNANCE)));
    }

    /**
     * The vertical-model endpoints, on a vertical model whose round 1 is open and of which the {@code DOMAIN}
     * principal is not a party (parties' reads are tested in the vertical package).
     */
    public static List<Endpoint> vertical(String model) {
        String json = "application/json";
        Set<Principal> everyone = EnumSet.of(GOVERNANCE, FUNCTION, DOMAIN, OUTSIDER);
        Set<Principal> roundReaders = EnumSet.of(GOVERNANCE, FUNCTION);
        String rounds = "/vertical-models/" + model + "/rounds";
        return List.of(
                new Endpoint("POST", "/vertical-models", json, "{}", Kind.API, EnumSet.of(GOVERNANCE)),
                new Endpoint("GET", "/vertical-models", null, null, Kind.API, everyone),
                // A domain lists vertical models (its own only) but reads none it is not a party of.
                new Endpoint("GET", "/vertical-models/" + model, null, null, Kind.API, roundReaders),
                new Endpoint("PATCH", "/vertical-models/" + model, json, "{}", Kind.API, EnumSet.of(GOVERNANCE)),
                new Endpoint("POST", rounds, json, "{}", Kind.API, EnumSet.of(GOVERNANCE)),
                new Endpoint("GET", rounds, null, null, Kind.API, roundReaders),
                new Endpoint("GET", rounds + "/current", null, null, Kind.API, roundReaders),
                new Endpoint("GET", rounds + "/1", null, null, Kind.API, roundReaders),
                new Endpoint("GET", "/vertical-models/" + model + "/versions", null, null, Kind.API,
                        EnumSet.of(GOVERNANCE)),
                new Endpoint("POST", rounds + "/1/outcome", json, "{}", Kind.API, roundReaders),
                // A domain lists the due rounds of the models whose head it runs (none here, for an outsider none).
                new Endpoint("GET", "/vertical-rounds/due", null, null, Kind.API, everyone),
                new Endpoint("GET", "/dashboard/vertical-models/" + model, null, null, Kind.DASHBOARD,
                        EnumSet.of(GOVERNANCE)));
    }
}
