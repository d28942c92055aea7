package io.meshfl.mesh.demo;

import io.meshfl.mesh.dataproduct.DataProductFiles;
import io.meshfl.mesh.dataproduct.DomainDataProduct;
import io.meshfl.mesh.dataset.DatasetException;
import io.meshfl.mesh.dataset.DomainShare;
import io.meshfl.mesh.dataset.FederatedSplit;
import io.meshfl.mesh.federation.DomainSigningKey;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** One {@code ./meshfl demo}: prepares the federation's data and identities, then runs the mesh. */
public final class DemoRun implements Callable<Integer> {

    /** The purpose the demo's model is trained for; every data product lists it as eligible. */
    public static final String PURPOSE = "demo-classification";

    private final DemoOptions options;
    private final PrintWriter out;
    private final PrintWriter err;

    public DemoRun(DemoOptions options, PrintWriter out, PrintWriter err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        MeshLayout layout = new MeshLayout(options.dataDir());
        try {
            if (options.fresh()) {
                layout.wipe();
            }
            DemoData data = DemoData.of(options);
            MeshState state = state(layout, data);
            List<DomainDataProduct> products = dataProducts(layout, state, data);
            Map<String, DomainSigningKey> keys = new LinkedHashMap<>();
            for (String domain : options.domainNames()) {
                keys.put(domain, DomainSigningKey.loadOrCreate(layout.domain(domain)));
            }
            FunctionJars jars = FunctionJars.under(FunctionJars.repository());
            if (!jars.missing().isEmpty()) {
                err.println("meshfl demo: the functions are not built: " + jars.missing()
                        + "\n  run ./meshfl demo (it builds what is missing) or mvn -q package -DskipTests");
                return 1;
            }
            err.println("meshfl demo: prepared " + products.size() + " data products and signing keys under " + layout.root()
                    + "; running the federation needs the registry, aggregation and training functions, which are"
                    + " not wired into the local mesh yet");
            return 1;
        } catch (DatasetException | IllegalStateException e) {
            err.println("meshfl demo: " + e.getMessage());
            return 2;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private MeshState state(MeshLayout layout, DemoData data) {
        if (MeshState.exists(layout.state())) {
            MeshState stored = MeshState.read(layout.state());
            List<String> differences = stored.differencesFrom(options, data.name());
            if (!differences.isEmpty()) {
                throw new IllegalStateException(layout.root() + " holds another federation (" + String.join("; ", differences)
                        + "). Run with the stored options to resume it, or add --fresh to start over.");
            }
            out.println("Resuming the federation stored in " + layout.root() + " (--fresh starts over).");
            return stored;
        }
        MeshState created = MeshState.create(options, data.name());
        created.write(layout.state());
        return created;
    }

    private List<DomainDataProduct> dataProducts(MeshLayout layout, MeshState state, DemoData data) {
        FederatedSplit split = FederatedSplit.of(data.dataset(), options.domainNames(), options.alpha(), options.seed());
        DataProductFiles files = new DataProductFiles(layout.domains(), state.bucket(), List.of(PURPOSE));
        out.printf("Dataset %s: %d rows, %d features, %d classes; Dirichlet(%s) label skew over %d domains%n",
                data.name(), data.dataset().rows(), data.dataset().featureNames().size(), data.dataset().classes().size(),
                options.alpha(), options.domains());
        List<DomainDataProduct> products = new ArrayList<>();
        for (DomainShare share : split.shares()) {
            products.add(files.write(share, data.name()));
            out.printf("  %-10s %5d rows published, %4d held out; rows per class %s%n", share.domain(),
                    share.published().rows(), share.holdOut().rows(), java.util.Arrays.toString(share.published().classCounts()));
        }
        out.flush();
        return products;
    }
}
