package dev.sgw.iscsi.scsi;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * MODE SENSE (6) (1Ah) / (10) (5Ah) and MODE SELECT (6) (15h) / (10) (55h) of SPC-4, over
 * {@link ModePages}. MODE SENSE returns the mode parameter header (device-specific parameter: WP when SWP is
 * set, DPOFUA always), a block descriptor unless DBD (long with LLBAA in MODE SENSE (10)), then the page or
 * all pages (3Fh; subpage 00h or FFh, sgw has no subpages). MODE SELECT checks the whole parameter list
 * before it changes anything, accepts a block descriptor only if it describes the medium as it is, and
 * raises MODE PARAMETERS CHANGED for the other I_T nexuses when a value changed. SP (save) is not supported.
 */
final class ModeCommands {
    private static final int SHORT_DESCRIPTOR = 8;
    private static final int LONG_DESCRIPTOR = 16;

    private final Medium medium;
    private final ModePages pages;
    private final UnitAttentions attentions;

    ModeCommands(Medium medium, ModePages pages, UnitAttentions attentions) {
        this.medium = medium;
        this.pages = pages;
        this.attentions = attentions;
    }

    CommandResult sense6(ScsiCommand command, Cdb cdb) throws ScsiError {
        byte[] body = pages(cdb);
        int descriptor = cdb.bit(1, 0x08) ? 0 : SHORT_DESCRIPTOR;
        ByteBuffer b = ByteBuffer.allocate(4 + descriptor + body.length);
        b.put((byte) (b.capacity() - 1)).put((byte) 0).put(deviceSpecific()).put((byte) descriptor);
        putDescriptor(b, descriptor);
        b.put(body).flip();
        return CommandResult.dataIn(PersistentReserveIn.truncate(b, cdb.u8(4)));
    }

    CommandResult sense10(ScsiCommand command, Cdb cdb) throws ScsiError {
        byte[] body = pages(cdb);
        boolean longLba = cdb.bit(1, 0x10);
        int descriptor = cdb.bit(1, 0x08) ? 0 : longLba ? LONG_DESCRIPTOR : SHORT_DESCRIPTOR;
        ByteBuffer b = ByteBuffer.allocate(8 + descriptor + body.length);
        b.putShort((short) (b.capacity() - 2)).put((byte) 0).put(deviceSpecific());
        b.put((byte) (descriptor == LONG_DESCRIPTOR ? 0x01 : 0)).put((byte) 0).putShort((short) descriptor);
        putDescriptor(b, descriptor);
        b.put(body).flip();
        return CommandResult.dataIn(PersistentReserveIn.truncate(b, cdb.u16(7)));
    }

    CommandResult select6(ScsiCommand command, Cdb cdb) throws ScsiError {
        return select(command, cdb, cdb.u8(4), 4);
    }

    CommandResult select10(ScsiCommand command, Cdb cdb) throws ScsiError {
        return select(command, cdb, cdb.u16(7), 8);
    }

    private CommandResult select(ScsiCommand command, Cdb cdb, int length, int header) throws ScsiError {
        if (cdb.bit(1, 0x01)) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB); // SP: no saved pages
        }
        if (length == 0) {
            return CommandResult.dataOut(0);
        }
        if (length < header) {
            throw ScsiError.check(SenseData.PARAMETER_LIST_LENGTH_ERROR);
        }
        ByteBuffer list = ReceivedData.take(command, length);
        int descriptorLength = header == 4 ? list.get(3) & 0xff : list.getShort(6) & 0xffff;
        boolean longLba = header == 8 && (list.get(4) & 0x01) != 0;
        if (header + descriptorLength > length) {
            throw ScsiError.check(SenseData.PARAMETER_LIST_LENGTH_ERROR);
        }
        checkDescriptor(list.slice(header, descriptorLength), longLba);
        List<byte[]> selected = new ArrayList<>();
        int at = header + descriptorLength;
        while (at < length) {
            if (length - at < 2 || length - at < 2 + (list.get(at + 1) & 0xff)) {
                throw ScsiError.check(SenseData.PARAMETER_LIST_LENGTH_ERROR);
            }
            byte[] page = new byte[2 + (list.get(at + 1) & 0xff)];
            list.get(at, page);
            pages.check(page);
            selected.add(page);
            at += page.length;
        }
        boolean changed = false;
        for (byte[] page : selected) {
            changed |= pages.apply(page);
        }
        if (changed) {
            attentions.raiseOthers(command.nexus(), SenseData.MODE_PARAMETERS_CHANGED);
        }
        return CommandResult.dataOut(length);
    }

    /** A block descriptor in MODE SELECT may only restate the medium: its block count (or 0) and block length. */
    private void checkDescriptor(ByteBuffer descriptor, boolean longLba) throws ScsiError {
        int size = descriptor.remaining();
        if (size == 0) {
            return;
        }
        long blocks;
        long blockLength;
        if (longLba && size == LONG_DESCRIPTOR) {
            blocks = descriptor.getLong(0);
            blockLength = descriptor.getInt(12) & 0xffffffffL;
        } else if (!longLba && size == SHORT_DESCRIPTOR) {
            blocks = descriptor.getInt(0) & 0xffffffffL;
            blockLength = descriptor.getInt(4) & 0xffffffL;
        } else {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_PARAMETER_LIST);
        }
        boolean sameBlocks = blocks == 0 || blocks == shortBlockCount() || blocks == medium.blocks();
        if (!sameBlocks || blockLength != medium.blockSize()) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_PARAMETER_LIST);
        }
    }

    /** The mode pages MODE SENSE asks for, concatenated. */
    // PageControl lists its constants in the order of the CDB's PC field values (0-3)
    @SuppressWarnings("EnumOrdinal")
    private byte[] pages(Cdb cdb) throws ScsiError {
        ModePages.PageControl control = ModePages.PageControl.values()[cdb.u8(2) >> 6];
        int code = cdb.u8(2) & 0x3f;
        int subpage = cdb.u8(3);
        if (control == ModePages.PageControl.SAVED) {
            throw ScsiError.check(SenseData.SAVING_PARAMETERS_NOT_SUPPORTED);
        }
        if ((subpage != 0x00 && subpage != 0xff) || (code != ModePages.ALL_PAGES && !ModePages.exists(code))) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int c : code == ModePages.ALL_PAGES ? ModePages.CODES : List.of(code)) {
            out.writeBytes(pages.page(c, control));
        }
        return out.toByteArray();
    }

    private byte deviceSpecific() {
        return (byte) ((pages.softwareWriteProtect() ? 0x80 : 0) | 0x10); // WP, DPOFUA
    }

    private void putDescriptor(ByteBuffer b, int size) {
        if (size == SHORT_DESCRIPTOR) {
            b.putInt((int) shortBlockCount()).putInt(medium.blockSize() & 0xffffff);
        } else if (size == LONG_DESCRIPTOR) {
            b.putLong(medium.blocks()).putInt(0).putInt(medium.blockSize());
        }
    }

    private long shortBlockCount() {
        return Math.min(medium.blocks(), 0xffffffffL);
    }
}
