package dev.sgw.smb.file;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.sgw.core.access.CheckedFileVolume;
import dev.sgw.core.file.memory.MemoryFileVolume;
import dev.sgw.core.manage.SmbShare;
import dev.sgw.core.sharing.FileSharing;
import dev.sgw.core.volume.Caller;
import dev.sgw.core.volume.FileVolume;
import dev.sgw.core.volume.VolumeException;
import dev.sgw.smb.server.FileId;
import dev.sgw.smb.server.SmbConnection;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.server.SmbRequest;
import dev.sgw.smb.server.SmbResponse;
import dev.sgw.smb.server.SmbSession;
import dev.sgw.smb.server.SmbTree;
import dev.sgw.smb.server.StatusMapping;
import dev.sgw.smb.wire.NtStatus;
import dev.sgw.smb.wire.Smb2Command;
import dev.sgw.smb.wire.Smb2Header;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A client of {@link DiskTreeCommands} without a network: one connection, session and tree over a volume,
 * requests built byte by byte as MS-SMB2 lays them out, answers as status and body.
 */
final class TestClient {
    static final int READ_WRITE = AccessMask.FILE_READ_DATA
            | AccessMask.FILE_WRITE_DATA
            | AccessMask.FILE_READ_ATTRIBUTES
            | AccessMask.FILE_WRITE_ATTRIBUTES;
    static final int SHARE_ALL = 7;

    /** An answer: its status and body (from StructureSize on), or null for an error. */
    record Answer(int status, ByteBuf body, SmbResponse response) {
        FileId fileId() {
            return FileId.get(body, 64);
        }

        String statusName() {
            return NtStatus.name(status);
        }
    }

    /** An empty volume whose root belongs to uid 1000 (0755), files 0644. */
    static MemoryFileVolume volume() {
        return new MemoryFileVolume("share", new MemoryFileVolume.Settings(1L << 40, 1000, 1000, 0644, 0755));
    }

    final DiskTreeCommands commands;
    final MemoryFileVolume memory;
    final FileSharing sharing;
    final Connection connection;
    final Tree tree;
    final List<ByteBuf> notified = new CopyOnWriteArrayList<>();
    /** The ClientGuid this client's connection negotiated. */
    volatile byte[] clientGuid = new byte[16];
    /** The gateway user of the session. */
    volatile String user = "user";
    /** SMB2 header Flags of the requests sent next (e.g. REPLAY_OPERATION). */
    volatile int flags;

    TestClient(DiskTreeCommands commands, MemoryFileVolume memory, long connectionId, int uid) {
        this.commands = commands;
        this.memory = memory;
        this.sharing = FileSharing.of(memory);
        this.connection = new Connection(connectionId);
        Session session = new Session(connectionId * 10, connection, this);
        this.tree =
                new Tree(1, session, new CheckedFileVolume(memory, new Caller(uid, uid, new int[0]), true), sharing);
    }

    final class Connection implements SmbConnection {
        private final long id;

        Connection(long id) {
            this.id = id;
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public SocketAddress remote() {
            return new InetSocketAddress("127.0.0.1", 1);
        }

        @Override
        public int dialect() {
            return 0x0311;
        }

        @Override
        public byte[] clientGuid() {
            return clientGuid.clone();
        }

        @Override
        public int maxReadSize() {
            return 1 << 20;
        }

        @Override
        public int maxWriteSize() {
            return 1 << 20;
        }

        @Override
        public int maxTransactSize() {
            return 1 << 20;
        }

        @Override
        public ByteBufAllocator alloc() {
            return ByteBufAllocator.DEFAULT;
        }

        @Override
        public void notify(Smb2Command command, long sessionId, ByteBuf body) {
            notified.add(body);
        }
    }

    record Session(long id, SmbConnection connection, TestClient client) implements SmbSession {
        @Override
        public String user() {
            return client.user;
        }

        @Override
        public boolean anonymous() {
            return false;
        }
    }

    record Tree(int id, SmbSession session, FileVolume volume, FileSharing sharing) implements SmbTree {
        @Override
        public String shareName() {
            return "share";
        }

