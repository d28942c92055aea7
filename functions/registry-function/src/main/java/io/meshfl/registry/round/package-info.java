/**
 * Rounds: open, close, complete, fail, expire.
 *
 * <p><b>Rounds that always end.</b> When a round is due is decided in one place, {@link
 * io.meshfl.registry.round.RoundProgress}, on one clock, the database's ({@link io.meshfl.registry.round.DatabaseClock}):
 * OPEN with its quorum and every expected domain judged (or {@code maxDomains} in, or the deadline passed) → close it;
 * OPEN past the deadline below the quorum → expire it; AGGREGATING past its lease → take it over. The close, the
 * expiry and the sweeper's listing ({@code GET /rounds/due}) all ask it; the expected domains are fixed when the round
 * opens ({@link io.meshfl.registry.round.RoundOpener}, {@link io.meshfl.registry.round.ParticipantSample}).
 *
 * <p><b>Exactly one global model per round</b>, whatever the number of concurrent or repeated object events and
 * sweeps, is a guarantee these mechanisms share; each lives in one place:
 * <ol>
 *   <li><b>Idempotent registration</b> ({@link io.meshfl.registry.update.UpdateRegistrar}): the first verdict per
 *       (round, domain) stands, later ones (the same event again, another file) are answered as duplicates. The
 *       round row is locked (FOR UPDATE for a registration that may be accepted, so that the {@code maxDomains}
 *       count is a compare-and-set; FOR SHARE for a rejection), so a registration and a close serialise: an update is
 *       either in the close's list or registered as late.</li>
 *   <li><b>Compare-and-set close</b> ({@link io.meshfl.registry.round.CloseArbiter}): under the round row's FOR UPDATE
 *       lock the round moves OPEN → AGGREGATING only if it is due (or takes over an expired lease); one caller wins
 *       and gets the accepted list, every other caller gets 409 saying why.</li>
 *   <li><b>Conditional publication</b> (aggregation function, {@code io.meshfl.aggregation.round.RoundAggregation}):
 *       the winner writes under {@code models/{m}/tmp/} and publishes the global model only if none aggregated from
 *       the same updates is already in place, so a taken-over round is never published twice with other bytes.</li>
 *   <li><b>Idempotent completion</b> ({@link io.meshfl.registry.round.RoundFinisher}): recording the global model
 *       and opening round r+1 happen in one transaction; repeating the same completion answers as the first did.</li>
 *   <li><b>Idempotent expiry</b> ({@link io.meshfl.registry.round.RoundExpirer}): failing a round below its quorum and
 *       opening the retry happen in one transaction under the round's FOR UPDATE lock; a repeat answers as the first
 *       did and publishes nothing.</li>
 * </ol>
 */
package io.meshfl.registry.round;
