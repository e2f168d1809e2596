package dev.speckitty.server;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A valid gzip stream of {@code mib} MiB of zeros, built without ever holding the zeros: one deflate
 * block of 1 MiB of zeros is repeated, which is valid because its back-references only ever see zeros.
 */
public final class GzipBomb {
    private GzipBomb() {
    }

    public static byte[] zeros(int mib) {
        byte[] chunk = new byte[1 << 20];
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        d.setInput(chunk);
        byte[] first = flush(d, Deflater.SYNC_FLUSH);
        d.setInput(chunk);
        byte[] block = flush(d, Deflater.SYNC_FLUSH);
        d.finish();
        byte[] last = flush(d, Deflater.FULL_FLUSH);
        d.end();
        CRC32 crc = new CRC32();
        for (int i = 0; i < mib; i++) {
            crc.update(chunk);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff}, 0, 10);
        out.write(first, 0, first.length);
        for (int i = 1; i < mib; i++) {
            out.write(block, 0, block.length);
        }
        out.write(last, 0, last.length);
        long size = (long) mib << 20;
        int c = (int) crc.getValue();
        int s = (int) size;
        out.write(new byte[] {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24),
                (byte) s, (byte) (s >>> 8), (byte) (s >>> 16), (byte) (s >>> 24)}, 0, 8);
        return out.toByteArray();
    }

    private static byte[] flush(Deflater d, int mode) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        while (true) {
            int n = d.deflate(buf, 0, buf.length, mode);
            out.write(buf, 0, n);
            if (n < buf.length && (mode != Deflater.FULL_FLUSH || d.finished())) {
                return out.toByteArray();
            }
        }
    }
}