        @Override
        public boolean ipc() {
            return false;
        }

        @Override
        public SmbShare share() {
            return null;
        }

        @Override
        public boolean readOnly() {
            return false;
        }

        @Override
        public int maximalAccess() {
            return AccessMask.FILE_ALL_ACCESS;
        }
    }

    private final class Request implements SmbRequest {
        private final Smb2Header header;
        private final ByteBuf message;
        private FileId used;

        Request(Smb2Command command, ByteBuf message) {
            this.header = new Smb2Header(
                    1,
                    0,
                    command.code(),
                    1,
                    flags,
                    0,
                    1,
                    0,
                    tree.id(),
                    tree.session().id(),
                    null);
            this.message = message;
        }

        @Override
        public Smb2Header header() {
            return header;
        }

        @Override
        public ByteBuf message() {
            return message;
        }

        @Override
        public SmbConnection connection() {
            return connection;
        }

        @Override
        public SmbSession session() {
            return tree.session();
        }

        @Override
        public SmbTree tree() {
            return tree;
        }

        @Override
        public FileId resolve(FileId sent) throws SmbException {
            if (sent.isRelated()) {
                if (used == null) {
                    throw new SmbException(NtStatus.INVALID_PARAMETER, "no related file");
                }
                return used;
            }
            return sent;
        }

        @Override
        public void use(FileId id) {
            used = id;
        }
    }

    /** A message: a zero header and the body {@code body} writes (offsets count from the header). */
    static ByteBuf message(java.util.function.Consumer<ByteBuf> body) {
        ByteBuf m = Unpooled.buffer();
        m.writeZero(64);
        body.accept(m);
        m.readerIndex(64);
        return m;
    }

    Answer send(Smb2Command command, ByteBuf message) throws IOException {
        SmbResponse r;
        try {
            r = commands.handle(command, new Request(command, message));
        } catch (SmbException e) {
            return new Answer(e.status(), null, null);
        } catch (VolumeException e) {
            return new Answer(StatusMapping.of(e), null, null);
        }
        return new Answer(r.status(), r.body(), r);
    }

    /** Waits for an asynchronous answer. */
    Answer await(Answer pending) throws Exception {
        SmbResponse r = pending.response().later().get(10, TimeUnit.SECONDS);
        return new Answer(r.status(), r.body(), r);
    }

    Answer create(String name, int access, int share, int disposition, int options) throws IOException {
        return create(name, access, share, disposition, options, 0, List.of());
    }

    Answer create(
            String name, int access, int share, int disposition, int options, int attributes, List<String> contexts)
            throws IOException {
        byte[] n = name.getBytes(StandardCharsets.UTF_16LE);
        return send(Smb2Command.CREATE, message(m -> {
            m.writeShortLE(57);
            m.writeByte(0);
            m.writeByte(0);
            m.writeIntLE(2);
            m.writeLongLE(0);
            m.writeLongLE(0);
            m.writeIntLE(access);
            m.writeIntLE(attributes);
            m.writeIntLE(share);
            m.writeIntLE(disposition);
            m.writeIntLE(options);
            m.writeShortLE(64 + 56);
            m.writeShortLE(n.length);
            int ctxAt = m.writerIndex();
            m.writeIntLE(0);
            m.writeIntLE(0);
            m.writeBytes(n);
            if (n.length == 0) {
                m.writeByte(0);
            }
            if (!contexts.isEmpty()) {
                while (m.writerIndex() % 8 != 0) {
                    m.writeByte(0);
                }
                int start = m.writerIndex();
                for (int i = 0; i < contexts.size(); i++) {
                    int at = m.writerIndex();
                    m.writeIntLE(i < contexts.size() - 1 ? 24 : 0);
                    m.writeShortLE(16);
                    m.writeShortLE(4);
                    m.writeShortLE(0);
                    m.writeShortLE(0);
                    m.writeIntLE(0);
                    m.writeBytes(contexts.get(i).getBytes(StandardCharsets.ISO_8859_1));
                    m.writeZero(4);
                    if (m.writerIndex() - at != 24) {
                        throw new AssertionError();
                    }
                }
                m.setIntLE(ctxAt, start);
                m.setIntLE(ctxAt + 4, m.writerIndex() - start);
            }
        }));
    }

