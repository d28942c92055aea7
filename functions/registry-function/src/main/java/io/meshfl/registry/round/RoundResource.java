package io.meshfl.registry.round;

import io.meshfl.registry.security.Caller;
import io.meshfl.registry.security.CurrentCaller;
import io.meshfl.registry.security.Roles;
import io.meshfl.registry.update.UpdateRegistrar;
import io.meshfl.registry.update.UpdateRegistration;
import io.meshfl.registry.update.UpdateView;
import io.meshfl.registry.version.EvaluationReport;
import io.meshfl.registry.version.EvaluationService;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A round's life after it opened: updates, close, complete or fail, and the domains' evaluations. */
@Path("/rounds/{roundId}")
public class RoundResource {

    private final RoundService rounds;
    private final UpdateRegistrar updates;
    private final CloseArbiter closer;
    private final RoundFinisher finisher;
    private final RoundExpirer expirer;
    private final EvaluationService evaluations;
    private final CurrentCaller caller;
    private final AggregationPlanRecorder plans;

    public RoundResource(RoundService rounds, UpdateRegistrar updates, CloseArbiter closer, RoundFinisher finisher,
                         RoundExpirer expirer, EvaluationService evaluations, CurrentCaller caller,
                         AggregationPlanRecorder plans) {
        this.plans = plans;
        this.rounds = rounds;
        this.updates = updates;
        this.closer = closer;
        this.finisher = finisher;
        this.expirer = expirer;
        this.evaluations = evaluations;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.GOVERNANCE, Roles.FUNCTION, Roles.DOMAIN})
    @Operation(summary = "Read a round (a domain token: a round of a model it is enrolled in)")
    public Uni<RoundView> get(@PathParam("roundId") Long roundId) {
        return rounds.get(caller.get(), roundId);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("/updates")
    @RolesAllowed(Roles.FUNCTION)
    @Operation(summary = "Register an update as ACCEPTED or REJECTED, once per (round, domain); repeats are duplicates")
    public Uni<Response> register(@PathParam("roundId") Long roundId, UpdateRegistration registration) {
        return updates.register(roundId, registration)
                .map(result -> Response.status(result.created() ? 201 : 200).entity(result.update()).build());
    }

    @GET
    @Path("/updates")
    @RolesAllowed({Roles.GOVERNANCE, Roles.FUNCTION, Roles.DOMAIN})
    @Operation(summary = "List a round's registered updates (a domain token: its own, with status and reason)")
    public Uni<List<UpdateView>> updates(@PathParam("roundId") Long roundId) {
        Caller who = caller.get();
        // A domain learns whether its update was accepted and why not, never how the others fared.
        return rounds.get(who, roundId).chain(round -> updates.list(roundId))
                .map(all -> all.stream().filter(update -> who.maySee(update.domain())).toList());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("/close")
    @RolesAllowed(Roles.FUNCTION)
    @Operation(summary = "Compare-and-set OPEN → AGGREGATING once due (or take over an expired lease); losers and "
            + "rounds that are not due get 409 saying why")
    public Uni<CloseResult> close(@PathParam("roundId") Long roundId, CloseRequest request) {
        return closer.close(roundId, request);
    }

    @POST
    @Path("/expire")
    @RolesAllowed(Roles.FUNCTION)
    @Operation(summary = "Fail a round past its deadline below quorum and (onQuorumMissed: retry) open the next one "
            + "on the same global model; repeats answer as the first; a round that is not due gets 409")
    public Uni<ExpiryResult> expire(@PathParam("roundId") Long roundId) {
        return expirer.expire(roundId);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("/plan")
    @RolesAllowed(Roles.FUNCTION)
    @Operation(summary = "Record how an AGGREGATING round is aggregated past one invocation (shards, fan-in, depth); "
            + "shown in GET /rounds/{id} and the dashboard. leaseUntil is the lease the caller's close won: only the "
            + "current lease holder's plan is recorded (409 otherwise)")
    public Uni<RoundView> plan(@PathParam("roundId") Long roundId, @QueryParam("leaseUntil") String leaseUntil,
            io.meshfl.registry.api.AggregationPlan plan) {
        return plans.record(roundId, plan, leaseUntil);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("/complete")
    @RolesAllowed(Roles.FUNCTION)
    @Operation(summary = "Record the new global model, close the round and open the next one, atomically")
    public Uni<CompletionResult> complete(@PathParam("roundId") Long roundId, Completion completion) {
        return finisher.complete(roundId, completion);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("/fail")
    @RolesAllowed(Roles.FUNCTION)
    @Operation(summary = "End the round without a new global model")
    public Uni<RoundView> fail(@PathParam("roundId") Long roundId, FailureRequest request) {
        return finisher.fail(roundId, request);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("/metrics")
    @RolesAllowed({Roles.GOVERNANCE, Roles.DOMAIN})
    @Operation(summary = "Report a domain's evaluation of the round's global model on its hold-out split")
    public Uni<Response> report(@PathParam("roundId") Long roundId, EvaluationReport report) {
        return evaluations.report(caller.get(), roundId, report)
                .map(result -> Response.status(result.created() ? 201 : 200).entity(result.evaluation()).build());
    }
}
