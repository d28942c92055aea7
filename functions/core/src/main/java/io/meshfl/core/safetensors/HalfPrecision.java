package io.meshfl.core.safetensors;

/**
 * Conversions between {@code float} and the two 16-bit float formats (IEEE 754 binary16 and bfloat16), rounding
 * to nearest-even as numpy and PyTorch do. Java 17 has no {@code Float.float16ToFloat} yet.
 */
final class HalfPrecision {

    private HalfPrecision() {
    }

    static float f16ToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float subnormal = mantissa * 0x1p-24f;
            return sign == 0 ? subnormal : -subnormal;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    static short floatToF16(float value) {
        int bits = Float.floatToRawIntBits(value);
        short sign = (short) ((bits >>> 16) & 0x8000);
        if (Float.isNaN(value)) {
            return (short) (sign | 0x7e00 | ((bits >>> 13) & 0x3ff));
        }
        float magnitude = Math.abs(value);
        if (magnitude >= 65520f) { // halfway between the largest half (65504) and 2^16 rounds to infinity
            return (short) (sign | 0x7c00);
        }
        if (magnitude <= 0x1p-25f) { // at or below half the smallest subnormal: rounds (to even) to zero
            return sign;
        }
        int exponent = Math.getExponent(value);
        int shift = 13;
        int significand = bits & 0x007f_ffff;
        if (exponent < -14) { // subnormal half: shift the implicit bit in
            shift += -14 - exponent;
            exponent = -15;
            significand |= 0x0080_0000;
        }
        int result = significand >> shift;
        int lowestKept = significand & (1 << shift);
        int roundBit = significand & (1 << (shift - 1));
        int sticky = significand & ((1 << (shift - 1)) - 1);
        if (roundBit != 0 && (lowestKept | sticky) != 0) {
            result++;
        }
        return (short) (sign | (((exponent + 15) << 10) + result));
    }

    static float bf16ToFloat(short bf16) {
        return Float.intBitsToFloat((bf16 & 0xffff) << 16);
    }

    static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        bits += 0x7fff + ((bits >>> 16) & 1);
        return (short) (bits >>> 16);
    }
}
