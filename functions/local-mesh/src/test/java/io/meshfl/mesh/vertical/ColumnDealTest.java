package io.meshfl.mesh.vertical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshfl.mesh.dataset.DatasetException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ColumnDealTest {

    private static final List<String> COLUMNS = List.of("a", "b", "c", "d", "e", "f", "g");

    @Test
    void contiguousGroupsFollowTheFilesOrderAndDifferByAtMostOne() {
        Map<String, List<Integer>> deal = ColumnDeal.contiguous(COLUMNS, 3);

        assertThat(deal).containsExactly(Map.entry("domain-1", List.of(0, 1)), Map.entry("domain-2", List.of(2, 3)),
                Map.entry("domain-3", List.of(4, 5, 6)));
    }

    @Test
    void anExplicitDealNamesEachDomainsColumns() {
        Map<String, List<Integer>> deal = ColumnDeal.parse("payments:c,a;customers:g", COLUMNS);

        assertThat(deal).containsExactly(Map.entry("payments", List.of(2, 0)), Map.entry("customers", List.of(6)));
    }

    @Test
    void aBadDealIsRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> ColumnDeal.parse("x:a;y:z", COLUMNS)).isInstanceOf(DatasetException.class)
                .hasMessageContaining("z is not a feature column");
        assertThatThrownBy(() -> ColumnDeal.parse("x:a;y:a", COLUMNS)).hasMessageContaining("column a to both x and y");
        assertThatThrownBy(() -> ColumnDeal.parse("x:a", COLUMNS)).hasMessageContaining("at least two domains");
        assertThatThrownBy(() -> ColumnDeal.contiguous(COLUMNS, 8)).hasMessageContaining("--domains 8");
    }

    @Test
    void theHoldOutRuleIsAFunctionOfTheKeyAlone() {
        HoldOutRule rule = new HoldOutRule(42, 0.3);
        long heldOut = java.util.stream.IntStream.range(0, 10_000).filter(i -> rule.heldOut("k" + i)).count();

        assertThat(heldOut).isBetween(2_800L, 3_200L);
        assertThat(rule.heldOut("k17")).isEqualTo(new HoldOutRule(42, 0.3).heldOut("k17"));
    }
}
