package io.meshfl.aggregation.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.aggregation.ObjectReport;
import io.meshfl.aggregation.ObjectReport.Outcome;
import io.meshfl.aggregation.PhaseTimes;
import io.meshfl.aggregation.PhaseTimes.Phase;
import io.meshfl.aggregation.work.LocalCopies;
import io.meshfl.core.event.ObjectCreated;
import io.meshfl.core.event.UpdateKey;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.update.SignatureVerifier;
import io.meshfl.core.update.UpdateExpectation;
import io.meshfl.core.update.UpdateMetadata;
import io.meshfl.core.update.UpdatePolicy;
import io.meshfl.core.update.UpdateValidator;
import io.meshfl.core.update.ValidationResult;
import io.meshfl.registry.api.DomainView;
import io.meshfl.registry.api.RegistryClient;
import io.meshfl.registry.api.RegistryException;
import io.meshfl.registry.api.RoundState;
import io.meshfl.registry.api.RoundView;
import io.meshfl.registry.api.UpdateRegistration.UpdateStatus;
import io.meshfl.registry.api.UpdateRegistration;
import io.meshfl.registry.api.UpdateView;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * Decides about one domain's update of the current round and registers the decision: the update file is checked
 * against the round's global model by core's {@link UpdateValidator} (format, metadata, model, domain and base
 * round, tensors and shapes, data hash, Ed25519 signature with the domain's key from the registry, finite values,
 * norm bound) and registered ACCEPTED or REJECTED with the reason.
 *
 * <p>Object stores deliver events at least once. An update the registry already has for this round is not read
 * again (unless the policy allows resubmitting and a new file replaced a rejected one); the registry itself keeps the first registration per (round, domain), so two invocations racing on the
 * same update both end with the same stored verdict.
 */
@ApplicationScoped
public class UpdateIntake {

    private static final Logger LOG = Logger.getLogger(UpdateIntake.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryClient registry;
    private final ObjectStore store;

    UpdateIntake(RegistryClient registry, ObjectStore store) {
        this.registry = registry;
        this.store = store;
    }

    /** {@code round} is the model's current round, numbered as {@code key} says. */
    public ObjectReport receive(ObjectCreated object, UpdateKey key, RoundView round, LocalCopies copies,
            PhaseTimes times) {
        return receive(object, key, round, round, copies, times);
    }

    /**
     * {@code round} is the model's current round; {@code base} the round whose global model the update trained from
     * (the same round, except for an asynchronous model's buffer, which takes updates from earlier rounds). What the
     * buffer cannot take now (it is aggregating or full, or the domain already has an update in it) is thrown back as
     * {@link DeliverAgain}: the event is redelivered and the update lands in a later buffer.
     */
    public ObjectReport receive(ObjectCreated object, UpdateKey key, RoundView round, RoundView base,
            LocalCopies copies, PhaseTimes times) {
        boolean buffered = round.policy() != null && round.policy().isAsync();
        Optional<UpdateView> registered = times.time(Phase.REGISTRY, () -> registry.updates(round.roundId())).stream()
                .filter(u -> u.domain().equals(key.domain()))
                .findFirst();
        if (registered.isPresent() && !replacesRejected(registered.get(), object, round)) {
            UpdateView stored = registered.get();
            boolean same = stored.objectKey().equals(object.key()) && stored.etag().equals(object.etag());
            if (buffered && !same) {
                throw new DeliverAgain("domain '" + key.domain() + "' already has an update in buffer "
                        + round.number() + "; '" + object.key() + "' belongs in a later one");
            }
            String what = same
                    ? "already registered " + stored.status()
                    : "domain '" + key.domain() + "' already has a " + stored.status() + " update (ETag "
                            + stored.etag() + ") in round " + round.number() + "; a later file replaces nothing";
            return report(object, Outcome.DUPLICATE, what);
        }
        if (buffered && round.state() != RoundState.OPEN) {
            throw new DeliverAgain("buffer " + round.number() + " is " + round.state() + "; '" + object.key()
                    + "' belongs in the next one");
        }
        if (round.state() != RoundState.OPEN) {
            // The registry would store an ACCEPTED registration as late anyway; no need to read the file.
            String reason = "late: round " + round.number() + " is " + round.state();
            return register(object, key, round, rejected(object, round, reason), times);
        }
        Optional<StoredObject> current = times.time(Phase.READ, () -> store.head(object.key()));
        if (current.isEmpty()) {
            return report(object, Outcome.SUPERSEDED, "the object no longer exists");
        }
        if (object.etag() != null && !object.etag().equals(current.get().etag())) {
            return report(object, Outcome.SUPERSEDED, "the object now has ETag " + current.get().etag()
                    + "; the event for that version decides");
        }
        return register(object, key, round, validate(object, key, base, copies, times), times);
    }

    /**
     * Policy {@code resubmit}: a new file (another ETag) in the slot of a REJECTED update is judged like a first one;
     * the registry replaces the rejected record only while the round is open and before its deadline.
     */
    private static boolean replacesRejected(UpdateView stored, ObjectCreated object, RoundView round) {
        return round.policy() != null && round.policy().allowsResubmit()
                && stored.status() == UpdateStatus.REJECTED
                && object.etag() != null && !object.etag().equals(stored.etag());
    }

    /** Checks the update against the global model of {@code round}, the one it trained from. */
    private UpdateRegistration validate(ObjectCreated object, UpdateKey key, RoundView round, LocalCopies copies,
            PhaseTimes times) {
        Optional<DomainView> domain = times.time(Phase.REGISTRY, () -> registry.domain(key.domain()));
        if (domain.isEmpty()) {
            return rejected(object, round, "domain '" + key.domain() + "' is not registered");
        }
        if (domain.get().publicKey() == null || domain.get().publicKey().isBlank()) {
            return rejected(object, round, "domain '" + key.domain() + "' has no public key to verify with");
        }
        SignatureVerifier verifier;
        try {
            verifier = SignatureVerifier.fromX509Base64(domain.get().publicKey());
        } catch (IllegalArgumentException e) {
            return rejected(object, round, "domain '" + key.domain() + "' public key: " + e.getMessage());
        }
        List<Path> files = times.time(Phase.READ, () -> copies.fetchAll(List.of(object.key(), round.globalModelKey())));
        Path update = files.get(0);
        try (SafetensorsReader globalReader = SafetensorsReader.open(files.get(1))) {
            UpdateValidator validator = new UpdateValidator(globalReader, policy(round));
            UpdateExpectation identity = new UpdateExpectation(key.model(), key.domain(), (long) round.number(),
                    verifier);
            // The registry's bound on this domain's example count (declared records, policy cap): an update
            // claiming more would outweigh every other domain in FedAvg. The registry refuses it too.
            OptionalLong bound = round.maxExamples(key.domain());
            UpdateExpectation bounded = bound.isPresent() ? identity.withMaxExamples(bound.getAsLong()) : identity;
            // The registry's record of the global model is what the domain checked before training from it (and
            // spares hashing the whole global model again for every update); without one, the file's own hash.
            UpdateExpectation expected = round.globalModelChecksum() == null ? bounded
                    : bounded.withBaseModelSha256(round.globalModelChecksum());
            ValidationResult result = times.time(Phase.VALIDATE, () -> validator.validate(update, expected));
            if (result instanceof ValidationResult.Accepted accepted) {
                return accepted(object, round, accepted.metadata());
            }
            // The validator names the file it read; the registry and the domain know the object key.
            String reason = ((ValidationResult.Rejected) result).reason().replace(update.toString(), object.key());
            return rejected(object, round, reason);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read update '" + object.key() + "' or global model '"
                    + round.globalModelKey() + "'", e);
        }
    }

