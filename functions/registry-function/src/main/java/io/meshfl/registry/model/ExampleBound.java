package io.meshfl.registry.model;

/**
 * The most examples one update of a domain may claim: its weight in FedAvg is self-reported, so it is bounded by
 * what the governance approved, the records the domain's data product declared at enrolment and the model policy's
 * {@code maxExamplesPerUpdate}, whichever is smaller. Null when neither is set (unbounded, as before).
 */
public final class ExampleBound {

    private ExampleBound() {
    }

    public static Long of(Enrolment enrolment, ModelDefinition.Policy policy) {
        Long records = enrolment.records;
        Long cap = policy == null ? null : policy.maxExamplesPerUpdate();
        if (records == null) {
            return cap;
        }
        return cap == null ? records : Math.min(records, cap);
    }

    /** Why {@code claimed} is refused, naming which bound it broke; null when it is within the bound. */
    public static String refusal(long claimed, Enrolment enrolment, ModelDefinition.Policy policy) {
        Long bound = of(enrolment, policy);
        if (bound == null || claimed <= bound) {
            return null;
        }
        boolean byRecords = enrolment.records != null && bound.equals(enrolment.records);
        return "numExamples " + claimed + " is above the bound of " + bound + " for domain '" + enrolment.domainId + "' ("
                + (byRecords ? "data product '" + enrolment.dataProductId + "' declared " + enrolment.records + " records"
                        : "the model policy's maxExamplesPerUpdate") + ")";
    }
}
