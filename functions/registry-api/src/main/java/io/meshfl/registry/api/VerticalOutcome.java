package io.meshfl.registry.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How a vertical round ended, as the function that settled it in the object store ({@code outcome.json}, first write
 * wins) reports it to the registry: {@code COMPLETED} after every window ({@code window} = the round's windows), or
 * {@code FAILED} with the first open {@code window}, the parties {@code missing} from it and the {@code reason}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerticalOutcome(VerticalRoundState status, Integer window, List<String> missing, String reason) {

    public static VerticalOutcome completed(int windows) {
        return new VerticalOutcome(VerticalRoundState.COMPLETED, windows, List.of(), null);
    }

    public static VerticalOutcome failed(int window, List<String> missing, String reason) {
        return new VerticalOutcome(VerticalRoundState.FAILED, window, missing, reason);
    }
}
