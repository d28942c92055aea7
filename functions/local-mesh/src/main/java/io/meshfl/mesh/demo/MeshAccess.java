package io.meshfl.mesh.demo;

import io.meshfl.mesh.objectstore.FederationAccess;

/**
 * The IAM documents the local S3 server judges requests by, and whether it enforces them (the default) or only
 * records what they deny ({@code --iam-audit}).
 */
public record MeshAccess(FederationAccess policies, boolean audit) {
}
