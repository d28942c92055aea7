package io.meshfl.training.vertical;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.core.event.UnreadableEventException;
import io.meshfl.training.function.TrainingRefused;
import io.smallrye.common.annotation.Blocking;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /vertical} with an object-store event (an S3 notification, as the local mesh's event bridge sends it), or
 * the registry's {@code meshfl.vround.opened} as a binary-mode CloudEvent ({@code ce-type} header, the round as body), and
 * a bearer JWT with the {@code function} role (application.properties: the HTTP permission {@code vertical}; 401
 * without a valid token, 403 with another role). An event only says which stored objects to look at (every input is
 * read from the store, its signature checked, the steps are exactly-once), so the token is not about integrity: without
 * it anyone who reaches the port could make the function read its rows, recompute PSI steps and build models at will.
 */
@Path("/vertical")
public class VerticalResource {

    private final VerticalSteps steps;

    VerticalResource(VerticalSteps steps) {
        this.steps = steps;
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public VerticalReport vertical(@HeaderParam("ce-type") String type, JsonNode event) {
        try {
            // A binary-mode CloudEvent (the registry's round events, as a Broker delivers them): the type is a header,
            // the body its data.
            return steps.onEvent(type == null ? event : JsonNodeFactory.instance.objectNode().put("type", type)
                    .set("data", event));
        } catch (UnreadableEventException e) {
            throw new TrainingRefused(400, "Unreadable event", e.getMessage());
        }
    }
}
