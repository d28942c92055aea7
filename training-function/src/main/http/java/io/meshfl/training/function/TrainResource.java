package io.meshfl.training.function;

import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /train {model, domain, dataProduct?}} with the domain's bearer token, as a domain's scheduler calls
 * it. The token is passed on to the registry, which decides what the domain may do.
 */
@Path("/train")
public class TrainResource {

    private final DomainTraining training;

    TrainResource(DomainTraining training) {
        this.training = training;
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public TrainResult train(TrainRequest request, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (request == null) {
            throw new TrainingRefused(400, "Bad request", "The body must be {model, domain, dataProduct?}");
        }
        return training.train(request, bearerToken(authorization));
    }

    private static String bearerToken(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.substring(7).isBlank()) {
            throw new TrainingRefused(401, "Unauthorized",
                    "Send the domain's registry token as 'Authorization: Bearer <token>'");
        }
        return authorization.substring(7).strip();
    }
}
