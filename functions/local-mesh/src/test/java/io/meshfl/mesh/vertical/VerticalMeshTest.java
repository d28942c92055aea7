package io.meshfl.mesh.vertical;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.vertical.psi.EntityAlignment;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's private set intersection through the local S3 server draws its blinding scalars from the demo's seed: the
 * same seed gives the same pseudonyms (so the same common order and batches, a repeatable run), another seed others.
 */
class VerticalMeshTest {

    @Test
    void theSameSeedAlignsToTheSamePseudonymsAndAnotherSeedToOthers(@TempDir Path dir) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        keys.put("domain-1", IntStream.range(0, 40).mapToObj(i -> "e" + i).toList());
        keys.put("domain-2", IntStream.range(10, 50).mapToObj(i -> "e" + (59 - i)).toList());

        Map<String, EntityAlignment> first;
        Map<String, EntityAlignment> again;
        Map<String, EntityAlignment> other;
        try (VerticalMesh mesh = new VerticalMesh(dir.resolve("a"))) {
            first = mesh.align("m", "psi-1", keys, 42);
        }
        try (VerticalMesh mesh = new VerticalMesh(dir.resolve("b"))) {
            again = mesh.align("m", "psi-1", keys, 42);
        }
        try (VerticalMesh mesh = new VerticalMesh(dir.resolve("c"))) {
            other = mesh.align("m", "psi-1", keys, 43);
        }

        assertThat(again).isEqualTo(first);
        assertThat(other.get("domain-1").pseudonyms()).doesNotContainAnyElementsOf(first.get("domain-1").pseudonyms());
        // Still the intersection, position for position the same entity at both domains.
        for (Map<String, EntityAlignment> aligned : List.of(first, other)) {
            List<String> atOne = aligned.get("domain-1").rows().stream().map(keys.get("domain-1")::get).toList();
            List<String> atTwo = aligned.get("domain-2").rows().stream().map(keys.get("domain-2")::get).toList();
            assertThat(atOne).isEqualTo(atTwo);
            Set<String> common = new HashSet<>(keys.get("domain-1"));
            common.retainAll(keys.get("domain-2"));
            assertThat(new HashSet<>(atOne)).isEqualTo(common);
        }
    }
}
