package io.meshfl.registry.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.testing.MovableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DashboardLoginCodesTest {

    @Test
    void aCodeStandsForItsTokenOnceAndExpiresAfterItsLifetime() {
        MovableClock clock = new MovableClock(Instant.parse("2026-12-02T09:00:00Z"));
        DashboardLoginCodes codes = new DashboardLoginCodes(clock);

        DashboardLoginCodes.LoginCode first = codes.issue("token-1");
        DashboardLoginCodes.LoginCode second = codes.issue("token-2");

        assertThat(first.code()).isNotEqualTo(second.code()).doesNotContain("token");
        assertThat(first.expiresAt()).isEqualTo(clock.instant().plus(DashboardLoginCodes.LIFETIME));
        assertThat(codes.redeem(first.code())).contains("token-1");
        assertThat(codes.redeem(first.code())).isEmpty();
        clock.advance(DashboardLoginCodes.LIFETIME.plus(Duration.ofSeconds(1)));
        assertThat(codes.redeem(second.code())).isEmpty();
        assertThat(codes.redeem(null)).isEmpty();
    }
}
