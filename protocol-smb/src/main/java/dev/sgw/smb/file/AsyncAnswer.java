package dev.sgw.smb.file;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

import dev.sgw.core.volume.VolumeException;
import dev.sgw.smb.server.SmbException;
import dev.sgw.smb.server.SmbResponse;
import dev.sgw.smb.server.StatusMapping;
import dev.sgw.smb.wire.NtStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An answer that waits (a blocking LOCK, CHANGE_NOTIFY) on its own virtual thread. Cancelling the answer (the
 * dispatcher does it for a CANCEL) interrupts the thread; errors become error responses.
 */
final class AsyncAnswer {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncAnswer.class);

    /** The waiting work; interrupted when the answer is cancelled. */
    @FunctionalInterface
    interface Work {
        SmbResponse run() throws SmbException, IOException, InterruptedException;
    }

    private AsyncAnswer() {}

    static SmbResponse start(String name, Work work) {
        return start(name, work, () -> {});
    }

    /**
     * As {@link #start(String, Work)}; {@code undo} runs when the work succeeded after the answer was cancelled
     * (the client was told CANCELLED, so what the work did, e.g. a lock granted, must not stay).
     */
    static SmbResponse start(String name, Work work, Runnable undo) {
        CompletableFuture<SmbResponse> later = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual().name(name).unstarted(() -> {
            SmbResponse answer = run(work);
            if (!later.complete(answer) && answer.status() == NtStatus.SUCCESS) {
                undo.run();
            }
        });
        var unused = later.whenComplete((r, e) -> {
            if (later.isCancelled()) {
                thread.interrupt();
            }
        });
        thread.start();
        return SmbResponse.async(later);
    }

    private static SmbResponse run(Work work) {
        try {
            return work.run();
        } catch (InterruptedException e) {
            return SmbResponse.error(NtStatus.CANCELLED);
        } catch (SmbException e) {
            return SmbResponse.error(e.status());
        } catch (VolumeException e) {
            return SmbResponse.error(StatusMapping.of(e));
        } catch (IOException | RuntimeException e) {
            LOG.warn("asynchronous answer failed", e);
            return SmbResponse.error(NtStatus.UNEXPECTED_IO_ERROR);
        }
    }
}
