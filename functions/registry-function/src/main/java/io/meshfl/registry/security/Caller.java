package io.meshfl.registry.security;

import io.meshfl.registry.problem.Problem;
import java.util.Set;

/**
 * Who is calling, as the verified token says: roles and, for a domain token, the one domain it acts for.
 * Services take a caller so that REST resources and Funqy functions enforce the same rules.
 */
public record Caller(String subject, Set<String> roles, String domain) {

    public boolean isGovernance() {
        return roles.contains(Roles.GOVERNANCE);
    }

    public boolean isFunction() {
        return roles.contains(Roles.FUNCTION);
    }

    /** A token whose only power is a domain's: it sees and changes that domain's things only. */
    public boolean isDomainOnly() {
        return !isGovernance() && !isFunction() && roles.contains(Roles.DOMAIN);
    }

    /**
     * Refuses a domain token acting for another domain (paths and bodies alike). Governance and function
     * tokens act for any domain.
     */
    public void requireActingFor(String domainId) {
        if (isDomainOnly() && (domain == null || !domain.equals(domainId))) {
            throw Problem.forbidden("A token for domain '" + domain + "' may not act for domain '" + domainId + "'");
        }
    }

    /** True when this caller may see the given domain's private facts (data-product locations). */
    public boolean maySee(String domainId) {
        return !isDomainOnly() || domainId.equals(domain);
    }
}
