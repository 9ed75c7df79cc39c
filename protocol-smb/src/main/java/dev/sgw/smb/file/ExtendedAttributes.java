package dev.sgw.smb.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.locks.ReentrantLock;

import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.NodeId;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.wire.NtStatus;
import io.netty.buffer.ByteBuf;

/**
 * A file's extended attributes (EAs, MS-FSCC 2.4.15), kept in the volume's named attributes as
 * {@code smb.ea.NAME}, the value being the EA's value. NTFS keeps EA names without case and gives them back in
 * upper case, so the name is kept upper-cased; setting an EA with an empty value removes it.
 *
 * <pre>
 * FILE_FULL_EA_INFORMATION (each entry 4-byte aligned, NextEntryOffset 0 on the last):
 *   0 NextEntryOffset (4)  4 Flags (1)  5 EaNameLength (1)  6 EaValueLength (2)  8 EaName, NUL  EaValue
 * FILE_GET_EA_INFORMATION (the names a query asks for):
 *   0 NextEntryOffset (4)  4 EaNameLength (1)  5 EaName, NUL
 * </pre>
 *
 * A name that is empty or holds a character FAT does not allow in names ({@code " * + , / : ; < = > ? [ \ ] |}
 * or a control character) is INVALID_EA_NAME; a list whose lengths do not fit its buffer is
 * EA_LIST_INCONSISTENT. EaSize (FileEaInformation, FileAllInformation) is the size of the
 * FILE_FULL_EA_INFORMATION list of all the file's EAs, what a client needs to read them (directory listings show
 * the same). A query gives every EA asked for at once (SL_RETURN_SINGLE_ENTRY and SL_INDEX_SPECIFIED are
 * not kept per open).
 */
final class ExtendedAttributes {
    static final String ATTRIBUTE_PREFIX = "smb.ea.";
    private static final String INVALID_NAME_CHARS = "\"*+,/:;<=>?[\\]|";

    private ExtendedAttributes() {}

    /**
     * Decodes a FILE_FULL_EA_INFORMATION list: upper-cased name to value (empty: remove), in order.
     *
     * @throws SmbException EA_LIST_INCONSISTENT, INVALID_EA_NAME
     */
    static Map<String, byte[]> decodeFull(ByteBuf b) throws SmbException {
        Map<String, byte[]> eas = new LinkedHashMap<>();
        int at = 0;
        while (true) {
            if (at + 8 > b.readableBytes()) {
                throw inconsistent("an entry at " + at);
            }
            long next = b.getUnsignedIntLE(b.readerIndex() + at);
            int nameLength = b.getUnsignedByte(b.readerIndex() + at + 5);
            int valueLength = b.getUnsignedShortLE(b.readerIndex() + at + 6);
            int end = at + 8 + nameLength + 1 + valueLength;
            if (end > b.readableBytes() || (next != 0 && (next < end - at || next % 4 != 0))) {
                throw inconsistent("entry at " + at);
            }
            String name = name(b, b.readerIndex() + at + 8, nameLength);
            byte[] value = new byte[valueLength];
            b.getBytes(b.readerIndex() + at + 8 + nameLength + 1, value);
            eas.put(name, value);
            if (next == 0) {
                return eas;
            }
            at += (int) next;
        }
    }

    /** Decodes a FILE_GET_EA_INFORMATION list: the upper-cased names asked for, in order. */
    static List<String> decodeNames(ByteBuf b) throws SmbException {
        List<String> names = new ArrayList<>();
        int at = 0;
        while (true) {
            if (at + 5 > b.readableBytes()) {
                throw inconsistent("an entry at " + at);
            }
            long next = b.getUnsignedIntLE(b.readerIndex() + at);
            int nameLength = b.getUnsignedByte(b.readerIndex() + at + 4);
            if (at + 5 + nameLength > b.readableBytes() || (next != 0 && next < 5 + nameLength)) {
                throw inconsistent("entry at " + at);
            }
            names.add(name(b, b.readerIndex() + at + 5, nameLength));
            if (next == 0) {
                return names;
            }
            at += (int) next;
        }
    }

