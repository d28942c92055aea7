package io.meshfl.mesh.vertical;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The vertical demo's comparison under {@code --folds}: every model's metrics on every test fold (all trained and
 * evaluated on the same folds of the aligned entities), their means and standard deviations, and the paired per-fold
 * AUC differences of split against the others with a 95 % interval from the corrected resampled t-test (Nadeau and
 * Bengio 2003): the variance of the fold differences is inflated by {@code 1/n + n_test/n_train} instead of
 * {@code 1/n}, since the folds' training sets overlap and their differences are not independent; without the
 * correction the interval is far too narrow.
 *
 * @param folds one entry per test fold, repeats in order
 */
record FoldResults(int k, int repeats, List<Fold> folds) {

    /** One test fold: its size, the entities the models learned from (train + validation), each model's metrics. */
    record Fold(int repeat, int fold, int tested, int positives, int learnedFrom, BinaryMetrics centralised,
                BinaryMetrics split, BinaryMetrics splitLabelOwner, Map<String, BinaryMetrics> local,
                Map<String, BinaryMetrics> localOwnRows) {
    }

    /** Mean and sample standard deviation over the folds. */
    record Spread(double mean, double sd) {
    }

    /** The paired per-fold differences a − b of one metric, their mean, sd and corrected 95 % interval. */
    record Difference(String a, String b, double[] perFold, double mean, double sd, double low, double high) {
    }

    FoldResults {
        folds = List.copyOf(folds);
        if (folds.isEmpty()) {
            throw new IllegalArgumentException("No fold was evaluated");
        }
    }

    List<String> domains() {
        return List.copyOf(folds.get(0).local().keySet());
    }

    /** Every model compared, by name: centralised, split, splitLabelOwner, each domain, each domain with its own rows. */
    Map<String, Function<Fold, BinaryMetrics>> models() {
        Map<String, Function<Fold, BinaryMetrics>> models = new LinkedHashMap<>();
        models.put("centralised", Fold::centralised);
        models.put("split", Fold::split);
        models.put("splitLabelOwner", Fold::splitLabelOwner);
        for (String domain : domains()) {
            models.put(domain, fold -> fold.local().get(domain));
        }
        for (String domain : domains()) {
            models.put(domain + " (own rows)", fold -> fold.localOwnRows().get(domain));
        }
        return models;
    }

    /** Each metric's mean over the folds: the value summary.json's {@code results} reports for the model. */
    BinaryMetrics mean(Function<Fold, BinaryMetrics> model) {
        return new BinaryMetrics(spread(model, BinaryMetrics::auc).mean(), spread(model, BinaryMetrics::precision).mean(),
                spread(model, BinaryMetrics::recall).mean(), spread(model, BinaryMetrics::f1).mean());
    }

    Spread spread(Function<Fold, BinaryMetrics> model, ToDoubleFunction<BinaryMetrics> metric) {
        double[] values = folds.stream().mapToDouble(fold -> metric.applyAsDouble(model.apply(fold))).toArray();
        return new Spread(mean(values), sd(values));
    }

    /** The domain alone (same entities) with the highest mean AUC over the folds. */
    String bestDomain() {
        String best = null;
        double bestAuc = Double.NEGATIVE_INFINITY;
        for (String domain : domains()) {
            double auc = spread(fold -> fold.local().get(domain), BinaryMetrics::auc).mean();
            if (auc > bestAuc) {
                best = domain;
                bestAuc = auc;
            }
        }
        return best;
    }

    /** The paired per-fold AUC differences of model {@code a} minus model {@code b} (names of {@link #models()}). */
    Difference aucDifference(String a, String b) {
        Function<Fold, BinaryMetrics> first = models().get(a);
        Function<Fold, BinaryMetrics> second = models().get(b);
        double[] d = folds.stream().mapToDouble(fold -> first.apply(fold).auc() - second.apply(fold).auc()).toArray();
        double mean = mean(d);
        double sd = sd(d);
        double testShare = folds.stream().mapToDouble(fold -> (double) fold.tested() / fold.learnedFrom()).average()
                .orElseThrow();
        double half = d.length < 2 ? Double.NaN
                : tQuantile975(d.length - 1) * Math.sqrt((1.0 / d.length + testShare) * sd * sd);
        return new Difference(a, b, d, mean, sd, mean - half, mean + half);
    }

