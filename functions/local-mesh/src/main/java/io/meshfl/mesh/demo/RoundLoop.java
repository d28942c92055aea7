package io.meshfl.mesh.demo;

import io.meshfl.mesh.federation.RoundDriver;
import io.meshfl.mesh.federation.RoundLog;
import io.meshfl.mesh.federation.RoundOutcome;
import io.meshfl.mesh.report.ConsoleReport;
import io.meshfl.registry.api.RegistryClient;
import io.meshfl.registry.api.RoundState;
import io.meshfl.registry.api.RoundView;
import java.io.PrintWriter;

/**
 * Runs rounds until the model's open round is past {@code --rounds}: each round to its end (closed, or failed
 * and then retried by the registry), recorded in the round log and printed as it ends. A resumed run continues
 * from the registry's open round.
 */
final class RoundLoop {

    /** Failed rounds in a row after which the demo stops: the federation keeps missing its quorum. */
    static final int MAX_FAILED_IN_A_ROW = 3;

    private final RegistryClient governance;
    private final RoundDriver driver;
    private final RoundLog log;
    private final RoundResults results;
    private final PrintWriter out;

    RoundLoop(RegistryClient governance, RoundDriver driver, RoundLog log, RoundResults results, PrintWriter out) {
        this.governance = governance;
        this.driver = driver;
        this.log = log;
        this.results = results;
        this.out = out;
    }

    void run(String model, int rounds) {
        int failedInARow = 0;
        while (true) {
            RoundView current = governance.currentRound(model).orElseThrow(() -> new IllegalStateException(
                    "Model " + model + " has no round: the federation set-up opens the first one"));
            if (current.number() > rounds) {
                return;
            }
            if (current.state() == RoundState.FAILED) {
                throw new IllegalStateException("Round " + current.number() + " of " + model + " failed ("
                        + current.failureReason() + ") and the registry opened no retry");
            }
            RoundOutcome outcome = driver.runCurrentRound(model);
            log.append(outcome);
            out.println(ConsoleReport.roundLine(results.of(outcome), rounds));
            out.flush();
            failedInARow = outcome.failed() ? failedInARow + 1 : 0;
            if (failedInARow >= MAX_FAILED_IN_A_ROW) {
                throw new IllegalStateException(MAX_FAILED_IN_A_ROW + " rounds of " + model + " failed in a row, the"
                        + " last one because: " + outcome.failureReason());
            }
        }
    }
}
