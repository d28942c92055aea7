package io.meshfl.mesh.objectstore;

/** Told about every request refused on IAM grounds, so a run can say which calls its policies forbid. */
@FunctionalInterface
interface AccessDeniedListener {

    void denied(AccessDenied denial);
}
