/**
 * Closing a due round and aggregating it, for an object event or for the scheduled sweeper
 * ({@code io.meshfl.aggregation.sweep.RoundSweeper}); whether a round is due is the registry's decision, made on its
 * database's clock when it grants (or refuses) the close. This package holds one of the mechanisms behind "exactly
 * one global model per round" (conditional publication in {@link io.meshfl.aggregation.round.RoundAggregation}); the
 * registry holds the others (idempotent registration, compare-and-set close, idempotent completion and expiry): see
 * the registry function's {@code io.meshfl.registry.round} package documentation.
 *
 * <p>Every update an aggregation reads must be the one the registry accepted (its data SHA-256): downloaded updates
 * are hashed before the strategy reads them ({@link io.meshfl.aggregation.round.DownloadedInputs}), streamed ones
 * while it reads them, and compared before anything is published ({@link io.meshfl.aggregation.round.StreamedInputs});
 * a mismatch fails the round with nothing written, as it did when every update was downloaded first.
 *
 * <p>Only {@link io.meshfl.core.strategy.CannotAggregate} (and the checks here that no retry can change) fail a
 * round for good; any other exception leaves the round AGGREGATING for a retry or a takeover after the lease.
 */
package io.meshfl.aggregation.round;
