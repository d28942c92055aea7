package io.meshfl.mesh.federation;

import io.meshfl.auth.LocalTokenIssuer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The domains' registry tokens inside the mesh, short-lived and renewed: each call gets a token with at least half of
 * {@link #LIFETIME} left, minted anew when the last one is past that. A scheduler asks at every trigger, so a token
 * that leaks from one (a log, a core dump) is worth minutes, not the issuer's twelve hours.
 */
public final class DomainTokens implements Function<String, String> {

    public static final Duration LIFETIME = Duration.ofMinutes(30);

    private record Minted(String token, Instant expiresAt) {
    }

    private final LocalTokenIssuer issuer;
    private final Clock clock;
    private final Map<String, Minted> minted = new HashMap<>();

    public DomainTokens(LocalTokenIssuer issuer, Clock clock) {
        this.issuer = issuer;
        this.clock = clock;
    }

    /** A token for {@code domain} valid for at least {@code LIFETIME / 2} from now. */
    @Override
    public synchronized String apply(String domain) {
        Instant now = clock.instant();
        Minted current = minted.get(domain);
        if (current == null || current.expiresAt().isBefore(now.plus(LIFETIME.dividedBy(2)))) {
            Instant expires = now.plus(LIFETIME);
            current = new Minted(issuer.mint(new LocalTokenIssuer.Claims(domain, Set.of(LocalTokenIssuer.DOMAIN),
                    domain, now, expires)), expires);
            minted.put(domain, current);
        }
        return current.token();
    }
}
