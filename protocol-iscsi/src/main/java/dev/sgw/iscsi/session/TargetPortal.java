package dev.sgw.iscsi.session;

import java.util.Optional;

import dev.sgw.iscsi.login.Targets;
import dev.sgw.iscsi.scsi.LogicalUnit;

/** The targets a portal serves and the logical unit behind each, looked up afresh for every command. */
public interface TargetPortal extends Targets {

    /** The logical unit (LUN 0) of the enabled target {@code targetName}; empty once it is gone or disabled. */
    Optional<LogicalUnit> logicalUnit(String targetName);
}
