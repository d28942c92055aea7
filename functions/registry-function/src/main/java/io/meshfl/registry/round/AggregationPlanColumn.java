package io.meshfl.registry.round;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.registry.api.AggregationPlan;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** A round's aggregation plan stored as a JSON object in a text column (null: aggregated by one invocation). */
@Converter
public class AggregationPlanColumn implements AttributeConverter<AggregationPlan, String> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String convertToDatabaseColumn(AggregationPlan plan) {
        try {
            return plan == null ? null : JSON.writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write an aggregation plan", e);
        }
    }

    @Override
    public AggregationPlan convertToEntityAttribute(String json) {
        try {
            return json == null ? null : JSON.readValue(json, AggregationPlan.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A round's aggregation_plan holds no plan: " + json, e);
        }
    }
}
