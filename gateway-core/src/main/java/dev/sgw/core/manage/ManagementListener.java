package dev.sgw.core.manage;

/**
 * Told of every change after it is committed (persisted), in commit order, on a thread of the listener's
 * own and outside the service's lock: the call that made the change waits for it unless the listener is
 * still busy with an earlier change, and other management calls never wait for a listener. The gateway
 * runtime uses it to open and close volumes. A listener that throws is logged and does not undo the
 * change.
 */
@FunctionalInterface
public interface ManagementListener {
    void changed(ConfigChange change);
}
