package io.meshfl.mesh.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.auth.LocalTokenIssuer;
import io.meshfl.mesh.federation.DomainSigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every secret the local mesh writes is for its owner's eyes only. */
class MeshLayoutTest {

    @TempDir
    Path dir;

    @Test
    void theStateFileKeysAndTokensAre0600InDirectoriesThatAre0700() throws IOException {
        MeshLayout layout = new MeshLayout(dir.resolve("mesh"));
        DemoOptions options = new DemoOptions();
        new CommandLine(options).parseArgs("--domains", "2");

        layout.createPrivately(options.domainNames());
        MeshState.create(options, "test").write(layout.state());
        LocalTokenIssuer.inDirectory(layout.keys());
        DomainSigningKey.loadOrCreate(layout.domain("domain-1"));
        PrivateFiles.write(layout.governanceToken(), "a.token.value\n");

        for (Path directory : List.of(layout.root(), layout.keys(), layout.domains(), layout.domain("domain-1"),
                layout.domain("domain-2"))) {
            assertThat(permissions(directory)).as(directory.toString()).isEqualTo("rwx------");
        }
        for (Path secret : List.of(layout.state(), layout.keys().resolve(LocalTokenIssuer.PRIVATE_KEY_FILE),
                layout.domain("domain-1").resolve(DomainSigningKey.PRIVATE_KEY_FILE), layout.governanceToken())) {
            assertThat(permissions(secret)).as(secret.toString()).isEqualTo("rw-------");
        }
    }

    @Test
    void aDataDirectoryAnEarlierVersionLeftOpenIsTightenedOnTheNextRun() throws IOException {
        MeshLayout layout = new MeshLayout(dir.resolve("old"));
        Files.createDirectories(layout.keys(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(layout.root(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(layout.state(), "bucket=meshfl\n");
        Files.setPosixFilePermissions(layout.state(), PosixFilePermissions.fromString("rw-r--r--"));

        layout.createPrivately(List.of("domain-1"));

        assertThat(permissions(layout.root())).isEqualTo("rwx------");
        assertThat(permissions(layout.keys())).isEqualTo("rwx------");
        assertThat(permissions(layout.state())).isEqualTo("rw-------");
    }

    @Test
    void theStateFileIsWritten0600EvenWhereTheUmaskWouldOpenIt() throws IOException {
        Path file = dir.resolve("elsewhere").resolve("mesh.properties");
        DemoOptions options = new DemoOptions();
        new CommandLine(options).parseArgs();

        MeshState.create(options, "test").write(file);

        assertThat(permissions(file)).isEqualTo("rw-------");
        assertThat(MeshState.read(file).bucket()).isEqualTo("meshfl");
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