    /**
     * A CREATE asking for oplock level {@code oplockLevel} (0xFF: a lease) with the create contexts
     * {@code contexts} (name to data).
     */
    Answer createCaching(
            String name, int access, int disposition, int oplockLevel, java.util.Map<String, byte[]> contexts)
            throws IOException {
        return createCaching(name, access, disposition, 0, oplockLevel, contexts);
    }

    Answer createCaching(
            String name,
            int access,
            int disposition,
            int options,
            int oplockLevel,
            java.util.Map<String, byte[]> contexts)
            throws IOException {
        return createCaching(name, access, SHARE_ALL, disposition, options, oplockLevel, contexts);
    }

    /** A CREATE with share access {@code share}, oplock level {@code oplockLevel} and create contexts. */
    Answer createCaching(
            String name,
            int access,
            int share,
            int disposition,
            int options,
            int oplockLevel,
            java.util.Map<String, byte[]> contexts)
            throws IOException {
        byte[] n = name.getBytes(StandardCharsets.UTF_16LE);
        return send(Smb2Command.CREATE, message(m -> {
            m.writeShortLE(57);
            m.writeByte(0);
            m.writeByte(oplockLevel);
            m.writeIntLE(2);
            m.writeLongLE(0);
            m.writeLongLE(0);
            m.writeIntLE(access);
            m.writeIntLE(0);
            m.writeIntLE(share);
            m.writeIntLE(disposition);
            m.writeIntLE(options);
            m.writeShortLE(64 + 56);
            m.writeShortLE(n.length);
            int ctxAt = m.writerIndex();
            m.writeIntLE(0);
            m.writeIntLE(0);
            m.writeBytes(n);
            if (n.length == 0) {
                m.writeByte(0);
            }
            if (contexts.isEmpty()) {
                return;
            }
            while (m.writerIndex() % 8 != 0) {
                m.writeByte(0);
            }
            int start = m.writerIndex();
            int i = 0;
            for (var e : contexts.entrySet()) {
                int at = m.writerIndex();
                byte[] contextName = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
                int dataOffset = 16 + (contextName.length + 7) / 8 * 8;
                m.writeIntLE(0);
                m.writeShortLE(16);
                m.writeShortLE(contextName.length);
                m.writeShortLE(0);
                m.writeShortLE(dataOffset);
                m.writeIntLE(e.getValue().length);
                m.writeBytes(contextName);
                m.writeZero(dataOffset - 16 - contextName.length);
                m.writeBytes(e.getValue());
                if (++i < contexts.size()) {
                    while (m.writerIndex() % 8 != 0) {
                        m.writeByte(0);
                    }
                    m.setIntLE(at, m.writerIndex() - at);
                }
            }
            m.setIntLE(ctxAt, start);
            m.setIntLE(ctxAt + 4, m.writerIndex() - start);
        }));
    }

    /** The data of response create context {@code name} of a CREATE answer, or null. */
    static ByteBuf responseContext(Answer a, String name) {
        ByteBuf b = a.body();
        int offset = b.getIntLE(80);
        if (offset == 0) {
            return null;
        }
        int at = offset - 64;
        while (true) {
            int next = b.getIntLE(at);
            String n = b.toString(at + b.getUnsignedShortLE(at + 4), 4, StandardCharsets.ISO_8859_1);
            if (n.equals(name)) {
                return b.slice(at + b.getUnsignedShortLE(at + 10), b.getIntLE(at + 12));
            }
            if (next == 0) {
                return null;
            }
            at += next;
        }
    }

