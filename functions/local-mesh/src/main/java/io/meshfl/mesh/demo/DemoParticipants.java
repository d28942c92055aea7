package io.meshfl.mesh.demo;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.mesh.dataset.FederatedSplit;
import io.meshfl.mesh.evaluation.GlobalModels;
import io.meshfl.mesh.evaluation.ModelInputs;
import io.meshfl.mesh.evaluation.RoundTrainer;
import io.meshfl.mesh.federation.DomainScheduler;
import io.meshfl.mesh.federation.DomainSigningKey;
import io.meshfl.mesh.federation.ExternalDomain;
import io.meshfl.mesh.federation.Participant;
import io.meshfl.mesh.federation.PoisonedDomain;
import io.meshfl.mesh.federation.StragglingDomain;
import io.meshfl.mesh.federation.SwitchedOffDomain;
import io.meshfl.registry.api.RegistryClient;
import io.meshfl.registry.api.RegistryConnection;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The demo's domains as round participants: each domain's scheduler (or, with {@code --poison}, the attacker),
 * slowed down by {@code --straggler} and switched off by {@code --fail} where the options say so; a domain played
 * from outside ({@code --external}) is triggered by nobody.
 */
final class DemoParticipants {

    private final DemoOptions options;
    private final PrintWriter out;

    DemoParticipants(DemoOptions options, PrintWriter out) {
        this.options = options;
        this.out = out;
    }

    /**
     * @param store the governance's view of the bucket (the attacker writes through its own domain's view)
     * @param domainStores each domain's own view of the bucket
     */
    List<Participant> build(LocalMesh mesh, RegistryConnection registry, Function<String, String> domainToken,
                            RegistryClient governance, ObjectStore store, Function<String, ObjectStore> domainStores,
                            MeshLayout layout, FederatedSplit split, RoundTrainer trainer,
                            Map<String, DomainSigningKey> keys, boolean async) {
        List<Participant> participants = new ArrayList<>();
        for (String domain : options.domainNames()) {
            Participant participant;
            if (options.externalDomains().contains(domain)) {
                participants.add(new ExternalDomain(domain));
                continue;
            }
            if (options.poison().filter(domain::equals).isPresent()) {
                participant = new PoisonedDomain(domain, () -> registry.as(domainToken.apply(domain)),
                        domainStores.apply(domain), new GlobalModels(store, layout.work(domain)), trainer,
                        ModelInputs.rows(split.shares().stream().filter(s -> s.domain().equals(domain))
                                .findFirst().orElseThrow().published()),
                        keys.get(domain).privateKeyBase64(), layout.work(domain));
                out.println("  " + domain + " is poisoned: it sends its updates sign-flipped and scaled by "
                        + PoisonedDomain.SCALE);
            } else {
                participant = new DomainScheduler(domain, mesh.training(domain), () -> domainToken.apply(domain));
            }
            participants.add(slowedAndSwitchedOff(participant, governance, async));
        }
        return participants;
    }

    /** {@code async}: the participants take part in an asynchronous model's buffers, not in rounds. */
    private Participant slowedAndSwitchedOff(Participant participant, RegistryClient governance, boolean async) {
        String domain = participant.domain();
        Participant result = participant;
        for (Straggler straggler : options.stragglers()) {
            if (straggler.domain().equals(domain)) {
                // Asynchronously a late domain trains from whatever version is current then: it misses nothing.
                StragglingDomain.OpenRound open = async ? (model, round) -> true
                        : StragglingDomain.OpenRound.of(governance);
                result = new StragglingDomain(result, straggler.factor(), open);
                out.println("  " + domain + " straggles: its training takes " + straggler.factor() + " × as long (from"
                        + " its second round: the first measures it)");
            }
        }
        for (DomainFailure failure : options.failures()) {
            if (failure.domain().equals(domain)) {
                result = new SwitchedOffDomain(result, failure.fromRound());
                out.println("  " + domain + " stops answering from round " + failure.fromRound());
            }
        }
        return result;
    }
}
