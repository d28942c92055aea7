package io.meshfl.registry.round;

import io.meshfl.registry.model.ModelDefinition;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where a round stands at one instant of the database's clock, and what is due for it: the one place that decides
 * when a round closes, fails or may be taken over (the close, the expiry and the sweeper's listing all ask here).
 *
 * <p>An OPEN round is due to be aggregated once it has its quorum ({@code minDomains} accepted updates) and either
 * every expected domain has had its update judged (the first verdict per domain stands, so nothing more can come),
 * the policy's {@code maxDomains} are in, or the deadline has passed. Past the deadline below the quorum it is due
 * to expire. An AGGREGATING round whose holder's lease ran out may be taken over. An asynchronous model's round is
 * a buffer: due once {@code bufferSize} updates are accepted, whenever that is, and never expired.
 *
 * @param accepted the domains with an ACCEPTED update
 * @param judged   the domains with any registered update (ACCEPTED or REJECTED)
 */
public record RoundProgress(Round round, ModelDefinition.Policy policy, Set<String> accepted, Set<String> judged,
                            OffsetDateTime now) {

    /** How the failure reason of a round that expired below its quorum starts. */
    public static final String QUORUM_MISSED = "quorum missed: ";

    /** What a round needs now. */
    public enum Action { AGGREGATE, TAKE_OVER, EXPIRE }

    public Optional<Action> due() {
        return switch (round.state) {
            case AGGREGATING -> round.leaseUntil != null && round.leaseUntil.isBefore(now)
                    ? Optional.of(Action.TAKE_OVER) : Optional.empty();
            case OPEN -> {
                if (policy.isAsync()) {
                    // A buffer closes at bufferSize accepted updates, whenever that is; it never expires.
                    yield accepted.size() >= quorum() ? Optional.of(Action.AGGREGATE) : Optional.empty();
                }
                if (accepted.size() >= quorum() && (allJudged() || atMaximum() || pastDeadline())) {
                    yield Optional.of(Action.AGGREGATE);
                }
                yield pastDeadline() && accepted.size() < quorum() ? Optional.of(Action.EXPIRE) : Optional.empty();
            }
            case CLOSED, FAILED -> Optional.empty();
        };
    }

    /** The accepted updates a round needs: {@code minDomains}, or an async model's {@code bufferSize}. */
    public int quorum() {
        if (policy.isAsync()) {
            return Math.max(1, policy.bufferSize());
        }
        return policy.minDomains() == null ? 1 : Math.max(1, policy.minDomains());
    }

    public boolean pastDeadline() {
        return !now.isBefore(round.deadline);
    }

    /** The expected domains without an accepted update, in order. */
    public List<String> missing() {
        return round.expectedDomains.stream().filter(domain -> !accepted.contains(domain)).sorted().toList();
    }

    /** Why nothing is due, for the 409 that refuses a close or an expiry; names the numbers a caller can check. */
    public String waiting() {
        return switch (round.state) {
            case AGGREGATING -> "another caller holds round " + round.number + " until " + round.leaseUntil;
            case CLOSED, FAILED -> "round " + round.number + " is " + round.state;
            case OPEN -> policy.isAsync() ? "buffer " + round.number + " is not due: " + accepted.size() + " of "
                    + quorum() + " updates (bufferSize) are in"
                    : "round " + round.number + " is not due: " + accepted.size() + " of "
                    + round.expectedDomains.size() + " expected domains have an accepted update (quorum "
                    + quorum() + "), " + (pastDeadline() ? "the deadline " + round.deadline + " has passed"
                    : "the deadline is " + round.deadline + " (now " + now + ")");
        };
    }

    /** The failure reason of a round that expired below its quorum. */
    public String quorumMissed() {
        return QUORUM_MISSED + accepted.size() + " of " + quorum() + " required updates by the deadline "
                + round.deadline + " (accepted: " + listed(accepted.stream().sorted().toList()) + "; missing: "
                + listed(missing()) + ")";
    }

    private boolean allJudged() {
        return judged.containsAll(round.expectedDomains);
    }

    private boolean atMaximum() {
        return policy.maxDomains() != null && accepted.size() >= policy.maxDomains();
    }

    private static String listed(List<String> domains) {
        return domains.isEmpty() ? "none" : String.join(", ", domains);
    }
}