    /** The differences the demo reports: split (both configurations) against centralised and every domain alone. */
    List<Difference> differences() {
        List<Difference> differences = new ArrayList<>();
        for (String split : List.of("split", "splitLabelOwner")) {
            differences.add(aucDifference(split, "centralised"));
            for (String domain : domains()) {
                differences.add(aucDifference(split, domain));
            }
        }
        for (String domain : domains()) {
            differences.add(aucDifference("split", domain + " (own rows)"));
        }
        return differences;
    }

    /** summary.json's {@code folds} section. */
    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("k", k);
        json.put("repeats", repeats);
        json.put("metric", "mean over the test folds; sd is the sample standard deviation over them");
        Map<String, Object> spreads = new LinkedHashMap<>();
        models().forEach((name, model) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("auc", spreadJson(spread(model, BinaryMetrics::auc)));
            m.put("precision", spreadJson(spread(model, BinaryMetrics::precision)));
            m.put("recall", spreadJson(spread(model, BinaryMetrics::recall)));
            m.put("f1", spreadJson(spread(model, BinaryMetrics::f1)));
            spreads.put(name, m);
        });
        json.put("models", spreads);
        json.put("bestDomain", bestDomain());
        List<Object> differences = new ArrayList<>();
        for (Difference d : differences()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("a", d.a());
            m.put("b", d.b());
            m.put("meanAucDifference", d.mean());
            m.put("sd", d.sd());
            m.put("corrected95", List.of(d.low(), d.high()));
            m.put("perFold", d.perFold());
            differences.add(m);
        }
        json.put("aucDifferences", differences);
        List<Object> perFold = new ArrayList<>();
        for (Fold fold : folds) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("repeat", fold.repeat());
            m.put("fold", fold.fold());
            m.put("tested", fold.tested());
            m.put("positives", fold.positives());
            m.put("learnedFrom", fold.learnedFrom());
            Map<String, Object> auc = new LinkedHashMap<>();
            models().forEach((name, model) -> auc.put(name, model.apply(fold).auc()));
            m.put("auc", auc);
            perFold.add(m);
        }
        json.put("perFold", perFold);
        return json;
    }

    /** The console's and the report's lines: each model's mean ± sd, then the paired differences. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%d-fold stratified cross-validation, %d repeat(s): %d test folds; mean ± sd"
                + " over them (every model trained and tested on the same folds of the aligned entities)", k, repeats,
                folds.size()));
        models().forEach((name, model) -> {
            Spread auc = spread(model, BinaryMetrics::auc);
            Spread f1 = spread(model, BinaryMetrics::f1);
            lines.add(String.format(Locale.ROOT, "  %-28s AUC %.4f ± %.4f   F1 %.4f ± %.4f", name, auc.mean(), auc.sd(),
                    f1.mean(), f1.sd()));
        });
        lines.add("paired per-fold AUC differences, mean [corrected resampled t 95 % interval] (Nadeau–Bengio):");
        for (Difference d : differences()) {
            lines.add(String.format(Locale.ROOT, "  %-15s − %-22s %+.4f [%+.4f, %+.4f], %s", d.a(), d.b(), d.mean(),
                    d.low(), d.high(), verdict(d)));
        }
        return lines;
    }

    private static String verdict(Difference d) {
        if (d.low() > 0) {
            return "ahead";
        }
        if (d.high() < 0) {
            return "behind";
        }
        return "not distinguishable from 0";
    }

    private static Map<String, Object> spreadJson(Spread spread) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", spread.mean());
        m.put("sd", spread.sd());
        return m;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double sd(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double mean = mean(values);
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return Math.sqrt(squares / (values.length - 1));
    }

    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201,
        2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052,
        2.048, 2.045, 2.042};

    /**
     * Student's t 97.5th percentile: the table to 30 degrees of freedom, beyond it the Cornish–Fisher expansion
     * around the normal quantile (within 0.001 there).
     */
    static double tQuantile975(int degreesOfFreedom) {
        if (degreesOfFreedom < 1) {
            throw new IllegalArgumentException("degrees of freedom must be at least 1, was " + degreesOfFreedom);
        }
        if (degreesOfFreedom <= T975.length) {
            return T975[degreesOfFreedom - 1];
        }
        double z = 1.959964;
        double n = degreesOfFreedom;
        return z + (z * z * z + z) / (4 * n) + (5 * Math.pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * n * n);
    }
}
