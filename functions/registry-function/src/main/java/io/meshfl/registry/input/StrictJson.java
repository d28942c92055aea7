package io.meshfl.registry.input;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * How request bodies are read, for the REST API and the Funqy functions alike: an integer field takes integers only
 * ({@code numExamples: 1.5} is refused, never truncated), a decimal field takes finite values only ({@code 1e400}
 * overflows to infinity in Java and is refused), and no string holds a NUL character (PostgreSQL cannot store one).
 * Each refusal names its field through Jackson's path, as every other malformed body does.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        SimpleModule strict = new SimpleModule("meshfl-strict-input");
        strict.addDeserializer(Double.class, new FiniteDouble(Double.class, null));
        strict.addDeserializer(double.class, new FiniteDouble(double.class, 0.0));
        strict.addDeserializer(String.class, new NulFreeString());
        mapper.registerModule(strict);
    }

    private static final class FiniteDouble extends NumberDeserializers.DoubleDeserializer {

        FiniteDouble(Class<Double> type, Double empty) {
            super(type, empty);
        }

        @Override
        public Double deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            Double value = super.deserialize(parser, context);
            if (value != null && !Double.isFinite(value)) {
                return (Double) context.handleWeirdNumberValue(Double.class, value,
                        "must be a finite number (it overflows a 64-bit float)");
            }
            return value;
        }
    }

    private static final class NulFreeString extends StringDeserializer {

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = super.deserialize(parser, context);
            if (value != null && value.indexOf('\0') >= 0) {
                return (String) context.handleWeirdStringValue(String.class, value, "must not contain a NUL character");
            }
            return value;
        }
    }
}
