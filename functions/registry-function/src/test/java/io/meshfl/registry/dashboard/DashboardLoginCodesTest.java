package io.meshfl.registry.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DashboardLoginCodesTest {

    /** A clock the test moves instead of sleeping. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-02T09:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void aCodeStandsForItsTokenOnceAndExpiresAfterItsLifetime() {
        MovableClock clock = new MovableClock();
        DashboardLoginCodes codes = new DashboardLoginCodes(clock);

        DashboardLoginCodes.LoginCode first = codes.issue("token-1");
        DashboardLoginCodes.LoginCode second = codes.issue("token-2");

        assertThat(first.code()).isNotEqualTo(second.code()).doesNotContain("token");
        assertThat(first.expiresAt()).isEqualTo(clock.now.plus(DashboardLoginCodes.LIFETIME));
        assertThat(codes.redeem(first.code())).contains("token-1");
        assertThat(codes.redeem(first.code())).isEmpty();
        clock.now = clock.now.plus(DashboardLoginCodes.LIFETIME).plus(Duration.ofSeconds(1));
        assertThat(codes.redeem(second.code())).isEmpty();
        assertThat(codes.redeem(null)).isEmpty();
    }
}
