/**
 * Rounds: open, close, complete, fail.
 *
 * <p><b>Exactly one global model per round</b>, whatever the number of concurrent or repeated object events, is a
 * guarantee four mechanisms share; each lives in one place:
 * <ol>
 *   <li><b>Idempotent registration</b> ({@link io.meshfl.registry.update.UpdateRegistrar}): the first verdict per
 *       (round, domain) stands, later ones (the same event again, another file) are answered as duplicates. The
 *       round row is read {@code FOR SHARE}, so a registration and a close serialise: an update is either in the
 *       close's list or registered as late.</li>
 *   <li><b>Compare-and-set close</b> ({@link io.meshfl.registry.round.RoundCloser}): one conditional UPDATE moves
 *       the round OPEN → AGGREGATING (or takes over an expired lease); one caller wins and gets the accepted list,
 *       every other caller gets 409.</li>
 *   <li><b>Conditional publication</b> (aggregation function, {@code io.meshfl.aggregation.round.RoundAggregation}):
 *       the winner writes under {@code models/{m}/tmp/} and publishes the global model only if none aggregated from
 *       the same updates is already in place, so a taken-over round is never published twice with other bytes.</li>
 *   <li><b>Idempotent completion</b> ({@link io.meshfl.registry.round.RoundFinisher}): recording the global model
 *       and opening round r+1 happen in one transaction; repeating the same completion answers as the first did.</li>
 * </ol>
 */
package io.meshfl.registry.round;
