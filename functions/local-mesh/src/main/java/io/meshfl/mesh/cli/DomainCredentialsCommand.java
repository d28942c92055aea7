package io.meshfl.mesh.cli;

import io.meshfl.mesh.demo.DomainCredentials;
import io.meshfl.mesh.demo.MeshLayout;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code meshfl domain-credentials DOMAIN}: what an outside client (the Python kit) needs to act as one domain of the
 * mesh running on a data directory. The only command that prints a token: the user asked for it.
 */
@Command(name = "domain-credentials", mixinStandardHelpOptions = true,
        description = {"Print a domain's credentials for a client outside the mesh (e.g. the Python kit): a registry",
            "token for that domain only (short-lived), the registry URL, the S3 endpoint, region and bucket, the",
            "domain's S3 key pair and its signing key file. The mesh must be running on the data directory",
            "(./meshfl demo --external DOMAIN, or --serve). The output holds secrets: keep it out of shared places."})
public class DomainCredentialsCommand implements Callable<Integer> {

    static final int REFUSED = 2;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DOMAIN", description = "the domain, e.g. domain-2")
    String domain;

    @Option(names = "--data-dir", defaultValue = ".meshfl", paramLabel = "DIR",
            description = "the mesh's data directory (default: ./${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--ttl", defaultValue = "1h", paramLabel = "DURATION", converter = TtlConverter.class,
            description = "how long the registry token is valid: 90s, 30m, 2h or ISO-8601 (PT45M); at most 12h"
                    + " (default: ${DEFAULT-VALUE})")
    Duration ttl;

    @Option(names = "--format", defaultValue = "json", paramLabel = "FORMAT",
            description = "json (for meshfl-domain --credentials FILE) or env (export lines for eval) (default:"
                    + " ${DEFAULT-VALUE})")
    String format;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (!format.equals("json") && !format.equals("env")) {
            return refuse("--format must be json or env, was '" + format + "'");
        }
        try {
            DomainCredentials credentials = DomainCredentials.issue(
                    new MeshLayout(dataDir.toAbsolutePath().normalize()), domain, ttl, Instant.now());
            PrintWriter out = spec.commandLine().getOut();
            out.print(format.equals("env") ? credentials.environmentLines() : credentials.json());
            out.flush();
            err.println("meshfl domain-credentials: " + domain + "'s token is valid until "
                    + credentials.tokenExpiresAt() + "; the output holds secrets (token, S3 secret key)");
            err.flush();
            return 0;
        } catch (DomainCredentials.Refused | IllegalStateException e) {
            return refuse(e.getMessage());
        }
    }

    private int refuse(String message) {
        CliErrors.fail(spec, message);
        return REFUSED;
    }

    /** {@code 90s}, {@code 30m}, {@code 2h}, or ISO-8601 ({@code PT45M}). */
    static final class TtlConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String text = value.strip().toLowerCase(Locale.ROOT);
            try {
                if (text.startsWith("pt")) {
                    return Duration.parse(text.toUpperCase(Locale.ROOT));
                }
                if (text.matches("[0-9]{1,9}[smh]")) {
                    long amount = Long.parseLong(text.substring(0, text.length() - 1));
                    return switch (text.charAt(text.length() - 1)) {
                        case 's' -> Duration.ofSeconds(amount);
                        case 'm' -> Duration.ofMinutes(amount);
                        default -> Duration.ofHours(amount);
                    };
                }
            } catch (DateTimeParseException e) {
                // falls through to the message below
            }
            throw new picocli.CommandLine.TypeConversionException("'" + value
                    + "' is not a duration: use 90s, 30m, 2h or PT45M");
        }
    }
}
