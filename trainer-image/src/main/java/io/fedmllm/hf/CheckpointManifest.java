package io.fedmllm.hf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A record of a checkpoint directory's files: relative name (with '/'), size in bytes and lower-case hex SHA-256, in
 * name order. Every trainer and the aggregator compare against it to use byte-identical weights. Files are hashed
 * streaming, so multi-GiB shards need no heap.
 */
public record CheckpointManifest(List<FileEntry> files) {

  public record FileEntry(String name, long size, String sha256) {}

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public CheckpointManifest {
    files = List.copyOf(files);
  }

  /** Hashes every regular file under {@code dir} (hidden files and directories, such as .cache/, excluded). */
  public static CheckpointManifest of(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new CheckpointException(dir + ": not a checkpoint directory (does not exist or is not a directory)");
    }
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dir)) {
      paths = walk.filter(Files::isRegularFile)
          .filter(p -> !hidden(dir.relativize(p)))
          .sorted()
          .toList();
    }
    List<FileEntry> entries = new ArrayList<>();
    for (Path p : paths) {
      String name = dir.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
      entries.add(new FileEntry(name, Files.size(p), sha256(p)));
    }
    entries.sort(Comparator.comparing(FileEntry::name));
    return new CheckpointManifest(entries);
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Total bytes of all files. */
  public long totalSize() {
    return files.stream().mapToLong(FileEntry::size).sum();
  }

  public String toJson() throws IOException {
    return JSON.writeValueAsString(this);
  }

  public static CheckpointManifest fromJson(String json) throws IOException {
    return JSON.readValue(json, CheckpointManifest.class);
  }

  /**
   * The differences of {@code actual} against this record, one line each (a file missing, extra, or with another
   * size or hash); empty when equal.
   */
  public List<String> differences(CheckpointManifest actual) {
    List<String> out = new ArrayList<>();
    Map<String, FileEntry> mine = new TreeMap<>();
    files.forEach(f -> mine.put(f.name(), f));
    Map<String, FileEntry> theirs = new TreeMap<>();
    actual.files.forEach(f -> theirs.put(f.name(), f));
    for (FileEntry f : files) {
      FileEntry other = theirs.get(f.name());
      if (other == null) {
        out.add(f.name() + ": missing");
      } else if (other.size() != f.size()) {
        out.add(f.name() + ": " + other.size() + " bytes, recorded " + f.size());
      } else if (!other.sha256().equals(f.sha256())) {
        out.add(f.name() + ": sha256 " + other.sha256() + ", recorded " + f.sha256());
      }
    }
    for (FileEntry f : actual.files) {
      if (!mine.containsKey(f.name())) {
        out.add(f.name() + ": not in the record");
      }
    }
    return out;
  }
}
