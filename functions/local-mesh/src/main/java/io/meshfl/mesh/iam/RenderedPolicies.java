package io.meshfl.mesh.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.Optional;

/**
 * The IAM documents {@code infra/terraform/modules/policies} renders for the federation bucket, as committed in
 * {@value #RESOURCE} by {@code infra/terraform/render-policies.sh} (a freshness check in
 * {@code infra/terraform/test.sh} keeps the file equal to what the module renders). Installation names are
 * placeholders: {@code ${federation_bucket}}, {@code ${domain}} and, in the vertical documents, {@code ${model}} (the
 * one vertical model they are rendered for); a bucket-policy statement that names {@code ${domain}} is one the module
 * writes once per domain, so it is repeated for each domain here.
 */
public final class RenderedPolicies {

    public static final String RESOURCE = "/io/meshfl/mesh/iam/rendered-policies.json";
    private static final String BUCKET = "${federation_bucket}";
    private static final String DOMAIN = "${domain}";
    private static final String MODEL = "${model}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final JsonNode documents;

    private RenderedPolicies(String source, JsonNode documents) {
        this.source = source;
        this.documents = documents;
    }

    /** The documents shipped with the local mesh (rendered from the module at build time). */
    public static RenderedPolicies shipped() {
        try (InputStream in = RenderedPolicies.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The rendered IAM documents " + RESOURCE + " are missing from the"
                        + " classpath: run infra/terraform/render-policies.sh");
            }
            return new RenderedPolicies(RESOURCE, JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    /** Documents in the same shape from a file (a deployment's own render, or a deliberately broken one). */
    public static RenderedPolicies fromFile(Path file) {
        try {
            return new RenderedPolicies(file.toString(), JSON.readTree(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the IAM documents " + file, e);
        }
    }

    /** Where the documents came from: the shipped resource or a file. */
    public String source() {
        return source;
    }

    /** The federation bucket's policy with the bucket named and the per-domain statements once per domain. */
    public Optional<IamPolicy> bucketPolicy(String bucket, Collection<String> domains) {
        return bucketPolicy("bucket_policy", bucket, domains, null);
    }

    /**
     * The bucket policy of an installation with one vertical model, {@code model}, every domain a party of it and its
     * head on the governance side ({@code vertical_bucket_policy}).
     */
    public Optional<IamPolicy> verticalBucketPolicy(String bucket, Collection<String> domains, String model) {
        return bucketPolicy("vertical_bucket_policy", bucket, domains, model);
    }

    private Optional<IamPolicy> bucketPolicy(String document, String bucket, Collection<String> domains, String model) {
        JsonNode template = documents.path(document);
        if (template.isMissingNode() || template.isNull()) {
            return Optional.empty();
        }
        ObjectNode policy = template.deepCopy();
        ArrayNode statements = JSON.createArrayNode();
        for (JsonNode statement : template.path("Statement")) {
            String text = statement.toString();
            if (text.contains(DOMAIN)) {
                for (String domain : domains) {
                    statements.add(parse(fill(text, bucket, domain, model)));
                }
            } else {
                statements.add(parse(fill(text, bucket, null, model)));
            }
        }
        policy.set("Statement", statements);
        return Optional.of(IamPolicy.parse("the bucket policy of " + bucket + " (" + source + ")", policy, true));
    }

    /** The identity policy {@code identity_policies.<role>} (aggregation, domain, registry) for this bucket. */
    public IamPolicy identityPolicy(String role, String bucket, String domain) {
        return identityPolicy(role, bucket, domain, null);
    }

    /** The same, for the vertical roles ({@code vertical-domain}, {@code vertical-head}) of vertical model {@code model}. */
    public IamPolicy identityPolicy(String role, String bucket, String domain, String model) {
        JsonNode template = documents.path("identity_policies").path(role);
        if (template.isMissingNode()) {
            throw new IllegalStateException(source + " has no identity policy '" + role + "' (it has "
                    + names(documents.path("identity_policies").fieldNames()) + ")");
        }
        String name = "the " + role + " identity policy" + (domain == null ? "" : " of " + domain) + " (" + source + ")";
        return IamPolicy.parse(name, parse(fill(template.toString(), bucket, domain, model)), false);
    }

    private String fill(String json, String bucket, String domain, String model) {
        String filled = json.replace(BUCKET, bucket);
        filled = domain == null ? filled : filled.replace(DOMAIN, domain);
        filled = model == null ? filled : filled.replace(MODEL, model);
        if (filled.contains(MODEL)) {
            throw new IllegalStateException("A document of " + source + " names a vertical model (" + MODEL
                    + "): ask for it with the model");
        }
        return filled;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("A filled-in policy is not JSON any more (is a name not JSON-safe?)", e);
        }
    }

    private static String names(Iterator<String> fields) {
        StringBuilder names = new StringBuilder();
        fields.forEachRemaining(name -> names.append(names.isEmpty() ? "" : ", ").append(name));
        return names.toString();
    }
}
