package dev.sgw.iscsi.login;

/**
 * Who logged in, as the final login step reports it.
 *
 * @param initiatorName  the InitiatorName key
 * @param initiatorAlias the InitiatorAlias key, or an empty string
 * @param isid           the initiator session id
 * @param tsih           the TSIH the initiator sent (0 for a new session)
 * @param cid            the connection id
 * @param target         the target of a normal session, {@code null} for a discovery session
 */
public record LoginIdentity(String initiatorName, String initiatorAlias, long isid, int tsih, int cid, Target target) {

    public boolean discovery() {
        return target == null;
    }
}
