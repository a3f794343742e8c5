package io.github.unseg.dist;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * Builds a Fiji update site: db.xml.gz in the ImageJ updater's format (its document type
 * included) and the files under the names the updater downloads, jars/NAME.jar-TIMESTAMP.
 * Ships UnSeg's jar and every runtime dependency that a stock Fiji lacks; jars Fiji ships are
 * only named as dependencies.
 * <pre>java io.github.unseg.dist.UpdateSiteBuilder OUT_DIR UNSEG_JAR CLASSPATH_FILE FIJI_PROVIDED_FILE</pre>
 */
public final class UpdateSiteBuilder {
    /** The updater's document type, embedded in every db.xml as the updater writes it. */
    static final String DTD = "<!DOCTYPE pluginRecords [\n"
            + "<!ELEMENT pluginRecords ((update-site | disabled-update-site)*, plugin*)>\n"
            + "<!ELEMENT update-site EMPTY>\n"
            + "<!ELEMENT disabled-update-site EMPTY>\n"
            + "<!ELEMENT plugin (platform*, category*, version?, previous-version*)>\n"
            + "<!ELEMENT version (description?, dependency*, link*, author*)>\n"
            + "<!ELEMENT previous-version EMPTY>\n"
            + "<!ELEMENT description (#PCDATA)>\n<!ELEMENT dependency EMPTY>\n"
            + "<!ELEMENT link (#PCDATA)>\n<!ELEMENT author (#PCDATA)>\n"
            + "<!ELEMENT platform (#PCDATA)>\n<!ELEMENT category (#PCDATA)>\n"
            + "<!ATTLIST update-site name CDATA #REQUIRED>\n"
            + "<!ATTLIST update-site url CDATA #REQUIRED>\n"
            + "<!ATTLIST update-site ssh-host CDATA #IMPLIED>\n"
            + "<!ATTLIST update-site upload-directory CDATA #IMPLIED>\n"
            + "<!ATTLIST update-site description CDATA #IMPLIED>\n"
            + "<!ATTLIST update-site maintainer CDATA #IMPLIED>\n"
            + "<!ATTLIST update-site timestamp CDATA #REQUIRED>\n"
            + "<!ATTLIST disabled-update-site name CDATA #REQUIRED>\n"
            + "<!ATTLIST disabled-update-site url CDATA #REQUIRED>\n"
            + "<!ATTLIST disabled-update-site ssh-host CDATA #IMPLIED>\n"
            + "<!ATTLIST disabled-update-site upload-directory CDATA #IMPLIED>\n"
            + "<!ATTLIST disabled-update-site description CDATA #IMPLIED>\n"
            + "<!ATTLIST disabled-update-site maintainer CDATA #IMPLIED>\n"
            + "<!ATTLIST disabled-update-site timestamp CDATA #REQUIRED>\n"
            + "<!ATTLIST plugin update-site CDATA #IMPLIED>\n"
            + "<!ATTLIST plugin filename CDATA #REQUIRED>\n"
            + "<!ATTLIST plugin executable CDATA #IMPLIED>\n"
            + "<!ATTLIST dependency filename CDATA #REQUIRED>\n"
            + "<!ATTLIST dependency timestamp CDATA #IMPLIED>\n"
            + "<!ATTLIST dependency overrides CDATA #IMPLIED>\n"
            + "<!ATTLIST version timestamp CDATA #REQUIRED>\n"
            + "<!ATTLIST version checksum CDATA #REQUIRED>\n"
            + "<!ATTLIST version filesize CDATA #REQUIRED>\n"
            + "<!ATTLIST previous-version filename CDATA #IMPLIED>\n"
            + "<!ATTLIST previous-version timestamp CDATA #REQUIRED>\n"
            + "<!ATTLIST previous-version timestamp-obsolete CDATA #IMPLIED>\n"
            + "<!ATTLIST previous-version checksum CDATA #REQUIRED>]>\n";

    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** name-1.2.3.jar, name-1.0.0-M2.1-linux-x86_64.jar: the updater's names drop the version. */
    static final Pattern VERSIONED = Pattern.compile("(.+?)-(\\d[\\w.\\-]*?)(-(linux|windows|macosx)[\\w\\-]*)?\\.jar");

    /** One file of the site: its current version and the history carried from the published site. */
    public static final class Entry {
        public final String sitePath;   // jars/unseg.jar
        public final File source;       // null for an obsolete record (no longer shipped)
        public final long timestamp;
        public final String checksum;
        final long filesize;
        final List<String> platforms;
        final List<SiteDb.Version> previous;

        Entry(String sitePath, File source, long timestamp, String checksum, long filesize,
              List<String> platforms, List<SiteDb.Version> previous) {
            this.sitePath = sitePath; this.source = source; this.timestamp = timestamp; this.checksum = checksum;
            this.filesize = filesize; this.platforms = platforms; this.previous = previous;
        }

