package io.meshfl.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One way an object store (or what carries its events) describes "objects were written". Adding a source is adding
 * an implementation and registering it in {@link ObjectEventReader}.
 */
interface EventShape {

    /** Short name for logs and error messages. */
    String name();

    /** True when {@code event} has this shape; shapes are tried in registration order, the first match reads. */
    boolean recognises(JsonNode event);

    /**
     * The objects created according to {@code event} (empty for events of this shape about anything else, such as
     * deletions or a store's test message). {@code nested} reads events carried inside this one (SQS bodies,
     * CloudEvent data).
     */
    List<ObjectCreated> objectsCreated(JsonNode event, ObjectEventReader nested);
}
