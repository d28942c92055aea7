package io.meshfl.registry.api;

import java.time.Instant;

/**
 * A one-time dashboard login ({@code POST /dashboard/login/codes}, governance): open {@code loginPath} on the
 * registry before {@code expiresAt}; the code is exchanged for the session cookie once, so no token goes into a URL.
 */
public record DashboardLoginLink(String code, String loginPath, Instant expiresAt) {
}
