package io.github.unseg.dist;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** The records of a published db.xml.gz that a rebuild must carry forward (current and previous versions). */
final class SiteDb {
    /** One version of a file: current ({@code obsoleted == 0}) or previous. */
    static final class Version {
        final String checksum;
        final long timestamp;
        final long obsoleted;   // timestamp-obsolete, 0 when absent
        final long filesize;    // current versions only
        final String filename;  // previous versions under another name, else null

        Version(String checksum, long timestamp, long obsoleted, long filesize, String filename) {
            this.checksum = checksum; this.timestamp = timestamp; this.obsoleted = obsoleted;
            this.filesize = filesize; this.filename = filename;
        }
    }

    /** One plugin record: its platforms, its current version (null when obsolete) and its history. */
    static final class Record {
        final String filename;
        final List<String> platforms = new ArrayList<>();
        Version current;
        final List<Version> previous = new ArrayList<>();

        Record(String filename) { this.filename = filename; }
    }

    private SiteDb() { }

    /** Reads a db.xml.gz (gzip) stream; the embedded document type is not fetched from anywhere. */
    static Map<String, Record> read(InputStream gz) throws IOException {
        Document doc;
        try (InputStream in = new GZIPInputStream(gz)) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setEntityResolver((p, s) -> new InputSource(new StringReader("")));
            doc = b.parse(in);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("the published db.xml.gz does not parse: " + e.getMessage(), e);
        }
        Map<String, Record> out = new LinkedHashMap<>();
        NodeList plugins = doc.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element p = (Element) plugins.item(i);
            Record r = new Record(p.getAttribute("filename"));
            for (Node n = p.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (!(n instanceof Element)) continue;
                Element e = (Element) n;
                switch (e.getTagName()) {
                    case "platform": r.platforms.add(e.getTextContent().trim()); break;
                    case "version":
                        r.current = new Version(e.getAttribute("checksum"), num(e, "timestamp"), 0, num(e, "filesize"), null);
                        break;
                    case "previous-version":
                        r.previous.add(new Version(e.getAttribute("checksum"), num(e, "timestamp"), num(e, "timestamp-obsolete"), 0,
                                e.hasAttribute("filename") ? e.getAttribute("filename") : null));
                        break;
                    default: break;
                }
            }
            out.put(r.filename, r);
        }
        return out;
    }

    private static long num(Element e, String attr) {
        String v = e.getAttribute(attr);
        return v.isEmpty() ? 0 : Long.parseLong(v.trim());
    }
}
