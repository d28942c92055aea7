package io.meshfl.mesh.demo;

import io.meshfl.auth.LocalTokenIssuer;
import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.strategy.FedAvg;
import io.meshfl.core.strategy.FedMedian;
import io.meshfl.core.strategy.StrategyFactory;
import io.meshfl.mesh.dataproduct.DataProductFiles;
import io.meshfl.mesh.dataproduct.DomainDataProduct;
import io.meshfl.mesh.dataset.DatasetException;
import io.meshfl.mesh.dataset.DomainShare;
import io.meshfl.mesh.dataset.FederatedSplit;
import io.meshfl.mesh.evaluation.Baselines;
import io.meshfl.mesh.evaluation.DomainEvaluation;
import io.meshfl.mesh.evaluation.GlobalModels;
import io.meshfl.mesh.evaluation.HoldOutEvaluator;
import io.meshfl.mesh.evaluation.ModelInputs;
import io.meshfl.mesh.evaluation.RoundTrainer;
import io.meshfl.mesh.federation.DomainScheduler;
import io.meshfl.mesh.federation.DomainSigningKey;
import io.meshfl.mesh.federation.FederationSetup;
import io.meshfl.mesh.federation.ModelPlan;
import io.meshfl.mesh.federation.Participant;
import io.meshfl.mesh.federation.PoisonedDomain;
import io.meshfl.mesh.federation.RoundDriver;
import io.meshfl.mesh.federation.RoundLog;
import io.meshfl.mesh.federation.RoundOutcome;
import io.meshfl.mesh.iam.RenderedPolicies;
import io.meshfl.mesh.objectstore.FederationAccess;
import io.meshfl.mesh.report.AttackComparison;
import io.meshfl.mesh.report.ConsoleReport;
import io.meshfl.mesh.report.DemoReport;
import io.meshfl.mesh.report.HtmlReport;
import io.meshfl.mesh.report.Metrics;
import io.meshfl.mesh.report.RoundResult;
import io.meshfl.mesh.report.SummaryJson;
import io.meshfl.mesh.report.Verdict;
import io.meshfl.registry.api.DashboardLoginLink;
import io.meshfl.registry.api.RegistryConnection;
import io.meshfl.registry.api.RegistryException;
import io.meshfl.training.engine.TorchEngine;
import io.meshfl.training.model.Architecture;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/** One {@code ./meshfl demo}: prepares the federation's data and identities, then runs the mesh. */
public final class DemoRun implements Callable<Integer> {

