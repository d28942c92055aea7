package io.meshfl.mesh.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where the packaged functions are, relative to the repository the launcher runs from. */
public record FunctionJars(Path registry, Path aggregation, Path training) {

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
