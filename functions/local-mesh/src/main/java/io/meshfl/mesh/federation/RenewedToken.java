package io.meshfl.mesh.federation;

import io.meshfl.auth.LocalTokenIssuer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One principal's registry token inside the mesh, short-lived and renewed: each call gets a token with at least half
 * of {@link #LIFETIME} left, minted anew when the last one is past that. Callers ask at every request, so a token
 * that leaks (a log, a core dump, a file read over someone's shoulder) is worth minutes, not the issuer's twelve hours.
 */
public final class RenewedToken implements Supplier<String> {

    public static final Duration LIFETIME = Duration.ofMinutes(30);

    private final LocalTokenIssuer issuer;
    private final String subject;
    private final String group;
    private final String domain;
    private final Clock clock;
    private String token;
    private Instant expiresAt;

    private RenewedToken(LocalTokenIssuer issuer, String subject, String group, String domain, Clock clock) {
        this.issuer = issuer;
        this.subject = subject;
        this.group = group;
        this.domain = domain;
        this.clock = clock;
    }

    /** The functions' role: the aggregation function's calls to the registry, and the mesh's calls to it. */
    public static RenewedToken function(LocalTokenIssuer issuer, Clock clock) {
        return new RenewedToken(issuer, LocalTokenIssuer.FUNCTION, LocalTokenIssuer.FUNCTION, null, clock);
    }

    public static RenewedToken governance(LocalTokenIssuer issuer, Clock clock) {
        return new RenewedToken(issuer, LocalTokenIssuer.GOVERNANCE, LocalTokenIssuer.GOVERNANCE, null, clock);
    }

    public static RenewedToken domain(LocalTokenIssuer issuer, String domain, Clock clock) {
        return new RenewedToken(issuer, domain, LocalTokenIssuer.DOMAIN, domain, clock);
    }

    /** A token valid for at least {@code LIFETIME / 2} from now. */
    @Override
    public synchronized String get() {
        Instant now = clock.instant();
        if (token == null || expiresAt.isBefore(now.plus(LIFETIME.dividedBy(2)))) {
            expiresAt = now.plus(LIFETIME);
            token = issuer.mint(new LocalTokenIssuer.Claims(subject, Set.of(group), domain, now, expiresAt));
        }
        return token;
    }
}
