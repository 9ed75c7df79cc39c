package dev.sgw.iscsi.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sgw.core.volume.BlockVolume;
import dev.sgw.iscsi.scsi.ItNexus;
import dev.sgw.iscsi.scsi.LogicalUnit;
import dev.sgw.iscsi.scsi.ScsiCommand;
import dev.sgw.iscsi.scsi.ScsiResponse;

/**
 * A minimal SBC logical unit for transport tests and hand runs of the libiscsi tools: TEST UNIT READY,
 * INQUIRY (standard, VPD 0x00/0x80/0x83/0xb0), READ CAPACITY (10/16), REPORT LUNS, MODE SENSE(6), READ and
 * WRITE (6/10/12/16), SYNCHRONIZE CACHE. Anything else is CHECK CONDITION, INVALID COMMAND OPERATION CODE.
 * A test can hold commands at a gate and count resets and lost nexuses.
 */
public final class MemoryLogicalUnit implements LogicalUnit {
    private final BlockVolume volume;
    public final AtomicInteger resets = new AtomicInteger();
    public final List<ItNexus> lostNexuses = new CopyOnWriteArrayList<>();
    public final List<Integer> executed = new CopyOnWriteArrayList<>();
    /** When set, commands wait here (up to 10 s) before running. */
    public volatile CountDownLatch gate;
    /** Counted down when a command reaches the gate. */
    public volatile CountDownLatch arrived = new CountDownLatch(1);

    public MemoryLogicalUnit(BlockVolume volume) {
        this.volume = volume;
    }

    @Override
    public ScsiResponse execute(ScsiCommand c) {
        arrived.countDown();
        CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        executed.add(c.opcode());
        if (c.lun() != 0 && c.opcode() != 0x12 && c.opcode() != 0xa0) {
            return check(0x05, 0x25, 0x00); // LOGICAL UNIT NOT SUPPORTED
        }
        byte[] cdb = c.cdb();
        try {
            return switch (c.opcode()) {
                case 0x00, 0x35, 0x91 -> ScsiResponse.good();
                case 0x12 -> inquiry(c, cdb);
                case 0x25 -> data(c, readCapacity10());
                case 0x9e -> (cdb[1] & 0x1f) == 0x10 ? data(c, readCapacity16()) : check(0x05, 0x24, 0x00);
                case 0xa0 -> data(c, reportLuns());
                case 0x1a -> data(c, new byte[] {3, 0, 0, 0});
                case 0x08 ->
                    io(
                            c,
                            false,
                            ((cdb[1] & 0x1f) << 16) | ((cdb[2] & 0xff) << 8) | (cdb[3] & 0xff),
                            cdb[4] == 0 ? 256 : cdb[4] & 0xff);
                case 0x0a ->
                    io(
                            c,
                            true,
                            ((cdb[1] & 0x1f) << 16) | ((cdb[2] & 0xff) << 8) | (cdb[3] & 0xff),
                            cdb[4] == 0 ? 256 : cdb[4] & 0xff);
                case 0x28, 0x2a -> io(c, c.opcode() == 0x2a, u32(cdb, 2), u16(cdb, 7));
                case 0xa8, 0xaa -> io(c, c.opcode() == 0xaa, u32(cdb, 2), u32(cdb, 6));
                case 0x88, 0x8a ->
                    io(c, c.opcode() == 0x8a, ByteBuffer.wrap(cdb, 2, 8).getLong(), u32(cdb, 10));
                default -> check(0x05, 0x20, 0x00);
            };
        } catch (IOException e) {
            return check(0x03, 0x11, 0x00);
        }
    }

    private ScsiResponse io(ScsiCommand c, boolean write, long lba, long blocks) throws IOException {
        int bs = volume.blockSize();
        long bytes = blocks * bs;
        if (lba < 0 || lba + blocks > volume.capacity() / bs) {
            return check(0x05, 0x21, 0x00); // LBA OUT OF RANGE
        }
        int residual = (int) (c.expectedTransferLength() - bytes);
        long moved = Math.min(bytes, c.expectedTransferLength()) / bs * bs;
        if (write) {
            ByteBuffer src = c.dataOut().duplicate();
            src.limit((int) moved);
            volume.write(lba * bs, src, false);
            return new ScsiResponse(ScsiResponse.GOOD, ByteBuffer.allocate(0), ByteBuffer.allocate(0), residual);
        }
        ByteBuffer dst = ByteBuffer.allocate((int) bytes);
        volume.read(lba * bs, dst);
        dst.flip().limit((int) Math.min(bytes, c.expectedTransferLength()));
        return new ScsiResponse(ScsiResponse.GOOD, ByteBuffer.allocate(0), dst, residual);
    }

