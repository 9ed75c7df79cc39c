package dev.sgw.core.sync;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What a share's reverse sync keeps under {@link dev.sgw.core.meta.MetaKeys#syncCheckpoint} so that a scan
 * resumes after a restart or a failure.
 *
 * <p>A checkpoint is written only between listing pages, once every key up to and including
 * {@code lastKey} was merged into the namespace: the scan resumes by asking the page after {@code token}
 * and treats every local entry whose key is at most {@code lastKey} as already merged.
 *
 * <pre>
 * value (big-endian):  version:u8 (1)  complete:u8  token:str  lastKey:str  startedAtMillis:u64
 *                      scanned added changed removed skipped keptLocal directoriesDone: u64 each
 * str: length:i32 (-1 for none) then that many UTF-8 bytes
 * </pre>
 *
 * @param complete  the scan it records ended; the next scan starts from the beginning
 * @param token     the listing token of the next page ({@code null}: none yet, or complete)
 * @param lastKey   the last key merged ({@code null}: none yet)
 */
record ScanCheckpoint(
        boolean complete,
        String token,
        String lastKey,
        long startedAtMillis,
        long scanned,
        long added,
        long changed,
        long removed,
        long skipped,
        long keptLocal,
        long directoriesDone) {

    private static final int VERSION = 1;

    static ScanCheckpoint of(boolean complete, String token, String lastKey, long startedAtMillis, ScanTally tally) {
        return new ScanCheckpoint(
                complete,
                token,
                lastKey,
                startedAtMillis,
                tally.scanned,
                tally.added,
                tally.changed,
                tally.removed,
                tally.skipped,
                tally.keptLocal,
                tally.directoriesDone);
    }

    /** Whether a scan can resume from here (an unfinished scan that got past its first page). */
    boolean resumable() {
        return !complete && token != null && lastKey != null;
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(complete ? 1 : 0);
            writeString(out, token);
            writeString(out, lastKey);
            for (long v :
                    new long[] {startedAtMillis, scanned, added, changed, removed, skipped, keptLocal, directoriesDone
                    }) {
                out.writeLong(v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return bytes.toByteArray();
    }

    /** Decodes a stored checkpoint; {@code IOException} when it is not one this version wrote. */
    static ScanCheckpoint decode(byte[] value) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IOException("reverse-sync checkpoint of unknown version " + version);
            }
            boolean complete = in.readUnsignedByte() != 0;
            String token = readString(in);
            String lastKey = readString(in);
            long[] v = new long[8];
            for (int i = 0; i < v.length; i++) {
                v[i] = in.readLong();
            }
            if (in.available() != 0) {
                throw new IOException("reverse-sync checkpoint has " + in.available() + " trailing bytes");
            }
            return new ScanCheckpoint(complete, token, lastKey, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > in.available()) {
            throw new IOException("reverse-sync checkpoint: bad string length " + length);
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
