package io.meshfl.mesh.iam;

import java.util.List;
import java.util.Optional;

/**
 * One statement of a policy document. Exactly one of {@code actions}/{@code notActions} and of
 * {@code resources}/{@code notResources} is non-empty; {@code principals} is empty in an identity policy and
 * names who the statement is about in a resource (bucket) policy ({@code *} for anyone).
 */
record PolicyStatement(String sid, boolean allow, List<IamWildcard> actions, List<IamWildcard> notActions,
                       List<IamWildcard> resources, List<IamWildcard> notResources, Optional<List<String>> principals,
                       List<ConditionTest> conditions) {

    PolicyStatement {
        actions = List.copyOf(actions);
        notActions = List.copyOf(notActions);
        resources = List.copyOf(resources);
        notResources = List.copyOf(notResources);
        principals = principals.map(List::copyOf);
        conditions = List.copyOf(conditions);
    }

    /** Whether this statement speaks about this request (its effect is then {@link #allow}). */
    boolean applies(AccessRequest request) {
        return appliesToPrincipal(request.principalArn())
                && (actions.isEmpty() ? notActions.stream().noneMatch(a -> a.matches(request.action()))
                                      : actions.stream().anyMatch(a -> a.matches(request.action())))
                && (resources.isEmpty() ? notResources.stream().noneMatch(r -> r.matches(request.resourceArn()))
                                        : resources.stream().anyMatch(r -> r.matches(request.resourceArn())))
                && conditions.stream().allMatch(condition -> condition.holds(request.context()));
    }

    private boolean appliesToPrincipal(String principalArn) {
        return principals.map(names -> names.stream().anyMatch(name -> name.equals("*") || name.equals(principalArn)
                        || name.equals(accountRootOf(principalArn)) || name.equals(accountOf(principalArn))))
                .orElse(true);
    }

    /** {@code arn:aws:iam::123456789012:root} (or the bare account id) names every principal of that account. */
    private static String accountRootOf(String principalArn) {
        String account = accountOf(principalArn);
        return account.isEmpty() ? "" : principalArn.substring(0, principalArn.indexOf(":iam::") + 6) + account + ":root";
    }

    private static String accountOf(String principalArn) {
        String[] parts = principalArn.split(":", 6);
        return parts.length == 6 ? parts[4] : "";
    }

    String describe() {
        return sid == null || sid.isBlank() ? "a statement without Sid" : "statement " + sid;
    }
}