    private static UpdatePolicy policy(RoundView round) {
        Double bound = round.policy() == null ? null : round.policy().maxUpdateNorm();
        return bound == null ? UpdatePolicy.unbounded() : UpdatePolicy.withMaxNorm(bound);
    }

    private static UpdateRegistration accepted(ObjectCreated object, RoundView round, UpdateMetadata metadata) {
        return new UpdateRegistration(metadata.domain(), object.key(), object.etag(), metadata.sha256(),
                metadata.numExamples(), round.number(), metrics(metadata), UpdateStatus.ACCEPTED, null);
    }

    private static UpdateRegistration rejected(ObjectCreated object, RoundView round, String reason) {
        String domain = UpdateKey.parse(object.key()).map(UpdateKey::domain).orElseThrow();
        return new UpdateRegistration(domain, object.key(), object.etag(), null, 0, round.number(), null,
                UpdateStatus.REJECTED, reason);
    }

    private static JsonNode metrics(UpdateMetadata metadata) {
        try {
            return JSON.readTree(metadata.metrics());
        } catch (IOException e) {
            // The validator accepted it as a JSON object; failing here would be a bug, not bad input.
            throw new IllegalStateException("metrics of an accepted update are not JSON", e);
        }
    }

    private ObjectReport register(ObjectCreated object, UpdateKey key, RoundView round, UpdateRegistration update,
            PhaseTimes times) {
        UpdateView stored;
        try {
            stored = times.time(Phase.REGISTRY, () -> registry.registerUpdate(round.roundId(), update));
        } catch (RegistryException e) {
            if (e.status() == 409 && round.policy() != null && round.policy().isAsync()) {
                // The buffer closed, filled or took this domain's update meanwhile: nothing was stored.
                throw new DeliverAgain(e.getMessage());
            }
            throw e;
        }
        if (stored.duplicate()) {
            return report(object, Outcome.DUPLICATE, "registered meanwhile as " + stored.status());
        }
        LOG.infof("Update %s (ETag %s) of round %d: %s%s", object.key(), object.etag(), round.number(),
                stored.status(), stored.reason() == null ? "" : " (" + stored.reason() + ")");
        return stored.status() == UpdateStatus.ACCEPTED
                ? report(object, Outcome.ACCEPTED, "from domain '" + key.domain() + "', "
                        + stored.numExamples() + " examples")
                : report(object, Outcome.REJECTED, stored.reason());
    }

    private static ObjectReport report(ObjectCreated object, Outcome outcome, String detail) {
        return new ObjectReport(object.key(), object.etag(), outcome, detail);
    }
}
