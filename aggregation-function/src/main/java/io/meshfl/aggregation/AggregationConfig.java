package io.meshfl.aggregation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** The aggregation function's own settings ({@code meshfl.aggregation.*}). */
@ConfigMapping(prefix = "meshfl.aggregation")
public interface AggregationConfig {

    /**
     * How long the winner of a round's close holds it. If it has not completed by then (crash, timeout), the next
     * event for the round takes the round over. Keep it above the function's own timeout (Lambda: 15 min maximum).
     */
    @WithDefault("PT5M")
    Duration lease();

    /** Where invocations download updates and write outputs before uploading; on Lambda it must be under /tmp. */
    @WithDefault("${java.io.tmpdir}")
    Path workDir();

    /** How many objects one instance downloads at once (a round's end reads every accepted update). */
    @WithDefault("4")
    int parallelDownloads();
}
