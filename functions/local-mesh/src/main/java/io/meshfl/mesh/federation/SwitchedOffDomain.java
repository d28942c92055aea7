package io.meshfl.mesh.federation;

/**
 * {@code --fail DOMAIN:ROUND}: a domain that stops answering from a round on, as a crashed or decommissioned
 * domain does. Its scheduler no longer triggers its training, so it uploads nothing; the rounds go on without it.
 */
public final class SwitchedOffDomain implements Participant {

    private final Participant domain;
    private final int fromRound;

    public SwitchedOffDomain(Participant domain, int fromRound) {
        this.domain = domain;
        this.fromRound = fromRound;
    }

    @Override
    public String domain() {
        return domain.domain();
    }

    @Override
    public Outcome takePart(String model, int round) {
        if (round >= fromRound) {
            return Outcome.absent(domain(), "switched off from round " + fromRound + " on (--fail)");
        }
        return domain.takePart(model, round);
    }
}
