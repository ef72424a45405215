package io.tracestream.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A shutdown hook for a long-running command (Ctrl-C): runs a stop action, then lets the JVM exit only when the
 * command has {@linkplain #release() finished} (at most 3 s later).
 */
final class StopHook {
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private final boolean installed;

    private StopHook(String threadName, Runnable stop) {
        hook = new Thread(() -> {
            stop.run();
            try {
                done.await(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, threadName);
        boolean ok = false;
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            ok = true;
        } catch (IllegalStateException e) {
            // shutting down already
        }
        installed = ok;
    }

    /** Installs a hook (thread {@code threadName}) that runs {@code stop} when the JVM shuts down. */
    static StopHook install(String threadName, Runnable stop) {
        return new StopHook(threadName, stop);
    }

    /** The command has finished: lets a pending shutdown go on, and removes the hook. */
    void release() {
        done.countDown();
        if (installed) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down
            }
        }
    }
}
