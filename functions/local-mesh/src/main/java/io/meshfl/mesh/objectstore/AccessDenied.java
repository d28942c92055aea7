package io.meshfl.mesh.objectstore;

/** One request the local S3 server refused on IAM grounds: who, which action, on what, and why. */
public record AccessDenied(String principal, String action, String resourceArn, String reason) {

    @Override
    public String toString() {
        return principal + " " + action + " " + resourceArn + " (" + reason + ")";
    }
}
