package io.meshfl.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A structured-mode CloudEvent ({@code specversion}, {@code type}, {@code data}) whose data is another shape. */
final class CloudEventShape implements EventShape {

    @Override
    public String name() {
        return "CloudEvent (structured mode)";
    }

    @Override
    public boolean recognises(JsonNode event) {
        return event.has("specversion") && event.has("type");
    }

    @Override
    public List<ObjectCreated> objectsCreated(JsonNode event, ObjectEventReader nested) {
        return nested.read(CloudEvent.structured(event));
    }
}
