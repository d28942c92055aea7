package io.meshfl.registry.dashboard;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-time codes for the dashboard's login link, so that no token ever travels in a URL (where it lands in browser
 * history, proxy and access logs): a governance caller exchanges its bearer token for a random code that is valid for
 * {@link #LIFETIME} and for one use; opening {@code /dashboard/login?code=…} turns it into the session cookie.
 *
 * <p>Codes live in this process's memory: they are redeemed on the instance that issued them within seconds (the local
 * mesh runs one registry); a restart simply invalidates the codes not yet used.
 */
@ApplicationScoped
public class DashboardLoginCodes {

    static final Duration LIFETIME = Duration.ofMinutes(2);
    private static final SecureRandom RANDOM = new SecureRandom();

    record LoginCode(String code, Instant expiresAt) {
    }

    private record Pending(String token, Instant expiresAt) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Clock clock;

    public DashboardLoginCodes() {
        this(Clock.systemUTC());
    }

    DashboardLoginCodes(Clock clock) {
        this.clock = clock;
    }

    LoginCode issue(String token) {
        Instant now = clock.instant();
        pending.values().removeIf(code -> !code.expiresAt().isAfter(now));
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Instant expiresAt = now.plus(LIFETIME);
        pending.put(code, new Pending(token, expiresAt));
        return new LoginCode(code, expiresAt);
    }

    /** The token the code stands for, once: removing it is atomic, so two redemptions cannot both succeed. */
    Optional<String> redeem(String code) {
        if (code == null) {
            return Optional.empty();
        }
        Pending redeemed = pending.remove(code);
        if (redeemed == null || !redeemed.expiresAt().isAfter(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(redeemed.token());
    }
}
