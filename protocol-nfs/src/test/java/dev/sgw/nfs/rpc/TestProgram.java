package dev.sgw.nfs.rpc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import dev.sgw.nfs.xdr.XdrDecoder;

/**
 * A program for the RPC tests: number {@value #PROGRAM}, versions 1 and 2.
 * 0 NULL; 1 ECHO opaque&lt;1024&gt;; 2 SLEEP(ms) returns ms; 3 WHOAMI returns the AUTH_SYS fields (uid -1
 * for AUTH_NONE); 4 INCREMENT(ms) sleeps then adds one to a counter and returns it, not idempotent;
 * 5 FAIL throws; 6 LATER completes from another thread after ms.
 */
final class TestProgram implements RpcProgram {
    static final int PROGRAM = 400_100;
    static final int NULL = 0, ECHO = 1, SLEEP = 2, WHOAMI = 3, INCREMENT = 4, FAIL = 5, LATER = 6;

    final AtomicInteger counter = new AtomicInteger();
    final AtomicInteger eventLoopCalls = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostRunning = new AtomicInteger();

    @Override
    public ProgramVersions versions() {
        return new ProgramVersions(PROGRAM, 1, 2);
    }

    @Override
    public boolean idempotent(int version, int procedure) {
        return procedure != INCREMENT;
    }

    @Override
    public CompletionStage<RpcReply> handle(RpcCall call, CallContext context) {
        if (!Thread.currentThread().isVirtual()) {
            eventLoopCalls.incrementAndGet();
        }
        XdrDecoder in = new XdrDecoder(call.args());
        return switch (call.procedure()) {
            case NULL -> {
                in.requireEnd();
                yield done(RpcReply.success(out -> {}));
            }
            case ECHO -> {
                byte[] data = in.readOpaque(1024);
                in.requireEnd();
                yield done(RpcReply.success(out -> out.writeOpaque(data, 1024)));
            }
            case SLEEP -> {
                int ms = in.readInt();
                mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                sleep(ms);
                running.decrementAndGet();
                yield done(RpcReply.success(out -> out.writeInt(ms)));
            }
            case WHOAMI ->
                done(RpcReply.success(out -> {
                    if (call.credential() instanceof Credential.Sys sys) {
                        out.writeInt(sys.uid())
                                .writeInt(sys.gid())
                                .writeIntArray(sys.gids(), 16)
                                .writeString(sys.machineName(), 255);
                    } else {
                        out.writeInt(-1);
                    }
                }));
            case INCREMENT -> {
                int ms = in.readInt();
                sleep(ms);
                int value = counter.incrementAndGet();
                yield done(RpcReply.success(out -> out.writeInt(value)));
            }
            case FAIL -> throw new IllegalStateException("this procedure always fails");
            case LATER -> {
                int ms = in.readInt();
                yield CompletableFuture.supplyAsync(
                        () -> RpcReply.success(out -> out.writeInt(ms)),
                        CompletableFuture.delayedExecutor(ms, java.util.concurrent.TimeUnit.MILLISECONDS));
            }
            default -> done(new RpcReply.ProcUnavail());
        };
    }

    private static CompletionStage<RpcReply> done(RpcReply reply) {
        return CompletableFuture.completedFuture(reply);
    }

    private static void sleep(int ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
