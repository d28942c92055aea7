package io.meshfl.mesh.deploy;

import io.meshfl.mesh.deploy.RenderedContainer.EnvVar;
import io.meshfl.mesh.deploy.RenderedContainer.SecretKey;
import io.meshfl.mesh.deploy.RenderedContainer.SecretVolume;
import io.meshfl.mesh.deploy.RenderedContainer.SinkBinding;
import io.meshfl.mesh.deploy.RenderedContainer.VolumeMount;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rendered container's environment made concrete for one local process, changing nothing a cluster would not:
 * placeholders take the installation's values; a Secret key becomes the variable's value (as Kubernetes does for a
 * {@code secretKeyRef}); a mounted Secret becomes files in the container's stand-in directory, and a path into the
 * mount points there; {@code /tmp} is the container's own, so it moves into the stand-in directory too; a
 * SinkBinding's variable gets the sink's address. Anything the installation cannot provide is an error naming the
 * function and the variable: a process started without it would fail later and less clearly.
 *
 * @param variables the environment to start the function with
 * @param files     the Secret values to write (0600) before it starts, by local path
 */
public record ContainerEnvironment(Map<String, String> variables, Map<Path, String> files) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)}");
    private static final String CONTAINER_TMP = "/tmp";

    public ContainerEnvironment {
        variables = Map.copyOf(variables);
        files = Map.copyOf(files);
    }

    public static ContainerEnvironment of(RenderedContainer container, LocalInstallation installation) {
        Map<String, Path> mountedFiles = new LinkedHashMap<>();
        Map<Path, String> files = new LinkedHashMap<>();
        for (VolumeMount mount : container.mounts()) {
            SecretVolume volume = container.volume(mount.volume()).orElseThrow(() -> new IllegalArgumentException(
                    container.function() + " mounts the volume " + mount.volume() + ", which its pod does not have"));
            for (SecretVolume.Item item : volume.items()) {
                SecretKey key = new SecretKey(volume.secretName(), item.key());
                String containerPath = mount.mountPath() + "/" + item.path();
                Optional<Path> kept = installation.secretFile(key);
                if (kept.isPresent()) {
                    mountedFiles.put(containerPath, kept.get());
                } else {
                    Path local = installation.containerRoot().resolve("mounts").resolve(volume.name())
                            .resolve(item.path());
                    files.put(local, secret(container, mount.mountPath(), key, installation));
                    mountedFiles.put(containerPath, local);
                }
            }
        }
        Map<String, String> variables = new LinkedHashMap<>();
        for (EnvVar variable : container.env()) {
            String value = variable.secret().isPresent()
                    ? secret(container, variable.name(), variable.secret().get(), installation)
                    : localPath(fill(container, variable.name(), variable.value().orElseThrow(), installation),
                            mountedFiles, installation);
            put(container, variables, variable.name(), value);
        }
        for (SinkBinding binding : container.sinks()) {
            String address = installation.sink(binding.sinkKind(), binding.sinkName())
                    .orElseThrow(() -> new IllegalStateException("The local mesh has no " + binding.sinkKind() + " "
                            + binding.sinkName() + " for the " + container.function() + " function's "
                            + binding.env()))
                    .toString();
            put(container, variables, binding.env(), address);
        }
        return new ContainerEnvironment(variables, files);
    }

    private static void put(RenderedContainer container, Map<String, String> variables, String name, String value) {
        if (variables.putIfAbsent(name, value) != null) {
            throw new IllegalArgumentException("The " + container.function() + " container sets " + name + " twice");
        }
    }

    private static String secret(RenderedContainer container, String usedBy, SecretKey key,
                                 LocalInstallation installation) {
        return installation.secretValue(key).orElseThrow(() -> new IllegalStateException("The local mesh provides no "
                + key + " (the " + container.function() + " function's " + usedBy + ")"));
    }

    private static String fill(RenderedContainer container, String name, String value, LocalInstallation installation) {
        Matcher matcher = PLACEHOLDER.matcher(value);
        StringBuilder filled = new StringBuilder();
        while (matcher.find()) {
            String placeholder = matcher.group(1);
            String replacement = installation.placeholder(placeholder).orElseThrow(() -> new IllegalStateException(
                    "The " + container.function() + " function's " + name + " names ${" + placeholder
                            + "}, which the local mesh does not fill in"));
            matcher.appendReplacement(filled, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(filled);
        return filled.toString();
    }

    /** A path inside the container: into a mounted Secret, or into its own /tmp. */
    private static String localPath(String value, Map<String, Path> mountedFiles, LocalInstallation installation) {
        Path mounted = mountedFiles.get(value);
        if (mounted != null) {
            return mounted.toString();
        }
        if (value.equals(CONTAINER_TMP) || value.startsWith(CONTAINER_TMP + "/")) {
            return installation.containerRoot().resolve("tmp")
                    .resolve(value.substring(CONTAINER_TMP.length()).replaceFirst("^/", "")).toString();
        }
        return value;
    }
}
