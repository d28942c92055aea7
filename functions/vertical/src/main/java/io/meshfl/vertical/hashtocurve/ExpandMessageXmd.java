package io.meshfl.vertical.hashtocurve;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@code expand_message_xmd} with SHA-256 (RFC 9380, section 5.3.1): stretches a message and a domain separation
 * tag (DST) into {@code lenInBytes} uniformly random bytes. A DST longer than 255 bytes is first hashed to 32 bytes
 * (section 5.3.3), as the RFC requires, so any DST is accepted.
 */
public final class ExpandMessageXmd {

    private static final int B_IN_BYTES = 32;
    private static final int S_IN_BYTES = 64;
    private static final byte[] OVERSIZE_PREFIX = "H2C-OVERSIZE-DST-".getBytes(StandardCharsets.US_ASCII);

    private ExpandMessageXmd() {
    }

    public static byte[] expand(byte[] msg, byte[] dst, int lenInBytes) {
        int ell = (lenInBytes + B_IN_BYTES - 1) / B_IN_BYTES;
        if (lenInBytes <= 0 || ell > 255 || lenInBytes > 65535) {
            throw new IllegalArgumentException("expand_message_xmd: len_in_bytes must be 1..min(8160, 65535), got "
                    + lenInBytes);
        }
        byte[] dstPrime = dstPrime(dst);

        MessageDigest h = sha256();
        h.update(new byte[S_IN_BYTES]);
        h.update(msg);
        h.update(new byte[] {(byte) (lenInBytes >>> 8), (byte) lenInBytes, 0});
        h.update(dstPrime);
        byte[] b0 = h.digest();

        byte[] uniform = new byte[lenInBytes];
        byte[] previous = new byte[B_IN_BYTES];
        for (int i = 1; i <= ell; i++) {
            byte[] chained = new byte[B_IN_BYTES];
            for (int j = 0; j < B_IN_BYTES; j++) {
                chained[j] = (byte) (b0[j] ^ previous[j]);
            }
            h.update(i == 1 ? b0 : chained);
            h.update((byte) i);
            h.update(dstPrime);
            previous = h.digest();
            int offset = (i - 1) * B_IN_BYTES;
            System.arraycopy(previous, 0, uniform, offset, Math.min(B_IN_BYTES, lenInBytes - offset));
        }
        return uniform;
    }

    /** {@code DST || I2OSP(len(DST), 1)}, after reducing an oversize DST (section 5.3.3). */
    static byte[] dstPrime(byte[] dst) {
        byte[] tag = dst;
        if (dst.length > 255) {
            MessageDigest h = sha256();
            h.update(OVERSIZE_PREFIX);
            h.update(dst);
            tag = h.digest();
        }
        byte[] prime = new byte[tag.length + 1];
        System.arraycopy(tag, 0, prime, 0, tag.length);
        prime[tag.length] = (byte) tag.length;
        return prime;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }
}
