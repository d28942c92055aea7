package io.meshfl.mesh.demo;

import io.meshfl.mesh.objectstore.AccessDenied;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The S3 calls the IAM documents denied in a run, one line per distinct principal, action and resource. */
final class DeniedCalls {

    private static final int SHOWN = 40;

    private DeniedCalls() {
    }

    static String describe(List<AccessDenied> denials) {
        Map<String, Integer> distinct = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        for (AccessDenied denial : denials) {
            String call = denial.principal() + " " + denial.action() + " " + denial.resourceArn();
            distinct.merge(call, 1, Integer::sum);
            reasons.putIfAbsent(call, denial.reason());
        }
        StringBuilder text = new StringBuilder("S3 calls the IAM documents denied (" + denials.size() + " requests, "
                + distinct.size() + " distinct):");
        distinct.entrySet().stream().limit(SHOWN).forEach(call -> text.append("\n  ").append(call.getKey())
                .append(call.getValue() > 1 ? " ×" + call.getValue() : "").append(": ").append(reasons.get(call.getKey())));
        if (distinct.size() > SHOWN) {
            text.append("\n  … ").append(distinct.size() - SHOWN).append(" more in the log");
        }
        return text.toString();
    }
}