        boolean obsolete() { return source == null; }
    }

    /**
     * Artifact names that other groups also use (ND4J ships its own shaded guava, jackson and
     * protobuf): on the site they get their group's last segment as a prefix, so that
     * org.nd4j:guava never replaces Fiji's jars/guava.jar.
     */
    static final Set<String> CLASHING = Set.of("guava", "jackson", "protobuf");
    /** SLF4J bindings: Fiji has its own; the plugin neither ships nor names one (the command line keeps its). */
    static final Set<String> CLI_ONLY = Set.of("slf4j-nop", "slf4j-simple");

    /** The site path of a jar from a Maven repository path (.../GROUP/PATH/ARTIFACT/VERSION/FILE). */
    public static String sitePath(File jar) {
        String path = sitePath(jar.getName());
        String name = artifact(jar.getName());
        File versionDir = jar.getParentFile(), artifactDir = versionDir == null ? null : versionDir.getParentFile();
        File groupLast = artifactDir == null ? null : artifactDir.getParentFile();
        if (CLASHING.contains(name) && groupLast != null && artifactDir.getName().equals(name)) {
            return path.replace("jars/" + name, "jars/" + groupLast.getName() + "-" + name);
        }
        return path;
    }

    /**
     * The updater's platform of a native jar (from its classifier; util/Platforms.java names them),
     * or null for every platform. Each jar gets its exact platform: an x86_64 Mac jar must not go
     * to Apple Silicon.
     */
    public static String platform(String jarName) {
        if (jarName.contains("linux-x86_64")) return "linux64";
        if (jarName.contains("linux-arm64")) return "linux-arm64";
        if (jarName.contains("macosx-x86_64")) return "macos64";
        if (jarName.contains("macosx-arm64")) return "macos-arm64";
        if (jarName.contains("windows-x86_64")) return "win64";
        if (jarName.contains("windows-arm64")) return "win-arm64";
        return null;
    }

    /** "jars/NAME.jar" for a Maven jar file name (version removed, platform classifier kept). */
    public static String sitePath(String jarName) {
        Matcher m = VERSIONED.matcher(jarName);
        if (!m.matches()) return "jars/" + jarName;
        return "jars/" + m.group(1) + (m.group(3) == null ? "" : m.group(3)) + ".jar";
    }

    /** The artifact name of a jar file (its name without version and classifier). */
    static String artifact(String jarName) {
        Matcher m = VERSIONED.matcher(jarName);
        return m.matches() ? m.group(1) : jarName.replaceAll("\\.jar$", "");
    }

    /**
     * Whether Fiji provides this jar: an entry "group:artifact" matches a jar in a Maven repository
     * layout (.../group/as/path/artifact/VERSION/FILE, any classifier); a bare "artifact" matches
     * by name.
     */
    static boolean provided(File jar, Set<String> fijiProvided) {
        String name = artifact(jar.getName());
        if (fijiProvided.contains(name)) return true;
        File versionDir = jar.getAbsoluteFile().getParentFile();
        File artifactDir = versionDir == null ? null : versionDir.getParentFile();
        if (artifactDir == null || !artifactDir.getName().equals(name)) return false;
        String dirs = artifactDir.getParent() == null ? "" : artifactDir.getParent().replace(File.separatorChar, '/');
        for (String p : fijiProvided) {
            int colon = p.indexOf(':');
            if (colon < 0 || !p.substring(colon + 1).equals(name)) continue;
            if (dirs.endsWith("/" + p.substring(0, colon).replace('.', '/'))) return true;
        }
        return false;
    }

    /** Builds over the site in {@code out}, carrying its published db.xml.gz forward when there is one. */
    public static List<Entry> build(File out, File mainJar, List<File> classpath, Set<String> fijiProvided, String description)
            throws IOException, XMLStreamException {
        File db = new File(out, "db.xml.gz");
        Map<String, SiteDb.Record> published = Map.of();
        if (db.isFile()) try (InputStream in = Files.newInputStream(db.toPath())) { published = SiteDb.read(in); }
        return build(out, mainJar, classpath, fijiProvided, description, published,
                Long.parseLong(STAMP.format(Instant.now())));
    }

