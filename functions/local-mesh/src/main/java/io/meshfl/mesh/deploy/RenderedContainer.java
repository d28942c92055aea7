package io.meshfl.mesh.deploy;

import java.util.List;
import java.util.Optional;

/**
 * One function's container as a Knative module renders it: its environment, the Secrets mounted as files, and the
 * variables a SinkBinding injects. Values may hold installation placeholders ({@code ${registry_url}}, …).
 */
public record RenderedContainer(String function, List<EnvVar> env, List<VolumeMount> mounts,
                                List<SecretVolume> volumes, List<SinkBinding> sinks) {

    public RenderedContainer {
        env = List.copyOf(env);
        mounts = List.copyOf(mounts);
        volumes = List.copyOf(volumes);
        sinks = List.copyOf(sinks);
    }

    /** A variable: a literal value, or a reference to a key of a Secret (Kubernetes puts the value in). */
    public record EnvVar(String name, Optional<String> value, Optional<SecretKey> secret) {
    }

    public record SecretKey(String secret, String key) {
        @Override
        public String toString() {
            return "Secret " + secret + " key " + key;
        }
    }

    /** A Secret mounted as a directory: each item's key becomes the file {@code path} in it. */
    public record SecretVolume(String name, String secretName, List<Item> items) {
        public SecretVolume {
            items = List.copyOf(items);
        }

        public record Item(String key, String path) {
        }
    }

    public record VolumeMount(String volume, String mountPath) {
    }

    /** A variable the named sink's address is injected as (Knative's SinkBinding sets {@code K_SINK}). */
    public record SinkBinding(String env, String sinkKind, String sinkName) {
    }

    public Optional<SecretVolume> volume(String name) {
        return volumes.stream().filter(volume -> volume.name().equals(name)).findFirst();
    }
}
