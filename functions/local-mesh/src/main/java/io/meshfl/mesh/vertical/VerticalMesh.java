package io.meshfl.mesh.vertical;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.objectstore.S3Settings;
import io.meshfl.mesh.iam.IamPolicy;
import io.meshfl.mesh.objectstore.AccessPolicy;
import io.meshfl.mesh.objectstore.LocalObjectStoreServer;
import io.meshfl.mesh.objectstore.S3Principal;
import io.meshfl.vertical.psi.BlindingKey;
import io.meshfl.vertical.psi.EntityAlignment;
import io.meshfl.vertical.psi.EntityKeys;
import io.meshfl.vertical.psi.PsiParty;
import io.meshfl.vertical.psi.PsiProgress;
import io.meshfl.vertical.psi.PsiSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The vertical demo's mesh: the local S3 server (S3Proxy on loopback, objects as files under the data directory)
 * whose object-created events drive the step handlers ({@link StepEvents}), a client of it, and the private set
 * intersection run through it.
 */
final class VerticalMesh implements AutoCloseable {

    static final String BUCKET = "meshfl-vertical";

    private final StepEvents events = new StepEvents();
    private final LocalObjectStoreServer server;
    private final S3ObjectStore store;

    VerticalMesh(Path objects) {
        byte[] secret = new byte[20];
        new SecureRandom().nextBytes(secret);
        String accessKey = "vertical-demo";
        String secretKey = HexFormat.of().formatHex(secret);
        // One principal that may do anything: the vertical keys are not in the Terraform policies yet.
        IamPolicy everything;
        try {
            everything = IamPolicy.parse("vertical-demo", new ObjectMapper().readTree(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"),
                    false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AccessPolicy policy = new AccessPolicy("vertical-demo", "arn:aws:iam::000000000000:user/vertical-demo",
                List.of(everything), Optional.empty());
        server = LocalObjectStoreServer.start(objects, BUCKET, 0, List.of(new S3Principal(accessKey, secretKey, policy)),
                events);
        store = S3ObjectStore.connect(new S3Settings(BUCKET, server.region(), Optional.of(server.endpoint()), true,
                Optional.of(accessKey), Optional.of(secretKey)));
    }

    S3ObjectStore store() {
        return store;
    }

    StepEvents events() {
        return events;
    }

    /**
     * Aligns the domains' entities by ECDH private set intersection through the store: each party advances whenever it
     * can, as the blinded sets' events would trigger it, until every party is aligned.
     */
    Map<String, EntityAlignment> align(String model, String session, Map<String, List<String>> keysByDomain,
            long seed) {
        PsiSession psi = new PsiSession(model, session, List.copyOf(keysByDomain.keySet()));
        SecureRandom random = demoRandom(seed);
        Map<String, PsiParty> parties = new LinkedHashMap<>();
        keysByDomain.forEach((domain, keys) -> parties.put(domain,
                new PsiParty(psi, domain, BlindingKey.random(random), EntityKeys.of(keys))));
        Map<String, EntityAlignment> aligned = new LinkedHashMap<>();
        for (int sweep = 0; sweep <= parties.size() && aligned.size() < parties.size(); sweep++) {
            for (PsiParty party : parties.values()) {
                if (!aligned.containsKey(party.party())
                        && party.advance(store) instanceof PsiProgress.Aligned done) {
                    aligned.put(party.party(), done.alignment());
                }
            }
        }
        if (aligned.size() < parties.size()) {
            throw new IllegalStateException("The private set intersection did not finish; aligned: " + aligned.keySet());
        }
        return aligned;
    }

    /**
     * The demo's blinding scalars come from a generator seeded with the demo's seed, so a run can be repeated exactly:
     * the scalars fix the pseudonyms, hence the common order and which entities each batch window holds (with fresh
     * scalars the same seed trained on other batches every run). A party in a deployment draws its scalar from a
     * fresh {@link SecureRandom} and keeps it secret; a seeded one is for a demo whose data is public anyway.
     */
    private static SecureRandom demoRandom(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(("meshfl-vertical-demo:" + seed).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return random;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA1PRNG", e);
        }
    }

    @Override
    public void close() {
        events.close();
        store.close();
        server.close();
    }
}
