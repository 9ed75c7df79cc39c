package dev.sgw.smb.server;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

import dev.sgw.core.access.CheckedFileVolume;
import dev.sgw.core.manage.SmbShare;
import dev.sgw.core.spi.VolumeDirectory;
import dev.sgw.core.volume.Caller;
import dev.sgw.smb.wire.NtStatus;
import dev.sgw.smb.wire.Smb2Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TREE_CONNECT (MS-SMB2 2.2.9, 2.2.10, 3.3.5.7): {@code \\server\share} names IPC$ (named pipes, for any
 * session) or an SMB share, looked up at every connect; the session's user must be among the share's allowed
 * users. A disk tree sees the share's volume as the share's owner (ownerUid/ownerGid), checked by a
 * {@link CheckedFileVolume}.
 */
final class TreeConnectCommand {
    private static final Logger LOG = LoggerFactory.getLogger(TreeConnectCommand.class);
    static final String IPC = "IPC$";
    static final int SHARE_TYPE_DISK = 0x01;
    static final int SHARE_TYPE_PIPE = 0x02;
    static final int SHAREFLAG_ENCRYPT_DATA = 0x8000;
    /** FILE_ALL_ACCESS. */
    static final int FULL_ACCESS = 0x001F01FF;

    private final SmbSettings settings;
    private final VolumeDirectory volumes;
    private final TreeCommands pipes;
    private final Supplier<TreeCommands> disk;

    TreeConnectCommand(SmbSettings settings, VolumeDirectory volumes, TreeCommands pipes, Supplier<TreeCommands> disk) {
        this.settings = settings;
        this.volumes = volumes;
        this.pipes = pipes;
        this.disk = disk;
    }

    SmbResponse handle(Request r) throws SmbException {
        String name = shareName(r.message());
        Session s = r.session();
        if (s.treeCount() >= settings.maxTrees()) {
            throw new SmbException(
                    NtStatus.INSUFFICIENT_RESOURCES, "session has " + settings.maxTrees() + " tree connects already");
        }
        Tree tree;
        if (name.equalsIgnoreCase(IPC)) {
            tree = new Tree(s.newTreeId(), s, name, null, null, null, false, FULL_ACCESS, pipes);
        } else {
            tree = diskTree(r, s, name);
        }
        s.add(tree);
        r.responseTreeId = tree.id();
        ByteBuf out = Unpooled.buffer(16);
        out.writeShortLE(16);
        out.writeByte(tree.ipc() ? SHARE_TYPE_PIPE : SHARE_TYPE_DISK);
        out.writeByte(0);
        out.writeIntLE(!tree.ipc() && s.encryptData() ? SHAREFLAG_ENCRYPT_DATA : 0);
        out.writeIntLE(0);
        out.writeIntLE(tree.maximalAccess());
        return SmbResponse.of(out);
    }

    private Tree diskTree(Request r, Session s, String name) throws SmbException {
        Optional<VolumeDirectory.SmbExport> found = volumes.smb(name);
        if (found.isEmpty() || found.get().volume() == null) {
            throw new SmbException(NtStatus.BAD_NETWORK_NAME, "no share '" + name + "'");
        }
        SmbShare share = found.get().share();
        if (!s.mayUse(share)) {
            LOG.warn(
                    "SMB tree connect to '{}' by {} from {} refused: not an allowed user",
                    share.name(),
                    s.anonymous() ? "an anonymous session" : s.user(),
                    r.connection().remote());
            throw new SmbException(NtStatus.ACCESS_DENIED, s.user() + " may not use share " + share.name());
        }
        TreeCommands commands = disk.get();
        if (commands == null) {
            throw new SmbException(NtStatus.NOT_SUPPORTED, "disk shares are not served by this build");
        }
        Caller owner = new Caller(share.ownerUid(), share.ownerGid(), new int[0]);
        CheckedFileVolume volume = new CheckedFileVolume(found.get().volume(), owner, true);
        return new Tree(
                s.newTreeId(), s, share.name(), share, volume, found.get().sharing(), false, FULL_ACCESS, commands);
    }

    /** The share name of the request's path {@code \\server\share} (the part after the last backslash). */
    static String shareName(ByteBuf m) throws SmbException {
        int body = Smb2Header.SIZE;
        if (m.writerIndex() < body + 8 || m.getUnsignedShortLE(body) != 9) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "TREE_CONNECT request too short");
        }
        int offset = m.getUnsignedShortLE(body + 4);
        int length = m.getUnsignedShortLE(body + 6);
        if (length == 0 || offset < body + 8 || offset + length > m.writerIndex() || length % 2 != 0) {
            throw new SmbException(NtStatus.INVALID_PARAMETER, "TREE_CONNECT path outside the request");
        }
        String path = m.toString(offset, length, StandardCharsets.UTF_16LE);
        String name = path.substring(path.lastIndexOf('\\') + 1);
        if (name.isEmpty() || !path.startsWith("\\\\")) {
            throw new SmbException(NtStatus.BAD_NETWORK_NAME, "tree connect path '" + path + "'");
        }
        return name;
    }
}
