package io.meshfl.registry.model;

/** An approved (domain, data product) pair of a model. */
public record EnrolmentView(String model, String domain, String dataProduct) {

    static EnrolmentView of(Enrolment enrolment) {
        return new EnrolmentView(enrolment.modelId, enrolment.domainId, enrolment.dataProductId);
    }
}
