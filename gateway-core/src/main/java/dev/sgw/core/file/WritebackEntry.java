package dev.sgw.core.file;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import dev.sgw.core.volume.FileType;

/**
 * One entry of a share's write-back journal ({@code MetaKeys.journalEntry}, in sequence order): something
 * the bucket must be told. Entries are written in the same RocksDB batch as the namespace change that
 * causes them, so none is forgotten after a crash; the uploader deletes an entry when it is done with it.
 * They are intents, safe to apply late and more than once:
 *
 * <pre>
 * kind     fields                          what the uploader does
 * -------  ------------------------------  ---------------------------------------------------------------
 * CONTENT  inode                           make the object(s) at the inode's current path(s) match it: a
 *                                          file's content and attributes, a directory's marker, a
 *                                          symbolic link; nothing if the inode is gone
 *                                          ({@link WritebackSource#openUpload})
 * RENAME   inode type path newPath etag    move the object at {@code path} (a directory: every object under
 *                                          {@code path/}) to {@code newPath}; for a file, only while the
 *                                          object at {@code path} still has {@code etag}
 * REMOVE   inode type path etag            delete the object at {@code path} if it still has {@code etag}
 *                                          (a directory: its marker)
 * </pre>
 *
 * Paths have no leading slash. At most one CONTENT entry per inode is outstanding while the inode's
 * {@code pendingUpload} flag is set.
 */
public record WritebackEntry(
        long sequence, Kind kind, long inode, FileType type, String path, String newPath, String etag) {

    /** What changed. */
    public enum Kind {
        CONTENT,
        RENAME,
        REMOVE
    }

    static WritebackEntry content(long inode, FileType type) {
        return new WritebackEntry(0, Kind.CONTENT, inode, type, null, null, null);
    }

    static WritebackEntry rename(long inode, FileType type, String path, String newPath, String etag) {
        return new WritebackEntry(0, Kind.RENAME, inode, type, path, newPath, etag);
    }

    static WritebackEntry remove(long inode, FileType type, String path, String etag) {
        return new WritebackEntry(0, Kind.REMOVE, inode, type, path, null, etag);
    }

    WritebackEntry withSequence(long seq) {
        return new WritebackEntry(seq, kind, inode, type, path, newPath, etag);
    }

    // the enum's declaration order is its stored code: new constants go last, none is reordered
    @SuppressWarnings("EnumOrdinal")
    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(kind.ordinal());
            out.writeLong(inode);
            out.writeByte(type.ordinal());
            for (String s : new String[] {path, newPath, etag}) {
                out.writeBoolean(s != null);
                if (s != null) {
                    out.writeUTF(s);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    // the enum's declaration order is its stored code: new constants go last, none is reordered
    @SuppressWarnings("EnumOrdinal")
    static WritebackEntry decode(long sequence, byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            Kind kind = Kind.values()[in.readByte()];
            long inode = in.readLong();
            FileType type = FileType.values()[in.readByte()];
            String[] s = new String[3];
            for (int i = 0; i < 3; i++) {
                s[i] = in.readBoolean() ? in.readUTF() : null;
            }
            return new WritebackEntry(sequence, kind, inode, type, s[0], s[1], s[2]);
        } catch (IOException | IndexOutOfBoundsException e) {
            throw new IllegalStateException("journal entry " + sequence + " is corrupt", e);
        }
    }
}
