package io.meshfl.registry.vertical;

import io.meshfl.registry.api.VerticalRoundView;
import io.meshfl.registry.security.CurrentCaller;
import io.meshfl.registry.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Vertical rounds across models, for the scheduled sweepers: the governance-side head's (a function token, every due
 * round) and a domain-owned head's (a domain token, the due rounds of the models whose head that domain runs).
 */
@Path("/vertical-rounds")
public class VerticalRoundDueResource {

    private final VerticalRoundService rounds;
    private final CurrentCaller caller;

    public VerticalRoundDueResource(VerticalRoundService rounds, CurrentCaller caller) {
        this.rounds = rounds;
        this.caller = caller;
    }

    @GET
    @Path("/due")
    @RolesAllowed({Roles.GOVERNANCE, Roles.FUNCTION, Roles.DOMAIN})
    @Operation(summary = "OPEN vertical rounds past their deadline (database clock), with their settings; a domain"
            + " token sees those of the models whose head it runs")
    public Uni<List<VerticalRoundView>> due() {
        return rounds.due(caller.get());
    }
}
