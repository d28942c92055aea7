package io.meshfl.mesh.demo;

import io.meshfl.auth.LocalTokenIssuer;
import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.mesh.dataproduct.DataProductFiles;
import io.meshfl.mesh.dataproduct.DomainDataProduct;
import io.meshfl.mesh.dataset.DatasetException;
import io.meshfl.mesh.deploy.RenderedEnvironments;
import io.meshfl.mesh.dataset.DomainShare;
import io.meshfl.mesh.dataset.FederatedSplit;
import io.meshfl.mesh.evaluation.GlobalModels;
import io.meshfl.mesh.evaluation.HoldOutEvaluator;
import io.meshfl.mesh.evaluation.RoundTrainer;
import io.meshfl.mesh.federation.BufferDriver;
import io.meshfl.mesh.federation.DomainSigningKey;
import io.meshfl.mesh.federation.DomainTokens;
import io.meshfl.mesh.federation.FederationSetup;
import io.meshfl.mesh.federation.ModelPlan;
import io.meshfl.mesh.federation.Participant;
import io.meshfl.mesh.federation.ParticipationReader;
import io.meshfl.mesh.federation.RenewedToken;
import io.meshfl.mesh.federation.RoundDriver;
import io.meshfl.mesh.federation.RoundLog;
import io.meshfl.mesh.iam.RenderedPolicies;
import io.meshfl.mesh.objectstore.FederationAccess;
import io.meshfl.mesh.report.ConsoleReport;
import io.meshfl.registry.api.RegistryClient;
import io.meshfl.registry.api.RegistryConnection;
import io.meshfl.registry.api.RegistryException;
import io.meshfl.training.engine.TorchEngine;
import io.meshfl.training.model.Architecture;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
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
            layout.createPrivately(options.domainNames());
            logToFile(layout);
            DemoData data = DemoData.of(options);
            MeshState state = state(layout, data);
            // The mesh-wide data contract fixes the features' scale: standardised once over the whole dataset.
            FederatedSplit split = FederatedSplit.of(data.dataset().standardized(), options.domainNames(), options.alpha(),
                    options.seed());
            List<DomainDataProduct> products = dataProducts(layout, state, data, split);
            Map<String, DomainSigningKey> keys = new LinkedHashMap<>();
            for (String domain : options.domainNames()) {
                keys.put(domain, DomainSigningKey.loadOrCreate(layout.domain(domain)));
            }
            FunctionJars jars = FunctionJars.located();
            if (!jars.missing().isEmpty()) {
                err.println("meshfl demo: the functions are not built: " + jars.missing()
                        + "\n  run ./meshfl demo (it builds what is missing) or mvn -q package -DskipTests");
                return 1;
            }
            LocalTokenIssuer issuer = LocalTokenIssuer.inDirectory(layout.keys());
            RegistryTrust trust = new RegistryTrust(issuer.publicKeyPem(), issuer.issuer(),
                    RenewedToken.function(issuer, Clock.systemUTC()), new DomainTokens(issuer, Clock.systemUTC()));
            out.println("Starting the mesh (logs in " + layout.logs() + "):");
            out.flush();
            boolean interrupted = false;
            RenderedPolicies documents = options.iamPolicies().map(RenderedPolicies::fromFile)
                    .orElseGet(RenderedPolicies::shipped);
            MeshAccess access = new MeshAccess(new FederationAccess(documents, state.bucket(), options.domainNames()),
                    options.iamAudit());
            RenderedEnvironments environments = options.functionEnvironments().map(RenderedEnvironments::fromFile)
                    .orElseGet(RenderedEnvironments::shipped);
            try (LocalMesh mesh = LocalMesh.start(layout, state, jars, trust, keys, access, environments,
                    options.sweepPeriod(), Set.copyOf(options.externalDomains()), out)) {
                Thread stopOnExit = new Thread(mesh::close, "meshfl-stop");
                Runtime.getRuntime().addShutdownHook(stopOnExit);
                int status;
                try {
                    status = federate(layout, state, data, split, products, keys, issuer, mesh);
                } catch (RuntimeException e) {
                    if (!mesh.objectStore().denials().isEmpty()) {
                        err.println(DeniedCalls.describe(mesh.objectStore().denials()));
                    }
                    throw e;
                }
                if (!mesh.objectStore().denials().isEmpty()) {
                    out.println(DeniedCalls.describe(mesh.objectStore().denials()));
                }
                if (options.serve()) {
                    interrupted = !MeshServer.serve(mesh, issuer, layout, out);
                }
                return status;
            } finally {
                RunningMesh.remove(layout);
                if (interrupted) { // only now: stopping PostgreSQL and the functions waits for them
                    Thread.currentThread().interrupt();
                }
            }
        } catch (DatasetException | IllegalStateException | RegistryException e) {
            err.println("meshfl demo: " + e.getMessage());
            return 2;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int federate(MeshLayout layout, MeshState state, DemoData data, FederatedSplit split,
                         List<DomainDataProduct> products,
                         Map<String, DomainSigningKey> keys, LocalTokenIssuer issuer, LocalMesh mesh) {
        RegistryConnection registry = RegistryConnection.to(mesh.registry());
        RenewedToken governanceToken = RenewedToken.governance(issuer, Clock.systemUTC());
        RegistryClient governance = registry.as(governanceToken);
        try (MeshStores stores = new MeshStores(mesh.objectStore(), state, mesh.access())) {
            S3ObjectStore store = stores.governance();
            // A domain's training role may write its update and nothing else (the rendered policy's explicit Deny):
            // its rows reach domains/{d}/ through the mesh operator, as a domain's data pipeline would upload them.
            DomainTokens domainTokens = new DomainTokens(issuer, Clock.systemUTC());
            FederationSetup setup = new FederationSetup(registry, store, domain -> store, governanceToken,
                    domainTokens);
            for (DomainDataProduct product : products) {
                setup.ensureDomain(product.domain(), keys.get(product.domain()));
                setup.publish(product);
            }
            ModelPlan base = ModelPlan.demo(data.name(), PURPOSE, data.dataset().featureNames().size(),
                    data.dataset().classes().size(), state.strategy(), options.domains(), options.seed())
                    .withParticipation(options.minDomains(), options.deadlineSeconds()).withResubmit(options.resubmit());
            // Compared, both runs start with warm functions: a one-round model trains first, unmeasured, as the
            // functions of a federation that has been running are warm (else whichever run came first would pay the
            // JVMs' and libtorch's cold start, and the order would decide the comparison).
            ModelPlan warmUp = base.withId(base.id() + "-warm-up");
            List<ModelPlan> plans = options.compare()
                    ? List.of(warmUp, base.withId(base.id() + "-async").withBuffer(options.bufferSize()),
                            base.withId(base.id() + "-sync"))
                    : List.of(options.async() ? base.withBuffer(options.bufferSize()) : base);
            ModelPlan main = plans.get(plans.size() - 1);
            RunningMesh.here(mesh.registry(), mesh.objectStore().endpoint(), mesh.objectStore().region(),
                    state.bucket(), main.id()).write(layout);
            announceExternal(layout);
            out.flush();
            // The demo's own DJL engine (evaluation, baselines) shares the training deployments' libtorch cache.
            TorchEngine.start(layout.root().resolve("work"), OptionalInt.of(1));
            HoldOutEvaluator evaluator = new HoldOutEvaluator(
                    Architecture.mlp(main.inputs(), main.hidden(), main.classes()), split, ModelPlan.FEATURE_SCALING);
            GlobalModels globals = new GlobalModels(store, layout.work("governance"));
            RoundTrainer roundTrainer = new RoundTrainer(evaluator.architecture(), main.localEpochs(), main.batchSize(),
                    main.learningRate(), main.optimizer(), main.seed(), ModelPlan.FEATURE_SCALING);
            RoundResults results = new RoundResults(evaluator, globals,
                    new ParticipationReader(governance, options.domainNames()));
            Map<String, RoundLog> logs = new LinkedHashMap<>();
            for (ModelPlan plan : plans) {
                RoundLog roundLog = new RoundLog(options.compare() ? layout.roundLog(plan.id()) : layout.roundLog());
                logs.put(plan.id(), roundLog);
                // Each run gets its own participants: a straggler measures its first round again, so one run's
                // cold start never becomes the other's delay.
                List<Participant> participants = new DemoParticipants(options, out).build(mesh, registry, domainTokens,
                        governance, store, stores::domain, layout, split, roundTrainer, keys, plan.async());
                run(plan, plan == warmUp ? 1 : options.rounds(), setup, products, layout, governance, participants,
                        results, roundLog);
            }
            int status = new DemoSummary(options, out, err).write(logs.get(main.id()).read(), main, data.name(),
                    state.strategy(), results, evaluator, roundTrainer, globals, layout);
            if (options.compare()) {
                ModeComparison comparison = ModeComparison.of(results, logs.get(main.id()).read(),
                        logs.get(plans.get(1).id()).read(), options.rounds());
                comparison.addTo(layout.summaryJson());
                out.println(comparison.line());
                out.flush();
            }
            return status;
        }
    }

    /** Opens the model's first round (or buffer) and drives its rounds to the end. */
    private void run(ModelPlan plan, int rounds, FederationSetup setup, List<DomainDataProduct> products, MeshLayout layout,
                     RegistryClient governance, List<Participant> participants, RoundResults results,
                     RoundLog roundLog) {
        setup.ensureModel(plan);
        setup.ensureEnrolments(plan, products);
        int first = setup.ensureFirstRound(plan, layout.work("governance")).number();
        if (plan.async()) {
            out.printf("Federation ready: model %s, strategy %s, %d domains, asynchronous (FedBuff) buffers of %d"
                    + " updates; buffer %d is open.%n", plan.id(), plan.strategy(), options.domains(),
                    plan.bufferSize(), first);
        } else {
            out.printf("Federation ready: model %s, strategy %s, %d domains, quorum %d, round deadline %d s;"
                            + " round %d is open.%n", plan.id(), plan.strategy(), options.domains(),
                    plan.minDomains(), plan.roundDeadlineSeconds(), first);
        }
        out.flush();
        if (plan.async()) {
            try (BufferDriver driver = new BufferDriver(governance, participants)) {
                driver.run(plan.id(), rounds, outcome -> {
                    roundLog.append(outcome);
                    out.println(ConsoleReport.roundLine(results.of(outcome), rounds));
                    out.flush();
                });
            }
        } else {
            try (RoundDriver driver = new RoundDriver(governance, participants, options.sweepPeriod())) {
                new RoundLoop(governance, driver, roundLog, results, out).run(plan.id(), rounds);
            }
        }
    }

    /** How the user gets an external domain's credentials (the rounds wait for its update meanwhile). */
    private void announceExternal(MeshLayout layout) {
        for (String domain : options.externalDomains()) {
            out.printf("  %s is external: every round waits for its update (or its deadline). Its credentials:%n"
                            + "    ./meshfl domain-credentials %s --data-dir %s > %s.json   (token valid 1 h; --ttl)%n"
                            + "    PYTHONPATH=clients/python python3 -m meshfl_domain --credentials %s.json round%n",
                    domain, domain, layout.root(), domain, domain);
        }
    }

    /**
     * The embedded services (PostgreSQL, S3Proxy, Jetty, the event bridge) log through SLF4J's simple logger: into
     * {@code DATA_DIR/logs/mesh.log}, so the console shows the demo's progress only. It reads these properties
     * when the first logger is created, which is after this point.
     */
    private static void logToFile(MeshLayout layout) {
        try {
            Files.createDirectories(layout.logs());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + layout.logs(), e);
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", layout.logs().resolve("mesh.log").toString());
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSS");
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

    private List<DomainDataProduct> dataProducts(MeshLayout layout, MeshState state, DemoData data,
                                                 FederatedSplit split) {
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
