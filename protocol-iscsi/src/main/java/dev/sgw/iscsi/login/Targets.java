package dev.sgw.iscsi.login;

import java.util.List;
import java.util.Optional;

/** The targets a portal offers right now: enabled volumes only, looked up afresh at each login. */
public interface Targets {

    /** The enabled target with this iSCSI name (compared without regard to case). */
    Optional<Target> find(String targetName);

    /** Every enabled target, for discovery. */
    List<Target> all();
}
