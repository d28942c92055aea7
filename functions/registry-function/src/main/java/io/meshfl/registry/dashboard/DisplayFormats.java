package io.meshfl.registry.dashboard;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the dashboard writes times, durations and metrics: one place, so every page reads the same. */
final class DisplayFormats {

    static final String NONE = "—";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    private DisplayFormats() {
    }

    static String time(OffsetDateTime time) {
        return time == null ? NONE : TIME.format(time.withOffsetSameInstant(ZoneOffset.UTC));
    }

    /** Seconds with one decimal under a minute (rounds of a demo take seconds), minutes and seconds above. */
    static String duration(Duration duration) {
        double seconds = duration.toMillis() / 1000.0;
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        return String.format(Locale.ROOT, "%d min %02d s", duration.toMinutes(), duration.toSecondsPart());
    }

    static String percent(Double fraction) {
        return fraction == null ? NONE : String.format(Locale.ROOT, "%.1f %%", fraction * 100);
    }
}
