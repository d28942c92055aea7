package io.meshfl.mesh.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the packaged functions are: as Maven resolved them for this module's tests (the local mesh depends on the
 * three applications, see its POM), else in the repository the launcher runs from, which ./meshfl builds as one
 * reactor.
 */
public record FunctionJars(Path registry, Path aggregation, Path training) {

    /** The system properties the local mesh's Surefire sets to the applications Maven resolved. */
    public static final String REGISTRY_PROPERTY = "meshfl.registry.jar";
    public static final String AGGREGATION_PROPERTY = "meshfl.aggregation.jar";
    public static final String TRAINING_PROPERTY = "meshfl.training.jar";

    /** The applications Maven resolved when all three properties are set, else those under {@link #repository()}. */
    public static FunctionJars located() {
        String registry = System.getProperty(REGISTRY_PROPERTY);
        String aggregation = System.getProperty(AGGREGATION_PROPERTY);
        String training = System.getProperty(TRAINING_PROPERTY);
        if (registry != null && aggregation != null && training != null) {
            return new FunctionJars(Path.of(registry), Path.of(aggregation), Path.of(training));
        }
        return under(repository());
    }

    public static FunctionJars under(Path repository) {
        return new FunctionJars(
                repository.resolve("functions/registry-function/target/quarkus-app/quarkus-run.jar"),
                repository.resolve("aggregation-function/target/quarkus-app/quarkus-run.jar"),
                repository.resolve("training-function/target/quarkus-app/quarkus-run.jar"));
    }

    /**
     * The repository root: {@code -Dmeshfl.home} (set by {@code ./meshfl}), else the working directory.
     */
    public static Path repository() {
        String home = System.getProperty("meshfl.home");
        return Path.of(home != null ? home : ".").toAbsolutePath().normalize();
    }

    public List<Path> missing() {
        List<Path> missing = new ArrayList<>();
        for (Path jar : List.of(registry, aggregation, training)) {
            if (!Files.isRegularFile(jar)) {
                missing.add(jar);
            }
        }
        return missing;
    }
}
