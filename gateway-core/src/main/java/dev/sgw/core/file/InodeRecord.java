package dev.sgw.core.file;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import dev.sgw.core.volume.DosAttributes;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileType;
import dev.sgw.core.volume.NodeId;

/**
 * One inode of a share as stored under {@code MetaKeys.inode}: POSIX attributes, where it is linked, and
 * its bucket-facing state. A mutable value: callers decode a fresh copy, change it while holding the
 * inode's lock and write it back in one batch.
 *
 * <h2>Bucket-facing states</h2>
 * <pre>
 * state     etag  pendingUpload contentInBucket  meaning
 * --------  ----  ------------- ---------------  ---------------------------------------------------
 * NEW       null  true          false            made here, never uploaded; a CONTENT entry is journaled
 * UPLOADED  E     false         CACHE: true      object E in the bucket is this version (in SYNC mode
 *                               SYNC: false      every chunk is also local)
 * CHANGED   E     true          either           changed here since E; a CONTENT entry is journaled
 * IMPORTED  E     false         true             seen in the bucket (reverse sync), nothing local yet;
 *                                                attributesPending until the first getattr HEADs it
 *
 * event                                   -> next state
 * create, mkdir, symlink                  -> NEW
 * write, truncate, setattr                -> CHANGED (NEW stays NEW)
 * upload completed, content unchanged     -> UPLOADED (etag = the new one)
 * upload completed, content changed since -> CHANGED with the new etag (uploaded again later)
 * objectSeen with another etag            UPLOADED/IMPORTED -> IMPORTED (cached chunks dropped);
 *                                         NEW/CHANGED -> unchanged (the uploader resolves the conflict)
 * conflict                                -> NEW under the conflict path (etag null, a new CONTENT entry)
 * </pre>
 *
 * <p>Other fields of the bucket side: {@code objectSize} is the size of object {@code etag};
 * {@code bucketExtent} is how many leading bytes of the file still equal that object (a truncate lowers
 * it), so a chunk that is not cached is read from the object only below it, zeros above;
 * {@code contentVersion} rises with every write and truncate, so an upload can tell whether what it sent
 * is still the file's content; {@code lastRenameSeq} is the journal entry of a rename not yet applied in
 * the bucket (0: none), which keeps reverse sync from deleting the file (or a directory's subtree) under
 * its new name meanwhile; {@code staleChunkEnd} marks chunks past the end that a truncate still has to drop
 * (0: none), redone after a crash before the file's data is used.
 *
 * <p>Times are nanoseconds since the epoch, as set: {@code btime} is the birth (creation) time. {@code dos}
 * holds the {@link DosAttributes} bits. {@code createVerifier} is the verifier of the exclusive create that
 * made the file, if one did ({@code hasCreateVerifier}). {@code hasNamedAttributes} says that the inode has
 * named attributes, kept beside the record under {@code MetaKeys.namedAttributes} ({@link InodeTable}).
 *
 * <h2>Stored formats</h2>
 * <pre>
 * format  written by        fields after the leading format byte
 * ------  ----------------  ------------------------------------------------------------------------------
 * 1       earlier versions  type, flags, generation, mode, uid, gid, size, nlink, atime, mtime, ctime,
 *                           change, symlink, links, nextSlot, etag, objectSize, bucketExtent,
 *                           contentVersion, lastRenameSeq, staleChunkEnd
 * 2       this version      format 1's fields, then btime (u64), dos (u8), createVerifier (u64, present
 *                           when the HAS_CREATE_VERIFIER flag is set); flag HAS_NAMED_ATTRIBUTES (16),
 *                           which older versions do not set, says the inode has named attributes
 * </pre>
 * The dos byte holds the {@link DosAttributes} bits that fit in it (read-only, hidden, system, archive) and
 * SPARSE_FILE (0x200) as bit 0x40 (FILE_ATTRIBUTE_DEVICE's, never a kept attribute, so older records read
 * as not sparse).
 * A format 1 record reads with {@code btime} the earlier of its mtime and ctime, the default DOS
 * attributes of its type and no create verifier; it is rewritten as format 2 by its next change.
 *
 * <p>Links: a directory has one (its parent and name; the root none), a file one per hard link, so
 * a file's paths are found by walking parents up to the root. {@code nextSlot} numbers a directory's
 * entries for readdir cookies.
 */
final class InodeRecord {
    /** The format this version writes; see "Stored formats". */
    private static final byte FORMAT = 2;

    private static final byte FORMAT_WITHOUT_BIRTH_TIME = 1;
    private static final int CONTENT_IN_BUCKET = 1;
    private static final int ATTRIBUTES_PENDING = 2;
    private static final int PENDING_UPLOAD = 4;
    private static final int HAS_CREATE_VERIFIER = 8;
    private static final int HAS_NAMED_ATTRIBUTES = 16;
    /** Where the stored dos byte keeps {@link DosAttributes#SPARSE_FILE}. */
    private static final int STORED_SPARSE = 0x40;

    /** One name of an inode: entry {@code name} of directory {@code parent}. */
    record Link(long parent, String name) {}

    long inode;
    long generation = 1;
    FileType type;
    int mode;
    int uid;
    int gid;
    long size;
    int nlink;
    long atime;
    long mtime;
    long ctime;
    long btime;
    long change;
    int dos;
    boolean hasCreateVerifier;
    long createVerifier;
    boolean hasNamedAttributes;
    String symlink;
    List<Link> links = new ArrayList<>();
    long nextSlot = 1;
    String etag;
    long objectSize;
    long bucketExtent;
    boolean contentInBucket;
    boolean attributesPending;
    boolean pendingUpload;
    long contentVersion;
    long lastRenameSeq;
    long staleChunkEnd;

