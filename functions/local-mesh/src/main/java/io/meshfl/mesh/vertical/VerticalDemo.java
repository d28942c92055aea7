package io.meshfl.mesh.vertical;

import ai.djl.engine.Engine;
import io.meshfl.core.update.DomainKeyPair;
import io.meshfl.mesh.demo.DemoOptions;
import io.meshfl.training.engine.TorchEngine;
import io.meshfl.vertical.psi.EntityAlignment;
import io.meshfl.vertical.step.Optimiser;
import io.meshfl.vertical.step.VerticalRound;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/**
 * {@code ./meshfl demo --mode vertical}: deals a table's columns among domains that hold overlapping, differently
 * ordered subsets of its entities; aligns them by private set intersection through the local S3 server; trains the
 * split model through the step protocol twice (labels shared with the governance side; a domain owning labels and
 * head); trains the baselines (centralised, each domain alone) with the same recipe; and compares them all on the
 * same held-out entities.
 */
public final class VerticalDemo implements Callable<Integer> {

    static final double HOLD = 0.9;
    static final double HOLD_OUT = 0.3;
    /** Of the entities not held out, the share set aside to pick each model's pass (never used to train it). */
    static final double VALIDATION = 0.2;
    /** The private set intersection session both split models align by (scoring requests name it). */
    static final String SESSION = "psi-1";
    static final int BOOTSTRAP = 1000;

    private final DemoOptions options;
    private final VerticalOptions vertical;
    private final int domains;
    private final int passes;
    private final PrintWriter out;
    private final Optimiser optimiser;

    /** @param passes passes over the training entities (rounds of the split model), the same for every model */
    public VerticalDemo(DemoOptions options, VerticalOptions vertical, int domains, int passes, PrintWriter out) {
        this.options = options;
        this.vertical = vertical;
        this.domains = domains;
        this.passes = passes;
        this.out = out;
        this.optimiser = Optimiser.adam(vertical.learningRate).withWeightDecay(vertical.weightDecay);
    }

