package io.meshfl.mesh.demo;

import io.meshfl.core.strategy.StrategyFactory;
import io.meshfl.mesh.report.Verdict;
import java.util.Arrays;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** What {@code ./meshfl demo} can be told. Defaults give the README's demo: 4 domains, 10 rounds, FedAvg. */
public class DemoOptions {

    static final String SYNC = "sync";
    static final String ASYNC = "async";
    static final String COMPARE = "compare";

    @Option(names = "--domains", defaultValue = "4", paramLabel = "N",
            description = "Number of domains in the federation (default: ${DEFAULT-VALUE}).")
    int domains;

    @Option(names = "--rounds", defaultValue = "10", paramLabel = "R",
            description = "Federated rounds to run (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--strategy", defaultValue = "fedavg", paramLabel = "S",
            description = "Aggregation strategy: fedavg, fedavgm, fedadam, fedyogi, fedadagrad, median, trimmed-mean, krum, "
                    + "or multi-krum (default: ${DEFAULT-VALUE}).")
    String strategy;

    @Option(names = "--dataset", paramLabel = "FILE.csv",
            description = "A CSV with a header row (numeric features, a categorical label) instead of the generated dataset.")
    Path dataset;

    @Option(names = "--label", paramLabel = "COLUMN", description = "The label column of --dataset.")
    String label;

    @Option(names = "--alpha", defaultValue = "0.5", paramLabel = "A",
            description = "Dirichlet concentration of the label skew among domains: small is strongly non-IID (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--data-dir", defaultValue = ".meshfl", paramLabel = "DIR",
            description = "Where the mesh keeps its database, objects, keys, logs and reports (default: ./${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--fresh", description = "Wipe the data directory first instead of resuming from it.")
    boolean fresh;

    @Option(names = "--serve", description = "Keep the mesh (and its dashboard) running after the last round, until Ctrl-C.")
    boolean serve;

    @Option(names = "--poison", paramLabel = "DOMAIN",
            description = "Make this domain send scaled, sign-flipped updates (to compare robust strategies with FedAvg).")
    String poison;

    @Option(names = "--require", split = ",", paramLabel = "CHECK",
            description = "Exit with status 3 unless these acceptance checks hold: within-centralised (federated "
                    + "within 2 points of centralised), above-local (above every local-only model), or all.")
    List<String> require = new ArrayList<>();

    @Option(names = "--iam-policies", paramLabel = "FILE",
            description = "IAM documents the object store enforces, in the shape infra/terraform/render-policies.sh writes"
                    + " (default: the ones the Terraform policies module renders, shipped with the mesh).")
    Path iamPolicies;

    @Option(names = "--function-environments", paramLabel = "FILE",
            description = "The functions' containers (environment, mounted Secrets) the functions start with, in the shape"
                    + " infra/terraform/render-environments.sh writes (default: what the Knative modules render,"
                    + " shipped with the mesh).")
    Path functionEnvironments;

    @Option(names = "--iam-audit",
            description = "Only log the S3 calls the IAM documents deny (in DATA_DIR/logs/mesh.log) and let them through.")
    boolean iamAudit;

    @Option(names = "--min-domains", paramLabel = "M",
            description = "The round's quorum (the model's policy.minDomains): a round closes when every domain is in,"
                    + " or at the deadline if at least M are (default: every domain).")
    Integer minDomains;

    @Option(names = "--deadline", defaultValue = "600", paramLabel = "SECONDS",
            description = "The round deadline (the model's policy.roundDeadlineSeconds), judged by the registry's"
                    + " clock (default: ${DEFAULT-VALUE}).")
    int deadlineSeconds;

    @Option(names = "--sweep-period", defaultValue = "5", paramLabel = "SECONDS",
            description = "How often the mesh's timer calls the aggregation function's sweeper, which ends the rounds"
                    + " that are past their deadline (default: ${DEFAULT-VALUE}; a cloud schedule runs every 60 s).")
    int sweepPeriodSeconds;

    @Option(names = "--straggler", paramLabel = "DOMAIN:FACTOR", converter = Straggler.Converter.class,
            description = "Make this domain's training take FACTOR (≥ 1) times as long: its scheduler fires"
                    + " (FACTOR − 1) × its training time late, the time its previous trigger took (its first round is"
                    + " on time, being measured); a round that ended meanwhile is missed, not trained late."
                    + " Repeatable.")
    List<Straggler> stragglers = new ArrayList<>();

    @Option(names = "--fail", paramLabel = "DOMAIN:ROUND", converter = DomainFailure.Converter.class,
            description = "Switch this domain off from round ROUND on: its scheduler no longer triggers its training,"
                    + " so it uploads nothing. Repeatable.")
    List<DomainFailure> failures = new ArrayList<>();

