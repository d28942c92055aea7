/**
 * Closing a due round and aggregating it. This package holds the third of the four mechanisms behind "exactly one
 * global model per round" (conditional publication in {@link io.meshfl.aggregation.round.RoundAggregation}); the
 * registry holds the other three (idempotent registration, compare-and-set close, idempotent completion): see the
 * registry function's {@code io.meshfl.registry.round} package documentation.
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
