package io.meshfl.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One function's part of infra/contract/functions.json, the one declaration of what each function reads, and the
 * settings a {@code @ConfigMapping} interface declares, so that a function's test can hold one against the other.
 * {@code exports} are the package's Funqy functions that deployments trigger (one per Lambda through
 * QUARKUS_FUNQY_EXPORT, by CloudEvent type on Knative), each with the type its Knative mapping must route to it.
 */
public record FunctionContract(String function, boolean secretReferences, List<Setting> settings,
        Map<String, String> exports) {

    /** One setting as the contract declares it; {@code property} is null for settings only the engine or JVM read. */
    public record Setting(String property, String env, boolean required, boolean secret, String kind) {
    }

    /** A property of a mapping interface: required when it has neither a default nor an optional type. */
    public record MappedProperty(String property, boolean required) {
    }

    public static FunctionContract of(String function) {
        Path file = contractFile();
        try {
            JsonNode node = new ObjectMapper().readTree(file.toFile()).path("functions").path(function);
            if (node.isMissingNode()) {
                throw new IllegalArgumentException(file + " declares no function '" + function + "'");
            }
            List<Setting> settings = new ArrayList<>();
            for (JsonNode s : node.path("settings")) {
                settings.add(new Setting(s.path("property").isNull() ? null : s.path("property").asText(),
                        s.path("env").asText(), s.path("required").asBoolean(), s.path("secret").asBoolean(),
                        s.path("kind").asText()));
            }
            Map<String, String> exports = new LinkedHashMap<>();
            node.path("exports").fields().forEachRemaining(
                    e -> exports.put(e.getKey(), e.getValue().path("knative_event_type").asText()));
            return new FunctionContract(function, node.path("secret_references").asBoolean(), List.copyOf(settings),
                    Collections.unmodifiableMap(exports));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** The settings of one kind ({@code meshfl}: the ones @ConfigMapping interfaces declare). */
    public List<Setting> settings(String kind) {
        return settings.stream().filter(s -> s.kind().equals(kind)).toList();
    }

    /**
     * Where the contract's {@code meshfl} settings and what the function reads ({@code read}) disagree: a property
     * read but not declared, or declared and not read, declared under another environment name, or optional in the
     * contract though the function requires it. Empty when they agree.
     */
    public List<String> disagreements(List<MappedProperty> read) {
        Map<String, Setting> declared = new LinkedHashMap<>();
        settings("meshfl").forEach(s -> declared.put(s.property(), s));
        List<String> problems = new ArrayList<>();
        for (MappedProperty property : read) {
            Setting setting = declared.remove(property.property());
            if (setting == null) {
                problems.add(property.property() + ": read by the function, not declared for " + function);
            } else if (!setting.env().equals(envName(property.property()))) {
                problems.add(property.property() + ": declared as " + setting.env() + ", SmallRye reads "
                        + envName(property.property()));
            } else if (property.required() && !setting.required()) {
                problems.add(property.property() + ": has no default, but the contract says it is optional");
            }
        }
        declared.keySet().forEach(p -> problems.add(p + ": declared for " + function + ", read by no mapping"));
        return problems;
    }

    /** The environment variable SmallRye Config maps to a property name (non-alphanumerics become {@code _}). */
    public static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** The properties of a {@code @ConfigMapping} interface, with SmallRye's kebab-case naming. */
    public static List<MappedProperty> properties(Class<?> mapping) {
        ConfigMapping annotation = mapping.getAnnotation(ConfigMapping.class);
        if (annotation == null) {
            throw new IllegalArgumentException(mapping.getName() + " is not a @ConfigMapping");
        }
        List<MappedProperty> properties = new ArrayList<>();
        for (Method method : mapping.getDeclaredMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            WithName name = method.getAnnotation(WithName.class);
            String property = annotation.prefix() + "." + (name != null ? name.value() : kebab(method.getName()));
            Class<?> type = method.getReturnType();
            boolean optional = type == Optional.class || type == OptionalInt.class || type == OptionalLong.class
                    || type == OptionalDouble.class;
            properties.add(new MappedProperty(property, !optional && method.getAnnotation(WithDefault.class) == null));
        }
        return properties;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static Path contractFile() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("infra/contract/functions.json");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("infra/contract/functions.json not found above " + Path.of("").toAbsolutePath());
    }
}
