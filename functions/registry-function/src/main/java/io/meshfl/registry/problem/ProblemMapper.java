package io.meshfl.registry.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.meshfl.http.problem.ProblemAnswer;
import io.meshfl.registry.round.ConcurrentWrite;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.StaleObjectStateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place where failures become RFC 9457 {@code application/problem+json}. */
public class ProblemMapper {

    public static final String PROBLEM_JSON = ProblemAnswer.PROBLEM_JSON;
    static final String UNAUTHENTICATED_DETAIL =
            "A valid bearer token is required (missing, expired, or not signed by the federation's issuer)";
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(Problem problem) {
        return response(problem.status(), problem.title(), problem.getMessage(), problem.errors(), problem.extensions());
    }

    /** Also names the specific Jackson failures, which Quarkus would otherwise answer in its own shape. */
    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class, InvalidFormatException.class})
    public Response malformedJson(JsonProcessingException e) {
        String field = e instanceof JsonMappingException mapping
                ? JsonPaths.of(mapping.getPath()) : "body";
        return response(400, "Invalid request", "The body is not valid JSON for this request: " + e.getOriginalMessage(),
                List.of(new FieldError(field.isEmpty() ? "body" : field, e.getOriginalMessage())), Map.of());
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e) {
        return Response.fromResponse(response(401, "Unauthorized", UNAUTHENTICATED_DETAIL, List.of(), Map.of()))
                .header("WWW-Authenticate", "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return response(403, "Forbidden", "This token's role may not do this", List.of(), Map.of());
    }

    /** Someone else changed the row between our read and our write: the caller may retry. */
    @ServerExceptionMapper
    public Response concurrentChange(StaleObjectStateException e) {
        return response(409, "Conflict", "Changed concurrently by another request; read it again and retry",
                List.of(), Map.of());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
            return malformedJson(json);
        }
        return response(status, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage(), List.of(), Map.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (ConcurrentWrite.detected(e)) {
            return response(409, "Conflict", "Written concurrently by another request; read it again and retry",
                    List.of(), Map.of());
        }
        if (unstorable(e)) {
            return response(400, "Invalid request", "A value of the request cannot be stored (for example a NUL"
                    + " character or a number out of range)", List.of(), Map.of());
        }
        LOG.error("Unexpected failure (a bug or broken infrastructure: is PostgreSQL reachable?)", e);
        return response(500, "Internal error", "The registry failed unexpectedly; see its log", List.of(), Map.of());
    }

    /**
     * PostgreSQL's data exceptions (SQLSTATE class 22: a NUL byte in text, a number out of range) are caused by a
     * request's values. Inputs are checked before they reach the database; this is the net under those checks.
     */
    private static boolean unstorable(Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null
                    && pg.getSqlState().startsWith("22")) {
                return true;
            }
        }
        return false;
    }

    private static Response response(int status, String title, String detail, List<FieldError> errors,
                                     Map<String, Object> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        body.putAll(extensions);
        return Response.status(status).type(PROBLEM_JSON).entity(body).build();
    }
}