    private static String name(ByteBuf b, int at, int length) throws SmbException {
        String name = b.toString(at, length, StandardCharsets.ISO_8859_1);
        if (name.isEmpty()) {
            throw new SmbException(NtStatus.INVALID_EA_NAME, "an empty EA name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7F || INVALID_NAME_CHARS.indexOf(c) >= 0) {
                throw new SmbException(NtStatus.INVALID_EA_NAME, "EA name '" + name + "'");
            }
        }
        return name.toUpperCase(Locale.ROOT);
    }

    private static SmbException inconsistent(String what) {
        return new SmbException(NtStatus.EA_LIST_INCONSISTENT, "FILE_FULL_EA_INFORMATION: " + what);
    }

    /** The EAs of an opened node, upper-cased name to value, sorted. */
    static Map<String, byte[]> of(FileVolume volume, NodeId node) throws IOException {
        NavigableMap<String, byte[]> all = NamedStreams.all(volume, node);
        Map<String, byte[]> eas = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : all.subMap(ATTRIBUTE_PREFIX, true, ATTRIBUTE_PREFIX + '\uffff', true)
                .entrySet()) {
            eas.put(e.getKey().substring(ATTRIBUTE_PREFIX.length()), e.getValue());
        }
        return eas;
    }

    /** Sets (a value) or removes (an empty one) each EA of {@code eas} on an opened node. */
    static void set(FileVolume volume, NodeId node, Map<String, byte[]> eas) throws IOException {
        ReentrantLock lock = NamedStreams.lock(node);
        lock.lock();
        try {
            for (Map.Entry<String, byte[]> e : eas.entrySet()) {
                byte[] value = e.getValue().length == 0 ? null : e.getValue();
                NamedStreams.set(volume, node, ATTRIBUTE_PREFIX + e.getKey(), value);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes {@code eas} as a FILE_FULL_EA_INFORMATION list. */
    static void writeFull(ByteBuf out, Map<String, byte[]> eas) {
        int i = 0;
        for (Map.Entry<String, byte[]> e : eas.entrySet()) {
            int start = out.writerIndex();
            byte[] name = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
            out.writeIntLE(0);
            out.writeByte(0); // Flags
            out.writeByte(name.length);
            out.writeShortLE(e.getValue().length);
            out.writeBytes(name);
            out.writeByte(0);
            out.writeBytes(e.getValue());
            if (++i < eas.size()) {
                while ((out.writerIndex() - start) % 4 != 0) {
                    out.writeByte(0);
                }
                out.setIntLE(start, out.writerIndex() - start);
            }
        }
    }

    /** The EAs a query answers: all, or those {@code asked} (a missing one with an empty value). */
    static Map<String, byte[]> select(Map<String, byte[]> eas, List<String> asked) {
        if (asked == null) {
            return eas;
        }
        Map<String, byte[]> chosen = new LinkedHashMap<>();
        for (String name : asked) {
            byte[] value = eas.get(name);
            chosen.put(name, value == null ? new byte[0] : value);
        }
        return chosen;
    }

    /**
     * The EaSize of a directory entry: {@link #size} of its EAs; 0 when it has gone meanwhile (a listing goes on
     * past an entry removed under it).
     */
    static int sizeOf(FileVolume volume, NodeId node) throws IOException {
        try {
            return size(of(volume, node));
        } catch (VolumeException e) {
            return 0;
        }
    }

    /** EaSize: the bytes of the FILE_FULL_EA_INFORMATION list of all of {@code eas}; 0 without EAs. */
    static int size(Map<String, byte[]> eas) {
        int size = 0;
        int i = 0;
        for (Map.Entry<String, byte[]> e : eas.entrySet()) {
            int entry = 8 + e.getKey().length() + 1 + e.getValue().length;
            size += ++i < eas.size() ? (entry + 3) / 4 * 4 : entry;
        }
        return size;
    }
}
