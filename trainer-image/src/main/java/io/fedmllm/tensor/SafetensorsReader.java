package io.fedmllm.tensor;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;

/**
 * Random and sequential access to the tensors of one safetensors file or buffer without materialising the whole
 * content: the header is parsed and validated on open, each tensor is read only when asked for. Iterating yields
 * the tensors in data order, one at a time, so a consumer that drops each tensor after use needs memory for one
 * tensor only.
 *
 * <p>{@link #open} and {@link #of} accept F32 only (update files, adapters). {@link #openCheckpoint} accepts every
 * element type of the format, maps the file (64-bit offsets, windows of at most {@value #WINDOW_BYTES} bytes, so
 * shards and tensors beyond 2 GiB work) and widens F16 and BF16 to float while reading.
 */
public final class SafetensorsReader implements Closeable, Iterable<NamedTensor> {

  private static final int LENGTH_PREFIX = 8;
  /** Largest byte range decoded at once; a multiple of every element size. */
  static final int WINDOW_BYTES = 1 << 26;

  private final Source source;
  private final SafetensorsHeader header;
  private final Map<String, SafetensorsEntry> byName;
  private final long dataStart;

  private SafetensorsReader(Source source, Set<SafetensorsDtype> accepted) throws IOException {
    this.source = source;
    long size = source.size();
    if (size < LENGTH_PREFIX) {
      throw new SafetensorsFormatException(source.name(), null,
          "only " + size + " bytes, shorter than the 8-byte header length");
    }
    ByteBuffer prefix = ByteBuffer.allocate(LENGTH_PREFIX).order(ByteOrder.LITTLE_ENDIAN);
    source.readFully(0, prefix);
    long headerLength = prefix.flip().getLong();
    if (headerLength < 0 || headerLength > SafetensorsHeader.MAX_HEADER_BYTES) {
      throw new SafetensorsFormatException(source.name(), null, "header length " + Long.toUnsignedString(headerLength)
          + " outside [0, " + SafetensorsHeader.MAX_HEADER_BYTES + "]");
    }
    if (LENGTH_PREFIX + headerLength > size) {
      throw new SafetensorsFormatException(source.name(), null,
          "header length " + headerLength + " exceeds the " + size + "-byte size");
    }
    ByteBuffer json = ByteBuffer.allocate((int) headerLength);
    source.readFully(LENGTH_PREFIX, json);
    this.dataStart = LENGTH_PREFIX + headerLength;
    this.header = SafetensorsHeader.parse(json.array(), size - dataStart, source.name(), accepted);
    this.byName = header.byName();
  }

