package io.meshfl.mesh.demo;

import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.strategy.FedAvg;
import io.meshfl.core.strategy.FedMedian;
import io.meshfl.core.strategy.StrategyFactory;
import io.meshfl.mesh.evaluation.Baselines;
import io.meshfl.mesh.evaluation.GlobalModels;
import io.meshfl.mesh.evaluation.HoldOutEvaluator;
import io.meshfl.mesh.evaluation.RoundTrainer;
import io.meshfl.mesh.federation.ModelPlan;
import io.meshfl.mesh.federation.RoundOutcome;
import io.meshfl.mesh.report.AttackComparison;
import io.meshfl.mesh.report.ConsoleReport;
import io.meshfl.mesh.report.DemoReport;
import io.meshfl.mesh.report.HtmlReport;
import io.meshfl.training.evaluate.Metrics;
import io.meshfl.mesh.report.RoundResult;
import io.meshfl.mesh.report.SummaryJson;
import io.meshfl.mesh.report.Timeline;
import io.meshfl.mesh.report.Verdict;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The end of a demo run: every recorded round measured, the baselines trained, summary.json and report.html
 * written, the comparison printed, and the {@code --require} checks turned into the exit status.
 */
final class DemoSummary {

    /** The exit status when a check named by {@code --require} does not hold (the run itself went well). */
    static final int REQUIRED_CHECK_FAILED = 3;

    private final DemoOptions options;
    private final PrintWriter out;
    private final PrintWriter err;

    DemoSummary(DemoOptions options, PrintWriter out, PrintWriter err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    /** Writes the reports for the rounds in {@code outcomes}; the demo's exit status. */
    int write(List<RoundOutcome> outcomes, ModelPlan plan, String dataset, String strategy, RoundResults results,
              HoldOutEvaluator evaluator, RoundTrainer trainer, GlobalModels globals, MeshLayout layout) {
        List<RoundResult> rounds = new ArrayList<>();
        String finalModel = plan.globalModelKey(options.rounds() + 1);
        for (RoundOutcome outcome : outcomes) {
            if (outcome.round() <= options.rounds()) {
                rounds.add(results.of(outcome));
                // After a failed last round, its retry starts from (and so the run ends with) the model before it.
                finalModel = outcome.nextGlobalModelKey();
            }
        }
        out.println("Training the baselines (each domain alone; all data pooled) with the training function's code…");
        out.flush();
        ModelWeights initial = globals.read(plan.globalModelKey(1));
        Baselines baselines = new Baselines(evaluator, trainer);
        Metrics federated = evaluator.federated(globals.read(finalModel)).union();
        Optional<AttackComparison> attack = Optional.empty();
        if (options.poison().isPresent()) {
            String replayStrategy = replayStrategy(strategy);
            out.println("Replaying the same rounds and the same attack with " + replayStrategy + ", in this process…");
            out.flush();
            attack = Optional.of(new AttackComparison(options.poison().get(), replayStrategy,
                    baselines.replay(initial, options.rounds(), StrategyFactory.create(replayStrategy,
                            ModelPlan.strategyParams(replayStrategy, options.domains())), options.poison())));
        }
        DemoReport report = new DemoReport(dataset, "local", strategy, options.domains(), options.rounds(), federated,
                baselines.centralized(initial, options.rounds()), baselines.localOnly(initial, options.rounds()), rounds,
                attack);
        Timeline timeline = Timeline.of(plan.async() ? DemoOptions.ASYNC : DemoOptions.SYNC, report,
                options.targetAccuracy());
        new SummaryJson().write(report, timeline, layout.summaryJson());
        new HtmlReport().write(report, timeline, layout.reportHtml());
        out.print(ConsoleReport.comparison(report));
        out.printf(java.util.Locale.ROOT, "Wall time of the %s rounds: %.1f s; accuracy %.4f first reached after %s%n",
                timeline.aggregation(), timeline.wallSeconds(), timeline.target(), timeline.secondsToTarget() == null
                        ? "never" : String.format(java.util.Locale.ROOT, "%.1f s (round %d)", timeline.secondsToTarget(),
                        timeline.roundAtTarget()));
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
        return 0;
    }

    /** Under attack, a robust strategy is compared with FedAvg, and FedAvg with the simplest robust one. */
    static String replayStrategy(String strategy) {
        return strategy.equals(FedAvg.NAME) ? FedMedian.NAME : FedAvg.NAME;
    }
}
