package smptrace.litmus;

/**
 * The sizes and signedness herd7 gives the C types of a test's initial state (herdtools7
 * lib/testType.ml {@code size_of} and {@code is_signed}, with the C machine word of 4 bytes), for
 * the byte layout of arrays and the masking of a location's final value to its type.
 */
final class CTypes {
    private CTypes() {
    }

    /** herd7's default type of a location declared without one. */
    static final String DEFAULT = "int";

    /**
     * The size in bytes of an element of an array of {@code type}, as herd7 lays arrays out; refuses
     * types herd7 has no size for, and the 64- and 128-bit types, on which herd7 7.58's C front end
     * stops ("mask 32 bit value 0x0 with quad mask").
     */
    static int bytes(String type) {
        switch (type) {
            case "atomic_t": case "int": case "long": case "int32_t": case "uint32_t":
            case "intptr_t": case "uintptr_t": case "pteval_t":
                return 4;
            case "char": case "int8_t": case "uint8_t":
                return 1;
            case "short": case "int16_t": case "uint16_t":
                return 2;
            case "int64_t": case "uint64_t": case "__int128_t": case "__uint128_t": case "__int128": case "__uint128":
            case "int128_t": case "uint128_t":
                throw new UnsupportedLitmusException("arrays of " + type + " (herd7 7.58 fails on 64-bit and wider"
                    + " C locations: 'mask 32 bit value with quad mask')");
            default:
                throw new UnsupportedLitmusException("arrays of " + type + " (herd7 has no size for this type;"
                    + " it knows int, long, char, short, atomic_t, intN_t/uintN_t, intptr_t)");
        }
    }

    /** Whether herd7 knows the size of {@code type} (the types {@link #mask} applies to). */
    static boolean sized(String type) {
        switch (type) {
            case "atomic_t": case "int": case "long": case "int32_t": case "uint32_t":
            case "intptr_t": case "uintptr_t": case "pteval_t":
            case "char": case "int8_t": case "uint8_t":
            case "short": case "int16_t": case "uint16_t":
                return true;
            default:
                return false;
        }
    }

    /**
     * An integer as herd7 shows a location of {@code type} holding it in the final state: cut to the
     * type's size and sign-extended for the signed types (a char location written 300 reads 44 in the
     * condition, 128 reads -128). Types herd7 has no size for are left alone.
     */
    static long mask(String type, long v) {
        if (type == null) {
            type = DEFAULT;
        }
        if (!sized(type)) {
            return v;
        }
        int bits = 8 * bytes(type);
        long m = v & ((1L << bits) - 1);
        if (signed(type) && (m >>> (bits - 1) & 1) != 0) {
            m -= 1L << bits;
        }
        return m;
    }

    private static boolean signed(String type) {
        switch (type) {
            case "int": case "long": case "int32_t": case "char": case "int8_t": case "short": case "int16_t":
            case "intptr_t":
                return true;
            default:
                return false;
        }
    }
}
