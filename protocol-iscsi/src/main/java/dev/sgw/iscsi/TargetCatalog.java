package dev.sgw.iscsi;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.sgw.core.spi.VolumeDirectory;
import dev.sgw.core.spi.VolumeDirectory.IscsiLun;
import dev.sgw.core.volume.BlockVolume;
import dev.sgw.iscsi.login.Target;
import dev.sgw.iscsi.scsi.LogicalUnit;
import dev.sgw.iscsi.session.TargetPortal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The targets of the portal, one per enabled iSCSI volume, named {@code <prefix>:<volume name>}, read from
 * the volume directory at every lookup (so volumes created, disabled or changed later are seen at the next
 * login). Keeps one logical unit per open volume: a volume that was reopened gets a new one. Thread-safe.
 */
final class TargetCatalog implements TargetPortal {
    private static final Logger LOG = LoggerFactory.getLogger(TargetCatalog.class);

    private record Unit(BlockVolume volume, LogicalUnit logicalUnit) {}

    private final String prefix;
    private final VolumeDirectory volumes;
    private final Function<IscsiLun, LogicalUnit> logicalUnits;
    private final ConcurrentHashMap<String, Unit> units = new ConcurrentHashMap<>();

    TargetCatalog(String prefix, VolumeDirectory volumes, Function<IscsiLun, LogicalUnit> logicalUnits) {
        this.prefix = prefix.toLowerCase(Locale.ROOT);
        this.volumes = volumes;
        this.logicalUnits = logicalUnits;
    }

    /** The target name of volume {@code volumeName}. */
    String targetName(String volumeName) {
        return prefix + ":" + volumeName;
    }

    /** The volume a target name designates, if it has this portal's prefix. */
    Optional<String> volumeName(String targetName) {
        String name = targetName.toLowerCase(Locale.ROOT);
        String start = prefix + ":";
        return name.startsWith(start) && name.length() > start.length()
                ? Optional.of(name.substring(start.length()))
                : Optional.empty();
    }

    @Override
    public Optional<Target> find(String targetName) {
        return enabled(targetName).map(this::target);
    }

    @Override
    public List<Target> all() {
        return volumes.iscsiLuns().stream()
                .filter(l -> l.config().enabled())
                .sorted(Comparator.comparing(l -> l.config().name()))
                .map(this::target)
                .toList();
    }

    // the unit stays only for the very same volume object
    @SuppressWarnings("ReferenceEquality")
    @Override
    public Optional<LogicalUnit> logicalUnit(String targetName) {
        Optional<IscsiLun> lun = enabled(targetName);
        if (lun.isEmpty()) {
            return Optional.empty();
        }
        IscsiLun l = lun.get();
        try {
            Unit unit = units.compute(
                    l.config().name(),
                    (name, current) -> current != null && current.volume() == l.volume()
                            ? current
                            : new Unit(l.volume(), logicalUnits.apply(l)));
            return Optional.of(unit.logicalUnit());
        } catch (RuntimeException e) {
            LOG.error(
                    "cannot create the logical unit of iSCSI volume {}",
                    l.config().name(),
                    e);
            return Optional.empty();
        }
    }

    /** Drops the logical unit of a deleted or disabled volume. */
    void forget(String volumeName) {
        units.remove(volumeName);
    }

    private Optional<IscsiLun> enabled(String targetName) {
        return volumeName(targetName)
                .flatMap(volumes::iscsi)
                .filter(l -> l.config().enabled());
    }

    private Target target(IscsiLun lun) {
        return new Target(
                targetName(lun.config().name()),
                lun.config().name(),
                lun.config().chap(),
                lun.config().allowMultipleInitiators());
    }
}
