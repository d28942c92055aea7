package io.meshfl.registry.model;

import io.meshfl.registry.problem.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One id space for horizontal and vertical models: both own {@code models/{id}/} in the object store, so an id taken by
 * either kind is taken for both. The two kinds live in two tables; registration of either takes a transaction-scoped
 * advisory lock on the id first, so two concurrent registrations of one id (of either kind) cannot both pass the check.
 */
@ApplicationScoped
public class ModelIds {

    /** Inside the caller's transaction: locks {@code id} until commit, then refuses it (409) if either kind has it. */
    public Uni<Void> claim(String id) {
        return Panache.getSession().chain(session -> session
                        .createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('meshfl-model:' || :id))")
                        .setParameter("id", id)
                        .getSingleResult())
                .chain(locked -> Panache.getSession().chain(session -> session
                        .createNativeQuery("SELECT (SELECT count(*) FROM model WHERE id = :id)"
                                + " + (SELECT count(*) FROM vertical_model WHERE id = :id)", Long.class)
                        .setParameter("id", id)
                        .getSingleResult()))
                .map(taken -> {
                    if (taken > 0) {
                        throw Problem.conflict("Model '" + id + "' already exists");
                    }
                    return null;
                });
    }
}
