package dev.sgw.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test guest itself ({@link GuestVm}, {@code scripts/test-tools/vm}): a script in it reaches a host
 * loopback port it was given, sees the variables it may see, its exit status comes back, and the VM does
 * not outlive a timeout or an interrupted test. Needs the built guest (skipped without it, failed in CI).
 */
class GuestVmIT {

    @Test
    void theScriptReachesItsHostPortSeesItsVariablesAndReturnsItsStatus(@TempDir Path dir) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> greetAndRead(server));
            Path script = guestScript(dir, """
                    . /tmp/run/guest-lib.sh
                    echo "word: $GUEST_WORD; other: ${SGW_NOT_PASSED:-unset}"
                    exec 3<>/dev/tcp/$HOST/$GUEST_PORT
                    read -r line <&3
                    echo "read: $line"
                    echo "echo $line from $(uname -r)" >&3
                    exit 7
                    """);

            GuestVm.Result result = GuestVm.run(
                    Duration.ofMinutes(3),
                    script,
                    Map.of(
                            "GUEST_WORD",
                            "two words",
                            "GUEST_PORT",
                            Integer.toString(server.getLocalPort()),
                            "SGW_NOT_PASSED",
                            "set"),
                    server.getLocalPort());

            assertThat(result.timedOut()).isFalse();
            assertThat(result.exitStatus()).as(result.console()).isEqualTo(7);
            assertThat(result.console()).contains("word: two words; other: unset", "read: hello from the host");
            assertThat(answer.get(10, TimeUnit.SECONDS))
                    .startsWith("echo hello from the host from ")
                    .doesNotEndWith("from ");
        }
    }

    @Test
    void aTimeoutStopsTheVm(@TempDir Path dir) throws Exception {
        Path script = guestScript(dir, "sleep 600\n");
        GuestVm.Result result;
        try (VmWatch vms = new VmWatch()) {
            result = GuestVm.run(Duration.ofSeconds(3), script, Map.of());
            vms.assertStopped();
        }

        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitStatus()).isEqualTo(124);
    }

    @Test
    void anInterruptedRunStopsTheVm(@TempDir Path dir) throws Exception {
        TestTools.requireGuest(); // here, in the test's thread: the run happens in another
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path script = guestScript(dir, """
                    exec 3<>/dev/tcp/10.0.2.100/$GUEST_PORT
                    sleep 600
                    """);
            VmWatch vms = new VmWatch();
            AtomicReference<Throwable> ended = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            Thread test = Thread.ofPlatform().start(() -> {
                try {
                    GuestVm.run(
                            Duration.ofMinutes(3),
                            script,
                            Map.of("GUEST_PORT", Integer.toString(server.getLocalPort())),
                            server.getLocalPort());
                } catch (Throwable t) {
                    ended.set(t);
                } finally {
                    done.countDown();
                }
            });
            try (Socket running = acceptWhile(server, done)) { // the guest script runs
                assertThat(running)
                        .as("the guest script connected; the run ended with %s", ended.get())
                        .isNotNull();
                test.interrupt();
                assertThat(done.await(60, TimeUnit.SECONDS))
                        .as("the run returns after the interrupt")
                        .isTrue();
            }
            assertThat(ended.get()).isInstanceOf(InterruptedException.class);
            vms.assertStopped();
            vms.close();
        }
    }

    @Test
    void theTallyIsTheLastCountLine() {
        GuestVm.Result result =
                new GuestVm.Result(1, false, "PASS a\n3 passed, 0 failed\nFAIL b (exit 1)\n4 passed, 2 failed\n");
        assertThat(result.tally()).contains(new GuestVm.Tally(4, 2));
        assertThat(result.failures()).containsExactly("FAIL b (exit 1)");
        assertThat(new GuestVm.Result(0, false, "no count\n").tally()).isEmpty();
    }

    private static Path guestScript(Path dir, String text) throws Exception {
        Path script = dir.resolve("guest.sh");
        Files.writeString(script, text);
        return script;
    }

    /** The first connection, or null when {@code done} came first or two minutes passed. */
    private static Socket acceptWhile(ServerSocket server, CountDownLatch done) throws Exception {
        server.setSoTimeout(500);
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (done.getCount() > 0 && System.nanoTime() < until) {
            try {
                return server.accept();
            } catch (SocketTimeoutException e) {
                // look again
            }
        }
        return null;
    }

    private static String greetAndRead(ServerSocket server) {
        try (Socket socket = server.accept();
                PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            out.println("hello from the host");
            return in.readLine();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Gathers the qemu processes started under this JVM while it is open. */
    private static final class VmWatch implements AutoCloseable {

        private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();
        private final Thread watcher = Thread.ofVirtual().start(this::watch);

        private void watch() {
            while (!Thread.currentThread().isInterrupted()) {
                ProcessHandle.current()
                        .descendants()
                        .filter(p -> p.info().command().orElse("").endsWith("qemu-system-x86_64"))
                        .forEach(seen::add);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** At least one VM ran, and each has exited. */
        void assertStopped() throws Exception {
            List<ProcessHandle> started = List.copyOf(seen);
            assertThat(started).as("a VM was started").isNotEmpty();
            for (ProcessHandle vm : started) {
                vm.onExit().get(20, TimeUnit.SECONDS);
                assertThat(vm.isAlive()).as("qemu %d", vm.pid()).isFalse();
            }
        }

        @Override
        public void close() {
            watcher.interrupt();
        }
    }
}
