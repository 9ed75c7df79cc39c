package dev.sgw.smb.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.locks.ReentrantLock;

import dev.sgw.core.access.CheckedFileVolume;
import dev.sgw.core.volume.FileAttributes;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.NamedAttributes;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.VolumeError;
import dev.sgw.core.volume.VolumeException;
import io.netty.buffer.ByteBuf;

/**
 * A file's named data streams, kept in the volume's named attributes ({@link FileVolume#namedAttributes}) as
 * {@code smb.stream.NAME}, the attribute's value being the stream's bytes. A stream is therefore at most
 * {@link NamedAttributes#MAX_VALUE_BYTES} (64 KiB) long, and all of a file's streams, EAs and security
 * descriptor together at most {@link NamedAttributes#MAX_TOTAL_BYTES}: a write or size change beyond that is
 * DISK_FULL (the volume's FBIG), which Windows clients report as a full disk.
 *
 * <p>A stream's bytes change by reading the whole value, changing it and setting it again; {@link #lock}
 * serializes those changes per file (a file's streams share one of a fixed set of locks). Volume calls go
 * through {@link CheckedFileVolume}'s "opened" forms: the open was checked when it was made.
 */
final class NamedStreams {
    private static final int STRIPES = 64;
    private static final ReentrantLock[] LOCKS = new ReentrantLock[STRIPES];

    static {
        for (int i = 0; i < STRIPES; i++) {
            LOCKS[i] = new ReentrantLock();
        }
    }

    private NamedStreams() {}

    /** The lock serializing changes to the streams of {@code node}. */
    static ReentrantLock lock(NodeId node) {
        return LOCKS[Long.hashCode(node.inode() * 0x9E3779B97F4A7C15L) & (STRIPES - 1)];
    }

    /** Whether the volume keeps named attributes (and so streams and EAs). */
    static boolean supported(FileVolume volume) {
        try {
            volume.namedAttributes(volume.root());
            return true;
        } catch (VolumeException e) {
            return e.error() != VolumeError.NOTSUPP;
        } catch (IOException e) {
            return false;
        }
    }

    /** The named attributes of an opened node; empty when the volume keeps none. */
    static NavigableMap<String, byte[]> all(FileVolume volume, NodeId node) throws IOException {
        try {
            return volume instanceof CheckedFileVolume c ? c.namedAttributesOpened(node) : volume.namedAttributes(node);
        } catch (VolumeException e) {
            if (e.error() == VolumeError.NOTSUPP) {
                return new java.util.TreeMap<>();
            }
            throw e;
        }
    }

    /** Sets (or with null removes) a named attribute of an opened node. */
    static FileAttributes set(FileVolume volume, NodeId node, String attribute, byte[] value) throws IOException {
        return volume instanceof CheckedFileVolume c
                ? c.setNamedAttributeOpened(node, attribute, value)
                : volume.setNamedAttribute(node, attribute, value);
    }

    /** A stream found: its name as kept and its bytes. */
    static final class Stream {
        private final String name;
        private final byte[] data;

        Stream(String name, byte[] data) {
            this.name = name;
            this.data = data;
        }

        /** The name as kept (the case it was made with). */
        String name() {
            return name;
        }

        /** The stream's bytes (the caller's copy). */
        byte[] data() {
            return data;
        }

        String attribute() {
            return StreamName.ATTRIBUTE_PREFIX + name;
        }
    }

    /** The stream {@code name} names (without case), or null. */
    static Stream find(FileVolume volume, NodeId node, StreamName name) throws IOException {
        return find(all(volume, node), name);
    }

    static Stream find(NavigableMap<String, byte[]> attributes, StreamName name) {
        for (Map.Entry<String, byte[]> e : attributes
                .subMap(StreamName.ATTRIBUTE_PREFIX, true, StreamName.ATTRIBUTE_PREFIX + '\uffff', true)
                .entrySet()) {
            String kept = e.getKey().substring(StreamName.ATTRIBUTE_PREFIX.length());
            if (name.matches(kept)) {
                return new Stream(kept, e.getValue());
            }
        }
        return null;
    }

    /** The streams of a node, by their names as kept, sorted. */
    static List<Stream> list(FileVolume volume, NodeId node) throws IOException {
        List<Stream> streams = new ArrayList<>();
        NavigableMap<String, byte[]> attributes = all(volume, node);
        for (Map.Entry<String, byte[]> e : attributes
                .subMap(StreamName.ATTRIBUTE_PREFIX, true, StreamName.ATTRIBUTE_PREFIX + '\uffff', true)
                .entrySet()) {
            streams.add(new Stream(e.getKey().substring(StreamName.ATTRIBUTE_PREFIX.length()), e.getValue()));
        }
        return streams;
    }

    /** Removes every named stream of a node (a SUPERSEDE or OVERWRITE of the file). */
    static void removeAll(FileVolume volume, NodeId node) throws IOException {
        ReentrantLock lock = lock(node);
        lock.lock();
        try {
            for (Stream s : list(volume, node)) {
                set(volume, node, s.attribute(), null);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * FileStreamInformation (MS-FSCC 2.4.43): {@code ::$DATA} with the file's size for a file (a directory has
     * no unnamed data stream), then each named stream with its size; entries 8-byte aligned.
     */
    static void writeInformation(ByteBuf out, FileAttributes file, List<Stream> streams) {
        List<String> names = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        List<Long> allocated = new ArrayList<>();
        if (!file.isDirectory()) {
            names.add("::$DATA");
            sizes.add(file.size());
            allocated.add(FileFields.allocation(file));
        }
        for (Stream s : streams) {
            names.add(":" + s.name() + ":$DATA");
            sizes.add((long) s.data().length);
            allocated.add(allocation(s.data().length));
        }
        for (int i = 0; i < names.size(); i++) {
            int start = out.writerIndex();
            byte[] n = names.get(i).getBytes(StandardCharsets.UTF_16LE);
            out.writeIntLE(0); // NextEntryOffset, set below
            out.writeIntLE(n.length);
            out.writeLongLE(sizes.get(i));
            out.writeLongLE(allocated.get(i));
            out.writeBytes(n);
            if (i < names.size() - 1) {
                while ((out.writerIndex() - start) % 8 != 0) {
                    out.writeByte(0);
                }
                out.setIntLE(start, out.writerIndex() - start);
            }
        }
    }

    /** The allocation shown for a stream of {@code size} bytes: whole clusters. */
    static long allocation(long size) {
        return (size + FileFields.CLUSTER - 1) / FileFields.CLUSTER * FileFields.CLUSTER;
    }
}
