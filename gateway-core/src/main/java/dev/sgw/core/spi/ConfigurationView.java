package dev.sgw.core.spi;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.sgw.core.manage.ChapCredentials;
import dev.sgw.core.manage.ConfigChange;
import dev.sgw.core.manage.IscsiVolume;
import dev.sgw.core.manage.ManagementListener;
import dev.sgw.core.manage.ManagementService;
import dev.sgw.core.manage.NtHash;
import dev.sgw.core.manage.SmbUser;

/**
 * The read-only part of the configuration a protocol server may see: the credentials it checks logins
 * against, and the committed changes of shares and volumes. It cannot change anything, and it hears
 * nothing of resources, cache disks or users. Lookups reflect the latest committed change.
 */
public interface ConfigurationView {

    /** The NT hash of SMB user {@code name} (any case), for NTLMv2; empty for an unknown user. */
    Optional<NtHash> smbNtHash(String name);

    /**
     * SMB user {@code name} (any case): whether they are enabled and the ids they act as; empty for an
     * unknown user. By default an enabled user (acting as the share's owner) for every user with an NT hash.
     */
    default Optional<SmbUser> smbUser(String name) {
        return smbNtHash(name).map(hash -> new SmbUser(name, hash));
    }

    /** The CHAP settings of iSCSI volume {@code volumeName}; empty when it has none or does not exist. */
    Optional<ChapCredentials> chap(String volumeName);

    /**
     * Tells {@code listener} of every later change of a share or volume, in commit order, on a thread of
     * its own (never under the management lock).
     */
    void addVolumeListener(Consumer<VolumeEvent> listener);

    void removeVolumeListener(Consumer<VolumeEvent> listener);

    /** The view of {@code management}. */
    static ConfigurationView of(ManagementService management) {
        return new ManagementView(management);
    }

    /** {@link ConfigurationView} over the management service. */
    final class ManagementView implements ConfigurationView {
        private final ManagementService management;
        private final Map<Consumer<VolumeEvent>, ManagementListener> listeners = new ConcurrentHashMap<>();

        private ManagementView(ManagementService management) {
            this.management = Objects.requireNonNull(management, "management");
        }

        @Override
        public Optional<NtHash> smbNtHash(String name) {
            return management.state().smbUser(name).map(SmbUser::ntHash);
        }

        @Override
        public Optional<SmbUser> smbUser(String name) {
            return management.state().smbUser(name);
        }

        @Override
        public Optional<ChapCredentials> chap(String volumeName) {
            return management.state().iscsiVolume(volumeName).map(IscsiVolume::chap);
        }

        @Override
        public void addVolumeListener(Consumer<VolumeEvent> listener) {
            ManagementListener l = change -> event(change).ifPresent(listener);
            if (listeners.putIfAbsent(listener, l) == null) {
                management.addListener(l);
            }
        }

        @Override
        public void removeVolumeListener(Consumer<VolumeEvent> listener) {
            ManagementListener l = listeners.remove(listener);
            if (l != null) {
                management.removeListener(l);
            }
        }

        /** The event of a change of a share or volume; empty for every other entity. */
        static Optional<VolumeEvent> event(ConfigChange change) {
            VolumeEvent.Kind kind = switch (change.kind()) {
                case NFS_SHARE -> VolumeEvent.Kind.NFS_SHARE;
                case SMB_SHARE -> VolumeEvent.Kind.SMB_SHARE;
                case ISCSI_VOLUME -> VolumeEvent.Kind.ISCSI_VOLUME;
                default -> null;
            };
            if (kind == null) {
                return Optional.empty();
            }
            VolumeEvent.Action action =
                    VolumeEvent.Action.valueOf(change.action().name());
            return Optional.of(new VolumeEvent(kind, action, change.name(), change.before(), change.after()));
        }
    }
}
