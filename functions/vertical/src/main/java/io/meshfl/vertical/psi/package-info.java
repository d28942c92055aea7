/**
 * ECDH private set intersection through the object store (semi-honest parties; module README, "Private set
 * intersection"). Which mechanism lives where:
 *
 * <ul>
 *   <li>no raw id leaves a party: {@link io.meshfl.vertical.psi.PsiParty} hashes keys to the curve and blinds them
 *       with its {@link io.meshfl.vertical.psi.BlindingKey} before the first write; only blinded points are stored
 *       ({@link io.meshfl.vertical.psi.BlindedSet});</li>
 *   <li>no party can map another's positions to rows: step 1 is sorted by the blinded encodings
 *       ({@code PsiParty.publishedSet});</li>
 *   <li>the same key gives the same pseudonym everywhere, and only within one session: the ring of blinding steps
 *       ({@link io.meshfl.vertical.psi.PsiSession#blinder}) and the session's DST ({@link
 *       io.meshfl.vertical.psi.PsiSession#dst});</li>
 *   <li>repeated or concurrent steps are harmless: every output is a deterministic function of its input and the
 *       party's key, and a step already present is skipped ({@link io.meshfl.vertical.psi.PsiParty#advance});</li>
 *   <li>a key names one entity: duplicates are refused before anything is stored
 *       ({@link io.meshfl.vertical.psi.EntityKeys}).</li>
 * </ul>
 */
package io.meshfl.vertical.psi;
