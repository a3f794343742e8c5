package io.github.unseg.dist;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
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

    /** One file of the site. */
    public static final class Entry {
        public final String sitePath;   // jars/unseg.jar
        public final File source;
        public final long timestamp;
        public final String checksum;

        Entry(String sitePath, File source, long timestamp, String checksum) {
            this.sitePath = sitePath; this.source = source; this.timestamp = timestamp; this.checksum = checksum;
        }
    }

    /**
     * Artifact names that other groups also use (ND4J ships its own shaded guava, jackson and
     * protobuf): on the site they get their group's last segment as a prefix, so that
     * org.nd4j:guava never replaces Fiji's jars/guava.jar.
     */
    static final Set<String> CLASHING = Set.of("guava", "jackson", "protobuf");

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

    /** The updater's platform of a native jar (from its classifier), or null for every platform. */
    public static String platform(String jarName) {
        if (jarName.contains("linux-x86_64")) return "linux64";
        if (jarName.contains("windows-x86_64")) return "win64";
        if (jarName.contains("macosx-x86_64")) return "macosx";
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

    public static List<Entry> build(File out, File mainJar, List<File> classpath, Set<String> fijiProvided, String description)
            throws IOException, XMLStreamException {
        File jars = new File(out, "jars");
        if (!jars.isDirectory() && !jars.mkdirs()) throw new IOException("Cannot create " + jars);
        List<File> ship = new ArrayList<>();
        ship.add(mainJar);
        List<String> provided = new ArrayList<>();
        for (File f : classpath) {
            if (!f.getName().endsWith(".jar")) continue;
            if (fijiProvided.contains(artifact(f.getName()))) provided.add(sitePath(f.getName()));
            else ship.add(f);
        }
        List<Entry> entries = new ArrayList<>();
        for (File f : ship) {
            String path = sitePath(f);
            long ts = Long.parseLong(STAMP.format(Instant.ofEpochMilli(f.lastModified())));
            Entry e = new Entry(path, f, ts, UpdaterChecksum.of(path, f));
            Files.copy(f.toPath(), new File(out, path + "-" + ts).toPath(), StandardCopyOption.REPLACE_EXISTING);
            entries.add(e);
        }
        byte[] xml = dbXml(entries, provided, description);
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(new File(out, "db.xml.gz").toPath()))) {
            o.write(xml);
        }
        return entries;
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
            String platform = platform(e.source.getName());
            if (platform != null) {
                w.writeCharacters("\n    ");
                w.writeStartElement("platform");
                w.writeCharacters(platform);
                w.writeEndElement();
            }
            w.writeCharacters("\n    ");
            w.writeStartElement("version");
            w.writeAttribute("checksum", e.checksum);
            w.writeAttribute("timestamp", Long.toString(e.timestamp));
            w.writeAttribute("filesize", Long.toString(e.source.length()));
            if (e == main) {
                w.writeCharacters("\n      ");
                w.writeStartElement("description");
                w.writeCharacters(description);
                w.writeEndElement();
                // The main jar depends on everything the site ships and on Fiji's own jars.
                Set<String> deps = new LinkedHashSet<>();
                for (Entry d : entries) if (d != main) deps.add(d.sitePath + "\u0000" + d.timestamp);
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

    public static void main(String[] a) throws Exception {
        if (a.length != 4) {
            System.err.println("usage: UpdateSiteBuilder OUT_DIR UNSEG_JAR CLASSPATH_FILE FIJI_PROVIDED_FILE");
            System.exit(2);
        }
        List<File> cp = new ArrayList<>();
        for (String p : Files.readString(new File(a[2]).toPath()).trim().split(File.pathSeparator)) if (!p.isEmpty()) cp.add(new File(p));
        Set<String> provided = new LinkedHashSet<>();
        for (String l : Files.readAllLines(new File(a[3]).toPath())) {
            String t = l.replaceAll("#.*", "").trim();
            if (!t.isEmpty()) provided.add(t);
        }
        List<Entry> es = build(new File(a[0]), new File(a[1]), cp, provided,
                "UnSeg: unsupervised segmentation (K-means, Gaussian mixture, GMM + K-means) with label images, ROIs, saved models and an evaluator. Plugins > Segmentation > UnSeg.");
        for (Entry e : es) System.out.println(e.sitePath + "-" + e.timestamp + "  " + e.checksum + "  " + e.source.length() + " bytes");
        System.out.println("db.xml.gz and " + es.size() + " file(s) in " + a[0]);
    }
}
