package dev.speckitty.engine.sync;

import dev.speckitty.protocol.event.Ulid;

/**
 * A set of ULIDs, each held as its 128 bits in two {@code long}s (16 bytes a slot, where a
 * {@code HashSet<String>} takes about 100 bytes an entry): open addressing with linear probing,
 * doubled when half full, up to a fixed number of entries. Only canonical ULIDs are held
 * ({@link Ulid#bits}); anything else is refused, and is then simply not a member. Not thread-safe.
 */
final class UlidSet {
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
        long[] bits = Ulid.bits(ulid);
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
        long[] bits = Ulid.bits(ulid);
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
}
