package io.meshfl.core.event;

/**
 * An event that is not one of the shapes MeshFL reads, or is malformed: a sender's mistake (wrong trigger wiring, a
 * CloudEvent type nobody mapped), never a broken store. The message names what was wrong.
 */
public class UnreadableEventException extends RuntimeException {

    public UnreadableEventException(String message) {
        super(message);
    }

    public UnreadableEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
