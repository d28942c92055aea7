package io.meshfl.mesh.iam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A parsed IAM policy document (identity or resource policy). Parsing fails closed: an element, operator or
 * policy variable the evaluator does not implement is refused with its name, instead of being ignored (an ignored
 * Deny or Condition would allow more than AWS does).
 */
public record IamPolicy(String name, List<PolicyStatement> statements) {

    private static final Set<String> KNOWN = Set.of("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource",
            "Principal", "Condition");

    public IamPolicy {
        statements = List.copyOf(statements);
    }

    /** Reads a document; {@code resourcePolicy} says whether statements must name a Principal (bucket policy). */
    public static IamPolicy parse(String name, JsonNode document, boolean resourcePolicy) {
        JsonNode statementNode = document.path("Statement");
        if (statementNode.isMissingNode()) {
            throw invalid(name, "has no Statement");
        }
        List<PolicyStatement> statements = new ArrayList<>();
        for (JsonNode statement : statementNode.isArray() ? statementNode : List.of(statementNode)) {
            statements.add(statement(name, statement, resourcePolicy));
        }
        return new IamPolicy(name, statements);
    }

    private static PolicyStatement statement(String name, JsonNode node, boolean resourcePolicy) {
        String sid = node.path("Sid").asText(null);
        String where = name + (sid == null ? "" : " statement " + sid);
        for (Iterator<String> fields = node.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!KNOWN.contains(field)) {
                throw invalid(where, "uses " + field + ", which the local mesh's IAM evaluator does not implement");
            }
        }
        String effect = node.path("Effect").asText("");
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw invalid(where, "has Effect '" + effect + "' (Allow or Deny)");
        }
        List<IamWildcard> actions = wildcards(where, node, "Action", IamWildcard::caseInsensitive);
        List<IamWildcard> notActions = wildcards(where, node, "NotAction", IamWildcard::caseInsensitive);
        List<IamWildcard> resources = wildcards(where, node, "Resource", IamWildcard::caseSensitive);
        List<IamWildcard> notResources = wildcards(where, node, "NotResource", IamWildcard::caseSensitive);
        if (actions.isEmpty() == notActions.isEmpty()) {
            throw invalid(where, "needs exactly one of Action and NotAction");
        }
        if (resources.isEmpty() == notResources.isEmpty()) {
            throw invalid(where, "needs exactly one of Resource and NotResource");
        }
        Optional<List<String>> principals = principals(where, node.path("Principal"), resourcePolicy);
        List<ConditionTest> conditions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> operator : iterable(node.path("Condition").fields())) {
            if (operator.getKey().contains(":")) {
                throw invalid(where, "uses " + operator.getKey() + " (ForAllValues/ForAnyValue are not implemented)");
            }
            for (Map.Entry<String, JsonNode> key : iterable(operator.getValue().fields())) {
                try {
                    conditions.add(new ConditionTest(operator.getKey(), key.getKey(), texts(key.getValue())));
                } catch (IllegalArgumentException e) {
                    throw invalid(where, e.getMessage());
                }
            }
        }
        return new PolicyStatement(sid, effect.equals("Allow"), actions, notActions, resources, notResources,
                principals, conditions);
    }

    private static Optional<List<String>> principals(String where, JsonNode principal, boolean resourcePolicy) {
        if (!resourcePolicy) {
            if (!principal.isMissingNode()) {
                throw invalid(where, "names a Principal, which an identity policy cannot");
            }
            return Optional.empty();
        }
        if (principal.isTextual() && principal.asText().equals("*")) {
            return Optional.of(List.of("*"));
        }
        if (principal.isObject()) {
            List<String> names = new ArrayList<>();
            for (Map.Entry<String, JsonNode> kind : iterable(principal.fields())) {
                if (kind.getKey().equals("AWS")) {
                    names.addAll(texts(kind.getValue()));
                }
                // Service and Federated principals are never the local mesh's callers: they match nobody here.
            }
            return Optional.of(names);
        }
        throw invalid(where, "needs a Principal (\"*\" or {\"AWS\": …}) in a bucket policy");
    }

    private static List<IamWildcard> wildcards(String where, JsonNode node, String field,
                                               Function<String, IamWildcard> compile) {
        List<IamWildcard> wildcards = new ArrayList<>();
        for (String value : texts(node.path(field))) {
            if (value.contains("${")) {
                throw invalid(where, "has " + field + " '" + value + "' with a policy variable or an unfilled"
                        + " placeholder, which the local mesh's IAM evaluator does not implement");
            }
            wildcards.add(compile.apply(value));
        }
        return wildcards;
    }

    private static List<String> texts(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (node.isArray()) {
            List<String> values = new ArrayList<>();
            node.forEach(value -> values.add(value.asText()));
            return values;
        }
        return List.of(node.asText());
    }

    private static <T> Iterable<T> iterable(Iterator<T> iterator) {
        return () -> iterator;
    }

    private static IllegalStateException invalid(String where, String problem) {
        return new IllegalStateException("IAM policy " + where + " " + problem);
    }
}
