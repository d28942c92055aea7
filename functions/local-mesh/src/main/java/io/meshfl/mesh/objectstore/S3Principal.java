package io.meshfl.mesh.objectstore;

/** One identity of the local S3 server: its AWS-style key pair and what it may do. */
public record S3Principal(String accessKey, String secretKey, AccessPolicy policy) {

    @Override
    public String toString() { // never the secret, in logs or errors
        return "S3Principal[" + policy.principal() + ", " + accessKey + "]";
    }
}