    @Override
    public Integer call() {
        Path dir = options.dataDir().resolve("vertical");
        wipe(dir);
        TorchEngine.start(options.dataDir().resolve("work"), OptionalInt.of(1));
        VerticalTable table = options.dataset()
                .map(file -> VerticalCsvReader.read(file, options.label(), vertical.entityKey))
                .orElseGet(() -> ImbalancedVerticalGenerator.generate(vertical.entities, domains, options.seed()));
        Map<String, List<Integer>> deal = vertical.columns != null ? ColumnDeal.parse(vertical.columns, table.columns())
                : ColumnDeal.contiguous(table.columns(), domains);
        HoldOutRule holdOut = new HoldOutRule(options.seed(), HOLD_OUT);
        HoldOutRule validation = new HoldOutRule(options.seed() + 2, VALIDATION);
        Map<String, DomainShard> shards = DomainShard.deal(table, deal, HOLD, holdOut, options.seed() + 1);
        List<String> notes = new ArrayList<>();
        notes.add("dataset: " + table.name() + ", " + table.rows() + " entities, " + table.columns().size()
                + " columns, positives " + String.format("%.2f %%", 100 * table.positiveRate()));
        shards.forEach((domain, shard) -> notes.add(domain + ": " + shard.columns() + " columns, " + shard.keys().size()
                + " entities (each entity held with probability " + HOLD + ", own order)"));
        out.println("meshfl demo --mode vertical: " + notes.get(0));

        try (VerticalMesh mesh = new VerticalMesh(dir.resolve("objects"))) {
            long start = System.nanoTime();
            Map<String, List<String>> keys = new LinkedHashMap<>();
            shards.forEach((domain, shard) -> keys.put(domain, shard.keys()));
            Map<String, EntityAlignment> aligned = mesh.align("vertical", SESSION, keys, options.seed());
            AlignedData data = AlignedData.of(table, shards, aligned, holdOut, validation);
            notes.add(String.format("private set intersection through the local S3 server: %d common entities "
                    + "(%d for training, %d for validation, %d held out) in %.1f s", data.size(),
                    data.trainPositions().length, data.validationPositions().length, data.evalPositions().length,
                    (System.nanoTime() - start) / 1e9));
            out.println(notes.get(notes.size() - 1));

            Map<String, DomainKeyPair> signingKeys = new LinkedHashMap<>();
            shards.keySet().forEach(domain -> signingKeys.put(domain, DomainKeyPair.generate()));
            signingKeys.put(VerticalRound.GOVERNANCE, DomainKeyPair.generate());
            String labelOwner = shards.keySet().iterator().next();
            PassSelection.Selected shared = splitRun(mesh, data, "vertical-shared", VerticalRound.GOVERNANCE,
                    signingKeys, notes);
            PassSelection.Selected owned = splitRun(mesh, data, "vertical-owner", labelOwner, signingKeys, notes);
            BinaryMetrics split = data.metrics(shared.evalLogits());
            BinaryMetrics owner = data.metrics(owned.evalLogits());

            // Same architecture, initial parameters, optimiser, batch plan, passes and model selection as the split
            // model: the centralised model differs from it only in where it is computed.
            seed();
            List<float[]> initial = SplitTraining.initialParameters(data.columnGroups());
            PassSelection.Selected centralised;
            try (CombinedModel model = new CombinedModel(data.columnGroups(), SplitTraining.BOTTOM_LAYERS,
                    SplitTraining.HEAD_LAYERS)) {
                centralised = DenseTraining.trainAndScore(model, initial, data.allColumns(), data.labels(),
                        data.trainPositions(), data.validationPositions(), data.evalPositions(), optimiser,
                        passes, vertical.patience, vertical.batchSize, options.seed());
            }
            note(notes, selectionNote("centralised", centralised));
            Map<String, BinaryMetrics> local = new LinkedHashMap<>();
            Map<String, PassSelection.Selected> alone = new LinkedHashMap<>();
            for (String domain : shards.keySet()) {
                AlignedData.Local own = data.local(domain, labelOwner);
                List<Integer> group = List.of(shards.get(domain).columns());
                seed();
                List<float[]> ownStart = SplitTraining.initialParameters(group);
                try (CombinedModel model = new CombinedModel(group, SplitTraining.BOTTOM_LAYERS,
                        SplitTraining.HEAD_LAYERS)) {
                    PassSelection.Selected selected = DenseTraining.trainAndScore(model, ownStart, own.features(),
                            own.labels(), own.trainRows(), own.validationRows(), own.evalRows(), optimiser,
                            passes, vertical.patience, vertical.batchSize, options.seed());
                    note(notes, selectionNote(domain + " alone", selected));
                    local.put(domain, data.metrics(selected.evalLogits()));
                    alone.put(domain, selected);
                }
            }
            note(notes, againstTheBestDomain(data, shared, local, alone));
            note(notes, denseReference(data));
            notes.add("architecture: bottoms " + SplitTraining.BOTTOM_LAYERS + " per domain, head "
                    + SplitTraining.HEAD_LAYERS + "; centralised: the same network in one place, from the same initial"
                    + " parameters; each domain alone: one bottom and the head; Adam " + vertical.learningRate
                    + (vertical.weightDecay > 0 ? " with decoupled weight decay " + vertical.weightDecay : "")
                    + ", batch " + vertical.batchSize + ", at most " + passes + " passes, each model evaluated at"
                    + " the pass with the lowest validation loss"
                    + (vertical.patience > 0 ? " and stopped " + vertical.patience + " passes after it" : "")
                    + " (" + data.validationPositions().length
                    + " validation entities, none held out); every model flags its top-scoring "
                    + String.format("%.2f %%", 100 * data.trainPositiveRate())
                    + " of the held-out entities (the training positive rate)");
            VerticalResults results = new VerticalResults(data.metrics(centralised.evalLogits()), split, owner, local,
                    notes);
            results.write(options.dataDir());
            out.print(results.console());
            out.println("wrote " + options.dataDir().resolve("summary.json") + " and "
                    + options.dataDir().resolve("report.html"));
            out.flush();
            return 0;
        }
    }

    private PassSelection.Selected splitRun(VerticalMesh mesh, AlignedData data, String model, String headOwner,
            Map<String, DomainKeyPair> keys, List<String> notes) {
        seed();
        try (SplitTraining training = new SplitTraining(new SplitTraining.Setup(mesh.store(), mesh.events(), model,
                headOwner, data.columns(), data.alignedLabels(), data.plan(vertical.batchSize, options.seed()),
                passes, optimiser, Duration.ofSeconds(options.deadlineSeconds()), options.sweepPeriod(),
                keys))) {
            return trainAndScore(training, data, model, headOwner, notes);
        }
    }

    private PassSelection.Selected trainAndScore(SplitTraining training, AlignedData data, String model, String headOwner,
            List<String> notes) {
        long start = System.nanoTime();
        PassSelection selection = new PassSelection(data.labels(), data.validationPositions());
        List<SplitTraining.RoundLog> log = training.train(round -> {
            selection.offer(round, training.score(data.validationPositions(), round),
                    () -> training.score(data.evalPositions(), round));
            return selection.exhausted(vertical.patience);
        });
        String note = String.format("split model '%s' (head owner %s): %d rounds of %d windows through the store in "
                + "%.1f s (with scoring the validation entities after each); head loss %.4f → %.4f", model, headOwner,
                log.size(), data.plan(vertical.batchSize, options.seed()).windows(), (System.nanoTime() - start) / 1e9,
                log.get(0).meanLoss(), log.get(log.size() - 1).meanLoss());
        notes.add(note);
        out.println(note);
        out.flush();
        note(notes, selectionNote("split model '" + model + "'", selection.selected()));
        note(notes, scoringCheck(training, data, model, selection.selected().pass(),
                data.metrics(selection.selected().evalLogits())));
        return selection.selected();
    }

