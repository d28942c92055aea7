package io.meshfl.registry.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An approved (domain, data product) pair of a model; {@code records} is the product's declared record count when
 * it was approved, the most examples one of this domain's updates may claim.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnrolmentView(String model, String domain, String dataProduct, Long records) {

    static EnrolmentView of(Enrolment enrolment) {
        return new EnrolmentView(enrolment.modelId, enrolment.domainId, enrolment.dataProductId, enrolment.records);
    }
}
