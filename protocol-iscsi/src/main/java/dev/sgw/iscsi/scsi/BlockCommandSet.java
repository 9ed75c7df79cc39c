package dev.sgw.iscsi.scsi;

/**
 * The SPC-4/SBC-3 commands of a {@link BlockLogicalUnit}, wired into its {@link OpcodeTable} in one place:
 * opcode, service action, name, reservation {@link Access}, CDB usage data and handler. The usage data
 * lists the bits the logical unit evaluates (REPORT SUPPORTED OPERATION CODES returns it as it is).
 */
final class BlockCommandSet {
    private static final int FF = 0xff;

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

        add(t, 0x00, "TEST UNIT READY", Access.STATUS, unit::testUnitReady, 0, 0, 0, 0, 0);
        add(t, 0x03, "REQUEST SENSE", Access.ANY, unit::requestSense, 0x01, 0, 0, FF, 0);
        add(t, 0x08, "READ (6)", Access.READ, io::read, 0x1f, FF, FF, FF, 0);
        add(t, 0x0a, "WRITE (6)", Access.WRITE, io::write, 0x1f, FF, FF, FF, 0);
        add(t, 0x12, "INQUIRY", Access.ANY, inquiry::execute, 0x01, FF, FF, FF, 0);
        add(t, 0x15, "MODE SELECT (6)", Access.WRITE, mode::select6, 0x11, 0, 0, FF, 0);
        add(t, 0x16, "RESERVE (6)", Access.ANY, reserve::reserve, 0, 0, 0, 0, 0);
        add(t, 0x17, "RELEASE (6)", Access.ANY, reserve::release, 0, 0, 0, 0, 0);
        add(t, 0x1a, "MODE SENSE (6)", Access.READ, mode::sense6, 0x08, FF, FF, FF, 0);
        add(t, 0x1b, "START STOP UNIT", Access.WRITE, unit::startStopUnit, 0x01, 0, 0, 0xf7, 0);
        add(t, 0x1e, "PREVENT ALLOW MEDIUM REMOVAL", Access.WRITE, unit::preventAllowMediumRemoval, 0, 0, 0, 0x03, 0);
        add(t, 0x25, "READ CAPACITY (10)", Access.STATUS, capacity::readCapacity10, 0, FF, FF, FF, FF, 0, 0, 0x01, 0);
        add(t, 0x28, "READ (10)", Access.READ, io::read, 0x18, FF, FF, FF, FF, 0, FF, FF, 0);
        add(t, 0x2a, "WRITE (10)", Access.WRITE, io::write, 0x18, FF, FF, FF, FF, 0, FF, FF, 0);
        add(t, 0x2e, "WRITE AND VERIFY (10)", Access.WRITE, io::writeAndVerify, 0x12, FF, FF, FF, FF, 0, FF, FF, 0);
        add(t, 0x2f, "VERIFY (10)", Access.READ, io::verify, 0x16, FF, FF, FF, FF, 0, FF, FF, 0);
        add(t, 0x34, "PRE-FETCH (10)", Access.READ, cache::preFetch, 0x02, FF, FF, FF, FF, 0, FF, FF, 0);
        add(
                t,
                0x35,
                "SYNCHRONIZE CACHE (10)",
                Access.WRITE,
                cache::synchronizeCache,
                0x02,
                FF,
                FF,
                FF,
                FF,
                0,
                FF,
                FF,
                0);
        add(t, 0x41, "WRITE SAME (10)", Access.WRITE, writeSame::execute, 0x08, FF, FF, FF, FF, 0, FF, FF, 0);
        add(
                t,
                0x42,
                "UNMAP",
                Access.WRITE,
                new UnmapCommand(p.medium(), p.limits())::execute,
                0,
                0,
                0,
                0,
                0,
                0,
                FF,
                FF,
                0);
        add(t, 0x55, "MODE SELECT (10)", Access.WRITE, mode::select10, 0x11, 0, 0, 0, 0, 0, FF, FF, 0);
        add(t, 0x56, "RESERVE (10)", Access.ANY, reserve::reserve, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        add(t, 0x57, "RELEASE (10)", Access.ANY, reserve::release, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        add(t, 0x5a, "MODE SENSE (10)", Access.READ, mode::sense10, 0x18, FF, FF, 0, 0, 0, FF, FF, 0);
        for (int sa = PersistentReserveIn.READ_KEYS; sa <= PersistentReserveIn.READ_FULL_STATUS; sa++) {
            addAction(t, 0x5e, sa, "PERSISTENT RESERVE IN", Access.STATUS, prIn::execute, 0, 0, 0, 0, 0, FF, FF, 0);
        }
        for (int sa = PersistentReserveOut.REGISTER;
                sa <= PersistentReserveOut.REGISTER_AND_IGNORE_EXISTING_KEY;
                sa++) {
            addAction(
                    t, 0x5f, sa, "PERSISTENT RESERVE OUT", Access.STATUS, prOut::execute, FF, 0, 0, FF, FF, FF, FF, 0);
        }
        add(t, 0x88, "READ (16)", Access.READ, io::read, 0x18, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0);
        add(
                t,
                0x89,
                "COMPARE AND WRITE",
                Access.WRITE,
                new CompareAndWriteCommand(p.medium(), p.limits())::execute,
                0x18,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                0,
                0,
                0,
                FF,
                0,
                0);
        add(t, 0x8a, "WRITE (16)", Access.WRITE, io::write, 0x18, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0);
        add(
                t,
                0x8b,
                "ORWRITE (16)",
                Access.WRITE,
                new OrWriteCommand(p.medium(), p.limits())::execute,
                0x18,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                0,
                0);
        add(
                t,
                0x8e,
                "WRITE AND VERIFY (16)",
                Access.WRITE,
                io::writeAndVerify,
                0x12,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                0,
                0);
        add(
                t,
                0x8f,
                "VERIFY (16)",
                Access.READ,
                io::verify,
                0x16,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                0,
                0);
        add(
                t,
                0x90,
                "PRE-FETCH (16)",
                Access.READ,
                cache::preFetch,
                0x02,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                0,
                0);
        add(
                t,
                0x91,
                "SYNCHRONIZE CACHE (16)",
                Access.WRITE,
                cache::synchronizeCache,
                0x02,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                0,
                0);
        add(
                t,
                0x93,
                "WRITE SAME (16)",
                Access.WRITE,
                writeSame::execute,
                0x09,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                0,
                0);
        addAction(
                t,
                0x9e,
                0x10,
                "READ CAPACITY (16)",
                Access.STATUS,
                capacity::readCapacity16,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                0,
                FF,
                FF,
                FF,
                FF,
                0,
                0);
        addAction(
                t,
                0x9e,
                0x12,
                "GET LBA STATUS",
                Access.READ,
                capacity::getLbaStatus,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                0,
                0);
        add(t, 0xa0, "REPORT LUNS", Access.ANY, report::reportLuns, 0, FF, 0, 0, 0, FF, FF, FF, FF, 0, 0);
        addAction(
                t,
                0xa3,
                0x0c,
                "REPORT SUPPORTED OPERATION CODES",
                Access.ANY,
                report::reportSupportedOperationCodes,
                0x87,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                0,
                0);
        addAction(
                t,
                0xa3,
                0x0d,
                "REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS",
                Access.ANY,
                report::reportSupportedTaskManagementFunctions,
                0x80,
                0,
                0,
                0,
                FF,
                FF,
                FF,
                FF,
                0,
                0);
        add(t, 0xa8, "READ (12)", Access.READ, io::read, 0x18, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0);
        add(t, 0xaa, "WRITE (12)", Access.WRITE, io::write, 0x18, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0);
        add(
                t,
                0xae,
                "WRITE AND VERIFY (12)",
                Access.WRITE,
                io::writeAndVerify,
                0x12,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                FF,
                0,
                0);
        add(t, 0xaf, "VERIFY (12)", Access.READ, io::verify, 0x16, FF, FF, FF, FF, FF, FF, FF, FF, 0, 0);
        return t;
    }

    /** Adds a command without service actions; {@code usage} is the CDB usage data after byte 0. */
    private static void add(
            OpcodeTable t, int opcode, String name, Access access, CommandSpec.Handler handler, int... usage) {
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
            int... usage) {
        t.add(new CommandSpec(opcode, serviceAction, name, access, usage(opcode, serviceAction, usage), handler));
    }

    private static byte[] usage(int opcode, int serviceAction, int[] rest) {
        int head = serviceAction >= 0 ? 2 : 1;
        byte[] usage = new byte[head + rest.length];
        usage[0] = (byte) opcode;
        if (serviceAction >= 0) {
            usage[1] = (byte) serviceAction;
        }
        for (int i = 0; i < rest.length; i++) {
            usage[head + i] = (byte) rest[i];
        }
        if (usage.length != ReadWriteCommands.Extent.lengthOf(opcode)) {
            throw new IllegalStateException(
                    "CDB usage data of " + Integer.toHexString(opcode) + " is " + usage.length + " bytes");
        }
        return usage;
    }
}
