package io.meshfl.mesh.federation;

import io.meshfl.auth.LocalTokenIssuer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The domains' registry tokens inside the mesh, one {@link RenewedToken} per domain. A scheduler asks at every
 * trigger, so a token that leaks from one is worth minutes, not the issuer's twelve hours.
 */
public final class DomainTokens implements Function<String, String> {

    public static final Duration LIFETIME = RenewedToken.LIFETIME;

    private final LocalTokenIssuer issuer;
    private final Clock clock;
    private final Map<String, RenewedToken> tokens = new HashMap<>();

    public DomainTokens(LocalTokenIssuer issuer, Clock clock) {
        this.issuer = issuer;
        this.clock = clock;
    }

    /** A token for {@code domain} valid for at least {@code LIFETIME / 2} from now. */
    @Override
    public String apply(String domain) {
        RenewedToken token;
        synchronized (tokens) {
            token = tokens.computeIfAbsent(domain, d -> RenewedToken.domain(issuer, d, clock));
        }
        return token.get();
    }
}
