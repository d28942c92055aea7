package io.meshfl.training.vertical;

import io.meshfl.core.keys.ResourceId;
import io.meshfl.core.update.SignatureVerifier;
import io.meshfl.registry.api.VerticalRoundView;
import io.meshfl.vertical.step.Optimiser;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One vertical round as the registry opened it ({@code GET /vertical-models/{m}/rounds/{n}}): the PSI session whose
 * alignment it trains on, the deadline, the optimiser, the batch plan (batch size and seed: every party derives the
 * same windows), the networks' widths, and the Ed25519 public keys (X.509, Base64) of every party and of the head owner
 * as they were when the round opened, which verify its embeddings, gradients and outcome. Nothing of it comes from an
 * object anyone could write: the registry is the one source of a round's settings.
 */
public record RoundSettings(String model, int round, String session, Instant deadline, OptimiserSettings optimiser,
                            int batchSize, long seed, List<Integer> bottomLayers, List<Integer> headLayers,
                            Map<String, String> publicKeys) {

    /** The optimiser every party applies to its own parameters (and the head to its own). */
    public record OptimiserSettings(Optimiser optimiser) {
    }

    public RoundSettings {
        String where = "vertical round " + round + " of model '" + model + "' in the registry";
        ResourceId.require(model, "model");
        if (session == null) {
            throw new VerticalRefusal(where + " names no PSI session (register the model with psiSession, or PATCH"
                    + " /vertical-models/" + model + " before the round opens)");
        }
        ResourceId.require(session, "PSI session");
        if (deadline == null || optimiser == null || optimiser.optimiser() == null || batchSize < 1) {
            throw new VerticalRefusal(where + " needs a deadline, an optimiser this function knows ('sgd' or"
                    + " 'adam') and a batch size of at least 1");
        }
        if (bottomLayers == null || bottomLayers.isEmpty() || headLayers == null || headLayers.isEmpty()
                || headLayers.get(headLayers.size() - 1) != 1
                || bottomLayers.stream().anyMatch(w -> w == null || w < 1)
                || headLayers.stream().anyMatch(w -> w == null || w < 1)) {
            throw new VerticalRefusal(where + ": the bottom and head widths must be positive, the head's last 1 (one"
                    + " logit)");
        }
        bottomLayers = List.copyOf(bottomLayers);
        headLayers = List.copyOf(headLayers);
        publicKeys = new TreeMap<>(publicKeys == null ? Map.of() : publicKeys);
        publicKeys.forEach((owner, key) -> {
            try {
                SignatureVerifier.fromX509Base64(key);
            } catch (IllegalArgumentException e) {
                throw new VerticalRefusal(where + ": publicKeys." + owner + " is " + e.getMessage(), e);
            }
        });
    }

    /** The registry's round with its settings (a view with {@code training} and {@code architecture}). */
    static RoundSettings of(VerticalRoundView view) {
        VerticalRoundView.Training training = view.training();
        VerticalRoundView.Architecture architecture = view.architecture();
        if (training == null || architecture == null) {
            throw new VerticalRefusal("Vertical round " + view.number() + " of model '" + view.model() + "': the"
                    + " registry's answer carries no training settings or architecture");
        }
        return new RoundSettings(view.model(), view.number(), view.psiSession(), view.deadline(),
                new OptimiserSettings(RegistryRoundCheck.optimiser(training)),
                training.batchSize() == null ? 0 : training.batchSize(),
                training.seed() == null ? 0 : training.seed(), architecture.bottom(), architecture.head(),
                view.publicKeys());
    }

    public Instant deadlineInstant() {
        return deadline;
    }

    /** The verifier of {@code owner}'s signatures (a party, or the head owner) in this round. */
    public SignatureVerifier verifier(String owner) {
        String key = publicKeys.get(owner);
        if (key == null) {
            throw new VerticalRefusal("Vertical round " + round + " of model '" + model + "' was opened with no public"
                    + " key of '" + owner + "' in the registry: its signatures cannot be verified");
        }
        return SignatureVerifier.fromX509Base64(key);
    }
}
