package io.github.unseg.core;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Output files that are never half-written and never claimed twice. A job first {@link #claim}s
 * each output: a lock file {@code .NAME.unseg-lock} created with create-new (atomic), holding the
 * owner's process id, so a second UnSeg writing the same file skips or fails truthfully; a lock
 * whose process is gone (killed) is taken over. Each file is then written to a temporary file in
 * the same folder, forced to disk, and renamed into place only when complete, so a crash, a kill
 * or a full disk leaves no partial file at the final path.
 */
public final class SafeOutput implements AutoCloseable {
    /** An output already claimed by another live process. */
    public static final class BusyException extends FileAlreadyExistsException {
        public BusyException(String file, String why) { super(file, null, why); }
    }

    /** Writes the content of a file to a stream (the temporary file's). */
    public interface Writer {
        void write(Path tmp) throws IOException;
    }

    private final boolean overwrite;
    private final List<Path> locks = new ArrayList<>();
    /** Claims held in this JVM (the lock file names this process, so it cannot tell two jobs apart). */
    private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public SafeOutput(boolean overwrite) { this.overwrite = overwrite; }

    /**
     * Claims {@code target} for this job: fails with FileAlreadyExistsException if it exists and
     * overwrite is off, with BusyException if another live UnSeg holds it.
     */
    public void claim(File target) throws IOException {
        Path t = target.toPath().toAbsolutePath();
        if (Files.isDirectory(t)) throw new IOException(target + " is a folder; name a file");
        Path parent = t.getParent();
        if (parent != null) {
            try {
                Files.createDirectories(parent);
            } catch (FileAlreadyExistsException e) {
                throw new IOException("cannot create the folder " + parent + ": a file of that name exists");
            }
            if (!Files.isWritable(parent)) throw new IOException("cannot write in the folder " + parent);
        }
        Path lock = lockOf(t);
        if (locks.contains(lock)) return;                            // claimed by this job already
        if (!HELD.add(lock)) throw new BusyException(target.getPath(), "is being written by another UnSeg job in this ImageJ");
        try {
            takeLock(lock, target);
        } catch (IOException | RuntimeException e) {
            HELD.remove(lock);
            throw e;
        }
        locks.add(lock);
        if (!overwrite && Files.exists(t)) {
            release(lock);
            throw new FileAlreadyExistsException(target.getPath(), null, "exists");
        }
    }

    private static void takeLock(Path lock, File target) throws IOException {
        long pid = ProcessHandle.current().pid();
        for (int attempt = 0; ; attempt++) {
            try {
                Files.writeString(lock, Long.toString(pid), StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                break;
            } catch (FileAlreadyExistsException e) {
                long owner = owner(lock);
                if (owner != pid && owner > 0 && ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new BusyException(target.getPath(), "is being written by another UnSeg (process " + owner + ")");
                }
                if (attempt > 2) throw new BusyException(target.getPath(), "its lock " + lock + " cannot be taken over");
                Files.deleteIfExists(lock);                       // stale: its process is gone
                removeDeadTemporaries(lock, target);
            }
        }
    }

    /** Writes {@code target} (claimed before) through a temporary file and an atomic rename. */
    public void write(File target, Writer content) throws IOException {
        Path t = target.toPath().toAbsolutePath();
        if (!locks.contains(lockOf(t))) claim(target);
        Path tmp = temporary(t);
        boolean done = false;
        try {
            content.write(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            if (!overwrite && Files.exists(t)) throw new FileAlreadyExistsException(target.getPath(), null, "exists");
            try {
                Files.move(tmp, t, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, t, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
    }

    /** Writes bytes given by a stream writer. */
    public void writeStream(File target, StreamWriter content) throws IOException {
        write(target, tmp -> {
            try (OutputStream o = Files.newOutputStream(tmp)) {
                content.write(o);
            }
        });
    }

    /** Writes to a stream. */
    public interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }

    public void writeString(File target, String text) throws IOException {
        writeStream(target, o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Releases every claim (the lock files; the outputs stay). */
    @Override
    public void close() {
        for (Path l : new ArrayList<>(locks)) release(l);
    }

    private void release(Path lock) {
        locks.remove(lock);
        try {
            if (owner(lock) == ProcessHandle.current().pid()) Files.deleteIfExists(lock);
        } catch (IOException ignored) {
            // a lock left behind names a dead process and is taken over by the next run
        } finally {
            HELD.remove(lock);
        }
    }

    /** A killed writer's temporary files of this target (its process is gone): removed. */
    private static void removeDeadTemporaries(Path lock, File target) {
        String prefix = "." + target.getName() + ".unseg-tmp-";
        File[] stale = lock.getParent().toFile().listFiles((d, n) -> n.startsWith(prefix));
        if (stale == null) return;
        for (File f : stale) {
            String rest = f.getName().substring(prefix.length());
            int dash = rest.indexOf('-');
            try {
                long pid = Long.parseLong(rest.substring(0, dash));
                if (pid != ProcessHandle.current().pid() && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) f.delete();
            } catch (RuntimeException ignored) {
                // not one of ours
            }
        }
    }

    /** The temporary name of a target: hidden, in its folder, with the target's extension (ImageJ's writers look at it). */
    static Path temporary(Path t) {
        String name = t.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 ? name.substring(dot) : "";
        return t.resolveSibling("." + name + ".unseg-tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ext);
    }

    static Path lockOf(Path t) { return t.resolveSibling("." + t.getFileName() + ".unseg-lock"); }

    private static long owner(Path lock) {
        try {
            return Long.parseLong(Files.readString(lock, StandardCharsets.US_ASCII).trim());
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Refuses a file name whose extension does not fit: {@code option} is the user's spelling
     * (--labels, labels=), {@code allowed} the extensions (".tif", ".tiff").
     */
    public static void checkExtension(String option, File f, String... allowed) {
        String n = f.getName().toLowerCase(Locale.ROOT);
        for (String a : allowed) if (n.endsWith(a)) return;
        throw new SegmentationException(option + " " + f + ": the file name must end in " + String.join(" or ", allowed)
                + " (UnSeg writes exactly the file named).");
    }

    /** Refuses to write over an input file, even with overwrite. */
    public static void checkNotInput(String option, File out, List<File> inputs) {
        new Inputs(inputs).check(option, out);
    }

    /**
     * A job's input files, for the check that no output is one of them. Built once per batch: a
     * batch checks each file's outputs against all its inputs, and comparing path by path made
     * that quadratic (1,200 files: 24 s of system time resolving paths). An existing file is known
     * by its identity (device and inode: hard links and symbolic links resolve to it); an output
     * that does not exist yet cannot be an existing input.
     */
    public static final class Inputs {
        private final java.util.Set<Object> keys = new java.util.HashSet<>();
        private final java.util.Set<File> paths = new java.util.HashSet<>(); // inputs without a file key, canonical

        public Inputs(java.util.Collection<File> files) {
            for (File f : files) add(f);
        }

        private void add(File f) {
            Object k = key(f);
            if (k != null) keys.add(k);
            else paths.add(canonical(f));
        }

        public boolean contains(File f) {
            Object k = key(f);
            return k != null ? keys.contains(k) : paths.contains(canonical(f));
        }

        /** Refuses out if it is one of the inputs; option is the user's spelling (--labels, labels=). */
        public void check(String option, File out) {
            if (contains(out)) {
                throw new SegmentationException(option + " " + out + " is an input file; UnSeg never writes over an input: choose another name.");
            }
        }

        private static Object key(File f) {
            try {
                return Files.readAttributes(f.toPath(), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            } catch (IOException | RuntimeException e) {
                return null; // missing (or unreadable): compared by path
            }
        }

        private static File canonical(File f) {
            try {
                return f.getCanonicalFile();
            } catch (IOException e) {
                return f.getAbsoluteFile();
            }
        }
    }
}
