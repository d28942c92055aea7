package io.meshfl.mesh.vertical;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which entities are held out for evaluation: a public rule over the entity key (SHA-256 of the seed and the key,
 * below the fraction), so every domain applies it to its own keys and all agree on the same entities without
 * exchanging any. Every model of the demo is evaluated on the held-out entities all domains share.
 */
public record HoldOutRule(long seed, double fraction) {

    public boolean heldOut(String entityKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((seed + ":" + entityKey).getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 7; i++) {
                value = (value << 8) | (digest[i] & 0xff);
            }
            return value < fraction * (1L << 56);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }
}
