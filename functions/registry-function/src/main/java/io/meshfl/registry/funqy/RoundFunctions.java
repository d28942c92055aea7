package io.meshfl.registry.funqy;

import io.meshfl.registry.input.ResourceIds;
import io.meshfl.registry.problem.Problem;
import io.meshfl.registry.round.CloseRequest;
import io.meshfl.registry.round.CloseResult;
import io.meshfl.registry.round.Completion;
import io.meshfl.registry.round.CompletionResult;
import io.meshfl.registry.round.CurrentRoundView;
import io.meshfl.registry.round.FailureRequest;
import io.meshfl.registry.round.CloseArbiter;
import io.meshfl.registry.round.RoundFinisher;
import io.meshfl.registry.round.RoundService;
import io.meshfl.registry.round.RoundView;
import io.meshfl.registry.security.Caller;
import io.meshfl.registry.security.CurrentCaller;
import io.meshfl.registry.security.Roles;
import io.meshfl.registry.update.UpdateRegistrar;
import io.meshfl.registry.update.UpdateRegistration;
import io.meshfl.registry.update.UpdateView;
import io.quarkus.funqy.Funq;
import io.smallrye.mutiny.Uni;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The round operations as Funqy functions, for event-driven callers (the same services as the HTTP API; one
 * binding per build: HTTP by default, Knative or Lambda by Maven profile). With Funqy HTTP each function is
 * served at {@code POST /{name}}.
 */
public class RoundFunctions {

    /** Inputs: the round to act on and the HTTP API's request body. */
    public record UpdateInput(Long roundId, UpdateRegistration update) {
    }

    public record CloseInput(Long roundId, Long leaseSeconds) {
    }

    public record CompleteInput(Long roundId, Completion completion) {
    }

    public record FailInput(Long roundId, String reason) {
    }

    public record CurrentInput(String model) {
    }

    private final RoundService rounds;
    private final UpdateRegistrar updates;
    private final CloseArbiter closer;
    private final RoundFinisher finisher;
    private final CurrentCaller caller;

    public RoundFunctions(RoundService rounds, UpdateRegistrar updates, CloseArbiter closer, RoundFinisher finisher,
                          CurrentCaller caller) {
        this.rounds = rounds;
        this.updates = updates;
        this.closer = closer;
        this.finisher = finisher;
        this.caller = caller;
    }

    @Funq
    public FunctionReply<UpdateView> registerUpdate(UpdateInput input) {
        return reply(input,
                in -> updates.register(in.roundId(), in.update()).map(UpdateRegistrar.Result::update), Roles.FUNCTION);
    }

    @Funq
    public FunctionReply<CloseResult> closeRound(CloseInput input) {
        return reply(input, in -> closer.close(in.roundId(), new CloseRequest(in.leaseSeconds())), Roles.FUNCTION);
    }

    @Funq
    public FunctionReply<CompletionResult> completeRound(CompleteInput input) {
        return reply(input, in -> finisher.complete(in.roundId(), in.completion()), Roles.FUNCTION);
    }

    @Funq
    public FunctionReply<RoundView> failRound(FailInput input) {
        return reply(input, in -> finisher.fail(in.roundId(), new FailureRequest(in.reason())), Roles.FUNCTION);
    }

    @Funq
    public FunctionReply<CurrentRoundView> currentRound(CurrentInput input) {
        return reply(input, in -> rounds.current(caller.get(), ResourceIds.require("model", in.model())),
                Roles.GOVERNANCE, Roles.FUNCTION, Roles.DOMAIN);
    }

    /**
     * Checks the caller's role here: Funqy would turn a security exception into a bare 500. Reading the caller may
     * itself refuse the token (a malformed domain claim), which is a reply like any other refusal.
     */
    private <I, T> FunctionReply<T> reply(I input, Function<I, Uni<T>> call, String... roles) {
        Caller who;
        try {
            who = caller.get();
        } catch (Problem refused) {
            return FunctionReply.failed(refused);
        }
        if (Arrays.stream(roles).noneMatch(who.roles()::contains)) {
            return FunctionReply.failed(Problem.forbidden("This function needs one of the roles " + Arrays.toString(roles)));
        }
        return FunctionReply.await(input, call);
    }
}
