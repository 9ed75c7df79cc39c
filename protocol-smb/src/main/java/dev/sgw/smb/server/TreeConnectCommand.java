package dev.sgw.smb.server;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.sgw.core.access.CheckedFileVolume;
import dev.sgw.core.manage.SmbShare;
import dev.sgw.core.manage.SmbUser;
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
 * session) or an SMB share. The share and the session's user are looked up at every connect, so that a
 * management change applies from the next tree connect on; a tree keeps what it was given until it ends.
 *
 * <pre>
 * check, in this order                                          | refused with
 * --------------------------------------------------------------+-------------------------------------
 * the share exists and its volume is open                       | BAD_NETWORK_NAME
 * the session is not anonymous; its user is one of the share's  | ACCESS_DENIED (logged)
 *   allowedUsers, exists and is enabled                         |
 * an encryptData share: the session can encrypt (SMB 3.x with a | ACCESS_DENIED (logged); no setting
 *   cipher; a 2.x client cannot)                                |   lets such a client in unencrypted
 * </pre>
 *
 * <pre>
 * the user is          | MaximalAccess                  | the tree's volume
 * ---------------------+--------------------------------+----------------------------------------------------
 * allowed              | FILE_ALL_ACCESS                | a {@link CheckedFileVolume} as the user's uid:gid,
 *                      |                                | by default the share's owner (ownerUid:ownerGid):
 *                      |                                | the files they make are theirs
 * one of readOnlyUsers | FILE_GENERIC_READ and          | the same, read-only: an open asking for more is
 *                      | FILE_GENERIC_EXECUTE (no       | ACCESS_DENIED, and so is a write, a SET_INFO, a
 *                      | write, append, delete,         | rename or a delete through an open without the
 *                      | attribute or security changes) | right; any change the volume sees is refused
 * </pre>
 *
 * ShareFlags carries SMB2_SHAREFLAG_ENCRYPT_DATA when the share or the session must encrypt: the client
 * then encrypts every request on the tree, and the dispatcher refuses one that comes in plaintext
 * (3.3.5.2.11).
 */
final class TreeConnectCommand {
    private static final Logger LOG = LoggerFactory.getLogger(TreeConnectCommand.class);
    static final String IPC = "IPC$";
    static final int SHARE_TYPE_DISK = 0x01;
    static final int SHARE_TYPE_PIPE = 0x02;
    static final int SHAREFLAG_ENCRYPT_DATA = 0x8000;
    /** FILE_ALL_ACCESS. */
    static final int FULL_ACCESS = 0x001F01FF;
    /** FILE_GENERIC_READ | FILE_GENERIC_EXECUTE: what a read-only user's tree allows at most. */
    static final int READ_ACCESS = 0x001200A9;

    private final SmbSettings settings;
    private final VolumeDirectory volumes;
    private final Function<String, Optional<SmbUser>> users;
    private final TreeCommands pipes;
    private final Supplier<TreeCommands> disk;

    /** {@code users}: the SMB user of a name (any case), empty when there is none. */
    TreeConnectCommand(
            SmbSettings settings,
            VolumeDirectory volumes,
            Function<String, Optional<SmbUser>> users,
            TreeCommands pipes,
            Supplier<TreeCommands> disk) {
        this.settings = settings;
        this.volumes = volumes;
        this.users = users;
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
        out.writeIntLE(!tree.ipc() && tree.encryptData() ? SHAREFLAG_ENCRYPT_DATA : 0);
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
        SmbUser user = allowedUser(r, s, share);
        if (share.encryptData() && s.sealer() == null) {
            LOG.warn(
                    "SMB tree connect to '{}' by {} from {} refused: the share requires encryption and the "
                            + "connection (dialect {}) cannot encrypt",
                    share.name(),
                    s.user(),
                    r.connection().remote(),
                    String.format("%04x", r.connection().negotiated().dialect()));
            throw new SmbException(NtStatus.ACCESS_DENIED, share.name() + " requires encryption");
        }
        TreeCommands commands = disk.get();
        if (commands == null) {
            throw new SmbException(NtStatus.NOT_SUPPORTED, "disk shares are not served by this build");
        }
        boolean readOnly = share.readOnlyFor(s.user());
        Caller caller = new Caller(user.uidOn(share), user.gidOn(share), new int[0]);
        CheckedFileVolume volume = new CheckedFileVolume(found.get().volume(), caller, !readOnly);
        return new Tree(
                s.newTreeId(),
                s,
                share.name(),
                share,
                volume,
                found.get().sharing(),
                readOnly,
                readOnly ? READ_ACCESS : FULL_ACCESS,
                share.encryptData() || s.encryptData(),
                commands);
    }

    /** The session's user when they may use {@code share}; ACCESS_DENIED, logged, when not. */
    private SmbUser allowedUser(Request r, Session s, SmbShare share) throws SmbException {
        Optional<SmbUser> user = s.anonymous() ? Optional.empty() : users.apply(s.user());
        String refusal;
        if (s.anonymous()) {
            refusal = "an anonymous session";
        } else if (!share.allows(s.user())) {
            refusal = "not an allowed user";
        } else if (user.isEmpty()) {
            refusal = "no such user";
        } else if (!user.get().enabled()) {
            refusal = "the user is disabled";
        } else {
            return user.get();
        }
        LOG.warn(
                "SMB tree connect to '{}' by {} from {} refused: {}",
                share.name(),
                s.anonymous() ? "an anonymous session" : s.user(),
                r.connection().remote(),
                refusal);
        throw new SmbException(NtStatus.ACCESS_DENIED, s.user() + " may not use share " + share.name());
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
