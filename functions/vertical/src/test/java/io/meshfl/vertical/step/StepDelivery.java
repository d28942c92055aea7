package io.meshfl.vertical.step;

import io.meshfl.core.objectstore.ObjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Delivers a round's object-created events as an at-least-once bus would: every event {@code copies} times, each
 * copy to another function instance, all copies of one event at the same time on their own threads.
 */
final class StepDelivery {

    private StepDelivery() {
    }

    /** Runs the round window by window; returns every outcome every invocation reported. */
    static List<StepOutcome> run(ObjectStore store, VerticalRound round, List<HeadStep> heads,
            List<List<BottomStep>> bottomsByParty) throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            List<StepOutcome> outcomes = new ArrayList<>();
            List<Callable<StepOutcome>> begins = new ArrayList<>();
            for (List<BottomStep> instances : bottomsByParty) {
                instances.forEach(b -> begins.add(() -> {
                    b.begin(store, round);
                    return null;
                }));
            }
            heads.forEach(h -> begins.add(() -> {
                h.begin(store, round);
                return null;
            }));
            all(pool, begins);
            for (int window = 0; window < round.windows(); window++) {
                int w = window;
                // One embedding event per party, each delivered to every head instance at once.
                List<Callable<StepOutcome>> headEvents = new ArrayList<>();
                for (int event = 0; event < round.parties().size(); event++) {
                    heads.forEach(h -> headEvents.add(() -> h.advance(store, round, w)));
                }
                outcomes.addAll(all(pool, headEvents));
                List<Callable<StepOutcome>> gradientEvents = new ArrayList<>();
                bottomsByParty.forEach(instances -> instances.forEach(b ->
                        gradientEvents.add(() -> b.onGradient(store, round, w))));
                outcomes.addAll(all(pool, gradientEvents));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<StepOutcome> all(ExecutorService pool, List<Callable<StepOutcome>> tasks)
            throws InterruptedException, ExecutionException {
        List<StepOutcome> results = new ArrayList<>();
        for (Future<StepOutcome> future : pool.invokeAll(tasks)) {
            StepOutcome outcome = future.get();
            if (outcome != null) {
                results.add(outcome);
            }
        }
        return results;
    }
}
