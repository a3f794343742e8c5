package io.github.unseg.dist;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The checksum that the ImageJ updater records for a file (what it compares to decide whether a
 * file is up to date). Rules, from the updater's UpdaterUtil.getJarDigest, FilterManifest and
 * SkipHashedLines: SHA-1, hex. For a .jar: over its entries sorted by name, each entry's name
 * (ASCII) and then its content, where a .properties entry has its comment lines (build dates live
 * there) reduced as SkipHashedLines does, quirks included, and META-INF/MANIFEST.MF contributes no
 * content at all (the updater's default keeps only a "Main-Class:" line, compared against the
 * upper-cased line, which never matches). For any other file: the path (ASCII) then the content.
 */
public final class UpdaterChecksum {
    private UpdaterChecksum() { }

    public static String of(String sitePath, File file) throws IOException {
        MessageDigest md = sha1();
        if (sitePath.endsWith(".jar")) {
            try (JarFile jar = new JarFile(file)) {
                List<JarEntry> entries = new ArrayList<>(Collections.list(jar.entries()));
                entries.sort((a, b) -> a.getName().compareTo(b.getName()));
                for (JarEntry e : entries) {
                    md.update(e.getName().getBytes(StandardCharsets.US_ASCII));
                    byte[] content;
                    try (InputStream in = jar.getInputStream(e)) {
                        content = in.readAllBytes();
                    }
                    if (e.getName().equals("META-INF/MANIFEST.MF")) continue;
                    if (e.getName().endsWith(".properties")) content = withoutHashedLines(content);
                    md.update(content);
                }
            }
        } else {
            md.update(sitePath.getBytes(StandardCharsets.US_ASCII));
            md.update(Files.readAllBytes(file.toPath()));
        }
        return hex(md.digest());
    }

    /**
     * The bytes the updater's SkipHashedLines stream yields for a .properties entry, ported state
     * for state (recursion included) because its quirks decide the digest: a comment line keeps its
     * '\n'; but after a bare "#" line the next line is not seen as a line start, so a '#' line right
     * after a bare "#" is kept whole (ND4J's functions.properties starts "#\n# /* ***").
     */
    static byte[] withoutHashedLines(byte[] in) {
        SkipHashedLines s = new SkipHashedLines(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int ch; (ch = s.read()) != -1; ) out.write(ch);
        return out.toByteArray();
    }

    private static final class SkipHashedLines {
        private final byte[] in;
        private int pos;
        private boolean atLineStart = true;

        SkipHashedLines(byte[] in) { this.in = in; }

        int read() {
            int ch = pos < in.length ? in[pos++] & 0xff : -1;
            if (atLineStart) {
                if (ch == '#') {
                    // the updater reads the rest of the line through read() itself
                    while ((ch = read()) != '\n' && ch != -1) { }
                } else {
                    atLineStart = false;
                }
            } else if (ch == '\n') {
                atLineStart = true;
            }
            return ch;
        }
    }

    static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        return sb.toString();
    }
}
