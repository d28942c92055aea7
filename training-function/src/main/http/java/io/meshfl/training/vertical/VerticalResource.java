package io.meshfl.training.vertical;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.core.event.UnreadableEventException;
import io.meshfl.training.function.TrainingRefused;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /vertical} with an object-store event (an S3 notification, as the local mesh's event bridge sends it).
 * No token: an event only says which stored objects to look at; every input is read from the store, its signature
 * checked, and the steps are exactly-once, so a forged event can at most make the function look again.
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
    public VerticalReport vertical(JsonNode event) {
        try {
            return steps.onEvent(event);
        } catch (UnreadableEventException e) {
            throw new TrainingRefused(400, "Unreadable event", e.getMessage());
        }
    }
}
