package io.minutes.core.ingest;

import io.minutes.core.text.RegexWork;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The text of a Word file (Teams and Otter export transcripts as .docx): {@code word/document.xml}, streamed through
 * the JDK's StAX parser with DTDs and external entities off, so a crafted file cannot make us read local files or
 * the network. Each paragraph, and each line break inside one, becomes a line.
 */
final class DocxReader {

    static final long MAX_DOCUMENT_BYTES = 64L << 20;
    private static final String DOCUMENT = "word/document.xml";
    private static final String W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    private DocxReader() {
    }

    /** True when the ZIP has a {@code word/document.xml}; only the entry headers are read. */
    static boolean isDocx(byte[] zip) {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (entry.getName().equals(DOCUMENT)) return true;
            }
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
        return false;
    }

    static List<String> lines(byte[] zip) throws ParseException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                if (entry.getName().equals(DOCUMENT)) return paragraphs(new Capped(in));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new ParseException(0, "cannot read the Word file: " + e.getMessage());
        }
        throw new ParseException(0, "a Word file must hold " + DOCUMENT + "; this ZIP does not");
    }

    /**
     * Older Teams Word transcripts are captions: a {@code 0:0:0.0 --> 0:0:5.52} line, the speaker's name alone on the
     * next line, then the words. When most timings are followed that way, the lines become WebVTT with voice tags;
     * otherwise null, and the text rules apply.
     */
    static List<String> timedCaptionsAsVtt(List<String> lines) {
        int timings = 0;
        int named = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (!RegexWork.matcher(SrtParser.TIMING, lines.get(i)).matches()) continue;
            timings++;
            if (isNameOverText(lines, i)) named++;
        }
        if (timings < 2 || named * 5 < timings * 4) return null;
        List<String> vtt = new ArrayList<>(List.of("WEBVTT"));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (RegexWork.matcher(SrtParser.TIMING, line).matches()) {
                vtt.add("");
                vtt.add(line);
                if (isNameOverText(lines, i)) {
                    vtt.add("<v " + escape(lines.get(i + 1).strip()) + ">" + lines.get(i + 2));
                    i += 2;
                }
            } else if (!line.isBlank()) {
                vtt.add(line);
            }
        }
        return vtt;
    }

    private static boolean isNameOverText(List<String> lines, int timing) {
        if (timing + 2 >= lines.size()) return false;
        String name = lines.get(timing + 1).strip();
        String text = lines.get(timing + 2);
        return !name.contains(":") && SpeakerLabels.plausibleName(name) && !text.isBlank()
                && !RegexWork.matcher(SrtParser.TIMING, text).matches();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static List<String> paragraphs(InputStream xml) throws ParseException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        XMLStreamReader reader = null;
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        boolean inText = false;
        try {
            reader = factory.createXMLStreamReader(xml, "UTF-8");
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT && W.equals(reader.getNamespaceURI())) {
                    switch (reader.getLocalName()) {
                        case "t" -> inText = true;
                        case "tab" -> line.append('\t');
                        case "br", "cr" -> {
                            lines.add(line.toString());
                            line.setLength(0);
                        }
                        default -> { }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT && W.equals(reader.getNamespaceURI())) {
                    if (reader.getLocalName().equals("t")) inText = false;
                    if (reader.getLocalName().equals("p")) {
                        lines.add(line.toString());
                        line.setLength(0);
                    }
                } else if (event == XMLStreamConstants.ENTITY_REFERENCE) {
                    throw new ParseException(reader.getLocation().getLineNumber(), reader.getLocation().getColumnNumber(),
                            DOCUMENT + ": entity \"" + reader.getLocalName() + "\" is not allowed in a Word file");
                } else if (inText && (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA)) {
                    line.append(reader.getText());
                }
            }
        } catch (XMLStreamException e) {
            int lineNo = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNumber());
            int column = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getColumnNumber());
            throw new ParseException(lineNo, column, DOCUMENT + ": " + plain(e.getMessage()));
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing was written; nothing to lose
                }
            }
        }
        if (!line.isEmpty()) lines.add(line.toString());
        return lines;
    }

    /** The StAX message starts with "ParseError at [row,col]:[3,5]\nMessage: ..."; the place is reported apart. */
    private static String plain(String message) {
        if (message == null) return "malformed XML";
        int at = message.indexOf("Message: ");
        String plain = (at >= 0 ? message.substring(at + "Message: ".length()) : message).strip();
        // the JDK's XML safety limits answer "JAXP00010006: ... limit set by "jdk.xml...""; say what it means instead
        if (plain.startsWith("JAXP") || plain.contains("jdk.xml.")) {
            return "the XML is larger or more deeply nested than a Word transcript can be (an XML safety limit was reached)";
        }
        return plain;
    }

    /** Refuses to unzip more than {@link #MAX_DOCUMENT_BYTES}: a Word file can be a ZIP bomb too. */
    private static final class Capped extends FilterInputStream {
        private long count;

        Capped(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) check(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) check(n);
            return n;
        }

        private void check(int n) throws IOException {
            count += n;
            if (count > MAX_DOCUMENT_BYTES) {
                throw new IOException(DOCUMENT + " unzips to more than " + ZipArchive.bytes(MAX_DOCUMENT_BYTES)
                        + ", far more than any transcript");
            }
        }

        @Override
        public void close() {
            // the ZIP stream is closed by its owner
        }
    }
}
