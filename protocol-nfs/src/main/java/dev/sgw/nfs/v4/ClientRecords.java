package dev.sgw.nfs.v4;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The clients that hold state, kept across restarts (RFC 8881 section 8.4.3) so that after a restart the grace
 * period waits only for the clients that may reclaim: it ends at once when there were none, and as soon as all of
 * them sent RECLAIM_COMPLETE. Without such records ({@link #none()}) the grace period runs its full length.
 */
public interface ClientRecords {

    /** The client owners recorded before this run, or empty when that is unknown. */
    Optional<Set<ByteBuffer>> previous();

    /** Records a client owner that was confirmed (it may hold state). */
    void add(byte[] owner);

    /** Forgets a client owner (destroyed, expired, or gone for good). */
    void remove(byte[] owner);

    /** No stable storage: nothing is known of earlier runs. */
    public static ClientRecords none() {
        return new ClientRecords() {
            @Override
            public Optional<Set<ByteBuffer>> previous() {
                return Optional.empty();
            }

            @Override
            public void add(byte[] owner) {}

            @Override
            public void remove(byte[] owner) {}
        };
    }

    /**
     * Records in a text file, one hexadecimal owner per line, rewritten whole (through a temporary file and an
     * atomic rename) on every change; a missing file means no clients.
     */
    public static ClientRecords file(Path path) throws IOException {
        Set<ByteBuffer> loaded = new LinkedHashSet<>();
        if (Files.exists(path)) {
            for (String line : Files.readAllLines(path, StandardCharsets.US_ASCII)) {
                if (!line.isBlank()) {
                    loaded.add(ByteBuffer.wrap(HexFormat.of().parseHex(line.strip())));
                }
            }
        }
        Set<ByteBuffer> previous = Set.copyOf(loaded);
        return new ClientRecords() {
            private final Set<ByteBuffer> owners = new LinkedHashSet<>(loaded);

            @Override
            public Optional<Set<ByteBuffer>> previous() {
                return Optional.of(previous);
            }

            @Override
            public synchronized void add(byte[] owner) {
                if (owners.add(ByteBuffer.wrap(owner.clone()))) {
                    write();
                }
            }

            @Override
            public synchronized void remove(byte[] owner) {
                if (owners.remove(ByteBuffer.wrap(owner))) {
                    write();
                }
            }

            private void write() {
                StringBuilder text = new StringBuilder();
                for (ByteBuffer o : owners) {
                    byte[] b = new byte[o.remaining()];
                    o.duplicate().get(b);
                    text.append(HexFormat.of().formatHex(b)).append('\n');
                }
                try {
                    Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
                    Files.writeString(tmp, text, StandardCharsets.US_ASCII);
                    Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot record NFSv4 clients in " + path, e);
                }
            }
        };
    }
}