    /** The purpose the demo's model is trained for; every data product lists it as eligible. */
    public static final String PURPOSE = "demo-classification";
    private static final Duration ROUND_TIMEOUT = Duration.ofMinutes(10);
    /** The exit status when a check named by {@code --require} does not hold (the run itself went well). */
    static final int REQUIRED_CHECK_FAILED = 3;

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
            FunctionJars jars = FunctionJars.under(FunctionJars.repository());
            if (!jars.missing().isEmpty()) {
                err.println("meshfl demo: the functions are not built: " + jars.missing()
                        + "\n  run ./meshfl demo (it builds what is missing) or mvn -q package -DskipTests");
                return 1;
            }
            LocalTokenIssuer issuer = LocalTokenIssuer.inDirectory(layout.keys());
            RegistryTrust trust = new RegistryTrust(issuer.publicKeyPem(), issuer.issuer(), issuer.function());
            out.println("Starting the mesh (logs in " + layout.logs() + "):");
            out.flush();
            boolean interrupted = false;
            RenderedPolicies documents = options.iamPolicies().map(RenderedPolicies::fromFile)
                    .orElseGet(RenderedPolicies::shipped);
            MeshAccess access = new MeshAccess(new FederationAccess(documents, state.bucket(), options.domainNames()),
                    options.iamAudit());
            try (LocalMesh mesh = LocalMesh.start(layout, state, jars, trust, keys, access, out)) {
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
                    interrupted = !serve(mesh, issuer, layout);
                }
                return status;
            } finally {
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
        String governance = issuer.governance();
        try (MeshStores stores = new MeshStores(mesh.objectStore(), state, mesh.access())) {
            S3ObjectStore store = stores.governance();
            // A domain's training role may write its update and nothing else (the rendered policy's explicit Deny):
            // its rows reach domains/{d}/ through the mesh operator, as a domain's data pipeline would upload them.
            FederationSetup setup = new FederationSetup(registry, store, domain -> store, governance, issuer::domain);
            for (DomainDataProduct product : products) {
                setup.ensureDomain(product.domain(), keys.get(product.domain()));
                setup.publish(product);
            }
            ModelPlan plan = ModelPlan.demo(data.name(), PURPOSE, data.dataset().featureNames().size(),
                    data.dataset().classes().size(), state.strategy(), options.domains(), options.seed());
            setup.ensureModel(plan);
            setup.ensureEnrolments(plan, products);
            int first = setup.ensureFirstRound(plan, layout.work("governance")).number();
            out.printf("Federation ready: model %s, strategy %s, %d domains; round %d is open.%n", plan.id(),
                    state.strategy(), options.domains(), first);
            out.flush();
            RoundLog roundLog = new RoundLog(layout.roundLog());
            // The demo's own DJL engine (evaluation, baselines) shares the training deployments' libtorch cache.
            TorchEngine.start(layout.root().resolve("work"), OptionalInt.of(1));
            HoldOutEvaluator evaluator = new HoldOutEvaluator(
                    Architecture.mlp(plan.inputs(), plan.hidden(), plan.classes()), split, ModelPlan.FEATURE_SCALING);
            GlobalModels globals = new GlobalModels(store, layout.work("governance"));
            RoundTrainer roundTrainer = new RoundTrainer(evaluator.architecture(), plan.localEpochs(), plan.batchSize(),
                    plan.learningRate(), plan.optimizer(), plan.seed(), ModelPlan.FEATURE_SCALING);
            List<Participant> participants = new ArrayList<>();
            for (String domain : options.domainNames()) {
                if (options.poison().filter(domain::equals).isPresent()) {
                    participants.add(new PoisonedDomain(domain, registry.as(issuer.domain(domain)), stores.domain(domain),
                            new GlobalModels(store, layout.work(domain)), roundTrainer,
                            ModelInputs.rows(split.shares().stream().filter(s -> s.domain().equals(domain))
                                    .findFirst().orElseThrow().published()),
                            keys.get(domain).privateKeyBase64(), layout.work(domain)));
                    out.println("  " + domain + " is poisoned: it sends its updates sign-flipped and scaled by "
                            + PoisonedDomain.SCALE);
                } else {
                    participants.add(new DomainScheduler(domain, mesh.training(domain), issuer.domain(domain)));
                }
            }
            try (RoundDriver driver = new RoundDriver(registry.as(governance), participants, ROUND_TIMEOUT)) {
                for (int round = first; round <= options.rounds(); round++) {
                    RoundOutcome outcome = driver.runCurrentRound(plan.id());
                    roundLog.append(outcome);
                    out.println(ConsoleReport.roundLine(result(outcome, evaluator, globals), options.rounds()));
                    out.flush();
                }
            }
            List<RoundResult> rounds = new ArrayList<>();
            for (RoundOutcome outcome : roundLog.read()) {
                if (outcome.round() <= options.rounds()) {
                    rounds.add(result(outcome, evaluator, globals));
                }
            }
            out.println("Training the baselines (each domain alone; all data pooled) with the training function's code…");
            out.flush();
            ModelWeights initial = globals.read(plan.globalModelKey(1));
            Baselines baselines = new Baselines(evaluator, roundTrainer);
            Metrics federated = evaluator.federated(globals.read(plan.globalModelKey(options.rounds() + 1))).union();
            Optional<AttackComparison> attack = Optional.empty();
            if (options.poison().isPresent()) {
                String replayStrategy = replayStrategy(state.strategy());
                out.println("Replaying the same rounds and the same attack with " + replayStrategy + ", in this process…");
                out.flush();
                attack = Optional.of(new AttackComparison(options.poison().get(), replayStrategy,
                        baselines.replay(initial, options.rounds(), StrategyFactory.create(replayStrategy,
                                ModelPlan.strategyParams(replayStrategy, options.domains())), options.poison())));
            }
            DemoReport report = new DemoReport(data.name(), "local", state.strategy(), options.domains(),
                    options.rounds(), federated, baselines.centralized(initial, options.rounds()),
                    baselines.localOnly(initial, options.rounds()), rounds, attack);
            new SummaryJson().write(report, layout.summaryJson());
            new HtmlReport().write(report, layout.reportHtml());
            out.print(ConsoleReport.comparison(report));
            out.println("Wrote " + layout.summaryJson() + " and " + layout.reportHtml());
            out.flush();
            List<Verdict.Check> failed = options.requiredChecks().stream()
                    .filter(check -> !report.verdict().holds(check)).toList();
            if (!failed.isEmpty()) {
                err.println("meshfl demo: required acceptance checks failed: "
                        + failed.stream().map(Verdict.Check::option).toList() + " (see the verdict in "
                        + layout.summaryJson() + ")");
                return REQUIRED_CHECK_FAILED;
            }
        }
        return 0;
    }

    /** Under attack, a robust strategy is compared with FedAvg, and FedAvg with the simplest robust one. */
    static String replayStrategy(String strategy) {
        return strategy.equals(FedAvg.NAME) ? FedMedian.NAME : FedAvg.NAME;
    }

    /** A round's outcome with its global model measured on every domain's hold-out split. */
    private static RoundResult result(RoundOutcome outcome, HoldOutEvaluator evaluator, GlobalModels globals) {
        DomainEvaluation evaluation = evaluator.federated(globals.read(outcome.nextGlobalModelKey()));
        Map<String, Double> domains = new LinkedHashMap<>();
        evaluation.domains().forEach((domain, metrics) -> domains.put(domain, metrics.accuracy()));
        return new RoundResult(outcome.round(), outcome.accepted(), outcome.rejected(), evaluation.union().accuracy(),
                evaluation.union().loss(), domains, outcome.seconds());
    }

    /**
     * Keeps the mesh up (the registry's API and dashboard) until Ctrl-C (the shutdown hook stops it) or an interrupt;
     * false when interrupted.
     */
    private boolean serve(LocalMesh mesh, LocalTokenIssuer issuer, MeshLayout layout) {
        String token = issuer.governance();
        // The token goes into a 0600 file, never to the console or into a URL (history, proxy logs): the dashboard
        // link carries a one-time code the registry exchanges for the session cookie.
        PrivateFiles.write(layout.governanceToken(), token + "\n");
        DashboardLoginLink link = RegistryConnection.to(mesh.registry()).as(token).dashboardLogin();
        out.println("Serving until Ctrl-C:");
        out.println("  dashboard         " + mesh.registry().resolve(link.loginPath())
                + "  (one-time link, valid 2 min)");
        out.println("  registry API      " + mesh.registry() + " (OpenAPI at " + mesh.registry().resolve("/q/swagger-ui")
                + ")");
        out.println("  governance token  in " + layout.governanceToken() + " (valid "
                + LocalTokenIssuer.DEFAULT_LIFETIME.toHours() + " h), e.g. curl -H \"Authorization: Bearer $(cat "
                + layout.governanceToken() + ")\" " + mesh.registry().resolve("/models"));
        out.println("  new dashboard link: curl -X POST -H \"Authorization: Bearer $(cat " + layout.governanceToken()
                + ")\" " + mesh.registry().resolve("/dashboard/login/codes"));
        out.flush();
        try {
            Thread.currentThread().join();
            return true;
        } catch (InterruptedException e) {
            return false;
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
