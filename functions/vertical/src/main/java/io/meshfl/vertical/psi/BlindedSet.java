package io.meshfl.vertical.psi;

import io.meshfl.vertical.hashtocurve.P256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A list of blinded P-256 points as the parties exchange it, with its binary format (version 1):
 *
 * <pre>
 * offset  bytes  field
 * 0       8      magic "MFLPSI01" (ASCII; the last two characters are the format version)
 * 8       4      n, the number of points, unsigned big-endian
 * 12      33·n   the points, SEC 1 compressed (0x02 or 0x03, then x as 32 bytes big-endian), in set order
 * </pre>
 *
 * Compressed points halve the size of the uncompressed form; a reader recomputes y and checks every point lies on the
 * curve. The order is meaningful only to the set's owner (see {@link PsiParty}).
 */
public record BlindedSet(List<byte[]> points) {

    private static final byte[] MAGIC = "MFLPSI01".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_BYTES = MAGIC.length + 4;

    public BlindedSet {
        points = List.copyOf(points);
        for (byte[] point : points) {
            if (point.length != P256.COMPRESSED_POINT_BYTES) {
                throw new IllegalArgumentException("A blinded set holds 33-byte compressed points, got "
                        + point.length + " bytes");
            }
        }
    }

    public int size() {
        return points.size();
    }

    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + points.size() * P256.COMPRESSED_POINT_BYTES);
        out.put(MAGIC).putInt(points.size());
        points.forEach(out::put);
        return out.array();
    }

    /**
     * Reads a blinded set and checks every point.
     *
     * @param what names the object in error messages (its key)
     * @throws IllegalArgumentException naming {@code what} if the bytes are not a version-1 blinded set of valid points
     */
    public static BlindedSet decode(byte[] bytes, String what) {
        if (bytes.length < HEADER_BYTES || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new IllegalArgumentException("'" + what + "' is not a MeshFL blinded set (no MFLPSI01 header)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, MAGIC.length, bytes.length - MAGIC.length);
        long count = Integer.toUnsignedLong(in.getInt());
        long expected = HEADER_BYTES + count * P256.COMPRESSED_POINT_BYTES;
        if (bytes.length != expected) {
            throw new IllegalArgumentException("'" + what + "' announces " + count + " points (" + expected
                    + " bytes) but has " + bytes.length + " bytes");
        }
        List<byte[]> points = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            byte[] point = new byte[P256.COMPRESSED_POINT_BYTES];
            in.get(point);
            try {
                P256.decompress(point);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + what + "': point " + i + " is invalid: " + e.getMessage(), e);
            }
            points.add(point);
        }
        return new BlindedSet(points);
    }
}
