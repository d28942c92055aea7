package io.meshfl.core.strategy.kernel;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The exact sum of non-negative doubles (a superaccumulator): every addend is split into base-2³² digits at its
 * binary exponent and added without rounding, so the sum does not depend on the order or grouping of the additions.
 * Differential privacy's clipping needs each update's L2 distance to the global model; a sharded round computes it
 * as per-shard partial sums added at another node, and only an exact sum makes that the single aggregator's norm to
 * the last bit (whatever the shard boundaries), hence the same clipping factor and the same clipped values.
 *
 * <p>Digit j holds units of 2^(32j − 1074). After {@link #normalize()} every digit is below 2³², so the state is
 * {@link #digits()} and two partial sums merge with {@link #add(ExactSum)}.
 */
public final class ExactSum {

    /** Digits of 32 bits from 2⁻¹⁰⁷⁴ up past 2¹⁰²⁴ (the largest addend's top digit plus carries). */
    public static final int DIGITS = 68;
    private static final long LOW = 0xFFFF_FFFFL;
    /** A digit takes this many additions of values below 2³² before its carries must move up. */
    private static final int ADDS_BEFORE_CARRY = 1 << 30;

    private final long[] digits = new long[DIGITS];
    private int pending;

    public ExactSum() {
    }

    /** A sum from its {@link #digits()}. */
    public static ExactSum of(long[] digits) {
        if (digits.length != DIGITS) {
            throw new IllegalArgumentException("an exact sum has " + DIGITS + " digits, not " + digits.length);
        }
        ExactSum sum = new ExactSum();
        for (int j = 0; j < DIGITS; j++) {
            if (digits[j] < 0) {
                throw new IllegalArgumentException("digit " + j + " of an exact sum is negative: " + digits[j]);
            }
            sum.digits[j] = digits[j];
        }
        sum.pending = ADDS_BEFORE_CARRY - 1; // the digits may be up to 2⁶³: carry before the next addition
        return sum;
    }

    /** Adds {@code value}, which must be finite and not negative (−0.0 and 0.0 add nothing). */
    public void add(double value) {
        long bits = Double.doubleToRawLongBits(value);
        if (value == 0) {
            return;
        }
        if (bits < 0 || bits >= 0x7FF0_0000_0000_0000L) {
            throw new IllegalArgumentException("an exact sum adds finite non-negative values, not " + value);
        }
        int exponent = (int) (bits >>> 52);
        long mantissa = bits & 0x000F_FFFF_FFFF_FFFFL;
        // value = mantissa · 2^(position − 1074)
        int position = 0;
        if (exponent > 0) {
            mantissa |= 1L << 52;
            position = exponent - 1;
        }
        int digit = position >>> 5;
        int shift = position & 31;
        long low = mantissa << shift; // the low 64 bits of the up to 84-bit shifted mantissa
        long high = shift == 0 ? 0 : mantissa >>> (64 - shift);
        digits[digit] += low & LOW;
        digits[digit + 1] += low >>> 32;
        digits[digit + 2] += high;
        if (++pending >= ADDS_BEFORE_CARRY) {
            normalize();
        }
    }

    /** Adds another exact sum (a partial over other coordinates). */
    public void add(ExactSum other) {
        normalize();
        other.normalize();
        for (int j = 0; j < DIGITS; j++) {
            digits[j] += other.digits[j];
        }
        pending = ADDS_BEFORE_CARRY - 1;
        normalize();
    }

    /** Moves every digit's carry up, so that each digit is below 2³² (the top digit holds what is left). */
    public void normalize() {
        long carry = 0;
        for (int j = 0; j < DIGITS; j++) {
            long digit = digits[j] + carry;
            carry = digit >>> 32;
            digits[j] = j == DIGITS - 1 ? digit : digit & LOW;
        }
        pending = 0;
    }

    /** The normalised digits: what a partial sum stores. */
    public long[] digits() {
        normalize();
        return Arrays.copyOf(digits, DIGITS);
    }

    /**
     * The sum as the double nearest to it (ties to even; a sum below 2⁻¹⁰²² may be rounded twice). A function of the
     * exact sum only: any grouping of the same addends gives the same double.
     */
    public double value() {
        normalize();
        BigInteger total = BigInteger.ZERO;
        for (int j = DIGITS - 1; j >= 0; j--) {
            total = total.shiftLeft(32).or(BigInteger.valueOf(digits[j]));
        }
        if (total.signum() == 0) {
            return 0;
        }
        // Keep 62 bits and a sticky bit for everything below them: the long-to-double conversion then rounds as the
        // exact value would be rounded.
        int shift = Math.max(0, total.bitLength() - 62);
        long top = total.shiftRight(shift).longValueExact();
        if (shift > 0 && total.getLowestSetBit() < shift) {
            top |= 1;
        }
        return Math.scalb((double) top, shift - 1074);
    }
}
