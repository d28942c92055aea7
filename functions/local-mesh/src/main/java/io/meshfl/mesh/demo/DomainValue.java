package io.meshfl.mesh.demo;

/** The {@code DOMAIN:VALUE} shape that {@code --straggler} and {@code --fail} share. */
final class DomainValue {

    private DomainValue() {
    }

    /** {@code [domain, value]}, both non-blank; otherwise the message shows the expected shape. */
    static String[] split(String text, String expected) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1 || text.substring(0, colon).isBlank()
                || text.substring(colon + 1).isBlank()) {
            throw new IllegalArgumentException("'" + text + "' is not " + expected);
        }
        return new String[] {text.substring(0, colon).strip(), text.substring(colon + 1).strip()};
    }
}
