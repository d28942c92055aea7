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
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code ./meshfl demo --mode vertical}: deals a table's columns among domains that hold overlapping, differently
 * ordered subsets of its entities; aligns them by private set intersection through the local S3 server; trains the
 * split model through the step protocol twice (labels shared with the governance side; a domain owning labels and
 * head); trains the baselines (centralised, each domain alone) with the same recipe; and compares them all on the
 * same held-out entities, or with {@code --folds} on every fold of a stratified cross-validation.
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

    /** What one comparison trained: each model's selected pass and held-out logits. */
    private record Comparison(PassSelection.Selected shared, PassSelection.Selected owned,
                              PassSelection.Selected centralised, Map<String, PassSelection.Selected> alone,
                              Map<String, PassSelection.Selected> aloneOwnRows) {
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
        Map<String, DomainShard> raw = DomainShard.deal(table, deal, HOLD, options.seed() + 1);
        List<String> notes = new ArrayList<>();
        notes.add("dataset: " + table.name() + ", " + table.rows() + " entities, " + table.columns().size()
                + " columns, positives " + String.format("%.2f %%", 100 * table.positiveRate()));
        raw.forEach((domain, shard) -> notes.add(domain + ": " + shard.columns() + " columns, " + shard.keys().size()
                + " entities (each entity held with probability " + HOLD + ", own order)"));
        out.println("meshfl demo --mode vertical: " + notes.get(0));

        try (VerticalMesh mesh = new VerticalMesh(dir.resolve("objects"))) {
            long start = System.nanoTime();
            Map<String, List<String>> keys = new LinkedHashMap<>();
            raw.forEach((domain, shard) -> keys.put(domain, shard.keys()));
            Map<String, EntityAlignment> aligned = mesh.align("vertical", SESSION, keys, options.seed());
            double psiSeconds = (System.nanoTime() - start) / 1e9;

            Map<String, DomainKeyPair> signingKeys = new LinkedHashMap<>();
            raw.keySet().forEach(domain -> signingKeys.put(domain, DomainKeyPair.generate()));
            signingKeys.put(VerticalRound.GOVERNANCE, DomainKeyPair.generate());
            String labelOwner = raw.keySet().iterator().next();
            VerticalResults results = vertical.folds > 0
                    ? crossValidate(mesh, table, raw, aligned, psiSeconds, signingKeys, labelOwner, notes)
                    : holdOut(mesh, table, raw, aligned, psiSeconds, signingKeys, labelOwner, notes);
            results.write(options.dataDir());
            out.print(results.console());
            out.println("wrote " + options.dataDir().resolve("summary.json") + " and "
                    + options.dataDir().resolve("report.html"));
            out.flush();
            return 0;
        }
    }

    /** The default comparison: one public hold-out rule over the entity keys, one validation rule inside the rest. */
    private VerticalResults holdOut(VerticalMesh mesh, VerticalTable table, Map<String, DomainShard> raw,
            Map<String, EntityAlignment> aligned, double psiSeconds, Map<String, DomainKeyPair> signingKeys,
            String labelOwner, List<String> notes) {
        HoldOutRule holdOut = new HoldOutRule(options.seed(), HOLD_OUT);
        HoldOutRule validation = new HoldOutRule(options.seed() + 2, VALIDATION);
        Map<String, DomainShard> shards = DomainShard.standardised(raw, holdOut::heldOut);
        AlignedData data = AlignedData.of(table, shards, aligned, holdOut, validation);
        note(notes, String.format("private set intersection through the local S3 server: %d common entities "
                + "(%d for training, %d for validation, %d held out) in %.1f s", data.size(),
                data.trainPositions().length, data.validationPositions().length, data.evalPositions().length,
                psiSeconds));
        Comparison run = compare(mesh, data, "", signingKeys, labelOwner, notes, false, true);
        Map<String, BinaryMetrics> local = new LinkedHashMap<>();
        run.alone().forEach((domain, selected) -> local.put(domain, data.metrics(selected.evalLogits())));
        note(notes, againstTheBestDomain(data, run.shared(), local, run.alone()));
        note(notes, denseReference(data));
        notes.add(architectureNote(data.validationPositions().length + " validation entities, none held out",
                data.trainPositiveRate()) + "; each domain alone trains on its own rows that the label owner labels"
                + " (more than the common entities)");
        return new VerticalResults(data.metrics(run.centralised().evalLogits()), data.metrics(run.shared().evalLogits()),
                data.metrics(run.owned().evalLogits()), local, notes);
    }

    /**
     * {@code --folds K}: stratified K-fold cross-validation over the aligned entities, {@code --repeats} times. In every
     * fold every model (centralised, both split configurations through the store, each domain alone on the same
     * entities, and each domain alone with its own extra rows as a reference) trains on the same training folds, picks
     * its pass on the same validation fold and is tested on the same test fold; the domains standardise their columns
     * without the test fold's entities.
     */
    private VerticalResults crossValidate(VerticalMesh mesh, VerticalTable table, Map<String, DomainShard> raw,
            Map<String, EntityAlignment> aligned, double psiSeconds, Map<String, DomainKeyPair> signingKeys,
            String labelOwner, List<String> notes) {
        AlignedData all = AlignedData.of(table, raw, aligned, key -> false, key -> false);
        float[] labels = all.labels();
        note(notes, String.format("private set intersection through the local S3 server: %d common entities in %.1f s;"
                + " %d-fold stratified cross-validation over them, %d repeat(s): per fold one fold tests, the next"
                + " validates, the other %d train", all.size(), psiSeconds, vertical.folds, vertical.repeats,
                vertical.folds - 2));
        List<FoldResults.Fold> folds = new ArrayList<>();
        double positiveRate = 0;
        for (int repeat = 1; repeat <= vertical.repeats; repeat++) {
            for (StratifiedFolds.Fold fold : StratifiedFolds.folds(labels, vertical.folds, repeat, options.seed())) {
                Set<String> testKeys = keysAt(table, all, fold.test());
                Set<String> validationKeys = keysAt(table, all, fold.validation());
                Map<String, DomainShard> shards = DomainShard.standardised(raw, testKeys::contains);
                AlignedData data = AlignedData.of(table, shards, aligned, testKeys::contains, validationKeys::contains);
                if (!Arrays.equals(data.evalPositions(), fold.test())
                        || !Arrays.equals(data.validationPositions(), fold.validation())) {
                    throw new IllegalStateException("The domains derived other positions for fold " + fold.fold()
                            + " than the label owner assigned");
                }
                String suffix = "-r" + repeat + "-f" + fold.fold();
                note(notes, String.format("fold %d of repeat %d: %d training, %d validation, %d test entities (%d"
                        + " positive)", fold.fold(), repeat, fold.train().length, fold.validation().length,
                        fold.test().length, count(data.evalPositives())));
                // The scoring call is checked on the first fold: every fold's split models run the same code.
                Comparison run = compare(mesh, data, suffix, signingKeys, labelOwner, notes, true, folds.isEmpty());
                Map<String, BinaryMetrics> local = new LinkedHashMap<>();
                run.alone().forEach((domain, selected) -> local.put(domain, data.metrics(selected.evalLogits())));
                Map<String, BinaryMetrics> ownRows = new LinkedHashMap<>();
                run.aloneOwnRows().forEach((domain, selected) -> ownRows.put(domain,
                        data.metrics(selected.evalLogits())));
                FoldResults.Fold result = new FoldResults.Fold(repeat, fold.fold(), fold.test().length,
                        count(data.evalPositives()), fold.train().length + fold.validation().length,
                        data.metrics(run.centralised().evalLogits()), data.metrics(run.shared().evalLogits()),
                        data.metrics(run.owned().evalLogits()), local, ownRows);
                folds.add(result);
                positiveRate += data.trainPositiveRate();
                StringBuilder line = new StringBuilder(String.format(java.util.Locale.ROOT,
                        "repeat %d, fold %d, AUC: centralised %.4f, split %.4f, split (domain owns labels) %.4f", repeat,
                        fold.fold(), result.centralised().auc(), result.split().auc(), result.splitLabelOwner().auc()));
                local.forEach((domain, m) -> line.append(String.format(java.util.Locale.ROOT, ", %s %.4f", domain,
                        m.auc())));
                note(notes, line.toString());
            }
        }
        FoldResults results = new FoldResults(vertical.folds, vertical.repeats, folds);
        notes.add(architectureNote("the validation fold", positiveRate / folds.size())
                + "; each domain alone trains on the same entities as split (its own extra rows only in the reference"
                + " rows \"(own rows)\"); results are the means over the test folds");
        Map<String, BinaryMetrics> local = new LinkedHashMap<>();
        results.domains().forEach(domain -> local.put(domain, results.mean(fold -> fold.local().get(domain))));
        return new VerticalResults(results.mean(FoldResults.Fold::centralised), results.mean(FoldResults.Fold::split),
                results.mean(FoldResults.Fold::splitLabelOwner), local, notes, results);
    }

    /**
     * Trains every model of one comparison on {@code data}: both split configurations through the store, the
     * centralised model, and each domain alone (on the same entities if {@code sameEntities}, with its own rows as a
     * reference too; otherwise on its own rows only); with {@code scoringCheck}, scores the held-out entities of both
     * split models through the scoring call too.
     */
    private Comparison compare(VerticalMesh mesh, AlignedData data, String suffix, Map<String, DomainKeyPair> signingKeys,
            String labelOwner, List<String> notes, boolean sameEntities, boolean scoringCheck) {
        PassSelection.Selected shared = splitRun(mesh, data, "vertical-shared" + suffix, VerticalRound.GOVERNANCE,
                signingKeys, notes, scoringCheck);
        PassSelection.Selected owned = splitRun(mesh, data, "vertical-owner" + suffix, labelOwner, signingKeys, notes,
                scoringCheck);

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
        Map<String, PassSelection.Selected> alone = new LinkedHashMap<>();
        Map<String, PassSelection.Selected> aloneOwnRows = new LinkedHashMap<>();
        for (String domain : data.shards().keySet()) {
            if (sameEntities) {
                alone.put(domain, trainAlone(data, domain, data.sameEntities(domain), domain + " alone", notes));
                aloneOwnRows.put(domain, trainAlone(data, domain, data.local(domain, labelOwner),
                        domain + " alone with its own rows", notes));
            } else {
                alone.put(domain, trainAlone(data, domain, data.local(domain, labelOwner), domain + " alone", notes));
            }
        }
        return new Comparison(shared, owned, centralised, alone, aloneOwnRows);
    }

    private PassSelection.Selected trainAlone(AlignedData data, String domain, AlignedData.Local own, String name,
            List<String> notes) {
        List<Integer> group = List.of(data.shards().get(domain).columns());
        seed();
        List<float[]> ownStart = SplitTraining.initialParameters(group);
        try (CombinedModel model = new CombinedModel(group, SplitTraining.BOTTOM_LAYERS, SplitTraining.HEAD_LAYERS)) {
            PassSelection.Selected selected = DenseTraining.trainAndScore(model, ownStart, own.features(),
                    own.labels(), own.trainRows(), own.validationRows(), own.evalRows(), optimiser,
                    passes, vertical.patience, vertical.batchSize, options.seed());
            note(notes, selectionNote(name, selected));
            return selected;
        }
    }

    private String architectureNote(String validation, double positiveRate) {
        return "architecture: bottoms " + SplitTraining.BOTTOM_LAYERS + " per domain, head "
                + SplitTraining.HEAD_LAYERS + "; centralised: the same network in one place, from the same initial"
                + " parameters; each domain alone: one bottom and the head; Adam " + vertical.learningRate
                + (vertical.weightDecay > 0 ? " with decoupled weight decay " + vertical.weightDecay : "")
                + ", batch " + vertical.batchSize + ", at most " + passes + " passes, each model evaluated at"
                + " the pass with the lowest validation loss"
                + (vertical.patience > 0 ? " and stopped " + vertical.patience + " passes after it" : "")
                + " (" + validation + "); every model flags its top-scoring "
                + String.format("%.2f %%", 100 * positiveRate)
                + " of the held-out entities (the training positive rate)";
    }

    private static Set<String> keysAt(VerticalTable table, AlignedData all, int[] positions) {
        Set<String> keys = new HashSet<>();
        for (int position : positions) {
            keys.add(table.entityKeys().get(all.tableRowAt()[position]));
        }
        return keys;
    }

    private static int count(boolean[] values) {
        int n = 0;
        for (boolean value : values) {
            n += value ? 1 : 0;
        }
        return n;
    }

    private PassSelection.Selected splitRun(VerticalMesh mesh, AlignedData data, String model, String headOwner,
            Map<String, DomainKeyPair> keys, List<String> notes, boolean scoringCheck) {
        seed();
        try (SplitTraining training = new SplitTraining(new SplitTraining.Setup(mesh.store(), mesh.events(), model,
                headOwner, data.columns(), data.alignedLabels(), data.plan(vertical.batchSize, options.seed()),
                passes, optimiser, Duration.ofSeconds(options.deadlineSeconds()), options.sweepPeriod(),
                keys))) {
            return trainAndScore(training, data, model, headOwner, notes, scoringCheck);
        }
    }

    private PassSelection.Selected trainAndScore(SplitTraining training, AlignedData data, String model, String headOwner,
            List<String> notes, boolean scoringCheck) {
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
        if (scoringCheck) {
            note(notes, scoringCheck(training, data, model, selection.selected().pass(),
                    data.metrics(selection.selected().evalLogits())));
        }
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
