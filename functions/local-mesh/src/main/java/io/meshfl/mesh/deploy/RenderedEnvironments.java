package io.meshfl.mesh.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.mesh.deploy.RenderedContainer.EnvVar;
import io.meshfl.mesh.deploy.RenderedContainer.SecretKey;
import io.meshfl.mesh.deploy.RenderedContainer.SecretVolume;
import io.meshfl.mesh.deploy.RenderedContainer.SinkBinding;
import io.meshfl.mesh.deploy.RenderedContainer.VolumeMount;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The function containers {@code infra/terraform/modules/federation-knative} and {@code domain-knative} render, as
 * committed in {@value #RESOURCE} by {@code infra/terraform/render-environments.sh} (a freshness check in
 * {@code infra/terraform/test.sh} keeps the file equal to what the modules render). The local mesh starts every
 * function with exactly these environments, so a variable a module misnames or omits fails here first.
 */
public final class RenderedEnvironments {

    public static final String RESOURCE = "/io/meshfl/mesh/deploy/rendered-environments.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final JsonNode functions;

    private RenderedEnvironments(String source, JsonNode document) {
        this.source = source;
        this.functions = document.path("functions");
        if (!functions.isObject()) {
            throw new IllegalArgumentException(source + " has no \"functions\" object");
        }
    }

    /** The environments shipped with the local mesh (rendered from the modules at build time). */
    public static RenderedEnvironments shipped() {
        try (InputStream in = RenderedEnvironments.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The rendered function environments " + RESOURCE + " are missing from"
                        + " the classpath: run infra/terraform/render-environments.sh");
            }
            return new RenderedEnvironments(RESOURCE, JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    /** Environments in the same shape from a file (a deployment's own render, or a deliberately broken one). */
    public static RenderedEnvironments fromFile(Path file) {
        try {
            return new RenderedEnvironments(file.toString(), JSON.readTree(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the function environments " + file, e);
        }
    }

    public String source() {
        return source;
    }

    /** The container of {@code function}: registry, aggregation or training. */
    public RenderedContainer container(String function) {
        JsonNode container = functions.path(function);
        if (!container.isObject()) {
            throw new IllegalArgumentException(source + " renders no container for the " + function + " function");
        }
        List<EnvVar> env = new ArrayList<>();
        for (JsonNode variable : container.path("env")) {
            String name = text(variable, "name", function);
            JsonNode secretRef = variable.path("valueFrom").path("secretKeyRef");
            if (variable.has("value")) {
                env.add(new EnvVar(name, Optional.of(variable.get("value").asText()), Optional.empty()));
            } else if (secretRef.isObject()) {
                env.add(new EnvVar(name, Optional.empty(),
                        Optional.of(new SecretKey(text(secretRef, "name", function), text(secretRef, "key", function)))));
            } else {
                // fieldRef, configMapKeyRef, …: none is rendered today; starting without it would hide the gap.
                throw new IllegalArgumentException(source + ": " + function + "'s " + name
                        + " is given neither as a value nor from a Secret key, the two ways the local mesh knows");
            }
        }
        List<VolumeMount> mounts = new ArrayList<>();
        for (JsonNode mount : container.path("volumeMounts")) {
            mounts.add(new VolumeMount(text(mount, "name", function), text(mount, "mountPath", function)));
        }
        List<SecretVolume> volumes = new ArrayList<>();
        for (JsonNode volume : container.path("volumes")) {
            JsonNode secret = volume.path("secret");
            if (!secret.isObject()) {
                throw new IllegalArgumentException(source + ": " + function + "'s volume " + volume.path("name")
                        + " is not a Secret, the one kind of volume the local mesh knows");
            }
            List<SecretVolume.Item> items = new ArrayList<>();
            for (JsonNode item : secret.path("items")) {
                items.add(new SecretVolume.Item(text(item, "key", function), text(item, "path", function)));
            }
            volumes.add(new SecretVolume(text(volume, "name", function), text(secret, "secretName", function), items));
        }
        List<SinkBinding> sinks = new ArrayList<>();
        for (JsonNode binding : container.path("sinkBindings")) {
            JsonNode ref = binding.path("sink").path("ref");
            sinks.add(new SinkBinding(text(binding, "env", function), text(ref, "kind", function),
                    text(ref, "name", function)));
        }
        return new RenderedContainer(function, env, mounts, volumes, sinks);
    }

    private String text(JsonNode node, String field, String function) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException(source + ": the " + function + " container has an entry without \""
                    + field + "\": " + node);
        }
        return value.asText();
    }
}
