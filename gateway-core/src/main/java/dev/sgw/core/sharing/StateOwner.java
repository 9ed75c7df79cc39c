package dev.sgw.core.sharing;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The owner of opens and locks: a protocol, one of its clients, and the owner the client names inside it
 * (an NFSv4 open or lock owner; an SMB open). Two opens or locks of one owner never conflict with each other
 * in share modes, and POSIX locks of one owner replace each other.
 *
 * @param protocol the protocol that keeps the state
 * @param client   the client (an NFSv4 client id, an SMB session or connection id); released by {@link FileSharing#release}
 * @param owner    the opaque owner inside the client, read-only
 */
public record StateOwner(FileProtocol protocol, long client, ByteBuffer owner) {

    public StateOwner {
        Objects.requireNonNull(protocol, "protocol");
        owner = owner.asReadOnlyBuffer();
    }

    /** An owner named by a copy of {@code owner}'s bytes. */
    public static StateOwner of(FileProtocol protocol, long client, byte[] owner) {
        return new StateOwner(protocol, client, ByteBuffer.wrap(owner.clone()));
    }

    /** An owner named by a number (an SMB open's volatile id, a test's thread). */
    public static StateOwner of(FileProtocol protocol, long client, long owner) {
        return new StateOwner(protocol, client, ByteBuffer.allocate(Long.BYTES).putLong(0, owner));
    }

    @Override
    public String toString() {
        byte[] bytes = new byte[owner.remaining()];
        owner.duplicate().get(bytes);
        return protocol + ":" + client + ":" + HexFormat.of().formatHex(bytes);
    }
}
