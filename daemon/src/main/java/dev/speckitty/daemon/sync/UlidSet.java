package dev.speckitty.daemon.sync;

/**
 * A set of ULIDs, each held as its 128 bits in two {@code long}s (16 bytes a slot, where a
 * {@code HashSet<String>} takes about 100 bytes an entry): open addressing with linear probing,
 * doubled when half full, up to a fixed number of entries. Only canonical ULIDs are held (26
 * characters of Crockford's base 32 in upper case, the first at most {@code 7}); anything else is
 * refused, and is then simply not a member. Not thread-safe.
 */
final class UlidSet {
    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            VALUES[ALPHABET.charAt(i)] = (byte) i;
        }
    }

    private final int maxEntries;
    private long[] hi = new long[2048];
    private long[] lo = new long[2048];
    private boolean[] used = new boolean[2048];
    private int size;

    /** A set that holds at most {@code maxEntries} ULIDs. */
    UlidSet(int maxEntries) {
        this.maxEntries = maxEntries;
    }

    int size() {
        return size;
    }

    /** Adds {@code ulid}; false when it is not a canonical ULID, is already held, or the set is full. */
    boolean add(String ulid) {
        long[] bits = bits(ulid);
        if (bits == null || size >= maxEntries || contains(bits[0], bits[1])) {
            return false;
        }
        if ((size + 1) * 2 > used.length) {
            grow();
        }
        insert(bits[0], bits[1]);
        size++;
        return true;
    }

    boolean contains(String ulid) {
        long[] bits = bits(ulid);
        return bits != null && contains(bits[0], bits[1]);
    }

    private boolean contains(long h, long l) {
        int mask = used.length - 1;
        for (int i = slot(h, l, mask); used[i]; i = (i + 1) & mask) {
            if (hi[i] == h && lo[i] == l) {
                return true;
            }
        }
        return false;
    }

    private void insert(long h, long l) {
        int mask = used.length - 1;
        int i = slot(h, l, mask);
        while (used[i]) {
            i = (i + 1) & mask;
        }
        used[i] = true;
        hi[i] = h;
        lo[i] = l;
    }

    private void grow() {
        long[] oldHi = hi;
        long[] oldLo = lo;
        boolean[] oldUsed = used;
        hi = new long[oldUsed.length * 2];
        lo = new long[oldUsed.length * 2];
        used = new boolean[oldUsed.length * 2];
        for (int i = 0; i < oldUsed.length; i++) {
            if (oldUsed[i]) {
                insert(oldHi[i], oldLo[i]);
            }
        }
    }

    /** The low 80 bits of a ULID are random; the mix spreads them over the table. */
    private static int slot(long h, long l, int mask) {
        long x = (l ^ h) * 0x9E3779B97F4A7C15L;
        return (int) (x >>> 40) & mask;
    }

    /** The ULID's 128 bits as {high, low}, or null when it is not a canonical ULID. */
    static long[] bits(String ulid) {
        if (ulid == null || ulid.length() != 26 || ulid.charAt(0) > '7') {
            return null;
        }
        long h = 0;
        long l = 0;
        for (int i = 0; i < 26; i++) {
            char c = ulid.charAt(i);
            int v = c < 128 ? VALUES[c] : -1;
            if (v < 0) {
                return null;
            }
            h = (h << 5) | (l >>> 59);
            l = (l << 5) | v;
        }
        return new long[] {h, l};
    }
}