    /**
     * Builds the site, keeping the history of the published records as the updater's uploader
     * does: an unchanged file keeps its version (and timestamp); a changed one gets a new version
     * and its old one becomes a previous-version, so that installed copies are recognised and
     * updated; a file no longer shipped stays as an obsolete record (no version), so the updater
     * offers to remove it.
     */
    public static List<Entry> build(File out, File mainJar, List<File> classpath, Set<String> fijiProvided, String description,
                                    Map<String, SiteDb.Record> published, long now)
            throws IOException, XMLStreamException {
        File jars = new File(out, "jars");
        if (!jars.isDirectory() && !jars.mkdirs()) throw new IOException("Cannot create " + jars);
        List<File> ship = new ArrayList<>();
        ship.add(mainJar);
        List<String> provided = new ArrayList<>();
        for (File f : classpath) {
            if (!f.getName().endsWith(".jar") || CLI_ONLY.contains(artifact(f.getName()))) continue;
            if (provided(f, fijiProvided)) {
                if (platform(f.getName()) == null) provided.add(sitePath(f.getName()));
            } else {
                ship.add(f);
            }
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> shipped = new LinkedHashSet<>();
        for (File f : ship) {
            String path = sitePath(f);
            if (!shipped.add(path)) throw new IOException("two jars would be " + path + ": " + f);
            String checksum = UpdaterChecksum.of(path, f);
            String platform = platform(f.getName());
            List<String> platforms = platform == null ? List.of() : List.of(platform);
            SiteDb.Record old = published.get(path);
            List<SiteDb.Version> previous = new ArrayList<>(old == null ? List.of() : old.previous);
            long ts;
            if (old != null && old.current != null && old.current.checksum.equals(checksum)) {
                ts = old.current.timestamp;     // unchanged: same version, nothing for users to update
            } else {
                ts = now;
                if (old != null && old.current != null) {
                    ts = Math.max(now, old.current.timestamp + 1);
                    previous.add(new SiteDb.Version(old.current.checksum, old.current.timestamp, now, 0, null));
                }
            }
            File target = new File(out, path + "-" + ts);
            if (!target.isFile() || target.length() != f.length()) copyAtomically(f, target);
            entries.add(new Entry(path, f, ts, checksum, f.length(), platforms, previous));
        }
        for (SiteDb.Record old : published.values()) {
            if (shipped.contains(old.filename)) continue;
            List<SiteDb.Version> previous = new ArrayList<>(old.previous);
            if (old.current != null) previous.add(new SiteDb.Version(old.current.checksum, old.current.timestamp, now, 0, null));
            entries.add(new Entry(old.filename, null, 0, null, 0, old.platforms, previous));
        }
        byte[] xml = dbXml(entries, provided, description);
        File tmp = new File(out, ".db.xml.gz.tmp");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(tmp.toPath()))) {
            o.write(xml);
        }
        Files.move(tmp.toPath(), new File(out, "db.xml.gz").toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return entries;
    }

