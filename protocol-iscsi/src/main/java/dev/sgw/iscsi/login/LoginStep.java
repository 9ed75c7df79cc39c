package dev.sgw.iscsi.login;

import java.util.List;

/** What the login state machine decided about one Login Request: the response to send and what follows. */
public sealed interface LoginStep {

    /**
     * The Login Response to send, without the fields the connection owns (ISID, TSIH, ITT, sequence numbers).
     *
     * @param transit whether the target agrees to move to {@code nsg}
     * @param csg     the current stage
     * @param nsg     the next stage (meaningful with {@code transit})
     * @param status  the login status
     * @param keys    the text keys
     */
    record Reply(boolean transit, int csg, int nsg, LoginStatus status, List<KeyValue> keys) {}

    Reply reply();

    /** The login goes on: send the reply and wait for the next request. */
    record Negotiating(Reply reply) implements LoginStep {}

    /** The login failed: send the reply (a failure status) and close the connection. */
    record Failed(Reply reply, String reason) implements LoginStep {}

    /** The login is complete: admit the session, send the reply with its TSIH, enter the full feature phase. */
    record Completed(Reply reply, LoginIdentity identity, SessionParameters parameters) implements LoginStep {}
}
