package io.meshfl.training.function;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.LinkedHashMap;
import java.util.Map;

/** Refusals become RFC 9457 problems with their status, like the registry's own errors. */
@Provider
public class TrainingProblemMapper implements ExceptionMapper<TrainingRefused> {

    @Override
    public Response toResponse(TrainingRefused refused) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("title", refused.title());
        problem.put("status", refused.status());
        problem.put("detail", refused.getMessage());
        return Response.status(refused.status()).type("application/problem+json").entity(problem).build();
    }
}
