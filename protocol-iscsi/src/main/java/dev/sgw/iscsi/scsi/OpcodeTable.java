package dev.sgw.iscsi.scsi;

import java.util.ArrayList;
import java.util.List;

/**
 * The commands a logical unit supports, by opcode: a 256-entry table; an opcode with service actions (e.g.
 * 9Eh SERVICE ACTION IN(16)) has one entry per service action. {@link BlockLogicalUnit} dispatches through
 * it and REPORT SUPPORTED OPERATION CODES reports from it.
 */
final class OpcodeTable {
    private final CommandSpec[] plain = new CommandSpec[256];
    private final CommandSpec[][] byServiceAction = new CommandSpec[256][];

    void add(CommandSpec spec) {
        int op = spec.opcode();
        if (spec.hasServiceAction()) {
            if (plain[op] != null) {
                throw new IllegalArgumentException("opcode " + op + " has no service actions");
            }
            if (byServiceAction[op] == null) {
                byServiceAction[op] = new CommandSpec[32];
            }
            byServiceAction[op][spec.serviceAction()] = spec;
        } else {
            if (byServiceAction[op] != null || plain[op] != null) {
                throw new IllegalArgumentException("opcode " + op + " is taken");
            }
            plain[op] = spec;
        }
    }

    /**
     * The command {@code cdb} asks for: INVALID COMMAND OPERATION CODE for an unknown opcode, INVALID FIELD
     * IN CDB for an unknown service action of a known opcode.
     */
    CommandSpec lookup(Cdb cdb) throws ScsiError {
        int op = cdb.opcode();
        if (plain[op] != null) {
            return plain[op];
        }
        if (byServiceAction[op] == null) {
            throw ScsiError.check(SenseData.INVALID_COMMAND_OPERATION_CODE);
        }
        CommandSpec spec = byServiceAction[op][cdb.serviceAction()];
        if (spec == null) {
            throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
        }
        return spec;
    }

    boolean hasServiceActions(int opcode) {
        return byServiceAction[opcode] != null;
    }

    /** The command for {@code opcode} (and {@code serviceAction}, if the opcode has them), or null. */
    CommandSpec find(int opcode, int serviceAction) {
        if (byServiceAction[opcode] != null) {
            return serviceAction >= 0 && serviceAction < 32 ? byServiceAction[opcode][serviceAction] : null;
        }
        return plain[opcode];
    }

    /** Every command, by opcode then service action. */
    List<CommandSpec> all() {
        List<CommandSpec> all = new ArrayList<>();
        for (int op = 0; op < 256; op++) {
            if (plain[op] != null) {
                all.add(plain[op]);
            } else if (byServiceAction[op] != null) {
                for (CommandSpec spec : byServiceAction[op]) {
                    if (spec != null) {
                        all.add(spec);
                    }
                }
            }
        }
        return all;
    }
}
