package io.meshfl.registry.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the outbox relay sends round events (the channel's connector is configured under mp.messaging). */
@ConfigMapping(prefix = "meshfl.events")
public interface EventsConfig {

    /** How often the relay looks for pending events the requests that recorded them did not send. */
    @WithDefault("15s")
    Duration relayEvery();

    /** Failed sends before an event is DEAD (kept, counted, listed; no longer retried). */
    @WithDefault("10")
    int maxAttempts();

    /** Events one relay pass claims at most. */
    @WithDefault("100")
    int batchSize();

    /** How long one send may take before it counts as failed. */
    @WithDefault("10s")
    Duration sendTimeout();

    /**
     * How long a claimed event is left to its relay before another may send it: longer than a send, so two relays
     * do not send one event at once, yet an event claimed by a relay that died is sent again after it.
     */
    @WithDefault("60s")
    Duration claim();
}
