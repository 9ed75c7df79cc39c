package dev.sgw.smb.server;

import dev.sgw.core.manage.SmbShare;
import dev.sgw.core.sharing.FileSharing;
import dev.sgw.core.volume.FileVolume;

/**
 * A tree connect (MS-SMB2 3.3.1.9) and the commands that serve it. Immutable: what the share's settings gave
 * at connect time (read-only, maximal access, encryption) holds until the tree is disconnected.
 */
final class Tree implements SmbTree {
    private final int id;
    private final Session session;
    private final String shareName;
    private final SmbShare share;
    private final FileVolume volume;
    private final FileSharing sharing;
    private final boolean readOnly;
    private final int maximalAccess;
    private final boolean encryptData;
    private final TreeCommands commands;

    /** A tree whose requests need not be encrypted (unless its session's must). */
    Tree(
            int id,
            Session session,
            String shareName,
            SmbShare share,
            FileVolume volume,
            FileSharing sharing,
            boolean readOnly,
            int maximalAccess,
            TreeCommands commands) {
        this(id, session, shareName, share, volume, sharing, readOnly, maximalAccess, false, commands);
    }

    /** {@code encryptData}: every request on the tree must come encrypted (TreeConnect.Share.EncryptData). */
    Tree(
            int id,
            Session session,
            String shareName,
            SmbShare share,
            FileVolume volume,
            FileSharing sharing,
            boolean readOnly,
            int maximalAccess,
            boolean encryptData,
            TreeCommands commands) {
        this.id = id;
        this.session = session;
        this.shareName = shareName;
        this.share = share;
        this.volume = volume;
        this.sharing = sharing;
        this.readOnly = readOnly;
        this.maximalAccess = maximalAccess;
        this.encryptData = encryptData;
        this.commands = commands;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public Session session() {
        return session;
    }

    @Override
    public String shareName() {
        return shareName;
    }

    @Override
    public boolean ipc() {
        return share == null;
    }

    @Override
    public SmbShare share() {
        return share;
    }

    @Override
    public FileVolume volume() {
        return volume;
    }

    @Override
    public FileSharing sharing() {
        return sharing;
    }

    /**
     * Read-only for the share's configuration, and while the session's user may not use the share: a session
     * reauthenticated as anonymous or as a user the share does not allow keeps its trees and the access its
     * opens were granted, but makes no new files or names through them (as on Windows, where new access is
     * checked against the new user).
     */
    @Override
    public boolean readOnly() {
        return readOnly || (share != null && !session.mayUse(share));
    }

    @Override
    public int maximalAccess() {
        return maximalAccess;
    }

    /** Whether a plaintext request on this tree is refused (MS-SMB2 3.3.5.2.11). */
    boolean encryptData() {
        return encryptData;
    }

    TreeCommands commands() {
        return commands;
    }
}
