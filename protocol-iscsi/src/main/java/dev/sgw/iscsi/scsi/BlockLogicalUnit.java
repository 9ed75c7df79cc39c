package dev.sgw.iscsi.scsi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import dev.sgw.core.volume.BlockVolume;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SBC-3 direct-access block device over a {@link BlockVolume}: the logical unit an sgw iSCSI target
 * serves as LUN 0. Commands go through one pipeline:
 *
 * <ol>
 *   <li>a capacity different from the one last seen (the volume grew) raises CAPACITY DATA HAS CHANGED for
 *       every I_T nexus known then, the issuing one included: each reports it once, at its next command;</li>
 *   <li>a pending unit attention of the I_T nexus ends the command in CHECK CONDITION (except INQUIRY,
 *       REPORT LUNS and REQUEST SENSE);</li>
 *   <li>the {@link OpcodeTable} (built by {@link BlockCommandSet}) finds the command: INVALID COMMAND
 *       OPERATION CODE otherwise; a CDB shorter than the command's or with NACA set is INVALID FIELD IN CDB;</li>
 *   <li>reservations: another nexus's RESERVE reservation, or a persistent reservation that does not permit
 *       the command's {@link Access}, ends it in RESERVATION CONFLICT;</li>
 *   <li>the command's handler runs; its {@link ScsiError} becomes CHECK CONDITION with fixed-format sense,
 *       a volume failure becomes the sense {@link SenseData#fromVolume} chooses, anything else INTERNAL
 *       TARGET FAILURE.</li>
 * </ol>
 *
 * <p>Residuals ({@link ScsiResponse#residual()}): a data-in command sends
 * min(bytes produced, expected transfer length) with residual = expected - produced (negative: overflow);
 * the data-in limit is 0 when the initiator did not set the R bit. A data-out command with fewer data-out
 * bytes than its CDB needs has residual expected - needed (negative): a WRITE writes the whole blocks it was
 * sent and ends GOOD, a command that needs its data-out whole fails with INVALID FIELD IN INFORMATION UNIT
 * (see {@link ReceivedData}); with more, it uses what it needs and the residual is the unused rest. A command
 * without data has residual = expected transfer length (nothing was transferred). Other failures report
 * residual 0.
 *
 * <p>Thread-safe: {@link #execute} runs concurrently on virtual threads; reads and writes run in parallel,
 * COMPARE AND WRITE and ORWRITE are atomic against other writes to their range ({@link RangeLocks}).
 */
public final class BlockLogicalUnit implements LogicalUnit {
    private static final Logger LOG = LoggerFactory.getLogger(BlockLogicalUnit.class);
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int INQUIRY = 0x12;
    private static final int REQUEST_SENSE = 0x03;
    private static final int REPORT_LUNS = 0xa0;
    private static final int NACA = 0x04;

    private final Medium medium;
    private final ModePages modePages = new ModePages();
    private final UnitAttentions attentions = new UnitAttentions();
    private final LegacyReservation legacy = new LegacyReservation();
    private final PersistentReservations persistent = new PersistentReservations(attentions);
    private final OpcodeTable table;
    /** The volume's capacity as last seen by a command; a change raises a unit attention. */
    private final AtomicLong knownCapacity;

    /** A logical unit over {@code volume} with the default {@link BlockLimits}. */
    public BlockLogicalUnit(BlockVolume volume, UnitIdentity identity) {
        this(volume, identity, BlockLimits.defaults());
    }

    public BlockLogicalUnit(BlockVolume volume, UnitIdentity identity, BlockLimits limits) {
        Objects.requireNonNull(volume, "volume");
        this.medium = new Medium(volume, modePages);
        this.knownCapacity = new AtomicLong(volume.capacity());
        this.table = BlockCommandSet.build(new BlockCommandSet.Parts(
                medium,
                Objects.requireNonNull(limits, "limits"),
                Objects.requireNonNull(identity, "identity"),
                modePages,
                attentions,
                legacy,
                persistent));
    }

    @Override
    public ScsiResponse execute(ScsiCommand command) {
        Cdb cdb = new Cdb(command.cdb());
        ItNexus nexus = command.nexus();
        attentions.noteNexus(nexus);
        noticeCapacityChange();
        CommandSpec spec = null;
        try {
            if (command.cdb().length == 0) {
                throw ScsiError.check(SenseData.INVALID_COMMAND_OPERATION_CODE);
            }
            int opcode = cdb.opcode();
            if (opcode != INQUIRY && opcode != REPORT_LUNS && opcode != REQUEST_SENSE) {
                SenseData attention = attentions.take(nexus);
                if (attention != null) {
                    throw ScsiError.check(attention);
                }
            }
            spec = table.lookup(cdb);
            if (command.cdb().length < spec.cdbLength() || cdb.bit(spec.cdbLength() - 1, NACA)) {
                throw ScsiError.check(SenseData.INVALID_FIELD_IN_CDB);
            }
            if (legacy.conflicts(nexus, spec.access()) || !persistent.permits(nexus, spec.access())) {
                throw ScsiError.reservationConflict();
            }
            return respond(command, spec.handler().execute(command, cdb));
        } catch (ScsiError e) {
            LOG.debug("volume {}: {} from {}: {}", medium.name(), name(spec, cdb), nexus.initiatorPortName(), e);
            return failed(e.status(), e.sense(), e.residual());
        } catch (IOException e) {
            SenseData sense = SenseData.fromVolume(e, spec != null && spec.writes());
            LOG.warn("volume {}: {} failed: {} ({})", medium.name(), name(spec, cdb), e.getMessage(), sense);
            return failed(ScsiResponse.CHECK_CONDITION, sense, 0);
        } catch (RuntimeException e) {
            LOG.error("volume {}: {} failed", medium.name(), name(spec, cdb), e);
            return failed(ScsiResponse.CHECK_CONDITION, SenseData.INTERNAL_TARGET_FAILURE, 0);
        }
    }

    /** Raises CAPACITY DATA HAS CHANGED for every known nexus, once per change of the volume's capacity. */
    private void noticeCapacityChange() {
        long now = medium.blocks() * medium.blockSize();
        long before = knownCapacity.get();
        if (now != before && knownCapacity.compareAndSet(before, now)) {
            attentions.raiseAll(SenseData.CAPACITY_DATA_HAS_CHANGED);
            LOG.info("volume {}: capacity changed from {} to {} bytes", medium.name(), before, now);
        }
    }

    /**
     * A LOGICAL UNIT RESET or target reset: releases the RESERVE reservation (persistent reservations stay),
     * restores the default mode page values and raises POWER ON, RESET, OR BUS DEVICE RESET OCCURRED for
     * every known I_T nexus.
     */
    @Override
    public void reset(ItNexus nexus) {
        legacy.clear();
        modePages.restoreDefaults();
        attentions.raiseAll(SenseData.POWER_ON_RESET);
        LOG.info("volume {}: reset by {}", medium.name(), nexus.initiatorPortName());
    }

    /** Releases the nexus's RESERVE reservation and drops its unit attentions; its registrations persist. */
    @Override
    public void nexusLost(ItNexus nexus) {
        legacy.release(nexus);
        attentions.forget(nexus);
    }

    private static ScsiResponse respond(ScsiCommand command, CommandResult result) {
        if (result.dataIn() != null) {
            long limit = command.read() ? command.expectedTransferLength() : 0;
            ByteBuffer data = result.dataIn().duplicate();
            if (data.remaining() > limit) {
                data.limit(data.position() + (int) limit);
            }
            return new ScsiResponse(
                    result.status(), EMPTY.duplicate(), data.slice(), ReceivedData.clamp(limit - result.produced()));
        }
        int residual = result.dataOutUsed() >= 0
                ? ReceivedData.residual(command, result.dataOutUsed())
                : command.expectedTransferLength();
        return new ScsiResponse(result.status(), EMPTY.duplicate(), EMPTY.duplicate(), residual);
    }

    private static ScsiResponse failed(int status, SenseData sense, int residual) {
        ByteBuffer senseBytes = sense == null ? EMPTY.duplicate() : sense.toFixedFormat();
        return new ScsiResponse(status, senseBytes, EMPTY.duplicate(), residual);
    }

    private static String name(CommandSpec spec, Cdb cdb) {
        return spec != null ? spec.name() : "opcode " + Integer.toHexString(cdb.opcode());
    }
}
