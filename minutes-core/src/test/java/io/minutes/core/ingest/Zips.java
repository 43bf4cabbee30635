package io.minutes.core.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** ZIP archives made in tests: ordinary ones with java.util.zip, and real bombs written by hand, streamed. */
public final class Zips {

    private Zips() {
    }

    /** An archive of the entries in map order (use a LinkedHashMap). */
    public static byte[] of(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A valid ZIP whose entries each unzip to {@code mebibytesPerEntry} MiB of zeros (at most 4095), written to
     * {@code file} without ever holding the unzipped bytes: one deflated MiB of zeros, sync-flushed so it is
     * byte-aligned and self-contained, is repeated, then closed by an empty final block. With {@code lying} the
     * local headers claim the entries unzip to their compressed size, so only counting the bytes can catch it.
     */
    public static Path bomb(Path file, List<String> names, int mebibytesPerEntry, boolean lying) throws IOException {
        byte[] zeros = new byte[1 << 20];
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(zeros);
        byte[] buffer = new byte[64 * 1024];
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        int n;
        while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) block.write(buffer, 0, n);
        deflater.end();
        byte[] mebibyte = block.toByteArray();
        byte[] finalBlock = {0x03, 0x00};
        CRC32 crc = new CRC32();
        for (int i = 0; i < mebibytesPerEntry; i++) crc.update(zeros);
        long size = (long) mebibytesPerEntry << 20;
        long packed = (long) mebibyte.length * mebibytesPerEntry + finalBlock.length;

        List<byte[]> central = new ArrayList<>();
        long offset = 0;
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
            for (String name : names) {
                byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
                ByteBuffer local = le(30 + nameBytes.length).putInt(0x04034b50).putShort((short) 20).putShort((short) 0)
                        .putShort((short) 8).putInt(0).putInt((int) crc.getValue()).putInt((int) packed)
                        .putInt((int) (lying ? packed : size)).putShort((short) nameBytes.length).putShort((short) 0).put(nameBytes);
                out.write(local.array());
                for (int i = 0; i < mebibytesPerEntry; i++) out.write(mebibyte);
                out.write(finalBlock);
                central.add(le(46 + nameBytes.length).putInt(0x02014b50).putShort((short) 20).putShort((short) 20)
                        .putShort((short) 0).putShort((short) 8).putInt(0).putInt((int) crc.getValue())
                        .putInt((int) packed).putInt((int) size).putShort((short) nameBytes.length).putShort((short) 0)
                        .putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) offset)
                        .put(nameBytes).array());
                offset += 30 + nameBytes.length + packed;
            }
            long centralSize = 0;
            for (byte[] c : central) {
                out.write(c);
                centralSize += c.length;
            }
            out.write(le(22).putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) names.size())
                    .putShort((short) names.size()).putInt((int) centralSize).putInt((int) offset).putShort((short) 0).array());
        }
        return file;
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
