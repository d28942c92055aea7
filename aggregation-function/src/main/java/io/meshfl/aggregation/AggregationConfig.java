package io.meshfl.aggregation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
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

    /**
     * The most distinct objects (key, ETag) one event may name, after repeats are dropped. S3 puts one record in a
     * notification and SQS at most ten messages in a batch; an event naming more is refused as unreadable rather
     * than keeping an instance busy.
     */
    @WithDefault("100")
    int maxObjectsPerEvent();

    /**
     * What an event the function cannot read gets. {@code fail} (HTTP and Knative): the invocation fails with the
     * parse error, answered 400 so that no transport retries it. {@code report} (Lambda, set by the lambda build's
     * META-INF/microprofile-config.properties): the invocation succeeds with a report naming the error, because a
     * failed Lambda invocation is retried by SQS until the dead-letter queue, and retrying cannot make it readable.
     */
    @WithDefault("fail")
    UnreadableEvents unreadableEvents();

    enum UnreadableEvents { FAIL, REPORT }

    /**
     * Sharded aggregation (issue 18, docs/sharded-aggregation.md): the most update bytes one invocation may read. A
     * round whose updates (count × the model's data size) fit is aggregated by one invocation as before; a larger one
     * is cut into byte-range shards folded through a tree of partial sums, with enough shards that no node reads more
     * than this (a node above the leaves reads its children's partials, in double). Set it from the function's
     * limits: its time limit × the object store's read rate.
     *
     * <p>Default 10 GiB: what one Lambda invocation can hold (10 GB of memory and of {@code /tmp}, where a single
     * invocation keeps the round's updates) and read well inside its 15 minutes. The tree's objects
     * ({@code models/*}{@code /tmp/*-tree-*}{@code /*}) must reach the function as events: the Terraform modules and
     * the local mesh's event bridge route them beside update keys (an installation with its own notification filters
     * must too, or a sharded round waits at AGGREGATING).
     */
    @WithName("sharding.max-bytes-per-invocation")
    @WithDefault("10737418240")
    long shardingMaxBytesPerInvocation();

    /** Fan-in of a sharded round's tree: how many updates a leaf folds, how many partials a node above folds. */
    @WithName("sharding.fanout")
    @WithDefault("10")
    int shardingFanout();
}
