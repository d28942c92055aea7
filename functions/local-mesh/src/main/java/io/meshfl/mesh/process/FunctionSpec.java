package io.meshfl.mesh.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to start one function as a child JVM: its packaged Quarkus application ({@code quarkus-run.jar}), the
 * loopback port it listens on (0: any free one), the system properties that configure it (Quarkus reads them as
 * configuration), its environment and extra JVM flags.
 */
public record FunctionSpec(String name, Path jar, int port, Map<String, String> systemProperties,
                           Map<String, String> environment, List<String> jvmOptions) {

    public FunctionSpec {
        systemProperties = Map.copyOf(systemProperties);
        environment = Map.copyOf(environment);
        jvmOptions = List.copyOf(jvmOptions);
    }
}
