package io.meshfl.mesh.dataset;

import io.meshfl.training.dataproduct.HoldOutSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The federation's data: a dataset dealt among the domains with a Dirichlet(α) label skew, each share split
 * into a published part and a hold-out part. The union of the hold-out parts is the one test set on which the
 * federated, centralised and local-only models are all compared.
 */
public record FederatedSplit(List<DomainShare> shares) {

    public static final double HOLD_OUT_FRACTION = 0.2;
    /** Fewest rows a domain may get: enough for a training split, a validation split and a hold-out. */
    public static final int MIN_ROWS_PER_DOMAIN = 50;

    public FederatedSplit {
        shares = List.copyOf(shares);
    }

    public static FederatedSplit of(TabularDataset dataset, List<String> domains, double alpha, long seed) {
        int[][] rowsOfDomain = new LabelSkewPartition(alpha, MIN_ROWS_PER_DOMAIN)
                .partition(dataset.labels(), dataset.classes().size(), domains.size(), seed);
        List<DomainShare> shares = new ArrayList<>();
        for (int d = 0; d < domains.size(); d++) {
            // java.util.Random, as the demo's split has always been seeded: the same seed publishes the same rows.
            HoldOutSplit.Rows split = HoldOutSplit.Rows.of(rowsOfDomain[d], HOLD_OUT_FRACTION, new Random(seed + 1 + d));
            shares.add(new DomainShare(domains.get(d), dataset.rows(split.train()), dataset.rows(split.holdOut())));
        }
        return new FederatedSplit(shares);
    }

    /** The union of the domains' published rows: what a centralised model would be trained on. */
    public TabularDataset unionPublished() {
        return union(shares.stream().map(DomainShare::published).toList());
    }

    /** The union of the domains' hold-out rows: the common test set. */
    public TabularDataset unionHoldOut() {
        return union(shares.stream().map(DomainShare::holdOut).toList());
    }

    private static TabularDataset union(List<TabularDataset> parts) {
        TabularDataset first = parts.get(0);
        int rows = parts.stream().mapToInt(TabularDataset::rows).sum();
        float[][] features = new float[rows][];
        int[] labels = new int[rows];
        int next = 0;
        for (TabularDataset part : parts) {
            System.arraycopy(part.features(), 0, features, next, part.rows());
            System.arraycopy(part.labels(), 0, labels, next, part.rows());
            next += part.rows();
        }
        return new TabularDataset(first.featureNames(), first.labelName(), first.classes(), features, labels);
    }
}
