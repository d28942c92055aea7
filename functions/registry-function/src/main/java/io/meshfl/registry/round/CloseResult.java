package io.meshfl.registry.round;

import io.meshfl.registry.update.UpdateView;
import java.time.OffsetDateTime;
import java.util.List;

/** What the winner of a close gets: the round (now AGGREGATING), its lease, and the updates to aggregate. */
public record CloseResult(RoundView round, OffsetDateTime leaseUntil, List<UpdateView> accepted) {
}
