package dev.sgw.core.manage;

/**
 * Told of every change after it is committed (persisted), in commit order, on the thread that made the
 * change, while further changes wait. The gateway runtime uses it to open and close volumes. A listener
 * that throws is logged and does not undo the change; it must not call the service's mutating methods.
 */
@FunctionalInterface
public interface ManagementListener {
    void changed(ConfigChange change);
}
