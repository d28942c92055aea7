package io.meshfl.training.vertical;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.core.event.UnreadableEventException;
import io.quarkus.funqy.Funq;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The vertical steps' entry point on Knative: the aws-sqs IntegrationSource's CloudEvents ({@code dev.knative.connector.event.aws-sqs}, mapped to this function in application.properties), the S3 notification as data. An event that cannot be read is
 * reported, not failed: a redelivery would not make it readable.
 */
public class VerticalFunction {

    private static final Logger LOG = Logger.getLogger(VerticalFunction.class);

    private final VerticalSteps steps;

    VerticalFunction(VerticalSteps steps) {
        this.steps = steps;
    }

    @Funq("vertical")
    public VerticalReport vertical(JsonNode event) {
        try {
            return steps.onEvent(event);
        } catch (UnreadableEventException e) {
            LOG.errorf("Unreadable event dropped (not retried): %s", e.getMessage());
            return new VerticalReport(List.of(new VerticalReport.Entry(null, "unreadable", e.getMessage())));
        }
    }
}