    /** OPLOCK_BREAK: an oplock break acknowledgment (MS-SMB2 2.2.24.1). */
    Answer acknowledgeOplock(FileId id, int level) throws IOException {
        return send(Smb2Command.OPLOCK_BREAK, message(m -> {
            m.writeShortLE(24);
            m.writeByte(level);
            m.writeByte(0);
            m.writeIntLE(0);
            id.write(m);
        }));
    }

    /** OPLOCK_BREAK: a lease break acknowledgment (MS-SMB2 2.2.24.2). */
    Answer acknowledgeLease(byte[] key, int state) throws IOException {
        return send(Smb2Command.OPLOCK_BREAK, message(m -> {
            m.writeShortLE(36);
            m.writeShortLE(0);
            m.writeIntLE(0);
            m.writeBytes(key);
            m.writeIntLE(state);
            m.writeLongLE(0);
        }));
    }

    /** Opens {@code name} (OPEN_IF, read/write, all sharing) and returns its id, failing on an error. */
    FileId open(String name, int disposition, int options) throws IOException {
        Answer a = create(name, READ_WRITE | AccessMask.DELETE, SHARE_ALL, disposition, options);
        if (a.status() != 0) {
            throw new AssertionError("create " + name + ": " + a.statusName());
        }
        return a.fileId();
    }

    Answer close(FileId id, int flags) throws IOException {
        return send(Smb2Command.CLOSE, message(m -> {
            m.writeShortLE(24);
            m.writeShortLE(flags);
            m.writeIntLE(0);
            id.write(m);
        }));
    }

    Answer write(FileId id, long offset, byte[] data) throws IOException {
        return send(Smb2Command.WRITE, message(m -> {
            m.writeShortLE(49);
            m.writeShortLE(64 + 48);
            m.writeIntLE(data.length);
            m.writeLongLE(offset);
            id.write(m);
            m.writeIntLE(0);
            m.writeIntLE(0);
            m.writeShortLE(0);
            m.writeShortLE(0);
            m.writeIntLE(0);
            m.writeBytes(data);
        }));
    }

    /**
     * A WRITE whose message arrives as the transport hands over one longer than a socket read: a composite of
     * direct buffers of {@code piece} bytes each.
     */
    Answer writeInPieces(FileId id, long offset, byte[] data, int piece) throws IOException {
        ByteBuf whole = message(m -> {
            m.writeShortLE(49);
            m.writeShortLE(64 + 48);
            m.writeIntLE(data.length);
            m.writeLongLE(offset);
            id.write(m);
            m.writeIntLE(0);
            m.writeIntLE(0);
            m.writeShortLE(0);
            m.writeShortLE(0);
            m.writeIntLE(0);
            m.writeBytes(data);
        });
        CompositeByteBuf pieces = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        for (int at = 0; at < whole.writerIndex(); at += piece) {
            int n = Math.min(piece, whole.writerIndex() - at);
            pieces.addComponent(true, Unpooled.directBuffer(n).writeBytes(whole, at, n));
        }
        whole.release();
        pieces.readerIndex(64);
        try {
            return send(Smb2Command.WRITE, pieces);
        } finally {
            pieces.release();
        }
    }

    Answer read(FileId id, long offset, int length, int minimum) throws IOException {
        return send(Smb2Command.READ, message(m -> {
            m.writeShortLE(49);
            m.writeByte(0);
            m.writeByte(0);
            m.writeIntLE(length);
            m.writeLongLE(offset);
            id.write(m);
            m.writeIntLE(minimum);
            m.writeIntLE(0);
            m.writeIntLE(0);
            m.writeShortLE(0);
            m.writeShortLE(0);
            m.writeByte(0);
        }));
    }

    Answer flush(FileId id) throws IOException {
        return send(Smb2Command.FLUSH, message(m -> {
            m.writeShortLE(24);
            m.writeShortLE(0);
            m.writeIntLE(0);
            id.write(m);
        }));
    }

