package io.meshfl.vertical.step;

import io.meshfl.core.update.DomainKeyPair;
import io.meshfl.core.update.SignatureVerifier;
import io.meshfl.vertical.scoring.HeadScoring;
import io.meshfl.vertical.scoring.PartyScoring;
import io.meshfl.core.update.UpdateSigner;
import io.meshfl.vertical.split.BottomModel;
import io.meshfl.vertical.split.HeadModel;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A two-party split model for step-protocol tests: alpha holds columns 0..2, beta columns 3..6 of the same aligned
 * positions, the governance side holds the labels and the head. Every new step instance (a "function instance")
 * starts from the same initial parameters, so runs can be compared bit for bit.
 */
public final class TwoPartySplit {

    static final String MODEL = "churn";
    static final int ALPHA_COLUMNS = 3;
    static final int BETA_COLUMNS = 4;
    static final List<Integer> ALPHA_LAYERS = List.of(8, 4);
    static final List<Integer> BETA_LAYERS = List.of(6, 3);
    static final List<Integer> HEAD_LAYERS = List.of(5, 1);

    final int positions;
    final float[] all;
    final float[] labels;
    final List<String> pseudonyms;
    final Map<String, DomainKeyPair> keys = Map.of("alpha", DomainKeyPair.generate(), "beta", DomainKeyPair.generate(),
            VerticalRound.GOVERNANCE, DomainKeyPair.generate());
    private final List<float[]> alphaInitial;
    private final List<float[]> betaInitial;
    private final List<float[]> headInitial;

