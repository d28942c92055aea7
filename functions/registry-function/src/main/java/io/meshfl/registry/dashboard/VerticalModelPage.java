package io.meshfl.registry.dashboard;

import io.meshfl.registry.api.VerticalRoundView;
import io.meshfl.registry.vertical.VerticalModelDefinition;
import io.meshfl.registry.vertical.VerticalRound;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** A vertical model's page: its parties and their column sets, who holds labels and head, and its rounds' lineage. */
public record VerticalModelPage(VerticalModelDefinition model, List<PartyRow> parties, List<VerticalRoundRow> rounds) {

    /** "with label sharing" (the governance side holds labels and head) or "without" (a domain holds both). */
    public String labelSharing() {
        return VerticalRoundView.GOVERNANCE.equals(model.labelOwner())
                ? "with label sharing: the governance side holds the head, labels from " + model.labelSource()
                : "without label sharing: " + model.labelOwner() + " holds labels and head";
    }

    public String network() {
        return "bottom " + model.architecture().bottom() + " per party, head " + model.architecture().head();
    }

    public String training() {
        VerticalModelDefinition.Training t = model.training();
        return t.windows() + " windows of " + t.batchSize() + " per round, " + t.optimizer() + " at "
                + t.learningRate() + ", seed " + t.seed();
    }

    /** A party: its domain, data product (at the version registered) and the columns its bottom model reads. */
    public record PartyRow(String domain, String dataProduct, String dataProductVersion, String columns, String role) {

        static PartyRow of(VerticalModelDefinition model, VerticalModelDefinition.Party party) {
            String role = party.domain().equals(model.labelOwner()) ? "labels and head"
                    : party.domain().equals(model.labelSource()) ? "labels (shared with the governance side)"
                    : "features";
            return new PartyRow(party.domain(), party.dataProduct(), party.dataProductVersion(),
                    String.join(", ", party.columns()), role);
        }
    }

    /** One vertical round: its state, times, the version it trained from and produced, and why it failed. */
    public record VerticalRoundRow(int number, String state, String openedAt, String deadline, String duration,
                                   String startsFrom, String produced, String failure, String dataProducts) {

        static VerticalRoundRow of(VerticalRound round, java.util.Map<String, String> dataProducts) {
            String duration = round.closedAt == null ? "running"
                    : DisplayFormats.duration(Duration.between(round.openedAt, round.closedAt));
            String startsFrom = "version " + round.baseVersion + (round.startsFromRound == null ? " (initial)"
                    : " (round " + round.startsFromRound + ")");
            String failure = round.failureReason == null ? "" : "window " + round.failedWindow
                    + (round.missing == null || round.missing.isEmpty() ? ""
                    : ", missing " + round.missing.stream().collect(Collectors.joining(", "))) + ": "
                    + round.failureReason;
            return new VerticalRoundRow(round.number, round.state.name(), DisplayFormats.time(round.openedAt),
                    DisplayFormats.time(round.deadline), duration, startsFrom,
                    round.producedVersion == null ? DisplayFormats.NONE : "version " + round.producedVersion, failure,
                    dataProducts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                            .collect(Collectors.joining(", ")));
        }

        public String stateClass() {
            return "state-" + state.toLowerCase(Locale.ROOT);
        }
    }
}
