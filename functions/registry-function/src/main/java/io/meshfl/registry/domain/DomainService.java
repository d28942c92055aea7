package io.meshfl.registry.domain;

import io.meshfl.registry.api.DomainRegistration;
import io.meshfl.registry.input.ResourceIds;
import io.meshfl.registry.problem.FieldErrors;
import io.meshfl.registry.problem.Problem;
import io.meshfl.registry.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/** Enrolment and lookup of the mesh's domains. */
@ApplicationScoped
public class DomainService {

    public Uni<DomainView> enrol(Caller caller, DomainRegistration registration) {
        FieldErrors errors = new FieldErrors();
        if (registration == null) {
            throw Problem.invalid("body", "is required");
        }
        String id = errors.require("id", registration.id());
        ResourceIds.check("id", id, errors);
        errors.require("name", registration.name());
        errors.require("owner", registration.owner());
        if (registration.publicKey() != null && !isEd25519PublicKey(registration.publicKey())) {
            errors.add("publicKey", "must be an Ed25519 public key, X.509 SubjectPublicKeyInfo, Base64");
        }
        errors.throwIfAny();
        return Panache.withTransaction(() -> Domain.<Domain>findById(id).chain(existing -> {
            if (existing != null) {
                throw Problem.conflict("Domain '" + id + "' is already enrolled");
            }
            Domain domain = new Domain();
            domain.id = id;
            domain.name = registration.name();
            domain.owner = registration.owner();
            domain.publicKey = registration.publicKey();
            return domain.<Domain>persist();
        })).map(DomainView::of);
    }

    /** Renames, rotates the update-signing key, or suspends (a suspended domain's updates are rejected). */
    public Uni<DomainView> change(String id, DomainChange change) {
        if (change == null) {
            throw Problem.invalid("body", "is required");
        }
        FieldErrors errors = new FieldErrors();
        if (change.name() != null && change.name().isBlank()) {
            errors.add("name", "must not be blank");
        }
        if (change.owner() != null && change.owner().isBlank()) {
            errors.add("owner", "must not be blank");
        }
        if (change.publicKey() != null && !isEd25519PublicKey(change.publicKey())) {
            errors.add("publicKey", "must be an Ed25519 public key, X.509 SubjectPublicKeyInfo, Base64");
        }
        errors.throwIfAny();
        return Panache.withTransaction(() -> Domain.<Domain>findById(id)
                .onItem().ifNull().failWith(() -> Problem.notFound("No domain '" + id + "'"))
                .invoke(domain -> {
                    if (change.name() != null) {
                        domain.name = change.name();
                    }
                    if (change.owner() != null) {
                        domain.owner = change.owner();
                    }
                    if (change.publicKey() != null) {
                        domain.publicKey = change.publicKey();
                    }
                    if (change.status() != null) {
                        domain.status = change.status();
                    }
                })).map(DomainView::of);
    }

    public Uni<List<DomainView>> list(Caller caller) {
        return Panache.withSession(() -> Domain.<Domain>list("order by id"))
                .map(domains -> domains.stream().filter(d -> caller.maySee(d.id)).map(DomainView::of).toList());
    }

    public Uni<DomainView> get(Caller caller, String id) {
        caller.requireActingFor(id);
        return Panache.withSession(() -> Domain.<Domain>findById(id))
                .onItem().ifNull().failWith(() -> Problem.notFound("No domain '" + id + "'"))
                .map(DomainView::of);
    }

    /** Whether {@code base64} is an Ed25519 public key (X.509 SubjectPublicKeyInfo, Base64): domains' and heads' keys. */
    public static boolean isEd25519PublicKey(String base64) {
        try {
            KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
            return true;
        } catch (Exception notAKey) {
            return false;
        }
    }
}
