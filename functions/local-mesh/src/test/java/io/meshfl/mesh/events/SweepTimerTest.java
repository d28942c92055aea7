package io.meshfl.mesh.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.meshfl.launcher.LoopbackPorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sweep timer against a real HTTP receiver (the JDK's server) standing in for the aggregation function. */
class SweepTimerTest {

    private static final Duration PERIOD = Duration.ofMillis(50);

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpServer receiver;
    private SweepTimer timer;

    @AfterEach
    void stop() {
        if (timer != null) {
            timer.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    /** A receiver that records "METHOD path body" and answers with the status {@code statuses} gives. */
    private URI receiver(IntSupplier statuses) throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + body + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] answer = "{\"closed\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(statuses.getAsInt(), answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        receiver.start();
        return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/sweep");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void postsAnEmptyJsonObjectToSweepEveryPeriod() throws Exception {
        timer = SweepTimer.start(receiver(() -> 200), () -> "function-token", PERIOD);

        await(() -> timer.answered() >= 3, "three sweeps answered");

        assertThat(requests).hasSizeGreaterThanOrEqualTo(3).allSatisfy(request -> assertThat(request)
                .isEqualTo("POST /sweep {} application/json Bearer function-token"));
    }

    @Test
    void asksTheTokenSourceAtEverySweepSoARenewedTokenIsSent() throws Exception {
        AtomicInteger renewals = new AtomicInteger();
        timer = SweepTimer.start(receiver(() -> 200), () -> "token-" + renewals.incrementAndGet(), PERIOD);

        await(() -> timer.answered() >= 2, "two sweeps answered");

        assertThat(requests.get(0)).endsWith("Bearer token-1");
        assertThat(requests.get(1)).endsWith("Bearer token-2");
    }

    @Test
    void keepsSweepingWhileTheFunctionAnswers404OrFails() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        // An aggregation function without a sweeper (404), then one that fails (500), then one that sweeps.
        timer = SweepTimer.start(receiver(() -> switch (calls.incrementAndGet()) {
            case 1, 2 -> 404;
            case 3 -> 500;
            default -> 200;
        }), () -> "t", PERIOD);

        await(() -> timer.answered() >= 2, "sweeps answered after the 404s and the 500");

        assertThat(timer.attempts()).isGreaterThanOrEqualTo(5);
        assertThat(requests).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void keepsSweepingWhenNothingListensAndStopsWhenClosed() throws Exception {
        URI nobody = URI.create("http://127.0.0.1:" + LoopbackPorts.free() + "/sweep");
        timer = SweepTimer.start(nobody, () -> "t", PERIOD);

        await(() -> timer.attempts() >= 3, "three refused sweeps");
        timer.close();
        long attempts = timer.attempts();
        Thread.sleep(PERIOD.multipliedBy(4).toMillis());

        assertThat(timer.answered()).isZero();
        assertThat(timer.attempts()).as("no sweep after close").isEqualTo(attempts);
    }

    @Test
    void aPeriodThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> SweepTimer.start(URI.create("http://127.0.0.1:1/sweep"), () -> "t",
                Duration.ZERO)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("period");
    }
}
