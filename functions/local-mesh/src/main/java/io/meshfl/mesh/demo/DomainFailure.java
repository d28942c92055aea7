package io.meshfl.mesh.demo;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --fail DOMAIN:ROUND}: the domain stops answering from round {@code fromRound} on. */
public record DomainFailure(String domain, int fromRound) {

    /** Reads {@code DOMAIN:ROUND}; the message names what is wrong with it. */
    public static DomainFailure parse(String value) {
        String[] parts = DomainValue.split(value, "DOMAIN:ROUND, e.g. domain-2:2");
        int round;
        try {
            round = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "': the round '" + parts[1] + "' is not a whole number");
        }
        if (round < 1) {
            throw new IllegalArgumentException("'" + value + "': rounds are numbered from 1, was " + round);
        }
        return new DomainFailure(parts[0], round);
    }

    /** picocli's converter: a bad value is a usage error (exit status 2) that names the option. */
    static final class Converter implements ITypeConverter<DomainFailure> {
        @Override
        public DomainFailure convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
