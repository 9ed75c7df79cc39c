package dev.sgw.iscsi.scsi;

import java.util.HexFormat;

import static dev.sgw.iscsi.scsi.Access.ANY;
import static dev.sgw.iscsi.scsi.Access.READ;
import static dev.sgw.iscsi.scsi.Access.STATUS;
import static dev.sgw.iscsi.scsi.Access.WRITE;

/**
 * The SPC-4/SBC-3 commands of a {@link BlockLogicalUnit}, wired into its {@link OpcodeTable} in one place:
 * opcode, service action, name, reservation {@link Access}, CDB usage data and handler. The usage data
 * lists the bits the logical unit evaluates (REPORT SUPPORTED OPERATION CODES returns it as it is); it is
 * written in hex after the opcode (and service action) bytes, one space between CDB fields, so that e.g.
 * {@code "18 ffffffff 00 ffff 00"} reads: flags DPO and FUA, a 4-byte LBA, group number not evaluated,
 * a 2-byte transfer length, control byte not evaluated.
 */
final class BlockCommandSet {
    private BlockCommandSet() {}

    /** The collaborators the commands need. */
    record Parts(
            Medium medium,
            BlockLimits limits,
            UnitIdentity identity,
            ModePages modePages,
            UnitAttentions attentions,
            LegacyReservation legacy,
            PersistentReservations persistent) {}

    static OpcodeTable build(Parts p) {
        OpcodeTable t = new OpcodeTable();
        UnitCommands unit = new UnitCommands(p.medium(), p.attentions());
        InquiryCommand inquiry = new InquiryCommand(p.identity(), new VpdPages(p.identity(), p.medium(), p.limits()));
        ReadWriteCommands io = new ReadWriteCommands(p.medium(), p.limits());
        CapacityCommands capacity = new CapacityCommands(p.medium());
        CacheCommands cache = new CacheCommands(p.medium());
        ModeCommands mode = new ModeCommands(p.medium(), p.modePages(), p.attentions());
        ReportCommands report = new ReportCommands(t);
        ReserveReleaseCommands reserve = new ReserveReleaseCommands(p.legacy(), p.persistent());
        PersistentReserveIn prIn = new PersistentReserveIn(p.persistent());
        PersistentReserveOut prOut = new PersistentReserveOut(p.persistent());
        WriteSameCommand writeSame = new WriteSameCommand(p.medium(), p.limits());
        UnmapCommand unmap = new UnmapCommand(p.medium(), p.limits());
        CompareAndWriteCommand compareAndWrite = new CompareAndWriteCommand(p.medium(), p.limits());
        OrWriteCommand orWrite = new OrWriteCommand(p.medium(), p.limits());

        add(t, 0x00, "TEST UNIT READY", STATUS, unit::testUnitReady, "00 00 00 00 00");
        add(t, 0x03, "REQUEST SENSE", ANY, unit::requestSense, "01 00 00 ff 00");
        add(t, 0x08, "READ (6)", READ, io::read, "1f ffff ff 00");
        add(t, 0x0a, "WRITE (6)", WRITE, io::write, "1f ffff ff 00");
        add(t, 0x12, "INQUIRY", ANY, inquiry::execute, "01 ff ffff 00");
        add(t, 0x15, "MODE SELECT (6)", WRITE, mode::select6, "11 00 00 ff 00");
        add(t, 0x16, "RESERVE (6)", ANY, reserve::reserve, "00 00 00 00 00");
        add(t, 0x17, "RELEASE (6)", ANY, reserve::release, "00 00 00 00 00");
        add(t, 0x1a, "MODE SENSE (6)", READ, mode::sense6, "08 ff ff ff 00");
        add(t, 0x1b, "START STOP UNIT", WRITE, unit::startStopUnit, "01 00 00 f7 00");
        add(t, 0x1e, "PREVENT ALLOW MEDIUM REMOVAL", WRITE, unit::preventAllowMediumRemoval, "00 00 00 03 00");
        add(t, 0x25, "READ CAPACITY (10)", STATUS, capacity::readCapacity10, "00 ffffffff 0000 01 00");
        add(t, 0x28, "READ (10)", READ, io::read, "18 ffffffff 00 ffff 00");
        add(t, 0x2a, "WRITE (10)", WRITE, io::write, "18 ffffffff 00 ffff 00");
        add(t, 0x2e, "WRITE AND VERIFY (10)", WRITE, io::writeAndVerify, "12 ffffffff 00 ffff 00");
        add(t, 0x2f, "VERIFY (10)", READ, io::verify, "16 ffffffff 00 ffff 00");
        add(t, 0x34, "PRE-FETCH (10)", READ, cache::preFetch, "02 ffffffff 00 ffff 00");
        add(t, 0x35, "SYNCHRONIZE CACHE (10)", WRITE, cache::synchronizeCache, "02 ffffffff 00 ffff 00");
        add(t, 0x41, "WRITE SAME (10)", WRITE, writeSame::execute, "08 ffffffff 00 ffff 00");
        add(t, 0x42, "UNMAP", WRITE, unmap::execute, "00 00000000 00 ffff 00");
        add(t, 0x55, "MODE SELECT (10)", WRITE, mode::select10, "11 0000000000 ffff 00");
        add(t, 0x56, "RESERVE (10)", ANY, reserve::reserve, "00 00 00 00 00 00 00 00 00");
        add(t, 0x57, "RELEASE (10)", ANY, reserve::release, "00 00 00 00 00 00 00 00 00");
        add(t, 0x5a, "MODE SENSE (10)", READ, mode::sense10, "18 ff ff 000000 ffff 00");
        for (int sa = PersistentReserveIn.READ_KEYS; sa <= PersistentReserveIn.READ_FULL_STATUS; sa++) {
            addAction(t, 0x5e, sa, "PERSISTENT RESERVE IN", STATUS, prIn::execute, "0000000000 ffff 00");
        }
        for (int sa = PersistentReserveOut.REGISTER;
                sa <= PersistentReserveOut.REGISTER_AND_IGNORE_EXISTING_KEY;
                sa++) {
            addAction(t, 0x5f, sa, "PERSISTENT RESERVE OUT", STATUS, prOut::execute, "ff 0000 ffffffff 00");
        }
        add(t, 0x88, "READ (16)", READ, io::read, "18 ffffffffffffffff ffffffff 00 00");
        add(t, 0x89, "COMPARE AND WRITE", WRITE, compareAndWrite::execute, "18 ffffffffffffffff 000000 ff 00 00");
        add(t, 0x8a, "WRITE (16)", WRITE, io::write, "18 ffffffffffffffff ffffffff 00 00");
        add(t, 0x8b, "ORWRITE (16)", WRITE, orWrite::execute, "18 ffffffffffffffff ffffffff 00 00");
        add(t, 0x8e, "WRITE AND VERIFY (16)", WRITE, io::writeAndVerify, "12 ffffffffffffffff ffffffff 00 00");
        add(t, 0x8f, "VERIFY (16)", READ, io::verify, "16 ffffffffffffffff ffffffff 00 00");
        add(t, 0x90, "PRE-FETCH (16)", READ, cache::preFetch, "02 ffffffffffffffff ffffffff 00 00");
        add(t, 0x91, "SYNCHRONIZE CACHE (16)", WRITE, cache::synchronizeCache, "02 ffffffffffffffff ffffffff 00 00");
        add(t, 0x93, "WRITE SAME (16)", WRITE, writeSame::execute, "09 ffffffffffffffff ffffffff 00 00");
        addAction(
                t,
                0x9e,
                0x10,
                "READ CAPACITY (16)",
                STATUS,
                capacity::readCapacity16,
                "0000000000000000 ffffffff 00 00");
        addAction(t, 0x9e, 0x12, "GET LBA STATUS", READ, capacity::getLbaStatus, "ffffffffffffffff ffffffff 00 00");
        add(t, 0xa0, "REPORT LUNS", ANY, report::reportLuns, "00 ff 000000 ffffffff 00 00");
        addAction(
                t,
                0xa3,
                0x0c,
                "REPORT SUPPORTED OPERATION CODES",
                ANY,
                report::reportSupportedOperationCodes,
                "87 ff ffff ffffffff 00 00");
        addAction(
                t,
                0xa3,
                0x0d,
                "REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS",
                ANY,
                report::reportSupportedTaskManagementFunctions,
                "80 000000 ffffffff 00 00");
        add(t, 0xa8, "READ (12)", READ, io::read, "18 ffffffff ffffffff 00 00");
        add(t, 0xaa, "WRITE (12)", WRITE, io::write, "18 ffffffff ffffffff 00 00");
        add(t, 0xae, "WRITE AND VERIFY (12)", WRITE, io::writeAndVerify, "12 ffffffff ffffffff 00 00");
        add(t, 0xaf, "VERIFY (12)", READ, io::verify, "16 ffffffff ffffffff 00 00");
        return t;
    }

