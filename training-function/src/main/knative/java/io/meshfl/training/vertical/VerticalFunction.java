package io.meshfl.training.vertical;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.core.event.UnreadableEventException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.quarkus.funqy.Context;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The vertical steps' entry point on Knative: the aws-sqs IntegrationSource's CloudEvents
 * ({@code dev.knative.connector.event.aws-sqs}, mapped to this function in application.properties), the S3 notification
 * as data; the registry's {@code meshfl.vround.opened} (a Trigger posts it to {@code /vertical}, or to the root of the
 * head Service, which exports this function); the head's sweep PingSource. An event that cannot be read is
 * reported, not failed: a redelivery would not make it readable.
 */
public class VerticalFunction {

    private static final Logger LOG = Logger.getLogger(VerticalFunction.class);

    private final VerticalSteps steps;

    VerticalFunction(VerticalSteps steps) {
        this.steps = steps;
    }

    @Funq("vertical")
    public VerticalReport vertical(JsonNode event, @Context CloudEvent<?> cloudEvent) {
        try {
            // The type tells the registry's round-opened event from the object events and the sweep's ping (or a
            // CronJob's plain POST, which is no CloudEvent), whose data are read as they are.
            return steps.onEvent(cloudEvent != null && VerticalRoundOpened.TYPE.equals(cloudEvent.type())
                    ? JsonNodeFactory.instance.objectNode().put("type", cloudEvent.type()).set("data", event)
                    : event);
        } catch (UnreadableEventException e) {
            LOG.errorf("Unreadable event dropped (not retried): %s", e.getMessage());
            return new VerticalReport(List.of(new VerticalReport.Entry(null, "unreadable", e.getMessage())));
        }
    }
}
