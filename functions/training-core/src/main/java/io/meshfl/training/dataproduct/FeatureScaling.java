package io.meshfl.training.dataproduct;

import java.util.Locale;

/**
 * How a domain scales its features before training, as the model's training configuration says.
 *
 * <p>{@code local} standardises with the domain's own training-split statistics, which never leave the domain.
 * Under a strong non-IID split those statistics differ from domain to domain, so the same raw value reaches the
 * shared model on different scales; {@code none} is for data products whose contract already fixes a common
 * scale across the mesh (as the local demo's do).
 */
public enum FeatureScaling {
    LOCAL,
    NONE;

    /** The configuration's value ({@code local}, {@code none}); absent means {@code local}. */
    public static FeatureScaling of(String configured) {
        if (configured == null) {
            return LOCAL;
        }
        return switch (configured.toLowerCase(Locale.ROOT)) {
            case "local" -> LOCAL;
            case "none" -> NONE;
            default -> throw new IllegalArgumentException(
                    "featureScaling must be 'local' or 'none', was '" + configured + "'");
        };
    }

    /** The scaling to apply to this domain's rows, fitted on its training rows. */
    public Standardization fit(TabularData train) {
        return this == LOCAL ? Standardization.of(train) : Standardization.identity(train.columns());
    }
}