    /**
     * Checks the split model's reported AUC from the other side: the held-out entities scored through the scoring
     * call (request, the parties' embeddings and the head's scores as objects and events through the local S3
     * server) at the selected pass's version must rank them exactly as the in-process evaluation did.
     */
    private String scoringCheck(SplitTraining training, AlignedData data, String model, int pass,
            BinaryMetrics reported) {
        List<String> pseudonyms = data.columns().values().iterator().next().pseudonyms();
        int[] eval = data.evalPositions();
        List<String> heldOut = java.util.Arrays.stream(eval).mapToObj(pseudonyms::get).toList();
        SplitTraining.Scored scored = training.scoreThroughStore("held-out", SESSION, heldOut, pass,
                Duration.ofMinutes(5));
        Map<String, Float> byPseudonym = new java.util.HashMap<>();
        for (int i = 0; i < scored.probabilities().length; i++) {
            byPseudonym.put(scored.request().pseudonyms().get(i), scored.probabilities()[i]);
        }
        float[] inEvalOrder = new float[eval.length];
        for (int i = 0; i < eval.length; i++) {
            inEvalOrder[i] = byPseudonym.get(heldOut.get(i));
        }
        double auc = data.metrics(inEvalOrder).auc();
        String note = String.format("split model '%s': the scoring call (request, embeddings and scores through the"
                + " local S3 server's events) scored the %d held-out entities at pass %d's version in %.1f s: AUC"
                + " %.6f from its scores, %.6f reported%s", model, eval.length, pass, scored.seconds(), auc,
                reported.auc(), auc == reported.auc() ? " (equal)" : " (DIFFERENT)");
        if (auc != reported.auc()) {
            throw new IllegalStateException(note);
        }
        return note;
    }

    /**
     * Not part of the acceptance, which compares split with the best domain's hold-out AUC (a maximum over the domains,
     * so biased upwards): how far that one difference can be trusted (paired bootstrap over the held-out entities),
     * and split against the domain one would pick without looking at the held-out entities (lowest validation loss).
     */
    private String againstTheBestDomain(AlignedData data, PassSelection.Selected split,
            Map<String, BinaryMetrics> local, Map<String, PassSelection.Selected> alone) {
        String best = local.entrySet().stream().max(Map.Entry.comparingByValue(
                Comparator.comparingDouble(BinaryMetrics::auc))).orElseThrow().getKey();
        String picked = alone.entrySet().stream().min(Map.Entry.comparingByValue(
                Comparator.comparingDouble(PassSelection.Selected::validationLoss))).orElseThrow().getKey();
        PairedBootstrap.Interval interval = PairedBootstrap.aucDifference(split.evalLogits(),
                alone.get(best).evalLogits(), data.evalPositives(), BOOTSTRAP, options.seed());
        double splitAuc = data.metrics(split.evalLogits()).auc();
        return String.format(java.util.Locale.ROOT, "split (labels shared) − best domain alone (%s) on the held-out"
                + " entities: %+.4f AUC, paired bootstrap 95 %% interval [%+.4f, %+.4f] (%d resamples); the domain with"
                + " the lowest validation loss is %s: split − it %+.4f", best, interval.difference(), interval.low(),
                interval.high(), BOOTSTRAP, picked, splitAuc - local.get(picked).auc());
    }

    private void note(List<String> notes, String note) {
        notes.add(note);
        out.println(note);
        out.flush();
    }

    private String selectionNote(String model, PassSelection.Selected selected) {
        return String.format("%s: evaluated after pass %d (validation loss %.4f); %d of at most %d passes ran",
                model, selected.pass(), selected.validationLoss(), selected.passesRun(), passes);
    }

    /**
     * Not in the acceptance comparison, a reference: one dense MLP over all columns (first two layers [16·N, 8·N],
     * then the head), same recipe. It shows what the block structure of the split architecture costs, if anything.
     */
    private String denseReference(AlignedData data) {
        int n = data.columnGroups().size();
        int width = data.columnGroups().stream().mapToInt(Integer::intValue).sum();
        List<Integer> layers = List.of(16 * n, 8 * n);
        seed();
        try (CombinedModel model = new CombinedModel(List.of(width), layers, SplitTraining.HEAD_LAYERS)) {
            PassSelection.Selected dense = DenseTraining.trainAndScore(model, model.values(), data.allColumns(),
                    data.labels(), data.trainPositions(), data.validationPositions(), data.evalPositions(),
                    optimiser, passes, vertical.patience, vertical.batchSize, options.seed());
            BinaryMetrics metrics = data.metrics(dense.evalLogits());
            return String.format("reference, not compared for acceptance: a dense MLP over all columns, layers %s then"
                    + " the head, same recipe: AUC %.4f (pass %d)", layers, metrics.auc(), dense.pass());
        }
    }

    private void seed() {
        Engine.getEngine(TorchEngine.ENGINE_NAME).setRandomSeed((int) options.seed());
    }

    private static void wipe(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clear " + dir, e);
        }
    }
}
