package io.meshfl.mesh.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshfl.launcher.LoopbackPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher on a real child JVM: a tiny HTTP application compiled here, which behaves like a Quarkus app
 * as far as the launcher can tell (reads {@code quarkus.http.port}, answers {@code /q/health/ready}).
 */
class FunctionProcessTest {

    private static final String APP = """
            import com.sun.net.httpserver.HttpServer;
            import java.net.InetSocketAddress;
            public class TinyFunction {
                public static void main(String[] args) throws Exception {
                    if (System.getProperty("fail") != null) {
                        System.out.println("boom: " + System.getProperty("fail"));
                        System.exit(3);
                    }
                    Thread.sleep(Long.getLong("startDelayMillis", 0));
                    int port = Integer.parseInt(System.getProperty("quarkus.http.port"));
                    String host = System.getProperty("quarkus.http.host");
                    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
                    server.createContext("/q/health/ready", exchange -> {
                        int status = Boolean.getBoolean("neverReady") ? 503 : 200;
                        exchange.sendResponseHeaders(status, -1);
                        exchange.close();
                    });
                    server.createContext("/echo", exchange -> {
                        byte[] body = (System.getProperty("greeting") + " " + System.getenv("MESHFL_TEST_ENV")).getBytes();
                        exchange.sendResponseHeaders(200, body.length);
                        exchange.getResponseBody().write(body);
                        exchange.close();
                    });
                    server.start();
                }
            }
            """;

    @TempDir
    static Path build;

    private static Path jar;

    @TempDir
    Path logs;

    @BeforeAll
    static void compileTinyFunction() throws Exception {
        Path source = build.resolve("TinyFunction.java");
        Files.writeString(source, APP);
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertThat(compiler.run(null, null, null, "-d", build.toString(), source.toString())).isZero();
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "TinyFunction");
        jar = build.resolve("app/quarkus-run.jar");
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry("TinyFunction.class"));
            out.write(Files.readAllBytes(build.resolve("TinyFunction.class")));
            out.closeEntry();
        }
    }

    private static FunctionSpec spec(Map<String, String> properties) {
        return new FunctionSpec("tiny-function", jar, 0, properties, Map.of("MESHFL_TEST_ENV", "from-env"),
                List.of("-Xmx64m"));
    }

    private static String get(URI uri) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    @Test
    void startsTheJarOnALoopbackPortWithItsConfigurationAndWaitsUntilItIsReady() throws Exception {
        try (FunctionProcess function = FunctionProcess.start(
                spec(Map.of("greeting", "hello", "startDelayMillis", "700")), logs, Duration.ofSeconds(30))) {
            assertThat(function.uri().getHost()).isEqualTo("127.0.0.1");
            assertThat(get(function.uri().resolve("/echo"))).isEqualTo("200 hello from-env");
            assertThat(function.log()).isEqualTo(logs.resolve("tiny-function.log"));
        }
    }

    @Test
    void aChosenPortIsUsed() throws Exception {
        int port = LoopbackPorts.free();
        FunctionSpec spec = new FunctionSpec("tiny-function", jar, port, Map.of("greeting", "hi"), Map.of(), List.of());

        try (FunctionProcess function = FunctionProcess.start(spec, logs, Duration.ofSeconds(30))) {
            assertThat(function.uri()).isEqualTo(URI.create("http://127.0.0.1:" + port));
            assertThat(get(function.uri().resolve("/echo"))).isEqualTo("200 hi null");
        }
    }

    @Test
    void closingStopsTheProcess() {
        FunctionProcess function = FunctionProcess.start(spec(Map.of("greeting", "x")), logs, Duration.ofSeconds(30));

        function.close();

        assertThat(function.isAlive()).isFalse();
    }

    @Test
    void aFunctionThatExitsWhileStartingIsReportedWithTheEndOfItsLog() {
        assertThatThrownBy(() -> FunctionProcess.start(spec(Map.of("fail", "no database")), logs, Duration.ofSeconds(30)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tiny-function exited with status 3")
                .hasMessageContaining("boom: no database");
    }

    @Test
    void aFunctionNeverReadyIsReportedWithItsLastAnswer() {
        assertThatThrownBy(() -> FunctionProcess.start(spec(Map.of("neverReady", "true")), logs, Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was not ready")
                .hasMessageContaining("HTTP 503");
    }

    @Test
    void aMissingJarIsReportedAsNotBuilt() {
        FunctionSpec missing = new FunctionSpec("registry function", build.resolve("nope/quarkus-run.jar"), 0, Map.of(),
                Map.of(), List.of());

        assertThatThrownBy(() -> FunctionProcess.start(missing, logs, Duration.ofSeconds(1)))
                .hasMessageContaining("registry function is not built").hasMessageContaining("nope/quarkus-run.jar");
    }

}
