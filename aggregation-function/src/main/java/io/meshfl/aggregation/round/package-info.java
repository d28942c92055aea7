/**
 * Closing a due round and aggregating it. This package holds the third of the four mechanisms behind "exactly one
 * global model per round" (conditional publication in {@link io.meshfl.aggregation.round.RoundAggregation}); the
 * registry holds the other three (idempotent registration, compare-and-set close, idempotent completion): see the
 * registry function's {@code io.meshfl.registry.round} package documentation.
 *
 * <p>Only {@link io.meshfl.core.strategy.CannotAggregate} (and the checks here that no retry can change) fail a
 * round for good; any other exception leaves the round AGGREGATING for a retry or a takeover after the lease.
 */
package io.meshfl.aggregation.round;