    @Option(names = "--external", paramLabel = "DOMAIN",
            description = "Start the mesh without this domain's training function and let no scheduler trigger it: a"
                    + " client outside the mesh (the Python kit) plays the domain with the credentials of"
                    + " ./meshfl domain-credentials DOMAIN. It stays registered, enrolled and expected in every round."
                    + " Repeatable.")
    List<String> external = new ArrayList<>();

    @Option(names = "--resubmit",
            description = "Set the model's policy.resubmit: a domain whose update was REJECTED may upload a corrected one"
                    + " to its slot while the round is open (an ACCEPTED update is never replaced).")
    boolean resubmit;

    @Option(names = "--aggregation", defaultValue = SYNC, paramLabel = "MODE",
            description = "sync (rounds) or async (buffered asynchronous aggregation, FedBuff: every domain's scheduler"
                    + " fires on its own, from whatever version is current; --rounds counts buffers), or compare: both,"
                    + " one after the other on the same mesh, data and initial model after a warm-up round, and the"
                    + " async run's time to the"
                    + " sync run's final accuracy less 1 point as a share of the sync run's wall time"
                    + " (default: ${DEFAULT-VALUE}).")
    String aggregation;

    @Option(names = "--buffer-size", paramLabel = "K",
            description = "With --aggregation async or compare: the updates each buffer folds into the next version (the model's"
                    + " policy.bufferSize; default: one less than the domains, at least 1).")
    Integer bufferSize;

    @Option(names = "--target-accuracy", paramLabel = "A",
            description = "summary.json and report.html give the wall time until the global model first reached"
                    + " accuracy A (default: the run's final accuracy less 1 point).")
    Double targetAccuracy;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of the generated dataset, the split among domains and training (default: ${DEFAULT-VALUE}).")
    long seed;

    public int domains() {
        return domains;
    }

    public int rounds() {
        return rounds;
    }

    public String strategy() {
        return strategy;
    }

    public Optional<Path> dataset() {
        return Optional.ofNullable(dataset);
    }

    public String label() {
        return label;
    }

    public double alpha() {
        return alpha;
    }

    public Path dataDir() {
        return dataDir.toAbsolutePath().normalize();
    }

    public boolean fresh() {
        return fresh;
    }

    public boolean serve() {
        return serve;
    }

    public Optional<String> poison() {
        return Optional.ofNullable(poison);
    }

    public long seed() {
        return seed;
    }

    /** The round quorum: {@code --min-domains}, else every domain. */
    public int minDomains() {
        return minDomains != null ? minDomains : domains;
    }

    /** Whether the demo runs buffered asynchronous aggregation ({@code --aggregation async}). */
    public boolean async() {
        return ASYNC.equals(aggregation);
    }

    /** Whether the demo runs both modes one after the other and compares them ({@code --aggregation compare}). */
    public boolean compare() {
        return COMPARE.equals(aggregation);
    }

    public String aggregation() {
        return aggregation;
    }

    /** {@code --buffer-size}, else one less than the domains (at least 1). */
    public int bufferSize() {
        return bufferSize != null ? bufferSize : Math.max(1, domains - 1);
    }

    public Optional<Double> targetAccuracy() {
        return Optional.ofNullable(targetAccuracy);
    }

    public int deadlineSeconds() {
        return deadlineSeconds;
    }

    public Duration sweepPeriod() {
        return Duration.ofSeconds(sweepPeriodSeconds);
    }

    public List<Straggler> stragglers() {
        return List.copyOf(stragglers);
    }

    public List<DomainFailure> failures() {
        return List.copyOf(failures);
    }

    /** Whether the model's policy lets a domain replace a REJECTED update ({@code --resubmit}). */
    public boolean resubmit() {
        return resubmit;
    }

    /** The domains a client outside the mesh plays ({@code --external}). */
    public List<String> externalDomains() {
        return List.copyOf(external);
    }

    /** The acceptance checks {@code --require} names ({@code all} is every one). */
    public List<Verdict.Check> requiredChecks() {
        if (require.contains("all")) {
            return List.of(Verdict.Check.values());
        }
        return Arrays.stream(Verdict.Check.values()).filter(check -> require.contains(check.option())).toList();
    }

    public Optional<Path> iamPolicies() {
        return Optional.ofNullable(iamPolicies);
    }

    public Optional<Path> functionEnvironments() {
        return Optional.ofNullable(functionEnvironments);
    }

    public boolean iamAudit() {
        return iamAudit;
    }

    /** The domains' ids: {@code domain-1} … {@code domain-N}. */
    public List<String> domainNames() {
        List<String> names = new ArrayList<>();
        for (int d = 1; d <= domains; d++) {
            names.add("domain-" + d);
        }
        return names;
    }

