package io.meshfl.mesh.demo;

import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.objectstore.S3Settings;
import io.meshfl.mesh.objectstore.FederationAccess;
import io.meshfl.mesh.objectstore.LocalObjectStoreServer;
import io.meshfl.mesh.objectstore.S3Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's S3 clients, one per principal it acts as: the governance (setting up the federation, reading global
 * models) and each domain (publishing its data product; with {@code --poison}, the attacker's update), each signing
 * with its own key pair so the local S3 server applies that principal's policy.
 */
final class MeshStores implements AutoCloseable {

    private final LocalObjectStoreServer server;
    private final MeshState state;
    private final FederationAccess access;
    private final Map<String, S3ObjectStore> open = new LinkedHashMap<>();

    MeshStores(LocalObjectStoreServer server, MeshState state, FederationAccess access) {
        this.server = server;
        this.state = state;
        this.access = access;
    }

    S3ObjectStore governance() {
        return connect(state.governance(access));
    }

    S3ObjectStore domain(String domain) {
        return connect(state.domain(access, domain));
    }

    private synchronized S3ObjectStore connect(S3Principal principal) {
        return open.computeIfAbsent(principal.accessKey(), key -> S3ObjectStore.connect(new S3Settings(state.bucket(),
                server.region(), Optional.of(server.endpoint()), true, Optional.of(principal.accessKey()),
                Optional.of(principal.secretKey()))));
    }

    @Override
    public synchronized void close() {
        open.values().forEach(S3ObjectStore::close);
        open.clear();
    }
}
