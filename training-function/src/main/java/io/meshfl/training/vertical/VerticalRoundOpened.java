package io.meshfl.training.vertical;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.core.keys.ResourceId;
import java.util.Optional;

/**
 * The registry's {@code meshfl.vround.opened} event, which starts a vertical round's steps: as a CloudEvent
 * ({@code {"type", "data"}}: the HTTP build's {@code POST /vertical} with {@code ce-*} headers, a Knative Broker's
 * delivery) or as the EventBridge event the registry's {@code meshfl-eventbridge} connector puts on the federation's
 * bus ({@code {"source": "meshfl.registry", "detail-type", "detail"}}). Its data is the opened round; only the model
 * and the round's number are taken from it. The event is a hint, like an object event: the function reads that round
 * from the registry with its own token and starts it only if the registry has it OPEN, with the registry's settings
 * and keys, so a forged, stale or redelivered event can at most make it look.
 */
record VerticalRoundOpened(String model, int number) {

    static final String TYPE = "meshfl.vround.opened";
    static final String EVENTBRIDGE_SOURCE = "meshfl.registry";

    /** The opened round the event names, or empty if it is not the registry's round-opened event. */
    static Optional<VerticalRoundOpened> read(JsonNode event) {
        if (event == null || !event.isObject()) {
            return Optional.empty();
        }
        JsonNode round;
        if (TYPE.equals(event.path("type").asText(null)) && event.has("data")) {
            round = event.get("data");
        } else if (TYPE.equals(event.path("detail-type").asText(null))
                && EVENTBRIDGE_SOURCE.equals(event.path("source").asText(null))) {
            round = event.path("detail");
        } else {
            return Optional.empty();
        }
        String model = round.path("model").asText(null);
        int number = round.path("number").asInt(0);
        if (model == null || !ResourceId.isValid(model) || !round.path("number").isInt() || number < 1) {
            throw new VerticalRefusal("The " + TYPE + " event names no vertical round (its data needs a model id and a"
                    + " round number of at least 1): " + abbreviated(round.toString()));
        }
        return Optional.of(new VerticalRoundOpened(model, number));
    }

    /** Where the registry serves the round (the key of this event's report entry). */
    String resource() {
        return "vertical-models/" + model + "/rounds/" + number;
    }

    private static String abbreviated(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
