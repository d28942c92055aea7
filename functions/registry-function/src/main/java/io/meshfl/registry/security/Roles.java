package io.meshfl.registry.security;

/** The roles of the {@code groups} claim (docs/registry-api.md, Authentication). */
public final class Roles {

    public static final String GOVERNANCE = "governance";
    public static final String DOMAIN = "domain";
    public static final String FUNCTION = "function";

    private Roles() {
    }
}
