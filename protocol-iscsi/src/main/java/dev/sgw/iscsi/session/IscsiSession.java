package dev.sgw.iscsi.session;

import java.util.Locale;
import java.util.Objects;

import dev.sgw.iscsi.login.LoginIdentity;
import dev.sgw.iscsi.login.SessionParameters;
import dev.sgw.iscsi.scsi.ItNexus;

/**
 * A logged-in session: who, with what parameters, on which connection (sgw negotiates MaxConnections=1).
 *
 * @param tsih       the target session identifying handle
 * @param identity   the initiator, ISID and target of the login
 * @param parameters the negotiated operational parameters
 * @param nexus      the I_T nexus of a normal session, {@code null} for a discovery session
 * @param connection the session's connection
 */
public record IscsiSession(
        int tsih, LoginIdentity identity, SessionParameters parameters, ItNexus nexus, IscsiConnection connection) {

    public IscsiSession {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(parameters, "parameters");
    }

    public boolean discovery() {
        return identity.discovery();
    }

    /** The target name in lower case, or {@code null} for a discovery session. */
    public String targetKey() {
        return discovery() ? null : identity.target().name().toLowerCase(Locale.ROOT);
    }
}
