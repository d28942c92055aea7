package io.meshfl.registry.vertical;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A version of a vertical model's states (every party's bottom and the head): version 1 is the initial parameters;
 * version v + 1 is what round {@code producedByRound} made of version {@code trainedFrom} = v, with the parties'
 * data products at {@code dataProductVersions}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerticalVersionView(int version, Integer producedByRound, Integer trainedFrom,
                                  Map<String, String> dataProductVersions) {
}