    private ScsiResponse inquiry(ScsiCommand c, byte[] cdb) {
        boolean evpd = (cdb[1] & 1) != 0;
        int page = cdb[2] & 0xff;
        byte qualifier = (byte) (c.lun() == 0 ? 0x00 : 0x7f);
        if (!evpd) {
            byte[] d = new byte[36];
            d[0] = qualifier;
            d[2] = 0x06;
            d[3] = 0x02;
            d[4] = 31;
            d[7] = 0x02; // CMDQUE
            put(d, 8, "SGW     ");
            put(d, 16, "TESTLU          ");
            put(d, 32, "0001");
            return data(c, d);
        }
        byte[] d = switch (page) {
            case 0x00 -> new byte[] {qualifier, 0, 0, 4, 0x00, (byte) 0x80, (byte) 0x83, (byte) 0xb0};
            case 0x80 -> {
                byte[] serial = volume.name().getBytes(StandardCharsets.US_ASCII);
                byte[] p = new byte[4 + serial.length];
                p[1] = (byte) 0x80;
                p[3] = (byte) serial.length;
                System.arraycopy(serial, 0, p, 4, serial.length);
                yield p;
            }
            case 0x83 -> {
                byte[] id = ("sgw-" + volume.name()).getBytes(StandardCharsets.US_ASCII);
                byte[] p = new byte[8 + id.length];
                p[1] = (byte) 0x83;
                p[3] = (byte) (4 + id.length);
                p[4] = 0x02; // ASCII
                p[5] = 0x00; // vendor specific, LU association
                p[7] = (byte) id.length;
                System.arraycopy(id, 0, p, 8, id.length);
                yield p;
            }
            case 0xb0 -> {
                byte[] p = new byte[64];
                p[1] = (byte) 0xb0;
                p[3] = 0x3c;
                ByteBuffer.wrap(p).putInt(8, 16384).putInt(12, 128); // max / optimal transfer length in blocks
                yield p;
            }
            default -> null;
        };
        return d == null ? check(0x05, 0x24, 0x00) : data(c, d);
    }

    private byte[] readCapacity10() {
        long last = volume.capacity() / volume.blockSize() - 1;
        return ByteBuffer.allocate(8)
                .putInt((int) Math.min(last, 0xffffffffL))
                .putInt(volume.blockSize())
                .array();
    }

    private byte[] readCapacity16() {
        return ByteBuffer.allocate(32)
                .putLong(volume.capacity() / volume.blockSize() - 1)
                .putInt(volume.blockSize())
                .array();
    }

    private static byte[] reportLuns() {
        return ByteBuffer.allocate(16).putInt(8).array();
    }

    /** Data-in cut to the allocation the initiator gave, with the residual. */
    private static ScsiResponse data(ScsiCommand c, byte[] d) {
        int n = Math.min(d.length, c.expectedTransferLength());
        return new ScsiResponse(
                ScsiResponse.GOOD,
                ByteBuffer.allocate(0),
                ByteBuffer.wrap(d, 0, n).slice(),
                c.expectedTransferLength() - n);
    }

    public static ScsiResponse check(int key, int asc, int ascq) {
        byte[] s = new byte[18];
        s[0] = 0x70;
        s[2] = (byte) key;
        s[7] = 10;
        s[12] = (byte) asc;
        s[13] = (byte) ascq;
        return new ScsiResponse(ScsiResponse.CHECK_CONDITION, ByteBuffer.wrap(s), ByteBuffer.allocate(0), 0);
    }

    private static void put(byte[] d, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, d, at, b.length);
    }

    private static long u32(byte[] b, int at) {
        return ByteBuffer.wrap(b, at, 4).getInt() & 0xffffffffL;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    @Override
    public void reset(ItNexus nexus) {
        resets.incrementAndGet();
    }

    @Override
    public void nexusLost(ItNexus nexus) {
        lostNexuses.add(nexus);
    }
}
