package io.github.unseg.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C and SIGTERM on the command line: like Cancel in the GUI, they end the work with the
 * result reached so far (a CNN's network, labelled and written safely), then exit. The JVM's
 * shutdown hook sets the flag that the progress reports as cancelled and waits for the run to
 * finish writing.
 */
final class Interrupt {
    static final AtomicBoolean STOP = new AtomicBoolean();
    private static final CountDownLatch DONE = new CountDownLatch(1);
    /** Time the run gets to write what it has (labelling a large image with a kept network). */
    static final long GRACE_SECONDS = 120;

    private Interrupt() { }

    static void install() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (DONE.getCount() == 0) return;   // a normal exit
            STOP.set(true);
            System.err.println("unseg: interrupted: finishing with the result reached so far ("
                    + "waiting up to " + GRACE_SECONDS + " s)");
            try {
                DONE.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "unseg-interrupt"));
    }

    static void finished() { DONE.countDown(); }
}
