package io.meshfl.mesh.report;

import java.util.List;

/**
 * Who took part in a round and how it ended, as the registry recorded it.
 *
 * @param outcome the round's end state: {@code CLOSED} (aggregated), {@code FAILED}, or the state it was left in
 * @param reason why it failed; null otherwise
 * @param accepted domains whose update the round counted
 * @param missing domains expected in the round that have no accepted update
 * @param late domains whose update arrived after the round stopped taking updates
 * @param rejected domains whose update was refused for another reason, with that reason
 */
public record Participation(String outcome, String reason, List<String> accepted, List<String> missing,
                            List<String> late, List<Rejection> rejected) {

    /** An update the registry refused, and why. */
    public record Rejection(String domain, String reason) {
    }

    public Participation {
        accepted = List.copyOf(accepted);
        missing = List.copyOf(missing);
        late = List.copyOf(late);
        rejected = List.copyOf(rejected);
    }
}
