package io.meshfl.mesh.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshfl.mesh.objectstore.FederationAccess;
import io.meshfl.mesh.objectstore.S3Principal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MeshStateTest {

    @TempDir
    Path dir;

    private static DemoOptions options(String... args) {
        DemoOptions options = new DemoOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void aWrittenStateReadsBackAndMatchesTheOptionsThatMadeIt() {
        MeshState created = MeshState.create(options("--domains", "3", "--alpha", "0.2"), "gaussian-mixture");
        Path file = dir.resolve("mesh.properties");

        created.write(file);
        MeshState read = MeshState.read(file);

        assertThat(read).isEqualTo(created);
        assertThat(read.accessKey()).startsWith("meshfl-");
        assertThat(read.secretKey()).hasSize(48);
        assertThat(read.differencesFrom(options("--domains", "3", "--alpha", "0.2"), "gaussian-mixture")).isEmpty();
    }

    @Test
    void everyPrincipalHasItsOwnKeyPairAndAResumedStateDerivesTheSamePairs() {
        MeshState created = MeshState.create(options(), "gaussian-mixture");
        Path file = dir.resolve("identities.properties");
        created.write(file);
        MeshState resumed = MeshState.read(file);

        FederationAccess access = FederationAccess.rendered("meshfl", List.of("domain-1", "domain-2"));
        List<S3Principal> principals = List.of(created.governance(access), created.aggregation(access),
                created.domain(access, "domain-1"), created.domain(access, "domain-2"));
        assertThat(principals).extracting(S3Principal::accessKey).doesNotHaveDuplicates();
        assertThat(principals).extracting(S3Principal::secretKey).doesNotHaveDuplicates();
        assertThat(resumed.domain(access, "domain-1").secretKey()).isEqualTo(created.domain(access, "domain-1").secretKey());
        assertThat(resumed.aggregation(access).accessKey()).isEqualTo(created.aggregation(access).accessKey());
        assertThat(created.domain(access, "domain-1").policy().decide("s3:PutObject",
                "arn:aws:s3:::meshfl/models/m/rounds/1/updates/domain-2.safetensors", Map.of()).allowed()).isFalse();
    }

    @Test
    void everyDifferingOptionIsNamedWithBothValues() {
        MeshState stored = MeshState.create(options(), "gaussian-mixture");

        assertThat(stored.differencesFrom(options("--domains", "5", "--seed", "1", "--strategy", "median"), "iris"))
                .containsExactly("dataset: stored gaussian-mixture, requested iris",
                        "--domains: stored 4, requested 5",
                        "--seed: stored 42, requested 1",
                        "--strategy: stored fedavg, requested median");
    }

    @Test
    void aDamagedStateFileSaysToStartFresh() throws Exception {
        Path file = dir.resolve("mesh.properties");
        Files.writeString(file, "bucket=meshfl\ndomains=four\n");

        assertThatThrownBy(() -> MeshState.read(file)).hasMessageContaining("damaged").hasMessageContaining("--fresh");
    }

    @Test
    void wipingRefusesADirectoryThatIsNotAMeshDataDirectory() throws Exception {
        Files.writeString(dir.resolve("thesis.tex"), "precious");

        assertThatThrownBy(() -> new MeshLayout(dir).wipe()).hasMessageContaining("refuses");
        assertThat(dir.resolve("thesis.tex")).exists();
    }

    @Test
    void wipingDeletesAMeshDataDirectory() throws Exception {
        MeshLayout layout = new MeshLayout(dir.resolve("mesh"));
        MeshState.create(options(), "gaussian-mixture").write(layout.state());
        Files.createDirectories(layout.domain("domain-1"));
        Files.writeString(layout.domain("domain-1").resolve("rows.csv"), "a,b\n");

        layout.wipe();

        assertThat(layout.root()).doesNotExist();
    }
}
