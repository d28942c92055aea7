package io.meshfl.training.vertical;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quarkus.funqy.Funq;

/**
 * The Knative entry point of the registry's {@code meshfl.vround.opened} on a domain's training Service (which exports
 * no single function, so Funqy routes the type by its mapping here): a Trigger on the federation's Broker delivers the
 * opened round, and the domain's vertical steps start it from the registry's round. The governance-side head's Service
 * exports {@code vertical}, which takes this type itself.
 */
public class VerticalRoundOpenedFunction {

    private final VerticalSteps steps;

    VerticalRoundOpenedFunction(VerticalSteps steps) {
        this.steps = steps;
    }

    @Funq("vertical-round-opened")
    public VerticalReport roundOpened(JsonNode round) {
        return steps.onEvent(JsonNodeFactory.instance.objectNode().put("type", VerticalRoundOpened.TYPE)
                .set("data", round));
    }
}