    NodeId id() {
        return new NodeId(inode, generation);
    }

    boolean isDirectory() {
        return type == FileType.DIRECTORY;
    }

    /** Marks a change of attributes at {@code now} (ctime and the change counter). */
    void touchAttributes(long now) {
        ctime = Math.max(ctime, now);
        change++;
    }

    /** Marks a change of content at {@code now} (mtime, ctime, change counter). */
    void touchContent(long now) {
        mtime = now;
        touchAttributes(now);
    }

    FileAttributes attributes() {
        long used = type == FileType.DIRECTORY ? 4096 : size;
        return new FileAttributes(
                id(),
                type,
                mode,
                nlink,
                uid,
                gid,
                size,
                used,
                atime,
                mtime,
                ctime,
                btime,
                change,
                new DosAttributes(dos));
    }

    InodeRecord copy() {
        return decode(inode, encode());
    }

    // the enum's declaration order is its stored code: new constants go last, none is reordered
    @SuppressWarnings("EnumOrdinal")
    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeByte(type.ordinal());
            out.writeByte((contentInBucket ? CONTENT_IN_BUCKET : 0)
                    | (attributesPending ? ATTRIBUTES_PENDING : 0)
                    | (pendingUpload ? PENDING_UPLOAD : 0)
                    | (hasCreateVerifier ? HAS_CREATE_VERIFIER : 0)
                    | (hasNamedAttributes ? HAS_NAMED_ATTRIBUTES : 0));
            out.writeLong(generation);
            out.writeInt(mode);
            out.writeInt(uid);
            out.writeInt(gid);
            out.writeLong(size);
            out.writeInt(nlink);
            out.writeLong(atime);
            out.writeLong(mtime);
            out.writeLong(ctime);
            out.writeLong(change);
            writeNullable(out, symlink);
            out.writeShort(links.size());
            for (Link link : links) {
                out.writeLong(link.parent());
                out.writeUTF(link.name());
            }
            out.writeLong(nextSlot);
            writeNullable(out, etag);
            out.writeLong(objectSize);
            out.writeLong(bucketExtent);
            out.writeLong(contentVersion);
            out.writeLong(lastRenameSeq);
            out.writeLong(staleChunkEnd);
            out.writeLong(btime);
            out.writeByte(storedDos(dos));
            if (hasCreateVerifier) {
                out.writeLong(createVerifier);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return bytes.toByteArray();
    }

    // the enum's declaration order is its stored code: new constants go last, none is reordered
    @SuppressWarnings("EnumOrdinal")
    static InodeRecord decode(long inode, byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            byte format = in.readByte();
            if (format != FORMAT && format != FORMAT_WITHOUT_BIRTH_TIME) {
                throw new IllegalStateException("inode " + inode + ": unknown record format " + format);
            }
            InodeRecord r = new InodeRecord();
            r.inode = inode;
            r.type = FileType.values()[in.readByte()];
            int flags = in.readByte();
            r.contentInBucket = (flags & CONTENT_IN_BUCKET) != 0;
            r.attributesPending = (flags & ATTRIBUTES_PENDING) != 0;
            r.pendingUpload = (flags & PENDING_UPLOAD) != 0;
            r.hasNamedAttributes = (flags & HAS_NAMED_ATTRIBUTES) != 0;
            r.generation = in.readLong();
            r.mode = in.readInt();
            r.uid = in.readInt();
            r.gid = in.readInt();
            r.size = in.readLong();
            r.nlink = in.readInt();
            r.atime = in.readLong();
            r.mtime = in.readLong();
            r.ctime = in.readLong();
            r.change = in.readLong();
            r.symlink = readNullable(in);
            int linkCount = in.readShort();
            r.links = new ArrayList<>(linkCount);
            for (int i = 0; i < linkCount; i++) {
                r.links.add(new Link(in.readLong(), in.readUTF()));
            }
            r.nextSlot = in.readLong();
            r.etag = readNullable(in);
            r.objectSize = in.readLong();
            r.bucketExtent = in.readLong();
            r.contentVersion = in.readLong();
            r.lastRenameSeq = in.readLong();
            r.staleChunkEnd = in.readLong();
            if (format == FORMAT_WITHOUT_BIRTH_TIME) {
                r.btime = Math.min(r.mtime, r.ctime);
                r.dos = DosAttributes.defaultFor(r.type).bits();
            } else {
                r.btime = in.readLong();
                r.dos = dosOfStored(in.readByte());
                r.hasCreateVerifier = (flags & HAS_CREATE_VERIFIER) != 0;
                if (r.hasCreateVerifier) {
                    r.createVerifier = in.readLong();
                }
            }
            return r;
        } catch (IOException | IndexOutOfBoundsException e) {
            throw new IllegalStateException("inode " + inode + ": corrupt record", e);
        }
    }

    /** The dos byte of {@code bits}: the low attributes as they are, SPARSE_FILE as {@link #STORED_SPARSE}. */
    private static int storedDos(int bits) {
        int low = bits & 0xFF & ~STORED_SPARSE;
        return (bits & DosAttributes.SPARSE_FILE) != 0 ? low | STORED_SPARSE : low;
    }

    private static int dosOfStored(byte stored) {
        int bits = stored & 0xFF;
        int sparse = (bits & STORED_SPARSE) != 0 ? DosAttributes.SPARSE_FILE : 0;
        return DosAttributes.of((bits & ~STORED_SPARSE) | sparse).bits();
    }

    private static void writeNullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