    public TwoPartySplit(int positions, long seed) {
        this.positions = positions;
        Random random = new Random(seed);
        all = new float[positions * (ALPHA_COLUMNS + BETA_COLUMNS)];
        for (int i = 0; i < all.length; i++) {
            all[i] = (float) random.nextGaussian();
        }
        labels = new float[positions];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < positions; i++) {
            labels[i] = random.nextBoolean() ? 1 : 0;
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            names.add(HexFormat.of().formatHex(bytes));
        }
        pseudonyms = names.stream().sorted().toList();
        try (BottomModel alpha = new BottomModel("alpha", ALPHA_COLUMNS, ALPHA_LAYERS);
                BottomModel beta = new BottomModel("beta", BETA_COLUMNS, BETA_LAYERS);
                HeadModel head = new HeadModel(List.of(4, 3), HEAD_LAYERS)) {
            alphaInitial = alpha.mlp().values();
            betaInitial = beta.mlp().values();
            headInitial = head.mlp().values();
        }
    }

    public List<float[]> initialParameters() {
        List<float[]> all = new ArrayList<>(alphaInitial);
        all.addAll(betaInitial);
        all.addAll(headInitial);
        return all;
    }

    public VerticalRound round(int round, WindowPlan plan, Instant deadline, Optimiser optimiser) {
        return new VerticalRound(MODEL, round, List.of("alpha", "beta"), VerticalRound.GOVERNANCE, plan.windows(),
                deadline, optimiser);
    }

    public WindowPlan plan(int batchSize) {
        int[] train = new int[positions];
        for (int i = 0; i < positions; i++) {
            train[i] = i;
        }
        return new WindowPlan(train, batchSize, 11);
    }

    /** A new head instance (its own DJL model) with the common initial parameters. */
    public HeadStep head(WindowPlan plan, Clock clock) {
        HeadModel model = new HeadModel(List.of(4, 3), HEAD_LAYERS);
        model.mlp().load(headInitial);
        return new HeadStep(plan, new AlignedLabels(pseudonyms, labels), model,
                keys.get(VerticalRound.GOVERNANCE).signer(), verifier(VerticalRound.GOVERNANCE),
                Map.of("alpha", verifier("alpha"), "beta", verifier("beta")), clock);
    }

    /** A new instance of a party's bottom step with the common initial parameters. */
    public BottomStep bottom(String party, WindowPlan plan) {
        boolean alpha = party.equals("alpha");
        BottomModel model = alpha ? new BottomModel("alpha", ALPHA_COLUMNS, ALPHA_LAYERS)
                : new BottomModel("beta", BETA_COLUMNS, BETA_LAYERS);
        model.mlp().load(alpha ? alphaInitial : betaInitial);
        int columns = alpha ? ALPHA_COLUMNS : BETA_COLUMNS;
        return new BottomStep(party, plan, new AlignedColumns(pseudonyms, columns,
                columns(alpha ? 0 : ALPHA_COLUMNS, columns)), model, keys.get(party).signer(),
                verifier(VerticalRound.GOVERNANCE), Clock.systemUTC());
    }

    /** A new instance of a party's scoring side (its own DJL model; the state comes from the store). */
    public PartyScoring partyScoring(String party) {
        boolean alpha = party.equals("alpha");
        BottomModel model = alpha ? new BottomModel("alpha", ALPHA_COLUMNS, ALPHA_LAYERS)
                : new BottomModel("beta", BETA_COLUMNS, BETA_LAYERS);
        int columns = alpha ? ALPHA_COLUMNS : BETA_COLUMNS;
        return new PartyScoring(party, new AlignedColumns(pseudonyms, columns, columns(alpha ? 0 : ALPHA_COLUMNS,
                columns)), model, keys.get(party).signer(), headKey());
    }

    /** A new instance of the head's scoring side. */
    public HeadScoring headScoring() {
        return new HeadScoring(new HeadModel(List.of(4, 3), HEAD_LAYERS), keys.get(VerticalRound.GOVERNANCE).signer(),
                headKey(), Map.of("alpha", verifier("alpha"), "beta", verifier("beta")));
    }

    /**
     * The head's probabilities for {@code rows} with the states stored at the end of {@code round}, computed in this
     * process from the stored parameters (no scoring objects): what the scoring call must answer.
     */
    public float[] forwardPass(io.meshfl.core.objectstore.ObjectStore store, VerticalRound round, int[] rows) {
        try (BottomModel alpha = new BottomModel("alpha", ALPHA_COLUMNS, ALPHA_LAYERS);
                BottomModel beta = new BottomModel("beta", BETA_COLUMNS, BETA_LAYERS);
                HeadModel head = new HeadModel(List.of(4, 3), HEAD_LAYERS)) {
            alpha.mlp().load(ParameterState.read(store, round.bottomStateKey("alpha", round.round(), round.windows()))
                    .parameters());
            beta.mlp().load(ParameterState.read(store, round.bottomStateKey("beta", round.round(), round.windows()))
                    .parameters());
            head.mlp().load(ParameterState.read(store, round.headStateKey(round.round(), round.windows()))
                    .parameters());
            AlignedColumns a = new AlignedColumns(pseudonyms, ALPHA_COLUMNS, columns(0, ALPHA_COLUMNS));
            AlignedColumns b = new AlignedColumns(pseudonyms, BETA_COLUMNS, columns(ALPHA_COLUMNS, BETA_COLUMNS));
            float[] logits = head.logits(List.of(alpha.embed(a.rows(rows), rows.length),
                    beta.embed(b.rows(rows), rows.length)));
            float[] probabilities = new float[logits.length];
            for (int i = 0; i < logits.length; i++) {
                probabilities[i] = (float) (1 / (1 + Math.exp(-logits[i])));
            }
            return probabilities;
        }
    }

    /** The head owner's (the governance side's) signing key and public key. */
    public UpdateSigner headSigner() {
        return keys.get(VerticalRound.GOVERNANCE).signer();
    }

    public UpdateSigner signer(String party) {
        return keys.get(party).signer();
    }

    public SignatureVerifier headKey() {
        return verifier(VerticalRound.GOVERNANCE);
    }

    private SignatureVerifier verifier(String party) {
        return keys.get(party).verifier();
    }

    /** Every column of {@code rows} (row-major), as one centralised model sees them. */
    public float[] allColumns(int[] rows) {
        int width = ALPHA_COLUMNS + BETA_COLUMNS;
        float[] out = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(all, rows[i] * width, out, i * width, width);
        }
        return out;
    }

    public float[] labels(int[] rows) {
        return new AlignedLabels(pseudonyms, labels).rows(rows);
    }

    float[] columns(int from, int count) {
        int width = ALPHA_COLUMNS + BETA_COLUMNS;
        float[] out = new float[positions * count];
        for (int row = 0; row < positions; row++) {
            System.arraycopy(all, row * width + from, out, row * count, count);
        }
        return out;
    }
}
