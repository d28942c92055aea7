package io.meshfl.registry.funqy;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.meshfl.registry.problem.FieldError;
import io.meshfl.registry.problem.Problem;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a registry function answers: the result, or the problem (same fields as the HTTP API's problem+json).
 * Event-driven callers get the problem as a value, not as a transport error, because losing a close race or
 * registering a duplicate is an everyday outcome there, not a failure to retry.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FunctionReply<T>(boolean ok, T result, ProblemBody problem) {

    /** RFC 9457 members of a problem, plus its extension members (e.g. the round's current state). */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record ProblemBody(int status, String title, String detail, List<FieldError> errors,
                              Map<String, Object> extensions) {
    }

    /**
     * Runs {@code call} on the input and waits for it, turning a {@link Problem} (thrown or failed with) into a
     * reply. Funqy invokes functions on a worker thread, while Hibernate Reactive must run on a Vert.x event
     * loop: the call is subscribed on a fresh duplicated context and this worker thread waits for it.
     */
    public static <I, T> FunctionReply<T> await(I input, Function<I, Uni<T>> call) {
        try {
            if (input == null) {
                throw Problem.invalid("body", "is required");
            }
            T result = VertxContextSupport.subscribeAndAwait(() -> call.apply(input));
            return new FunctionReply<>(true, result, null);
        } catch (Problem problem) {
            return failed(problem);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("A registry function failed", e);
        }
    }

    /** A reply for a caller the function refuses (Funqy has no status codes but 200 and 500). */
    public static <T> FunctionReply<T> failed(Problem problem) {
        return new FunctionReply<>(false, null, new ProblemBody(problem.status(), problem.title(), problem.getMessage(),
                problem.errors(), problem.extensions()));
    }
}
