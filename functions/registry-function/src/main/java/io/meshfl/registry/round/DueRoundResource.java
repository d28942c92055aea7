package io.meshfl.registry.round;

import io.meshfl.registry.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * What the scheduled sweeper asks: every round that needs an action now, judged on the database's clock by
 * {@link RoundProgress}, the same rule the close and the expiry apply.
 */
@Path("/rounds/due")
public class DueRoundResource {

    private final ProgressReader progress;

    public DueRoundResource(ProgressReader progress) {
        this.progress = progress;
    }

    @GET
    @RolesAllowed({Roles.GOVERNANCE, Roles.FUNCTION})
    @Operation(summary = "Rounds due for an action now: AGGREGATE (close it), TAKE_OVER (lease expired) or EXPIRE "
            + "(deadline passed below quorum)")
    public Uni<List<DueRound>> due() {
        return Panache.withSession(progress::unfinished).map(all -> all.stream()
                .flatMap(p -> p.due().map(action -> new DueRound(RoundView.of(p.round()), action)).stream())
                .toList());
    }
}
