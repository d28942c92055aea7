package io.meshfl.mesh.demo;

import io.meshfl.mesh.objectstore.AccessPolicy;
import io.meshfl.mesh.objectstore.FederationAccess;
import io.meshfl.mesh.objectstore.S3Principal;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the first run of a data directory decided and every later run must reuse: the object store's credentials
 * and the federation's shape (dataset, domains, α, seed, strategy). A run with different options on the same
 * directory is refused (with the options to use, or --fresh) rather than mixing two federations.
 */
public record MeshState(String bucket, String accessKey, String secretKey, String dataset, int domains, double alpha,
                        long seed, String strategy) {

    /** A new state for these options, with fresh random object-store credentials. */
    public static MeshState create(DemoOptions options, String dataset) {
        SecureRandom random = new SecureRandom();
        return new MeshState("meshfl", "meshfl-" + hex(random, 6), hex(random, 24), dataset, options.domains(),
                options.alpha(), options.seed(), options.strategy());
    }

    private static String hex(SecureRandom random, int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return HexFormat.of().formatHex(value);
    }

    /** The demo itself, as the federation's governance: the bucket owner's key pair. */
    public S3Principal governance(FederationAccess access) {
        return new S3Principal(accessKey, secretKey, access.governance());
    }

    public S3Principal aggregation(FederationAccess access) {
        return derived(access.aggregation());
    }

    public S3Principal domain(FederationAccess access, String domain) {
        return derived(access.domain(domain));
    }

    /**
     * A principal's key pair, derived from the stored secret with HMAC-SHA256: one secret to keep in the state file,
     * a different key pair per principal, and the same pairs again when a run resumes.
     */
    private S3Principal derived(AccessPolicy policy) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] secret = mac.doFinal(policy.principal().getBytes(StandardCharsets.UTF_8));
            return new S3Principal(accessKey + "-" + policy.principal(), HexFormat.of().formatHex(secret), policy);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** The domains' ids: {@code domain-1} … {@code domain-N}, as the demo names them. */
    public List<String> domainNames() {
        List<String> names = new ArrayList<>();
        for (int d = 1; d <= domains; d++) {
            names.add("domain-" + d);
        }
        return names;
    }

    public static boolean exists(Path file) {
        return Files.isRegularFile(file);
    }

    public static MeshState read(Path file) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
            return new MeshState(properties.getProperty("bucket"), properties.getProperty("s3.access-key"),
                    properties.getProperty("s3.secret-key"), properties.getProperty("dataset"),
                    Integer.parseInt(properties.getProperty("domains")), Double.parseDouble(properties.getProperty("alpha")),
                    Long.parseLong(properties.getProperty("seed")), properties.getProperty("strategy"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(file + " is damaged (" + e.getMessage() + "); run with --fresh", e);
        }
    }

    public void write(Path file) {
        Properties properties = new Properties();
        properties.setProperty("bucket", bucket);
        properties.setProperty("s3.access-key", accessKey);
        properties.setProperty("s3.secret-key", secretKey);
        properties.setProperty("dataset", dataset);
        properties.setProperty("domains", Integer.toString(domains));
        properties.setProperty("alpha", Double.toString(alpha));
        properties.setProperty("seed", Long.toString(seed));
        properties.setProperty("strategy", strategy);
        StringWriter text = new StringWriter();
        try {
            properties.store(text, "MeshFL local mesh: decided at the first run; keep private (object-store keys)");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot format " + file, e);
        }
        // The root secret every S3 key pair derives from: the owner's eyes only (0600).
        PrivateFiles.write(file, text.toString());
    }

    /** How these options differ from the stored federation, each naming the option and both values. */
    public List<String> differencesFrom(DemoOptions options, String requestedDataset) {
        List<String> differences = new ArrayList<>();
        if (!dataset.equals(requestedDataset)) {
            differences.add("dataset: stored " + dataset + ", requested " + requestedDataset);
        }
        if (domains != options.domains()) {
            differences.add("--domains: stored " + domains + ", requested " + options.domains());
        }
        if (Double.compare(alpha, options.alpha()) != 0) {
            differences.add("--alpha: stored " + alpha + ", requested " + options.alpha());
        }
        if (seed != options.seed()) {
            differences.add("--seed: stored " + seed + ", requested " + options.seed());
        }
        if (!strategy.equals(options.strategy())) {
            differences.add("--strategy: stored " + strategy + ", requested " + options.strategy());
        }
        return differences;
    }
}
