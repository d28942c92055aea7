package io.meshfl.registry.input;

import io.meshfl.registry.problem.Problem;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks every textual path parameter ({@code /models/{id}}, {@code /domains/{id}}, …) against {@link ResourceIds}
 * before any resource reads it: a NUL byte or a 10 kB segment is a 400 naming the parameter, never a database
 * error. Numeric parameters ({@code roundId}, {@code round}) are left to their converters.
 */
public class PathIdFilter {

    private static final List<String> NUMERIC = List.of("roundId", "round");

    @ServerRequestFilter
    public void checkPathIds(UriInfo uri) {
        for (Map.Entry<String, List<String>> parameter : uri.getPathParameters(true).entrySet()) {
            if (NUMERIC.contains(parameter.getKey())) {
                continue;
            }
            for (String value : parameter.getValue()) {
                if (!ResourceIds.valid(value)) {
                    throw Problem.invalid(parameter.getKey(), "path parameter " + ResourceIds.RULE + ", was '"
                            + ResourceIds.printable(value) + "'");
                }
            }
        }
    }
}