    /** A copy that is either complete at {@code to} or absent (a half upload would fail every checksum). */
    static void copyAtomically(File from, File to) throws IOException {
        File tmp = new File(to.getParentFile(), "." + to.getName() + ".tmp");
        Files.copy(from.toPath(), tmp.toPath(), StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp.toPath(), to.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The "group:artifact" pairs of a pom-scijava POM's dependency management that the class path
     * uses: what a Fiji of that release ships, so the site must name, never ship (never downgrade).
     */
    static List<String> fijiProvided(File pomScijava, List<File> classpath) throws IOException {
        Set<String> managed = new LinkedHashSet<>();
        String pom = Files.readString(pomScijava.toPath());
        int dm = pom.indexOf("<dependencyManagement>");
        Matcher m = Pattern.compile("<dependency>\\s*<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>")
                .matcher(dm < 0 ? "" : pom.substring(dm));
        while (m.find()) managed.add(m.group(1).trim() + ":" + m.group(2).trim());
        Set<String> used = new LinkedHashSet<>();
        for (File f : classpath) {
            if (!f.getName().endsWith(".jar")) continue;
            for (String ga : managed) {
                if (ga.endsWith(":" + artifact(f.getName())) && provided(f, Set.of(ga))) used.add(ga);
            }
        }
        return new ArrayList<>(used);
    }

    static byte[] dbXml(List<Entry> entries, List<String> provided, String description) throws XMLStreamException, IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(body, "UTF-8");
        w.writeStartElement("pluginRecords");
        Entry main = entries.get(0);
        for (Entry e : entries) {
            w.writeCharacters("\n  ");
            w.writeStartElement("plugin");
            w.writeAttribute("filename", e.sitePath);
            for (String platform : e.platforms) {
                w.writeCharacters("\n    ");
                w.writeStartElement("platform");
                w.writeCharacters(platform);
                w.writeEndElement();
            }
            if (!e.obsolete()) {
                w.writeCharacters("\n    ");
                w.writeStartElement("version");
                w.writeAttribute("checksum", e.checksum);
                w.writeAttribute("timestamp", Long.toString(e.timestamp));
                w.writeAttribute("filesize", Long.toString(e.filesize));
                if (e == main) {
                    w.writeCharacters("\n      ");
                    w.writeStartElement("description");
                    w.writeCharacters(description);
                    w.writeEndElement();
                    // The main jar depends on everything the site ships and on Fiji's own jars.
                    Set<String> deps = new LinkedHashSet<>();
                    for (Entry d : entries) if (d != main && !d.obsolete()) deps.add(d.sitePath + "\u0000" + d.timestamp);
                    for (String p : provided) deps.add(p + "\u0000");
                    for (String d : deps) {
                        String[] parts = d.split("\u0000", -1);
                        w.writeCharacters("\n      ");
                        w.writeEmptyElement("dependency");
                        w.writeAttribute("filename", parts[0]);
                        if (!parts[1].isEmpty()) w.writeAttribute("timestamp", parts[1]);
                    }
                    w.writeCharacters("\n      ");
                    w.writeStartElement("author");
                    w.writeCharacters("UnSeg developers");
                    w.writeEndElement();
                    w.writeCharacters("\n    ");
                }
                w.writeEndElement();
            }
            for (SiteDb.Version v : e.previous) {
                w.writeCharacters("\n    ");
                w.writeEmptyElement("previous-version");
                w.writeAttribute("timestamp", Long.toString(v.timestamp));
                if (v.obsoleted != 0) w.writeAttribute("timestamp-obsolete", Long.toString(v.obsoleted));
                w.writeAttribute("checksum", v.checksum);
                if (v.filename != null) w.writeAttribute("filename", v.filename);
            }
            w.writeCharacters("\n  ");
            w.writeEndElement();
        }
        w.writeCharacters("\n");
        w.writeEndElement();
        w.close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".getBytes(StandardCharsets.UTF_8));
        out.write(DTD.getBytes(StandardCharsets.UTF_8));
        out.write(body.toByteArray());
        out.write('\n');
        return out.toByteArray();
    }

    static List<File> readClasspath(File f) throws IOException {
        List<File> cp = new ArrayList<>();
        for (String p : Files.readString(f.toPath()).trim().split(File.pathSeparator)) if (!p.isEmpty()) cp.add(new File(p));
        return cp;
    }

    /**
     * <pre>UpdateSiteBuilder OUT_DIR UNSEG_JAR CLASSPATH_FILE FIJI_PROVIDED_FILE [PUBLISHED_DB_XML_GZ (file or URL)]
     * UpdateSiteBuilder --fiji-provided POM_SCIJAVA CLASSPATH_FILE</pre>
     */
    public static void main(String[] a) throws Exception {
        if (a.length == 3 && a[0].equals("--fiji-provided")) {
            for (String ga : fijiProvided(new File(a[1]), readClasspath(new File(a[2])))) System.out.println(ga);
            return;
        }
        if (a.length != 4 && a.length != 5) {
            System.err.println("usage: UpdateSiteBuilder OUT_DIR UNSEG_JAR CLASSPATH_FILE FIJI_PROVIDED_FILE [PUBLISHED_DB_XML_GZ]\n"
                    + "       UpdateSiteBuilder --fiji-provided POM_SCIJAVA CLASSPATH_FILE");
            System.exit(2);
        }
        List<File> cp = readClasspath(new File(a[2]));
        Set<String> provided = new LinkedHashSet<>();
        for (String l : Files.readAllLines(new File(a[3]).toPath())) {
            String t = l.replaceAll("#.*", "").trim();
            if (!t.isEmpty()) provided.add(t);
        }
        File out = new File(a[0]);
        String description = "UnSeg: unsupervised segmentation (K-means, Gaussian mixture, GMM + K-means, unsupervised CNN) "
                + "with label images, ROIs, saved models and an evaluator. Plugins > Segmentation > UnSeg.";
        List<Entry> es;
        if (a.length == 5) {
            Map<String, SiteDb.Record> published;
            String src = a[4];
            try (InputStream in = src.matches("[a-z]+://.*") ? new URL(src).openStream() : Files.newInputStream(new File(src).toPath())) {
                published = SiteDb.read(in);
            }
            System.out.println("history: " + published.size() + " record(s) from " + src);
            es = build(out, new File(a[1]), cp, provided, description, published, Long.parseLong(STAMP.format(Instant.now())));
        } else {
            es = build(out, new File(a[1]), cp, provided, description);
        }
        for (Entry e : es) {
            if (e.obsolete()) { System.out.println(e.sitePath + "  obsolete (no longer shipped)"); continue; }
            System.out.println(e.sitePath + "-" + e.timestamp + "  " + e.checksum + "  " + e.filesize + " bytes"
                    + (e.platforms.isEmpty() ? "" : "  [" + String.join(",", e.platforms) + "]"));
        }
        System.out.println("db.xml.gz and " + es.size() + " record(s) in " + a[0]);
    }
}
