package io.meshfl.mesh.demo;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --straggler DOMAIN:FACTOR}: the domain's training takes {@code factor} times as long as it does (1 is on
 * time).
 */
public record Straggler(String domain, double factor) {

    /** Reads {@code DOMAIN:FACTOR}; the message names what is wrong with it. */
    public static Straggler parse(String value) {
        String[] parts = DomainValue.split(value, "DOMAIN:FACTOR, e.g. domain-1:3");
        double factor;
        try {
            factor = Double.parseDouble(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "': the factor '" + parts[1] + "' is not a number");
        }
        if (!(factor >= 1) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("'" + value + "': the factor must be at least 1 (how many times longer"
                    + " the domain's training takes), was " + parts[1]);
        }
        return new Straggler(parts[0], factor);
    }

    /** picocli's converter: a bad value is a usage error (exit status 2) that names the option. */
    static final class Converter implements ITypeConverter<Straggler> {
        @Override
        public Straggler convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
