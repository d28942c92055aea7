package io.meshfl.mesh.federation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A domain whose action takes a scripted time on a clock the test owns, and records the rounds it was asked. */
final class ScriptedDomain implements Participant {

    final AtomicLong clock = new AtomicLong();
    final List<Integer> rounds = new CopyOnWriteArrayList<>();
    private final String domain;
    private final Duration actionTime;
    private final int status;

    ScriptedDomain(String domain, Duration actionTime, int status) {
        this.domain = domain;
        this.actionTime = actionTime;
        this.status = status;
    }

    @Override
    public String domain() {
        return domain;
    }

    @Override
    public Outcome takePart(String model, int round) {
        rounds.add(round);
        clock.addAndGet(actionTime.toNanos());
        return new Outcome(domain, status, "round " + round);
    }
}
