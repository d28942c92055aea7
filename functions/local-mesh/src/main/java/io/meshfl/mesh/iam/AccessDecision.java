package io.meshfl.mesh.iam;

/** IAM's answer to one request, with the reason in words (the statement that decided, or that none allowed). */
public record AccessDecision(boolean allowed, String reason) {
}
