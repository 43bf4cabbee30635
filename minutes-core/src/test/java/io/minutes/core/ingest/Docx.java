package io.minutes.core.ingest;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Minimal real Word files (the OOXML parts Word itself needs), made in tests with java.util.zip. */
public final class Docx {

    static final String W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    private Docx() {
    }

    /** One Word paragraph per string; a tab in the string becomes {@code <w:tab/>}, a newline {@code <w:br/>}. */
    public static byte[] of(List<String> paragraphs) {
        StringBuilder body = new StringBuilder();
        for (String p : paragraphs) {
            body.append("<w:p><w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr>");
            String[] lines = p.split("\n", -1);
            for (int l = 0; l < lines.length; l++) {
                if (l > 0) body.append("<w:r><w:br/></w:r>");
                String[] cells = lines[l].split("\t", -1);
                for (int c = 0; c < cells.length; c++) {
                    if (c > 0) body.append("<w:r><w:tab/></w:r>");
                    if (!cells[c].isEmpty()) {
                        body.append("<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">").append(escape(cells[c]))
                                .append("</w:t></w:r>");
                    }
                }
            }
            body.append("</w:p>");
        }
        return withDocumentXml("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                + "<w:document xmlns:w=\"" + W + "\"><w:body>" + body + "<w:sectPr/></w:body></w:document>");
    }

    public static byte[] withDocumentXml(String documentXml) {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("[Content_Types].xml", ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument."
                + "wordprocessingml.document.main+xml\"/></Types>").getBytes(UTF_8));
        parts.put("_rels/.rels", ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                + "officeDocument\" Target=\"word/document.xml\"/></Relationships>").getBytes(UTF_8));
        parts.put("word/document.xml", documentXml.getBytes(UTF_8));
        return Zips.of(parts);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
