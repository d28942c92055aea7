package io.meshfl.mesh.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RenderedPoliciesTest {

    @Test
    void theShippedDocumentsRepeatPerDomainStatementsForEachDomainAndFillEveryPlaceholder() {
        RenderedPolicies shipped = RenderedPolicies.shipped();

        IamPolicy bucket = shipped.bucketPolicy("meshfl", List.of("domain-1", "domain-2")).orElseThrow();
        IamPolicy oneDomain = shipped.bucketPolicy("meshfl", List.of("domain-1")).orElseThrow();
        IamPolicy domain = shipped.identityPolicy("domain", "meshfl", "domain-1");

        assertThat(bucket.statements().size()).isGreaterThan(oneDomain.statements().size());
        assertThat(domain.statements()).isNotEmpty();
        assertThat(shipped.identityPolicy("aggregation", "meshfl", null).statements()).isNotEmpty();
    }

    /** The committed render is what infra/terraform/modules/policies renders now (skipped without Terraform). */
    @Test
    void theCommittedRenderIsWhatTheTerraformModuleRendersNow() throws IOException, InterruptedException {
        Path script = repository().resolve("infra/terraform/render-policies.sh");
        boolean terraform = System.getenv("PATH") != null && List.of(System.getenv("PATH").split(":")).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "terraform")));
        assumeThat(terraform).as("terraform is not on PATH: the freshness of rendered-policies.json is not checked"
                + " (infra/terraform/test.sh checks it where Terraform is installed)").isTrue();

        Process check = new ProcessBuilder(script.toString(), "--check").redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(check.exitValue()).as(output).isZero();
    }

    private static Path repository() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("infra/terraform/render-policies.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("Not inside the MeshFL repository: " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
