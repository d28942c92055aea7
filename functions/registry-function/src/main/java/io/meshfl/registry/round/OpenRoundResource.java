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
 * What the scheduled sweeper reconciles against the bucket: every OPEN round, whose updates in the object store it
 * compares with the registered ones (an update whose object event was lost is taken in as if the event had come).
 */
@Path("/rounds/open")
public class OpenRoundResource {

    @GET
    @RolesAllowed({Roles.GOVERNANCE, Roles.FUNCTION})
    @Operation(summary = "Every OPEN round, oldest first")
    public Uni<List<RoundView>> open() {
        return Panache.withSession(() -> Round.<Round>list("state = ?1 order by id", Round.State.OPEN))
                .map(rounds -> rounds.stream().map(RoundView::of).toList());
    }
}