  /** Opens a file; the caller closes the reader. */
  public static SafetensorsReader open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      return new SafetensorsReader(new ChannelSource(channel, file.toString()), SafetensorsDtype.F32_ONLY);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Opens a model checkpoint file: any element type in the header, memory-mapped reads, F16/BF16 widened to float;
   * reading a tensor of an integer type is an error naming it. The caller closes the reader.
   */
  public static SafetensorsReader openCheckpoint(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      return new SafetensorsReader(new MappedSource(channel, file.toString()), SafetensorsDtype.ALL);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** The file or buffer this reader reads, as it appears in error messages. */
  public String sourceName() {
    return source.name();
  }

  /** Reads from an in-memory buffer (e.g. an object downloaded from storage); {@code name} appears in errors. */
  public static SafetensorsReader of(byte[] bytes, String name) throws IOException {
    return new SafetensorsReader(new ArraySource(bytes, name), SafetensorsDtype.F32_ONLY);
  }

  /**
   * Reads from an in-memory buffer whose tensors may be any of {@code accepted} (e.g.
   * {@link SafetensorsDtype#TRANSFER} for an update sent in half precision), widened to float32.
   */
  public static SafetensorsReader of(byte[] bytes, String name, Set<SafetensorsDtype> accepted) throws IOException {
    return new SafetensorsReader(new ArraySource(bytes, name), accepted);
  }

  public SafetensorsHeader header() {
    return header;
  }

  public SortedMap<String, String> metadata() {
    return header.metadata();
  }

  /** Entries in data order. */
  public List<SafetensorsEntry> entries() {
    return header.entries();
  }

  public boolean contains(String name) {
    return byName.containsKey(name);
  }

  /** Reads one tensor by name, as float32. */
  public Tensor read(String name) throws IOException {
    SafetensorsEntry entry = byName.get(name);
    if (entry == null) {
      throw new NoSuchElementException(source.name() + ": no tensor named '" + name + "'");
    }
    return read(entry);
  }

  /** Reads every tensor into memory. */
  public TensorMap readAll() throws IOException {
    TensorMap.Builder b = TensorMap.builder();
    for (SafetensorsEntry e : header.entries()) {
      b.put(e.name(), read(e));
    }
    return b.build();
  }

  /**
   * Yields the tensors in data order, reading each one when {@code next()} is called. I/O errors surface as
   * {@link UncheckedIOException}.
   */
  @Override
  public Iterator<NamedTensor> iterator() {
    Iterator<SafetensorsEntry> entries = header.entries().iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return entries.hasNext();
      }

      @Override
      public NamedTensor next() {
        SafetensorsEntry e = entries.next();
        try {
          return new NamedTensor(e.name(), read(e));
        } catch (IOException ex) {
          throw new UncheckedIOException(ex);
        }
      }
    };
  }

  /** Reads the tensor an entry of this reader's header describes, widened to float32. */
  public Tensor read(SafetensorsEntry entry) throws IOException {
    SafetensorsDtype dtype = entry.dtype();
    if (!dtype.widensToFloat()) {
      throw new SafetensorsFormatException(source.name(), entry.name(), dtype + " tensors cannot be read as float");
    }
    float[] data = new float[Math.toIntExact(entry.elementCount())];
    int elementsPerWindow = WINDOW_BYTES / dtype.byteSize();
    for (int from = 0; from < data.length; from += elementsPerWindow) {
      int count = Math.min(elementsPerWindow, data.length - from);
      ByteBuffer window = source.window(dataStart + entry.begin() + (long) from * dtype.byteSize(),
          count * dtype.byteSize());
      dtype.decode(window.order(ByteOrder.LITTLE_ENDIAN), data, from, count);
    }
    return new Tensor(entry.shape(), data);
  }

  @Override
  public void close() throws IOException {
    source.close();
  }

  /** Positional reads from a file or a byte array. */
  private interface Source extends Closeable {
    String name();

    long size() throws IOException;

    /** Fills {@code dst} completely from {@code position}. */
    void readFully(long position, ByteBuffer dst) throws IOException;

    /** The {@code length} bytes from {@code position}, positioned at 0. */
    default ByteBuffer window(long position, int length) throws IOException {
      ByteBuffer dst = ByteBuffer.allocate(length);
      readFully(position, dst);
      return dst.flip();
    }
  }

  /** A file read through memory mappings of the requested windows; the mapping is dropped with the buffer. */
  private record MappedSource(FileChannel channel, String name) implements Source {
    @Override
    public long size() throws IOException {
      return channel.size();
    }

    @Override
    public void readFully(long position, ByteBuffer dst) throws IOException {
      if (position + dst.remaining() > channel.size()) {
        throw new EOFException(name + ": unexpected end of file at byte " + channel.size());
      }
      dst.put(window(position, dst.remaining()));
    }

    @Override
    public ByteBuffer window(long position, int length) throws IOException {
      if (position + length > channel.size()) {
        throw new EOFException(name + ": unexpected end of file at byte " + channel.size());
      }
      return channel.map(FileChannel.MapMode.READ_ONLY, position, length);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  private record ChannelSource(FileChannel channel, String name) implements Source {
    @Override
    public long size() throws IOException {
      return channel.size();
    }

    @Override
    public void readFully(long position, ByteBuffer dst) throws IOException {
      long pos = position;
      while (dst.hasRemaining()) {
        int n = channel.read(dst, pos);
        if (n < 0) {
          throw new EOFException(name + ": unexpected end of file at byte " + pos);
        }
        pos += n;
      }
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  private record ArraySource(byte[] bytes, String name) implements Source {
    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public void readFully(long position, ByteBuffer dst) throws IOException {
      if (position + dst.remaining() > bytes.length) {
        throw new EOFException(name + ": unexpected end of buffer at byte " + bytes.length);
      }
      dst.put(bytes, (int) position, dst.remaining());
    }

    @Override
    public void close() {}
  }
}
