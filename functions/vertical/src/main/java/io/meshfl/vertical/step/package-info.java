/**
 * The event-driven step protocol of split learning through the object store. For batch window w of vertical round r
 * of model m:
 *
 * <ol>
 *   <li>each party ({@link io.meshfl.vertical.step.BottomStep}) writes its signed embeddings of the window's entities
 *       to {@code models/m/vrounds/r/steps/w/embeddings/{party}.safetensors};</li>
 *   <li>each embedding's object-created event triggers the head owner ({@link io.meshfl.vertical.step.HeadStep}); once
 *       all parties' embeddings are there it runs forward and backward, writes its next state and one signed gradient
 *       per party, {@code .../steps/w/gradients/{party}.safetensors};</li>
 *   <li>each gradient's event triggers its party, which back-propagates into its bottom model, writes its next state
 *       and its embeddings of window w+1.</li>
 * </ol>
 *
 * <p>Where exactly-once lives:
 * <ul>
 *   <li><b>State versions</b> ({@link io.meshfl.vertical.step.ParameterState}): each side's state is stored per window
 *       (head: {@code models/m/vrounds/r/head/w} or the label-owning domain's prefix; bottoms: the domain's prefix) and
 *       written with {@code If-None-Match: *} ({@link io.meshfl.vertical.step.WriteOnce}). A step reads the state
 *       before its window and writes the one after it; only the invocation whose conditional put succeeds has applied
 *       the step, so a duplicate or concurrent event can never apply a window twice or build on a state twice.</li>
 *   <li><b>Write-once messages</b>: embeddings and gradients are conditional puts too; recomputation from the same
 *       stored state gives the same values, so a retry only fills in what a crashed invocation did not write.</li>
 *   <li><b>Round outcome</b> ({@link io.meshfl.vertical.step.RoundOutcome}): written once, by the head after the last
 *       window or by the {@link io.meshfl.vertical.step.DeadlineSweep} past the deadline (naming the first open window
 *       and the parties missing from it); the first writer wins. It is signed with the head owner's key, as its
 *       gradients are, and every reader verifies that signature and the model and round it names, so a forged or
 *       replayed outcome is refused even from a principal who may write the key. The next round starts from the state the previous
 *       one ended with if it completed, else from the one it started with ({@link io.meshfl.vertical.step.StateVersions}).</li>
 * </ul>
 *
 * <p>What crosses a boundary: embeddings (party → head) and gradients (head → party), both about positions in the
 * private set intersection's pseudonym order, plus a digest of the window's pseudonyms. No raw id, no feature and no
 * label is ever written by this package; labels stay with the head owner.
 */
package io.meshfl.vertical.step;
