/**
 * The scoring call of a vertical model through the object store: score entities (by PSI pseudonym) with the version a
 * COMPLETED round produced, no party seeing another's features. For scoring s of model m:
 *
 * <ol>
 *   <li>the governance side writes {@code models/m/scorings/s/request.json} once
 *       ({@link io.meshfl.vertical.scoring.ScoringRequest}, the registry answers its content); its event reaches every
 *       party;</li>
 *   <li>each party ({@link io.meshfl.vertical.scoring.PartyScoring}) writes its signed embeddings of the requested
 *       entities at the version, or a {@link io.meshfl.vertical.scoring.ScoringRefusal}; their events reach the
 *       head;</li>
 *   <li>the head ({@link io.meshfl.vertical.scoring.HeadScoring}) checks every answer and writes the signed scores and
 *       the {@link io.meshfl.vertical.scoring.ScoringOutcome}.</li>
 * </ol>
 *
 * <p>Where one answer per scoring lives: every object is written with {@code If-None-Match: *}; embeddings and scores
 * are functions of stored inputs (the request, the version's states, the party's rows), so duplicated or concurrent
 * invocations compute the same bytes and one stores them; the outcome's first write wins, and the scores are written
 * before a DONE outcome, never after a FAILED one is decided from the same inputs.
 */
package io.meshfl.vertical.scoring;