    /** Every problem with these options, each naming the option; empty when they can be run. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (domains < 2 || domains > 64) {
            problems.add("--domains must be between 2 and 64, was " + domains);
        }
        if (rounds < 1 || rounds > 1_000) {
            problems.add("--rounds must be between 1 and 1000, was " + rounds);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            problems.add("--alpha must be a positive number, was " + alpha);
        }
        if (strategy == null || !StrategyFactory.names().contains(strategy)) {
            problems.add("--strategy must be one of " + StrategyFactory.names() + ", was '" + strategy + "'");
        } else if (strategy.equals(StrategyFactory.DP_FEDAVG)) {
            // A model gets server-side DP from its policy (policy.dp), which the demo's model does not set; dp-fedavg
            // without its clip norm and noise multiplier would be refused by the registry after the mesh started.
            problems.add("--strategy dp-fedavg needs a privacy policy the demo does not set: differential privacy is"
                    + " a model's policy.dp (see docs/registry-api.md), not a demo strategy");
        }
        if (dataset != null && (label == null || label.isBlank())) {
            problems.add("--dataset needs --label naming its label column");
        }
        if (dataset == null && label != null) {
            problems.add("--label is only meaningful with --dataset");
        }
        for (String check : require) {
            if (!check.equals("all") && Arrays.stream(Verdict.Check.values()).noneMatch(c -> c.option().equals(check))) {
                problems.add("--require " + check + " is not a check; use within-centralised, above-local or all");
            }
        }
        if (poison != null && !domainNames().contains(poison)) {
            problems.add("--poison " + poison + " is not one of the domains " + domainNames());
        }
        problems.addAll(participationProblems());
        return problems;
    }

    /** The quorum, the deadline, the sweeper and the domains that straggle or fail. */
    private List<String> participationProblems() {
        List<String> problems = new ArrayList<>();
        if (minDomains != null && (minDomains < 1 || minDomains > domains)) {
            problems.add("--min-domains must be between 1 and --domains (" + domains + "), was " + minDomains);
        }
        if (deadlineSeconds < 1) {
            problems.add("--deadline must be at least 1 second, was " + deadlineSeconds);
        }
        if (sweepPeriodSeconds < 1) {
            problems.add("--sweep-period must be at least 1 second, was " + sweepPeriodSeconds);
        }
        List<String> named = new ArrayList<>();
        for (Straggler straggler : stragglers) {
            problems.addAll(domainProblems("--straggler", straggler.domain(), named));
        }
        named.clear();
        for (DomainFailure failure : failures) {
            problems.addAll(domainProblems("--fail", failure.domain(), named));
        }
        problems.addAll(externalProblems());
        if (!SYNC.equals(aggregation) && !ASYNC.equals(aggregation) && !COMPARE.equals(aggregation)) {
            problems.add("--aggregation must be sync, async or compare, was '" + aggregation + "'");
        }
        if (COMPARE.equals(aggregation) && !external.isEmpty()) {
            // Three models in a row, each waiting for every domain: an outside client would have to play all three.
            problems.add("--aggregation compare runs three models one after the other; it takes no --external domain");
        }
        if (bufferSize != null && SYNC.equals(aggregation)) {
            problems.add("--buffer-size applies to --aggregation async or compare only");
        } else if (bufferSize != null && (bufferSize < 1 || bufferSize > domains)) {
            problems.add("--buffer-size must be between 1 and the " + domains + " domains (one update per domain per"
                    + " buffer), was " + bufferSize);
        }
        if (targetAccuracy != null && !(targetAccuracy > 0 && targetAccuracy <= 1)) {
            problems.add("--target-accuracy must be in (0, 1], was " + targetAccuracy);
        }
        return problems;
    }

    /**
     * An external domain is played from outside: the mesh cannot slow it down, switch it off or poison it, so those
     * options and {@code --external} exclude each other for one domain.
     */
    private List<String> externalProblems() {
        List<String> problems = new ArrayList<>();
        List<String> named = new ArrayList<>();
        for (String domain : external) {
            List<String> unknownOrTwice = domainProblems("--external", domain, named);
            problems.addAll(unknownOrTwice);
            if (!unknownOrTwice.isEmpty()) {
                continue;
            }
            if (stragglers.stream().anyMatch(straggler -> straggler.domain().equals(domain))) {
                problems.add("--external " + domain + " cannot also be a --straggler: the mesh does not run it");
            }
            if (failures.stream().anyMatch(failure -> failure.domain().equals(domain))) {
                problems.add("--external " + domain + " cannot also --fail: the mesh does not run it");
            }
            if (domain.equals(poison)) {
                problems.add("--external " + domain + " cannot also be --poison: the mesh does not run it");
            }
        }
        return problems;
    }

    /** An unknown domain, or one named twice by the same option. */
    private List<String> domainProblems(String option, String domain, List<String> named) {
        if (!domainNames().contains(domain)) {
            return List.of(option + " " + domain + " is not one of the domains " + domainNames());
        }
        if (named.contains(domain)) {
            return List.of(option + " names " + domain + " twice");
        }
        named.add(domain);
        return List.of();
    }
}