    Answer queryDirectory(FileId id, int infoClass, int flags, String pattern, int outputLength) throws IOException {
        byte[] p = pattern.getBytes(StandardCharsets.UTF_16LE);
        return send(Smb2Command.QUERY_DIRECTORY, message(m -> {
            m.writeShortLE(33);
            m.writeByte(infoClass);
            m.writeByte(flags);
            m.writeIntLE(0);
            id.write(m);
            m.writeShortLE(p.length == 0 ? 0 : 64 + 32);
            m.writeShortLE(p.length);
            m.writeIntLE(outputLength);
            m.writeBytes(p);
            if (p.length == 0) {
                m.writeByte(0);
            }
        }));
    }

    Answer queryInfo(FileId id, int infoType, int infoClass, int outputLength, int additional) throws IOException {
        return send(Smb2Command.QUERY_INFO, message(m -> {
            m.writeShortLE(41);
            m.writeByte(infoType);
            m.writeByte(infoClass);
            m.writeIntLE(outputLength);
            m.writeShortLE(0);
            m.writeShortLE(0);
            m.writeIntLE(0);
            m.writeIntLE(additional);
            m.writeIntLE(0);
            id.write(m);
            m.writeByte(0);
        }));
    }

    Answer setInfo(FileId id, int infoType, int infoClass, int additional, byte[] buffer) throws IOException {
        return send(Smb2Command.SET_INFO, message(m -> {
            m.writeShortLE(33);
            m.writeByte(infoType);
            m.writeByte(infoClass);
            m.writeIntLE(buffer.length);
            m.writeShortLE(64 + 32);
            m.writeShortLE(0);
            m.writeIntLE(additional);
            id.write(m);
            m.writeBytes(buffer);
        }));
    }

    /** One LOCK element: offset, length, flags. */
    record LockElement(long offset, long length, int flags) {}

    Answer lock(FileId id, LockElement... elements) throws IOException {
        return lock(id, 0, elements);
    }

    /** LOCK with LockSequence {@code lockSequence} (number in the low 4 bits, bucket index above). */
    Answer lock(FileId id, int lockSequence, LockElement... elements) throws IOException {
        return send(Smb2Command.LOCK, message(m -> {
            m.writeShortLE(48);
            m.writeShortLE(elements.length);
            m.writeIntLE(lockSequence);
            id.write(m);
            for (LockElement e : elements) {
                m.writeLongLE(e.offset());
                m.writeLongLE(e.length());
                m.writeIntLE(e.flags());
                m.writeIntLE(0);
            }
        }));
    }

    Answer ioctl(FileId id, int code, byte[] input, int maxOutput) throws IOException {
        return send(Smb2Command.IOCTL, message(m -> {
            m.writeShortLE(57);
            m.writeShortLE(0);
            m.writeIntLE(code);
            id.write(m);
            m.writeIntLE(64 + 56);
            m.writeIntLE(input.length);
            m.writeIntLE(0);
            m.writeIntLE(0);
            m.writeIntLE(0);
            m.writeIntLE(maxOutput);
            m.writeIntLE(1);
            m.writeIntLE(0);
            m.writeBytes(input);
        }));
    }

    Answer changeNotify(FileId id, int flags, int outputLength, int filter) throws IOException {
        return send(Smb2Command.CHANGE_NOTIFY, message(m -> {
            m.writeShortLE(32);
            m.writeShortLE(flags);
            m.writeIntLE(outputLength);
            id.write(m);
            m.writeIntLE(filter);
            m.writeIntLE(0);
        }));
    }

    /** The entry names of a QUERY_DIRECTORY answer in class {@code infoClass}. */
    static List<String> names(Answer a, int infoClass) {
        List<String> names = new java.util.ArrayList<>();
        ByteBuf b = a.body();
        int base = b.getUnsignedShortLE(2) - 64;
        int at = base;
        while (true) {
            int next = b.getIntLE(at);
            int nameLengthAt = infoClass == DirectoryQuery.NAMES ? 8 : 60;
            int length = b.getIntLE(at + nameLengthAt);
            int nameAt = at + DirectoryQuery.fixedSize(infoClass);
            names.add(b.toString(nameAt, length, StandardCharsets.UTF_16LE));
            if (next == 0) {
                return names;
            }
            at += next;
        }
    }
}
