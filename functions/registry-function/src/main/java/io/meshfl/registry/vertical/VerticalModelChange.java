package io.meshfl.registry.vertical;

/**
 * A governance change to a vertical model ({@code PATCH /vertical-models/{id}}), applied to the rounds opened after it:
 * a new PSI session to train on, or a rotated key of the governance-side head. Absent fields stay as they are.
 */
public record VerticalModelChange(String psiSession, String headPublicKey) {
}