    /** Adds a command without service actions; {@code usage} is the CDB usage data after byte 0 (see the class). */
    private static void add(
            OpcodeTable t, int opcode, String name, Access access, CommandSpec.Handler handler, String usage) {
        t.add(new CommandSpec(opcode, -1, name, access, usage(opcode, -1, usage), handler));
    }

    /** Adds one service action of an opcode; {@code usage} is the CDB usage data after bytes 0 and 1. */
    private static void addAction(
            OpcodeTable t,
            int opcode,
            int serviceAction,
            String name,
            Access access,
            CommandSpec.Handler handler,
            String usage) {
        t.add(new CommandSpec(opcode, serviceAction, name, access, usage(opcode, serviceAction, usage), handler));
    }

    private static byte[] usage(int opcode, int serviceAction, String hex) {
        byte[] rest = HexFormat.of().parseHex(hex.replace(" ", ""));
        int head = serviceAction >= 0 ? 2 : 1;
        byte[] usage = new byte[head + rest.length];
        usage[0] = (byte) opcode;
        if (serviceAction >= 0) {
            usage[1] = (byte) serviceAction;
        }
        System.arraycopy(rest, 0, usage, head, rest.length);
        if (usage.length != ReadWriteCommands.Extent.lengthOf(opcode)) {
            throw new IllegalStateException(
                    "CDB usage data of " + Integer.toHexString(opcode) + " is " + usage.length + " bytes");
        }
        return usage;
    }
}
