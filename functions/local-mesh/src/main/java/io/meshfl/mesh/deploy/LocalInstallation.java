package io.meshfl.mesh.deploy;

import io.meshfl.mesh.deploy.RenderedContainer.SecretKey;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the local mesh gives a rendered container where a cluster would give its own: values for the installation
 * placeholders, the keys of the Secrets the operator would have created, the addresses of the sinks, and a
 * directory standing in for the container's own filesystem (its secret mounts and {@code /tmp}).
 *
 * <p>A Secret key is either a value (written to a 0600 file when it is mounted) or a file the mesh keeps current (a
 * renewed token: mounted as that file, as a kubelet refreshes a mounted Secret).
 */
public final class LocalInstallation {

    private final Map<String, String> placeholders = new HashMap<>();
    private final Map<SecretKey, String> secretValues = new HashMap<>();
    private final Map<SecretKey, Path> secretFiles = new HashMap<>();
    private final Map<String, URI> sinks = new HashMap<>();
    private final Path containerRoot;

    public LocalInstallation(Path containerRoot) {
        this.containerRoot = containerRoot;
    }

    /** The value of {@code ${name}} in rendered values. */
    public LocalInstallation placeholder(String name, String value) {
        placeholders.put(name, value);
        return this;
    }

    public LocalInstallation secret(String secret, String key, String value) {
        secretValues.put(new SecretKey(secret, key), value);
        return this;
    }

    /** A Secret key whose value is a file the mesh keeps current. */
    public LocalInstallation secretFile(String secret, String key, Path file) {
        secretFiles.put(new SecretKey(secret, key), file);
        return this;
    }

    /** The address of a sink, by its kind and name as a SinkBinding names it (Broker meshfl). */
    public LocalInstallation sink(String kind, String name, URI address) {
        sinks.put(kind + "/" + name, address);
        return this;
    }

    Optional<String> placeholder(String name) {
        return Optional.ofNullable(placeholders.get(name));
    }

    Optional<String> secretValue(SecretKey key) {
        return Optional.ofNullable(secretValues.get(key));
    }

    Optional<Path> secretFile(SecretKey key) {
        return Optional.ofNullable(secretFiles.get(key));
    }

    Optional<URI> sink(String kind, String name) {
        return Optional.ofNullable(sinks.get(kind + "/" + name));
    }

    /** The directory standing in for the container's filesystem. */
    Path containerRoot() {
        return containerRoot;
    }
}
